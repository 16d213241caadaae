import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
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
import { deliverTo, startMailbox, type Mailbox } from './support/webhook.js';

for (const backend of backends()) {
  describe(`self-service flows (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    let poolId: string;
    let clientId: string;
    before(async () => {
      mailbox = await startMailbox();
      gh = await startTestGatehouse(backend, {
        ...deliverTo(mailbox),
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
      assert.deepEqual(signUp.CodeDeliveryDetails, { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
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
      assert.deepEqual(forgot.CodeDeliveryDetails, { Destination: 'b***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
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
      assert.equal(reset.trigger, 'CustomMessage_ForgotPassword');
      assert.equal((await errorOf(signIn('cy@example.com', 'Second-pass1'))).name, 'PasswordResetRequiredException');
      await gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'cy@example.com', ConfirmationCode: reset.code, Password: 'Third-pass1' }));
      assert.ok((await signIn('cy@example.com', 'Third-pass1')).AuthenticationResult);

      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'nochannel@example.com', MessageAction: 'SUPPRESS' }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'nochannel@example.com', Password: 'First-pass1', Permanent: true }));
      const noChannel = await errorOf(gh.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'nochannel@example.com' })));
      assert.equal(noChannel.name, 'InvalidParameterException');
    });

    test('seed 002: attribute verification; re-verifying works and a wrong code leaves it verified; DeleteUser', async () => {
      await gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'dee@example.com', Password: 'Password1!' }));
      await gh.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'dee@example.com', ConfirmationCode: (await mailbox.next('dee@example.com')).code }));
      const accessToken = (await signIn('dee@example.com', 'Password1!')).AuthenticationResult!.AccessToken!;
      const emailVerified = async () =>
        (await gh.cognito.send(new GetUserCommand({ AccessToken: accessToken }))).UserAttributes!.find((a) => a.Name === 'email_verified')?.Value;

      const sent = await gh.cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }));
      assert.equal(sent.CodeDeliveryDetails!.AttributeName, 'email');
      const { code } = await mailbox.next('dee@example.com');
      const wrong = await errorOf(gh.cognito.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code === '000000' ? '111111' : '000000' })));
      assert.equal(wrong.name, 'CodeMismatchException');
      assert.equal(await emailVerified(), 'true', 'a failed attempt leaves it true');
      await gh.cognito.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code }));
      assert.equal(await emailVerified(), 'true');

      const update = await gh.cognito.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: 'dee2@example.com' }, { Name: 'name', Value: 'Dee' }] }));
      assert.equal(update.CodeDeliveryDetailsList![0]!.Destination, 'd***@e***');
      assert.equal(await emailVerified(), 'false', 'a changed email is unverified until its code comes back');
      await gh.cognito.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: (await mailbox.next('dee2@example.com')).code }));
      assert.equal(await emailVerified(), 'true');
      const forbidden = await errorOf(gh.cognito.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] })));
      assert.equal(forbidden.name, 'InvalidParameterException', 'users cannot write *_verified');

      await gh.cognito.send(new DeleteUserCommand({ AccessToken: accessToken }));
      assert.equal((await errorOf(gh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dee2@example.com' })))).name, 'UserNotFoundException');
    });

    test("UpdateUserAttributes honours the token's app client WriteAttributes", async () => {
      const limited = (
        await gh.cognito.send(
          new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'limited', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], WriteAttributes: ['email', 'name'] }),
        )
      ).UserPoolClient!.ClientId!;
      await gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'wes@example.com', Password: 'Password1!' }));
      await gh.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'wes@example.com' }));
      const viaLimited = await gh.cognito.send(
        new InitiateAuthCommand({ ClientId: limited, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'wes@example.com', PASSWORD: 'Password1!' } }),
      );
      const AccessToken = viaLimited.AuthenticationResult!.AccessToken!;
      await gh.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'name', Value: 'Wes' }] }));
      const refused = await errorOf(gh.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'family_name', Value: 'Smith' }] })));
      assert.deepEqual(refused, { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute', status: 400 });
      const unrestricted = (await signIn('wes@example.com', 'Password1!')).AuthenticationResult!.AccessToken!;
      await gh.cognito.send(new UpdateUserAttributesCommand({ AccessToken: unrestricted, UserAttributes: [{ Name: 'family_name', Value: 'Smith' }] }));
      const attributes = (await gh.cognito.send(new GetUserCommand({ AccessToken }))).UserAttributes!;
      assert.deepEqual([attributes.find((a) => a.Name === 'name')?.Value, attributes.find((a) => a.Name === 'family_name')?.Value], ['Wes', 'Smith']);
    });

    test('AttributesRequireVerificationBeforeUpdate keeps the old email working until the new one is verified', async () => {
      const heldPool = (
        await gh.cognito.send(
          new CreateUserPoolCommand({
            PoolName: 'held',
            UsernameAttributes: ['email'],
            AutoVerifiedAttributes: ['email'],
            UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
          }),
        )
      ).UserPool!.Id!;
      const heldClient = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: heldPool, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }))).UserPoolClient!.ClientId!;
      await gh.cognito.send(new SignUpCommand({ ClientId: heldClient, Username: 'old@example.com', Password: 'Password1!' }));
      await gh.cognito.send(new ConfirmSignUpCommand({ ClientId: heldClient, Username: 'old@example.com', ConfirmationCode: (await mailbox.next('old@example.com')).code }));
      const login = (USERNAME: string) => gh.cognito.send(new InitiateAuthCommand({ ClientId: heldClient, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: 'Password1!' } }));
      const accessToken = (await login('old@example.com')).AuthenticationResult!.AccessToken!;
      await gh.cognito.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: 'new@example.com' }] }));
      assert.ok((await login('old@example.com')).AuthenticationResult, 'the old email still signs in');
      const me = await gh.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
      assert.equal(me.UserAttributes!.find((a) => a.Name === 'email')!.Value, 'old@example.com');
      await gh.cognito.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: (await mailbox.next('new@example.com')).code }));
      assert.ok((await login('new@example.com')).AuthenticationResult, 'the new email signs in once verified');
      assert.equal((await errorOf(login('old@example.com'))).name, 'UserNotFoundException');
    });

    test('PreventUserExistenceErrors ENABLED: ForgotPassword for an unknown user looks like a real one', async () => {
      const hiding = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'hiding', PreventUserExistenceErrors: 'ENABLED' }))).UserPoolClient!.ClientId!;
      const forgot = await gh.cognito.send(new ForgotPasswordCommand({ ClientId: hiding, Username: 'ghost@example.com' }));
      assert.deepEqual(forgot.CodeDeliveryDetails, { Destination: 'g***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
      const legacy = await errorOf(gh.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ghost@example.com' })));
      assert.equal(legacy.name, 'UserNotFoundException');
    });

    test('ConfirmSignUp with a verified email another user holds: AliasExistsException, then ForceAliasCreation moves it', async () => {
      const aliasPool = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'aliases', AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
      const aliasClient = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: aliasPool, ClientName: 'app' }))).UserPoolClient!.ClientId!;
      await gh.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: aliasPool, Username: 'holder', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'shared@example.org' }, { Name: 'email_verified', Value: 'true' }] }),
      );
      await gh.cognito.send(new SignUpCommand({ ClientId: aliasClient, Username: 'newcomer', Password: 'Password1!', UserAttributes: [{ Name: 'email', Value: 'shared@example.org' }] }));
      const { code } = await mailbox.next('shared@example.org');
      const confirm = (ForceAliasCreation?: boolean) =>
        gh.cognito.send(new ConfirmSignUpCommand({ ClientId: aliasClient, Username: 'newcomer', ConfirmationCode: code, ForceAliasCreation }));
      assert.equal((await errorOf(confirm())).name, 'AliasExistsException');
      await confirm(true);
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: aliasPool, Username: 'shared@example.org' }))).Username, 'newcomer');
      const holder = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: aliasPool, Username: 'holder' }));
      assert.equal(holder.UserAttributes!.find((a) => a.Name === 'email_verified')!.Value, 'false');
    });
  });
}
