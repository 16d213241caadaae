import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserSessionsCommand,
  AdminRevokeUserSessionCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GetUserPoolClientSessionConfigurationCommand,
  GetUserPoolSessionConfigurationCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUserSessionsCommand,
  RevokeUserSessionCommand,
  SetUserPoolClientSessionConfigurationCommand,
  SetUserPoolSessionConfigurationCommand,
  UpdateUserPoolCommand,
  UpdateUserPoolReplicaCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { FormClient } from './support/form-client.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const PASSWORD = 'Password1!';
const CALLBACK = 'https://app.example.com/callback';
const MINUTE = 60_000;

for (const backend of backends()) {
  describe(`session tracking (${backend})`, () => {
    let gh: TestGatehouse;
    let counter = 0;
    before(async () => {
      gh = await startTestGatehouse(backend);
    });
    after(() => gh.stop());

    const newPool = async (tier?: 'LITE' | 'ESSENTIALS' | 'PLUS') =>
      (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: `sessions-${++counter}`, ...(tier && { UserPoolTier: tier }) }))).UserPool!.Id!;
    const newClient = async (poolId: string, rotating = false) =>
      (
        await gh.cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: `app-${++counter}`,
            ExplicitAuthFlows: rotating ? ['ALLOW_USER_PASSWORD_AUTH'] : ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
            ...(rotating && { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } }),
          }),
        )
      ).UserPoolClient!.ClientId!;
    const newUser = async (poolId: string, username: string) => {
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    };
    const track = (poolId: string, MaxPerUser = 20, UserSessionTracking: 'ENABLED' | 'DISABLED' = 'ENABLED') =>
      gh.cognito.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking, TokenSession: { MaxPerUser } }));
    const signIn = async (clientId: string, username: string): Promise<AuthenticationResultType> =>
      (await gh.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }))).AuthenticationResult!;
    const refresh = (clientId: string, token: string) =>
      gh.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
    const rotate = async (clientId: string, token: string) =>
      (await gh.cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: token }))).AuthenticationResult!;
    const sessionsOf = async (accessToken: string) => (await gh.cognito.send(new ListUserSessionsCommand({ AccessToken: accessToken }))).Sessions!;
    const adminSessionsOf = async (poolId: string, username: string) => (await gh.cognito.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: username }))).Sessions!;

    test('the pool configuration: Cognito defaults, a full replacement that UpdateUserPool keeps, refused on the Lite plan', async () => {
      const poolId = await newPool();
      assert.deepEqual(await gh.cognito.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId })).then(({ $metadata: _, ...rest }) => rest), {
        UserPoolId: poolId,
        UserSessionTracking: 'DISABLED',
        TokenSession: { MaxPerUser: 20 },
      });
      const set = await track(poolId, 5);
      assert.deepEqual([set.UserPoolId, set.UserSessionTracking, set.TokenSession], [poolId, 'ENABLED', { MaxPerUser: 5 }]);
      await gh.cognito.send(new UpdateUserPoolCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF' }));
      const read = await gh.cognito.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }));
      assert.deepEqual([read.UserSessionTracking, read.TokenSession], ['ENABLED', { MaxPerUser: 5 }]);
      const described = (await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool as Record<string, unknown>;
      assert.equal(described.SessionConfiguration, undefined, 'not a field of UserPoolType');

      assert.equal((await errorOf(track(poolId, 101))).name, 'InvalidParameterException');
      assert.equal((await errorOf(track(poolId, 0))).name, 'InvalidParameterException');
      assert.equal((await errorOf(track(await newPool('LITE')))).name, 'FeatureUnavailableInTierException');
      assert.equal((await errorOf(gh.cognito.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: 'us-east-1_nothere00' })))).name, 'ResourceNotFoundException');
    });

    test('the client configuration: SSO sessions reused for 60 minutes by default, set per client', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      const read = () => gh.cognito.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }));
      const initial = await read();
      assert.deepEqual([initial.UserPoolId, initial.ClientId, initial.SSOSession], [poolId, clientId, { MaxValidityMinutes: 60 }]);
      const set = await gh.cognito.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: 0 } }));
      assert.deepEqual(set.SSOSession, { MaxValidityMinutes: 0 });
      assert.deepEqual((await read()).SSOSession, { MaxValidityMinutes: 0 });
      const missing = await errorOf(gh.cognito.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient' })));
      assert.equal(missing.name, 'ResourceNotFoundException');
      const tooLong = gh.cognito.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: 129601 } }));
      assert.equal((await errorOf(tooLong)).name, 'InvalidParameterException');
    });

    test('tracking off: no session records, so nothing to list or revoke', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      await newUser(poolId, 'untracked');
      const tokens = await signIn(clientId, 'untracked');
      await signIn(clientId, 'untracked');
      assert.deepEqual(await sessionsOf(tokens.AccessToken!), []);
      assert.deepEqual(await adminSessionsOf(poolId, 'untracked'), []);
      const revoke = await errorOf(gh.cognito.send(new RevokeUserSessionCommand({ AccessToken: tokens.AccessToken, SessionId: `tkn${'a'.repeat(25)}` })));
      assert.equal(revoke.name, 'ResourceNotFoundException');
    });

    test('two sign-ins are two sessions; revoking one ends its refresh and access tokens, the other goes on', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      await newUser(poolId, 'alice');
      await track(poolId);
      const first = await signIn(clientId, 'alice');
      gh.clock.advance(MINUTE);
      const second = await signIn(clientId, 'alice');

      const listed = await sessionsOf(first.AccessToken!);
      assert.equal(listed.length, 2);
      for (const session of listed) {
        assert.match(session.SessionId!, /^tkn[a-z0-9]{25}$/);
        assert.equal(session.SessionType, 'TOKEN');
        assert.equal(session.ClientId, clientId);
        assert.ok(session.CreateDate instanceof Date && session.LastActiveDate instanceof Date);
        assert.ok(session.LastIPAddress, 'the address the sign-in came from');
        assert.match(session.DeviceType!, /^aws-sdk-js-/);
      }
      assert.deepEqual(
        listed.map((session) => session.IsCurrentSession),
        [true, false],
        'oldest first; the calling token marks its own',
      );
      assert.equal(listed[1]!.CreateDate!.getTime() - listed[0]!.CreateDate!.getTime(), MINUTE);
      const [mine, other] = listed;
      const admin = await adminSessionsOf(poolId, 'alice');
      assert.deepEqual(
        admin.map((session) => [session.SessionId, session.IsCurrentSession]),
        [
          [mine!.SessionId, false],
          [other!.SessionId, false],
        ],
      );

      const own = await errorOf(gh.cognito.send(new RevokeUserSessionCommand({ AccessToken: first.AccessToken, SessionId: mine!.SessionId })));
      assert.equal(own.name, 'InvalidParameterException', 'the calling session cannot end itself');
      await gh.cognito.send(new RevokeUserSessionCommand({ AccessToken: first.AccessToken, SessionId: other!.SessionId }));
      assert.equal((await errorOf(refresh(clientId, second.RefreshToken!))).name, 'NotAuthorizedException');
      assert.equal((await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: second.AccessToken })))).message, 'Access Token has been revoked');
      assert.equal((await gh.cognito.send(new GetUserCommand({ AccessToken: first.AccessToken }))).Username, 'alice');
      assert.ok((await refresh(clientId, first.RefreshToken!)).AuthenticationResult?.AccessToken);
      assert.deepEqual((await sessionsOf(first.AccessToken!)).map((session) => session.SessionId), [mine!.SessionId]);
      const again = await errorOf(gh.cognito.send(new RevokeUserSessionCommand({ AccessToken: first.AccessToken, SessionId: other!.SessionId })));
      assert.equal(again.name, 'ResourceNotFoundException');

      await newUser(poolId, 'mallory');
      const wrongUser = gh.cognito.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'mallory', SessionId: mine!.SessionId }));
      assert.equal((await errorOf(wrongUser)).name, 'ResourceNotFoundException', "another user's session is not theirs to end");
      await gh.cognito.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'alice', SessionId: mine!.SessionId, RevokeAssociatedSessions: 'LINKED' }));
      assert.equal((await errorOf(refresh(clientId, first.RefreshToken!))).name, 'NotAuthorizedException');
      assert.equal((await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: first.AccessToken })))).message, 'Access Token has been revoked');
      assert.deepEqual(await adminSessionsOf(poolId, 'alice'), []);
    });

    test('a refresh is activity: LastActiveDate and the least recently used session gives way beyond MaxPerUser', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId, true);
      await newUser(poolId, 'bob');
      await track(poolId, 2);
      const a = await signIn(clientId, 'bob');
      gh.clock.advance(MINUTE);
      const b = await signIn(clientId, 'bob');
      gh.clock.advance(MINUTE);
      // A rotating refresh keeps the session: same id, later activity, and the new refresh token is the session's.
      const rotated = await rotate(clientId, a.RefreshToken!);
      const [sessionA, sessionB] = await adminSessionsOf(poolId, 'bob');
      assert.equal(sessionA!.LastActiveDate!.getTime() - sessionA!.CreateDate!.getTime(), 2 * MINUTE);
      assert.equal(sessionB!.LastActiveDate!.getTime(), sessionB!.CreateDate!.getTime());

      gh.clock.advance(MINUTE);
      const c = await signIn(clientId, 'bob');
      const remaining = await adminSessionsOf(poolId, 'bob');
      assert.equal(remaining.length, 2, 'never more than MaxPerUser');
      assert.equal(remaining[0]!.SessionId, sessionA!.SessionId, 'the recently refreshed session stays');
      assert.notEqual(remaining[1]!.SessionId, sessionB!.SessionId);
      assert.equal((await errorOf(rotate(clientId, b.RefreshToken!))).name, 'NotAuthorizedException', 'the evicted sign-in is over');
      assert.equal((await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: b.AccessToken })))).message, 'Access Token has been revoked');
      assert.ok((await rotate(clientId, rotated.RefreshToken!)).RefreshToken);
      assert.ok((await rotate(clientId, c.RefreshToken!)).RefreshToken);

      // Lowering the limit evicts nobody until the next sign-in, which brings the user back within it.
      await track(poolId, 1);
      assert.equal((await adminSessionsOf(poolId, 'bob')).length, 2);
      gh.clock.advance(MINUTE);
      const d = await signIn(clientId, 'bob');
      const last = await sessionsOf(d.AccessToken!);
      assert.deepEqual(last.map((session) => session.IsCurrentSession), [true]);

      // Turned off, the pool keeps no session records; the sign-in itself goes on, and is no session when tracking returns.
      await track(poolId, 20, 'DISABLED');
      assert.deepEqual(await sessionsOf(d.AccessToken!), []);
      assert.ok((await rotate(clientId, d.RefreshToken!)).AccessToken);
      await track(poolId, 20);
      assert.deepEqual(await adminSessionsOf(poolId, 'bob'), []);
    });

    test('a NUL in a string the model leaves unpatterned is InvalidParameterException, not a database error', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      await newUser(poolId, 'nul');
      await track(poolId, 2);
      const refusals = await Promise.all([
        errorOf(gh.cognito.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: 'nul', SessionId: 'tkn\u0000' }))),
        errorOf(gh.cognito.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: 'eu-west-1\u0000', Status: 'ACTIVE' }))),
        errorOf(
          gh.cognito.send(
            new AdminInitiateAuthCommand({
              UserPoolId: poolId,
              ClientId: clientId,
              AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
              AuthParameters: { USERNAME: 'nul', PASSWORD },
              ContextData: { IpAddress: '\u0000', ServerName: 'app', ServerPath: '/', HttpHeaders: [] },
            }),
          ),
        ),
      ]);
      for (const refusal of refusals) {
        assert.equal(refusal.name, 'InvalidParameterException');
        assert.match(refusal.message, /Member must not contain the NUL character/);
      }
    });

    test('sign-ins racing on one user never leave more than MaxPerUser sessions', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      await newUser(poolId, 'racer');
      await track(poolId, 2);
      const results = await Promise.all(Array.from({ length: 8 }, () => signIn(clientId, 'racer')));
      assert.equal(results.length, 8, 'every sign-in is answered');
      const sessions = await adminSessionsOf(poolId, 'racer');
      assert.ok(sessions.length <= 2, `${sessions.length} sessions live`);
      assert.ok(sessions.length >= 1);
    });

    test('sessions end with the tokens: global sign-out, and an expired refresh token', async () => {
      const poolId = await newPool();
      const clientId = await newClient(poolId);
      await newUser(poolId, 'carol');
      await track(poolId);
      const first = await signIn(clientId, 'carol');
      await signIn(clientId, 'carol');
      await gh.cognito.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken }));
      const fresh = await signIn(clientId, 'carol');
      assert.deepEqual((await sessionsOf(fresh.AccessToken!)).map((session) => session.IsCurrentSession), [true]);
      await gh.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'carol' }));
      assert.deepEqual(await adminSessionsOf(poolId, 'carol'), []);

      await signIn(clientId, 'carol');
      gh.clock.advance(31 * 24 * 60 * MINUTE);
      assert.deepEqual(await adminSessionsOf(poolId, 'carol'), [], 'a refresh token past its 30 days is no session');
    });

    test('the managed login: a code exchanged for tokens is a session; each client reuses the login session only as long as it allows', async () => {
      const poolId = await newPool();
      await newUser(poolId, 'dave');
      await track(poolId);
      const webClient = async () =>
        (
          await gh.cognito.send(
            new CreateUserPoolClientCommand({
              UserPoolId: poolId,
              ClientName: `web-${++counter}`,
              AllowedOAuthFlowsUserPoolClient: true,
              AllowedOAuthFlows: ['code'],
              AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
              CallbackURLs: [CALLBACK],
            }),
          )
        ).UserPoolClient!.ClientId!;
      const strict = await webClient();
      const lenient = await webClient();
      await gh.cognito.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: strict, SSOSession: { MaxValidityMinutes: 5 } }));
      const authorize = (clientId: string) => `${gh.url}/oauth2/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=${encodeURIComponent('openid aws.cognito.signin.user.admin')}`;

      const browser = new FormClient();
      const login = await browser.follow(authorize(strict), CALLBACK);
      const back = await browser.submit(login, { username: 'dave', password: PASSWORD });
      const code = new URL(back.location!).searchParams.get('code')!;
      const exchanged = await fetch(`${gh.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: strict, code, redirect_uri: CALLBACK }),
      });
      assert.equal(exchanged.status, 200);
      const tokens = (await exchanged.json()) as { access_token: string };
      const [session] = await sessionsOf(tokens.access_token);
      assert.deepEqual([session?.ClientId, session?.IsCurrentSession], [strict, true]);

      gh.clock.advance(6 * MINUTE);
      const strictAgain = await browser.follow(authorize(strict), CALLBACK);
      assert.match(strictAgain.body, /name="password"/, 'past its 5 minutes the client asks again');
      const lenientAgain = await browser.follow(authorize(lenient), CALLBACK);
      assert.ok(lenientAgain.location?.startsWith(`${CALLBACK}?code=`), 'another client within its 60 minutes signs the browser in');

      // With tracking off the client's setting lies dormant: the login session's hour is what counts.
      await track(poolId, 20, 'DISABLED');
      const dormant = await browser.follow(authorize(strict), CALLBACK);
      assert.ok(dormant.location?.startsWith(`${CALLBACK}?code=`));
    });
  });
}
