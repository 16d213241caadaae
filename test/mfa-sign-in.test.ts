// Multi-factor sign-in (issue 7) over the wire: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SELECT_MFA_TYPE
// and MFA_SETUP in USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH and USER_SRP_AUTH, with remembered
// devices and forced new passwords, through the AWS SDK v3 client and amazon-cognito-identity-js.
// TOTP codes come from otplib (an independent RFC 6238 implementation) on the server's pinned clock;
// SMS and email codes come from the webhook delivery, as a phone or an inbox would receive them.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDeleteSoftwareTokenCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AdminSetUserSettingsCommand,
  AdminUpdateUserAttributesCommand,
  AssociateSoftwareTokenCommand,
  ConfirmDeviceCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  UpdateDeviceStatusCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type ChallengeNameType,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoUserSession, ICognitoUserPoolData } from 'amazon-cognito-identity-js';
import { authenticator } from 'otplib';
import { errorOf } from './support/errors.js';
import { backends, type TestGatehouse } from './support/gatehouse.js';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, MapStorage } from './support/identity-js.js';
import { deviceVerifier, poolNameOf, SrpClient, srpTimestamp, type SrpChallenge } from './support/srp-client.js';
import { withGatehouseAndMailbox, type Mailbox } from './support/webhook.js';

const SMS_CONFIGURATION = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'gatehouse' };
const TOTP_ON = { SoftwareTokenMfaConfiguration: { Enabled: true } };
const ALL_FLOWS: CreateUserPoolClientCommandInput['ExplicitAuthFlows'] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const MISMATCH = { name: 'CodeMismatchException', message: 'Invalid code or auth state for the user.', status: 400 };
const TOTP_MISMATCH = { name: 'CodeMismatchException', message: 'Invalid code received for user', status: 400 };
/** A TOTP code whose time step a sign-in already used. */
const SPENT = { name: 'ExpiredCodeException', message: 'Your software token has already been used once.', status: 400 };
const SESSION_EXPIRED = { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.', status: 400 };
const SESSION_USED = { name: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.', status: 400 };
const EXCEEDED = { name: 'NotAuthorizedException', message: 'Password attempts exceeded', status: 400 };
const STEP = 30_000;

type MfaConfig = Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>;
type Flow = 'USER_PASSWORD_AUTH' | 'ADMIN_USER_PASSWORD_AUTH' | 'USER_SRP_AUTH';
const FLOWS: Flow[] = ['USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_SRP_AUTH'];

interface Pool {
  poolId: string;
  poolName: string;
  clientId: string;
}
interface User {
  pool: Pool;
  username: string;
  password: string;
  phone: string;
  email: string;
}
/** What InitiateAuth, AdminInitiateAuth and both RespondToAuthChallenge operations answer. */
interface Step {
  ChallengeName?: string;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: AuthenticationResultType;
}
interface Device {
  deviceKey: string;
  groupKey: string;
  password: string;
}

const CODE_KEY: Record<string, string> = { SMS_MFA: 'SMS_MFA_CODE', SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE', EMAIL_OTP: 'EMAIL_OTP_CODE' };
const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
/** A six-digit code that is not `code`. */
const wrongOf = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const smsMask = (phone: string) => `+${'*'.repeat(phone.length - 5)}${phone.slice(-4)}`;

for (const backend of backends()) {
  describe(`MFA at sign-in (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    let seq = 0;
    withGatehouseAndMailbox(backend, (gatehouse, box) => ((gh = gatehouse), (mailbox = box)));

    /** The code an authenticator app (otplib, independent of Gatehouse) shows on the server's clock, `offsetMs` away. */
    const appCode = (secret: string, offsetMs = 0) => authenticator.clone({ epoch: gh.clock.now() + offsetMs }).generate(secret);

    const newClient = async (poolId: string, input: Partial<CreateUserPoolClientCommandInput> = {}) =>
      (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ALL_FLOWS, ...input }))).UserPoolClient!.ClientId!;

    async function newPool(input: Partial<CreateUserPoolCommandInput> = {}, mfa?: MfaConfig): Promise<Pool> {
      const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: `mfa-${++seq}`, ...input }))).UserPool!.Id!;
      if (mfa) await gh.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
      return { poolId, poolName: poolNameOf(poolId), clientId: await newClient(poolId) };
    }

    /** A user with a verified phone number and email (each unique, so the mailbox tells users apart), CONFIRMED unless a temporary password is given. */
    async function newUser(pool: Pool, options: { phone?: boolean; email?: boolean; temporary?: string } = {}): Promise<User> {
      const n = ++seq;
      const user = { pool, username: `user${n}`, password: options.temporary ?? 'Password1!', phone: `+1555555${String(n).padStart(4, '0')}`, email: `user${n}@example.com` };
      await gh.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: user.username,
          MessageAction: 'SUPPRESS',
          ...(options.temporary && { TemporaryPassword: options.temporary }),
          UserAttributes: [
            ...(options.phone === false ? [] : [{ Name: 'phone_number', Value: user.phone }, { Name: 'phone_number_verified', Value: 'true' }]),
            ...(options.email === false ? [] : [{ Name: 'email', Value: user.email }, { Name: 'email_verified', Value: 'true' }]),
          ],
        }),
      );
      if (!options.temporary) await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: user.username, Password: user.password, Permanent: true }));
      return user;
    }

    /** The first step after the password: USER_SRP_AUTH is taken through PASSWORD_VERIFIER with a proof computed here. */
    async function signIn(user: User, flow: Flow, options: { deviceKey?: string; clientId?: string; password?: string } = {}): Promise<Step> {
      const ClientId = options.clientId ?? user.pool.clientId;
      const PASSWORD = options.password ?? user.password;
      const device: Record<string, string> = options.deviceKey ? { DEVICE_KEY: options.deviceKey } : {};
      const USERNAME = user.username;
      if (flow === 'ADMIN_USER_PASSWORD_AUTH') {
        return gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: user.pool.poolId, ClientId, AuthFlow: flow, AuthParameters: { USERNAME, PASSWORD, ...device } }));
      }
      if (flow === 'USER_PASSWORD_AUTH') return gh.cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: flow, AuthParameters: { USERNAME, PASSWORD, ...device } }));
      const srp = new SrpClient();
      const challenge = await gh.cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME, SRP_A: srp.srpA, ...device } }));
      assert.equal(challenge.ChallengeName, 'PASSWORD_VERIFIER');
      const params = challenge.ChallengeParameters as Record<string, string> & SrpChallenge;
      const userId = params.USER_ID_FOR_SRP!;
      return gh.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: { USERNAME: userId, ...srp.claim(user.pool.poolName, userId, PASSWORD, params, srpTimestamp(gh.clock.now())), ...device },
          ...(challenge.Session && { Session: challenge.Session }),
        }),
      );
    }

    /** RespondToAuthChallenge (or the Admin one) with the step's Session and USERNAME. */
    function respond(user: User, step: Step, challenge: string, responses: Record<string, string>, options: { admin?: boolean; clientId?: string } = {}): Promise<Step> {
      const input = {
        ClientId: options.clientId ?? user.pool.clientId,
        ChallengeName: challenge as ChallengeNameType,
        Session: step.Session,
        ChallengeResponses: { USERNAME: user.username, ...responses },
      };
      return options.admin
        ? gh.cognito.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: user.pool.poolId, ...input }))
        : gh.cognito.send(new RespondToAuthChallengeCommand(input));
    }
    /** The code answering the step's MFA challenge, under the key that challenge takes. */
    const answer = (user: User, step: Step, code: string, options: { admin?: boolean; clientId?: string } = {}) =>
      respond(user, step, step.ChallengeName!, { [CODE_KEY[step.ChallengeName!]!]: code }, options);

    /** Tokens, and an access token the server takes for this user. */
    async function assertTokens(step: Step, user: User): Promise<AuthenticationResultType> {
      assert.equal(step.ChallengeName, undefined, `expected tokens, got ${step.ChallengeName} ${JSON.stringify(step.ChallengeParameters)}`);
      const result = step.AuthenticationResult!;
      assert.ok(result.AccessToken && result.IdToken && result.RefreshToken);
      assert.equal((await gh.cognito.send(new GetUserCommand({ AccessToken: result.AccessToken }))).Username, user.username);
      return result;
    }

    const smsTo = async (user: User) => {
      const text = await mailbox.next(user.phone);
      assert.equal(text.channel, 'SMS');
      assert.match(text.code, /^\d{6}$/);
      return text;
    };
    const sentTo = (destination: string) => mailbox.messages.filter((m) => m.destination === destination).length;

    /** AssociateSoftwareToken + VerifySoftwareToken with an access token; the step of the verifying code is then spent, so the clock moves on. */
    async function enrolTotp(accessToken: string): Promise<string> {
      const secret = (await gh.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))).SecretCode!;
      const verified = await gh.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: appCode(secret), FriendlyDeviceName: 'phone' }));
      assert.equal(verified.Status, 'SUCCESS');
      gh.clock.advance(STEP);
      return secret;
    }

    /** MFA_SETUP completed with an authenticator: associate, verify, answer with the verified session. */
    async function setUpTotp(user: User, challenge: Step): Promise<{ secret: string; done: Step }> {
      assert.equal(challenge.ChallengeName, 'MFA_SETUP');
      const associated = await gh.cognito.send(new AssociateSoftwareTokenCommand({ Session: challenge.Session }));
      const verified = await gh.cognito.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: appCode(associated.SecretCode!) }));
      assert.equal(verified.Status, 'SUCCESS');
      const done = await respond(user, { Session: verified.Session! }, 'MFA_SETUP', {});
      gh.clock.advance(STEP);
      return { secret: associated.SecretCode!, done };
    }

    /** DEVICE_SRP_AUTH answered, then DEVICE_PASSWORD_VERIFIER answered with the device's secret. */
    async function proveDevice(user: User, step: Step, device: Device): Promise<Step> {
      assert.equal(step.ChallengeName, 'DEVICE_SRP_AUTH');
      const srp = new SrpClient();
      const verifier = await respond(user, step, 'DEVICE_SRP_AUTH', { DEVICE_KEY: device.deviceKey, SRP_A: srp.srpA });
      assert.equal(verifier.ChallengeName, 'DEVICE_PASSWORD_VERIFIER');
      const params = verifier.ChallengeParameters as Record<string, string> & SrpChallenge;
      return respond(user, verifier, 'DEVICE_PASSWORD_VERIFIER', {
        DEVICE_KEY: device.deviceKey,
        ...srp.claim(device.groupKey, device.deviceKey, device.password, params, srpTimestamp(gh.clock.now())),
      });
    }

    test('SMS MFA required: every password flow ends in SMS_MFA, and the texted code answers it through either respond operation', async () => {
      const pool = await newPool({ SmsConfiguration: SMS_CONFIGURATION, MfaConfiguration: 'ON', SmsAuthenticationMessage: 'Your sign-in code is {####}' });
      const user = await newUser(pool, { email: false });
      const cases: [Flow, boolean][] = [
        ['USER_PASSWORD_AUTH', false],
        ['ADMIN_USER_PASSWORD_AUTH', true],
        ['USER_SRP_AUTH', false],
        ['USER_PASSWORD_AUTH', true],
      ];
      for (const [flow, admin] of cases) {
        const step = await signIn(user, flow);
        assert.equal(step.ChallengeName, 'SMS_MFA', flow);
        assert.equal(step.AuthenticationResult, undefined);
        assert.ok(step.Session);
        assert.deepEqual(step.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: smsMask(user.phone) });
        assert.equal(smsMask(user.phone), `+*******${user.phone.slice(-4)}`);
        const text = await smsTo(user);
        assert.equal(text.message, `Your sign-in code is ${text.code}`, 'the pool’s SmsAuthenticationMessage');
        assert.equal(text.trigger, 'CustomMessage_Authentication');
        assert.equal(text.username, user.username);
        const result = await assertTokens(await answer(user, step, text.code, { admin }), user);
        assert.equal(decode(result.IdToken!)['cognito:username'], user.username);
      }

      // A pool without its own message sends Gatehouse's default, still with the code.
      const plain = await newPool({ SmsConfiguration: SMS_CONFIGURATION, MfaConfiguration: 'ON' });
      const other = await newUser(plain);
      // An unverified number: the SMS code that reaches it proves it, and Cognito marks it verified.
      await gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: plain.poolId, Username: other.username, UserAttributes: [{ Name: 'phone_number_verified', Value: 'false' }] }));
      const step = await signIn(other, 'USER_PASSWORD_AUTH');
      const text = await smsTo(other);
      assert.ok(text.message.includes(text.code), text.message);
      const tokens = await assertTokens(await answer(other, step, text.code), other);
      assert.equal(decode(tokens.IdToken!).phone_number_verified, true, 'verified by the SMS MFA sign-in');
      const stored = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: plain.poolId, Username: other.username }));
      assert.equal(stored.UserAttributes!.find((a) => a.Name === 'phone_number_verified')?.Value, 'true');
    });

    test('SMS codes: a wrong one leaves the challenge standing, a session answers once, a code is good for three minutes', async () => {
      const pool = await newPool({ SmsConfiguration: SMS_CONFIGURATION, MfaConfiguration: 'ON' });
      const user = await newUser(pool);

      const step = await signIn(user, 'USER_PASSWORD_AUTH');
      const { code } = await smsTo(user);
      assert.deepEqual(await errorOf(answer(user, step, wrongOf(code))), MISMATCH);
      assert.deepEqual(await errorOf(answer(user, step, wrongOf(wrongOf(code)), { admin: true })), MISMATCH, 'again, through the admin operation');
      assert.equal((await errorOf(respond(user, step, 'SMS_MFA', {}))).name, 'InvalidParameterException', 'no SMS_MFA_CODE');
      await assertTokens(await answer(user, step, code), user);
      assert.deepEqual(await errorOf(answer(user, step, code)), SESSION_USED, 'the same session and code again');

      // The code of one sign-in does not answer the next: each sign-in texts its own.
      const next = await signIn(user, 'USER_PASSWORD_AUTH');
      const second = await smsTo(user);
      if (second.code !== code) assert.deepEqual(await errorOf(answer(user, next, code)), MISMATCH, 'the spent code');
      // Two simultaneous answers with the right code: one gets tokens.
      const outcomes = await Promise.allSettled([answer(user, next, second.code), answer(user, next, second.code)]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
      assert.equal(((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason as Error).name, 'NotAuthorizedException');

      // Three minutes: a client whose sessions outlive the code shows the code's own lifetime.
      const patient = await newClient(pool.poolId, { AuthSessionValidity: 15 });
      const late = await signIn(user, 'USER_PASSWORD_AUTH', { clientId: patient });
      const lateCode = (await smsTo(user)).code;
      gh.clock.advance(3 * 60_000 + 1000);
      assert.deepEqual(await errorOf(answer(user, late, lateCode, { clientId: patient })), SESSION_EXPIRED, 'a code past its three minutes');
      const inTime = await signIn(user, 'USER_PASSWORD_AUTH', { clientId: patient });
      const inTimeCode = (await smsTo(user)).code;
      gh.clock.advance(3 * 60_000 - 5000);
      await assertTokens(await answer(user, inTime, inTimeCode, { clientId: patient }), user);
      // With the default client the session itself ends after three minutes.
      const slow = await signIn(user, 'ADMIN_USER_PASSWORD_AUTH');
      const slowCode = (await smsTo(user)).code;
      gh.clock.advance(3 * 60_000 + 1000);
      assert.deepEqual(await errorOf(answer(user, slow, slowCode, { admin: true })), SESSION_EXPIRED);
    });

    test('wrong SMS codes count toward the lockout that password sign-in shares', async () => {
      const pool = await newPool({ SmsConfiguration: SMS_CONFIGURATION, MfaConfiguration: 'ON' });
      const user = await newUser(pool);
      const step = await signIn(user, 'USER_PASSWORD_AUTH');
      const { code } = await smsTo(user);
      for (let i = 0; i < 5; i++) assert.deepEqual(await errorOf(answer(user, step, wrongOf(code))), MISMATCH, `wrong code ${i + 1}`);
      assert.deepEqual(await errorOf(answer(user, step, code)), EXCEEDED, 'the right code, now locked out');
      assert.deepEqual(await errorOf(signIn(user, 'USER_PASSWORD_AUTH')), EXCEEDED, 'USER_PASSWORD_AUTH is locked');
      assert.deepEqual(await errorOf(signIn(user, 'USER_SRP_AUTH')), EXCEEDED, 'and USER_SRP_AUTH');
      assert.equal(sentTo(user.phone), 1, 'no code is sent to a locked-out user');
      gh.clock.advance(1100);
      const again = await signIn(user, 'USER_SRP_AUTH');
      assert.equal(again.ChallengeName, 'SMS_MFA');
      await assertTokens(await answer(user, again, (await smsTo(user)).code), user);
    });

    test('a right password does not forgive wrong MFA codes: guessing across sign-ins still locks out', async () => {
      const pool = await newPool({ SmsConfiguration: SMS_CONFIGURATION, MfaConfiguration: 'ON' });
      const user = await newUser(pool);
      for (let round = 0; round < 2; round++) {
        const step = await signIn(user, 'USER_PASSWORD_AUTH');
        const { code } = await smsTo(user);
        const wrong = round === 0 ? 3 : 2;
        for (let i = 0; i < wrong; i++) assert.deepEqual(await errorOf(answer(user, step, wrongOf(code))), MISMATCH, `round ${round + 1}, wrong code ${i + 1}`);
      }
      assert.deepEqual(await errorOf(signIn(user, 'USER_PASSWORD_AUTH')), EXCEEDED, 'five wrong codes over two sign-ins');
    });

    test('TOTP: enrolled with an access token and preferred, then SOFTWARE_TOKEN_MFA with an authenticator app’s code', async () => {
      const pool = await newPool({}, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON });
      const user = await newUser(pool, { phone: false });
      const first = await assertTokens(await signIn(user, 'USER_PASSWORD_AUTH'), user);
      const secret = await enrolTotp(first.AccessToken!);
      await gh.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: first.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));

      for (const flow of FLOWS) {
        const admin = flow === 'ADMIN_USER_PASSWORD_AUTH';
        const step = await signIn(user, flow);
        assert.equal(step.ChallengeName, 'SOFTWARE_TOKEN_MFA', flow);
        assert.ok(step.Session);
        assert.equal(step.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, undefined, 'nothing is sent');
        const code = appCode(secret);
        assert.deepEqual(await errorOf(answer(user, step, wrongOf(code), { admin })), TOTP_MISMATCH);
        assert.deepEqual(await errorOf(answer(user, step, 'abcdef', { admin })), TOTP_MISMATCH, 'not a number');
        await assertTokens(await answer(user, step, code, { admin }), user);

        // The same code in the next sign-in, within its 30 seconds: spent.
        const replay = await signIn(user, flow);
        assert.deepEqual(await errorOf(answer(user, replay, code, { admin })), SPENT, 'a replayed code');
        gh.clock.advance(STEP);
        await assertTokens(await answer(user, replay, appCode(secret), { admin }), user);
        gh.clock.advance(STEP);
      }
      assert.equal(sentTo(user.email), 0);
    });

    test('AdminDeleteSoftwareToken: the authenticator and its preference are gone; optional MFA signs in without a code, required MFA sets up again', async () => {
      const pool = await newPool({}, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON });
      const user = await newUser(pool, { phone: false });
      const first = await assertTokens(await signIn(user, 'USER_PASSWORD_AUTH'), user);
      await enrolTotp(first.AccessToken!);
      await gh.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: first.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      assert.equal((await signIn(user, 'USER_PASSWORD_AUTH')).ChallengeName, 'SOFTWARE_TOKEN_MFA');

      await gh.cognito.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: pool.poolId, Username: user.username }));
      const described = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: user.username }));
      assert.deepEqual([described.UserMFASettingList, described.PreferredMfaSetting], [undefined, undefined]);
      for (const flow of FLOWS) await assertTokens(await signIn(user, flow), user);
      const refused = await errorOf(gh.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: first.AccessToken, SoftwareTokenMfaSettings: { Enabled: true } })));
      assert.equal(refused.name, 'InvalidParameterException', 'no authenticator to turn on');
      await gh.cognito.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: pool.poolId, Username: user.username }));
      const unknown = await errorOf(gh.cognito.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: pool.poolId, Username: 'nobody-here' })));
      assert.equal(unknown.name, 'UserNotFoundException');

      const required = await newPool({}, { MfaConfiguration: 'ON', ...TOTP_ON });
      const other = await newUser(required, { phone: false });
      const { secret, done } = await setUpTotp(other, await signIn(other, 'USER_PASSWORD_AUTH'));
      await assertTokens(done, other);
      await gh.cognito.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: required.poolId, Username: other.username }));
      const again = await signIn(other, 'USER_PASSWORD_AUTH');
      assert.equal(again.ChallengeName, 'MFA_SETUP', 'the old authenticator no longer answers');
      const renewed = await setUpTotp(other, again);
      assert.notEqual(renewed.secret, secret);
      await assertTokens(renewed.done, other);
    });

    test('TOTP codes at sign-in: one step of drift either way, not two; each step once and never an older one', async () => {
      const pool = await newPool({}, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON });
      const user = await newUser(pool, { phone: false });
      const secret = await enrolTotp((await signIn(user, 'USER_PASSWORD_AUTH')).AuthenticationResult!.AccessToken!);
      await gh.cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: user.username, SoftwareTokenMfaSettings: { Enabled: true } }));
      gh.clock.advance(3 * STEP);

      const step = await signIn(user, 'USER_PASSWORD_AUTH');
      assert.equal(step.ChallengeName, 'SOFTWARE_TOKEN_MFA', 'the only factor turned on needs no preference');
      assert.deepEqual(await errorOf(answer(user, step, appCode(secret, -2 * STEP))), TOTP_MISMATCH, 'two steps late');
      assert.deepEqual(await errorOf(answer(user, step, appCode(secret, 2 * STEP))), TOTP_MISMATCH, 'two steps early');
      await assertTokens(await answer(user, step, appCode(secret, -STEP)), user); // one step late
      const early = await signIn(user, 'USER_SRP_AUTH');
      await assertTokens(await answer(user, early, appCode(secret, STEP)), user); // one step early
      const older = await signIn(user, 'USER_PASSWORD_AUTH');
      assert.deepEqual(await errorOf(answer(user, older, appCode(secret))), SPENT, 'the current code, older than one already used');
      gh.clock.advance(2 * STEP);
      await assertTokens(await answer(user, older, appCode(secret)), user);
    });

    test('EMAIL_OTP as MFA: the emailed code, with the pool’s message and subject', async () => {
      const pool = await newPool({ UserPoolTier: 'ESSENTIALS' }, { MfaConfiguration: 'ON', EmailMfaConfiguration: { Message: 'Sign in with {####}', Subject: 'Your Gatehouse code' } });
      const user = await newUser(pool, { phone: false });
      for (const flow of FLOWS) {
        const admin = flow === 'ADMIN_USER_PASSWORD_AUTH';
        const step = await signIn(user, flow);
        assert.equal(step.ChallengeName, 'EMAIL_OTP', flow);
        assert.deepEqual(step.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'u***@e***' });
        const mail = await mailbox.next(user.email);
        assert.equal(mail.channel, 'EMAIL');
        assert.equal(mail.subject, 'Your Gatehouse code', 'the pool’s subject, not the default');
        assert.equal(mail.message, `Sign in with ${mail.code}`);
        assert.deepEqual(await errorOf(answer(user, step, wrongOf(mail.code), { admin })), MISMATCH);
        assert.equal((await errorOf(respond(user, step, 'EMAIL_OTP', { SMS_MFA_CODE: mail.code }, { admin }))).name, 'InvalidParameterException', 'the code under another key');
        await assertTokens(await answer(user, step, mail.code, { admin }), user);
      }
      // Expired: past three minutes, on a client whose sessions last longer.
      const patient = await newClient(pool.poolId, { AuthSessionValidity: 10 });
      const step = await signIn(user, 'USER_PASSWORD_AUTH', { clientId: patient });
      const { code } = await mailbox.next(user.email);
      gh.clock.advance(3 * 60_000 + 1000);
      assert.deepEqual(await errorOf(answer(user, step, code, { clientId: patient })), SESSION_EXPIRED);
    });

    test('SELECT_MFA_TYPE when SMS and TOTP are both on and none preferred; a preference goes straight to its challenge', async () => {
      const pool = await newPool(
        { SmsConfiguration: SMS_CONFIGURATION },
        { MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION }, ...TOTP_ON },
      );
      const user = await newUser(pool);
      const tokens = await assertTokens(await signIn(user, 'USER_PASSWORD_AUTH'), user);
      const secret = await enrolTotp(tokens.AccessToken!);
      await gh.cognito.send(
        new SetUserMFAPreferenceCommand({ AccessToken: tokens.AccessToken, SMSMfaSettings: { Enabled: true }, SoftwareTokenMfaSettings: { Enabled: true } }),
      );

      // ANSWER SOFTWARE_TOKEN_MFA
      const select = await signIn(user, 'USER_SRP_AUTH');
      assert.equal(select.ChallengeName, 'SELECT_MFA_TYPE');
      assert.ok(select.Session);
      assert.equal(typeof select.ChallengeParameters!.MFAS_CAN_CHOOSE, 'string');
      assert.deepEqual(JSON.parse(select.ChallengeParameters!.MFAS_CAN_CHOOSE!), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
      assert.equal(sentTo(user.phone), 0, 'nothing is texted before the choice');
      const totp = await respond(user, select, 'SELECT_MFA_TYPE', { ANSWER: 'SOFTWARE_TOKEN_MFA' });
      assert.equal(totp.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      assert.ok(totp.Session && totp.Session !== select.Session);
      assert.equal(sentTo(user.phone), 0);
      assert.deepEqual(await errorOf(answer(user, totp, wrongOf(appCode(secret)))), TOTP_MISMATCH);
      await assertTokens(await answer(user, totp, appCode(secret)), user);

      // ANSWER SMS_MFA, through the admin operations
      const select2 = await signIn(user, 'ADMIN_USER_PASSWORD_AUTH');
      assert.equal(select2.ChallengeName, 'SELECT_MFA_TYPE');
      const sms = await respond(user, select2, 'SELECT_MFA_TYPE', { ANSWER: 'SMS_MFA' }, { admin: true });
      assert.equal(sms.ChallengeName, 'SMS_MFA');
      assert.deepEqual(sms.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: smsMask(user.phone) });
      await assertTokens(await answer(user, sms, (await smsTo(user)).code, { admin: true }), user);

      // A factor that was not offered
      const select3 = await signIn(user, 'USER_PASSWORD_AUTH');
      assert.equal((await errorOf(respond(user, select3, 'SELECT_MFA_TYPE', { ANSWER: 'EMAIL_OTP' }))).name, 'InvalidParameterException');
      // Answering the chosen challenge with the selection's session does not skip the selection.
      const select4 = await signIn(user, 'USER_PASSWORD_AUTH');
      assert.deepEqual(await errorOf(respond(user, select4, 'SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: appCode(secret) })), SESSION_EXPIRED);

      // A preferred factor is asked for straight away.
      gh.clock.advance(STEP);
      await gh.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: tokens.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const preferTotp = await signIn(user, 'USER_PASSWORD_AUTH');
      assert.equal(preferTotp.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      await assertTokens(await answer(user, preferTotp, appCode(secret)), user);
      await gh.cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: user.username, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const preferSms = await signIn(user, 'USER_SRP_AUTH');
      assert.equal(preferSms.ChallengeName, 'SMS_MFA');
      await assertTokens(await answer(user, preferSms, (await smsTo(user)).code), user);
    });

    test('MFA_SETUP when MFA is required and the user has no factor: an authenticator set up inside the sign-in', async () => {
      const pool = await newPool({}, { MfaConfiguration: 'ON', ...TOTP_ON });
      const user = await newUser(pool, { phone: false });

      // Answering MFA_SETUP before an authenticator is verified is refused.
      const early = await signIn(user, 'USER_PASSWORD_AUTH');
      assert.deepEqual(await errorOf(respond(user, early, 'MFA_SETUP', {})), SESSION_EXPIRED, 'nothing associated');
      const half = await signIn(user, 'USER_PASSWORD_AUTH');
      const halfAssociated = await gh.cognito.send(new AssociateSoftwareTokenCommand({ Session: half.Session }));
      assert.deepEqual(await errorOf(respond(user, { Session: halfAssociated.Session! }, 'MFA_SETUP', {})), SESSION_EXPIRED, 'associated, not verified');

      for (const flow of ['ADMIN_USER_PASSWORD_AUTH', 'USER_SRP_AUTH'] as const) {
        const challenge = await signIn(user, flow);
        assert.equal(challenge.ChallengeName, 'MFA_SETUP', flow);
        assert.ok(challenge.Session);
      }
      const challenge = await signIn(user, 'USER_PASSWORD_AUTH');
      assert.equal(challenge.ChallengeName, 'MFA_SETUP');
      assert.equal(challenge.ChallengeParameters!.MFAS_CAN_SETUP, '["SOFTWARE_TOKEN_MFA"]');
      const associated = await gh.cognito.send(new AssociateSoftwareTokenCommand({ Session: challenge.Session }));
      assert.match(associated.SecretCode!, /^[A-Z2-7]{32}$/);
      assert.ok(associated.Session && associated.Session !== challenge.Session);
      const right = appCode(associated.SecretCode!);
      assert.deepEqual(await errorOf(gh.cognito.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: wrongOf(right) }))), {
        name: 'EnableSoftwareTokenMFAException',
        message: 'Code mismatch and fail enable Software Token MFA',
        status: 400,
      });
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: user.username }))).UserMFASettingList, undefined, 'a wrong code turns nothing on');
      const verified = await gh.cognito.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: right, FriendlyDeviceName: 'phone' }));
      assert.equal(verified.Status, 'SUCCESS');
      assert.ok(verified.Session && verified.Session !== associated.Session);
      assert.equal((await errorOf(respond(user, { Session: associated.Session }, 'MFA_SETUP', {}))).name, 'NotAuthorizedException', 'the associate step’s session has moved on');
      const done = await respond(user, { Session: verified.Session }, 'MFA_SETUP', {});
      await assertTokens(done, user);
      assert.deepEqual(await errorOf(respond(user, { Session: verified.Session }, 'MFA_SETUP', {})), SESSION_USED, 'answered once');
      const { UserMFASettingList, PreferredMfaSetting } = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: user.username }));
      assert.deepEqual([UserMFASettingList, PreferredMfaSetting], [['SOFTWARE_TOKEN_MFA'], 'SOFTWARE_TOKEN_MFA']);

      // From now on the sign-in asks for the authenticator's code.
      gh.clock.advance(STEP);
      const next = await signIn(user, 'USER_SRP_AUTH');
      assert.equal(next.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      await assertTokens(await answer(user, next, appCode(associated.SecretCode!)), user);

      // The admin operations take an MFA_SETUP answer too.
      const other = await newUser(pool, { phone: false });
      const adminSetup = await signIn(other, 'ADMIN_USER_PASSWORD_AUTH');
      const adminAssociated = await gh.cognito.send(new AssociateSoftwareTokenCommand({ Session: adminSetup.Session }));
      const adminVerified = await gh.cognito.send(new VerifySoftwareTokenCommand({ Session: adminAssociated.Session, UserCode: appCode(adminAssociated.SecretCode!) }));
      await assertTokens(await respond(other, { Session: adminVerified.Session! }, 'MFA_SETUP', {}, { admin: true }), other);
    });

    test('optional MFA: no factor turned on gives tokens, a factor turned on gives its challenge, and MFA OFF asks for nothing', async () => {
      const pool = await newPool({ SmsConfiguration: SMS_CONFIGURATION, MfaConfiguration: 'OPTIONAL' });
      const user = await newUser(pool);
      for (const flow of FLOWS) await assertTokens(await signIn(user, flow), user);
      assert.equal(sentTo(user.phone), 0, 'a phone number alone turns nothing on');

      await gh.cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: user.username, SMSMfaSettings: { Enabled: true } }));
      for (const flow of FLOWS) {
        const step = await signIn(user, flow);
        assert.equal(step.ChallengeName, 'SMS_MFA', flow);
        await assertTokens(await answer(user, step, (await smsTo(user)).code, { admin: flow === 'ADMIN_USER_PASSWORD_AUTH' }), user);
      }

      // The legacy settings turn it off and on again.
      await gh.cognito.send(new AdminSetUserSettingsCommand({ UserPoolId: pool.poolId, Username: user.username, MFAOptions: [] }));
      await assertTokens(await signIn(user, 'USER_PASSWORD_AUTH'), user);
      await gh.cognito.send(new AdminSetUserSettingsCommand({ UserPoolId: pool.poolId, Username: user.username, MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }));
      const step = await signIn(user, 'USER_PASSWORD_AUTH');
      assert.equal(step.ChallengeName, 'SMS_MFA');
      await assertTokens(await answer(user, step, (await smsTo(user)).code), user);

      // With the pool's MFA off, a user's factor is not asked for.
      await gh.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'OFF' }));
      await assertTokens(await signIn(user, 'USER_SRP_AUTH'), user);
    });

    test('a remembered device stands in for MFA when ChallengeRequiredOnNewDevice is true, and only when remembered', async () => {
      const pool = await newPool({ DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } }, { MfaConfiguration: 'ON', ...TOTP_ON });
      const user = await newUser(pool, { phone: false });
      const { secret, done: setUp } = await setUpTotp(user, await signIn(user, 'USER_PASSWORD_AUTH'));
      assert.ok((await assertTokens(setUp, user)).NewDeviceMetadata, 'a tracking pool names a new device after MFA_SETUP too');

      // A new device: MFA, then tokens with the new device's key, which the client confirms.
      const challenged = await signIn(user, 'USER_PASSWORD_AUTH');
      assert.equal(challenged.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      const result = await assertTokens(await answer(user, challenged, appCode(secret)), user);
      gh.clock.advance(STEP);
      const { DeviceKey, DeviceGroupKey } = result.NewDeviceMetadata!;
      const verifier = deviceVerifier(DeviceGroupKey!, DeviceKey!);
      const confirmed = await gh.cognito.send(new ConfirmDeviceCommand({ AccessToken: result.AccessToken, DeviceKey, DeviceSecretVerifierConfig: verifier.config, DeviceName: 'laptop' }));
      assert.equal(confirmed.UserConfirmationNecessary, false);
      const device: Device = { deviceKey: DeviceKey!, groupKey: DeviceGroupKey!, password: verifier.password };

      // The remembered device proves itself instead of a code, in either flow.
      for (const flow of ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH'] as const) {
        const step = await signIn(user, flow, { deviceKey: device.deviceKey });
        assert.equal(step.ChallengeName, 'DEVICE_SRP_AUTH', `${flow}: no MFA`);
        const signedIn = await assertTokens(await proveDevice(user, step, device), user);
        assert.equal(decode(signedIn.AccessToken!).device_key, device.deviceKey);
        assert.equal(signedIn.NewDeviceMetadata, undefined);
      }

      // Not remembered any more: the code first, then the device's proof.
      await gh.cognito.send(new UpdateDeviceStatusCommand({ AccessToken: result.AccessToken, DeviceKey, DeviceRememberedStatus: 'not_remembered' }));
      const step = await signIn(user, 'USER_PASSWORD_AUTH', { deviceKey: device.deviceKey });
      assert.equal(step.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      assert.deepEqual(await errorOf(answer(user, step, wrongOf(appCode(secret)))), TOTP_MISMATCH);
      const proven = await answer(user, step, appCode(secret));
      assert.equal(proven.ChallengeName, 'DEVICE_SRP_AUTH', 'the DEVICE_KEY of the sign-in is carried through the MFA challenge');
      const signedIn = await assertTokens(await proveDevice(user, proven, device), user);
      assert.equal(decode(signedIn.AccessToken!).device_key, device.deviceKey);
    });

    test('with ChallengeRequiredOnNewDevice false a remembered device does not replace MFA: the code, then the device’s proof', async () => {
      const pool = await newPool({ DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } }, { MfaConfiguration: 'ON', ...TOTP_ON });
      const user = await newUser(pool, { phone: false });
      const { secret, done } = await setUpTotp(user, await signIn(user, 'USER_PASSWORD_AUTH'));
      const result = await assertTokens(done, user);
      const { DeviceKey, DeviceGroupKey } = result.NewDeviceMetadata!;
      const verifier = deviceVerifier(DeviceGroupKey!, DeviceKey!);
      await gh.cognito.send(new ConfirmDeviceCommand({ AccessToken: result.AccessToken, DeviceKey, DeviceSecretVerifierConfig: verifier.config }));
      const device: Device = { deviceKey: DeviceKey!, groupKey: DeviceGroupKey!, password: verifier.password };

      for (const flow of ['USER_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH'] as const) {
        const step = await signIn(user, flow, { deviceKey: device.deviceKey });
        assert.equal(step.ChallengeName, 'SOFTWARE_TOKEN_MFA', flow);
        const proven = await answer(user, step, appCode(secret), { admin: flow === 'ADMIN_USER_PASSWORD_AUTH' });
        assert.equal(proven.ChallengeName, 'DEVICE_SRP_AUTH');
        assert.equal(decode((await assertTokens(await proveDevice(user, proven, device), user)).AccessToken!).device_key, device.deviceKey);
        gh.clock.advance(STEP);
      }
    });

    test('NEW_PASSWORD_REQUIRED comes before MFA: after the new password, SMS_MFA', async () => {
      const pool = await newPool({ SmsConfiguration: SMS_CONFIGURATION, MfaConfiguration: 'ON' });
      const user = await newUser(pool, { email: false, temporary: 'Temporary1!' });
      for (const flow of ['USER_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH'] as const) {
        const admin = flow === 'ADMIN_USER_PASSWORD_AUTH';
        const sent = sentTo(user.phone);
        const first = await signIn(user, flow);
        assert.equal(first.ChallengeName, 'NEW_PASSWORD_REQUIRED', flow);
        assert.equal(sentTo(user.phone), sent, 'no code before the new password');
        const password = `Brand-new1-${flow.length}`;
        const mfa = await respond(user, first, 'NEW_PASSWORD_REQUIRED', { NEW_PASSWORD: password }, { admin });
        assert.equal(mfa.ChallengeName, 'SMS_MFA');
        assert.deepEqual(mfa.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: smsMask(user.phone) });
        await assertTokens(await answer(user, mfa, (await smsTo(user)).code, { admin }), user);
        const next = await signIn(user, 'USER_PASSWORD_AUTH', { password });
        assert.equal(next.ChallengeName, 'SMS_MFA', 'the new password is permanent; MFA stays');
        await assertTokens(await answer(user, next, (await smsTo(user)).code), user);
        await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: user.username, Password: 'Temporary1!', Permanent: false }));
      }
    });
  });
}

// amazon-cognito-identity-js 6.3.21, unmodified: its MFA callbacks and methods against Gatehouse.
type CognitoUserType = InstanceType<typeof CognitoUser>;
type LibraryOutcome =
  | { kind: 'tokens'; session: CognitoUserSession }
  | { kind: 'mfaRequired' | 'totpRequired' | 'selectMFAType' | 'mfaSetup'; challengeName: string; parameters: Record<string, string> };

/** authenticateUser (SRP, the library's default) as a promise: tokens, or which MFA callback was called. */
function libraryAuthenticate(user: CognitoUserType, Username: string, Password: string): Promise<LibraryOutcome> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username, Password }), {
      onSuccess: (session) => resolve({ kind: 'tokens', session }),
      onFailure: reject,
      mfaRequired: (challengeName, parameters) => resolve({ kind: 'mfaRequired', challengeName, parameters }),
      totpRequired: (challengeName, parameters) => resolve({ kind: 'totpRequired', challengeName, parameters }),
      selectMFAType: (challengeName, parameters) => resolve({ kind: 'selectMFAType', challengeName, parameters }),
      mfaSetup: (challengeName, parameters) => resolve({ kind: 'mfaSetup', challengeName, parameters }),
    }),
  );
}
const sendMfaCode = (user: CognitoUserType, code: string, mfaType?: string) =>
  new Promise<CognitoUserSession>((resolve, reject) => user.sendMFACode(code, { onSuccess: resolve, onFailure: reject }, mfaType));
const nodeCall = <T>(run: (callback: (error: unknown, result?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result as T))));
async function libraryFailure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { code?: string };
    return { code: e.code, message: e.message };
  }
  assert.fail('expected the library to report an error');
}

describe('amazon-cognito-identity-js MFA against Gatehouse', () => {
  let gh: TestGatehouse;
  let mailbox: Mailbox;
  let seq = 0;
  withGatehouseAndMailbox('sqlite', (gatehouse, box) => ((gh = gatehouse), (mailbox = box)));

  // The library's SRP TIMESTAMP is the real time: each test (with users of its own, whose TOTP steps
  // start afresh) puts the server's clock back to it and moves it only a few steps (within SRP's tolerance).
  beforeEach(() => gh.clock.set(Date.now()));
  const appCode = (secret: string) => authenticator.clone({ epoch: gh.clock.now() }).generate(secret);

  async function newPool(input: Partial<CreateUserPoolCommandInput>, mfa?: MfaConfig): Promise<{ poolId: string; clientId: string }> {
    const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: `lib-${++seq}`, ...input }))).UserPool!.Id!;
    if (mfa) await gh.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
    const client = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    return { poolId, clientId: client.UserPoolClient!.ClientId! };
  }
  async function newUser(pool: { poolId: string }, phone: boolean): Promise<{ username: string; phone: string }> {
    const n = ++seq;
    const user = { username: `lib${n}`, phone: `+1555556${String(n).padStart(4, '0')}` };
    await gh.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.poolId,
        Username: user.username,
        MessageAction: 'SUPPRESS',
        UserAttributes: phone ? [{ Name: 'phone_number', Value: user.phone }, { Name: 'phone_number_verified', Value: 'true' }] : [],
      }),
    );
    await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: user.username, Password: 'Password1!', Permanent: true }));
    return user;
  }
  /** A fresh "browser" for this user: its own storage, the library's own objects. */
  const libraryUser = (pool: { poolId: string; clientId: string }, Username: string, storage = new MapStorage()) => {
    const poolData: ICognitoUserPoolData = { UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint: gh.url, Storage: storage };
    return new CognitoUser({ Username, Pool: new CognitoUserPool(poolData), Storage: storage });
  };
  const signIn = (pool: { poolId: string; clientId: string }, username: string, storage?: MapStorage) => {
    const user = libraryUser(pool, username, storage);
    return libraryAuthenticate(user, username, 'Password1!').then((outcome) => ({ user, outcome }));
  };
  const userData = (user: CognitoUserType) => nodeCall<{ UserMFASettingList?: string[]; PreferredMfaSetting?: string; MFAOptions?: unknown[] }>((cb) => user.getUserData(cb, { bypassCache: true }));

  test('mfaRequired → sendMFACode with the texted code; a wrong code reaches onFailure and the right one still works', async () => {
    const pool = await newPool({ SmsConfiguration: SMS_CONFIGURATION, MfaConfiguration: 'ON', SmsAuthenticationMessage: 'Code: {####}' });
    const { username, phone } = await newUser(pool, true);
    const { user, outcome } = await signIn(pool, username);
    assert.ok(outcome.kind === 'mfaRequired', outcome.kind);
    assert.equal(outcome.challengeName, 'SMS_MFA');
    assert.deepEqual(outcome.parameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: smsMask(phone) });
    const text = await mailbox.next(phone);
    assert.equal(text.message, `Code: ${text.code}`);
    assert.deepEqual(await libraryFailure(sendMfaCode(user, wrongOf(text.code))), { code: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' });
    const session = await sendMfaCode(user, text.code);
    assert.ok(session.isValid());
    assert.equal(session.getAccessToken().payload.username, username);
    const stored = await nodeCall<CognitoUserSession>((cb) => user.getSession(cb));
    assert.equal(stored.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken(), 'the library cached the tokens');
  });

  test('mfaSetup → associateSoftwareToken → verifySoftwareToken; then totpRequired → sendMFACode(…, SOFTWARE_TOKEN_MFA)', async () => {
    const pool = await newPool({}, { MfaConfiguration: 'ON', ...TOTP_ON });
    const { username } = await newUser(pool, false);
    const { user, outcome } = await signIn(pool, username);
    assert.ok(outcome.kind === 'mfaSetup', outcome.kind);
    assert.equal(outcome.challengeName, 'MFA_SETUP');
    assert.deepEqual(JSON.parse(outcome.parameters.MFAS_CAN_SETUP!), ['SOFTWARE_TOKEN_MFA']);
    const secret = await new Promise<string>((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const verify = (code: string) => new Promise<CognitoUserSession>((resolve, reject) => user.verifySoftwareToken(code, 'My phone', { onSuccess: resolve, onFailure: reject }));
    assert.equal((await libraryFailure(verify(wrongOf(appCode(secret))))).code, 'EnableSoftwareTokenMFAException');
    const session = await verify(appCode(secret));
    assert.ok(session.isValid(), 'verifySoftwareToken answered MFA_SETUP and got tokens');
    assert.equal(session.getIdToken().payload['cognito:username'], username);
    const data = await userData(user);
    assert.deepEqual([data.UserMFASettingList, data.PreferredMfaSetting], [['SOFTWARE_TOKEN_MFA'], 'SOFTWARE_TOKEN_MFA']);

    gh.clock.advance(STEP);
    const again = await signIn(pool, username);
    assert.ok(again.outcome.kind === 'totpRequired', again.outcome.kind);
    assert.equal(again.outcome.challengeName, 'SOFTWARE_TOKEN_MFA');
    const code = appCode(secret);
    assert.equal((await libraryFailure(sendMfaCode(again.user, wrongOf(code), 'SOFTWARE_TOKEN_MFA'))).code, 'CodeMismatchException');
    assert.ok((await sendMfaCode(again.user, code, 'SOFTWARE_TOKEN_MFA')).isValid());
  });

  test('setUserMfaPreference and getUserData; selectMFAType → sendMFASelectionAnswer for either factor; enableMFA and disableMFA', async () => {
    const pool = await newPool({ SmsConfiguration: SMS_CONFIGURATION }, { MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION }, ...TOTP_ON });
    const { username, phone } = await newUser(pool, true);
    const { user, outcome } = await signIn(pool, username);
    assert.equal(outcome.kind, 'tokens', 'optional MFA with nothing turned on');
    assert.deepEqual(await userData(user).then((d) => [d.UserMFASettingList, d.PreferredMfaSetting]), [undefined, undefined]);

    // An authenticator added by a signed-in user (the access-token path of both methods).
    const secret = await new Promise<string>((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    const verified = await new Promise<unknown>((resolve, reject) => user.verifySoftwareToken(appCode(secret), 'phone', { onSuccess: resolve as never, onFailure: reject }));
    assert.deepEqual(verified, { Status: 'SUCCESS' });
    gh.clock.advance(STEP);
    assert.equal(await nodeCall<string>((cb) => user.setUserMfaPreference({ Enabled: true, PreferredMfa: false }, { Enabled: true, PreferredMfa: false }, cb)), 'SUCCESS');
    const both = await userData(user);
    assert.deepEqual([both.UserMFASettingList, both.PreferredMfaSetting], [['SMS_MFA', 'SOFTWARE_TOKEN_MFA'], undefined]);

    const select = (answer: string, browser: CognitoUserType) =>
      new Promise<{ callback: string; challengeName: string; parameters: Record<string, string> }>((resolve, reject) =>
        browser.sendMFASelectionAnswer(answer, {
          onSuccess: () => reject(new Error('tokens without a code')),
          onFailure: reject,
          mfaRequired: (challengeName, parameters) => resolve({ callback: 'mfaRequired', challengeName, parameters }),
          totpRequired: (challengeName, parameters) => resolve({ callback: 'totpRequired', challengeName, parameters }),
        }),
      );
    const first = await signIn(pool, username);
    assert.ok(first.outcome.kind === 'selectMFAType', first.outcome.kind);
    assert.deepEqual(JSON.parse(first.outcome.parameters.MFAS_CAN_CHOOSE!), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
    const totp = await select('SOFTWARE_TOKEN_MFA', first.user);
    assert.deepEqual([totp.callback, totp.challengeName], ['totpRequired', 'SOFTWARE_TOKEN_MFA']);
    assert.ok((await sendMfaCode(first.user, appCode(secret), 'SOFTWARE_TOKEN_MFA')).isValid());

    const second = await signIn(pool, username);
    assert.equal(second.outcome.kind, 'selectMFAType');
    const sms = await select('SMS_MFA', second.user);
    assert.deepEqual([sms.callback, sms.challengeName, sms.parameters.CODE_DELIVERY_DELIVERY_MEDIUM], ['mfaRequired', 'SMS_MFA', 'SMS']);
    assert.ok((await sendMfaCode(second.user, (await mailbox.next(phone)).code)).isValid());

    // Preferring TOTP: straight to totpRequired.
    gh.clock.advance(STEP);
    assert.equal(await nodeCall<string>((cb) => user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, cb)), 'SUCCESS');
    assert.equal((await userData(user)).PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    const preferred = await signIn(pool, username);
    assert.equal(preferred.outcome.kind, 'totpRequired');
    assert.ok((await sendMfaCode(preferred.user, appCode(secret), 'SOFTWARE_TOKEN_MFA')).isValid());

    // The deprecated enableMFA / disableMFA (SetUserSettings) for a user with SMS alone.
    const other = await newUser(pool, true);
    const plain = await signIn(pool, other.username);
    assert.equal(plain.outcome.kind, 'tokens');
    assert.equal(await nodeCall<string>((cb) => plain.user.enableMFA(cb)), 'SUCCESS');
    const enabled = await userData(plain.user);
    assert.deepEqual([enabled.UserMFASettingList, enabled.MFAOptions], [['SMS_MFA'], [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]]);
    const texted = await signIn(pool, other.username);
    assert.equal(texted.outcome.kind, 'mfaRequired');
    assert.ok((await sendMfaCode(texted.user, (await mailbox.next(other.phone)).code)).isValid());
    assert.equal(await nodeCall<string>((cb) => texted.user.disableMFA(cb)), 'SUCCESS');
    assert.deepEqual((await userData(texted.user)).UserMFASettingList, undefined);
    assert.equal((await signIn(pool, other.username)).outcome.kind, 'tokens');
  });

  /** A tracking pool whose TOTP-only required MFA lets a remembered device stand in; the user's authenticator set up through mfaSetup. */
  async function trackedUserWithTotp() {
    const pool = await newPool({ DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } }, { MfaConfiguration: 'ON', ...TOTP_ON });
    const { username } = await newUser(pool, false);
    const storage = new MapStorage(); // one browser throughout
    const setUp = await signIn(pool, username, storage);
    assert.equal(setUp.outcome.kind, 'mfaSetup');
    const secret = await new Promise<string>((resolve, reject) => setUp.user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    await new Promise<CognitoUserSession>((resolve, reject) => setUp.user.verifySoftwareToken(appCode(secret), 'phone', { onSuccess: resolve, onFailure: reject }));
    gh.clock.advance(STEP);

    // A new device: totpRequired, and sendMFACode confirms the device the answer names.
    const challenged = await signIn(pool, username, storage);
    assert.equal(challenged.outcome.kind, 'totpRequired');
    const session = await sendMfaCode(challenged.user, appCode(secret), 'SOFTWARE_TOKEN_MFA');
    const deviceKey = [...storage.items].find(([key]) => key.endsWith(`${username}.deviceKey`))?.[1];
    assert.ok(deviceKey, 'sendMFACode confirmed the new device and cached its key');
    assert.equal(session.getAccessToken().payload.device_key, deviceKey);
    gh.clock.advance(STEP);
    return { pool, username, storage, secret, deviceKey, accessToken: session.getAccessToken().getJwtToken() };
  }

  test('a tracking pool: sendMFACode confirms the new device; remembered, the device’s SRP replaces the code inside authenticateUser', async () => {
    const { pool, username, storage, deviceKey } = await trackedUserWithTotp();
    const remembered = await signIn(pool, username, storage);
    assert.ok(remembered.outcome.kind === 'tokens', `remembered device: ${remembered.outcome.kind}`);
    assert.equal(remembered.outcome.session.getAccessToken().payload.device_key, deviceKey);
  });

  // CognitoUser.sendMFACode answers a DEVICE_SRP_AUTH that follows the MFA answer with its old
  // this.Session (the MFA one), so that challenge keeps the MFA session's id.
  test(
    'a device not remembered: totpRequired, then sendMFACode goes on to the device’s SRP by itself',
    async () => {
      const { pool, username, storage, secret, deviceKey, accessToken } = await trackedUserWithTotp();
      await gh.cognito.send(new UpdateDeviceStatusCommand({ AccessToken: accessToken, DeviceKey: deviceKey, DeviceRememberedStatus: 'not_remembered' }));
      const forgotten = await signIn(pool, username, storage);
      assert.equal(forgotten.outcome.kind, 'totpRequired');
      const after = await sendMfaCode(forgotten.user, appCode(secret), 'SOFTWARE_TOKEN_MFA');
      assert.equal(after.getAccessToken().payload.device_key, deviceKey);
    },
  );
});
