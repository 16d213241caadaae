// Amplify v6's own passkey functions against Gatehouse, in Node: associateWebAuthnCredential,
// listWebAuthnCredentials, deleteWebAuthnCredential, and signIn with USER_AUTH + WEB_AUTHN. Amplify
// only runs these in a browser, so the WebAuthn browser shim stands in for one, around those calls
// only, with a software authenticator on http://localhost:3000 behind navigator.credentials.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  associateWebAuthnCredential,
  deleteWebAuthnCredential,
  fetchAuthSession,
  listWebAuthnCredentials,
  signIn,
  signOut,
} from '@aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito';
import { Amplify } from '@aws-amplify/core';
import { errorOf } from './support/errors.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { SoftwareAuthenticator } from './support/software-authenticator.js';
import { installWebAuthnShim, withWebAuthnShim } from './support/webauthn-browser-shim.js';

const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'Password1!';
const USERNAME = 'nia';
const SHIMMED_GLOBALS = ['window', 'document', 'isSecureContext', 'navigator', 'PublicKeyCredential', 'AuthenticatorAttestationResponse', 'AuthenticatorAssertionResponse'];

/** A SoftwareAuthenticator that counts its ceremonies, to show Amplify went through navigator.credentials. */
class CountingAuthenticator extends SoftwareAuthenticator {
  creates = 0;
  gets = 0;

  override create(...args: Parameters<SoftwareAuthenticator['create']>): Record<string, unknown> {
    this.creates++;
    return super.create(...args);
  }

  override get(...args: Parameters<SoftwareAuthenticator['get']>): Record<string, unknown> {
    this.gets++;
    return super.get(...args);
  }
}

const globalDescriptors = () => SHIMMED_GLOBALS.map((name) => Object.getOwnPropertyDescriptor(globalThis, name));

describe('Amplify v6 passkeys through the WebAuthn browser shim (sqlite)', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse('sqlite');
  });
  after(() => gh.stop());

  /** A pool that allows passwords and passkeys on RP id localhost, a USER_AUTH client, and a user with a password. */
  async function passkeyPool(): Promise<{ userPoolId: string; userPoolClientId: string }> {
    const pool = await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'amplify-passkeys', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } }));
    const userPoolId = pool.UserPool!.Id!;
    await gh.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost' } }));
    const client = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
    await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: USERNAME, MessageAction: 'SUPPRESS' }));
    await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: USERNAME, Password: PASSWORD, Permanent: true }));
    return { userPoolId, userPoolClientId: client.UserPoolClient!.ClientId! };
  }

  function configureAmplify(ids: { userPoolId: string; userPoolClientId: string }): void {
    const auth = { Cognito: { ...ids, userPoolEndpoint: gh.url } };
    cognitoUserPoolsTokenProvider.setAuthConfig(auth);
    Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
  }

  test('the shim looks like a secure browser page while installed and leaves globalThis as it found it', async () => {
    const before = globalDescriptors();
    const uninstall = installWebAuthnShim(new SoftwareAuthenticator({ origin: ORIGIN }));
    try {
      const g = globalThis as Record<string, any>;
      assert.equal(g.window, globalThis);
      assert.equal(g.isSecureContext, true);
      assert.equal(typeof g.PublicKeyCredential, 'function');
      // A browser refuses base64url strings where WebAuthn wants bytes; so must the shim, or it would hide a client bug.
      const asJson = { publicKey: { challenge: 'AAAA', rp: { id: 'localhost', name: 'x' }, user: { id: 'AAAA', name: 'x', displayName: 'x' }, pubKeyCredParams: [] } };
      assert.equal((await errorOf(g.navigator.credentials.create(asJson))).name, 'TypeError');
    } finally {
      uninstall();
    }
    assert.deepEqual(globalDescriptors(), before);
    assert.equal(typeof (globalThis as Record<string, unknown>).window, 'undefined', 'Amplify must see Node again outside the shim');
  });

  test('associateWebAuthnCredential, listWebAuthnCredentials, signIn with WEB_AUTHN, deleteWebAuthnCredential', async () => {
    configureAmplify(await passkeyPool());
    const authenticator = new CountingAuthenticator({ origin: ORIGIN });
    try {
      const byPassword = await signIn({ username: USERNAME, password: PASSWORD, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } });
      assert.equal(byPassword.isSignedIn, true, `password sign-in stopped at ${byPassword.nextStep.signInStep}`);

      await withWebAuthnShim(authenticator, () => associateWebAuthnCredential());
      assert.equal(authenticator.creates, 1, 'Amplify registered through navigator.credentials.create');
      const [credentialId] = authenticator.credentialIds;
      const { credentials } = await listWebAuthnCredentials();
      assert.equal(credentials.length, 1);
      assert.equal(credentials[0]!.credentialId, credentialId);
      assert.equal(credentials[0]!.relyingPartyId, 'localhost');
      // getTransports() and authenticatorAttachment made it from the shim, through Amplify, to Gatehouse and back.
      assert.deepEqual(credentials[0]!.authenticatorTransports, ['internal']);
      assert.equal(credentials[0]!.authenticatorAttachment, 'platform');
      // Amplify turns CreatedAt (epoch seconds on the wire) into a Date; Gatehouse's clock stands still in tests.
      assert.equal(credentials[0]!.createdAt?.getTime(), gh.clock.now());

      // Gatehouse excludes the passkey already held; the authenticator refuses, and Amplify names it.
      const again = await errorOf(withWebAuthnShim(authenticator, () => associateWebAuthnCredential()));
      assert.equal(again.name, 'PasskeyAlreadyExists');
      assert.equal((await listWebAuthnCredentials()).credentials.length, 1);

      await signOut();
      assert.equal((await fetchAuthSession()).tokens, undefined, 'signed out before the passkey sign-in');

      const byPasskey = await withWebAuthnShim(authenticator, () => signIn({ username: USERNAME, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } }));
      assert.equal(byPasskey.isSignedIn, true, `passkey sign-in stopped at ${byPasskey.nextStep.signInStep}`);
      assert.equal(authenticator.gets, 1, 'Amplify signed in through navigator.credentials.get');
      // Read after the shim is gone: the tokens went where Amplify keeps them in Node, not somewhere only the shim saw.
      const { tokens } = await fetchAuthSession();
      assert.equal(tokens?.idToken?.payload['cognito:username'], USERNAME);
      assert.equal(tokens?.accessToken.payload.username, USERNAME);

      await deleteWebAuthnCredential({ credentialId: credentialId! });
      assert.deepEqual((await listWebAuthnCredentials()).credentials, []);
    } finally {
      await signOut().catch(() => undefined);
    }
  });
});
