// USER_SRP_AUTH and remembered devices at the protocol level: the client's SRP is computed here
// (test/support/srp-client.ts, plain BigInt), seed 004 is replayed over raw HTTP with the device
// verifier made by amazon-cognito-identity-js, and the Devices API is checked as a user sees it.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminListDevicesCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateDeviceStatusCommand,
  ChangePasswordCommand,
  ConfirmDeviceCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgetDeviceCommand,
  ForgotPasswordCommand,
  GetDeviceCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateDeviceStatusCommand,
  type AuthenticationResultType,
  type CreateUserPoolClientCommandInput,
  type DeviceConfigurationType,
  type DeviceType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type RawResponse, type TestGatehouse } from './support/gatehouse.js';
import { libraryDeviceVerifier } from './support/identity-js.js';
import { deviceVerifier, k, N, poolNameOf, SrpClient, srpTimestamp } from './support/srp-client.js';
import { deliverTo, startMailbox, type Mailbox } from './support/webhook.js';

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
const secretHash = (secret: string, username: string, clientId: string) => createHmac('sha256', secret).update(username + clientId).digest('base64');
const attributesOf = (device: DeviceType) => Object.fromEntries(device.DeviceAttributes!.map((a) => [a.Name!, a.Value!]));

function assertRawError(response: RawResponse, type: string, message: string): void {
  assert.equal(response.status, 400, JSON.stringify(response.body));
  assert.deepEqual({ type: response.body.__type, message: response.body.message }, { type, message });
}

test('the test client computes the k the reference gives (its math is not the server’s)', () => {
  assert.equal(k.toString(16).padStart(64, '0'), '538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');
  assert.equal(srpTimestamp(Date.UTC(2024, 2, 5, 9, 7, 2)), 'Tue Mar 5 09:07:02 UTC 2024');
  assert.equal(srpTimestamp(Date.UTC(2024, 2, 5, 9, 7, 2), { padDay: true }), 'Tue Mar 05 09:07:02 UTC 2024');
});

for (const backend of backends()) {
  describe(`USER_SRP_AUTH (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    let poolId: string;
    let poolName: string;
    let clientId: string;
    before(async () => {
      mailbox = await startMailbox();
      gh = await startTestGatehouse(backend, deliverTo(mailbox));
      poolId = (
        await gh.cognito.send(
          new CreateUserPoolCommand({
            PoolName: 'srp',
            AliasAttributes: ['email'],
            AutoVerifiedAttributes: ['email'],
            AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
          }),
        )
      ).UserPool!.Id!;
      poolName = poolNameOf(poolId);
      clientId = (await newClient()).ClientId!;
    });
    after(async () => {
      await gh.stop();
      await mailbox.close();
    });

    const ALL_FLOWS: CreateUserPoolClientCommandInput['ExplicitAuthFlows'] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
    const newClient = async (input: Partial<CreateUserPoolClientCommandInput> = {}) =>
      (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ExplicitAuthFlows: ALL_FLOWS, ...input }))).UserPoolClient!;
    const newUser = async (username: string, password = 'Password1!') => {
      await gh.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
        }),
      );
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
    };

    /** Step 1: InitiateAuth USER_SRP_AUTH with a fresh SRP_A. */
    const start = async (USERNAME: string, options: { client?: string; extra?: Record<string, string> } = {}) => {
      const srp = new SrpClient();
      const challenge = await gh.cognito.send(
        new InitiateAuthCommand({ ClientId: options.client ?? clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srp.srpA, ...options.extra } }),
      );
      return { srp, challenge, params: challenge.ChallengeParameters as Record<string, string> & { SALT: string; SRP_B: string; SECRET_BLOCK: string } };
    };
    /** Step 2: the PASSWORD_VERIFIER proof, signed over USER_ID_FOR_SRP, at the server's time unless told otherwise. */
    const answer = (
      started: Awaited<ReturnType<typeof start>>,
      password: string,
      options: { client?: string; timestamp?: string; extra?: Record<string, string> } = {},
    ) => {
      const userId = started.params.USER_ID_FOR_SRP!;
      const timestamp = options.timestamp ?? srpTimestamp(gh.clock.now());
      return gh.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: options.client ?? clientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: { USERNAME: userId, ...started.srp.claim(poolName, userId, password, started.params, timestamp), ...options.extra },
          ...(started.challenge.Session && { Session: started.challenge.Session }),
        }),
      );
    };
    const srpSignIn = async (username: string, password: string) => (await answer(await start(username), password)).AuthenticationResult!;
    const passwordSignIn = (USERNAME: string, PASSWORD: string) =>
      gh.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
    const WRONG = { name: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 };

    test('the PASSWORD_VERIFIER challenge and a proof computed independently give tokens', async () => {
      await newUser('sid');
      const started = await start('sid');
      assert.equal(started.challenge.ChallengeName, 'PASSWORD_VERIFIER');
      assert.deepEqual(Object.keys(started.params).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
      assert.equal(started.params.USER_ID_FOR_SRP, 'sid');
      assert.equal(started.params.USERNAME, 'sid');
      assert.match(started.params.SALT, /^[0-9a-f]+$/);
      assert.match(started.params.SRP_B, /^[0-9a-f]+$/);
      assert.notEqual(BigInt(`0x${started.params.SRP_B}`) % N, 0n);
      assert.match(started.params.SECRET_BLOCK, /^[A-Za-z0-9+/]+=*$/);

      const result = (await answer(started, 'Password1!')).AuthenticationResult!;
      assert.equal(result.TokenType, 'Bearer');
      assert.equal(result.ExpiresIn, 3600);
      assert.ok(result.AccessToken && result.IdToken && result.RefreshToken);
      assert.equal(result.NewDeviceMetadata, undefined, 'this pool does not track devices');
      assert.equal(decode(result.AccessToken!).username, 'sid');
      assert.equal((await gh.cognito.send(new GetUserCommand({ AccessToken: result.AccessToken }))).Username, 'sid');

      const again = await start('sid');
      assert.equal(again.params.SALT, started.params.SALT, 'the salt belongs to the password');
      assert.notEqual(again.params.SRP_B, started.params.SRP_B);
      assert.notEqual(again.params.SECRET_BLOCK, started.params.SECRET_BLOCK);
      assert.deepEqual(await errorOf(answer(again, 'Password2!')), WRONG, 'a wrong password');
    });

    test('wrong proofs count towards the lockout that USER_PASSWORD_AUTH shares', async () => {
      await newUser('lou');
      for (let i = 0; i < 5; i++) assert.deepEqual(await errorOf(answer(await start('lou'), 'Wrong-pass1')), WRONG);
      const exceeded = { name: 'NotAuthorizedException', message: 'Password attempts exceeded', status: 400 };
      assert.deepEqual(await errorOf(answer(await start('lou'), 'Password1!')), exceeded, 'SRP is locked');
      assert.deepEqual(await errorOf(passwordSignIn('lou', 'Password1!')), exceeded, 'and so is USER_PASSWORD_AUTH');
      gh.clock.advance(1100);
      assert.ok((await answer(await start('lou'), 'Password1!')).AuthenticationResult, 'after a second the right proof works');

      await newUser('mix');
      for (let i = 0; i < 3; i++) assert.deepEqual(await errorOf(passwordSignIn('mix', 'Wrong-pass1')), WRONG);
      for (let i = 0; i < 2; i++) assert.deepEqual(await errorOf(answer(await start('mix'), 'Wrong-pass1')), WRONG);
      assert.deepEqual(await errorOf(answer(await start('mix'), 'Password1!')), exceeded, 'three password failures and two SRP failures make five');
      gh.clock.advance(1100);
    });

    test('TIMESTAMP: a zero-padded day, a wrong weekday or a distant time is refused', async () => {
      await newUser('tim');
      const saved = gh.clock.now();
      const tuesday = Date.UTC(2024, 2, 5, 9, 7, 2); // Tue Mar 5, a one-digit day
      gh.clock.set(tuesday);
      try {
        assert.deepEqual(await errorOf(answer(await start('tim'), 'Password1!', { timestamp: srpTimestamp(tuesday, { padDay: true }) })), WRONG, 'Mar 05');
        assert.deepEqual(await errorOf(answer(await start('tim'), 'Password1!', { timestamp: srpTimestamp(tuesday, { weekdayShift: 1 }) })), WRONG, 'Wed Mar 5');
        assert.deepEqual(await errorOf(answer(await start('tim'), 'Password1!', { timestamp: srpTimestamp(tuesday + 10 * 60_000) })), WRONG, 'ten minutes off');
        const ok = await answer(await start('tim'), 'Password1!', { timestamp: 'Tue Mar 5 09:07:02 UTC 2024' });
        assert.ok(ok.AuthenticationResult!.AccessToken, 'the same moment written correctly');
      } finally {
        gh.clock.set(saved);
      }
    });

    test('a SECRET_BLOCK answers once, and only to the client it was issued through', async () => {
      await newUser('sam');
      const started = await start('sam');
      assert.ok((await answer(started, 'Password1!')).AuthenticationResult);
      assert.equal((await errorOf(answer(started, 'Password1!'))).name, 'NotAuthorizedException', 'replayed');

      const guessed = await start('sam');
      assert.deepEqual(await errorOf(answer(guessed, 'Wrong-pass1')), WRONG);
      assert.equal((await errorOf(answer(guessed, 'Password1!'))).name, 'NotAuthorizedException', 'a wrong guess uses the challenge up');

      const other = await newClient();
      const elsewhere = await start('sam');
      assert.equal((await errorOf(answer(elsewhere, 'Password1!', { client: other.ClientId! }))).name, 'NotAuthorizedException');

      await newUser('sly');
      const someoneElses = await start('sly');
      const asSam = { ...someoneElses, params: { ...someoneElses.params, USER_ID_FOR_SRP: 'sam' } };
      assert.equal((await errorOf(answer(asSam, 'Password1!'))).name, 'NotAuthorizedException', 'another user’s SECRET_BLOCK');

      const slow = await start('sam');
      gh.clock.advance(4 * 60_000);
      assert.equal((await errorOf(answer(slow, 'Password1!'))).name, 'NotAuthorizedException', 'answered after the session validity (3 min)');
    });

    test('a client without ALLOW_USER_SRP_AUTH refuses the flow; SRP_A of 0 or a multiple of N is invalid', async () => {
      await newUser('ada');
      const noSrp = await newClient({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      assert.equal((await errorOf(start('ada', { client: noSrp.ClientId! }))).name, 'InvalidParameterException');
      const noSrpAdmin = await errorOf(
        gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: noSrp.ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'ada', SRP_A: new SrpClient().srpA } })),
      );
      assert.equal(noSrpAdmin.name, 'InvalidParameterException');
      for (const SRP_A of ['0', '00', N.toString(16), (2n * N).toString(16)]) {
        const refused = await errorOf(gh.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'ada', SRP_A } })));
        assert.equal(refused.name, 'InvalidParameterException', `SRP_A = ${SRP_A.slice(0, 8)}…`);
      }
    });

    test('signing in by email alias: USER_ID_FOR_SRP is the stored username', async () => {
      await newUser('eve');
      const started = await start('eve@example.com');
      assert.equal(started.params.USER_ID_FOR_SRP, 'eve');
      assert.equal(started.params.USERNAME, 'eve');
      const result = (await answer(started, 'Password1!')).AuthenticationResult!;
      assert.equal(decode(result.AccessToken!).username, 'eve');
    });

    test('an unknown user: UserNotFoundException, or with PreventUserExistenceErrors a challenge that cannot be won', async () => {
      assert.deepEqual(await errorOf(start('nobody')), { name: 'UserNotFoundException', message: 'User does not exist.', status: 400 });

      const quiet = (await newClient({ PreventUserExistenceErrors: 'ENABLED' })).ClientId!;
      const first = await start('ghost', { client: quiet });
      const second = await start('ghost', { client: quiet });
      assert.equal(first.challenge.ChallengeName, 'PASSWORD_VERIFIER');
      assert.deepEqual(Object.keys(first.params).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
      assert.equal(first.params.USER_ID_FOR_SRP, 'ghost');
      assert.match(first.params.SALT, /^[0-9a-f]+$/);
      assert.equal(second.params.SALT, first.params.SALT, 'the salt is stable, as a real user’s is');
      assert.notEqual(second.params.SRP_B, first.params.SRP_B);
      assert.deepEqual(await errorOf(answer(first, 'Password1!', { client: quiet })), WRONG);
      assert.notEqual((await start('ghost2', { client: quiet })).params.SALT, first.params.SALT, 'each name has its own salt');

      await newUser('real');
      assert.deepEqual(await errorOf(answer(await start('real', { client: quiet }), 'Wrong-pass1', { client: quiet })), WRONG, 'as a wrong password of a real user');
    });

    test('SECRET_HASH: over the typed name at InitiateAuth, over USER_ID_FOR_SRP in the answer', async () => {
      const withSecret = await newClient({ GenerateSecret: true });
      const id = withSecret.ClientId!;
      const hash = (name: string) => secretHash(withSecret.ClientSecret!, name, id);
      await newUser('hal');
      const unable = { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${id}`, status: 400 };
      assert.deepEqual(await errorOf(start('hal@example.com', { client: id })), unable);

      const typed = { client: id, extra: { SECRET_HASH: hash('hal@example.com') } };
      const missing = await start('hal@example.com', typed);
      assert.equal(missing.params.USER_ID_FOR_SRP, 'hal');
      assert.deepEqual(await errorOf(answer(missing, 'Password1!', { client: id })), unable, 'no SECRET_HASH in the answer');
      const overTyped = await start('hal@example.com', typed);
      assert.deepEqual(await errorOf(answer(overTyped, 'Password1!', { client: id, extra: { SECRET_HASH: hash('hal@example.com') } })), unable, 'hash over the typed email');
      const right = await start('hal@example.com', typed);
      const result = (await answer(right, 'Password1!', { client: id, extra: { SECRET_HASH: hash('hal') } })).AuthenticationResult!;
      assert.equal(decode(result.AccessToken!).username, 'hal');
    });

    test('AdminInitiateAuth and AdminRespondToAuthChallenge with SRP', async () => {
      await newUser('adm');
      const srp = new SrpClient();
      const challenge = await gh.cognito.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'adm@example.com', SRP_A: srp.srpA } }),
      );
      assert.equal(challenge.ChallengeName, 'PASSWORD_VERIFIER');
      const params = challenge.ChallengeParameters as Record<string, string> & { SALT: string; SRP_B: string; SECRET_BLOCK: string };
      assert.equal(params.USER_ID_FOR_SRP, 'adm');
      const respond = (password: string) =>
        gh.cognito.send(
          new AdminRespondToAuthChallengeCommand({
            UserPoolId: poolId,
            ClientId: clientId,
            ChallengeName: 'PASSWORD_VERIFIER',
            ChallengeResponses: { USERNAME: 'adm', ...srp.claim(poolName, 'adm', password, params, srpTimestamp(gh.clock.now())) },
            ...(challenge.Session && { Session: challenge.Session }),
          }),
        );
      const result = (await respond('Password1!')).AuthenticationResult!;
      assert.ok(result.AccessToken && result.IdToken && result.RefreshToken);
      assert.equal(decode(result.IdToken!)['cognito:username'], 'adm');
    });

    test('a FORCE_CHANGE_PASSWORD user: SRP with the temporary password, NEW_PASSWORD_REQUIRED, then tokens', async () => {
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'fay', TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS' }));
      const proven = await answer(await start('fay'), 'Temporary1!');
      assert.equal(proven.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      assert.ok(proven.Session);
      assert.equal(proven.ChallengeParameters!.USER_ID_FOR_SRP, 'fay');
      assert.deepEqual(JSON.parse(proven.ChallengeParameters!.requiredAttributes!), []);
      const done = await gh.cognito.send(
        new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: proven.Session, ChallengeResponses: { USERNAME: 'fay', NEW_PASSWORD: 'Brand-new1' } }),
      );
      assert.ok(done.AuthenticationResult!.AccessToken);
      assert.ok(await srpSignIn('fay', 'Brand-new1'), 'SRP knows the new password');
      assert.deepEqual(await errorOf(answer(await start('fay'), 'Temporary1!')), WRONG, 'and no longer the temporary one');
    });

    test('SRP follows every way a password is set', async () => {
      // AdminSetUserPassword, permanent, replacing an earlier one
      await newUser('pat', 'First-pass1');
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'pat', Password: 'Second-pass1', Permanent: true }));
      assert.deepEqual(await errorOf(answer(await start('pat'), 'First-pass1')), WRONG);
      const session = await srpSignIn('pat', 'Second-pass1');

      // ChangePassword
      await gh.cognito.send(new ChangePasswordCommand({ AccessToken: session.AccessToken, PreviousPassword: 'Second-pass1', ProposedPassword: 'Third-pass1' }));
      assert.deepEqual(await errorOf(answer(await start('pat'), 'Second-pass1')), WRONG);
      assert.ok(await srpSignIn('pat', 'Third-pass1'));

      // ForgotPassword + ConfirmForgotPassword with the mailed code
      await gh.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'pat' }));
      const { code } = await mailbox.next('pat@example.com');
      await gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'pat', ConfirmationCode: code, Password: 'Fourth-pass1' }));
      assert.deepEqual(await errorOf(answer(await start('pat'), 'Third-pass1')), WRONG);
      assert.ok(await srpSignIn('pat', 'Fourth-pass1'));

      // AdminSetUserPassword, temporary: a NEW_PASSWORD_REQUIRED after the proof
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'pat', Password: 'Fifth-pass1', Permanent: false }));
      assert.equal((await answer(await start('pat'), 'Fifth-pass1')).ChallengeName, 'NEW_PASSWORD_REQUIRED');

      // SignUp + AdminConfirmSignUp, in a pool whose usernames are emails: USER_ID_FOR_SRP is the sub
      const emailPool = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'srp-email', UsernameAttributes: ['email'] }))).UserPool!.Id!;
      const emailClient = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: emailPool, ClientName: 'c', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })))
        .UserPoolClient!.ClientId!;
      const { UserSub } = await gh.cognito.send(new SignUpCommand({ ClientId: emailClient, Username: 'una@example.com', Password: 'Signed-up1' }));
      await gh.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: emailPool, Username: 'una@example.com' }));
      const srp = new SrpClient();
      const challenge = await gh.cognito.send(new InitiateAuthCommand({ ClientId: emailClient, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'una@example.com', SRP_A: srp.srpA } }));
      const params = challenge.ChallengeParameters as Record<string, string> & { SALT: string; SRP_B: string; SECRET_BLOCK: string };
      assert.equal(params.USER_ID_FOR_SRP, UserSub);
      const signedUp = await gh.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: emailClient,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: { USERNAME: UserSub!, ...srp.claim(poolNameOf(emailPool), UserSub!, 'Signed-up1', params, srpTimestamp(gh.clock.now())) },
        }),
      );
      assert.equal(decode(signedUp.AuthenticationResult!.IdToken!).email, 'una@example.com');
    });
  });

  describe(`remembered devices (${backend})`, () => {
    let gh: TestGatehouse;
    let poolId: string;
    let clientId: string;
    const REMEMBER_ALWAYS: DeviceConfigurationType = { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false };
    before(async () => {
      gh = await startTestGatehouse(backend);
      ({ poolId, clientId } = await trackingPool('devices', REMEMBER_ALWAYS));
    });
    after(() => gh.stop());

    async function trackingPool(PoolName: string, DeviceConfiguration?: DeviceConfigurationType) {
      const id = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName, ...(DeviceConfiguration && { DeviceConfiguration }) }))).UserPool!.Id!;
      const client = await gh.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      );
      return { poolId: id, clientId: client.UserPoolClient!.ClientId! };
    }
    const newUser = async (username: string, pool = poolId) => {
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: username, MessageAction: 'SUPPRESS' }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: username, Password: 'Password1!', Permanent: true }));
    };
    const signIn = (USERNAME: string, options: { client?: string; deviceKey?: string } = {}): Promise<InitiateAuthCommandOutput> =>
      gh.cognito.send(
        new InitiateAuthCommand({
          ClientId: options.client ?? clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME, PASSWORD: 'Password1!', ...(options.deviceKey && { DEVICE_KEY: options.deviceKey }) },
        }),
      );
    const refresh = (REFRESH_TOKEN: string, DEVICE_KEY?: string, client = clientId) =>
      gh.cognito.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN, ...(DEVICE_KEY && { DEVICE_KEY }) } }));
    /** A sign-in on a tracking pool and the ConfirmDevice that follows it, with this test's own verifier. */
    const rememberedSignIn = async (username: string, options: { client?: string; name?: string } = {}) => {
      const result = (await signIn(username, options)).AuthenticationResult!;
      const { DeviceKey, DeviceGroupKey } = result.NewDeviceMetadata!;
      const device = deviceVerifier(DeviceGroupKey!, DeviceKey!);
      const confirmed = await gh.cognito.send(
        new ConfirmDeviceCommand({ AccessToken: result.AccessToken, DeviceKey, DeviceSecretVerifierConfig: device.config, ...(options.name && { DeviceName: options.name }) }),
      );
      return { result, deviceKey: DeviceKey!, groupKey: DeviceGroupKey!, password: device.password, confirmed };
    };
    /** DEVICE_SRP_AUTH answered, then DEVICE_PASSWORD_VERIFIER answered with the device's secret. */
    const proveDevice = async (username: string, deviceChallenge: { Session?: string }, device: { deviceKey: string; groupKey: string; password: string }) => {
      const srp = new SrpClient();
      const verifier = await gh.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_SRP_AUTH',
          Session: deviceChallenge.Session,
          ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.deviceKey, SRP_A: srp.srpA },
        }),
      );
      assert.equal(verifier.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
      const params = verifier.ChallengeParameters as Record<string, string> & { SALT: string; SRP_B: string; SECRET_BLOCK: string };
      return gh.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
          Session: verifier.Session,
          ChallengeResponses: {
            USERNAME: username,
            DEVICE_KEY: device.deviceKey,
            ...srp.claim(device.groupKey, device.deviceKey, device.password, params, srpTimestamp(gh.clock.now())),
          },
        }),
      );
    };

    test('seed 004 over raw HTTP: no refresh without the confirmed device, then refresh with DEVICE_KEY; the device’s SRP on the next sign-in', async () => {
      await newUser('yuki');
      // ① InitiateAuth USER_PASSWORD_AUTH
      const first = await gh.call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'yuki', PASSWORD: 'Password1!' } });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(Object.keys(first.body).sort(), ['AuthenticationResult', 'ChallengeParameters']);
      assert.deepEqual(first.body.ChallengeParameters, {});
      const result = first.body.AuthenticationResult;
      assert.deepEqual(Object.keys(result).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'NewDeviceMetadata', 'RefreshToken', 'TokenType']);
      assert.equal(result.ExpiresIn, 3600);
      assert.equal(result.TokenType, 'Bearer');
      assert.deepEqual(Object.keys(result.NewDeviceMetadata).sort(), ['DeviceGroupKey', 'DeviceKey']);
      const { DeviceKey, DeviceGroupKey } = result.NewDeviceMetadata as { DeviceKey: string; DeviceGroupKey: string };
      assert.match(DeviceKey, /^us-east-1_[0-9a-f-]{36}$/);
      assert.equal(typeof DeviceGroupKey, 'string');
      assert.ok(DeviceGroupKey.length > 0);

      // The refresh the seed shows failing: device tracking is on and the device is not confirmed.
      const refreshBody = (extra: Record<string, string> = {}) => ({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: result.RefreshToken, ...extra } });
      assertRawError(await gh.call('InitiateAuth', refreshBody()), 'NotAuthorizedException', 'Invalid Refresh Token');
      assertRawError(await gh.call('InitiateAuth', refreshBody({ DEVICE_KEY: DeviceKey })), 'NotAuthorizedException', 'Invalid Refresh Token');

      // ② ConfirmDevice, the verifier made as amazon-cognito-identity-js's CognitoUser.js makes it
      const device = await libraryDeviceVerifier(poolNameOf(poolId), DeviceGroupKey, DeviceKey);
      const confirmed = await gh.call('ConfirmDevice', { AccessToken: result.AccessToken, DeviceKey, DeviceSecretVerifierConfig: device.config });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.deepEqual(confirmed.body, { UserConfirmationNecessary: false });

      // ③ REFRESH_TOKEN_AUTH with DEVICE_KEY: new access and ID tokens, no refresh token
      assertRawError(await gh.call('InitiateAuth', refreshBody()), 'NotAuthorizedException', 'Invalid Refresh Token');
      const refreshed = await gh.call('InitiateAuth', refreshBody({ DEVICE_KEY: DeviceKey }));
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.deepEqual(refreshed.body.ChallengeParameters, {});
      assert.deepEqual(Object.keys(refreshed.body.AuthenticationResult).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'TokenType']);
      assert.equal(refreshed.body.AuthenticationResult.ExpiresIn, 3600);
      assert.equal(refreshed.body.AuthenticationResult.TokenType, 'Bearer');
      assert.notEqual(refreshed.body.AuthenticationResult.AccessToken, result.AccessToken);
      assert.equal(decode(refreshed.body.AuthenticationResult.AccessToken).device_key, DeviceKey);
      assert.equal(decode(refreshed.body.AuthenticationResult.AccessToken).username, 'yuki');

      // The next sign-in names the device: it proves itself with its secret (DEVICE_SRP_AUTH).
      const second = await gh.call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'yuki', PASSWORD: 'Password1!', DEVICE_KEY: DeviceKey } });
      assert.equal(second.status, 200, JSON.stringify(second.body));
      assert.equal(second.body.ChallengeName, 'DEVICE_SRP_AUTH');
      assert.equal(second.body.AuthenticationResult, undefined);
      assert.equal(typeof second.body.Session, 'string');
      const srp = new SrpClient();
      const verifier = await gh.call('RespondToAuthChallenge', {
        ClientId: clientId,
        ChallengeName: 'DEVICE_SRP_AUTH',
        Session: second.body.Session,
        ChallengeResponses: { USERNAME: 'yuki', DEVICE_KEY: DeviceKey, SRP_A: srp.srpA },
      });
      assert.equal(verifier.status, 200, JSON.stringify(verifier.body));
      assert.equal(verifier.body.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
      const params = verifier.body.ChallengeParameters;
      assert.equal(params.SALT, Buffer.from(device.config.Salt, 'base64').toString('hex'), 'the salt ConfirmDevice stored');
      assert.match(params.SRP_B, /^[0-9a-f]+$/);
      const done = await gh.call('RespondToAuthChallenge', {
        ClientId: clientId,
        ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
        Session: verifier.body.Session,
        ChallengeResponses: { USERNAME: 'yuki', DEVICE_KEY: DeviceKey, ...srp.claim(DeviceGroupKey, DeviceKey, device.password, params, srpTimestamp(gh.clock.now())) },
      });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(Object.keys(done.body.AuthenticationResult).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'RefreshToken', 'TokenType'], 'no NewDeviceMetadata');
      assert.equal(decode(done.body.AuthenticationResult.AccessToken).device_key, DeviceKey);
      const again = await gh.call('InitiateAuth', { ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: done.body.AuthenticationResult.RefreshToken, DEVICE_KEY: DeviceKey } });
      assert.equal(again.status, 200, JSON.stringify(again.body));
    });

    test('USER_SRP_AUTH naming the device: password proof, then the device’s proof; a wrong device secret fails', async () => {
      await newUser('sora');
      const device = await rememberedSignIn('sora');
      const poolName = poolNameOf(poolId);
      const viaSrp = async (devicePassword: string) => {
        const srp = new SrpClient();
        const challenge = await gh.cognito.send(
          new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'sora', SRP_A: srp.srpA, DEVICE_KEY: device.deviceKey } }),
        );
        const params = challenge.ChallengeParameters as Record<string, string> & { SALT: string; SRP_B: string; SECRET_BLOCK: string };
        const proven = await gh.cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'PASSWORD_VERIFIER',
            ChallengeResponses: { USERNAME: 'sora', DEVICE_KEY: device.deviceKey, ...srp.claim(poolName, 'sora', 'Password1!', params, srpTimestamp(gh.clock.now())) },
          }),
        );
        assert.equal(proven.ChallengeName, 'DEVICE_SRP_AUTH');
        return proveDevice('sora', proven, { ...device, password: devicePassword });
      };
      const result = (await viaSrp(device.password)).AuthenticationResult!;
      assert.equal(result.NewDeviceMetadata, undefined);
      assert.equal(decode(result.AccessToken!).device_key, device.deviceKey);
      const wrong = await errorOf(viaSrp('not-the-device-secret'));
      assert.deepEqual(wrong, { name: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 });
    });

    test('GetDevice / AdminGetDevice attributes; UpdateDeviceStatus and its Admin form; ListDevices shows remembered devices', async () => {
      await newUser('dora');
      const created = gh.clock.now();
      const device = await rememberedSignIn('dora', { name: 'Dora’s laptop' });
      assert.deepEqual(device.confirmed.UserConfirmationNecessary, false);
      const accessToken = device.result.AccessToken!;
      const get = async () => (await gh.cognito.send(new GetDeviceCommand({ AccessToken: accessToken, DeviceKey: device.deviceKey }))).Device!;

      const seen = await get();
      assert.equal(seen.DeviceKey, device.deviceKey);
      const attributes = attributesOf(seen);
      assert.equal(attributes.device_name, 'Dora’s laptop');
      assert.equal(attributes['dev:device_remembered_status'], 'remembered');
      assert.equal(attributes.last_ip_used, '127.0.0.1');
      assert.equal(seen.DeviceCreateDate!.getTime(), created);
      assert.ok(seen.DeviceLastModifiedDate!.getTime() >= created);
      assert.equal(seen.DeviceLastAuthenticatedDate!.getTime(), created);
      const admin = (await gh.cognito.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'dora', DeviceKey: device.deviceKey }))).Device!;
      assert.deepEqual(admin, seen);

      const listed = async () => (await gh.cognito.send(new ListDevicesCommand({ AccessToken: accessToken }))).Devices!.map((d) => d.DeviceKey);
      assert.deepEqual(await listed(), [device.deviceKey]);

      gh.clock.advance(5000);
      await gh.cognito.send(new UpdateDeviceStatusCommand({ AccessToken: accessToken, DeviceKey: device.deviceKey, DeviceRememberedStatus: 'not_remembered' }));
      const forgottenByUser = await get();
      assert.equal(attributesOf(forgottenByUser)['dev:device_remembered_status'], 'not_remembered');
      assert.equal(forgottenByUser.DeviceLastModifiedDate!.getTime(), created + 5000);
      assert.deepEqual(await listed(), [], 'a device that is not remembered is not listed');
      assert.deepEqual((await gh.cognito.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'dora' }))).Devices, []);

      await gh.cognito.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'dora', DeviceKey: device.deviceKey, DeviceRememberedStatus: 'remembered' }));
      assert.equal(attributesOf(await get())['dev:device_remembered_status'], 'remembered');
      assert.deepEqual(await listed(), [device.deviceKey]);

      gh.clock.advance(60_000);
      const challenge = await signIn('dora', { deviceKey: device.deviceKey });
      assert.equal(challenge.ChallengeName, 'DEVICE_SRP_AUTH');
      await proveDevice('dora', challenge, device);
      assert.equal((await get()).DeviceLastAuthenticatedDate!.getTime(), created + 65_000, 'a device sign-in is recorded');
    });

    test('DeviceOnlyRememberedOnUserPrompt: ConfirmDevice says the user must choose; remembered only once they do', async () => {
      const prompt = await trackingPool('prompt', { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true });
      await newUser('pia', prompt.poolId);
      const device = await rememberedSignIn('pia', { client: prompt.clientId });
      assert.equal(device.confirmed.UserConfirmationNecessary, true);
      const accessToken = device.result.AccessToken!;
      assert.deepEqual((await gh.cognito.send(new ListDevicesCommand({ AccessToken: accessToken }))).Devices, []);
      const before = (await gh.cognito.send(new GetDeviceCommand({ AccessToken: accessToken, DeviceKey: device.deviceKey }))).Device!;
      assert.equal(attributesOf(before)['dev:device_remembered_status'], 'not_remembered');
      await gh.cognito.send(new UpdateDeviceStatusCommand({ AccessToken: accessToken, DeviceKey: device.deviceKey, DeviceRememberedStatus: 'remembered' }));
      assert.deepEqual((await gh.cognito.send(new ListDevicesCommand({ AccessToken: accessToken }))).Devices!.map((d) => d.DeviceKey), [device.deviceKey]);
    });

    test('AdminListDevices and ListDevices page with Limit', async () => {
      await newUser('paige');
      const keys: string[] = [];
      let accessToken = '';
      for (let i = 0; i < 3; i++) {
        const device = await rememberedSignIn('paige', { name: `device ${i}` });
        keys.push(device.deviceKey);
        accessToken = device.result.AccessToken!;
      }
      const page1 = await gh.cognito.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'paige', Limit: 2 }));
      assert.equal(page1.Devices!.length, 2);
      assert.ok(page1.PaginationToken);
      const page2 = await gh.cognito.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'paige', Limit: 2, PaginationToken: page1.PaginationToken }));
      assert.equal(page2.Devices!.length, 1);
      assert.equal(page2.PaginationToken, undefined);
      assert.deepEqual([...page1.Devices!, ...page2.Devices!].map((d) => d.DeviceKey).sort(), [...keys].sort());

      const own1 = await gh.cognito.send(new ListDevicesCommand({ AccessToken: accessToken, Limit: 1 }));
      assert.equal(own1.Devices!.length, 1);
      const own2 = await gh.cognito.send(new ListDevicesCommand({ AccessToken: accessToken, Limit: 5, PaginationToken: own1.PaginationToken }));
      assert.equal(own2.PaginationToken, undefined);
      assert.deepEqual([...own1.Devices!, ...own2.Devices!].map((d) => d.DeviceKey).sort(), [...keys].sort());
      assert.equal((await gh.cognito.send(new ListDevicesCommand({ AccessToken: accessToken }))).Devices!.length, 3);
    });

    test('ForgetDevice and AdminForgetDevice: the device is gone, and so is refreshing with it', async () => {
      await newUser('fern');
      const one = await rememberedSignIn('fern');
      const two = await rememberedSignIn('fern');
      assert.ok((await refresh(one.result.RefreshToken!, one.deviceKey)).AuthenticationResult, 'refresh works before');
      await gh.cognito.send(new ForgetDeviceCommand({ AccessToken: one.result.AccessToken, DeviceKey: one.deviceKey }));
      const gone = await errorOf(gh.cognito.send(new GetDeviceCommand({ AccessToken: two.result.AccessToken, DeviceKey: one.deviceKey })));
      assert.equal(gone.name, 'ResourceNotFoundException');
      assert.deepEqual(await errorOf(refresh(one.result.RefreshToken!, one.deviceKey)), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token', status: 400 });
      assert.deepEqual((await gh.cognito.send(new ListDevicesCommand({ AccessToken: two.result.AccessToken }))).Devices!.map((d) => d.DeviceKey), [two.deviceKey]);
      assert.equal((await errorOf(gh.cognito.send(new ForgetDeviceCommand({ AccessToken: two.result.AccessToken, DeviceKey: one.deviceKey })))).name, 'ResourceNotFoundException');

      await gh.cognito.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'fern', DeviceKey: two.deviceKey }));
      assert.equal((await errorOf(gh.cognito.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'fern', DeviceKey: two.deviceKey })))).name, 'ResourceNotFoundException');
      assert.deepEqual((await gh.cognito.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'fern' }))).Devices, []);
      assert.equal((await errorOf(refresh(two.result.RefreshToken!, two.deviceKey))).message, 'Invalid Refresh Token');

      const fresh = (await signIn('fern')).AuthenticationResult!.NewDeviceMetadata!;
      assert.ok(![one.deviceKey, two.deviceKey].includes(fresh.DeviceKey!), 'the next sign-in gets a new device key');
    });

    test('another user’s device key does not exist for this user', async () => {
      await newUser('ann');
      await newUser('ben');
      const anns = await rememberedSignIn('ann');
      const bens = await rememberedSignIn('ben');
      const benToken = bens.result.AccessToken!;
      const notFound = async (call: Promise<unknown>, what: string) => assert.equal((await errorOf(call)).name, 'ResourceNotFoundException', what);
      await notFound(gh.cognito.send(new GetDeviceCommand({ AccessToken: benToken, DeviceKey: anns.deviceKey })), 'GetDevice');
      await notFound(gh.cognito.send(new UpdateDeviceStatusCommand({ AccessToken: benToken, DeviceKey: anns.deviceKey, DeviceRememberedStatus: 'not_remembered' })), 'UpdateDeviceStatus');
      await notFound(gh.cognito.send(new ForgetDeviceCommand({ AccessToken: benToken, DeviceKey: anns.deviceKey })), 'ForgetDevice');
      await notFound(
        gh.cognito.send(new ConfirmDeviceCommand({ AccessToken: benToken, DeviceKey: anns.deviceKey, DeviceSecretVerifierConfig: deviceVerifier(anns.groupKey, anns.deviceKey).config })),
        'ConfirmDevice',
      );
      await notFound(gh.cognito.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'ben', DeviceKey: anns.deviceKey })), 'AdminGetDevice');
      await notFound(gh.cognito.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'ben', DeviceKey: anns.deviceKey })), 'AdminForgetDevice');
      assert.equal((await errorOf(refresh(bens.result.RefreshToken!, anns.deviceKey))).message, 'Invalid Refresh Token');

      const still = (await gh.cognito.send(new GetDeviceCommand({ AccessToken: anns.result.AccessToken, DeviceKey: anns.deviceKey }))).Device!;
      assert.equal(attributesOf(still)['dev:device_remembered_status'], 'remembered', 'Ann’s device is untouched');
      assert.ok((await refresh(anns.result.RefreshToken!, anns.deviceKey)).AuthenticationResult);
    });

    test('a pool without DeviceConfiguration issues no device, and refreshes without DEVICE_KEY', async () => {
      const plain = await trackingPool('untracked');
      await newUser('una', plain.poolId);
      const result = (await signIn('una', { client: plain.clientId })).AuthenticationResult!;
      assert.equal(result.NewDeviceMetadata, undefined);
      assert.equal(decode(result.AccessToken!).device_key, undefined);
      const refreshed = (await refresh(result.RefreshToken!, undefined, plain.clientId)).AuthenticationResult!;
      assert.ok(refreshed.AccessToken && refreshed.IdToken);
      assert.equal(refreshed.RefreshToken, undefined);
    });

    test('GetTokensFromRefreshToken needs the DeviceKey of a token issued to a tracked device', async () => {
      await newUser('gus');
      const device = await rememberedSignIn('gus');
      const other = await rememberedSignIn('gus');
      const tokens = (DeviceKey?: string) =>
        gh.cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: device.result.RefreshToken, ...(DeviceKey && { DeviceKey }) }));
      assert.deepEqual(await errorOf(tokens()), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token', status: 400 });
      assert.equal((await errorOf(tokens(other.deviceKey))).message, 'Invalid Refresh Token', 'another device of the same user');
      const result: AuthenticationResultType = (await tokens(device.deviceKey)).AuthenticationResult!;
      assert.ok(result.AccessToken && result.IdToken);
      assert.equal(decode(result.AccessToken!).device_key, device.deviceKey);
    });
  });
}
