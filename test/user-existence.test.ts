// Issue 15, point 4 (PreventUserExistenceErrors without leaks) and issue 16, points 1, 2, 5 and 6
// (Cognito's answers for unknown users, masked destinations, users who must change their password,
// unconfirmed users signing in by SRP), through the SDK and boto3.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf, type CallError } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { poolNameOf, SrpClient, srpTimestamp } from './support/srp-client.js';
import { deliverTo, startMailbox, type Mailbox } from './support/webhook.js';

const PASSWORD = 'Password1!';
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const WRONG_PASSWORD: CallError = { name: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 };
const WRONG_CODE: CallError = { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.', status: 400 };
const NOT_FOUND: CallError = { name: 'UserNotFoundException', message: 'Username/client id combination not found.', status: 400 };

/** An SRP sign-in's two steps, the second with a proof made from `password`. */
async function srpSignIn(cognito: CognitoIdentityProviderClient, poolId: string, clientId: string, username: string, password: string) {
  const srp = new SrpClient();
  const started = await cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.srpA } }));
  const parameters = started.ChallengeParameters!;
  // The client's proof is computed now, so that timing the answer times the server alone.
  const responses = { USERNAME: parameters.USERNAME!, ...srp.claim(poolNameOf(poolId), parameters.USER_ID_FOR_SRP!, password, parameters as never, srpTimestamp(Date.now())) };
  const answer = () => cognito.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: responses }));
  return { started, answer };
}

for (const backend of backends()) {
  describe(`who exists, and what the answers give away (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    let poolId: string;
    let hiding: string;
    let legacy: string;
    before(async () => {
      mailbox = await startMailbox();
      gh = await startTestGatehouse(backend, deliverTo(mailbox));
      poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'existence', AutoVerifiedAttributes: ['email'], UsernameAttributes: ['email'] }))).UserPool!.Id!;
      const client = (PreventUserExistenceErrors: 'ENABLED' | 'LEGACY') =>
        gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: PreventUserExistenceErrors, ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors }));
      hiding = (await client('ENABLED')).UserPoolClient!.ClientId!;
      legacy = (await client('LEGACY')).UserPoolClient!.ClientId!;
      for (const name of ['known@example.com', 'disabled@example.com']) {
        await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
        await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true }));
      }
      await gh.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'disabled@example.com' }));
      await gh.cognito.send(new SignUpCommand({ ClientId: legacy, Username: 'pending@example.com', Password: PASSWORD }));
      await mailbox.next('pending@example.com');
    });
    after(async () => {
      await gh.stop();
      await mailbox.close();
    });

    test('ENABLED: ConfirmSignUp and ConfirmForgotPassword answer an unknown user as a known one with a wrong code', async () => {
      const confirmKnown = await errorOf(gh.cognito.send(new ConfirmSignUpCommand({ ClientId: hiding, Username: 'pending@example.com', ConfirmationCode: '000000' })));
      const confirmUnknown = await errorOf(gh.cognito.send(new ConfirmSignUpCommand({ ClientId: hiding, Username: 'nobody@example.com', ConfirmationCode: '000000' })));
      assert.deepEqual(confirmUnknown, confirmKnown);
      assert.deepEqual(confirmUnknown, WRONG_CODE);

      await gh.cognito.send(new ForgotPasswordCommand({ ClientId: hiding, Username: 'known@example.com' }));
      await mailbox.next('known@example.com');
      const resetKnown = await errorOf(gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: hiding, Username: 'known@example.com', ConfirmationCode: '000000', Password: 'Reset-pass1' })));
      const resetUnknown = await errorOf(gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: hiding, Username: 'nobody@example.com', ConfirmationCode: '000000', Password: 'Reset-pass1' })));
      assert.deepEqual(resetUnknown, resetKnown);
      assert.deepEqual(resetUnknown, WRONG_CODE);
    });

    test('ENABLED: ForgotPassword and ResendConfirmationCode give unknown and disabled users a plausible, stable delivery', async () => {
      const forgot = (Username: string) => gh.cognito.send(new ForgotPasswordCommand({ ClientId: hiding, Username }));
      const known = (await forgot('known@example.com')).CodeDeliveryDetails;
      const unknown = (await forgot('nobody@example.com')).CodeDeliveryDetails;
      const disabled = (await forgot('disabled@example.com')).CodeDeliveryDetails;
      assert.deepEqual(known, { Destination: 'k***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      assert.deepEqual(unknown, { Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      assert.deepEqual(disabled, { Destination: 'd***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }, 'a disabled user is not named');
      assert.deepEqual((await forgot('nobody@example.com')).CodeDeliveryDetails, unknown, 'the same answer every time');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(mailbox.messages.filter((m) => m.destination === 'nobody@example.com' || m.destination === 'disabled@example.com').length, 0, 'nothing is sent');

      const resend = (Username: string) => gh.cognito.send(new ResendConfirmationCodeCommand({ ClientId: hiding, Username }));
      assert.deepEqual((await resend('pending@example.com')).CodeDeliveryDetails, { Destination: 'p***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      assert.deepEqual((await resend('nobody@example.com')).CodeDeliveryDetails, { Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    });

    test('ENABLED: password and SRP sign-in of an unknown user fail as a wrong password does; the decoy challenge is stored and checked', async () => {
      const password = (USERNAME: string) => gh.cognito.send(new InitiateAuthCommand({ ClientId: hiding, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: 'Wrong-pass1' } }));
      assert.deepEqual(await errorOf(password('nobody@example.com')), WRONG_PASSWORD);
      assert.deepEqual(await errorOf(password('known@example.com')), WRONG_PASSWORD);

      const unknown = await srpSignIn(gh.cognito, poolId, hiding, 'nobody@example.com', 'Wrong-pass1');
      const known = await srpSignIn(gh.cognito, poolId, hiding, 'known@example.com', 'Wrong-pass1');
      assert.deepEqual(Object.keys(unknown.started.ChallengeParameters!).sort(), Object.keys(known.started.ChallengeParameters!).sort());
      assert.match(unknown.started.ChallengeParameters!.USER_ID_FOR_SRP!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a sub, as for a real user of an email pool');
      const again = await srpSignIn(gh.cognito, poolId, hiding, 'nobody@example.com', 'Wrong-pass1');
      assert.equal(again.started.ChallengeParameters!.SALT, unknown.started.ChallengeParameters!.SALT, 'a stable salt');
      assert.equal(again.started.ChallengeParameters!.USER_ID_FOR_SRP, unknown.started.ChallengeParameters!.USER_ID_FOR_SRP);
      // Stored like a real challenge, so answering it does the same work.
      assert.ok(await gh.server.storage.authSessions.get(unknown.started.ChallengeParameters!.SECRET_BLOCK!, Date.now()), 'the decoy session is stored');
      assert.deepEqual(await errorOf(unknown.answer()), WRONG_PASSWORD);
      assert.deepEqual(await errorOf(known.answer()), WRONG_PASSWORD);
      assert.deepEqual(await errorOf(unknown.answer()), WRONG_PASSWORD, 'answered once, then like any spent proof');
      assert.equal(await gh.server.storage.authSessions.get(unknown.started.ChallengeParameters!.SECRET_BLOCK!, Date.now()), undefined, 'used up');
    });

    test('LEGACY: an unknown user in self-service is "Username/client id combination not found."', async () => {
      const calls = [
        () => gh.cognito.send(new ForgotPasswordCommand({ ClientId: legacy, Username: 'nobody@example.com' })),
        () => gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: legacy, Username: 'nobody@example.com', ConfirmationCode: '123456', Password: 'Reset-pass1' })),
        () => gh.cognito.send(new ResendConfirmationCodeCommand({ ClientId: legacy, Username: 'nobody@example.com' })),
        () => gh.cognito.send(new ConfirmSignUpCommand({ ClientId: legacy, Username: 'nobody@example.com', ConfirmationCode: '123456' })),
      ];
      for (const call of calls) assert.deepEqual(await errorOf(call()), NOT_FOUND);
      const signIn = await errorOf(gh.cognito.send(new InitiateAuthCommand({ ClientId: legacy, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody@example.com', PASSWORD } })));
      assert.deepEqual(signIn, { name: 'UserNotFoundException', message: 'User does not exist.', status: 400 });
    });

    test('a user who must change their password cannot start a reset instead', async () => {
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'temp@example.com', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
      const refused = { name: 'NotAuthorizedException', message: 'User password cannot be reset in the current state.', status: 400 };
      assert.deepEqual(await errorOf(gh.cognito.send(new ForgotPasswordCommand({ ClientId: legacy, Username: 'temp@example.com' }))), refused);
      assert.deepEqual(await errorOf(gh.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'temp@example.com' }))), refused);
    });

    test('an unconfirmed user is told so by SRP before any proof, and by a password whatever it is', async () => {
      const notConfirmed = { name: 'UserNotConfirmedException', message: 'User is not confirmed.', status: 400 };
      for (const client of [legacy, hiding]) {
        const srp = new SrpClient();
        assert.deepEqual(
          await errorOf(gh.cognito.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'pending@example.com', SRP_A: srp.srpA } }))),
          notConfirmed,
        );
        for (const password of [PASSWORD, 'Wrong-pass1']) {
          assert.deepEqual(
            await errorOf(gh.cognito.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'pending@example.com', PASSWORD: password } }))),
            notConfirmed,
          );
        }
      }
    });

    test('phone numbers are masked to their last four digits', async () => {
      const phonePool = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'phones', AutoVerifiedAttributes: ['phone_number'], SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns' } }))).UserPool!.Id!;
      const client = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: phonePool, ClientName: 'p' }))).UserPoolClient!.ClientId!;
      const signUp = await gh.cognito.send(new SignUpCommand({ ClientId: client, Username: 'phoebe', Password: PASSWORD, UserAttributes: [{ Name: 'phone_number', Value: '+15555551234' }] }));
      assert.deepEqual(signUp.CodeDeliveryDetails, { Destination: '+*******1234', DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    });
  });
}

describe('the same answers through boto3', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse('sqlite');
  });
  after(() => gh.stop());

  test('masked destinations, unknown users and reset refusals as botocore parses them', async (t) => {
    const exec = promisify(execFile);
    try {
      await exec('python3', ['-c', 'import boto3']);
    } catch {
      return t.skip('boto3 not installed');
    }
    const script = `
import boto3, json, sys
c = boto3.client('cognito-idp', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b')
pool = c.create_user_pool(PoolName='boto3-answers', AutoVerifiedAttributes=['email'])['UserPool']['Id']
client = c.create_user_pool_client(UserPoolId=pool, ClientName='b')['UserPoolClient']['ClientId']
out = {}
out['signup'] = c.sign_up(ClientId=client, Username='tess', Password='Password1!', UserAttributes=[{'Name': 'email', 'Value': 'test@test.com'}])['CodeDeliveryDetails']
def error(call):
    try:
        call()
    except Exception as e:
        return [e.response['Error']['Code'], e.response['Error']['Message']]
out['unknown'] = error(lambda: c.forgot_password(ClientId=client, Username='nobody'))
c.admin_create_user(UserPoolId=pool, Username='fran', MessageAction='SUPPRESS', UserAttributes=[{'Name': 'email', 'Value': 'fran@example.com'}, {'Name': 'email_verified', 'Value': 'true'}])
out['force_change'] = error(lambda: c.admin_reset_user_password(UserPoolId=pool, Username='fran'))
print(json.dumps(out))
`;
    const { stdout } = await exec('python3', ['-c', script, gh.url], { env: { ...process.env, AWS_PAGER: '' } });
    const result = JSON.parse(stdout);
    assert.deepEqual(result.signup, { Destination: 't***@t***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    assert.deepEqual(result.unknown, ['UserNotFoundException', 'Username/client id combination not found.']);
    assert.deepEqual(result.force_change, ['NotAuthorizedException', 'User password cannot be reset in the current state.']);
  });
});
