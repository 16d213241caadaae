import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { startMailbox, type Mailbox } from './support/webhook.js';

for (const backend of backends()) {
  describe(`self-service flows (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    let poolId: string;
    let clientId: string;
    before(async () => {
      mailbox = await startMailbox();
      gh = await startTestGatehouse(backend, {
        messages: { email: { method: 'webhook', url: mailbox.url }, sms: { method: 'webhook', url: mailbox.url } },
      });
      poolId = (
        await gh.cognito.send(
          new CreateUserPoolCommand({
            PoolName: 'self-service',
            UsernameAttributes: ['email'],
            AutoVerifiedAttributes: ['email'],
            Schema: [{ Name: 'email', Required: true }],
            AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
          }),
        )
      ).UserPool!.Id!;
      clientId = (
        await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))
      ).UserPoolClient!.ClientId!;
    });
    after(async () => {
      await gh.stop();
      await mailbox.close();
    });

    const signIn = (USERNAME: string, PASSWORD: string) =>
      gh.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));

    test('seed 002: sign-up sends a code, confirmation verifies the email, then sign-in works', async () => {
      const signUp = await gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'ann@example.com', Password: 'Password1!' }));
      assert.equal(signUp.UserConfirmed, false);
      assert.match(signUp.UserSub!, /^[0-9a-f-]{36}$/);
      assert.deepEqual(signUp.CodeDeliveryDetails, { Destination: 'a***@e***.com', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const first = await mailbox.next('ann@example.com');
      assert.equal(first.trigger, 'CustomMessage_SignUp');
      assert.match(first.code, /^\d{6}$/);
      assert.ok(first.message.includes(first.code));

      assert.equal((await errorOf(signIn('ann@example.com', 'Password1!'))).name, 'UserNotConfirmedException');
      await gh.cognito.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'ann@example.com' }));
      const resent = await mailbox.next('ann@example.com');
      const stale = await errorOf(gh.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ann@example.com', ConfirmationCode: first.code === resent.code ? '000000' : first.code })));
      assert.equal(stale.name, 'CodeMismatchException', 'only the newest code works');
      await gh.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ann@example.com', ConfirmationCode: resent.code }));
      const user = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ann@example.com' }));
      assert.equal(user.UserStatus, 'CONFIRMED');
      assert.equal(user.UserAttributes!.find((a) => a.Name === 'email_verified')!.Value, 'true');
      assert.ok((await signIn('ann@example.com', 'Password1!')).AuthenticationResult);
      const again = await errorOf(gh.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ann@example.com', ConfirmationCode: resent.code })));
      assert.equal(again.name, 'NotAuthorizedException');
    });

    test('sign-up errors: taken email, weak password, a user writing email_verified', async () => {
      await gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'dup@example.com', Password: 'Password1!' }));
      assert.equal((await errorOf(gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'dup@example.com', Password: 'Password1!' })))).name, 'UsernameExistsException');
      const weak = await errorOf(gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'weak@example.com', Password: 'short' })));
      assert.equal(weak.name, 'InvalidPasswordException');
      const verified = await errorOf(
        gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'sneaky@example.com', Password: 'Password1!', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] })),
      );
      assert.equal(verified.name, 'NotAuthorizedException', 'seed 002: only admin APIs write *_verified');
      await gh.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'dup@example.com' }));
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dup@example.com' }))).UserStatus, 'CONFIRMED');
    });

    test('seed 000: forgot password, the mailed code, a new password; wrong and expired codes', async () => {
      await gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'bob@example.com', Password: 'Old-password1' }));
      await gh.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'bob@example.com', ConfirmationCode: (await mailbox.next('bob@example.com')).code }));

      const forgot = await gh.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bob@example.com' }));
      assert.deepEqual(forgot.CodeDeliveryDetails, { Destination: 'b***@e***.com', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const { code } = await mailbox.next('bob@example.com');
      const wrong = await errorOf(
        gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'bob@example.com', ConfirmationCode: code === '123456' ? '654321' : '123456', Password: 'New-password1' })),
      );
      assert.deepEqual(wrong, { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.', status: 400 });
      await gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'bob@example.com', ConfirmationCode: code, Password: 'New-password1' }));
      assert.ok((await signIn('bob@example.com', 'New-password1')).AuthenticationResult);
      assert.equal((await errorOf(signIn('bob@example.com', 'Old-password1'))).name, 'NotAuthorizedException');

      await gh.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'bob@example.com' }));
      const late = await mailbox.next('bob@example.com');
      gh.clock.advance(61 * 60_000);
      const expired = await errorOf(
        gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'bob@example.com', ConfirmationCode: late.code, Password: 'Newer-password1' })),
      );
      assert.equal(expired.name, 'ExpiredCodeException');
    });

    test('five wrong codes use the code up', async () => {
      await gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'guess@example.com', Password: 'Password1!' }));
      const { code } = await mailbox.next('guess@example.com');
      const wrongCode = code === '111111' ? '222222' : '111111';
      for (let i = 0; i < 5; i++) {
        assert.equal((await errorOf(gh.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'guess@example.com', ConfirmationCode: wrongCode })))).name, 'CodeMismatchException');
      }
      const limited = await errorOf(gh.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'guess@example.com', ConfirmationCode: code })));
      assert.equal(limited.name, 'LimitExceededException');
    });

    test('ChangePassword with the access token; AdminResetUserPassword sends a code and requires a reset', async () => {
      await gh.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'cy@example.com', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }),
      );
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'cy@example.com', Password: 'First-pass1', Permanent: true }));
      const { AuthenticationResult } = await signIn('cy@example.com', 'First-pass1');
      const wrongPrevious = await errorOf(gh.cognito.send(new ChangePasswordCommand({ AccessToken: AuthenticationResult!.AccessToken, PreviousPassword: 'nope-Nope1', ProposedPassword: 'Second-pass1' })));
      assert.equal(wrongPrevious.name, 'NotAuthorizedException');
      await gh.cognito.send(new ChangePasswordCommand({ AccessToken: AuthenticationResult!.AccessToken, PreviousPassword: 'First-pass1', ProposedPassword: 'Second-pass1' }));
      assert.ok((await signIn('cy@example.com', 'Second-pass1')).AuthenticationResult);

      await gh.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'cy@example.com' }));
      const reset = await mailbox.next('cy@example.com');
      assert.equal(reset.trigger, 'CustomMessage_AdminResetUserPassword');
      assert.equal((await errorOf(signIn('cy@example.com', 'Second-pass1'))).name, 'PasswordResetRequiredException');
      await gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'cy@example.com', ConfirmationCode: reset.code, Password: 'Third-pass1' }));
      assert.ok((await signIn('cy@example.com', 'Third-pass1')).AuthenticationResult);

      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'nochannel@example.com', MessageAction: 'SUPPRESS' }));
      const noChannel = await errorOf(gh.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'nochannel@example.com' })));
      assert.equal(noChannel.name, 'InvalidParameterException');
    });
  });
}
