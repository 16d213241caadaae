// Issue 10, point 1: several `gatehouse serve` processes on one PostgreSQL database behave as one
// service. Two real nodes (separate processes, the same server key, one fresh database), once each
// with one worker and once with node A running `--workers 2`; every check writes through one node
// and reads or finishes through the other. The SDK clients open a new connection per request, so on
// the `--workers 2` node consecutive requests also land on different workers.
//
// Nodes behind one load balancer name one issuer: the tokens' `iss` is `<public URL>/<poolId>`, and
// each node checks it, so they share `--public-url` (here the address a load balancer would have).
// Without it each node names its own listening address, and rejects the other's access tokens.
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AssociateSoftwareTokenCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  ConfirmForgotPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetGroupCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  VerifySoftwareTokenCommand,
  type AuthFlowType,
  type CreateUserPoolCommandInput,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { authenticator } from 'otplib';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { errorOf } from './support/errors.js';
import { databaseFor, rawCall, serverKeyEnv } from './support/gatehouse.js';
import { postgresAvailable } from './support/postgres.js';
import { serve, type ServerProcess } from './support/process.js';
import { deviceVerifier, poolNameOf, SrpClient, srpTimestamp, type SrpChallenge } from './support/srp-client.js';
import { startMailbox, type Mailbox } from './support/webhook.js';

const skip = postgresAvailable() ? false : 'PostgreSQL not available (GATEHOUSE_TEST_NO_PG=1, or GATEHOUSE_TEST_PG_URL unset: run via `npm test`)';

const PASSWORD = 'Password1!';
/** The one address clients know, as a load balancer in front of the nodes would have it. */
const PUBLIC_URL = 'https://auth.gatehouse.test';
const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const WRONG = { name: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 };
const LOCKED = { name: 'NotAuthorizedException', message: 'Password attempts exceeded', status: 400 };

/** A client that opens a fresh connection per request, so a `--workers` node spreads them over its workers. */
function freshConnectionClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: false }) },
  });
}

interface Node {
  name: string;
  process: ServerProcess;
  url: string;
  cognito: CognitoIdentityProviderClient;
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (!node) return;
  node.cognito.destroy();
  node.process.child.kill('SIGTERM');
  await node.process.exited;
}

for (const layout of [
  { a: 1, b: 1 },
  { a: 2, b: 1 },
]) {
  describe(`two gatehouse serve nodes on one PostgreSQL (A --workers ${layout.a}, B --workers ${layout.b})`, { skip }, () => {
    let mailbox: Mailbox;
    let A: Node;
    let B: Node;
    let started = 0;

    before(async () => {
      started = performance.now();
      mailbox = await startMailbox();
      const { database } = await databaseFor('postgres');
      const env = { ...serverKeyEnv('postgres'), GATEHOUSE_WEBHOOK_URL: mailbox.url, GATEHOUSE_PUBLIC_URL: PUBLIC_URL };
      const start = async (name: string, workers: number): Promise<Node> => {
        const process = await serve(['--db', database, '--workers', String(workers)], env);
        return { name, process, url: process.url, cognito: freshConnectionClient(process.url) };
      };
      // A migrates the fresh database; B then starts on the migrated one, as a second node would.
      A = await start('A', layout.a);
      B = await start('B', layout.b);
    });
    after(async () => {
      await Promise.all([stopNode(A), stopNode(B)]);
      await mailbox?.close();
      console.log(`[multi-node] A --workers ${layout.a}, B --workers ${layout.b}: ${Math.round(performance.now() - started)} ms`);
    });

    /** A pool and an app client made on `node`, and users on it with a permanent password. */
    async function poolOn(node: Node, input: Partial<CreateUserPoolCommandInput> = {}) {
      const poolId = (await node.cognito.send(new CreateUserPoolCommand({ PoolName: 'multi-node', ...input }))).UserPool!.Id!;
      const clientId = (await node.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: FLOWS }))).UserPoolClient!.ClientId!;
      return { poolId, clientId };
    }
    async function userOn(node: Node, poolId: string, username: string, attributes: Record<string, string> = {}) {
      await node.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }),
      );
      await node.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    }
    const auth = (node: Node, ClientId: string, AuthFlow: AuthFlowType, AuthParameters: Record<string, string>) =>
      node.cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow, AuthParameters }));
    const signIn = async (node: Node, clientId: string, USERNAME: string, PASSWORD_ = PASSWORD) =>
      (await auth(node, clientId, 'USER_PASSWORD_AUTH', { USERNAME, PASSWORD: PASSWORD_ })).AuthenticationResult!;

    if (layout.a > 1) {
      test('node A runs its workers on one port, and its /metrics counts both', async () => {
        const text = await (await fetch(`${A.url}/metrics`)).text();
        assert.match(text, /^gatehouse_processes 2$/m);
        assert.match(text, /^gatehouse_database_up\{backend="postgres"\} 1$/m);
      });
    }

    test('a pool, client, user and group created on A are visible on B at once, and a deletion on B on A', async () => {
      const { poolId, clientId } = await poolOn(A);
      assert.equal((await B.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Name, 'multi-node');
      assert.equal((await B.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!.ClientName, 'app');

      await A.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ann', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'ann@example.com' }] }));
      const ann = await B.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann' }));
      assert.equal(ann.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(ann.UserAttributes!.find((a) => a.Name === 'email')!.Value, 'ann@example.com');

      await A.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Precedence: 1 }));
      assert.equal((await B.cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group!.Precedence, 1);
      await A.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Username: 'ann' }));
      assert.deepEqual((await B.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ann' }))).Groups!.map((g) => g.GroupName), ['admins']);
      assert.deepEqual((await B.cognito.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Users!.map((u) => u.Username), ['ann']);

      await B.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
      assert.equal((await errorOf(A.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })))).name, 'ResourceNotFoundException');
    });

    test('a token from A works on B; GlobalSignOut on A rejects its access and refresh tokens on B at once; RevokeToken on B rejects the refresh token on A', async () => {
      const { poolId, clientId } = await poolOn(A);
      await userOn(A, poolId, 'bob');
      const refresh = (node: Node, REFRESH_TOKEN: string) => auth(node, clientId, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN });

      const first = await signIn(A, clientId, 'bob');
      assert.equal((await B.cognito.send(new GetUserCommand({ AccessToken: first.AccessToken }))).Username, 'bob');
      assert.ok((await refresh(B, first.RefreshToken!)).AuthenticationResult!.AccessToken, 'A’s refresh token refreshes on B');
      await A.cognito.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken }));
      assert.deepEqual(await errorOf(B.cognito.send(new GetUserCommand({ AccessToken: first.AccessToken }))), {
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
        status: 400,
      });
      assert.equal((await errorOf(refresh(B, first.RefreshToken!))).name, 'NotAuthorizedException', 'the refresh token too');

      const second = await signIn(B, clientId, 'bob');
      assert.equal((await A.cognito.send(new GetUserCommand({ AccessToken: second.AccessToken }))).Username, 'bob', 'signing in again works');
      await B.cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: second.RefreshToken }));
      assert.equal((await errorOf(refresh(A, second.RefreshToken!))).name, 'NotAuthorizedException');
      assert.equal((await errorOf(A.cognito.send(new GetUserCommand({ AccessToken: second.AccessToken })))).message, 'Access Token has been revoked');
    });

    test('the lockout counter is shared: five wrong passwords spread over A and B lock the user on both', async () => {
      const { poolId, clientId } = await poolOn(A);
      await userOn(A, poolId, 'lou');
      const nodes = [A, B, A, B, A];
      for (const node of nodes) assert.deepEqual(await errorOf(signIn(node, clientId, 'lou', 'Wrong-pass1')), WRONG, `a wrong password on ${node.name}`);
      // The fifth failure in a row locks for one second; neither node has seen five on its own.
      assert.deepEqual(await errorOf(signIn(B, clientId, 'lou')), LOCKED, 'locked on B');
      assert.deepEqual(await errorOf(signIn(A, clientId, 'lou')), LOCKED, 'locked on A');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.ok((await signIn(B, clientId, 'lou')).AccessToken, 'after the second the right password works');
    });

    test('one TOTP code answered on A and on B at the same moment signs in once', async () => {
      const { poolId, clientId } = await poolOn(A);
      await A.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      await userOn(A, poolId, 'tia');
      const { AccessToken } = await signIn(A, clientId, 'tia');
      const { SecretCode } = await A.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
      // The step before the one in use now, so the current code stays unspent for the sign-ins below
      // (clear of a step boundary, so "before" stays inside the ±1 window).
      const intoStep = Date.now() % 30_000;
      if (intoStep > 25_000) await new Promise((resolve) => setTimeout(resolve, 30_500 - intoStep));
      const codeAt = (ms: number) => authenticator.clone({ epoch: ms }).generate(SecretCode!);
      await B.cognito.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: codeAt(Date.now() - 30_000) }));
      await B.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const challenges = await Promise.all([A, B].map((node) => auth(node, clientId, 'USER_PASSWORD_AUTH', { USERNAME: 'tia', PASSWORD })));
      assert.deepEqual(challenges.map((c) => c.ChallengeName), ['SOFTWARE_TOKEN_MFA', 'SOFTWARE_TOKEN_MFA']);
      const code = codeAt(Date.now());
      const answers = await Promise.allSettled(
        [A, B].map((node, i) =>
          node.cognito.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: challenges[i]!.Session, ChallengeResponses: { USERNAME: 'tia', SOFTWARE_TOKEN_MFA_CODE: code } })),
        ),
      );
      const signedIn = answers.filter((a) => a.status === 'fulfilled' && a.value.AuthenticationResult?.AccessToken);
      const refused = answers.filter((a) => a.status === 'rejected').map((a) => (a as PromiseRejectedResult).reason.name);
      assert.equal(signedIn.length, 1, `exactly one sign-in with the code (refusals: ${refused.join(', ')})`);
      assert.deepEqual(refused, ['ExpiredCodeException'], 'the other answer finds the code spent');
    });

    test('a verification code sent by A is accepted by B (ForgotPassword on A, ConfirmForgotPassword on B)', async () => {
      const { poolId, clientId } = await poolOn(A, { AutoVerifiedAttributes: ['email'], AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] } });
      const email = `cy-${layout.a}@example.com`;
      await userOn(A, poolId, 'cy', { email, email_verified: 'true' });
      await A.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'cy' }));
      const { code, trigger } = await mailbox.next(email);
      assert.equal(trigger, 'CustomMessage_ForgotPassword');
      await B.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'cy', ConfirmationCode: code, Password: 'New-password1' }));
      assert.ok((await signIn(A, clientId, 'cy', 'New-password1')).AccessToken);
      const reused = await errorOf(A.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'cy', ConfirmationCode: code, Password: 'Newer-password1' })));
      assert.deepEqual(reused, { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.', status: 400 }, 'the code is used up on A too');
    });

    test('a NEW_PASSWORD_REQUIRED session started on A is answered on B, once', async () => {
      const { poolId, clientId } = await poolOn(A);
      await A.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'newbie', TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS' }));
      const challenge = await auth(A, clientId, 'USER_PASSWORD_AUTH', { USERNAME: 'newbie', PASSWORD: 'Temporary1!' });
      assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const answer = (node: Node) =>
        node.cognito.send(
          new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: 'newbie', NEW_PASSWORD: 'Brand-new1' } }),
        );
      assert.ok((await answer(B)).AuthenticationResult!.AccessToken);
      assert.deepEqual(await errorOf(answer(A)), { name: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.', status: 400 }, 'used up on A too');
    });

    test('an SRP challenge started on A is answered on B, once', async () => {
      const { poolId, clientId } = await poolOn(A);
      await userOn(A, poolId, 'sid');
      const srp = new SrpClient();
      const started = await auth(A, clientId, 'USER_SRP_AUTH', { USERNAME: 'sid', SRP_A: srp.srpA });
      assert.equal(started.ChallengeName, 'PASSWORD_VERIFIER');
      const params = started.ChallengeParameters as Record<string, string> & SrpChallenge;
      const answer = (node: Node) =>
        node.cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'PASSWORD_VERIFIER',
            ChallengeResponses: { USERNAME: params.USER_ID_FOR_SRP!, ...srp.claim(poolNameOf(poolId), params.USER_ID_FOR_SRP!, PASSWORD, params, srpTimestamp(Date.now())) },
          }),
        );
      const result = (await answer(B)).AuthenticationResult!;
      assert.equal((await A.cognito.send(new GetUserCommand({ AccessToken: result.AccessToken }))).Username, 'sid');
      assert.equal((await errorOf(answer(A))).name, 'NotAuthorizedException', 'the SECRET_BLOCK answers once across nodes');
    });

    test('a device confirmed on A authenticates on B (DEVICE_SRP_AUTH across the nodes, then a device refresh)', async () => {
      const { poolId, clientId } = await poolOn(A, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } });
      await userOn(A, poolId, 'dora');
      const first = await signIn(A, clientId, 'dora');
      const { DeviceKey, DeviceGroupKey } = first.NewDeviceMetadata!;
      const device = deviceVerifier(DeviceGroupKey!, DeviceKey!);
      await A.cognito.send(new ConfirmDeviceCommand({ AccessToken: first.AccessToken, DeviceKey, DeviceSecretVerifierConfig: device.config, DeviceName: 'laptop' }));

      const second = await auth(B, clientId, 'USER_PASSWORD_AUTH', { USERNAME: 'dora', PASSWORD, DEVICE_KEY: DeviceKey! });
      assert.equal(second.ChallengeName, 'DEVICE_SRP_AUTH', 'B knows the device A confirmed');
      const srp = new SrpClient();
      const verifier = await A.cognito.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'DEVICE_SRP_AUTH', Session: second.Session, ChallengeResponses: { USERNAME: 'dora', DEVICE_KEY: DeviceKey!, SRP_A: srp.srpA } }),
      );
      assert.equal(verifier.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
      const params = verifier.ChallengeParameters as Record<string, string> & SrpChallenge;
      const done = await B.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
          Session: verifier.Session,
          ChallengeResponses: { USERNAME: 'dora', DEVICE_KEY: DeviceKey!, ...srp.claim(DeviceGroupKey!, DeviceKey!, device.password, params, srpTimestamp(Date.now())) },
        }),
      );
      const tokens = done.AuthenticationResult!;
      assert.equal(tokens.NewDeviceMetadata, undefined, 'a remembered device, not a new one');
      assert.equal(JSON.parse(Buffer.from(tokens.AccessToken!.split('.')[1]!, 'base64url').toString()).device_key, DeviceKey);
      const refreshed = await auth(B, clientId, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: first.RefreshToken!, DEVICE_KEY: DeviceKey! });
      assert.ok(refreshed.AuthenticationResult!.AccessToken, 'A’s refresh token with the device key refreshes on B');
      const devices = (await B.cognito.send(new ListDevicesCommand({ AccessToken: tokens.AccessToken }))).Devices!;
      assert.deepEqual(devices.map((d) => d.DeviceKey), [DeviceKey]);
    });

    test('signing keys: tokens from A verify against B’s JWKS, which is A’s, kid for kid', async () => {
      const { poolId, clientId } = await poolOn(A);
      await userOn(A, poolId, 'kim');
      const tokens = await signIn(A, clientId, 'kim');
      const jwksOf = async (node: Node) => {
        const response = await fetch(`${node.url}/${poolId}/.well-known/jwks.json`);
        assert.equal(response.status, 200);
        return (await response.json()) as JSONWebKeySet;
      };
      const [jwksA, jwksB] = await Promise.all([jwksOf(A), jwksOf(B)]);
      assert.deepEqual(jwksB, jwksA);
      const keysOfB = createLocalJWKSet(jwksB);
      for (const token of [tokens.AccessToken!, tokens.IdToken!]) {
        const { kid } = decodeProtectedHeader(token);
        assert.ok(jwksB.keys.some((key) => key.kid === kid), `B publishes kid ${kid}`);
        const { payload } = await jwtVerify(token, keysOfB, { algorithms: ['RS256'] });
        assert.equal(payload.iss, `${PUBLIC_URL}/${poolId}`);
      }
      // And the other way: B signs with the same keys, so A accepts B's tokens.
      const fromB = await signIn(B, clientId, 'kim');
      assert.equal(decodeProtectedHeader(fromB.AccessToken!).kid, decodeProtectedHeader(tokens.AccessToken!).kid);
      await jwtVerify(fromB.AccessToken!, createLocalJWKSet(jwksA), { algorithms: ['RS256'] });
    });

    test('pagination tokens from one node continue on the other (ListUsers, ListUsersInGroup)', async () => {
      const { poolId } = await poolOn(A);
      await A.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'all' }));
      const names = ['u1', 'u2', 'u3', 'u4', 'u5'];
      for (const name of names) {
        await A.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS' }));
        await B.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'all', Username: name }));
      }
      const seen: string[] = [];
      let token: string | undefined;
      for (const node of [A, B, A]) {
        const page = await node.cognito.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 2, PaginationToken: token }));
        seen.push(...page.Users!.map((u) => u.Username!));
        token = page.PaginationToken;
      }
      assert.equal(token, undefined);
      assert.deepEqual([...seen].sort(), names);

      const members: string[] = [];
      let next: string | undefined;
      for (const node of [B, A, B]) {
        const page = await node.cognito.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'all', Limit: 2, NextToken: next }));
        members.push(...page.Users!.map((u) => u.Username!));
        next = page.NextToken;
      }
      assert.equal(next, undefined);
      assert.deepEqual([...members].sort(), names);
    });

    test('configuration changed on A is what B uses next: UpdateUserPool, UpdateUserPoolClient (the parse memo is harmless)', async () => {
      const { poolId, clientId } = await poolOn(A);
      await userOn(A, poolId, 'pat');
      const describeOnB = async () => (await B.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
      assert.equal((await describeOnB()).Policies!.PasswordPolicy!.MinimumLength, 8, 'B has parsed (and memoised) the pool');
      const setPassword = (Password: string) => B.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'pat', Password, Permanent: true }));
      await setPassword('Short-pw1!');

      await A.cognito.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
          UserPoolTags: { stage: 'two' },
        }),
      );
      const updated = await describeOnB();
      assert.equal(updated.Policies!.PasswordPolicy!.MinimumLength, 12);
      assert.deepEqual(updated.UserPoolTags, { stage: 'two' });
      assert.equal((await errorOf(setPassword('Short-pw1!'))).name, 'InvalidPasswordException', 'B enforces the new policy');
      await setPassword('Long-enough-pw1!');

      assert.ok(await signIn(B, clientId, 'pat', 'Long-enough-pw1!'));
      await A.cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
      const refused = await errorOf(signIn(B, clientId, 'pat', 'Long-enough-pw1!'));
      assert.equal(refused.name, 'InvalidParameterException', 'B no longer allows the flow A switched off');
    });

    test('the service endpoints of both nodes report the one database', async () => {
      for (const node of [A, B]) {
        assert.deepEqual(await (await fetch(`${node.url}/ready`)).json(), { status: 'ready' });
        assert.equal((await rawCall(node.url, 'ListUserPools', { MaxResults: 60 })).status, 200);
      }
      const [poolsA, poolsB] = await Promise.all([A, B].map(async (node) => (await rawCall(node.url, 'ListUserPools', { MaxResults: 60 })).body.UserPools.map((p: { Id: string }) => p.Id).sort()));
      assert.deepEqual(poolsB, poolsA);
    });

    test('AdminInitiateAuth on one node and GetUser on the other agree on the user (a smoke test across all four combinations)', async () => {
      const { poolId, clientId } = await poolOn(B);
      await userOn(B, poolId, 'eve');
      for (const [from, to] of [[A, A], [A, B], [B, A], [B, B]] as const) {
        const { AuthenticationResult } = await from.cognito.send(
          new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'eve', PASSWORD } }),
        );
        assert.equal((await to.cognito.send(new GetUserCommand({ AccessToken: AuthenticationResult!.AccessToken }))).Username, 'eve', `${from.name} → ${to.name}`);
      }
    });
  });
}
