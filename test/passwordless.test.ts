// Issue 20: choice-based sign-in (USER_AUTH) and passkeys, through the AWS SDK and Amplify v6. Codes
// arrive through the webhook delivery, as a phone or an inbox would receive them; passkeys come from a
// software authenticator kept in the suite (P-256, `none` attestation, real CBOR and signatures).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserAuthFactorsCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  CompleteWebAuthnRegistrationCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteWebAuthnCredentialCommand,
  DescribeUserPoolCommand,
  GetUserAuthFactorsCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  StartWebAuthnRegistrationCommand,
  type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { confirmSignIn, signIn as amplifySignIn, signOut as amplifySignOut, fetchAuthSession } from '@aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito';
import { Amplify } from '@aws-amplify/core';
import { errorOf } from './support/errors.js';
import { backends, type TestGatehouse } from './support/gatehouse.js';
import { SoftwareAuthenticator } from './support/software-authenticator.js';
import { SrpClient, poolNameOf, srpTimestamp } from './support/srp-client.js';
import { withGatehouseAndMailbox, type Mailbox } from './support/webhook.js';

const PASSWORD = 'Password1!';
const ORIGIN = 'http://localhost:3000';
const ALL_FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const;
const SMS_CONFIGURATION = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'gatehouse' };
const claimsOf = (token: string): Record<string, any> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

for (const backend of backends()) {
  describe(`USER_AUTH and passkeys (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    withGatehouseAndMailbox(backend, (gatehouse, box) => ((gh = gatehouse), (mailbox = box)));
    let seq = 0;

    async function newPool(input: Partial<CreateUserPoolCommandInput> = {}) {
      const poolId = (
        await gh.cognito.send(
          new CreateUserPoolCommand({
            PoolName: `passwordless-${++seq}`,
            Policies: { SignInPolicy: { AllowedFirstAuthFactors: [...ALL_FACTORS] } },
            SmsConfiguration: SMS_CONFIGURATION,
            AutoVerifiedAttributes: ['email'],
            ...input,
          }),
        )
      ).UserPool!.Id!;
      await gh.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'preferred' } }));
      const client = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
      return { poolId, clientId: client.UserPoolClient!.ClientId! };
    }

    async function user(poolId: string, name: string, withPassword = true) {
      const email = `${name}@example.com`;
      const phone = `+1555${String(100_0000 + ++seq).slice(-7)}`;
      await gh.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: name,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'phone_number', Value: phone },
            { Name: 'phone_number_verified', Value: 'true' },
          ],
        }),
      );
      if (withPassword) await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true }));
      return { name, email, phone };
    }

    const start = (clientId: string, parameters: Record<string, string>, Session?: string) =>
      gh.cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: parameters, ...(Session && { Session }) }));
    const respond = (clientId: string, step: InitiateAuthCommandOutput, ChallengeName: string, responses: Record<string, string>) =>
      gh.cognito.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: ChallengeName as never, Session: step.Session, ChallengeResponses: responses }));

    /** Signs in with a password (and `mfa`, when the sign-in asks for it) and registers a passkey with the authenticator. */
    async function withPasskey(
      clientId: string,
      name: string,
      authenticator = new SoftwareAuthenticator({ origin: ORIGIN }),
      mfa: (step: InitiateAuthCommandOutput) => Promise<InitiateAuthCommandOutput> = async (step) => step,
    ) {
      const signedIn = await mfa(await start(clientId, { USERNAME: name, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }));
      const accessToken = signedIn.AuthenticationResult!.AccessToken!;
      const { CredentialCreationOptions } = await gh.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
      const credential = authenticator.create(CredentialCreationOptions as Record<string, unknown>);
      await gh.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential as never }));
      return { authenticator, accessToken };
    }

    test('pool settings: PASSWORD is always a first factor, passwordless needs ESSENTIALS or higher', async () => {
      const noPassword = await errorOf(gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'x', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['EMAIL_OTP'] } } })));
      assert.equal(noPassword.name, 'InvalidParameterException');
      const lite = await errorOf(gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'x', UserPoolTier: 'LITE', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } })));
      assert.equal(lite.name, 'FeatureUnavailableInTierException');
      const { poolId } = await newPool();
      const described = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(described.UserPool!.Policies!.SignInPolicy!.AllowedFirstAuthFactors, [...ALL_FACTORS]);
    });

    test('SELECT_CHALLENGE offers what the user has; an emailed code as the first factor signs in', async () => {
      const { poolId, clientId } = await newPool();
      const ada = await user(poolId, 'ada');
      const selecting = await start(clientId, { USERNAME: 'ada' });
      assert.equal(selecting.ChallengeName, 'SELECT_CHALLENGE');
      assert.deepEqual(selecting.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
      const emailed = await respond(clientId, selecting, 'SELECT_CHALLENGE', { USERNAME: 'ada', ANSWER: 'EMAIL_OTP' });
      assert.equal(emailed.ChallengeName, 'EMAIL_OTP');
      assert.equal(emailed.ChallengeParameters!.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
      const { code } = await mailbox.next(ada.email);
      const wrong = await errorOf(respond(clientId, emailed, 'EMAIL_OTP', { USERNAME: 'ada', EMAIL_OTP_CODE: String((Number(code) + 1) % 1_000_000).padStart(6, '0') }));
      assert.equal(wrong.name, 'CodeMismatchException');
      const done = await respond(clientId, emailed, 'EMAIL_OTP', { USERNAME: 'ada', EMAIL_OTP_CODE: code! });
      assert.equal(claimsOf(done.AuthenticationResult!.IdToken!)['cognito:username'], 'ada');
    });

    test('PREFERRED_CHALLENGE starts the factor at once: PASSWORD, SMS_OTP, PASSWORD_SRP', async () => {
      const { poolId, clientId } = await newPool();
      const max = await user(poolId, 'max');
      const byPassword = await start(clientId, { USERNAME: 'max', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
      assert.ok(byPassword.AuthenticationResult?.AccessToken);
      const wrongPassword = await errorOf(start(clientId, { USERNAME: 'max', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong1!xx' }));
      assert.equal(wrongPassword.name, 'NotAuthorizedException');

      const texted = await start(clientId, { USERNAME: 'max', PREFERRED_CHALLENGE: 'SMS_OTP' });
      assert.equal(texted.ChallengeName, 'SMS_OTP');
      const { code } = await mailbox.next(max.phone);
      assert.ok((await respond(clientId, texted, 'SMS_OTP', { USERNAME: 'max', SMS_OTP_CODE: code! })).AuthenticationResult?.IdToken);

      const srp = new SrpClient();
      const verifier = await start(clientId, { USERNAME: 'max', PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srp.srpA });
      assert.equal(verifier.ChallengeName, 'PASSWORD_VERIFIER');
      const parameters = verifier.ChallengeParameters!;
      const proof = srp.claim(poolNameOf(poolId), parameters.USER_ID_FOR_SRP!, PASSWORD, parameters as never, srpTimestamp(gh.clock.now()));
      const signedIn = await gh.cognito.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: { USERNAME: 'max', ...proof } }));
      assert.ok(signedIn.AuthenticationResult?.AccessToken);
    });

    test('PreventUserExistenceErrors: an unknown name gets the answers a user would, and its answers fail as wrong ones', async () => {
      const { poolId } = await newPool();
      await user(poolId, 'real');
      const hiding = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'hiding', ExplicitAuthFlows: ['ALLOW_USER_AUTH'], PreventUserExistenceErrors: 'ENABLED' }))).UserPoolClient!.ClientId!;
      const choices = await start(hiding, { USERNAME: 'ghost' });
      assert.equal(choices.ChallengeName, 'SELECT_CHALLENGE');
      assert.deepEqual(choices.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP']);
      const emailed = await start(hiding, { USERNAME: 'ghost@example.com', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
      assert.equal(emailed.ChallengeName, 'EMAIL_OTP');
      assert.equal(emailed.ChallengeParameters!.CODE_DELIVERY_DESTINATION, 'g***@e***');
      assert.equal((await errorOf(respond(hiding, emailed, 'EMAIL_OTP', { USERNAME: 'ghost@example.com', EMAIL_OTP_CODE: '123456' }))).name, 'NotAuthorizedException');
      const password = await errorOf(start(hiding, { USERNAME: 'ghost', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }));
      assert.deepEqual([password.name, password.message], ['NotAuthorizedException', 'Incorrect username or password.']);
      const telling = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'telling', ExplicitAuthFlows: ['ALLOW_USER_AUTH'], PreventUserExistenceErrors: 'LEGACY' }))).UserPoolClient!.ClientId!;
      assert.equal((await errorOf(start(telling, { USERNAME: 'ghost' }))).name, 'UserNotFoundException');
    });

    test('USER_AUTH needs ALLOW_USER_AUTH on the client', async () => {
      const { poolId } = await newPool();
      await user(poolId, 'cy');
      const client = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'old', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
      const refused = await errorOf(start(client.UserPoolClient!.ClientId!, { USERNAME: 'cy' }));
      assert.equal(refused.name, 'InvalidParameterException');
    });

    test('passwordless sign-up: SignUp without a password, ConfirmSignUp, then USER_AUTH with its Session and no second code', async () => {
      const { clientId } = await newPool();
      const email = 'newcomer@example.com';
      const signedUp = await gh.cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'newcomer', UserAttributes: [{ Name: 'email', Value: email }] }));
      assert.equal(signedUp.UserConfirmed, false);
      const { code } = await mailbox.next(email);
      const confirmed = await gh.cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'newcomer', ConfirmationCode: code! }));
      assert.ok(confirmed.Session, 'ConfirmSignUp hands back a session');
      const signedIn = await start(clientId, { USERNAME: 'newcomer' }, confirmed.Session);
      assert.equal(claimsOf(signedIn.AuthenticationResult!.IdToken!)['cognito:username'], 'newcomer');
      const again = await errorOf(start(clientId, { USERNAME: 'newcomer' }, confirmed.Session));
      assert.equal(again.name, 'NotAuthorizedException', 'the session signs in once');
      const choices = await start(clientId, { USERNAME: 'newcomer' });
      assert.deepEqual(choices.AvailableChallenges, ['EMAIL_OTP'], 'no password to offer');

      const passwordPool = await gh.cognito.send(new CreateUserPoolCommand({ PoolName: `pw-${++seq}` }));
      const passwordClient = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: passwordPool.UserPool!.Id!, ClientName: 'app' }));
      const refused = await errorOf(gh.cognito.send(new SignUpCommand({ ClientId: passwordClient.UserPoolClient!.ClientId!, Username: 'nopass' })));
      assert.equal(refused.name, 'InvalidParameterException', 'a pool without passwordless sign-in wants a password');
    });

    test('passkeys: register, list, sign in with WEB_AUTHN, GetUserAuthFactors, delete', async () => {
      const { poolId, clientId } = await newPool();
      await user(poolId, 'kai');
      const { authenticator, accessToken } = await withPasskey(clientId, 'kai');
      const listed = await gh.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
      assert.equal(listed.Credentials!.length, 1);
      assert.equal(listed.Credentials![0]!.CredentialId, authenticator.credentialIds[0]);
      assert.equal(listed.Credentials![0]!.RelyingPartyId, 'localhost');
      assert.ok(listed.Credentials![0]!.CreatedAt instanceof Date);

      const factors = await gh.cognito.send(new GetUserAuthFactorsCommand({ AccessToken: accessToken }));
      assert.deepEqual(factors.ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN']);
      assert.equal(factors.Username, 'kai');
      const adminFactors = await gh.cognito.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'kai' }));
      assert.deepEqual(adminFactors.ConfiguredUserAuthFactors, factors.ConfiguredUserAuthFactors);

      const challenged = await start(clientId, { USERNAME: 'kai', PREFERRED_CHALLENGE: 'WEB_AUTHN' });
      assert.equal(challenged.ChallengeName, 'WEB_AUTHN');
      const options = JSON.parse(challenged.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!);
      assert.equal(options.rpId, 'localhost');
      assert.deepEqual(options.allowCredentials.map((c: { id: string }) => c.id), authenticator.credentialIds);
      const assertion = authenticator.get(options);
      const signedIn = await respond(clientId, challenged, 'WEB_AUTHN', { USERNAME: 'kai', CREDENTIAL: JSON.stringify(assertion) });
      assert.equal(claimsOf(signedIn.AuthenticationResult!.IdToken!)['cognito:username'], 'kai');

      await gh.cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: authenticator.credentialIds[0]! }));
      assert.deepEqual((await gh.cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }))).Credentials, []);
      const gone = await errorOf(gh.cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: authenticator.credentialIds[0]! })));
      assert.equal(gone.name, 'ResourceNotFoundException');
      assert.ok(!(await start(clientId, { USERNAME: 'kai' })).AvailableChallenges!.includes('WEB_AUTHN'));
    });

    test('passkey refusals: tampered or replayed assertions, a counter that goes back, a wrong origin, another client, no challenge', async () => {
      const { poolId, clientId } = await newPool();
      await user(poolId, 'lee');
      const { authenticator, accessToken } = await withPasskey(clientId, 'lee');
      const challenge = async () => {
        const step = await start(clientId, { USERNAME: 'lee', PREFERRED_CHALLENGE: 'WEB_AUTHN' });
        return { step, options: JSON.parse(step.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) };
      };
      const answer = (step: InitiateAuthCommandOutput, assertion: Record<string, unknown>) => respond(clientId, step, 'WEB_AUTHN', { USERNAME: 'lee', CREDENTIAL: JSON.stringify(assertion) });

      for (const tamper of ['signature', 'clientData'] as const) {
        const { step, options } = await challenge();
        assert.equal((await errorOf(answer(step, authenticator.get(options, { tamper })))).name, 'NotAuthorizedException', tamper);
      }
      const first = await challenge();
      const used = authenticator.get(first.options);
      assert.ok((await answer(first.step, used)).AuthenticationResult);
      const replay = await challenge();
      assert.equal((await errorOf(answer(replay.step, used))).name, 'NotAuthorizedException', 'an assertion over an old challenge');
      const backwards = await challenge();
      assert.equal((await errorOf(answer(backwards.step, authenticator.get(backwards.options, { counter: 1 })))).name, 'NotAuthorizedException', 'a counter that went back');
      const elsewhere = await challenge();
      assert.equal((await errorOf(answer(elsewhere.step, authenticator.get(elsewhere.options, { origin: 'https://evil.example.com' })))).name, 'WebAuthnOriginNotAllowedException');

      const noChallenge = await errorOf(gh.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: {} as never })));
      assert.equal(noChallenge.name, 'WebAuthnChallengeNotFoundException');
      const started = await gh.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
      const wrongOrigin = new SoftwareAuthenticator({ origin: 'https://evil.example.com' }).create(started.CredentialCreationOptions as Record<string, unknown>, { skipRpIdCheck: true });
      assert.equal((await errorOf(gh.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: wrongOrigin as never })))).name, 'WebAuthnOriginNotAllowedException');

      const otherClient = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'other', ExplicitAuthFlows: ['ALLOW_USER_AUTH'] }))).UserPoolClient!.ClientId!;
      const otherToken = (await start(otherClient, { USERNAME: 'lee', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).AuthenticationResult!.AccessToken!;
      const begun = await gh.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
      const made = new SoftwareAuthenticator({ origin: ORIGIN }).create(begun.CredentialCreationOptions as Record<string, unknown>);
      assert.equal((await errorOf(gh.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: otherToken, Credential: made as never })))).name, 'WebAuthnClientMismatchException');

      const rpStarted = await gh.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
      const otherRp = { ...(rpStarted.CredentialCreationOptions as Record<string, any>) };
      otherRp.rp = { ...otherRp.rp, id: 'example.com' };
      const forOtherRp = new SoftwareAuthenticator({ origin: ORIGIN }).create(otherRp, { skipRpIdCheck: true });
      assert.equal((await errorOf(gh.cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: forOtherRp as never })))).name, 'WebAuthnRelyingPartyMismatchException');
    });

    test('a passkey is one factor (MFA follows) unless the pool counts a verified passkey as two', async () => {
      const { poolId, clientId } = await newPool();
      const zoe = await user(poolId, 'zoe');
      await gh.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION }, WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }));
      await gh.cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'zoe', SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const { authenticator } = await withPasskey(clientId, 'zoe', new SoftwareAuthenticator({ origin: ORIGIN }), async (signedIn) => {
        const { code } = await mailbox.next(zoe.phone);
        return respond(clientId, signedIn, 'SMS_MFA', { USERNAME: 'zoe', SMS_MFA_CODE: code! });
      });
      const byPasskey = async () => {
        const step = await start(clientId, { USERNAME: 'zoe', PREFERRED_CHALLENGE: 'WEB_AUTHN' });
        return respond(clientId, step, 'WEB_AUTHN', { USERNAME: 'zoe', CREDENTIAL: JSON.stringify(authenticator.get(JSON.parse(step.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!))) });
      };
      const single = await byPasskey();
      assert.equal(single.ChallengeName, 'SMS_MFA', 'SINGLE_FACTOR: the passkey is the first factor only');
      await mailbox.next(zoe.phone);
      await gh.cognito.send(
        new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION }, WebAuthnConfiguration: { RelyingPartyId: 'localhost', FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' } }),
      );
      assert.ok((await byPasskey()).AuthenticationResult?.AccessToken, 'a user-verified passkey counts as two factors');
    });

    test('two sign-ins answering with the same signature count at once: one passes, the other is a clone', async () => {
      const { poolId, clientId } = await newPool();
      await user(poolId, 'twin');
      const { authenticator } = await withPasskey(clientId, 'twin');
      const challenges = await Promise.all([0, 1].map(() => start(clientId, { USERNAME: 'twin', PREFERRED_CHALLENGE: 'WEB_AUTHN' })));
      const answers = challenges.map((step) => ({ step, assertion: authenticator.get(JSON.parse(step.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!), { counter: 7 }) }));
      const outcomes = await Promise.allSettled(answers.map(({ step, assertion }) => respond(clientId, step, 'WEB_AUTHN', { USERNAME: 'twin', CREDENTIAL: JSON.stringify(assertion) })));
      assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ['fulfilled', 'rejected']);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
      assert.equal(refused.reason.name, 'NotAuthorizedException');
    });

    test('passkeys need the pool to allow them, and a relying party', async () => {
      const { poolId, clientId } = await newPool({ Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } } });
      await user(poolId, 'mo');
      const token = (await start(clientId, { USERNAME: 'mo', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).AuthenticationResult!.AccessToken!;
      assert.equal((await errorOf(gh.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: token })))).name, 'WebAuthnNotEnabledException');

      const bare = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: `bare-${++seq}`, Policies: { SignInPolicy: { AllowedFirstAuthFactors: [...ALL_FACTORS] } } }))).UserPool!.Id!;
      const bareClient = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: bare, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_AUTH'] }))).UserPoolClient!.ClientId!;
      await user(bare, 'no');
      const bareToken = (await start(bareClient, { USERNAME: 'no', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).AuthenticationResult!.AccessToken!;
      assert.equal((await errorOf(gh.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: bareToken })))).name, 'WebAuthnConfigurationMissingException');
    });

    test('Amplify v6: signIn with USER_AUTH, an emailed code, and a password chosen from the selection', async () => {
      const { poolId, clientId } = await newPool();
      const ivy = await user(poolId, 'ivy');
      const auth = { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: gh.url } };
      cognitoUserPoolsTokenProvider.setAuthConfig(auth);
      Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
      try {
        const started = await amplifySignIn({ username: 'ivy', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
        assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
        const { code } = await mailbox.next(ivy.email);
        const done = await confirmSignIn({ challengeResponse: code! });
        assert.equal(done.isSignedIn, true);
        const { tokens } = await fetchAuthSession();
        assert.equal(tokens?.idToken?.payload['cognito:username'], 'ivy');
        await amplifySignOut();

        const selecting = await amplifySignIn({ username: 'ivy', options: { authFlowType: 'USER_AUTH' } });
        assert.equal(selecting.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
        const byPassword = await confirmSignIn({ challengeResponse: 'PASSWORD' });
        assert.equal(byPassword.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_PASSWORD');
        assert.equal((await confirmSignIn({ challengeResponse: PASSWORD })).isSignedIn, true);
      } finally {
        await amplifySignOut().catch(() => undefined);
      }
    });
  });
}
