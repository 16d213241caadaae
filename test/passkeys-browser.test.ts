// Passkeys on the managed login pages in a real browser: chromium's DevTools virtual authenticator
// makes and uses the passkey, through /passkeys/add and the sign-in page's passkey button, with a
// screenshot of both pages under test-output/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminCreateUserCommand, AdminGetUserAuthFactorsCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshotPath, withPage } from './support/browser.js';
import type { TestGatehouse } from './support/gatehouse.js';
import { expectBackInApp, startPagesFixture, type CallbackApp } from './support/login-app.js';

const PASSWORD = 'Password1!';
const browser = await launchBrowser();
const skip = browser ? false : (browserSkipReason() ?? 'no browser');

describe('passkeys on the managed login pages in chromium', { skip }, () => {
  let gatehouse: TestGatehouse;
  let app: CallbackApp;
  let stop: () => Promise<void>;
  /** WebAuthn refuses IP addresses as relying parties: the browser reaches Gatehouse as localhost. */
  let origin: string;

  before(async () => {
    ({ gatehouse, app, stop } = await startPagesFixture());
    origin = gatehouse.url.replace('127.0.0.1', 'localhost');
  });
  after(async () => {
    await stop();
    await browser?.close();
  });

  test('add a passkey after signing in, then sign in with it from the passkey button', async () => {
    const poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: 'passkeys-browser', Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } }))).UserPool!.Id!;
    await gatehouse.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' } }));
    const client = await gatehouse.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [app.callback] }),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    await gatehouse.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'pia', MessageAction: 'SUPPRESS' }));
    await gatehouse.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'pia', Password: PASSWORD, Permanent: true }));
    const authorizeUrl = `${origin}/oauth2/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(app.callback)}&scope=openid`;

    await withPage(browser as Browser, async (page) => {
      const devtools = await page.context().newCDPSession(page);
      await devtools.send('WebAuthn.enable');
      await devtools.send('WebAuthn.addVirtualAuthenticator', {
        options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
      });

      await page.goto(authorizeUrl);
      // Enter in the password field is the main button's, not the passkey button's.
      await page.getByLabel('Username').fill('pia');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Password').press('Enter');
      await expectBackInApp(page, app.callback);

      await page.goto(`${origin}/passkeys/add?client_id=${clientId}&redirect_uri=${encodeURIComponent(app.callback)}`);
      await page.screenshot({ path: screenshotPath('passkey-add'), fullPage: true });
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.waitForURL((url) => url.href.startsWith(app.callback));
      const factors = await gatehouse.cognito.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: 'pia' }));
      assert.ok(factors.ConfiguredUserAuthFactors!.includes('WEB_AUTHN'), 'the passkey is registered');

      await page.context().clearCookies();
      await page.goto(authorizeUrl);
      await page.screenshot({ path: screenshotPath('passkey-login-page'), fullPage: true });
      await page.getByLabel('Username').fill('pia');
      await page.getByRole('button', { name: 'Use a passkey instead' }).click();
      await page.getByRole('button', { name: 'Use my passkey' }).waitFor();
      await page.screenshot({ path: screenshotPath('passkey-sign-in'), fullPage: true });
      await page.getByRole('button', { name: 'Use my passkey' }).click();
      await expectBackInApp(page, app.callback);
    });
  });
});
