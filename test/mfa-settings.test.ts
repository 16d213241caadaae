import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  AdminUpdateUserAttributesCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SetUserSettingsCommand,
  UpdateUserPoolCommand,
  VerifySoftwareTokenCommand,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { authenticator } from 'otplib';
import { SecretBox } from '../src/domain/keys/secret-box.js';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { adminSignIn, poolWithUser, type SignInTarget } from './support/sign-in.js';

const SMS_CONFIGURATION = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'gatehouse' };
const TOTP_ON = { SoftwareTokenMfaConfiguration: { Enabled: true } };

for (const backend of backends()) {
  describe(`MFA settings (${backend})`, () => {
    let gh: TestGatehouse;
    before(async () => {
      gh = await startTestGatehouse(backend);
    });
    after(() => gh.stop());

    /** The code an authenticator app (otplib, independent of Gatehouse) shows now on the server's clock. */
    const appCode = (secret: string, offsetMs = 0) => authenticator.clone({ epoch: gh.clock.now() + offsetMs }).generate(secret);
    const setPoolMfa = (UserPoolId: string, input: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>) =>
      gh.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId, ...input }));
    const adminMfa = async (target: SignInTarget) => {
      const { UserMFASettingList, PreferredMfaSetting, MFAOptions } = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: target.poolId, Username: target.username }));
      return { UserMFASettingList, PreferredMfaSetting, MFAOptions };
    };
    const ownMfa = async (AccessToken: string) => {
      const { UserMFASettingList, PreferredMfaSetting, MFAOptions } = await gh.cognito.send(new GetUserCommand({ AccessToken }));
      return { UserMFASettingList, PreferredMfaSetting, MFAOptions };
    };
    const userRecord = async (target: SignInTarget) => (await gh.server.services.users.get(target.poolId, target.username)).user;

    /** A signed-in user with an email and a phone number, in a pool whose MFA is then configured. */
    async function signedInUser(name: string, mfa?: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>): Promise<{ target: SignInTarget; accessToken: string }> {
      const target = await poolWithUser(gh.cognito, name);
      await gh.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: target.poolId,
          Username: target.username,
          UserAttributes: [
            { Name: 'email', Value: 'ann@example.com' },
            { Name: 'phone_number', Value: '+15555550100' },
          ],
        }),
      );
      // Signed in before MFA is turned on, so no second factor stands in the way of the token.
      const accessToken = (await adminSignIn(gh.cognito, target)).AccessToken!;
      if (mfa) await setPoolMfa(target.poolId, mfa);
      return { target, accessToken };
    }

    test('a new pool has MFA off; SetUserPoolMfaConfig round-trips and DescribeUserPool agrees', async () => {
      const { UserPool } = await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'mfa-config' }));
      const UserPoolId = UserPool!.Id!;
      const fresh = await gh.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
      assert.equal(fresh.MfaConfiguration, 'OFF');
      assert.equal(fresh.SoftwareTokenMfaConfiguration, undefined);
      assert.equal(fresh.SmsMfaConfiguration, undefined);

      const configuration = {
        MfaConfiguration: 'OPTIONAL' as const,
        SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your code is {####}', SmsConfiguration: SMS_CONFIGURATION },
        ...TOTP_ON,
        EmailMfaConfiguration: { Message: 'Sign in with {####}', Subject: 'Your code' },
      };
      const set = await setPoolMfa(UserPoolId, configuration);
      const got = await gh.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
      for (const answer of [set, got]) {
        assert.equal(answer.MfaConfiguration, 'OPTIONAL');
        assert.deepEqual(answer.SmsMfaConfiguration, configuration.SmsMfaConfiguration);
        assert.deepEqual(answer.SoftwareTokenMfaConfiguration, { Enabled: true });
        assert.deepEqual(answer.EmailMfaConfiguration, configuration.EmailMfaConfiguration);
      }
      const described = (await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!;
      assert.equal(described.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(described.SmsConfiguration, SMS_CONFIGURATION);
      assert.equal(described.SmsAuthenticationMessage, 'Your code is {####}');
      assert.equal((described as Record<string, unknown>).SoftwareTokenMfaConfiguration, undefined, 'factor settings are GetUserPoolMfaConfig’s alone');

      // The whole configuration is replaced: TOTP alone leaves email off (SMS stays with the pool's SmsConfiguration).
      await setPoolMfa(UserPoolId, { MfaConfiguration: 'ON', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION }, ...TOTP_ON });
      const replaced = await gh.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
      assert.equal(replaced.MfaConfiguration, 'ON');
      assert.equal(replaced.EmailMfaConfiguration, undefined);
      assert.equal(replaced.SmsMfaConfiguration?.SmsAuthenticationMessage, 'Your code is {####}', 'a message not given is kept');
      assert.equal((await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!.MfaConfiguration, 'ON');
    });

    test('SetUserPoolMfaConfig refuses what Cognito refuses', async () => {
      const UserPoolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'mfa-rules' }))).UserPool!.Id!;
      const refusal = (input: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>) => errorOf(setPoolMfa(UserPoolId, input));
      assert.deepEqual(await refusal({ MfaConfiguration: 'OFF', ...TOTP_ON }), {
        name: 'InvalidParameterException',
        message: "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
        status: 400,
      });
      assert.equal((await refusal({ MfaConfiguration: 'OFF', EmailMfaConfiguration: {} })).message, "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
      const noFactor = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.";
      assert.equal((await refusal({ MfaConfiguration: 'OPTIONAL' })).message, noFactor);
      // SMS MFA in a pool with no way to send SMS would leave users a factor they cannot use.
      assert.deepEqual(await refusal({ MfaConfiguration: 'ON', SmsMfaConfiguration: {} }), {
        name: 'InvalidParameterException',
        message: 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
        status: 400,
      });
      assert.equal((await refusal({ MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}' }, ...TOTP_ON })).name, 'InvalidParameterException');
      assert.equal((await refusal({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: false } })).message, noFactor);
      assert.equal((await refusal({ ...TOTP_ON })).message, "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.", 'MfaConfiguration left out is OFF');
      assert.equal((await refusal({ MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: { Message: 'no code here' } })).name, 'InvalidParameterException');
      // Nothing was stored by the refused calls.
      assert.equal((await gh.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId }))).MfaConfiguration, 'OFF');

      await setPoolMfa(UserPoolId, { MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: false } });
      // A pool that verifies phone numbers by SMS has SMS MFA whenever MFA is on (issue 16: Amplify's
      // loginWith phone + TOTP-only MFA meets this refusal) ...
      const verifiesPhones = (
        await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'mfa-sms-verify', SmsConfiguration: SMS_CONFIGURATION, AutoVerifiedAttributes: ['phone_number'] }))
      ).UserPool!.Id!;
      assert.deepEqual(await errorOf(setPoolMfa(verifiesPhones, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON })), {
        name: 'InvalidParameterException',
        message: "Can't turn off SMS_MFA when SMS configuration is set for the user pool",
        status: 400,
      });
      // ... any other pool with an SMS configuration may offer TOTP alone, and SMS is then no factor.
      const withSms = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'mfa-sms', SmsConfiguration: SMS_CONFIGURATION }))).UserPool!.Id!;
      const totpOnly = await setPoolMfa(withSms, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON });
      assert.equal(totpOnly.MfaConfiguration, 'OPTIONAL');
      assert.equal(totpOnly.SmsMfaConfiguration, undefined, 'SMS MFA is off');
      assert.deepEqual(totpOnly.SoftwareTokenMfaConfiguration, { Enabled: true });
      const read = await gh.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: withSms }));
      assert.equal(read.SmsMfaConfiguration, undefined);
      assert.deepEqual((await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: withSms }))).UserPool!.SmsConfiguration, SMS_CONFIGURATION, 'the SMS configuration stays');
      const both = await setPoolMfa(withSms, { MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: {}, ...TOTP_ON });
      assert.deepEqual(both.SmsMfaConfiguration?.SmsConfiguration, SMS_CONFIGURATION, 'SMS MFA back on');
      const lite = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'mfa-lite', UserPoolTier: 'LITE' }))).UserPool!.Id!;
      assert.equal((await errorOf(setPoolMfa(lite, { MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} }))).name, 'FeatureUnavailableInTierException');
    });

    test('UpdateUserPool keeps MFA as SetUserPoolMfaConfig left it, and cannot newly require it', async () => {
      const UserPoolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'mfa-update' }))).UserPool!.Id!;
      assert.equal(
        (await errorOf(gh.cognito.send(new UpdateUserPoolCommand({ UserPoolId, MfaConfiguration: 'OPTIONAL' })))).message,
        'SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
      );
      await setPoolMfa(UserPoolId, { MfaConfiguration: 'OPTIONAL', ...TOTP_ON });
      assert.deepEqual(await errorOf(gh.cognito.send(new UpdateUserPoolCommand({ UserPoolId, MfaConfiguration: 'ON' }))), {
        name: 'InvalidParameterException',
        message: 'Cannot turn MFA functionality ON, once the user pool has been created.',
        status: 400,
      });
      await gh.cognito.send(new UpdateUserPoolCommand({ UserPoolId, MfaConfiguration: 'OPTIONAL' }));
      assert.deepEqual(await gh.cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId })).then((c) => [c.MfaConfiguration, c.SoftwareTokenMfaConfiguration]), [
        'OPTIONAL',
        { Enabled: true },
      ]);
      // Terraform's order: SetUserPoolMfaConfig turns MFA on, then UpdateUserPool repeats ON.
      await setPoolMfa(UserPoolId, { MfaConfiguration: 'ON', ...TOTP_ON });
      await gh.cognito.send(new UpdateUserPoolCommand({ UserPoolId, MfaConfiguration: 'ON' }));
      assert.equal((await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!.MfaConfiguration, 'ON');
    });

    test('preferences through both APIs, reported by AdminGetUser and GetUser', async () => {
      const { target, accessToken } = await signedInUser('mfa-preferences', {
        MfaConfiguration: 'OPTIONAL',
        SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
        ...TOTP_ON,
        EmailMfaConfiguration: {},
      });
      assert.deepEqual(await adminMfa(target), { UserMFASettingList: undefined, PreferredMfaSetting: undefined, MFAOptions: undefined });

      const admin = (settings: Omit<ConstructorParameters<typeof AdminSetUserMFAPreferenceCommand>[0], 'UserPoolId' | 'Username'>) =>
        gh.cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: target.poolId, Username: target.username, ...settings }));
      await admin({ SMSMfaSettings: { Enabled: true, PreferredMfa: true } });
      const smsOnly = { UserMFASettingList: ['SMS_MFA'], PreferredMfaSetting: 'SMS_MFA', MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] };
      assert.deepEqual(await adminMfa(target), smsOnly);
      assert.deepEqual(await ownMfa(accessToken), smsOnly);

      // Preferring email moves the preference; SMS stays on.
      await gh.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
      assert.deepEqual(await ownMfa(accessToken), { ...smsOnly, UserMFASettingList: ['SMS_MFA', 'EMAIL_OTP'], PreferredMfaSetting: 'EMAIL_OTP' });

      // Turning the preferred factor off drops the preference.
      await admin({ EmailMfaSettings: { Enabled: false, PreferredMfa: false } });
      assert.deepEqual(await adminMfa(target), { ...smsOnly, PreferredMfaSetting: undefined });

      // Each refusal leaves the settings as they were.
      const refused = async (settings: Parameters<typeof admin>[0]) => {
        const before = await adminMfa(target);
        const { message } = await errorOf(admin(settings));
        assert.deepEqual(await adminMfa(target), before);
        return message;
      };
      assert.equal(await refused({ SoftwareTokenMfaSettings: { Enabled: true } }), 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA');
      assert.equal(await refused({ SMSMfaSettings: { Enabled: true, PreferredMfa: true }, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }), 'Only one MFA method can be set as preferred.');
      assert.equal(await refused({ EmailMfaSettings: { Enabled: false, PreferredMfa: true } }), 'EMAIL_OTP must be enabled to be the preferred MFA.');
      await gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: target.poolId, Username: target.username, UserAttributes: [{ Name: 'email', Value: '' }] }));
      assert.equal(await refused({ EmailMfaSettings: { Enabled: true } }), 'User does not have delivery config set to turn on EMAIL_OTP');

      await admin({ SMSMfaSettings: { Enabled: false } });
      assert.deepEqual(await ownMfa(accessToken), { UserMFASettingList: undefined, PreferredMfaSetting: undefined, MFAOptions: undefined });
      assert.equal(
        (await errorOf(gh.cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: target.poolId, Username: 'nobody', SMSMfaSettings: { Enabled: true } })))).name,
        'UserNotFoundException',
      );
    });

    test('the legacy SetUserSettings and AdminSetUserSettings turn SMS MFA on and off', async () => {
      const { target, accessToken } = await signedInUser('mfa-legacy', { MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION } });
      const sms = { DeliveryMedium: 'SMS' as const, AttributeName: 'phone_number' };
      await gh.cognito.send(new AdminSetUserSettingsCommand({ UserPoolId: target.poolId, Username: target.username, MFAOptions: [sms] }));
      assert.deepEqual(await adminMfa(target), { UserMFASettingList: ['SMS_MFA'], PreferredMfaSetting: undefined, MFAOptions: [sms] });
      await gh.cognito.send(new SetUserSettingsCommand({ AccessToken: accessToken, MFAOptions: [] }));
      assert.deepEqual(await ownMfa(accessToken), { UserMFASettingList: undefined, PreferredMfaSetting: undefined, MFAOptions: undefined });
      assert.deepEqual(await errorOf(gh.cognito.send(new SetUserSettingsCommand({ AccessToken: accessToken, MFAOptions: [{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }] }))), {
        name: 'InvalidParameterException',
        message: 'Only phone_number attribute is currently supported as a MFA option.',
        status: 400,
      });
    });

    test('TOTP: associate, a wrong code, verify with an authenticator app, then turn it on', async () => {
      const { target, accessToken } = await signedInUser('mfa-totp', { MfaConfiguration: 'OPTIONAL', ...TOTP_ON });
      assert.deepEqual(await errorOf(gh.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: '123456' }))), {
        name: 'SoftwareTokenMFANotFoundException',
        message: 'Software Token MFA does not exist for the user.',
        status: 400,
      });
      const associated = await gh.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
      assert.match(associated.SecretCode!, /^[A-Z2-7]{32}$/);
      assert.equal(associated.Session, undefined);

      const right = appCode(associated.SecretCode!);
      const wrong = right === '000000' ? '000001' : '000000';
      assert.deepEqual(await errorOf(gh.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: wrong }))), {
        name: 'EnableSoftwareTokenMFAException',
        message: 'Code mismatch and fail enable Software Token MFA',
        status: 400,
      });
      const verified = await gh.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: right, FriendlyDeviceName: 'phone' }));
      assert.equal(verified.Status, 'SUCCESS');
      assert.equal(verified.Session, undefined);
      // Verified but not turned on: optional MFA leaves the choice to the user.
      assert.deepEqual(await ownMfa(accessToken), { UserMFASettingList: undefined, PreferredMfaSetting: undefined, MFAOptions: undefined });

      await gh.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      assert.deepEqual(await ownMfa(accessToken), { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA', MFAOptions: undefined });
      const user = await userRecord(target);
      const { settings } = await gh.server.services.users.poolContext(target.poolId);
      assert.deepEqual(gh.server.services.secondFactors.enabledFactors(user, settings), ['SOFTWARE_TOKEN_MFA']);
      assert.equal(gh.server.services.secondFactors.preferredFactor(user), 'SOFTWARE_TOKEN_MFA');

      // The secret is kept only sealed with the server key.
      const stored = JSON.stringify((await gh.server.storage.users.getBySub(target.poolId, user.sub))!.settings);
      assert.ok(!stored.includes(associated.SecretCode!));
      assert.ok(SecretBox.isSealed((user.settings.mfa as { softwareToken: { secret: string } }).softwareToken.secret));
    });

    test('TOTP at sign-in: each code once, one step of drift, and a new secret only once it is verified', async () => {
      const { target, accessToken } = await signedInUser('mfa-totp-sign-in', { MfaConfiguration: 'ON', ...TOTP_ON });
      const secret = (await gh.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))).SecretCode!;
      const enrolCode = appCode(secret);
      await gh.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: enrolCode }));
      const factors = gh.server.services.secondFactors;
      const check = async (code: string) => factors.checkTotpForSignIn(await userRecord(target), code);

      // Required MFA asks for a verified authenticator even if the user never turned it on.
      const { settings } = await gh.server.services.users.poolContext(target.poolId);
      assert.deepEqual(factors.enabledFactors(await userRecord(target), settings), ['SOFTWARE_TOKEN_MFA']);
      assert.deepEqual((await ownMfa(accessToken)).UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

      assert.equal(await check(enrolCode), 'reused', 'the code that verified the authenticator is spent');
      gh.clock.advance(30_000);
      const next = appCode(secret);
      const [first, second] = await Promise.all([check(next), check(next)]);
      assert.deepEqual([first, second].sort(), ['reused', 'valid'], 'two simultaneous uses: one wins');
      assert.equal(await check(next), 'reused', 'a replayed code');
      gh.clock.advance(30_000);
      assert.equal(await check(appCode(secret, -30_000)), 'reused', 'an older code after a newer one');
      assert.equal(await check(appCode(secret, 30_000)), 'valid', 'the next step, one step early');
      gh.clock.advance(90_000);
      assert.equal(await check(appCode(secret, -60_000)), 'wrong', 'two steps late');

      // A new secret does not replace the working one until it is verified.
      const newSecret = (await gh.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))).SecretCode!;
      assert.notEqual(newSecret, secret);
      assert.equal(await check(appCode(secret)), 'valid', 'the old authenticator still works');
      gh.clock.advance(30_000);
      await gh.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: appCode(newSecret) }));
      gh.clock.advance(30_000);
      assert.equal(await check(appCode(secret)), 'wrong', 'the old authenticator is gone');
      assert.equal(await check(appCode(newSecret)), 'valid');
    });

    test('TOTP set up inside a sign-in (MFA_SETUP) is turned on and preferred', async () => {
      const target = await poolWithUser(gh.cognito, 'mfa-setup');
      await setPoolMfa(target.poolId, { MfaConfiguration: 'ON', ...TOTP_ON });
      const challenge = await gh.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: target.poolId,
          ClientId: target.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: target.username, PASSWORD: target.password },
        }),
      );
      assert.equal(challenge.ChallengeName, 'MFA_SETUP');
      assert.deepEqual(JSON.parse(challenge.ChallengeParameters!.MFAS_CAN_SETUP!), ['SOFTWARE_TOKEN_MFA']);
      const associated = await gh.cognito.send(new AssociateSoftwareTokenCommand({ Session: challenge.Session }));
      assert.match(associated.SecretCode!, /^[A-Z2-7]{32}$/);
      assert.ok(associated.Session && associated.Session !== challenge.Session);
      const verified = await gh.cognito.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: appCode(associated.SecretCode!) }));
      assert.equal(verified.Status, 'SUCCESS');
      assert.ok(verified.Session && verified.Session !== associated.Session);
      assert.deepEqual(await adminMfa(target), { UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA', MFAOptions: undefined });
      assert.equal((await errorOf(gh.cognito.send(new AssociateSoftwareTokenCommand({ Session: challenge.Session })))).name, 'NotAuthorizedException', 'a session moves on once used');
    });

    test('AssociateSoftwareToken takes an access token or a session, not both', async () => {
      const { accessToken } = await signedInUser('mfa-callers');
      assert.equal((await errorOf(gh.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken, Session: 'x'.repeat(40) })))).name, 'InvalidParameterException');
      assert.equal((await errorOf(gh.cognito.send(new AssociateSoftwareTokenCommand({})))).name, 'InvalidParameterException');
      assert.equal((await errorOf(gh.cognito.send(new AssociateSoftwareTokenCommand({ Session: 'x'.repeat(40) })))).name, 'NotAuthorizedException');
      assert.equal((await errorOf(gh.cognito.send(new VerifySoftwareTokenCommand({ Session: 'x'.repeat(40), UserCode: '123456' })))).name, 'NotAuthorizedException');
    });
  });
}
