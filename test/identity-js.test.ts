// amazon-cognito-identity-js 6.3.21, unmodified, pointed at Gatehouse (issue 6, seed 003): SRP and
// password sign-in, the new-password challenge, sessions and their renewal, the self-service calls,
// and remembered devices, with the library's storage in memory and its HTTP calls recorded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminGetUserCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateDeviceStatusCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoUserSession, ICognitoUserPoolData } from 'amazon-cognito-identity-js';
import { errorOf } from './support/errors.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { AuthenticationDetails, CognitoRefreshToken, CognitoUser, CognitoUserAttribute, CognitoUserPool, MapStorage } from './support/identity-js.js';
import { deliverTo, startMailbox, type Mailbox } from './support/webhook.js';

type CognitoUserType = InstanceType<typeof CognitoUser>;
type LibraryError = Error & { code?: string };

interface Recorded {
  operation: string;
  body: Record<string, any>;
  status: number;
}

type SignInOutcome =
  | { session: CognitoUserSession; userConfirmationNecessary?: boolean }
  | { newPasswordRequired: { userAttributes: Record<string, string>; requiredAttributes: string[] } };

/** authenticateUser as a promise: tokens, or the NEW_PASSWORD_REQUIRED callback's arguments. */
function authenticate(user: CognitoUserType, Username: string, Password: string): Promise<SignInOutcome> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username, Password }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ newPasswordRequired: { userAttributes, requiredAttributes } }),
    }),
  );
}

async function signedIn(user: CognitoUserType, username: string, password: string): Promise<CognitoUserSession> {
  const outcome = await authenticate(user, username, password);
  assert.ok('session' in outcome, 'expected tokens');
  return outcome.session;
}

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as LibraryError;
    return { code: e.code, message: e.message };
  }
  assert.fail('expected the library to report an error');
}

/** Node-style callback → promise, for the library's (err, result) methods. */
const nodeCall = <T>(run: (callback: (error: unknown, result?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result as T))));
/** { onSuccess, onFailure } callbacks → promise. */
const callbacks = <T>(run: (callbacks: { onSuccess: (result: T) => void; onFailure: (error: unknown) => void }) => void) =>
  new Promise<T>((resolve, reject) => run({ onSuccess: resolve, onFailure: reject }));

const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

describe('amazon-cognito-identity-js against Gatehouse', () => {
  let gh: TestGatehouse;
  let mailbox: Mailbox;
  let app: { poolId: string; clientId: string };
  let tracked: { poolId: string; clientId: string };
  const recorded: Recorded[] = [];
  const realFetch = globalThis.fetch;

  before(async () => {
    mailbox = await startMailbox();
    gh = await startTestGatehouse('sqlite', deliverTo(mailbox));
    app = await newPool({ PoolName: 'app', AutoVerifiedAttributes: ['email'], AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] } });
    tracked = await newPool({ PoolName: 'tracked', DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } });
    // The library calls the global fetch on each request: record what it sends and how it was answered.
    globalThis.fetch = async (input, init) => {
      const response = await realFetch(input, init);
      const target = (init?.headers as Record<string, string> | undefined)?.['X-Amz-Target'];
      if (target) recorded.push({ operation: target.split('.')[1]!, body: JSON.parse(String(init!.body)), status: response.status });
      return response;
    };
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await gh.stop();
    await mailbox.close();
  });

  async function newPool(input: ConstructorParameters<typeof CreateUserPoolCommand>[0]) {
    const poolId = (await gh.cognito.send(new CreateUserPoolCommand(input))).UserPool!.Id!;
    const client = await gh.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    return { poolId, clientId: client.UserPoolClient!.ClientId! };
  }
  async function newUser(pool: { poolId: string }, username: string, password = 'Password1!') {
    await gh.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
      }),
    );
    await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: password, Permanent: true }));
  }
  /** The browser side: pool data as an application writes it, with the endpoint and storage given. */
  const poolData = (pool: { poolId: string; clientId: string }, storage: MapStorage): ICognitoUserPoolData => ({
    UserPoolId: pool.poolId,
    ClientId: pool.clientId,
    endpoint: gh.url,
    Storage: storage,
  });
  const libraryUser = (pool: { poolId: string; clientId: string }, storage: MapStorage, Username: string) =>
    new CognitoUser({ Username, Pool: new CognitoUserPool(poolData(pool, storage)), Storage: storage });
  /** What the library sent from here on. */
  const recording = () => {
    const from = recorded.length;
    return () => recorded.slice(from);
  };
  const steps = (calls: Recorded[]) => calls.map((c) => (c.operation === 'RespondToAuthChallenge' ? `${c.body.ChallengeName}` : c.body.AuthFlow ?? c.operation));

  test('seed 003: authenticateUser (SRP), then getSession and refreshSession an hour later', async (t) => {
    await newUser(app, 'kenta');
    const storage = new MapStorage();
    const sessionStorage = new Map<string, string>(); // the seed's own sessionStorage
    const calls = recording();

    // login(), as the seed writes it. (The seed's typos are read as meant: its checkUpdateToken calls
    // CognitoUserPool without `new`, and checkUpdateTokenRefresh has `ar username` and passes
    // `new RefreshToken()` where it means the CognitoRefreshToken it just built.)
    const userPool = new CognitoUserPool(poolData(app, storage));
    const cognitoUser = new CognitoUser({ Username: 'kenta', Pool: userPool, Storage: storage });
    const result = await signedIn(cognitoUser, 'kenta', 'Password1!');
    sessionStorage.set('accessToken', result.getAccessToken().getJwtToken());
    sessionStorage.set('accessToken.payload.exp', String(result.getAccessToken().payload.exp));
    sessionStorage.set('refreshToken', result.getRefreshToken().getToken());
    sessionStorage.set('username', result.getAccessToken().payload.username);
    assert.deepEqual(steps(calls()), ['USER_SRP_AUTH', 'PASSWORD_VERIFIER'], 'the library signs in with SRP by default');
    assert.equal(sessionStorage.get('username'), 'kenta');
    const firstAccess = sessionStorage.get('accessToken')!;

    // While the tokens are valid, getSession answers from storage without a call.
    const cached = recording();
    const current = await nodeCall<CognitoUserSession>((cb) => userPool.getCurrentUser()!.getSession(cb));
    assert.ok(current.isValid());
    assert.equal(current.getAccessToken().getJwtToken(), firstAccess);
    assert.deepEqual(cached(), []);

    // An hour later, for the server and for the browser alike.
    gh.clock.advance(61 * 60_000);
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() + 61 * 60_000 });
    try {
      assert.deepEqual(await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: firstAccess }))), {
        name: 'NotAuthorizedException',
        message: 'Access Token has expired',
        status: 400,
      });

      // checkUpdateToken(): the expired access token is renewed by getSession
      assert.ok(new Date().getTime() > Number(sessionStorage.get('accessToken.payload.exp')) * 1000);
      const renewing = recording();
      const session = await nodeCall<CognitoUserSession>((cb) => new CognitoUserPool(poolData(app, storage)).getCurrentUser()!.getSession(cb));
      assert.ok(session.isValid());
      assert.deepEqual(steps(renewing()), ['REFRESH_TOKEN_AUTH']);
      assert.notEqual(session.getAccessToken().getJwtToken(), firstAccess);
      assert.equal(session.getRefreshToken().getToken(), sessionStorage.get('refreshToken'), 'the refresh token is kept');
      assert.equal(session.getAccessToken().payload.username, 'kenta');
      assert.equal((await gh.cognito.send(new GetUserCommand({ AccessToken: session.getAccessToken().getJwtToken() }))).Username, 'kenta');

      // checkUpdateTokenRefresh(): refreshSession with a CognitoRefreshToken made from the stored token
      const username = sessionStorage.get('username')!;
      const token = sessionStorage.get('refreshToken')!;
      const refreshUser = new CognitoUser({ Username: username, Pool: new CognitoUserPool(poolData(app, storage)), Storage: storage });
      const refreshToken = new CognitoRefreshToken({ RefreshToken: token });
      const refreshed = await nodeCall<CognitoUserSession>((cb) => refreshUser.refreshSession(refreshToken, cb));
      assert.ok(refreshed.isValid());
      assert.equal(refreshed.getRefreshToken().getToken(), token);
      assert.equal((await gh.cognito.send(new GetUserCommand({ AccessToken: refreshed.getAccessToken().getJwtToken() }))).Username, 'kenta');
    } finally {
      t.mock.timers.reset();
      gh.clock.set(Date.now()); // the next SRP TIMESTAMPs come from the real clock again
    }
  });

  test('USER_PASSWORD_AUTH through setAuthenticationFlowType; wrong passwords fail alike in both flows', async () => {
    await newUser(app, 'pam');
    const storage = new MapStorage();
    const user = libraryUser(app, storage, 'pam');
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    const calls = recording();
    const session = await signedIn(user, 'pam', 'Password1!');
    assert.ok(session.isValid());
    assert.deepEqual(steps(calls()), ['USER_PASSWORD_AUTH']);
    assert.equal(session.getIdToken().payload['cognito:username'], 'pam');

    const wrong = { code: 'NotAuthorizedException', message: 'Incorrect username or password.' };
    assert.deepEqual(await failure(authenticate(user, 'pam', 'Wrong-pass1')), wrong);
    assert.deepEqual(await failure(authenticate(libraryUser(app, new MapStorage(), 'pam'), 'pam', 'Wrong-pass1')), wrong, 'SRP');
    assert.equal((await failure(authenticate(libraryUser(app, new MapStorage(), 'nobody'), 'nobody', 'Password1!'))).code, 'UserNotFoundException');
  });

  test('newPasswordRequired, then completeNewPasswordChallenge', async () => {
    await gh.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: app.poolId, Username: 'nina', TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'nina@example.com' }] }),
    );
    const user = libraryUser(app, new MapStorage(), 'nina');
    const outcome = await authenticate(user, 'nina', 'Temporary1!');
    assert.ok('newPasswordRequired' in outcome);
    assert.equal(outcome.newPasswordRequired.userAttributes.email, 'nina@example.com');
    assert.deepEqual(outcome.newPasswordRequired.requiredAttributes, []);
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.completeNewPasswordChallenge('Brand-new1', {}, { onSuccess: resolve, onFailure: reject }),
    );
    assert.ok(session.isValid());
    assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'nina' }))).UserStatus, 'CONFIRMED');
    assert.ok(await signedIn(libraryUser(app, new MapStorage(), 'nina'), 'nina', 'Brand-new1'));
  });

  test('changePassword; forgotPassword and confirmPassword with the mailed code', async () => {
    await newUser(app, 'carl', 'First-pass1');
    const user = libraryUser(app, new MapStorage(), 'carl');
    await signedIn(user, 'carl', 'First-pass1');
    assert.equal(await nodeCall<string>((cb) => user.changePassword('First-pass1', 'Second-pass1', cb)), 'SUCCESS');
    assert.equal((await failure(authenticate(libraryUser(app, new MapStorage(), 'carl'), 'carl', 'First-pass1'))).code, 'NotAuthorizedException');
    assert.ok(await signedIn(libraryUser(app, new MapStorage(), 'carl'), 'carl', 'Second-pass1'));

    const forgetful = libraryUser(app, new MapStorage(), 'carl');
    const sent = await callbacks<{ CodeDeliveryDetails: Record<string, string> }>((cb) => forgetful.forgotPassword(cb));
    assert.deepEqual(sent.CodeDeliveryDetails, { Destination: 'c***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const { code } = await mailbox.next('carl@example.com');
    assert.equal(await callbacks<string>((cb) => forgetful.confirmPassword(code, 'Third-pass1', cb)), 'SUCCESS');
    assert.ok(await signedIn(libraryUser(app, new MapStorage(), 'carl'), 'carl', 'Third-pass1'));
    assert.equal((await failure(authenticate(libraryUser(app, new MapStorage(), 'carl'), 'carl', 'Second-pass1'))).code, 'NotAuthorizedException');
  });

  test('getUserAttributes and updateAttributes', async () => {
    await newUser(app, 'ula');
    const user = libraryUser(app, new MapStorage(), 'ula');
    await signedIn(user, 'ula', 'Password1!');
    const read = async () =>
      Object.fromEntries((await nodeCall<InstanceType<typeof CognitoUserAttribute>[]>((cb) => user.getUserAttributes(cb))).map((a) => [a.getName(), a.getValue()]));
    const before = await read();
    assert.equal(before.email, 'ula@example.com');
    assert.match(before.sub!, /^[0-9a-f-]{36}$/);
    assert.equal(await nodeCall<string>((cb) => user.updateAttributes([new CognitoUserAttribute({ Name: 'name', Value: 'Ula Q.' })], cb)), 'SUCCESS');
    assert.equal((await read()).name, 'Ula Q.');
    const stored = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: app.poolId, Username: 'ula' }));
    assert.equal(stored.UserAttributes!.find((a) => a.Name === 'name')!.Value, 'Ula Q.');
  });

  test('globalSignOut ends the access token and the refresh token', async () => {
    await newUser(app, 'gil');
    const storage = new MapStorage();
    const user = libraryUser(app, storage, 'gil');
    const session = await signedIn(user, 'gil', 'Password1!');
    assert.equal(await callbacks<string>((cb) => user.globalSignOut(cb)), 'SUCCESS');
    assert.deepEqual(await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: session.getAccessToken().getJwtToken() }))), {
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
      status: 400,
    });
    const refresh = gh.cognito.send(new InitiateAuthCommand({ ClientId: app.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken() } }));
    assert.equal((await errorOf(refresh)).name, 'NotAuthorizedException');
    assert.equal(new CognitoUserPool(poolData(app, storage)).getCurrentUser(), null, 'the library forgot the user');
  });

  test('a tracked device: confirmed by the library, proven on the next sign-in, refreshed with, remembered, listed and forgotten', async () => {
    await newUser(tracked, 'dev');
    const storage = new MapStorage();
    const prefix = `CognitoIdentityServiceProvider.${tracked.clientId}.dev`;

    const first = recording();
    const firstSession = await signedIn(libraryUser(tracked, storage, 'dev'), 'dev', 'Password1!');
    assert.deepEqual(steps(first()), ['USER_SRP_AUTH', 'PASSWORD_VERIFIER', 'ConfirmDevice']);
    const deviceKey = storage.getItem(`${prefix}.deviceKey`)!;
    assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
    assert.ok(storage.getItem(`${prefix}.randomPasswordKey`) && storage.getItem(`${prefix}.deviceGroupKey`));
    assert.equal(firstSession.getAccessToken().payload.device_key, deviceKey);
    const device = (await gh.cognito.send(new AdminGetDeviceCommand({ UserPoolId: tracked.poolId, Username: 'dev', DeviceKey: deviceKey }))).Device!;
    const attributes = Object.fromEntries(device.DeviceAttributes!.map((a) => [a.Name, a.Value]));
    assert.equal(attributes.device_name, 'nodejs', 'the name the library gives in Node');
    assert.equal(attributes['dev:device_remembered_status'], 'remembered');

    // The next sign-in proves the device with the secret the library kept.
    const second = recording();
    const user = libraryUser(tracked, storage, 'dev');
    const session = await signedIn(user, 'dev', 'Password1!');
    const secondCalls = second();
    assert.deepEqual(steps(secondCalls), ['USER_SRP_AUTH', 'PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
    assert.ok(secondCalls.every((c) => c.status === 200));
    assert.equal(secondCalls[1]!.body.ChallengeResponses.DEVICE_KEY, deviceKey);
    assert.equal(session.getAccessToken().payload.device_key, deviceKey);
    assert.equal(storage.getItem(`${prefix}.deviceKey`), deviceKey);

    // USER_PASSWORD_AUTH names the cached device from the start, and the device proves itself the same way.
    const byPassword = recording();
    const passwordUser = libraryUser(tracked, storage, 'dev');
    passwordUser.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    const passwordSession = await signedIn(passwordUser, 'dev', 'Password1!');
    const passwordCalls = byPassword();
    assert.deepEqual(steps(passwordCalls), ['USER_PASSWORD_AUTH', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
    assert.equal(passwordCalls[0]!.body.AuthParameters.DEVICE_KEY, deviceKey);
    assert.equal(passwordSession.getAccessToken().payload.device_key, deviceKey);

    // refreshSession sends the cached DEVICE_KEY.
    const refreshing = recording();
    const refreshed = await nodeCall<CognitoUserSession>((cb) => user.refreshSession(session.getRefreshToken(), cb));
    const refreshCall = refreshing();
    assert.deepEqual(steps(refreshCall), ['REFRESH_TOKEN_AUTH']);
    assert.equal(refreshCall[0]!.body.AuthParameters.DEVICE_KEY, deviceKey);
    assert.ok(refreshed.isValid());
    assert.equal(refreshed.getAccessToken().payload.device_key, deviceKey);

    // setDeviceStatusRemembered undoes an administrator's not_remembered.
    await gh.cognito.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: tracked.poolId, Username: 'dev', DeviceKey: deviceKey, DeviceRememberedStatus: 'not_remembered' }));
    assert.equal(await callbacks<string>((cb) => user.setDeviceStatusRemembered(cb)), 'SUCCESS');
    const status = (await gh.cognito.send(new AdminGetDeviceCommand({ UserPoolId: tracked.poolId, Username: 'dev', DeviceKey: deviceKey }))).Device!;
    assert.equal(status.DeviceAttributes!.find((a) => a.Name === 'dev:device_remembered_status')!.Value, 'remembered');

    const listed = await new Promise<{ Devices: { DeviceKey: string }[] }>((resolve, reject) => user.listDevices(10, null, { onSuccess: resolve, onFailure: reject }));
    assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [deviceKey]);

    assert.equal(await callbacks<string>((cb) => user.forgetDevice(cb)), 'SUCCESS');
    assert.equal(storage.getItem(`${prefix}.deviceKey`), null, 'the library drops the device');
    assert.deepEqual((await gh.cognito.send(new AdminListDevicesCommand({ UserPoolId: tracked.poolId, Username: 'dev' }))).Devices, []);

    const third = recording();
    await signedIn(libraryUser(tracked, storage, 'dev'), 'dev', 'Password1!');
    assert.deepEqual(steps(third()), ['USER_SRP_AUTH', 'PASSWORD_VERIFIER', 'ConfirmDevice'], 'a new device, no device challenge');
    const newKey = storage.getItem(`${prefix}.deviceKey`)!;
    assert.ok(newKey && newKey !== deviceKey);
  });

  test('a device forgotten on the server while the library keeps it: the library retries without it and gets a new one', async () => {
    await newUser(tracked, 'rex');
    const storage = new MapStorage();
    const prefix = `CognitoIdentityServiceProvider.${tracked.clientId}.rex`;
    await signedIn(libraryUser(tracked, storage, 'rex'), 'rex', 'Password1!');
    const oldKey = storage.getItem(`${prefix}.deviceKey`)!;
    await gh.cognito.send(new AdminForgetDeviceCommand({ UserPoolId: tracked.poolId, Username: 'rex', DeviceKey: oldKey }));

    const calls = recording();
    const session = await signedIn(libraryUser(tracked, storage, 'rex'), 'rex', 'Password1!');
    const sent = calls();
    assert.deepEqual(steps(sent), ['USER_SRP_AUTH', 'PASSWORD_VERIFIER', 'PASSWORD_VERIFIER', 'ConfirmDevice']);
    assert.equal(sent[1]!.body.ChallengeResponses.DEVICE_KEY, oldKey);
    assert.equal(sent[1]!.status, 400, 'the forgotten device is refused (ResourceNotFoundException naming the device)');
    assert.equal(sent[2]!.body.ChallengeResponses.DEVICE_KEY, null, 'the retry names no device');
    const newKey = storage.getItem(`${prefix}.deviceKey`)!;
    assert.ok(newKey && newKey !== oldKey);
    assert.equal(session.getAccessToken().payload.device_key, newKey);
    assert.deepEqual((await gh.cognito.send(new AdminListDevicesCommand({ UserPoolId: tracked.poolId, Username: 'rex' }))).Devices!.map((d) => d.DeviceKey), [newKey]);
    assert.equal(payloadOf(session.getIdToken().getJwtToken())['cognito:username'], 'rex');
  });
});
