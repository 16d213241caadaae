import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

describe('abuse limits', () => {
  let gatehouse: TestGatehouse;
  before(async () => {
    gatehouse = await startTestGatehouse('sqlite', { rateLimits: { perPoolPerOperation: 0, operations: { ListUsers: 2 } } });
  });
  after(() => gatehouse.stop());

  test('a pool over its per-operation rate gets TooManyRequestsException (429), other pools and operations do not', async () => {
    const pool = async (name: string) => (await gatehouse.call('CreateUserPool', { PoolName: name })).body.UserPool.Id as string;
    const [a, b] = [await pool('limited-a'), await pool('limited-b')];
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await gatehouse.call('ListUsers', { UserPoolId: a })).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const throttled = await gatehouse.call('ListUsers', { UserPoolId: a });
    assert.equal(throttled.body.__type, 'TooManyRequestsException');
    assert.equal(throttled.headers.get('x-amzn-errortype'), 'TooManyRequestsException:');
    assert.equal((await gatehouse.call('ListUsers', { UserPoolId: b })).status, 200);
    assert.equal((await gatehouse.call('DescribeUserPool', { UserPoolId: a })).status, 200);
    gatehouse.clock.advance(600);
    assert.equal((await gatehouse.call('ListUsers', { UserPoolId: a })).status, 200, 'the budget refills');
  });

  test('deeply nested JSON is refused before it is parsed', async () => {
    const deep = `{"UserPoolId":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const response = await gatehouse.call('DescribeUserPool', deep);
    assert.equal(response.status, 400);
    assert.equal(response.body.__type, 'SerializationException');
    const brackets = await gatehouse.call('CreateUserPool', { PoolName: 'brackets', UserPoolTags: { deep: '[['.repeat(100) } });
    assert.equal(brackets.status, 200, 'brackets inside strings do not count');
  });
});

for (const backend of backends()) {
  describe(`per-user attempt limits (${backend})`, () => {
    let gatehouse: TestGatehouse;
    let clientId: string;
    before(async () => {
      gatehouse = await startTestGatehouse(backend);
      const pool = await gatehouse.call('CreateUserPool', { PoolName: 'attempts', AutoVerifiedAttributes: ['email'] });
      const client = await gatehouse.call('CreateUserPoolClient', {
        UserPoolId: pool.body.UserPool.Id,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      });
      clientId = client.body.UserPoolClient.ClientId;
    });
    after(() => gatehouse.stop());

    const signUp = (name: string) =>
      gatehouse.call('SignUp', { ClientId: clientId, Username: name, Password: 'Password1!', UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }] });
    const resend = (name: string) => gatehouse.call('ResendConfirmationCode', { ClientId: clientId, Username: name });

    // Raw calls: the SDKs retry LimitExceededException, and each retry would count as an attempt.
    test('a sixth code resend within the hour is LimitExceededException; other users are unaffected; the hour resets it', async () => {
      await signUp('resender');
      await signUp('bystander');
      for (let i = 0; i < 5; i++) assert.equal((await resend('resender')).status, 200, `resend ${i + 1}`);
      const refused = await resend('resender');
      assert.equal(refused.status, 400);
      assert.equal(refused.body.__type, 'LimitExceededException');
      assert.equal(refused.body.message, 'Attempt limit exceeded, please try after some time.');
      assert.equal((await resend('bystander')).status, 200);
      gatehouse.clock.advance(3_600_000);
      assert.equal((await resend('resender')).status, 200, 'a new hour, a new budget');
    });

    test('ForgotPassword: ten code requests an hour for one user, then LimitExceededException', async () => {
      await signUp('forgetful');
      const poolId = (await gatehouse.call('ListUserPools', { MaxResults: 60 })).body.UserPools.find((p: { Name: string }) => p.Name === 'attempts').Id;
      await gatehouse.call('AdminConfirmSignUp', { UserPoolId: poolId, Username: 'forgetful' });
      await gatehouse.call('AdminUpdateUserAttributes', { UserPoolId: poolId, Username: 'forgetful', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] });
      const forgot = () => gatehouse.call('ForgotPassword', { ClientId: clientId, Username: 'forgetful' });
      for (let i = 0; i < 10; i++) assert.equal((await forgot()).status, 200, `request ${i + 1}`);
      const eleventh = await forgot();
      assert.deepEqual([eleventh.status, eleventh.body.__type], [400, 'LimitExceededException']);
    });

    test('ChangePassword: five tries an hour, wrong or right; the sixth is refused even with the right password', async () => {
      await signUp('changer');
      const poolId = (await gatehouse.call('ListUserPools', { MaxResults: 60 })).body.UserPools.find((p: { Name: string }) => p.Name === 'attempts').Id;
      await gatehouse.call('AdminConfirmSignUp', { UserPoolId: poolId, Username: 'changer' });
      const signIn = async () =>
        (await gatehouse.call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'changer', PASSWORD: 'Password1!' } })).body
          .AuthenticationResult.AccessToken as string;
      const change = (AccessToken: string, PreviousPassword: string) => gatehouse.call('ChangePassword', { AccessToken, PreviousPassword, ProposedPassword: 'Password2!' });
      const token = await signIn();
      // Proposals the policy refuses are answered before the current password is checked, and cost no attempt.
      for (const weak of ['short', 'alllowercase1!', 'NoDigits!!', 'NoSymbols123']) {
        assert.equal((await gatehouse.call('ChangePassword', { AccessToken: token, PreviousPassword: 'Password1!', ProposedPassword: weak })).body.__type, 'InvalidPasswordException');
      }
      for (let i = 0; i < 5; i++) assert.equal((await change(token, 'Wrong1!x')).body.__type, 'NotAuthorizedException');
      const sixth = await change(token, 'Password1!');
      assert.equal(sixth.status, 400);
      assert.equal(sixth.body.__type, 'LimitExceededException');
      gatehouse.clock.advance(3_600_000);
      assert.equal((await change(await signIn(), 'Password1!')).status, 200, 'a new hour, a new budget');
    });
  });
}
