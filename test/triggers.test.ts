// Lambda triggers (issue 17) through the real clients: Gatehouse calls a test server that speaks the
// Lambda Invoke API, as it would call SAM local, LocalStack or AWS Lambda itself. Each test checks the
// event the function received against Cognito's documented shape, and the effect of its answer.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolCommand,
  type ExplicitAuthFlowsType,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, MapStorage } from './support/identity-js.js';
import { startLambdaServer, startTriggerWebhook, type LambdaServer, type TestHandler, type TriggerWebhook } from './support/lambda-server.js';
import { deliverTo, startMailbox, type Mailbox } from './support/webhook.js';
import { buildClient, CommitmentPolicy, getClient, KMS, KmsKeyringNode } from '@aws-crypto/client-node';
import { startKmsServer, type KmsServer } from './support/kms-server.js';
import { confirmSignIn, fetchAuthSession, signIn as amplifySignIn, signOut as amplifySignOut } from '@aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito';
import { Amplify } from '@aws-amplify/core';

const ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const PASSWORD = 'Password1!';

type Event = Record<string, any>;

const claimsOf = (token: string): Record<string, any> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

for (const backend of backends()) {
  describe(`Lambda triggers (${backend})`, () => {
    let gatehouse: TestGatehouse;
    let lambda: LambdaServer;
    let mailbox: Mailbox;
    let kms: KmsServer;
    let counter = 0;

    before(async () => {
      lambda = await startLambdaServer();
      mailbox = await startMailbox();
      kms = await startKmsServer();
      gatehouse = await startTestGatehouse(backend, { ...deliverTo(mailbox), lambda: { endpoint: lambda.url, timeoutMs: 1500 }, kms: { endpoint: kms.url } });
    });
    after(async () => {
      await gatehouse.stop();
      await mailbox.close();
      await lambda.close();
      await kms.close();
    });

    /** Functions under fresh names (so tests do not share them), and a pool that names them. */
    async function poolWith(handlers: Partial<Record<keyof LambdaConfigType, TestHandler>>, extra: Partial<LambdaConfigType> = {}, flows: ExplicitAuthFlowsType[] = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH']) {
      const tag = `t${++counter}`;
      const LambdaConfig: LambdaConfigType = { ...extra };
      const names: Record<string, string> = {};
      for (const [trigger, handler] of Object.entries(handlers)) {
        names[trigger] = `${tag}-${trigger}`;
        lambda.register(names[trigger]!, handler!);
        (LambdaConfig as Record<string, unknown>)[trigger] = ARN(names[trigger]!);
      }
      const poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: tag, LambdaConfig, AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
      const client = await gatehouse.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: flows }));
      const events = (trigger: string): Event[] => lambda.invocations.filter((i) => i.name === names[trigger]).map((i) => i.event as Event);
      return { poolId, clientId: client.UserPoolClient!.ClientId!, events };
    }

    async function confirmedUser(poolId: string, username: string, attributes: Record<string, string> = {}) {
      await gatehouse.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }),
      );
      await gatehouse.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    }

    const signIn = (clientId: string, username: string, password = PASSWORD, ClientMetadata?: Record<string, string>) =>
      gatehouse.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password }, ClientMetadata }));

    test('LambdaConfig is stored as sent and returned; what cannot work together is refused', async () => {
      const LambdaConfig: LambdaConfigType = {
        PreSignUp: ARN('a'),
        PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: ARN('b') },
        CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: ARN('c') },
        KMSKeyID: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      };
      const poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: 'config', LambdaConfig }))).UserPool!.Id!;
      assert.deepEqual((await gatehouse.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.LambdaConfig, LambdaConfig);
      const withFederation = { ...LambdaConfig, InboundFederation: { LambdaVersion: 'V1_0' as const, LambdaArn: ARN('d') } };
      await gatehouse.cognito.send(new UpdateUserPoolCommand({ UserPoolId: poolId, LambdaConfig: withFederation }));
      assert.deepEqual((await gatehouse.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.LambdaConfig, withFederation);
      const noKey = await errorOf(gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: 'x', LambdaConfig: { CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: ARN('e') } } })));
      assert.equal(noKey.name, 'InvalidParameterException');
      assert.match(noKey.message, /KMSKeyID/);
      const mismatch = await errorOf(
        gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: 'x', LambdaConfig: { PreTokenGeneration: ARN('f'), PreTokenGenerationConfig: { LambdaVersion: 'V1_0', LambdaArn: ARN('g') } } })),
      );
      assert.equal(mismatch.name, 'InvalidParameterException');
    });

    test('PreSignUp sees the sign-up in Cognito’s envelope; autoConfirmUser confirms and PostConfirmation follows', async () => {
      const pool = await poolWith({
        PreSignUp: (event: any) => ({ ...event, response: { ...event.response, autoConfirmUser: true, autoVerifyEmail: true } }),
        PostConfirmation: (event) => event,
      });
      const answer = await gatehouse.cognito.send(
        new SignUpCommand({
          ClientId: pool.clientId,
          Username: 'ann',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'ann@example.com' }],
          ValidationData: [{ Name: 'invite', Value: 'xyz' }],
          ClientMetadata: { source: 'web' },
        }),
      );
      assert.equal(answer.UserConfirmed, true);
      assert.equal(answer.CodeDeliveryDetails, undefined);
      const [event] = pool.events('PreSignUp');
      assert.equal(event!.version, '1');
      assert.equal(event!.triggerSource, 'PreSignUp_SignUp');
      assert.equal(event!.region, 'us-east-1');
      assert.equal(event!.userPoolId, pool.poolId);
      assert.equal(event!.userName, 'ann');
      assert.equal(event!.callerContext.clientId, pool.clientId);
      assert.match(event!.callerContext.awsSdkVersion, /^aws-sdk-js-3\.\d+\.\d+$/);
      assert.deepEqual(event!.request, { userAttributes: { email: 'ann@example.com' }, validationData: { invite: 'xyz' }, clientMetadata: { source: 'web' } });
      assert.deepEqual(event!.response, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
      const user = await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'ann' }));
      assert.equal(user.UserStatus, 'CONFIRMED');
      assert.equal(user.UserAttributes!.find((a) => a.Name === 'email_verified')?.Value, 'true');
      const [confirmation] = pool.events('PostConfirmation');
      assert.equal(confirmation!.triggerSource, 'PostConfirmation_ConfirmSignUp');
      assert.equal(confirmation!.request.userAttributes['cognito:user_status'], 'CONFIRMED');
      assert.equal(confirmation!.request.userAttributes.sub, answer.UserSub);
    });

    test('a PreSignUp that throws stops the sign-up, with its message, and nothing is stored', async () => {
      const pool = await poolWith({
        PreSignUp: (event: any) => {
          if (event.request.userAttributes.email.endsWith('@blocked.example')) throw new Error('Blocked domain.');
          return event;
        },
      });
      const refused = await errorOf(gatehouse.cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'bob', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'bob@blocked.example' }] })));
      assert.deepEqual({ name: refused.name, message: refused.message, status: refused.status }, { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Blocked domain..', status: 400 });
      assert.equal((await errorOf(gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'bob' })))).name, 'UserNotFoundException');
      const admin = await errorOf(gatehouse.cognito.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'bob', UserAttributes: [{ Name: 'email', Value: 'bob@blocked.example' }] })));
      assert.equal(admin.name, 'UserLambdaValidationException');
      const [fromAdmin] = pool.events('PreSignUp').slice(-1);
      assert.equal(fromAdmin!.triggerSource, 'PreSignUp_AdminCreateUser');
      assert.equal(fromAdmin!.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
    });

    test('CustomMessage words the code message with placeholders; the user receives the real code', async () => {
      const pool = await poolWith({
        CustomMessage: (event: any) => ({ ...event, response: { emailSubject: 'Welcome aboard', emailMessage: `Hi ${event.request.userAttributes.email}, your code is ${event.request.codeParameter}`, smsMessage: null } }),
        PostConfirmation: () => {
          throw new Error('CRM is down');
        },
      });
      await gatehouse.cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'cat', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'cat@example.com' }] }));
      const [event] = pool.events('CustomMessage');
      assert.equal(event!.triggerSource, 'CustomMessage_SignUp');
      assert.equal(event!.request.codeParameter, '{####}');
      assert.equal(event!.request.linkParameter, '{##Click Here##}');
      assert.deepEqual(event!.response, { smsMessage: null, emailMessage: null, emailSubject: null });
      const message = await mailbox.next('cat@example.com');
      assert.equal(message.subject, 'Welcome aboard');
      assert.equal(message.message, `Hi cat@example.com, your code is ${message.code}`);
      assert.doesNotMatch(JSON.stringify(event), new RegExp(message.code));
      // PostConfirmation fails: the caller hears of it, but the confirmation stands.
      const failed = await errorOf(gatehouse.cognito.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'cat', ConfirmationCode: message.code })));
      assert.deepEqual([failed.name, failed.message], ['UserLambdaValidationException', 'PostConfirmation failed with error CRM is down.']);
      assert.equal((await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'cat' }))).UserStatus, 'CONFIRMED');
    });

    test('every code message goes through CustomMessage, each under its own trigger source', async () => {
      const pool = await poolWith({ CustomMessage: (event: any) => ({ ...event, response: { emailSubject: event.triggerSource, emailMessage: `code ${event.request.codeParameter}` } }) });
      await gatehouse.cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'ray', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'ray@example.com' }] }));
      await gatehouse.cognito.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: 'ray' }));
      await gatehouse.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'ray' }));
      await gatehouse.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool.poolId, Username: 'ray', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
      await gatehouse.cognito.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: 'ray' }));
      const { AuthenticationResult } = await signIn(pool.clientId, 'ray');
      await gatehouse.cognito.send(new UpdateUserAttributesCommand({ AccessToken: AuthenticationResult!.AccessToken, UserAttributes: [{ Name: 'email', Value: 'ray2@example.com' }] }));
      await gatehouse.cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: AuthenticationResult!.AccessToken, AttributeName: 'email' }));
      assert.deepEqual(
        pool.events('CustomMessage').map((e) => e.triggerSource),
        ['CustomMessage_SignUp', 'CustomMessage_ResendCode', 'CustomMessage_ForgotPassword', 'CustomMessage_UpdateUserAttribute', 'CustomMessage_VerifyUserAttribute'],
      );
      const subjects = mailbox.messages.filter((m) => m.destination.startsWith('ray')).map((m) => [m.subject, m.message.replace(/\d{6}/, 'NNNNNN')]);
      assert.deepEqual(subjects, [
        ['CustomMessage_SignUp', 'code NNNNNN'],
        ['CustomMessage_ResendCode', 'code NNNNNN'],
        ['CustomMessage_ForgotPassword', 'code NNNNNN'],
        ['CustomMessage_UpdateUserAttribute', 'code NNNNNN'],
        ['CustomMessage_VerifyUserAttribute', 'code NNNNNN'],
      ]);
      // The access token's operations name the client the token was issued to.
      assert.equal(pool.events('CustomMessage').at(-1)!.callerContext.clientId, pool.clientId);
    });

    test('sign-in runs PreAuthentication, PostAuthentication and PreTokenGeneration V1; a refresh runs only the last', async () => {
      const pool = await poolWith({
        PreAuthentication: (event) => event,
        PostAuthentication: (event) => event,
        PreTokenGeneration: (event: any) => ({
          ...event,
          response: {
            claimsOverrideDetails: {
              claimsToAddOrOverride: { tenant: 'acme', sub: 'forged', 'cognito:username': 'forged' },
              claimsToSuppress: ['email'],
              groupOverrideDetails: { groupsToOverride: ['admins'], iamRolesToOverride: [], preferredRole: null },
            },
          },
        }),
      });
      await confirmedUser(pool.poolId, 'dan', { email: 'dan@example.com' });
      const { AuthenticationResult } = await signIn(pool.clientId, 'dan', PASSWORD, { ip: '203.0.113.9' });
      const id = claimsOf(AuthenticationResult!.IdToken!);
      const access = claimsOf(AuthenticationResult!.AccessToken!);
      assert.equal(id.tenant, 'acme');
      assert.equal(id.email, undefined);
      assert.notEqual(id.sub, 'forged');
      assert.equal(id['cognito:username'], 'dan');
      assert.deepEqual(id['cognito:groups'], ['admins']);
      assert.deepEqual(access['cognito:groups'], ['admins']);
      assert.equal(access.tenant, undefined, 'V1 changes the ID token only');
      const [pre] = pool.events('PreAuthentication');
      assert.equal(pre!.triggerSource, 'PreAuthentication_Authentication');
      assert.deepEqual(pre!.request.validationData, { ip: '203.0.113.9' });
      assert.equal(pre!.request.userAttributes.email, 'dan@example.com');
      const [post] = pool.events('PostAuthentication');
      assert.equal(post!.triggerSource, 'PostAuthentication_Authentication');
      assert.equal(post!.request.newDeviceUsed, false);
      const [token] = pool.events('PreTokenGeneration');
      assert.equal(token!.triggerSource, 'TokenGeneration_Authentication');
      assert.equal(token!.version, '1');
      assert.deepEqual(token!.request.groupConfiguration, { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null });
      await gatehouse.cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: AuthenticationResult!.RefreshToken! } }));
      assert.deepEqual(pool.events('PreTokenGeneration').map((e) => e.triggerSource), ['TokenGeneration_Authentication', 'TokenGeneration_RefreshTokens']);
      assert.equal(pool.events('PreAuthentication').length, 1);
      assert.equal(pool.events('PostAuthentication').length, 1);
    });

    test('PreTokenGeneration V2 shapes both tokens and the access token’s scopes', async () => {
      const pool = await poolWith({}, {});
      const name = `v2-${++counter}`;
      lambda.register(name, (event: any) => ({
        ...event,
        response: {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { plan: 'gold', roles: ['a', 'b'] } },
            accessTokenGeneration: { claimsToAddOrOverride: { org: { id: 7 } }, scopesToAdd: ['orders/read'], scopesToSuppress: ['aws.cognito.signin.user.admin'] },
          },
        },
      }));
      await gatehouse.cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool.poolId, AutoVerifiedAttributes: ['email'], LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: ARN(name) } } }));
      await confirmedUser(pool.poolId, 'eve');
      const { AuthenticationResult } = await signIn(pool.clientId, 'eve');
      const id = claimsOf(AuthenticationResult!.IdToken!);
      const access = claimsOf(AuthenticationResult!.AccessToken!);
      assert.deepEqual([id.plan, id.roles], ['gold', ['a', 'b']]);
      assert.deepEqual(access.org, { id: 7 });
      assert.equal(access.scope, 'orders/read');
      const event = lambda.invocations.find((i) => i.name === name)!.event as Event;
      assert.equal(event.version, '2');
      assert.deepEqual(event.request.scopes, ['aws.cognito.signin.user.admin']);
    });

    test('UserMigration brings in an unknown user who signs in on the same request, once', async () => {
      const pool = await poolWith({
        UserMigration: (event: any) => {
          if (event.request.password !== 'OldSecret1!') throw new Error('Bad password');
          return { ...event, response: { userAttributes: { email: 'fay@example.com', email_verified: 'true' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' } };
        },
      });
      const wrong = await errorOf(signIn(pool.clientId, 'fay', 'Nope1234!'));
      assert.deepEqual([wrong.name, wrong.message], ['UserNotFoundException', `Exception migrating user in app client ${pool.clientId}`]);
      const { AuthenticationResult } = await signIn(pool.clientId, 'fay', 'OldSecret1!');
      assert.equal(claimsOf(AuthenticationResult!.IdToken!).email, 'fay@example.com');
      const [event] = pool.events('UserMigration');
      assert.equal(event!.triggerSource, 'UserMigration_Authentication');
      assert.equal(event!.userName, 'fay');
      const user = await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'fay' }));
      assert.equal(user.UserStatus, 'CONFIRMED');
      await signIn(pool.clientId, 'fay', 'OldSecret1!');
      assert.equal(pool.events('UserMigration').length, 2, 'only the two sign-ins of an unknown user asked the function');
      // ForgotPassword for an unknown name asks the function too, without a password.
      await errorOf(gatehouse.cognito.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: 'gus' })));
      const forgot = pool.events('UserMigration').at(-1)!;
      assert.equal(forgot.triggerSource, 'UserMigration_ForgotPassword');
      assert.equal(forgot.request.password, undefined);
    });

    test('UserMigration: RESET_REQUIRED asks for a reset, and enableSMSMFA turns SMS MFA on', async () => {
      const pool = await poolWith({
        UserMigration: (event: any) => ({
          ...event,
          response: {
            userAttributes: { email: 'quinn@example.com', email_verified: 'true', phone_number: '+15555550123' },
            finalUserStatus: 'RESET_REQUIRED',
            enableSMSMFA: true,
            forceAliasCreation: true,
          },
        }),
      });
      const reset = await errorOf(signIn(pool.clientId, 'quinn', 'OldSecret1!'));
      assert.equal(reset.name, 'PasswordResetRequiredException');
      const user = await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'quinn' }));
      assert.equal(user.UserStatus, 'RESET_REQUIRED');
      assert.deepEqual(user.UserMFASettingList, ['SMS_MFA']);
    });

    test('parallel sign-ins of one unknown user migrate it once, and every one of them signs in', async () => {
      const pool = await poolWith({
        UserMigration: async (event: any) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return { ...event, response: { userAttributes: { email: 'pia@example.com', email_verified: 'true' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' } };
        },
      });
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => signIn(pool.clientId, 'pia', 'OldSecret1!')));
      assert.deepEqual(results.map((r) => r.status), Array(6).fill('fulfilled'), JSON.stringify(results.filter((r) => r.status === 'rejected')));
      const subs = new Set(results.map((r) => claimsOf((r as PromiseFulfilledResult<any>).value.AuthenticationResult.IdToken).sub));
      assert.equal(subs.size, 1, 'one user, whoever migrated it');
    });

    test('CUSTOM_AUTH for an unknown user on a hiding client: the functions hear userNotFound, and no answer signs in', async () => {
      const pool = await poolWith({
        DefineAuthChallenge: (event: any) => ({ ...event, response: { challengeName: 'CUSTOM_CHALLENGE', issueTokens: event.request.session.length > 0, failAuthentication: false } }),
        CreateAuthChallenge: (event: any) => ({ ...event, response: { publicChallengeParameters: { q: '1+1' }, privateChallengeParameters: { a: '2' } } }),
        VerifyAuthChallengeResponse: (event: any) => ({ ...event, response: { answerCorrect: true } }),
      });
      const hiding = await gatehouse.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: 'hiding', ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH'], PreventUserExistenceErrors: 'ENABLED' }),
      );
      const clientId = hiding.UserPoolClient!.ClientId!;
      const started = await gatehouse.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'ghost' } }));
      assert.equal(started.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.equal(pool.events('DefineAuthChallenge')[0]!.request.userNotFound, true);
      assert.equal(pool.events('CreateAuthChallenge')[0]!.request.userNotFound, true);
      const answered = await errorOf(
        gatehouse.cognito.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: started.Session, ChallengeResponses: { USERNAME: 'ghost', ANSWER: '2' } })),
      );
      assert.deepEqual([answered.name, answered.message], ['NotAuthorizedException', 'Incorrect username or password.']);
    });

    test('a function that hangs is UnexpectedLambdaException; an answer that is not the event is InvalidLambdaResponseException', async () => {
      const hanging = await poolWith({ PreAuthentication: () => new Promise(() => {}) });
      await confirmedUser(hanging.poolId, 'gil');
      const started = Date.now();
      const timedOut = await errorOf(signIn(hanging.clientId, 'gil'));
      assert.equal(timedOut.name, 'UnexpectedLambdaException');
      assert.match(timedOut.message, /^PreAuthentication invocation failed due to error /);
      assert.ok(Date.now() - started < 8000);
      assert.equal(hanging.events('PreAuthentication').length, 3, 'Cognito tries three times');
      const garbled = await poolWith({ PreSignUp: () => null });
      const invalid = await errorOf(gatehouse.cognito.send(new SignUpCommand({ ClientId: garbled.clientId, Username: 'hal', Password: PASSWORD })));
      assert.deepEqual([invalid.name, invalid.message], ['InvalidLambdaResponseException', 'Unrecognizable lambda output']);
      const arrays = await poolWith({ PreTokenGeneration: (event: any) => ({ ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: { list: ['x'] } } } }) });
      await confirmedUser(arrays.poolId, 'ida');
      assert.equal((await errorOf(signIn(arrays.clientId, 'ida'))).name, 'InvalidLambdaResponseException');
    });

    test('AdminConfirmSignUp runs PostConfirmation for no client', async () => {
      const pool = await poolWith({ PostConfirmation: (event) => event });
      await gatehouse.cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'jo', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'jo@example.com' }] }));
      await gatehouse.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'jo', ClientMetadata: { by: 'support' } }));
      const [event] = pool.events('PostConfirmation');
      assert.equal(event!.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
      assert.deepEqual(event!.request.clientMetadata, { by: 'support' });
    });

    test('the invitation and NEW_PASSWORD_REQUIRED: CustomMessage_AdminCreateUser, then TokenGeneration_NewPasswordChallenge', async () => {
      const pool = await poolWith({
        CustomMessage: (event: any) => ({ ...event, response: { emailSubject: 'Your account', emailMessage: `Sign in as ${event.request.usernameParameter} with ${event.request.codeParameter}` } }),
        PreTokenGeneration: (event) => event,
      });
      await gatehouse.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'nia', DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: 'nia@example.com' }] }),
      );
      const [event] = pool.events('CustomMessage');
      assert.equal(event!.triggerSource, 'CustomMessage_AdminCreateUser');
      assert.equal(event!.request.usernameParameter, '{username}');
      assert.equal(event!.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
      const invitation = await mailbox.next('nia@example.com');
      assert.equal(invitation.message, `Sign in as nia with ${invitation.code}`);
      const challenge = await signIn(pool.clientId, 'nia', invitation.code);
      assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      await gatehouse.cognito.send(
        new RespondToAuthChallengeCommand({ ClientId: pool.clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: 'nia', NEW_PASSWORD: PASSWORD } }),
      );
      assert.deepEqual(pool.events('PreTokenGeneration').map((e) => e.triggerSource), ['TokenGeneration_NewPasswordChallenge']);
    });

    test('PreAuthentication hears of an unknown user only where the client hides unknown users', async () => {
      const pool = await poolWith({ PreAuthentication: (event) => event });
      const hiding = await gatehouse.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: 'hiding', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], PreventUserExistenceErrors: 'ENABLED' }),
      );
      assert.equal((await errorOf(signIn(pool.clientId, 'nobody'))).name, 'UserNotFoundException');
      assert.equal(pool.events('PreAuthentication').length, 0);
      assert.equal((await errorOf(signIn(hiding.UserPoolClient!.ClientId!, 'nobody'))).name, 'NotAuthorizedException');
      const [event] = pool.events('PreAuthentication');
      assert.equal(event!.request.userNotFound, true);
      assert.equal(event!.userName, 'nobody');
    });

    test('CustomEmailSender receives the code as AWS Encryption SDK ciphertext that AWS’s sample handler decrypts', async () => {
      const keyArn = await kms.createKey();
      const received: { source: string; code: string; type: string }[] = [];
      // AWS's documented handler, with its KMS client pointed at the test KMS server.
      const sender: TestHandler = async (event: any) => {
        const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
        const keyring = new KmsKeyringNode({ keyIds: [keyArn], clientProvider: getClient(KMS, { endpoint: kms.url, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }) });
        const { plaintext } = await decrypt(keyring, Buffer.from(event.request.code, 'base64'));
        received.push({ source: event.triggerSource, code: plaintext.toString('utf8'), type: event.request.type });
      };
      const name = `sender-${++counter}`;
      lambda.register(name, sender);
      const pool = await poolWith({}, { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: ARN(name) }, KMSKeyID: keyArn });
      await gatehouse.cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'oli', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'oli@example.com' }] }));
      const invocation = lambda.invocations.find((i) => i.name === name)!;
      assert.equal(invocation.invocationType, 'Event');
      for (let waited = 0; received.length === 0 && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(received.map(({ source, type }) => [source, type]), [['CustomEmailSender_SignUp', 'customEmailSenderRequestV1']]);
      assert.match(received[0]!.code, /^\d{6}$/);
      assert.ok(!mailbox.messages.some((m) => m.destination === 'oli@example.com'), 'the sender took the message instead of Gatehouse');
      // The decrypted code is the one Gatehouse expects.
      await gatehouse.cognito.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'oli', ConfirmationCode: received[0]!.code }));
      assert.equal((await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: 'oli' }))).UserStatus, 'CONFIRMED');
    });

    describe('custom authentication', () => {
      const define: TestHandler = (event: any) => {
        const session = event.request.session as { challengeName: string; challengeResult: boolean }[];
        const last = session.at(-1);
        const response = { issueTokens: false, failAuthentication: false, challengeName: 'CUSTOM_CHALLENGE' };
        if (last?.challengeName === 'SRP_A') response.challengeName = 'PASSWORD_VERIFIER';
        else if (last?.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult) response.issueTokens = true;
        else if (session.filter((round) => round.challengeName === 'CUSTOM_CHALLENGE').length >= 3) response.failAuthentication = true;
        return { ...event, response };
      };
      const create: TestHandler = (event: any) => ({ ...event, response: { publicChallengeParameters: { hint: 'colour of the sky' }, privateChallengeParameters: { answer: 'blue' }, challengeMetadata: 'QUESTION-1' } });
      const verify: TestHandler = (event: any) => ({ ...event, response: { answerCorrect: event.request.challengeAnswer === event.request.privateChallengeParameters.answer } });

      test('through the SDK: a wrong answer asks again, the right one issues tokens', async () => {
        const pool = await poolWith({ DefineAuthChallenge: define, CreateAuthChallenge: create, VerifyAuthChallengeResponse: verify });
        await confirmedUser(pool.poolId, 'kim');
        const started = await gatehouse.cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'kim' } }));
        assert.equal(started.ChallengeName, 'CUSTOM_CHALLENGE');
        assert.deepEqual(started.ChallengeParameters, { hint: 'colour of the sky', USERNAME: 'kim' });
        const answer = (Session: string, ANSWER: string) =>
          gatehouse.cognito.send(new RespondToAuthChallengeCommand({ ClientId: pool.clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session, ChallengeResponses: { USERNAME: 'kim', ANSWER } }));
        const again = await answer(started.Session!, 'green');
        assert.equal(again.ChallengeName, 'CUSTOM_CHALLENGE');
        const done = await answer(again.Session!, 'blue');
        assert.ok(done.AuthenticationResult?.AccessToken);
        const lastDefine = pool.events('DefineAuthChallenge').at(-1)!;
        assert.deepEqual(lastDefine.request.session, [
          { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'QUESTION-1' },
          { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUESTION-1' },
        ]);
        assert.deepEqual(pool.events('VerifyAuthChallengeResponse')[0]!.request.privateChallengeParameters, { answer: 'blue' });
        assert.equal(pool.events('CreateAuthChallenge')[0]!.request.challengeName, 'CUSTOM_CHALLENGE');
      });

      test('three wrong answers fail the sign-in; a pool without the triggers refuses the flow', async () => {
        const pool = await poolWith({ DefineAuthChallenge: define, CreateAuthChallenge: create, VerifyAuthChallengeResponse: verify });
        await confirmedUser(pool.poolId, 'lee');
        let { Session } = await gatehouse.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: pool.poolId, ClientId: pool.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'lee' } }));
        for (let i = 0; i < 2; i++) {
          ({ Session } = await gatehouse.cognito.send(new RespondToAuthChallengeCommand({ ClientId: pool.clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session, ChallengeResponses: { USERNAME: 'lee', ANSWER: 'red' } })));
        }
        const failed = await errorOf(gatehouse.cognito.send(new RespondToAuthChallengeCommand({ ClientId: pool.clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session, ChallengeResponses: { USERNAME: 'lee', ANSWER: 'red' } })));
        assert.deepEqual([failed.name, failed.message], ['NotAuthorizedException', 'Incorrect username or password.']);
        const bare = await poolWith({});
        const refused = await errorOf(gatehouse.cognito.send(new InitiateAuthCommand({ ClientId: bare.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'lee' } })));
        assert.deepEqual([refused.name, refused.message], ['InvalidParameterException', 'Custom auth lambda trigger is not configured for the user pool.']);
      });

      test('amazon-cognito-identity-js: SRP first (PASSWORD_VERIFIER), then the custom challenge', async () => {
        const pool = await poolWith({ DefineAuthChallenge: define, CreateAuthChallenge: create, VerifyAuthChallengeResponse: verify });
        await confirmedUser(pool.poolId, 'max');
        const userPool = new CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint: gatehouse.url, Storage: new MapStorage() });
        const user = new CognitoUser({ Username: 'max', Pool: userPool, Storage: new MapStorage() });
        user.setAuthenticationFlowType('CUSTOM_AUTH');
        const session = await new Promise<any>((resolve, reject) => {
          user.authenticateUser(new AuthenticationDetails({ Username: 'max', Password: PASSWORD }), {
            onSuccess: resolve,
            onFailure: reject,
            customChallenge(parameters: Record<string, string>) {
              assert.equal(parameters.hint, 'colour of the sky');
              user.sendCustomChallengeAnswer('blue', this);
            },
          });
        });
        assert.equal(claimsOf(session.getIdToken().getJwtToken())['cognito:username'], 'max');
        const rounds = pool.events('DefineAuthChallenge').map((e) => (e.request.session as { challengeName: string }[]).map((r) => r.challengeName));
        assert.deepEqual(rounds, [['SRP_A'], ['SRP_A', 'PASSWORD_VERIFIER'], ['SRP_A', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE']]);
      });

      test('Amplify v6: CUSTOM_WITHOUT_SRP, then confirmSignIn with the answer', async () => {
        const pool = await poolWith({ DefineAuthChallenge: define, CreateAuthChallenge: create, VerifyAuthChallengeResponse: verify });
        await confirmedUser(pool.poolId, 'noa');
        // What aws-amplify's own configure does: the token provider is told the pool too.
        const auth = { Cognito: { userPoolId: pool.poolId, userPoolClientId: pool.clientId, userPoolEndpoint: gatehouse.url } };
        cognitoUserPoolsTokenProvider.setAuthConfig(auth);
        Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
        try {
          const started = await amplifySignIn({ username: 'noa', options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
          assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
          assert.deepEqual((started.nextStep as { additionalInfo?: Record<string, string> }).additionalInfo, { hint: 'colour of the sky', USERNAME: 'noa' });
          const wrong = await confirmSignIn({ challengeResponse: 'grey' });
          assert.equal(wrong.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
          const done = await confirmSignIn({ challengeResponse: 'blue' });
          assert.equal(done.isSignedIn, true);
          const { tokens } = await fetchAuthSession();
          assert.equal(tokens?.idToken?.payload['cognito:username'], 'noa');
        } finally {
          await amplifySignOut().catch(() => undefined);
        }
      });
    });
  });
}

// The same handler code through the two other routes: an HTTP endpoint, and a local module in a worker.
describe('trigger routes: url and module', () => {
  let gatehouse: TestGatehouse;
  let webhook: TriggerWebhook;
  let dir: string;
  const SECRET = 'route-secret';

  /** Cognito's documented auto-confirm example, in the three handler styles a Lambda may use. */
  const autoConfirm = (event: any) => {
    if (event.request.userAttributes.email?.endsWith('@blocked.example')) throw new Error('Blocked domain.');
    event.response.autoConfirmUser = true;
    return event;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-triggers-'));
    await writeFile(
      join(dir, 'async.mjs'),
      `export const handler = async (event) => {\n  if (event.request.userAttributes.email?.endsWith('@blocked.example')) throw new Error('Blocked domain.');\n  event.response.autoConfirmUser = true;\n  return event;\n};\n`,
    );
    await writeFile(
      join(dir, 'callback.cjs'),
      `exports.handler = (event, context, callback) => {\n  if (event.request.userAttributes.email?.endsWith('@blocked.example')) return callback(new Error('Blocked domain.'));\n  event.response.autoConfirmUser = true;\n  callback(null, event);\n};\n`,
    );
    await writeFile(join(dir, 'succeed.cjs'), `exports.handler = (event, context) => {\n  event.response.autoConfirmUser = true;\n  context.succeed(event);\n};\n`);
    webhook = await startTriggerWebhook(autoConfirm, SECRET);
    gatehouse = await startTestGatehouse('sqlite', {
      triggers: {
        'arn:aws:lambda:*:*:function:web-*': { url: webhook.url, secret: SECRET },
        'arn:aws:lambda:us-east-1:123456789012:function:async-style': { module: join(dir, 'async.mjs') },
        'arn:aws:lambda:us-east-1:123456789012:function:callback-style': { module: join(dir, 'callback.cjs') },
        'arn:aws:lambda:us-east-1:123456789012:function:succeed-style': { module: join(dir, 'succeed.cjs') },
      },
      lambda: { timeoutMs: 3000 },
    });
  });
  after(async () => {
    await gatehouse.stop();
    await webhook.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const name of ['web-signup', 'async-style', 'callback-style', 'succeed-style']) {
    test(`${name}: the answer auto-confirms; a thrown error refuses the sign-up`, async () => {
      const poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: name, LambdaConfig: { PreSignUp: ARN(name) } }))).UserPool!.Id!;
      const clientId = (await gatehouse.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }))).UserPoolClient!.ClientId!;
      const signUp = (Username: string, email: string) =>
        gatehouse.cognito.send(new SignUpCommand({ ClientId: clientId, Username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
      assert.equal((await signUp('ok', 'ok@example.com')).UserConfirmed, true);
      if (name === 'succeed-style') return;
      const refused = await errorOf(signUp('no', 'no@blocked.example'));
      assert.deepEqual([refused.name, refused.message], ['UserLambdaValidationException', 'PreSignUp failed with error Blocked domain..']);
    });
  }

  test('the url route signs each event, and /metrics counts every invocation', async () => {
    assert.ok(webhook.requests.length > 0);
    assert.ok(webhook.requests.every((request) => request.signed));
    assert.equal(webhook.requests[0]!.headers['x-gatehouse-function'], ARN('web-signup'));
    const metrics = await (await fetch(`${gatehouse.url}/metrics`)).text();
    assert.match(metrics, /gatehouse_trigger_invocations_total\{pool="us-east-1_\w+",source="PreSignUp_SignUp",function="arn:aws:lambda:us-east-1:123456789012:function:web-signup",outcome="answered"\} 1/);
    assert.match(metrics, /function="arn:aws:lambda:us-east-1:123456789012:function:async-style",outcome="UserLambdaValidationException"\} 1/);
  });
});
