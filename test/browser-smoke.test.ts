// The browser test infrastructure itself (test/support/browser.ts): Debian's chromium, driven by
// playwright-core, fills in and submits a form on a page served from this test, and takes a screenshot.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { after, test } from 'node:test';
import { browserSkipReason, launchBrowser, screenshotPath, withPage } from './support/browser.js';

const browser = await launchBrowser();
after(() => browser?.close());

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
  body { font-family: sans-serif; margin: 40px; background: #f4f6f8; }
  main { background: #fff; border: 1px solid #ccd; border-radius: 8px; padding: 24px; width: 360px; }
  label { display: block; margin: 12px 0 4px; }
  input, select, button { font-size: 16px; padding: 6px; width: 100%; box-sizing: border-box; }
  button { margin-top: 16px; background: #2457c5; color: #fff; border: 0; border-radius: 4px; }
</style></head>
<body><main>${body}</main></body></html>`;

const FORM = page(
  'Sign in',
  `<h1>Sign in</h1>
  <form method="post" action="/submit">
    <label for="username">Username</label><input id="username" name="username" autocomplete="off">
    <label for="plan">Plan</label>
    <select id="plan" name="plan"><option value="free">Free</option><option value="pro">Pro</option></select>
    <button type="submit">Continue</button>
  </form>`,
);

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

test('chromium fills in and submits a form, and a screenshot of the result is written', { skip: browserSkipReason() }, async (t) => {
  assert.ok(browser);
  t.diagnostic(`chromium ${browser.version()}`);

  const posts: { contentType: string | undefined; body: string }[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      if (request.method === 'GET' && request.url === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(FORM);
      } else if (request.method === 'POST' && request.url === '/submit') {
        const body = await readBody(request);
        posts.push({ contentType: request.headers['content-type'], body });
        const form = new URLSearchParams(body);
        const html = page(
          'Welcome',
          `<h1>Welcome</h1><p id="result">Signed in as ${escapeHtml(form.get('username') ?? '')} on the ${escapeHtml(form.get('plan') ?? '')} plan.</p>`,
        );
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      } else {
        response.writeHead(404).end(); // favicon.ico and anything else
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const shot = screenshotPath('smoke-form');
  rmSync(shot, { force: true });

  await withPage(browser, async (page) => {
    page.setDefaultTimeout(15_000);
    await page.goto(url);
    assert.equal(await page.title(), 'Sign in');
    await page.getByLabel('Username').fill('ada <lovelace>');
    await page.getByLabel('Plan').selectOption('pro');
    await Promise.all([page.waitForURL(`${url}submit`), page.getByRole('button', { name: 'Continue' }).click()]);

    assert.equal(await page.title(), 'Welcome');
    // The markup-looking username arrives as text, not as an element.
    assert.equal(await page.locator('#result').textContent(), 'Signed in as ada <lovelace> on the pro plan.');
    await page.screenshot({ path: shot, fullPage: true });
  });

  assert.deepEqual(posts, [{ contentType: 'application/x-www-form-urlencoded', body: 'username=ada+%3Clovelace%3E&plan=pro' }]);
  assert.ok(statSync(shot).size > 0, `${shot} is empty`);
  const png = readFileSync(shot);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  // IHDR: width and height, big-endian, at bytes 16 and 20 (Playwright's default viewport is 1280x720).
  assert.equal(png.readUInt32BE(16), 1280);
  assert.ok(png.readUInt32BE(20) >= 720);
  t.diagnostic(`screenshot: ${shot} (${png.length} bytes)`);
});
