// SigV4 on the operations Cognito authorises with IAM: the SDK, hand-signed requests, the AWS CLI,
// boto3, and how `gatehouse serve` refuses to expose the admin operations without keys.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, databaseFor, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { run, serve, type ServerProcess } from './support/process.js';
import { assertCognitoError, protocolRequest, sendRaw, signRequest, type SigningOptions } from './support/raw-http.js';

const exec = promisify(execFile);

const KEY = { accessKeyId: 'AKIAGATEHOUSETEST01', secretAccessKey: 'gatehouse/test/secret/key/0123456789abcdef' };
const SECOND_KEY = { accessKeyId: 'AKIAGATEHOUSETEST02', secretAccessKey: 'second-secret-key-abcdefgh' };
const WRONG_SECRET = { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-the-secret-0000000000' };
const UNKNOWN_KEY = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: KEY.secretAccessKey };
const ACCESS_KEYS = [KEY, SECOND_KEY];

const SIGNATURE_MISMATCH = /^The request signature we calculated does not match the signature you provided/;
const BAD_TOKEN = 'The security token included in the request is invalid.';

function client(url: string, credentials: { accessKeyId: string; secretAccessKey: string }, region = 'us-east-1'): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint: url, region, credentials, maxAttempts: 1 });
}

async function poolNames(cognito: CognitoIdentityProviderClient): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
    names.push(...page.UserPools!.map((pool) => pool.Name!));
    NextToken = page.NextToken;
  } while (NextToken);
  return names;
}

describe('SigV4 with access keys configured', () => {
  let gh: TestGatehouse;
  let signed: CognitoIdentityProviderClient;
  let poolId: string;
  /** A hand-signed protocol request, by KEY unless told otherwise, dated by the server's clock. */
  const handSigned = (operation: string, body: unknown, options: Partial<SigningOptions> = {}) =>
    signRequest(gh.url, protocolRequest(gh.url, operation, body), { ...KEY, date: new Date(gh.clock.now()), ...options });
  const send = (request: Parameters<typeof sendRaw>[1]) => sendRaw(gh.url, request);

  before(async () => {
    gh = await startTestGatehouse('sqlite', { accessKeys: ACCESS_KEYS });
    signed = client(gh.url, KEY);
    poolId = (await signed.send(new CreateUserPoolCommand({ PoolName: 'signed' }))).UserPool!.Id!;
  });
  after(async () => {
    signed.destroy();
    await gh.stop();
  });

  test('the SDK with a configured key pair calls admin and pool-management operations', async () => {
    await signed.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ann', MessageAction: 'SUPPRESS' }));
    const { Users } = await signed.send(new ListUsersCommand({ UserPoolId: poolId }));
    assert.deepEqual(Users!.map((user) => user.Username), ['ann']);
    // Any configured key works, not only the first.
    const second = client(gh.url, SECOND_KEY);
    assert.ok((await poolNames(second)).includes('signed'));
    second.destroy();
  });

  test('a wrong secret is InvalidSignatureException; an unknown key id is UnrecognizedClientException', async () => {
    const wrong = client(gh.url, WRONG_SECRET);
    const badSignature = await errorOf(wrong.send(new ListUsersCommand({ UserPoolId: poolId })));
    assert.equal(badSignature.name, 'InvalidSignatureException');
    assert.match(badSignature.message, SIGNATURE_MISMATCH);
    assert.equal(badSignature.status, 400);
    wrong.destroy();

    const unknown = client(gh.url, UNKNOWN_KEY);
    const unrecognized = await errorOf(unknown.send(new ListUserPoolsCommand({ MaxResults: 5 })));
    assert.equal(unrecognized.name, 'UnrecognizedClientException');
    assert.equal(unrecognized.message, BAD_TOKEN);
    assert.equal(unrecognized.status, 400);
    unknown.destroy();
  });

  test('temporary credentials (a session token) are refused: the operator keys are long-term', async () => {
    const withToken = new CognitoIdentityProviderClient({ endpoint: gh.url, region: 'us-east-1', credentials: { ...KEY, sessionToken: 'FAKE-SESSION-TOKEN' }, maxAttempts: 1 });
    assert.deepEqual(await errorOf(withToken.send(new ListUserPoolsCommand({ MaxResults: 5 }))), { name: 'UnrecognizedClientException', message: BAD_TOKEN, status: 400 });
    withToken.destroy();
  });

  test('the newest IAM operations ask for the signature too', async () => {
    const unsigned = await send(protocolRequest(gh.url, 'GetLogDeliveryConfiguration', { UserPoolId: poolId }));
    assertCognitoError(unsigned, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    const signedAnswer = await send(await handSigned('GetLogDeliveryConfiguration', { UserPoolId: poolId }));
    assert.equal(signedAnswer.status, 200);
    assert.deepEqual(signedAnswer.json, { LogDeliveryConfiguration: { UserPoolId: poolId, LogConfigurations: [] } });
  });

  test('an unsigned admin call is MissingAuthenticationTokenException, in body and header', async () => {
    const answer = await send(protocolRequest(gh.url, 'AdminCreateUser', { UserPoolId: poolId, Username: 'unsigned' }));
    assertCognitoError(answer, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    assert.equal(answer.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException:');
    // Authentication comes before input validation: an invalid input is still only "not signed".
    const invalid = await send(protocolRequest(gh.url, 'AdminCreateUser', { UserPoolId: 42 }));
    assertCognitoError(invalid, 'MissingAuthenticationTokenException');
    const garbage = await send(protocolRequest(gh.url, 'CreateUserPool', '{"PoolName":'));
    assertCognitoError(garbage, 'MissingAuthenticationTokenException');
  });

  test('a hand-signed request (the SDK signer, with or without x-amz-content-sha256) is accepted', async () => {
    const plain = await send(await handSigned('ListUserPools', { MaxResults: 5 }));
    assert.equal(plain.status, 200, plain.text);
    assert.ok(Array.isArray(plain.json.UserPools));
    const withHash = await send(await handSigned('ListUserPools', { MaxResults: 5 }, { contentHashHeader: true }));
    assert.equal(withHash.status, 200, withHash.text);
    // Up to 5 minutes of skew either way is fine.
    const early = await send(await handSigned('ListUserPools', { MaxResults: 5 }, { date: new Date(gh.clock.now() - 4 * 60_000) }));
    assert.equal(early.status, 200, early.text);
    const late = await send(await handSigned('ListUserPools', { MaxResults: 5 }, { date: new Date(gh.clock.now() + 4 * 60_000) }));
    assert.equal(late.status, 200, late.text);
  });

  test('a signature 6 minutes old has expired; one 6 minutes ahead is not yet current', async () => {
    const stale = await send(await handSigned('ListUserPools', { MaxResults: 5 }, { date: new Date(gh.clock.now() - 6 * 60_000) }));
    assertCognitoError(stale, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/);
    const future = await send(await handSigned('ListUserPools', { MaxResults: 5 }, { date: new Date(gh.clock.now() + 6 * 60_000) }));
    assertCognitoError(future, 'InvalidSignatureException', /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z/);
  });

  test('a body altered after signing is refused, by signature or by x-amz-content-sha256', async () => {
    const request = await handSigned('CreateUserPool', { PoolName: 'signed-body' });
    const altered = await send({ ...request, body: JSON.stringify({ PoolName: 'altered-body' }) });
    assertCognitoError(altered, 'InvalidSignatureException', SIGNATURE_MISMATCH);

    const hashed = await handSigned('CreateUserPool', { PoolName: 'signed-body' }, { contentHashHeader: true });
    assert.ok(hashed.headers['x-amz-content-sha256'], 'the signer sent the payload hash');
    const alteredHashed = await send({ ...hashed, body: JSON.stringify({ PoolName: 'altered-hashed' }) });
    assertCognitoError(alteredHashed, 'InvalidSignatureException');

    // A payload hash header that does not match the body, although it was signed as sent.
    const otherHash = createHash('sha256').update('something else').digest('hex');
    const mismatched = await signRequest(gh.url, protocolRequest(gh.url, 'CreateUserPool', { PoolName: 'mismatched-hash' }, { 'x-amz-content-sha256': otherHash }), {
      ...KEY,
      date: new Date(gh.clock.now()),
    });
    assertCognitoError(await send(mismatched), 'InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed.');

    const names = await poolNames(signed);
    for (const name of ['altered-body', 'altered-hashed', 'mismatched-hash']) assert.ok(!names.includes(name), `${name} was not created`);
  });

  test('an X-Amz-Target altered after signing is refused, and the other operation does not run', async () => {
    const victim = (await signed.send(new CreateUserPoolCommand({ PoolName: 'retargeted' }))).UserPool!.Id!;
    const describe = await handSigned('DescribeUserPool', { UserPoolId: victim });
    assert.equal((await send(describe)).status, 200);
    const retargeted = await send({ ...describe, headers: { ...describe.headers, 'x-amz-target': 'AWSCognitoIdentityProviderService.DeleteUserPool' } });
    assertCognitoError(retargeted, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    assert.ok((await poolNames(signed)).includes('retargeted'), 'the pool was not deleted');
  });

  test('a signature that leaves X-Amz-Target out is refused, so it cannot be replayed as another operation', async () => {
    const request = await signRequest(gh.url, protocolRequest(gh.url, 'ListUserPools', { MaxResults: 5 }), {
      ...KEY,
      date: new Date(gh.clock.now()),
      unsignedHeaders: ['x-amz-target'],
    });
    assert.ok(!String(request.headers.authorization).includes('x-amz-target'), 'the signer left the target out');
    assertCognitoError(await send(request), 'InvalidSignatureException', "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
  });

  test('any region in the credential scope is accepted; another service is not', async () => {
    for (const region of ['eu-west-1', 'ap-southeast-2', 'us-gov-west-1']) {
      const answer = await send(await handSigned('ListUserPools', { MaxResults: 5 }, { region }));
      assert.equal(answer.status, 200, `${region}: ${answer.text}`);
    }
    const otherRegionSdk = client(gh.url, KEY, 'eu-west-1');
    assert.ok((await poolNames(otherRegionSdk)).includes('signed'));
    otherRegionSdk.destroy();
    const otherService = await send(await handSigned('ListUserPools', { MaxResults: 5 }, { service: 'cognito-identity' }));
    assertCognitoError(otherService, 'InvalidSignatureException', /scoped to correct service/);
  });

  test('malformed Authorization headers are IncompleteSignatureException', async () => {
    const base = protocolRequest(gh.url, 'ListUserPools', { MaxResults: 5 });
    for (const authorization of ['Bearer abc', 'AWS4-HMAC-SHA256', `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/20240101/us-east-1/cognito-idp/aws4_request`]) {
      const answer = await send({ ...base, headers: { ...base.headers, authorization } });
      assertCognitoError(answer, 'IncompleteSignatureException');
    }
    // A well-formed header without X-Amz-Date.
    const request = await handSigned('ListUserPools', { MaxResults: 5 });
    const { 'x-amz-date': _date, ...noDate } = request.headers;
    assertCognitoError(await send({ ...request, headers: noDate }), 'IncompleteSignatureException');
  });

  test('nothing is done when authentication fails', async () => {
    const wrong = client(gh.url, WRONG_SECRET);
    const unknown = client(gh.url, UNKNOWN_KEY);
    assert.equal((await errorOf(wrong.send(new CreateUserPoolCommand({ PoolName: 'bad-signature' })))).name, 'InvalidSignatureException');
    assert.equal((await errorOf(unknown.send(new CreateUserPoolCommand({ PoolName: 'unknown-key' })))).name, 'UnrecognizedClientException');
    assertCognitoError(await send(protocolRequest(gh.url, 'CreateUserPool', { PoolName: 'unsigned' })), 'MissingAuthenticationTokenException');
    const stale = await handSigned('CreateUserPool', { PoolName: 'stale' }, { date: new Date(gh.clock.now() - 6 * 60_000) });
    assertCognitoError(await send(stale), 'InvalidSignatureException', /^Signature expired/);
    const names = await poolNames(signed);
    for (const name of ['bad-signature', 'unknown-key', 'unsigned', 'stale']) assert.ok(!names.includes(name), `no pool ${name}`);

    await signed.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'keep-me', MessageAction: 'SUPPRESS' }));
    assert.equal((await errorOf(wrong.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'keep-me' })))).name, 'InvalidSignatureException');
    assert.equal((await signed.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'keep-me' }))).Username, 'keep-me');
    wrong.destroy();
    unknown.destroy();
  });

  test('public and access-token operations need no signature (and ignore a bad one)', async () => {
    const { UserPoolClient } = await signed.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'public', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    const clientId = UserPoolClient!.ClientId!;
    const signUp = await send(protocolRequest(gh.url, 'SignUp', { ClientId: clientId, Username: 'bob', Password: 'Password1!' }));
    assert.equal(signUp.status, 200, signUp.text);
    assert.ok(signUp.json.UserSub);
    await signed.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'bob' }));
    const initiate = await send(protocolRequest(gh.url, 'InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Password1!' } }));
    assert.equal(initiate.status, 200, initiate.text);
    const accessToken = initiate.json.AuthenticationResult.AccessToken;
    const getUser = await send(protocolRequest(gh.url, 'GetUser', { AccessToken: accessToken }));
    assert.equal(getUser.status, 200, getUser.text);
    assert.equal(getUser.json.Username, 'bob');

    // The SDK sends these unsigned even with credentials, so wrong credentials change nothing.
    const wrong = client(gh.url, WRONG_SECRET);
    await wrong.send(new SignUpCommand({ ClientId: clientId, Username: 'carol', Password: 'Password1!' }));
    const auth = await wrong.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Password1!' } }));
    assert.equal((await wrong.send(new GetUserCommand({ AccessToken: auth.AuthenticationResult!.AccessToken! }))).Username, 'bob');
    wrong.destroy();
    // And a hand-made wrong signature on a public operation is not checked either.
    const badlySigned = await handSigned('GetUser', { AccessToken: accessToken }, WRONG_SECRET);
    assert.equal((await send(badlySigned)).status, 200);
  });
});

describe('SigV4 on every backend', () => {
  for (const backend of backends()) {
    test(`signed calls work and unsigned ones are refused (${backend})`, async () => {
      const gh = await startTestGatehouse(backend, { accessKeys: [KEY] });
      try {
        const cognito = client(gh.url, KEY);
        await cognito.send(new CreateUserPoolCommand({ PoolName: `on-${backend}` }));
        assert.deepEqual(await poolNames(cognito), [`on-${backend}`]);
        cognito.destroy();
        const unsigned = await sendRaw(gh.url, protocolRequest(gh.url, 'CreateUserPool', { PoolName: 'unsigned' }));
        assertCognitoError(unsigned, 'MissingAuthenticationTokenException');
        const wrong = client(gh.url, WRONG_SECRET);
        assert.equal((await errorOf(wrong.send(new CreateUserPoolCommand({ PoolName: 'wrong' })))).name, 'InvalidSignatureException');
        wrong.destroy();
        const again = client(gh.url, KEY);
        assert.deepEqual(await poolNames(again), [`on-${backend}`], 'the refused calls created nothing');
        again.destroy();
      } finally {
        await gh.stop();
      }
    });
  }
});

describe('SigV4 through the AWS CLI and boto3', () => {
  let gh: TestGatehouse;
  let hasCli = false;
  let hasBoto3 = false;
  // No profile, config file or instance metadata can lend the tools other credentials.
  const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _defaultProfile, AWS_SESSION_TOKEN: _token, ...inherited } = process.env;
  const toolEnv = (key: { accessKeyId: string; secretAccessKey: string }) => ({
    ...inherited,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
  });
  const available = async (command: string, args: string[]) => {
    try {
      await exec(command, args, { timeout: 20_000 });
      return true;
    } catch {
      return false;
    }
  };

  before(async () => {
    gh = await startTestGatehouse('sqlite', { accessKeys: [KEY] });
    const cognito = client(gh.url, KEY);
    await cognito.send(new CreateUserPoolCommand({ PoolName: 'for-tools' }));
    cognito.destroy();
    [hasCli, hasBoto3] = await Promise.all([available('aws', ['--version']), available('python3', ['-c', 'import boto3'])]);
  });
  after(() => gh.stop());

  test('aws cognito-idp list-user-pools works with the right keys and fails with wrong ones', async (t) => {
    if (!hasCli) return t.skip('aws CLI not installed');
    const listPools = (key: { accessKeyId: string; secretAccessKey: string }) =>
      exec('aws', ['cognito-idp', 'list-user-pools', '--max-results', '5', '--endpoint-url', gh.url, '--region', 'eu-west-1', '--output', 'json'], {
        env: toolEnv(key),
        timeout: 30_000,
      });
    const [right, wrong, unknown] = await Promise.allSettled([listPools(KEY), listPools(WRONG_SECRET), listPools(UNKNOWN_KEY)]);
    assert.equal(right.status, 'fulfilled', right.status === 'rejected' ? String(right.reason) : '');
    assert.deepEqual(JSON.parse((right as PromiseFulfilledResult<{ stdout: string }>).value.stdout).UserPools.map((p: { Name: string }) => p.Name), ['for-tools']);
    for (const [result, type] of [
      [wrong, 'InvalidSignatureException'],
      [unknown, 'UnrecognizedClientException'],
    ] as const) {
      assert.equal(result.status, 'rejected', `${type}: the command failed`);
      const error = (result as PromiseRejectedResult).reason as Error & { code?: number; stderr?: string; killed?: boolean };
      assert.equal(error.killed, false, 'the command finished in time');
      assert.notEqual(error.code, 0);
      assert.match(error.stderr ?? '', new RegExp(`\\(${type}\\)`));
    }
  });

  test('boto3 works with the right keys and raises the AWS error classes with wrong ones', async (t) => {
    if (!hasBoto3) return t.skip('boto3 not installed');
    const script = `
import boto3, json, sys
from botocore.config import Config
from botocore.exceptions import ClientError
url, key_id, secret, wrong_secret, unknown_id = sys.argv[1:6]
def make(k, s):
    return boto3.client('cognito-idp', endpoint_url=url, region_name='eu-west-1', aws_access_key_id=k, aws_secret_access_key=s,
                        config=Config(retries={'total_max_attempts': 1}, connect_timeout=5, read_timeout=10))
def code(k, s):
    try:
        make(k, s).list_user_pools(MaxResults=5)
        return None
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
right = make(key_id, secret)
created = right.create_user_pool(PoolName='from-boto3')['UserPool']['Id']
names = sorted(p['Name'] for p in right.list_user_pools(MaxResults=10)['UserPools'])
print(json.dumps({'created': created, 'names': names, 'wrong': code(key_id, wrong_secret), 'unknown': code(unknown_id, secret)}))
`;
    const { stdout } = await exec('python3', ['-c', script, gh.url, KEY.accessKeyId, KEY.secretAccessKey, WRONG_SECRET.secretAccessKey, UNKNOWN_KEY.accessKeyId], {
      env: toolEnv(KEY),
      timeout: 30_000,
    });
    const result = JSON.parse(stdout);
    assert.match(result.created, /^us-east-1_/);
    assert.deepEqual(result.names, ['for-tools', 'from-boto3']);
    assert.deepEqual(result.wrong, ['InvalidSignatureException', 400]);
    assert.deepEqual(result.unknown, ['UnrecognizedClientException', 400]);
  });
});

describe('gatehouse serve: exposure without keys', () => {
  const noKeys = { GATEHOUSE_ACCESS_KEY_ID: '', GATEHOUSE_SECRET_ACCESS_KEY: '' };
  const stop = async (server: ServerProcess) => {
    server.child.kill('SIGTERM');
    await server.exited;
  };

  test('a non-loopback host without keys is refused; --allow-unauthenticated or keys let it start', async () => {
    const { database, cleanup } = await databaseFor('sqlite');
    try {
      const [refused, halfKey] = await Promise.all([
        run(['serve', '--port', '0', '--host', '0.0.0.0', '--db', database, '--workers', '1'], noKeys),
        run(['serve', '--port', '0', '--db', database, '--workers', '1'], { GATEHOUSE_ACCESS_KEY_ID: KEY.accessKeyId, GATEHOUSE_SECRET_ACCESS_KEY: '' }),
      ]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /refusing to serve on 0\.0\.0\.0 without access keys/);
      assert.match(refused.stderr, /GATEHOUSE_ACCESS_KEY_ID/);
      assert.match(refused.stderr, /--allow-unauthenticated/);
      assert.equal(halfKey.code, 1);
      assert.match(halfKey.stderr, /set both GATEHOUSE_ACCESS_KEY_ID and GATEHOUSE_SECRET_ACCESS_KEY/);

      const open = await serve(['--host', '0.0.0.0', '--db', database, '--workers', '1', '--allow-unauthenticated'], noKeys);
      assert.match(open.output(), /no access keys configured: development mode.*on 0\.0\.0\.0, allowed by --allow-unauthenticated/);
      const anything = await sendRaw(open.url, protocolRequest(open.url, 'ListUserPools', { MaxResults: 5 }));
      assert.equal(anything.status, 200, 'unsigned admin calls are accepted, as the operator chose');
      await stop(open);

      const keyed = await serve(['--host', '0.0.0.0', '--db', database, '--workers', '1'], { GATEHOUSE_ACCESS_KEY_ID: KEY.accessKeyId, GATEHOUSE_SECRET_ACCESS_KEY: KEY.secretAccessKey });
      try {
        assert.doesNotMatch(keyed.output(), /development mode/);
        const cognito = client(keyed.url, KEY);
        await cognito.send(new CreateUserPoolCommand({ PoolName: 'over-the-network' }));
        assert.deepEqual(await poolNames(cognito), ['over-the-network']);
        cognito.destroy();
        const wrong = client(keyed.url, WRONG_SECRET);
        assert.equal((await errorOf(wrong.send(new ListUserPoolsCommand({ MaxResults: 5 })))).name, 'InvalidSignatureException');
        wrong.destroy();
        assertCognitoError(await sendRaw(keyed.url, protocolRequest(keyed.url, 'ListUserPools', { MaxResults: 5 })), 'MissingAuthenticationTokenException');
      } finally {
        await stop(keyed);
      }
    } finally {
      await cleanup();
    }
  });

  test('on loopback without keys it starts in development mode and says so', async () => {
    const { database, cleanup } = await databaseFor('sqlite');
    try {
      const server = await serve(['--db', database, '--workers', '1'], noKeys);
      assert.match(server.output(), /no access keys configured: development mode, Admin\* and pool-management operations accept any signature \(only on 127\.0\.0\.1\)/);
      const unsigned = await sendRaw(server.url, protocolRequest(server.url, 'ListUserPools', { MaxResults: 5 }));
      assert.equal(unsigned.status, 200);
      await stop(server);
    } finally {
      await cleanup();
    }
  });
});
