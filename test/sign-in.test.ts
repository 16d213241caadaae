import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const secretHash = (secret: string, username: string, clientId: string) =>
  createHmac('sha256', secret).update(username + clientId).digest('base64');

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

for (const backend of backends()) {
  describe(`sign-in and tokens (${backend})`, () => {
    let gh: TestGatehouse;
    let poolId: string;
    before(async () => {
      gh = await startTestGatehouse(backend);
      poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'sign-in', AliasAttributes: ['email'] }))).UserPool!.Id!;
    });
    after(() => gh.stop());

    const newClient = async (input: Partial<CreateUserPoolClientCommandInput> = {}) =>
      (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ...input }))).UserPoolClient!;
    const newUser = async (username: string, password = 'Password1!', attributes: { Name: string; Value: string }[] = []) => {
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: attributes }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
    };

    test('seed 001: ADMIN_NO_SRP_AUTH with SECRET_HASH, refresh without a new refresh token, global sign-out', async () => {
      const client = await newClient({ GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      await newUser('kiriukun', 'Mypassword1!', [{ Name: 'email', Value: 'k@example.com' }, { Name: 'email_verified', Value: 'true' }]);
      const hash = secretHash(client.ClientSecret!, 'kiriukun', client.ClientId!);
      const signIn = await gh.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: client.ClientId,
          AuthFlow: 'ADMIN_NO_SRP_AUTH',
          AuthParameters: { USERNAME: 'kiriukun', PASSWORD: 'Mypassword1!', SECRET_HASH: hash },
        }),
      );
      assert.deepEqual(signIn.ChallengeParameters, {});
      const result = signIn.AuthenticationResult!;
      assert.equal(result.ExpiresIn, 3600);
      assert.equal(result.TokenType, 'Bearer');
      assert.ok(result.AccessToken && result.IdToken && result.RefreshToken);

      const id = decode(result.IdToken!);
      const access = decode(result.AccessToken!);
      assert.equal(id.token_use, 'id');
      assert.equal(id.aud, client.ClientId);
      assert.equal(id['cognito:username'], 'kiriukun');
      assert.equal(id.email, 'k@example.com');
      assert.equal(id.email_verified, true);
      assert.equal(id.iss, `${gh.url}/${poolId}`);
      assert.equal(access.token_use, 'access');
      assert.equal(access.client_id, client.ClientId);
      assert.equal(access.username, 'kiriukun');
      assert.equal(access.scope, 'aws.cognito.signin.user.admin');
      assert.equal(access.aud, undefined);
      assert.equal(id.sub, access.sub);
      assert.equal(id.origin_jti, access.origin_jti);
      assert.equal(access.exp - access.iat, 3600);

      const refreshed = await gh.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: client.ClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: result.RefreshToken!, SECRET_HASH: hash },
        }),
      );
      assert.equal(refreshed.AuthenticationResult!.RefreshToken, undefined);
      assert.equal(decode(refreshed.AuthenticationResult!.AccessToken!).origin_jti, access.origin_jti);
      assert.equal(decode(refreshed.AuthenticationResult!.IdToken!).auth_time, id.auth_time);

      const wrongHash = await errorOf(
        gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: client.ClientId, AuthFlow: 'ADMIN_NO_SRP_AUTH', AuthParameters: { USERNAME: 'kiriukun', PASSWORD: 'Mypassword1!', SECRET_HASH: 'bad' } })),
      );
      assert.equal(wrongHash.name, 'NotAuthorizedException');

      await gh.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'kiriukun' }));
      const refreshAfter = await errorOf(
        gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: client.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: result.RefreshToken!, SECRET_HASH: hash } })),
      );
      assert.equal(refreshAfter.name, 'NotAuthorizedException');
      const getAfter = await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: result.AccessToken })));
      assert.deepEqual(getAfter, { name: 'NotAuthorizedException', message: 'Access Token has been revoked', status: 400 });

      // The ID token stays valid for offline verifiers until it expires, as seed 001 observes.
      const jwks = await (await fetch(`${gh.url}/${poolId}/.well-known/jwks.json`)).json();
      const verifier = JwtVerifier.create({
        issuer: `${gh.url}/${poolId}`,
        audience: null,
        jwksUri: `${gh.url}/${poolId}/.well-known/jwks.json`,
        customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: 'id', clientId: client.ClientId! }),
      });
      verifier.cacheJwks(jwks as never);
      const verified = await verifier.verify(result.IdToken!, { graceSeconds: 5 } as never);
      assert.equal(verified.sub, id.sub);
    });

    test('USER_PASSWORD_AUTH, GetUser, and the errors users see', async () => {
      const client = await newClient({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      await newUser('alice', 'Password1!', [{ Name: 'email', Value: 'alice@example.com' }, { Name: 'email_verified', Value: 'true' }]);
      const signIn = (USERNAME: string, PASSWORD: string) =>
        gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
      const { AuthenticationResult } = await signIn('alice@example.com', 'Password1!');
      const me = await gh.cognito.send(new GetUserCommand({ AccessToken: AuthenticationResult!.AccessToken }));
      assert.equal(me.Username, 'alice');
      assert.equal(me.UserAttributes!.find((a) => a.Name === 'email')!.Value, 'alice@example.com');

      assert.deepEqual(await errorOf(signIn('alice', 'Wrong1!')), { name: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 });
      assert.equal((await errorOf(signIn('nobody', 'Password1!'))).name, 'UserNotFoundException');
      const adminOnly = await newClient({ ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] });
      const notEnabled = await errorOf(
        gh.cognito.send(new InitiateAuthCommand({ ClientId: adminOnly.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD: 'Password1!' } })),
      );
      assert.equal(notEnabled.name, 'InvalidParameterException');
      const unknownClient = await errorOf(
        gh.cognito.send(new InitiateAuthCommand({ ClientId: 'abcdefghijklmnopqrstuvwxyz', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a', PASSWORD: 'b' } })),
      );
      assert.equal(unknownClient.name, 'ResourceNotFoundException');

      const tampered = AuthenticationResult!.AccessToken!.slice(0, -3) + (AuthenticationResult!.AccessToken!.endsWith('A') ? 'BBB' : 'AAA');
      assert.deepEqual(await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: tampered }))), {
        name: 'NotAuthorizedException',
        message: 'Invalid Access Token',
        status: 400,
      });
      assert.equal((await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: AuthenticationResult!.IdToken })))).message, 'Invalid Access Token');
      const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
      const unsigned = `${header}.${AuthenticationResult!.AccessToken!.split('.')[1]}.`;
      assert.equal((await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: unsigned })))).message, 'Invalid Access Token');

      gh.clock.advance(3601_000);
      assert.equal((await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: AuthenticationResult!.AccessToken })))).message, 'Access Token has expired');
      gh.clock.advance(-3601_000);

      await gh.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.deepEqual(await errorOf(signIn('alice', 'Password1!')), { name: 'NotAuthorizedException', message: 'User is disabled.', status: 400 });
    });

    test('NEW_PASSWORD_REQUIRED: challenge, single-use session, expiry, and the temporary password lifetime', async () => {
      const client = await newClient({ ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'newbie', TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS' }));
      const start = () =>
        gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: client.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'newbie', PASSWORD: 'Temporary1!' } }));
      const challenge = await start();
      assert.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      assert.ok(challenge.Session && challenge.Session.length >= 20);
      assert.equal(challenge.ChallengeParameters!.USER_ID_FOR_SRP, 'newbie');
      assert.deepEqual(JSON.parse(challenge.ChallengeParameters!.requiredAttributes!), []);

      const answer = (Session: string) =>
        gh.cognito.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: client.ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session, ChallengeResponses: { USERNAME: 'newbie', NEW_PASSWORD: 'Brand-new1' } }));
      const done = await answer(challenge.Session!);
      assert.ok(done.AuthenticationResult!.AccessToken);
      const replay = await errorOf(answer(challenge.Session!));
      assert.deepEqual(replay, { name: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.', status: 400 });
      await gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'newbie', PASSWORD: 'Brand-new1' } }));

      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'slow', TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS' }));
      const slow = await gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'slow', PASSWORD: 'Temporary1!' } }));
      gh.clock.advance(4 * 60_000);
      const expired = await errorOf(
        gh.cognito.send(new RespondToAuthChallengeCommand({ ClientId: client.ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: slow.Session, ChallengeResponses: { USERNAME: 'slow', NEW_PASSWORD: 'Brand-new1' } })),
      );
      assert.equal(expired.name, 'NotAuthorizedException');
      gh.clock.advance(8 * 86_400_000);
      const stale = await errorOf(
        gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'slow', PASSWORD: 'Temporary1!' } })),
      );
      assert.deepEqual(stale, { name: 'NotAuthorizedException', message: 'Temporary password has expired and must be reset by an administrator.', status: 400 });
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'slow', TemporaryPassword: 'Another-temp1', MessageAction: 'RESEND' }));
      const resent = await gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'slow', PASSWORD: 'Another-temp1' } }));
      assert.equal(resent.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    });

    test('a NEW_PASSWORD_REQUIRED answer the policy refuses keeps the session for a corrected one', async () => {
      const client = await newClient({ ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] });
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'typo', TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS' }));
      const { Session } = await gh.cognito.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: client.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'typo', PASSWORD: 'Temporary1!' } }),
      );
      const answer = (NEW_PASSWORD: string) =>
        gh.cognito.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ClientId: client.ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session, ChallengeResponses: { USERNAME: 'typo', NEW_PASSWORD } }));
      assert.equal((await errorOf(answer('weak'))).name, 'InvalidPasswordException');
      assert.ok((await answer('Corrected-1')).AuthenticationResult!.AccessToken, 'the same session takes the corrected password');
    });

    test('AdminDisableUser revokes the tokens already issued: enabling the user again does not bring them back', async () => {
      const client = await newClient({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      await newUser('dora');
      const { AuthenticationResult } = await gh.cognito.send(
        new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'dora', PASSWORD: 'Password1!' } }),
      );
      await gh.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'dora' }));
      await gh.cognito.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'dora' }));
      assert.deepEqual(await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: AuthenticationResult!.AccessToken }))), {
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
        status: 400,
      });
      const refresh = await errorOf(
        gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: AuthenticationResult!.RefreshToken! } })),
      );
      assert.equal(refresh.message, 'Refresh Token has been revoked');
    });

    test('a refresh with a missing or wrong SECRET_HASH gets the wording of Cognito\'s refresh path', async () => {
      const client = await newClient({ GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      await newUser('hashy');
      const hash = secretHash(client.ClientSecret!, 'hashy', client.ClientId!);
      const { AuthenticationResult } = await gh.cognito.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: client.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'hashy', PASSWORD: 'Password1!', SECRET_HASH: hash } }),
      );
      const refresh = (extra: Record<string, string>) =>
        errorOf(gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: client.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: AuthenticationResult!.RefreshToken!, ...extra } })));
      assert.deepEqual(await refresh({}), { name: 'NotAuthorizedException', message: `Client ${client.ClientId} is configured with secret but SECRET_HASH was not received`, status: 400 });
      assert.deepEqual(await refresh({ SECRET_HASH: secretHash(client.ClientSecret!, 'someone-else', client.ClientId!) }), {
        name: 'NotAuthorizedException',
        message: `SecretHash does not match for the client: ${client.ClientId}`,
        status: 400,
      });
    });

    test('GetUser shows what the token\'s client may read; custom attributes are strings in the ID token', async () => {
      const custom = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'custom-claims', Schema: [{ Name: 'member', AttributeDataType: 'Boolean', Mutable: true }] }))).UserPool!.Id!;
      const readOnly = (
        await gh.cognito.send(
          new CreateUserPoolClientCommand({ UserPoolId: custom, ClientName: 'r', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], ReadAttributes: ['email', 'custom:member'] }),
        )
      ).UserPoolClient!.ClientId!;
      await gh.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: custom, Username: 'cora', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'cora@example.com' }, { Name: 'name', Value: 'Cora' }, { Name: 'custom:member', Value: 'true' }] }),
      );
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: custom, Username: 'cora', Password: 'Password1!', Permanent: true }));
      const { AuthenticationResult } = await gh.cognito.send(
        new InitiateAuthCommand({ ClientId: readOnly, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'cora', PASSWORD: 'Password1!' } }),
      );
      const me = await gh.cognito.send(new GetUserCommand({ AccessToken: AuthenticationResult!.AccessToken }));
      assert.deepEqual(me.UserAttributes!.map((a) => a.Name).sort(), ['custom:member', 'email', 'sub']);
      assert.equal(decode(AuthenticationResult!.IdToken!)['custom:member'], 'true');
    });

    test('CUSTOM_AUTH: not enabled for the client, or no trigger to run it', async () => {
      const allows = await newClient({ ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      const refuses = await newClient({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
      const custom = (ClientId: string) => errorOf(gh.cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'x' } })));
      assert.deepEqual(await custom(refuses.ClientId!), { name: 'InvalidParameterException', message: 'CUSTOM_AUTH is not enabled for the client.', status: 400 });
      assert.deepEqual(await custom(allows.ClientId!), { name: 'InvalidParameterException', message: 'Custom auth lambda trigger is not configured for the user pool.', status: 400 });
    });

    test('seed 000: RevokeToken ends one sign-in; GlobalSignOut ends the rest; revocation can be switched off', async () => {
      const client = await newClient({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      await newUser('bob');
      const signIn = () => gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Password1!' } }));
      const first = (await signIn()).AuthenticationResult!;
      const second = (await signIn()).AuthenticationResult!;
      await gh.cognito.send(new RevokeTokenCommand({ ClientId: client.ClientId, Token: first.RefreshToken }));
      const refresh = (token: string) => gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
      assert.equal((await errorOf(refresh(first.RefreshToken!))).name, 'NotAuthorizedException');
      assert.equal((await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: first.AccessToken })))).message, 'Access Token has been revoked');
      assert.ok((await refresh(second.RefreshToken!)).AuthenticationResult!.AccessToken, 'the other sign-in is untouched');

      await gh.cognito.send(new GlobalSignOutCommand({ AccessToken: second.AccessToken }));
      assert.equal((await errorOf(refresh(second.RefreshToken!))).name, 'NotAuthorizedException');
      assert.equal((await errorOf(gh.cognito.send(new GetUserCommand({ AccessToken: second.AccessToken })))).message, 'Access Token has been revoked');
      assert.ok((await signIn()).AuthenticationResult, 'signing in again works');

      const noRevocation = await newClient({ EnableTokenRevocation: false, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      const unsupported = await errorOf(gh.cognito.send(new RevokeTokenCommand({ ClientId: noRevocation.ClientId, Token: 'x'.repeat(40) })));
      assert.equal(unsupported.name, 'UnsupportedTokenTypeException');
    });

    test('lockout: from the fifth wrong password the user waits, doubling, and other users are not affected', async () => {
      const client = await newClient({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      await newUser('target');
      await newUser('bystander');
      const signIn = (USERNAME: string, PASSWORD: string) =>
        gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }));
      for (let i = 0; i < 5; i++) assert.equal((await errorOf(signIn('target', 'Wrong-1'))).message, 'Incorrect username or password.');
      assert.deepEqual(await errorOf(signIn('target', 'Password1!')), { name: 'NotAuthorizedException', message: 'Password attempts exceeded', status: 400 });
      assert.ok((await signIn('bystander', 'Password1!')).AuthenticationResult);
      gh.clock.advance(1100);
      assert.equal((await errorOf(signIn('target', 'Wrong-1'))).message, 'Incorrect username or password.', 'after 1 s the next try counts');
      gh.clock.advance(1100);
      assert.equal((await errorOf(signIn('target', 'Password1!'))).message, 'Password attempts exceeded', 'the sixth failure locks for 2 s');
      gh.clock.advance(1000);
      assert.ok((await signIn('target', 'Password1!')).AuthenticationResult, 'the right password works once the wait is over');
      for (let i = 0; i < 5; i++) await errorOf(signIn('target', 'Wrong-1'));
      gh.clock.advance(15 * 60_000 + 1000);
      assert.equal((await errorOf(signIn('target', 'Wrong-1'))).message, 'Incorrect username or password.');
      assert.ok((await signIn('target', 'Password1!')).AuthenticationResult, 'fifteen quiet minutes forgive the count');
    });

    test('GetTokensFromRefreshToken, with and without refresh-token rotation', async () => {
      const plain = await newClient({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
      await newUser('rotor');
      const signIn = (ClientId: string) =>
        gh.cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rotor', PASSWORD: 'Password1!' } }));
      const first = (await signIn(plain.ClientId!)).AuthenticationResult!;
      const again = await gh.cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: plain.ClientId, RefreshToken: first.RefreshToken }));
      assert.ok(again.AuthenticationResult!.AccessToken);
      assert.equal(again.AuthenticationResult!.RefreshToken, undefined, 'no rotation, no new refresh token');

      const conflicting = await errorOf(
        gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'x', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], RefreshTokenRotation: { Feature: 'ENABLED' } })),
      );
      assert.equal(conflicting.name, 'InvalidParameterException');
      const rotating = await newClient({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 } });
      const original = (await signIn(rotating.ClientId!)).AuthenticationResult!.RefreshToken!;
      const rotate = (RefreshToken: string) => gh.cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: rotating.ClientId, RefreshToken }));
      const next = (await rotate(original)).AuthenticationResult!.RefreshToken!;
      assert.ok(next && next !== original, 'rotation hands out a new refresh token');
      const retried = (await rotate(original)).AuthenticationResult!;
      assert.ok(retried.AccessToken && retried.RefreshToken, 'the old one is honoured during the grace period');
      gh.clock.advance(11_000);
      assert.equal((await errorOf(rotate(original))).name, 'RefreshTokenReuseException');
      assert.equal((await errorOf(rotate(next))).name, 'NotAuthorizedException', 'the retry superseded the token whose answer was lost');
      assert.ok((await rotate(retried.RefreshToken!)).AuthenticationResult!.RefreshToken, 'the chain goes on from the retry');
      const refused = await errorOf(
        gh.cognito.send(new InitiateAuthCommand({ ClientId: rotating.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: next } })),
      );
      assert.equal(refused.name, 'InvalidParameterException', 'a rotating client cannot use REFRESH_TOKEN_AUTH');
    });

    test('PreventUserExistenceErrors ENABLED answers an unknown user like a wrong password', async () => {
      const client = await newClient({ PreventUserExistenceErrors: 'ENABLED', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
      await newUser('known');
      const signIn = (USERNAME: string) =>
        gh.cognito.send(new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD: 'Wrong-pass1' } }));
      const unknown = await errorOf(signIn('unknown-user'));
      const wrong = await errorOf(signIn('known'));
      assert.deepEqual(unknown, wrong);
      assert.equal(unknown.message, 'Incorrect username or password.');
    });
  });
}

describe('Cognito-style issuer', () => {
  test("tokens carry AWS's issuer URL, so CognitoJwtVerifier accepts them with the JWKS from Gatehouse", async () => {
    const gh = await startTestGatehouse('sqlite', { tokenIssuer: 'cognito' });
    try {
      const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'aws-issuer' }))).UserPool!.Id!;
      const client = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }))).UserPoolClient!;
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'u', MessageAction: 'SUPPRESS' }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'u', Password: 'Password1!', Permanent: true }));
      const { AuthenticationResult } = await gh.cognito.send(
        new InitiateAuthCommand({ ClientId: client.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'u', PASSWORD: 'Password1!' } }),
      );
      const verifier = CognitoJwtVerifier.create({ userPoolId: poolId, tokenUse: 'access', clientId: client.ClientId! });
      verifier.cacheJwks(await (await fetch(`${gh.url}/${poolId}/.well-known/jwks.json`)).json() as never);
      const payload = await verifier.verify(AuthenticationResult!.AccessToken!);
      assert.equal(payload.iss, `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`);
      assert.equal((await gh.cognito.send(new GetUserCommand({ AccessToken: AuthenticationResult!.AccessToken }))).Username, 'u');
    } finally {
      await gh.stop();
    }
  });
});
