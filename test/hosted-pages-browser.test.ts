// The managed login pages in a real browser (playwright-core driving Debian's chromium): sign-in, a
// wrong password, the error page, a forced new password, and TOTP MFA from setup to a later sign-in,
// with a screenshot of every page under test-output/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { authenticator } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshotPath, withPage } from './support/browser.js';
import { expectBackInApp, signInOnPage, startPagesFixture, type CallbackApp } from './support/login-app.js';
import type { TestGatehouse } from './support/gatehouse.js';

const PASSWORD = 'Password1!';

const browser = await launchBrowser();
const skip = browser ? false : (browserSkipReason() ?? 'no browser');

describe('managed login pages in chromium', { skip }, () => {
  let gatehouse: TestGatehouse;
  let callback: string;
  let stop: () => Promise<void>;

  before(async () => {
    let app: CallbackApp;
    ({ gatehouse, app, stop } = await startPagesFixture());
    callback = app.callback;
  });
  after(async () => {
    await stop();
    await browser?.close();
  });

  async function poolWithClient(mfa = false) {
    const poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: `pages-${Date.now()}` }))).UserPool!.Id!;
    if (mfa) await gatehouse.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const client = await gatehouse.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [callback] }),
    );
    const authorizeUrl = `${gatehouse.url}/oauth2/authorize?response_type=code&client_id=${client.UserPoolClient!.ClientId}&redirect_uri=${encodeURIComponent(callback)}&scope=openid`;
    return { poolId, authorizeUrl };
  }

  async function createUser(poolId: string, username: string, permanent: boolean) {
    await gatehouse.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS' }));
    if (permanent) await gatehouse.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  }

  const backInApp = (page: Page) => expectBackInApp(page, callback);

  test('sign-in page, a wrong password, then into the app; a bad redirect shows the error page', async () => {
    const { poolId, authorizeUrl } = await poolWithClient();
    await createUser(poolId, 'ada', true);
    await withPage(browser as Browser, async (page) => {
      await page.goto(authorizeUrl);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in');
      await page.screenshot({ path: screenshotPath('hosted-sign-in'), fullPage: true });
      await signInOnPage(page, 'ada', 'Wrong-password1');
      assert.equal(await page.getByRole('alert').textContent(), 'Incorrect username or password.');
      await page.screenshot({ path: screenshotPath('hosted-sign-in-wrong-password'), fullPage: true });
      await signInOnPage(page, 'ada', PASSWORD);
      await backInApp(page);
      await page.goto(authorizeUrl.replace(encodeURIComponent(callback), encodeURIComponent('https://evil.example.com/')));
      assert.match((await page.getByRole('heading', { level: 1 }).textContent()) ?? '', /An error was encountered/);
      await page.screenshot({ path: screenshotPath('hosted-error'), fullPage: true });
    });
  });

  test('a temporary password leads to the new-password page', async () => {
    const { poolId, authorizeUrl } = await poolWithClient();
    await createUser(poolId, 'bea', false);
    await withPage(browser as Browser, async (page) => {
      await page.goto(authorizeUrl);
      await signInOnPage(page, 'bea', 'Temporary1!');
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Change your password');
      await page.screenshot({ path: screenshotPath('hosted-new-password'), fullPage: true });
      await page.getByLabel('New password').fill('short');
      await page.getByRole('button', { name: 'Send' }).click();
      assert.match((await page.getByRole('alert').textContent()) ?? '', /Password/);
      await page.getByLabel('New password').fill('Brand-new-password1');
      await page.getByRole('button', { name: 'Send' }).click();
      await backInApp(page);
    });
  });

  test('TOTP MFA: set up inside the sign-in with an authenticator, then asked for a code next time', async () => {
    const { poolId, authorizeUrl } = await poolWithClient(true);
    await createUser(poolId, 'cal', true);
    const appCode = (secret: string) => authenticator.clone({ epoch: gatehouse.clock.now() }).generate(secret);
    let secret = '';
    await withPage(browser as Browser, async (page) => {
      await page.goto(authorizeUrl);
      await signInOnPage(page, 'cal', PASSWORD);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Set up your authenticator app');
      secret = ((await page.locator('code').textContent()) ?? '').trim();
      assert.match(secret, /^[A-Z2-7]{16,}$/);
      await page.screenshot({ path: screenshotPath('hosted-mfa-setup'), fullPage: true });
      await page.getByLabel('Code').fill(appCode(secret));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await backInApp(page);
    });
    gatehouse.clock.advance(30_000);
    await withPage(browser as Browser, async (page) => {
      await page.goto(authorizeUrl);
      await signInOnPage(page, 'cal', PASSWORD);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Enter your authenticator code');
      await page.screenshot({ path: screenshotPath('hosted-mfa-code'), fullPage: true });
      await page.getByLabel('Code').fill('000000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      assert.ok(await page.getByRole('alert').isVisible(), 'a wrong code is said so, on the same page');
      await page.getByLabel('Code').fill(appCode(secret));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await backInApp(page);
    });
  });
});
