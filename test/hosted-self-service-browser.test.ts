// The managed login's self-service pages in a real browser (playwright-core driving Debian's
// chromium): sign up with terms and confirm with the emailed code, forgot password and reset, and a
// sign-in page in the client's branding, with a screenshot of each under test-output/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateManagedLoginBrandingCommand,
  CreateTermsCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  SetUICustomizationCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshotPath, withPage } from './support/browser.js';
import { expectBackInApp, signInOnPage, startCallbackApp, type CallbackApp } from './support/login-app.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { deliverTo, startMailbox, type Mailbox } from './support/webhook.js';

const PASSWORD = 'Password1!';
const NEW_PASSWORD = 'Brand-new-password2';

const browser = await launchBrowser();
const skip = browser ? false : (browserSkipReason() ?? 'no browser');

describe('managed login self-service pages in chromium', { skip }, () => {
  let gatehouse: TestGatehouse;
  let mailbox: Mailbox;
  let app: CallbackApp;
  let callback: string;
  let counter = 0;

  before(async () => {
    mailbox = await startMailbox();
    gatehouse = await startTestGatehouse('sqlite', deliverTo(mailbox));
    app = await startCallbackApp();
    callback = app.callback;
  });
  after(async () => {
    await gatehouse.stop();
    await mailbox.close();
    await app.close();
    await browser?.close();
  });

  async function poolWithClient(extra: Partial<CreateUserPoolCommandInput> = {}) {
    const poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: `self-service-pages-${++counter}`, AutoVerifiedAttributes: ['email'], ...extra }))).UserPool!.Id!;
    const client = await gatehouse.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'Example Travel', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [callback] }),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    const authorizeUrl = `${gatehouse.url}/oauth2/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(callback)}&scope=openid`;
    return { poolId, clientId, authorizeUrl };
  }

  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  const backInApp = (page: Page) => expectBackInApp(page, callback);

  test('sign up with the terms, confirm with the emailed code, then sign in', async () => {
    const { poolId, clientId, authorizeUrl } = await poolWithClient({ Schema: [{ Name: 'given_name', Required: true }, { Name: 'email', Required: true }] });
    for (const TermsName of ['terms-of-use', 'privacy-policy']) {
      await gatehouse.cognito.send(new CreateTermsCommand({ UserPoolId: poolId, ClientId: clientId, TermsName, TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': `https://example.com/${TermsName}` } }));
    }
    await withPage(browser as Browser, async (page) => {
      await page.goto(authorizeUrl);
      await page.getByRole('link', { name: 'Sign up' }).click();
      assert.equal(await heading(page), 'Sign up');
      assert.equal(await page.getByRole('link', { name: 'Terms of use' }).getAttribute('href'), 'https://example.com/terms-of-use');
      await page.getByLabel('Username').fill('ada');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Email').fill('ada@example.com');
      await page.getByLabel('Given name').fill('Ada');
      await page.screenshot({ path: screenshotPath('hosted-sign-up'), fullPage: true });
      await page.getByRole('button', { name: 'Sign up' }).click();
      assert.equal(await page.getByRole('alert').textContent(), 'To sign up, agree to the Terms of use and Privacy policy.');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel(/I agree/).check();
      await page.getByRole('button', { name: 'Sign up' }).click();

      assert.equal(await heading(page), 'Confirm your account');
      const { code } = await mailbox.next('ada@example.com');
      await page.screenshot({ path: screenshotPath('hosted-confirm'), fullPage: true });
      await page.getByLabel('Code').fill(code);
      await page.getByRole('button', { name: 'Confirm account' }).click();

      assert.equal(await heading(page), 'Sign in');
      assert.equal(await page.getByRole('status').textContent(), 'Your account is confirmed. Sign in to continue.');
      await signInOnPage(page, 'ada', PASSWORD);
      await backInApp(page);
    });
  });

  test('forgot password, reset it with the emailed code, then sign in with the new one', async () => {
    const { poolId, authorizeUrl } = await poolWithClient();
    await gatehouse.cognito.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'bea', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'bea@example.com' }, { Name: 'email_verified', Value: 'true' }] }),
    );
    await gatehouse.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'bea', Password: PASSWORD, Permanent: true }));
    await withPage(browser as Browser, async (page) => {
      await page.goto(authorizeUrl);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      assert.equal(await heading(page), 'Forgot your password?');
      await page.getByLabel('Username').fill('bea');
      await page.screenshot({ path: screenshotPath('hosted-forgot-password'), fullPage: true });
      await page.getByRole('button', { name: 'Reset my password' }).click();

      assert.equal(await heading(page), 'Reset your password');
      const { code } = await mailbox.next('bea@example.com');
      await page.getByLabel('Code').fill(code);
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Enter new password again').fill(NEW_PASSWORD);
      await page.screenshot({ path: screenshotPath('hosted-reset-password'), fullPage: true });
      await page.getByRole('button', { name: 'Change password' }).click();

      assert.equal(await page.getByRole('status').textContent(), 'Your password has been reset. Sign in with your new password.');
      await signInOnPage(page, 'bea', NEW_PASSWORD);
      await backInApp(page);
    });
  });

  test('the sign-in page in the client branding: UI customization CSS and logo, a branding style colours', async () => {
    const { poolId, clientId, authorizeUrl } = await poolWithClient();
    await gatehouse.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `travel${Date.now()}` }));
    const css = [
      '.background-customizable { background-color: #fffdf7; }',
      '.banner-customizable { background-color: #0b3d2e; }',
      '.label-customizable { font-weight: 400; }',
      '.inputField-customizable { border: 1px solid #0b3d2e; }',
    ].join('\n');
    await gatehouse.cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: css, ImageFile: logoPng() }));
    await gatehouse.cognito.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        Settings: {
          components: { primaryButton: { lightMode: { defaults: { backgroundColor: 'e07a1fff', textColor: 'ffffffff' } } }, pageBackground: { lightMode: { color: 'e8efe9ff' } } },
          componentClasses: { link: { lightMode: { defaults: { textColor: '0b3d2eff' } } } },
        },
      }),
    );
    await withPage(browser as Browser, async (page) => {
      await page.goto(authorizeUrl);
      const logo = page.getByRole('img', { name: 'Example Travel' });
      assert.ok(await logo.evaluate((image: any) => image.complete && image.naturalWidth > 0), 'the logo loads (the CSP allows it)');
      const button = page.getByRole('button', { name: 'Sign in' });
      assert.equal(await button.evaluate((element: any) => element.ownerDocument.defaultView.getComputedStyle(element).backgroundColor), 'rgb(224, 122, 31)');
      await page.screenshot({ path: screenshotPath('hosted-sign-in-branded'), fullPage: true });
    });
  });
});

/** A small PNG logo: a round mark and three bars, drawn pixel by pixel (no image library needed). */
function logoPng(): Buffer {
  const [width, height] = [220, 64];
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 4); // filter byte 0, then RGBA
    for (let x = 0; x < width; x++) {
      const inMark = (x - 32) ** 2 + (y - 32) ** 2 <= 26 ** 2;
      const bar = y >= 12 && y < 54 && (y - 12) % 15 < 9 ? [140, 100, 120][Math.floor((y - 12) / 15)] : undefined;
      const inBar = bar !== undefined && x >= 72 && x <= 72 + bar;
      const colour = inMark ? [224, 122, 31, 255] : inBar ? [255, 255, 255, 255] : [0, 0, 0, 0];
      row.set(colour, 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
