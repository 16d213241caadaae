// What the managed login browser tests share: the app the login sends the browser back to, and the
// user's steps on the sign-in page.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import type { GatehouseConfig } from '../../src/config.js';
import { startTestGatehouse, type TestGatehouse } from './gatehouse.js';

export interface CallbackApp {
  /** The redirect URI to register: http on localhost, which Cognito allows. */
  callback: string;
  close(): Promise<void>;
}

/** An app's callback page that shows the code it received. */
export async function startCallbackApp(): Promise<CallbackApp> {
  const app = createServer((request, response) => {
    const code = new URL(request.url!, 'http://localhost').searchParams.get('code') ?? 'none';
    response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>App</title><h1>Back in the app</h1><p id="code">${code}</p>`);
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  return {
    callback: `http://localhost:${(app.address() as AddressInfo).port}/callback`,
    close: () => new Promise((resolve) => app.close(() => resolve())),
  };
}

export async function signInOnPage(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The browser is back in the app with a code. */
export async function expectBackInApp(page: Page, callback: string): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(callback));
  assert.equal(await page.getByRole('heading').textContent(), 'Back in the app');
  assert.notEqual(await page.locator('#code').textContent(), 'none');
}

/** What a browser test of the pages starts with: Gatehouse on SQLite, and the app its sign-ins go back to. */
export async function startPagesFixture(overrides: Partial<GatehouseConfig> = {}): Promise<{ gatehouse: TestGatehouse; app: CallbackApp; stop(): Promise<void> }> {
  const gatehouse = await startTestGatehouse('sqlite', overrides);
  const app = await startCallbackApp();
  return { gatehouse, app, stop: () => gatehouse.stop().then(() => app.close()) };
}
