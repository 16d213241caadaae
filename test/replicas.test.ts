// Issue 24, point 6: multi-Region replicas. Two nodes on one database, started with different
// regions (us-east-1 the pool's primary, eu-west-1 its replica), each with its own address, as two
// regions' load balancers would have. The SDK client of each region names that region.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolReplicaCommand,
  DeleteUserPoolReplicaCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListTagsForResourceCommand,
  ListUserPoolReplicasCommand,
  ListUserPoolsCommand,
  TagResourceCommand,
  UpdateUserPoolReplicaCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { defaultConfig, type GatehouseConfig } from '../src/config.js';
import { exportPool } from '../src/domain/portability/pool-export.js';
import { startGatehouse, type Gatehouse } from '../src/server.js';
import { errorOf } from './support/errors.js';
import { backends, databaseFor, POSTGRES_SERVER_KEY } from './support/gatehouse.js';

const PRIMARY = 'us-east-1';
const SECONDARY = 'eu-west-1';
const PASSWORD = 'Password1!';
const ACCOUNT = defaultConfig().accountId;
const arn = (region: string, poolId: string) => `arn:aws:cognito-idp:${region}:${ACCOUNT}:userpool/${poolId}`;
const notFound = (poolId: string) => ({ name: 'ResourceNotFoundException', message: `User pool ${poolId} does not exist.`, status: 400 });
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

interface Node {
  server: Gatehouse;
  url: string;
  cognito: CognitoIdentityProviderClient;
}

for (const backend of backends()) {
  describe(`user pool replicas across two regions' nodes (${backend})`, () => {
    let A: Node;
    let B: Node;
    let cleanup: () => Promise<void>;
    let config: GatehouseConfig;

    before(async () => {
      const db = await databaseFor(backend);
      cleanup = db.cleanup;
      const serverKey = backend === 'postgres' ? { serverKey: POSTGRES_SERVER_KEY } : {};
      config = { ...defaultConfig(), port: 0, logLevel: 'silent', database: db.database, ...serverKey };
      const start = async (region: string): Promise<Node> => {
        const server = await startGatehouse({ ...config, region });
        const cognito = new CognitoIdentityProviderClient({
          endpoint: server.url,
          region,
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
          maxAttempts: 1,
        });
        return { server, url: server.url, cognito };
      };
      A = await start(PRIMARY);
      B = await start(SECONDARY);
    });
    after(async () => {
      for (const node of [A, B]) {
        node?.cognito.destroy();
        await node?.server.close();
      }
      await cleanup?.();
    });

    /** A pool made on the primary's node, with an app client and a user who has a permanent password. */
    async function replicatedPool(input: Partial<CreateUserPoolCommandInput> = {}) {
      const poolId = (await A.cognito.send(new CreateUserPoolCommand({ PoolName: 'replicated', ...input }))).UserPool!.Id!;
      const clientId = (
        await A.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))
      ).UserPoolClient!.ClientId!;
      await A.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ann', MessageAction: 'SUPPRESS' }));
      await A.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ann', Password: PASSWORD, Permanent: true }));
      return { poolId, clientId };
    }
    const signIn = async (node: Node, ClientId: string, USERNAME = 'ann') =>
      (await node.cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }))).AuthenticationResult!;
    const replicas = async (node: Node, UserPoolId: string) => (await node.cognito.send(new ListUserPoolReplicasCommand({ UserPoolId }))).UserPoolReplicas;
    const setStatus = (node: Node, UserPoolId: string, Status: 'ACTIVE' | 'INACTIVE') =>
      node.cognito.send(new UpdateUserPoolReplicaCommand({ UserPoolId, RegionName: SECONDARY, Status }));
    const listed = async (node: Node, poolId: string) => {
      for (let NextToken: string | undefined; ; ) {
        const page = await node.cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
        const found = page.UserPools!.find((pool) => pool.Id === poolId);
        if (found || !page.NextToken) return found;
        NextToken = page.NextToken;
      }
    };

    test('a replica is made from the primary region, starts INACTIVE, and both regions list it; one replica per pool', async () => {
      const { poolId } = await replicatedPool();
      assert.equal((await errorOf(B.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY })))).name, 'OperationNotEnabledException');

      const { UserPoolReplica } = await A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY, UserPoolTags: { team: 'identity' } }));
      assert.deepEqual(UserPoolReplica, { RegionName: SECONDARY, Status: 'INACTIVE', Role: 'SECONDARY', UserPoolArn: arn(SECONDARY, poolId) });
      const expected = [
        { RegionName: PRIMARY, Status: 'ACTIVE', Role: 'PRIMARY', UserPoolArn: arn(PRIMARY, poolId) },
        { RegionName: SECONDARY, Status: 'INACTIVE', Role: 'SECONDARY', UserPoolArn: arn(SECONDARY, poolId) },
      ];
      assert.deepEqual(await replicas(A, poolId), expected);
      assert.deepEqual(await replicas(B, poolId), expected, 'the inactive replica region manages its replica too');
      assert.deepEqual((await listed(A, poolId))!.ReplicaRegions, [SECONDARY]);
      const exported = [];
      for await (const line of exportPool(A.server.storage, A.server.services.secretBox, poolId)) exported.push(line);
      assert.ok(!exported.some((line) => line.type === 'document'), 'a pool file leaves the replicas out');

      const again = await errorOf(A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY })));
      assert.equal(again.name, 'InvalidParameterException');
      const third = await errorOf(A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'ap-southeast-2' })));
      assert.equal(third.name, 'LimitExceededException');
      const inPrimary = await errorOf(A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: PRIMARY })));
      assert.equal(inPrimary.name, 'InvalidParameterException');
      const notARegion = await errorOf(A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'moon-base' })));
      assert.deepEqual(notARegion, { name: 'InvalidParameterException', message: 'moon-base is not a valid Region.', status: 400 });
      const missing = `${PRIMARY}_NoSuchPool`;
      assert.deepEqual(await errorOf(A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: missing, RegionName: SECONDARY }))), notFound(missing));
    });

    test('a LITE pool cannot be replicated; a pool never replicated lists its primary alone', async () => {
      const { poolId } = await replicatedPool({ UserPoolTier: 'LITE' });
      const refused = await errorOf(A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY })));
      assert.equal(refused.name, 'FeatureUnavailableInTierException');
      assert.deepEqual(await replicas(A, poolId), [{ RegionName: PRIMARY, Status: 'ACTIVE', Role: 'PRIMARY', UserPoolArn: arn(PRIMARY, poolId) }]);
      assert.equal((await listed(A, poolId))!.ReplicaRegions, undefined);
    });

    test('the replica region does not serve the pool while the replica is INACTIVE', async () => {
      const { poolId, clientId } = await replicatedPool();
      const { AccessToken } = await signIn(A, clientId);
      await A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY }));

      assert.deepEqual(await errorOf(B.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))), notFound(poolId));
      assert.deepEqual(await errorOf(B.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }))), notFound(poolId));
      assert.deepEqual(await errorOf(B.cognito.send(new GetUserCommand({ AccessToken }))), notFound(poolId));
      assert.equal((await errorOf(signIn(B, clientId))).name, 'ResourceNotFoundException');
      assert.equal((await fetch(`${B.url}/${poolId}/.well-known/jwks.json`)).status, 404);
      assert.equal(await listed(B, poolId), undefined, 'ListUserPools in the replica region leaves it out');
      assert.equal((await A.cognito.send(new GetUserCommand({ AccessToken }))).Username, 'ann', 'the primary serves it all along');
    });

    test('an ACTIVE replica serves the pool: one directory, one issuer, one JWKS, tokens from either region good in both', async () => {
      const { poolId, clientId } = await replicatedPool({ UserPoolTags: { team: 'identity' } });
      await A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY, UserPoolTags: { site: 'dublin' } }));
      const { UserPoolReplica } = await setStatus(B, poolId, 'ACTIVE');
      assert.deepEqual(UserPoolReplica, { RegionName: SECONDARY, Status: 'ACTIVE', Role: 'SECONDARY', UserPoolArn: arn(SECONDARY, poolId) });

      assert.equal((await B.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }))).UserStatus, 'CONFIRMED');
      assert.equal((await B.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Arn, arn(SECONDARY, poolId));
      assert.deepEqual((await listed(B, poolId))!.ReplicaRegions, [SECONDARY]);

      const fromA = await signIn(A, clientId);
      const fromB = await signIn(B, clientId);
      const issuer = `${A.url}/${poolId}`;
      assert.equal(claimsOf(fromA.AccessToken!).iss, issuer);
      assert.equal(claimsOf(fromB.AccessToken!).iss, issuer, 'the replica names the primary region’s issuer');
      assert.equal(claimsOf(fromB.IdToken!).iss, issuer);
      assert.equal((await B.cognito.send(new GetUserCommand({ AccessToken: fromA.AccessToken }))).Username, 'ann', 'A’s token on B');
      assert.equal((await A.cognito.send(new GetUserCommand({ AccessToken: fromB.AccessToken }))).Username, 'ann', 'B’s token on A');
      const refreshed = await B.cognito.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: fromA.RefreshToken! } }),
      );
      assert.equal(claimsOf(refreshed.AuthenticationResult!.AccessToken!).iss, issuer, 'A’s refresh token refreshes on B');

      const jwksA = (await (await fetch(`${A.url}/${poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
      const jwksB = (await (await fetch(`${B.url}/${poolId}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
      assert.deepEqual(jwksB, jwksA, 'both regions serve the same keys');
      const discovery = (await (await fetch(`${B.url}/${poolId}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
      assert.equal(discovery.issuer, issuer);
      assert.equal(discovery.jwks_uri, `${B.url}/${poolId}/.well-known/jwks.json`);
      await jwtVerify(fromB.IdToken!, createLocalJWKSet(jwksA), { issuer, audience: clientId });

      // Each region keeps its own tags, as Cognito's replicas do.
      await B.cognito.send(new TagResourceCommand({ ResourceArn: arn(SECONDARY, poolId), Tags: { tier: 'standby' } }));
      const tagsOf = async (node: Node, region: string) => (await node.cognito.send(new ListTagsForResourceCommand({ ResourceArn: arn(region, poolId) }))).Tags;
      assert.deepEqual(await tagsOf(B, SECONDARY), { site: 'dublin', tier: 'standby' });
      assert.deepEqual((await B.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.UserPoolTags, { site: 'dublin', tier: 'standby' });
      assert.deepEqual(await tagsOf(A, PRIMARY), { team: 'identity' });

      // Writes in either region are the other's at once: the directory is one.
      await B.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bea', MessageAction: 'SUPPRESS' }));
      await B.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
      assert.equal((await A.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bea' }))).Username, 'bea');
      assert.equal((await A.cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }))).Group!.GroupName, 'staff');
    });

    test('deactivating stops the replica region at once; only an INACTIVE replica is deleted, from the primary region', async () => {
      const { poolId, clientId } = await replicatedPool();
      await A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY }));
      await setStatus(A, poolId, 'ACTIVE');
      const { AccessToken } = await signIn(B, clientId);

      const active = await errorOf(A.cognito.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY })));
      assert.equal(active.name, 'InvalidParameterException');
      assert.match(active.message, /only an INACTIVE replica can be deleted/);

      await setStatus(A, poolId, 'INACTIVE');
      assert.deepEqual(await errorOf(B.cognito.send(new GetUserCommand({ AccessToken }))), notFound(poolId));
      assert.deepEqual(await errorOf(B.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }))), notFound(poolId));
      assert.equal((await A.cognito.send(new GetUserCommand({ AccessToken }))).Username, 'ann', 'B’s token still works where the pool is served');

      const fromReplica = await errorOf(B.cognito.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY })));
      assert.equal(fromReplica.name, 'OperationNotEnabledException');
      const { UserPoolReplica } = await A.cognito.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY }));
      assert.deepEqual(UserPoolReplica, { RegionName: SECONDARY, Status: 'DELETING', Role: 'SECONDARY', UserPoolArn: arn(SECONDARY, poolId) });
      assert.deepEqual(await replicas(A, poolId), [{ RegionName: PRIMARY, Status: 'ACTIVE', Role: 'PRIMARY', UserPoolArn: arn(PRIMARY, poolId) }]);
      assert.deepEqual(await errorOf(B.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))), notFound(poolId), 'the deleted region stays without it');
      assert.equal((await errorOf(setStatus(A, poolId, 'ACTIVE'))).name, 'ResourceNotFoundException', 'there is no replica left to activate');
      assert.equal((await errorOf(A.cognito.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY })))).name, 'ResourceNotFoundException');
    });

    test('a node of a region that does not serve a replicated pool starts with a seed declaring it, and leaves it alone', async () => {
      const { poolId } = await replicatedPool();
      await A.cognito.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: SECONDARY }));
      const seeded = await startGatehouse({ ...config, region: SECONDARY, userPools: [{ Id: poolId, PoolName: 'renamed by a seed' }] });
      try {
        assert.deepEqual(await errorOf(B.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))), notFound(poolId));
        assert.equal((await A.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Name, 'replicated');
      } finally {
        await seeded.close();
      }
    });

    test('a pool that was never replicated is served by every region’s nodes, as before replicas', async () => {
      const { poolId } = await replicatedPool();
      assert.equal((await B.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Id, poolId);
      assert.equal((await B.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }))).Username, 'ann');
    });
  });
}
