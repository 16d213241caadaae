// Threat protection and auth events (issue 24, points 1 and 2) through the AWS SDK over the socket:
// risk configuration per pool and client, sign-ins rated on device, address and failures, ENFORCED
// actions (block, MFA, notification email with feedback links) against AUDIT's recording only,
// breached passwords refused from the bundled list and from a local Pwned-Passwords range API.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateAuthEventFeedbackCommand,
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  SetRiskConfigurationCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  UpdateAuthEventFeedbackCommand,
  VerifySoftwareTokenCommand,
  type AccountTakeoverActionsType,
  type AdminInitiateAuthCommandOutput,
  type AuthEventType,
  type SetRiskConfigurationCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { authenticator } from 'otplib';
import { errorOf } from './support/errors.js';
import { FormClient } from './support/form-client.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { startLambdaServer, type LambdaServer } from './support/lambda-server.js';
import { deliverTo, startMailbox, withGatehouseAndMailbox, type Mailbox } from './support/webhook.js';

const BLOCKED = { name: 'NotAuthorizedException', message: 'Unable to login because of security reasons.', status: 400 };
const BREACHED = { name: 'InvalidPasswordException', message: 'Provided password cannot be used for security reasons.', status: 400 };
const NOTIFY = { SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com', From: 'security@example.com' };
/** On the bundled list of common breached passwords. */
const COMMON = 'iloveyou';
const LENIENT = { PasswordPolicy: { MinimumLength: 6, RequireLowercase: false, RequireUppercase: false, RequireNumbers: false, RequireSymbols: false } };

type Mode = 'AUDIT' | 'ENFORCED';
interface Pool {
  poolId: string;
  clientId: string;
}

const where = (ip: string, agent: string) => ({ IpAddress: ip, ServerName: 'app.example', ServerPath: '/login', HttpHeaders: [{ headerName: 'User-Agent', headerValue: agent }] });

for (const backend of backends()) {
  describe(`threat protection (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    let seq = 0;
    withGatehouseAndMailbox(backend, (gatehouse, box) => ((gh = gatehouse), (mailbox = box)));

    async function newPool(mode: Mode | 'OFF', risk: Omit<SetRiskConfigurationCommandInput, 'UserPoolId'> = {}): Promise<Pool> {
      const created = await gh.cognito.send(
        new CreateUserPoolCommand({ PoolName: `risk-${++seq}`, UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: mode }, Policies: LENIENT }),
      );
      const poolId = created.UserPool!.Id!;
      await gh.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
      const clientId = (
        await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))
      ).UserPoolClient!.ClientId!;
      if (Object.keys(risk).length > 0) await gh.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ...risk }));
      return { poolId, clientId };
    }

    async function newUser(pool: Pool, username: string, password = `Unusual-${username}-42`): Promise<string> {
      await gh.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }] }),
      );
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: username, Password: password, Permanent: true }));
      return password;
    }

    /** A second apart, so events are told apart by time as they would be. */
    function signIn(pool: Pool, username: string, password: string, ip: string, agent: string): Promise<AdminInitiateAuthCommandOutput> {
      gh.clock.advance(1000);
      return gh.cognito.send(
        new AdminInitiateAuthCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password }, ContextData: where(ip, agent) }),
      );
    }

    const events = async (pool: Pool, username: string): Promise<AuthEventType[]> =>
      (await gh.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool.poolId, Username: username, MaxResults: 60 }))).AuthEvents!;

    /** Five failed sign-ins from the address, to names nobody has: velocity across users. */
    async function failuresFrom(pool: Pool, ip: string): Promise<void> {
      for (let i = 0; i < 5; i++) assert.equal((await errorOf(signIn(pool, `nobody-${i}`, 'whatever', ip, 'bot/1.0'))).name, 'UserNotFoundException');
    }

    const takeover = (actions: AccountTakeoverActionsType) => ({ AccountTakeoverRiskConfiguration: { NotifyConfiguration: NOTIFY, Actions: actions } });

    test('UserPoolAddOns round-trips; risk configuration is set per pool and per client, a client without its own answering with the pool’s', async () => {
      const pool = await newPool('AUDIT');
      const described = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
      assert.equal(described.UserPool!.UserPoolAddOns!.AdvancedSecurityMode, 'AUDIT');
      const poolWide = {
        CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_UP' as const], Actions: { EventAction: 'BLOCK' as const } },
        ...takeover({ HighAction: { Notify: true, EventAction: 'BLOCK' } }),
        RiskExceptionConfiguration: { BlockedIPRangeList: ['203.0.113.0/24'], SkippedIPRangeList: ['2001:db8::/32'] },
      };
      const set = await gh.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: pool.poolId, ...poolWide }));
      assert.deepEqual(set.RiskConfiguration!.RiskExceptionConfiguration, poolWide.RiskExceptionConfiguration);
      const forClient = (await gh.cognito.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId }))).RiskConfiguration!;
      assert.equal(forClient.ClientId, pool.clientId);
      assert.deepEqual(forClient.AccountTakeoverRiskConfiguration, poolWide.AccountTakeoverRiskConfiguration);
      assert.deepEqual(forClient.CompromisedCredentialsRiskConfiguration, poolWide.CompromisedCredentialsRiskConfiguration);
      // The client's own replaces the pool's whole.
      await gh.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } } }));
      const own = (await gh.cognito.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId }))).RiskConfiguration!;
      assert.deepEqual(own.CompromisedCredentialsRiskConfiguration, { Actions: { EventAction: 'NO_ACTION' } });
      assert.equal(own.AccountTakeoverRiskConfiguration, undefined);
      const still = (await gh.cognito.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool.poolId }))).RiskConfiguration!;
      assert.deepEqual(still.RiskExceptionConfiguration, poolWide.RiskExceptionConfiguration);
      assert.equal(still.ClientId, undefined);
      assert.ok(still.LastModifiedDate instanceof Date);

      const badRange = await errorOf(gh.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: pool.poolId, RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.0/33'] } })));
      assert.equal(badRange.name, 'InvalidParameterException');
      const off = await newPool('OFF');
      assert.equal((await errorOf(gh.cognito.send(new DescribeRiskConfigurationCommand({ UserPoolId: off.poolId })))).name, 'UserPoolAddOnNotEnabledException');
      await newUser(off, 'olga');
      assert.equal((await errorOf(gh.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: off.poolId, Username: 'olga' })))).name, 'UserPoolAddOnNotEnabledException');
    });

    test('AUDIT: a sign-in from a new device and a new address is rated and recorded, and let through', async () => {
      const pool = await newPool('AUDIT', takeover({ LowAction: { Notify: true, EventAction: 'BLOCK' }, MediumAction: { Notify: true, EventAction: 'BLOCK' }, HighAction: { Notify: true, EventAction: 'BLOCK' } }));
      const password = await newUser(pool, 'ann');
      await signIn(pool, 'ann', password, '198.51.100.7', 'Firefox/120 Linux');
      await signIn(pool, 'ann', password, '198.51.100.7', 'Safari/17 iPhone');
      const moved = await signIn(pool, 'ann', password, '192.0.2.44', 'Chrome/119 Windows');
      assert.ok(moved.AuthenticationResult?.AccessToken, 'AUDIT only records');
      const [third, second, first] = await events(pool, 'ann');
      assert.deepEqual(first!.EventRisk, { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false });
      assert.deepEqual(second!.EventRisk, { RiskDecision: 'AccountTakeover', RiskLevel: 'Low', CompromisedCredentialsDetected: false });
      assert.deepEqual(third!.EventRisk, { RiskDecision: 'AccountTakeover', RiskLevel: 'Medium', CompromisedCredentialsDetected: false });
      assert.equal(third!.EventType, 'SignIn');
      assert.equal(third!.EventResponse, 'Pass');
      assert.deepEqual(third!.EventContextData, { IpAddress: '192.0.2.44', DeviceName: 'Chrome/119 Windows' });
      assert.deepEqual(third!.ChallengeResponses, [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]);
      assert.ok(third!.CreationDate instanceof Date);
      assert.equal(mailbox.messages.filter((m) => m.destination === 'ann@example.com').length, 0, 'AUDIT sends no notification');

      const page = await gh.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool.poolId, Username: 'ann', MaxResults: 2 }));
      assert.deepEqual(page.AuthEvents!.map((e) => e.EventId), [third!.EventId, second!.EventId]);
      const rest = await gh.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool.poolId, Username: 'ann', MaxResults: 2, NextToken: page.NextToken }));
      assert.deepEqual(rest.AuthEvents!.map((e) => e.EventId), [first!.EventId]);
      assert.equal(rest.NextToken, undefined);
    });

    test('ENFORCED: a high-risk sign-in is blocked and the user emailed; the email’s feedback token marks the event with UpdateAuthEventFeedback', async () => {
      const pool = await newPool('ENFORCED', takeover({ HighAction: { Notify: true, EventAction: 'BLOCK' } }));
      const password = await newUser(pool, 'bea');
      await signIn(pool, 'bea', password, '198.51.100.8', 'Firefox/120 Linux');
      await failuresFrom(pool, '192.0.2.99');
      assert.deepEqual(await errorOf(signIn(pool, 'bea', password, '192.0.2.99', 'curl/8.0')), BLOCKED);
      const email = await mailbox.next('bea@example.com');
      assert.equal(email.subject, 'Blocked sign-in attempt');
      assert.match(email.message, /192\.0\.2\.99/);
      assert.match(email.message, /curl\/8\.0/);
      const invalidLink = new URL(/(http\S+FeedbackValue=Invalid)/.exec(email.message)![1]!);
      const [blocked] = await events(pool, 'bea');
      assert.equal(blocked!.EventResponse, 'Fail');
      assert.deepEqual(blocked!.EventRisk, { RiskDecision: 'AccountTakeover', RiskLevel: 'High', CompromisedCredentialsDetected: false });
      assert.equal(invalidLink.searchParams.get('EventId'), blocked!.EventId);

      const feedback = { UserPoolId: pool.poolId, Username: 'bea', EventId: blocked!.EventId!, FeedbackValue: 'Invalid' as const };
      const forged = await errorOf(gh.cognito.send(new UpdateAuthEventFeedbackCommand({ ...feedback, FeedbackToken: 'not-the-token' })));
      assert.equal(forged.name, 'NotAuthorizedException');
      await gh.cognito.send(new UpdateAuthEventFeedbackCommand({ ...feedback, FeedbackToken: invalidLink.searchParams.get('FeedbackToken')! }));
      const [marked] = await events(pool, 'bea');
      assert.equal(marked!.EventFeedback!.FeedbackValue, 'Invalid');
      assert.equal(marked!.EventFeedback!.Provider, 'User');
      assert.ok(marked!.EventFeedback!.FeedbackDate instanceof Date);
      // The same token names one event only.
      const [, earlier] = await events(pool, 'bea');
      const elsewhere = await errorOf(gh.cognito.send(new UpdateAuthEventFeedbackCommand({ ...feedback, EventId: earlier!.EventId!, FeedbackToken: invalidLink.searchParams.get('FeedbackToken')! })));
      assert.equal(elsewhere.name, 'NotAuthorizedException');
    });

    test('AUDIT records the same high-risk sign-in without blocking it or emailing', async () => {
      const pool = await newPool('AUDIT', takeover({ HighAction: { Notify: true, EventAction: 'BLOCK' } }));
      const password = await newUser(pool, 'cat');
      await signIn(pool, 'cat', password, '198.51.100.9', 'Firefox/120 Linux');
      await failuresFrom(pool, '192.0.2.98');
      assert.ok((await signIn(pool, 'cat', password, '192.0.2.98', 'curl/8.0')).AuthenticationResult);
      const [rated] = await events(pool, 'cat');
      assert.equal(rated!.EventRisk!.RiskLevel, 'High');
      assert.equal(rated!.EventResponse, 'Pass');
      assert.equal(mailbox.messages.filter((m) => m.destination === 'cat@example.com').length, 0);
    });

    test('feedback feeds the rating: Valid makes a blocked device and address known, Invalid makes the address suspect', async () => {
      const pool = await newPool('ENFORCED', takeover({ MediumAction: { Notify: false, EventAction: 'BLOCK' }, HighAction: { Notify: false, EventAction: 'BLOCK' } }));
      const password = await newUser(pool, 'dan');
      await newUser(pool, 'eve', password);
      await signIn(pool, 'dan', password, '198.51.100.10', 'Firefox/120 Linux');
      assert.deepEqual(await errorOf(signIn(pool, 'dan', password, '192.0.2.10', 'Safari/17 Mac')), BLOCKED);
      const [blocked] = await events(pool, 'dan');
      await gh.cognito.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: pool.poolId, Username: 'dan', EventId: blocked!.EventId!, FeedbackValue: 'Valid' }));
      assert.deepEqual((await events(pool, 'dan'))[0]!.EventFeedback?.Provider, 'Admin');
      assert.ok((await signIn(pool, 'dan', password, '192.0.2.10', 'Safari/17 Mac')).AuthenticationResult, 'vouched for: known now');
      assert.equal((await events(pool, 'dan'))[0]!.EventRisk!.RiskDecision, 'NoRisk');

      // eve's sign-in from an address reported as takeover is rated High at once.
      await signIn(pool, 'eve', password, '198.51.100.11', 'Firefox/120 Linux');
      const [evePass] = await events(pool, 'eve');
      await gh.cognito.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: pool.poolId, Username: 'eve', EventId: evePass!.EventId!, FeedbackValue: 'Invalid' }));
      assert.equal((await events(pool, 'eve'))[0]!.EventRisk!.RiskDecision, 'AccountTakeover');
      assert.deepEqual(await errorOf(signIn(pool, 'dan', password, '198.51.100.11', 'Firefox/120 Linux')), BLOCKED);
      assert.equal((await events(pool, 'dan'))[0]!.EventRisk!.RiskLevel, 'High');
    });

    test('ENFORCED MFA_REQUIRED: a user with an authenticator is asked for it, one without is blocked', async () => {
      const pool = await newPool('ENFORCED', takeover({ MediumAction: { Notify: true, EventAction: 'MFA_REQUIRED' } }));
      const password = await newUser(pool, 'fay');
      await newUser(pool, 'gus', password);
      const first = await signIn(pool, 'fay', password, '198.51.100.12', 'Firefox/120 Linux');
      const accessToken = first.AuthenticationResult!.AccessToken!;
      const secret = (await gh.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))).SecretCode!;
      const code = () => authenticator.clone({ epoch: gh.clock.now() }).generate(secret);
      await gh.cognito.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code() }));
      await gh.cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
      gh.clock.advance(30_000);
      const risky = await signIn(pool, 'fay', password, '192.0.2.12', 'Safari/17 Mac');
      assert.equal(risky.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      const email = await mailbox.next('fay@example.com');
      assert.equal(email.subject, 'New sign-in attempt');
      const [pending] = await events(pool, 'fay');
      assert.deepEqual([pending!.EventResponse, pending!.EventRisk?.RiskLevel], ['InProgress', 'Medium']);
      const done = await gh.cognito.send(
        new AdminRespondToAuthChallengeCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: risky.Session, ChallengeResponses: { USERNAME: 'fay', SOFTWARE_TOKEN_MFA_CODE: code() } }),
      );
      assert.ok(done.AuthenticationResult?.AccessToken);
      const [passed] = await events(pool, 'fay');
      assert.equal(passed!.EventId, pending!.EventId, 'one sign-in, one event');
      assert.equal(passed!.EventResponse, 'Pass');
      assert.equal(passed!.CreationDate!.getTime(), pending!.CreationDate!.getTime());
      assert.deepEqual(passed!.EventRisk, { RiskDecision: 'AccountTakeover', RiskLevel: 'Medium', CompromisedCredentialsDetected: false });
      assert.deepEqual(passed!.ChallengeResponses, [{ ChallengeName: 'Mfa', ChallengeResponse: 'Success' }]);
      assert.equal(passed!.EventContextData!.IpAddress, '192.0.2.12');

      // The email's one-click link: opening it records nothing (mail scanners open links); its button does.
      const validLink = /(http\S+FeedbackValue=Valid)/.exec(email.message)![1]!;
      const opened = await fetch(validLink);
      assert.equal(opened.status, 200);
      const form = await opened.text();
      assert.match(form, /<form method="post"/);
      assert.equal((await events(pool, 'fay'))[0]!.EventFeedback, undefined);
      const fields = new URLSearchParams(new URL(validLink).search);
      const confirmed = await fetch(new URL(validLink).origin + new URL(validLink).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
      assert.equal(confirmed.status, 200);
      assert.match(await confirmed.text(), /Thank you/);
      assert.deepEqual((await events(pool, 'fay'))[0]!.EventFeedback?.FeedbackValue, 'Valid');
      fields.set('FeedbackToken', 'forged');
      const forged = await fetch(new URL(validLink).origin + new URL(validLink).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
      assert.equal(forged.status, 403);
      fields.set('EventId', 'event\u0000');
      const malformed = await fetch(new URL(validLink).origin + new URL(validLink).pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
      assert.equal(malformed.status, 400, 'the form is checked as the API checks UpdateAuthEventFeedback');

      await signIn(pool, 'gus', password, '198.51.100.13', 'Firefox/120 Linux');
      assert.deepEqual(await errorOf(signIn(pool, 'gus', password, '192.0.2.13', 'Safari/17 Mac')), BLOCKED);
      assert.equal((await events(pool, 'gus'))[0]!.EventResponse, 'Fail');
    });

    test('ENFORCED MFA_IF_CONFIGURED lets a user without MFA through', async () => {
      const pool = await newPool('ENFORCED', takeover({ MediumAction: { Notify: false, EventAction: 'MFA_IF_CONFIGURED' } }));
      const password = await newUser(pool, 'ike');
      await signIn(pool, 'ike', password, '198.51.100.17', 'Firefox/120 Linux');
      assert.ok((await signIn(pool, 'ike', password, '192.0.2.17', 'Safari/17 Mac')).AuthenticationResult);
      assert.equal((await events(pool, 'ike'))[0]!.EventRisk!.RiskLevel, 'Medium');
    });

    test('IP exceptions: a blocked range is refused in ENFORCED mode, a skipped range is not rated', async () => {
      const pool = await newPool('ENFORCED', {
        ...takeover({ LowAction: { Notify: false, EventAction: 'BLOCK' }, MediumAction: { Notify: false, EventAction: 'BLOCK' } }),
        RiskExceptionConfiguration: { BlockedIPRangeList: ['203.0.113.0/24'], SkippedIPRangeList: ['10.20.0.0/16'] },
      });
      const password = await newUser(pool, 'hal');
      await signIn(pool, 'hal', password, '198.51.100.14', 'Firefox/120 Linux');
      assert.ok((await signIn(pool, 'hal', password, '10.20.3.4', 'Anything/1.0')).AuthenticationResult, 'skipped: not rated');
      assert.equal((await events(pool, 'hal'))[0]!.EventRisk, undefined);
      assert.deepEqual(await errorOf(signIn(pool, 'hal', password, '203.0.113.5', 'Firefox/120 Linux')), BLOCKED);
      assert.equal((await events(pool, 'hal'))[0]!.EventRisk!.RiskDecision, 'Block');
    });

    test('compromised credentials (bundled list): refused on SignUp and ChangePassword in ENFORCED with BLOCK; a sign-in with one is blocked and sent to reset', async () => {
      const pool = await newPool('ENFORCED', { CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } } });
      assert.deepEqual(await errorOf(gh.cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'ivy', Password: COMMON }))), BREACHED);
      assert.deepEqual(await errorOf(gh.cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'ivy', Password: 'Dragon' }))), BREACHED, 'the list matches in lower case');
      assert.equal((await gh.cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'ivy', Password: 'Unusual-ivy-42' }))).UserConfirmed, false);

      const password = await newUser(pool, 'jon');
      const token = (await signIn(pool, 'jon', password, '198.51.100.15', 'Firefox/120 Linux')).AuthenticationResult!.AccessToken!;
      gh.clock.advance(1000);
      assert.deepEqual(await errorOf(gh.cognito.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: password, ProposedPassword: COMMON }))), BREACHED);
      const [refused] = await events(pool, 'jon');
      assert.deepEqual([refused!.EventType, refused!.EventResponse, refused!.EventRisk], ['PasswordChange', 'Fail', { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: true }]);
      gh.clock.advance(1000);
      await gh.cognito.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: password, ProposedPassword: 'Another-unusual-1' }));
      const [changed] = await events(pool, 'jon');
      assert.deepEqual([changed!.EventType, changed!.EventResponse, changed!.EventRisk], ['PasswordChange', 'Pass', { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false }]);

      // An administrator may still set one (Cognito checks sign-up, sign-in and password changes); signing in with it is then blocked.
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: 'jon', Password: COMMON, Permanent: true }));
      assert.deepEqual(await errorOf(signIn(pool, 'jon', COMMON, '198.51.100.15', 'Firefox/120 Linux')), BLOCKED);
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'jon' }))).UserStatus, 'RESET_REQUIRED');
      assert.equal((await events(pool, 'jon'))[0]!.EventRisk!.CompromisedCredentialsDetected, true);
    });

    test('compromised credentials in AUDIT mode are recorded only', async () => {
      const pool = await newPool('AUDIT', { CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } } });
      assert.equal((await gh.cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'kim', Password: COMMON }))).UserConfirmed, false);
      const [signedUp] = await events(pool, 'kim');
      assert.deepEqual([signedUp!.EventType, signedUp!.EventResponse, signedUp!.EventRisk], ['SignUp', 'Pass', { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: true }]);
      // A sign-up is no sign-in to compare with: kim's first sign-in has nothing to be new against.
      await gh.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'kim' }));
      assert.ok((await signIn(pool, 'kim', COMMON, '198.51.100.18', 'Firefox/120 Linux')).AuthenticationResult);
      assert.deepEqual((await events(pool, 'kim'))[0]!.EventRisk, { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: true });
      await newUser(pool, 'lea', COMMON);
      assert.ok((await signIn(pool, 'lea', COMMON, '198.51.100.16', 'Firefox/120 Linux')).AuthenticationResult);
      assert.deepEqual((await events(pool, 'lea'))[0]!.EventRisk, { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: true });
      // Choice-based sign-in with the password shows it too.
      const choice = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: 'choice', ExplicitAuthFlows: ['ALLOW_USER_AUTH'] }))).UserPoolClient!.ClientId!;
      gh.clock.advance(1000);
      const chosen = await gh.cognito.send(new InitiateAuthCommand({ ClientId: choice, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'lea', PASSWORD: COMMON, PREFERRED_CHALLENGE: 'PASSWORD' } }));
      assert.ok(chosen.AuthenticationResult);
      const [viaChoice] = await events(pool, 'lea');
      assert.equal(viaChoice!.EventRisk!.CompromisedCredentialsDetected, true);
      assert.notEqual(viaChoice!.EventContextData!.IpAddress, '198.51.100.16', 'a public call without propagated context data is rated from its socket');
    });

    test('the managed login page records its sign-ins as events too, rated as the API’s are', async () => {
      const pool = await newPool('AUDIT');
      const password = await newUser(pool, 'pam');
      const callback = 'https://app.example.com/callback';
      const web = (
        await gh.cognito.send(
          new CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: 'web', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [callback] }),
        )
      ).UserPoolClient!.ClientId!;
      const authorize = `${gh.url}/oauth2/authorize?response_type=code&client_id=${web}&redirect_uri=${encodeURIComponent(callback)}&scope=openid`;
      const browser = new FormClient();
      const refused = await browser.submit(await browser.follow(authorize, callback), { username: 'pam', password: 'Not-her-password-1' });
      assert.equal(refused.location, undefined, 'the wrong password keeps the page');
      gh.clock.advance(1000);
      const signedIn = await browser.submit(await browser.follow(authorize, callback), { username: 'pam', password });
      assert.match(signedIn.location!, /code=/);
      const [passed, failed] = await events(pool, 'pam');
      assert.deepEqual([passed!.EventType, passed!.EventResponse, passed!.EventRisk?.RiskDecision], ['SignIn', 'Pass', 'NoRisk']);
      assert.deepEqual([failed!.EventType, failed!.EventResponse], ['SignIn', 'Fail']);
    });

    // Last in the file: it moves the server's clock three months on.
    test('events are kept for authEventRetentionDays (90 by default), then dropped', async () => {
      const pool = await newPool('AUDIT');
      const password = await newUser(pool, 'old');
      await signIn(pool, 'old', password, '198.51.100.30', 'Firefox/120 Linux');
      gh.clock.advance(89 * 86_400_000);
      await signIn(pool, 'old', password, '198.51.100.30', 'Firefox/120 Linux');
      assert.equal((await events(pool, 'old')).length, 2, 'an 89-day-old event is still kept');
      gh.clock.advance(2 * 86_400_000);
      await signIn(pool, 'old', password, '198.51.100.30', 'Firefox/120 Linux');
      const kept = await events(pool, 'old');
      assert.equal(kept.length, 2, 'the 91-day-old event is gone, the two younger ones stay');
      assert.ok(kept.every((event) => event.CreationDate!.getTime() > gh.clock.now() - 90 * 86_400_000));
    });
  });
}

describe('threat protection with a Pwned Passwords range API and an address lookup', () => {
  const breached = 'Correct-Horse-Battery-9';
  const hash = createHash('sha1').update(breached).digest('hex').toUpperCase();
  const asked: string[] = [];
  const range = createServer((request, response) => {
    asked.push(request.url ?? '');
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(request.url ?? '')?.[1];
    const lines = ['0018A45C4D1DEF81644B54AB7F969B88D65:1', `${'F'.repeat(35)}:0`];
    if (prefix === hash.slice(0, 5)) lines.push(`${hash.slice(5)}:42`);
    response.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  });
  let gh: TestGatehouse;
  let mailbox: Mailbox;

  before(async () => {
    await new Promise<void>((resolve) => range.listen(0, '127.0.0.1', resolve));
    mailbox = await startMailbox();
    const url = `http://127.0.0.1:${(range.address() as AddressInfo).port}`;
    const locations = [{ range: '192.0.2.0/24', city: 'Springfield', country: 'Freedonia', timezone: 'Etc/GMT-1' }];
    gh = await startTestGatehouse('sqlite', { ...deliverTo(mailbox), threatProtection: { breachedPasswordsUrl: url, locations } });
  });
  after(async () => {
    await gh.stop();
    await mailbox.close();
    await new Promise((resolve) => range.close(resolve));
  });

  test('a password the range API lists is refused on SignUp and ChangePassword; only the hash prefix leaves the server', async () => {
    const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'pwned', UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' }, Policies: LENIENT }))).UserPool!.Id!;
    const clientId = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }))).UserPoolClient!.ClientId!;
    await gh.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, CompromisedCredentialsRiskConfiguration: { EventFilter: ['SIGN_UP', 'PASSWORD_CHANGE'], Actions: { EventAction: 'BLOCK' } } }));
    assert.deepEqual(await errorOf(gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'max', Password: breached }))), BREACHED);
    assert.deepEqual(asked, [`/range/${hash.slice(0, 5)}`]);
    // The range API is the source now: the bundled list's passwords are judged by it.
    await gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'max', Password: COMMON }));
    await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'nia', MessageAction: 'SUPPRESS' }));
    await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'nia', Password: 'Unusual-nia-42', Permanent: true }));
    const { AuthenticationResult } = await gh.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nia', PASSWORD: 'Unusual-nia-42' } }));
    assert.deepEqual(
      await errorOf(gh.cognito.send(new ChangePasswordCommand({ AccessToken: AuthenticationResult!.AccessToken!, PreviousPassword: 'Unusual-nia-42', ProposedPassword: breached }))),
      BREACHED,
    );
  });

  test('the operator’s address lookup gives events and the notification email their city, country and time zone', async () => {
    const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'places', UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } }))).UserPool!.Id!;
    const clientId = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] }))).UserPoolClient!.ClientId!;
    await gh.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, AccountTakeoverRiskConfiguration: { NotifyConfiguration: NOTIFY, Actions: { LowAction: { Notify: true, EventAction: 'NO_ACTION' } } } }));
    await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ola', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'ola@example.com' }] }));
    await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'ola', Password: 'Unusual-ola-42!A', Permanent: true }));
    const signIn = (ip: string) => {
      gh.clock.advance(1000);
      return gh.cognito.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ola', PASSWORD: 'Unusual-ola-42!A' }, ContextData: where(ip, 'Firefox/120 Linux') }),
      );
    };
    await signIn('198.51.100.20');
    assert.ok((await signIn('192.0.2.20')).AuthenticationResult, 'NO_ACTION lets it through');
    const email = await mailbox.next('ola@example.com');
    assert.equal(email.subject, 'New sign-in attempt');
    assert.match(email.message, /Springfield, Freedonia/);
    const [moved, first] = (await gh.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: 'ola' }))).AuthEvents!;
    assert.deepEqual(moved!.EventContextData, { IpAddress: '192.0.2.20', DeviceName: 'Firefox/120 Linux', City: 'Springfield', Country: 'Freedonia', Timezone: 'Etc/GMT-1' });
    assert.equal(moved!.EventRisk!.RiskLevel, 'Low');
    assert.deepEqual(first!.EventContextData, { IpAddress: '198.51.100.20', DeviceName: 'Firefox/120 Linux' });
  });
});

describe('threat protection of custom-auth sign-ins (AdvancedSecurityAdditionalFlows)', () => {
  let gh: TestGatehouse;
  let lambda: LambdaServer;
  let seq = 0;
  const ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

  before(async () => {
    lambda = await startLambdaServer();
    gh = await startTestGatehouse('sqlite', { lambda: { endpoint: lambda.url, timeoutMs: 1500 } });
  });
  after(async () => {
    await gh.stop();
    await lambda.close();
  });

  /** A pool whose custom challenge is one question, answered "2"; its ENFORCED protection blocks Medium risk. */
  async function customPool(customAuthMode: 'AUDIT' | 'ENFORCED' | undefined) {
    const tag = `custom-${++seq}`;
    lambda.register(`${tag}-define`, (event: any) => ({
      ...event,
      response: { challengeName: 'CUSTOM_CHALLENGE', issueTokens: event.request.session.some((round: any) => round.challengeResult), failAuthentication: false },
    }));
    lambda.register(`${tag}-create`, (event: any) => ({ ...event, response: { publicChallengeParameters: { q: '1+1' }, privateChallengeParameters: { a: '2' } } }));
    lambda.register(`${tag}-verify`, (event: any) => ({ ...event, response: { answerCorrect: event.request.challengeAnswer === '2' } }));
    const LambdaConfig = { DefineAuthChallenge: ARN(`${tag}-define`), CreateAuthChallenge: ARN(`${tag}-create`), VerifyAuthChallengeResponse: ARN(`${tag}-verify`) };
    const addOns = { AdvancedSecurityMode: 'ENFORCED' as const, ...(customAuthMode && { AdvancedSecurityAdditionalFlows: { CustomAuthMode: customAuthMode } }) };
    const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: tag, UserPoolTier: 'PLUS', UserPoolAddOns: addOns, LambdaConfig }))).UserPool!.Id!;
    const clientId = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH'] }))).UserPoolClient!.ClientId!;
    await gh.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, AccountTakeoverRiskConfiguration: { Actions: { MediumAction: { Notify: false, EventAction: 'BLOCK' } } } }));
    await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'pat', MessageAction: 'SUPPRESS' }));
    await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'pat', Password: 'Unusual-pat-42!A', Permanent: true }));
    gh.clock.advance(1000);
    await gh.cognito.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'pat', PASSWORD: 'Unusual-pat-42!A' }, ContextData: where('198.51.100.30', 'Firefox/120 Linux') }),
    );
    return { poolId, clientId };
  }

  async function customSignIn(pool: { poolId: string; clientId: string }) {
    gh.clock.advance(1000);
    const context = where('192.0.2.30', 'Safari/17 Mac');
    const started = await gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'pat' }, ContextData: context }));
    assert.equal(started.ChallengeName, 'CUSTOM_CHALLENGE');
    return gh.cognito.send(
      new AdminRespondToAuthChallengeCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: started.Session, ChallengeResponses: { USERNAME: 'pat', ANSWER: '2' }, ContextData: context }),
    );
  }

  test('CustomAuthMode ENFORCED rates a custom sign-in and acts on it; without it custom sign-ins are not rated', async () => {
    const rated = await customPool('ENFORCED');
    assert.equal((await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: rated.poolId }))).UserPool!.UserPoolAddOns!.AdvancedSecurityAdditionalFlows!.CustomAuthMode, 'ENFORCED');
    assert.deepEqual(await errorOf(customSignIn(rated)), BLOCKED);
    const [blocked] = (await gh.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: rated.poolId, Username: 'pat' }))).AuthEvents!;
    assert.deepEqual([blocked!.EventResponse, blocked!.EventRisk?.RiskLevel], ['Fail', 'Medium']);

    const unrated = await customPool(undefined);
    assert.ok((await customSignIn(unrated)).AuthenticationResult);
    const [passed] = (await gh.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: unrated.poolId, Username: 'pat' }))).AuthEvents!;
    assert.deepEqual([passed!.EventResponse, passed!.EventRisk], ['Pass', undefined]);
  });
});
