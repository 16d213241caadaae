// Issue 23 (first part): the admin console at /console. Its refusals over plain HTTP (no session,
// a wrong key, a form from another site or without its token, framing), then an operator in
// chromium signing in with an access key and managing a pool, its users, groups and app clients,
// each action checked through the SDK, with a screenshot of every page under test-output/screenshots/.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  GetGroupCommand,
  SignUpCommand,
  AdminListGroupsForUserCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  AdminListUserSessionsCommand,
  ListUserPoolClientSecretsCommand,
  SetUserPoolSessionConfigurationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser } from 'playwright-core';
import { errorOf } from './support/errors.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { browserSkipReason, launchBrowser, screenshotPath, withPage } from './support/browser.js';

/** The key pair the test SDK client signs with, configured as the server's operator key. */
const KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

async function signInOverHttp(url: string, key = KEY): Promise<{ status: number; cookie?: string; location?: string | null }> {
  const response = await fetch(`${url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(key).toString(),
  });
  return { status: response.status, cookie: response.headers.get('set-cookie') ?? undefined, location: response.headers.get('location') };
}

describe('admin console: who may use it', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse('sqlite', { accessKeys: [KEY] });
  });
  after(() => gh.stop());

  test('no session is sent to sign in; a wrong key is refused; the session cookie is HttpOnly, SameSite=Strict, for /console only', async () => {
    const anonymous = await fetch(`${gh.url}/console/pools`, { redirect: 'manual' });
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.get('location'), '/console/sign-in');
    const wrong = await signInOverHttp(gh.url, { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-the-secret' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.cookie, undefined);
    const right = await signInOverHttp(gh.url);
    assert.equal(right.status, 303);
    assert.match(right.cookie!, /^gatehouse_console=[^;]+; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const pools = await fetch(`${gh.url}/console/pools`, { headers: { cookie: right.cookie!.split(';')[0]! } });
    assert.equal(pools.status, 200);
    assert.equal(pools.headers.get('x-frame-options'), 'DENY');
    assert.match(pools.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.equal(pools.headers.get('cache-control'), 'no-store');
  });

  test('a form from another site, or without the session\'s token, changes nothing', async () => {
    const { cookie } = await signInOverHttp(gh.url);
    const session = cookie!.split(';')[0]!;
    const page = await (await fetch(`${gh.url}/console/pools`, { headers: { cookie: session } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${gh.url}/console/pools`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session, ...headers }, body: new URLSearchParams(body).toString() });
    assert.equal((await post({ PoolName: 'no-token' })).status, 403);
    assert.equal((await post({ PoolName: 'forged', _csrf: 'x'.repeat(32) })).status, 403);
    assert.equal((await post({ PoolName: 'cross-site', _csrf: csrf }, { origin: 'https://evil.example' })).status, 403);
    const crossSiteSignIn = await fetch(`${gh.url}/console/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: new URLSearchParams(KEY).toString() });
    assert.equal(crossSiteSignIn.status, 403);
    const { UserPools } = await gh.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.deepEqual(UserPools, [], 'no pool was created by a refused form');
    const genuine = await post({ PoolName: 'genuine', _csrf: csrf }, { origin: gh.url });
    assert.equal(genuine.status, 303);
    assert.equal((await gh.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.length, 1);
  });

  test('in development mode (no access keys, loopback) the console opens directly, with the outbox of messages sent', async () => {
    const dev = await startTestGatehouse('sqlite');
    try {
      const response = await fetch(`${dev.url}/console/pools`, { redirect: 'manual' });
      assert.equal(response.status, 200);
      assert.match(await response.text(), /User pools/);
      const poolId = (await dev.cognito.send(new CreateUserPoolCommand({ PoolName: 'outbox' }))).UserPool!.Id!;
      await dev.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ivy', TemporaryPassword: 'Invited-pass-1', DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: 'ivy@example.com' }] }),
      );
      const outbox = await (await fetch(`${dev.url}/console/messages`)).text();
      assert.match(outbox, /ivy@example\.com/);
      assert.match(outbox, /<code>Invited-pass-1<\/code>/);
    } finally {
      await dev.stop();
    }
  });

  test('the activity page counts the pool\'s trigger invocations by source, function and outcome', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'console-trigger-'));
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:Welcome';
    await writeFile(join(dir, 'welcome.mjs'), 'export const handler = async (event) => { event.response.autoConfirmUser = true; return event; };\n');
    const dev = await startTestGatehouse('sqlite', { triggers: { [fn]: { module: join(dir, 'welcome.mjs') } } });
    try {
      const poolId = (await dev.cognito.send(new CreateUserPoolCommand({ PoolName: 'triggered', LambdaConfig: { PreSignUp: fn } }))).UserPool!.Id!;
      const clientId = (await dev.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }))).UserPoolClient!.ClientId!;
      for (const name of ['tia', 'tom']) await dev.cognito.send(new SignUpCommand({ ClientId: clientId, Username: name, Password: 'Signed-up-1!' }));
      const activity = await (await fetch(`${dev.url}/console/pools/${poolId}/activity`)).text();
      assert.match(activity, /<td>PreSignUp_SignUp<\/td><td><code>arn:aws:lambda:us-east-1:123456789012:function:Welcome<\/code><\/td><td>answered<\/td><td>2<\/td>/);
      const latest = activity.slice(activity.indexOf('Latest invocations'));
      assert.equal(latest.match(/<td><time [^>]+>[^<]+<\/time><\/td><td>PreSignUp_SignUp<\/td><td><code>arn:aws:lambda:us-east-1:123456789012:function:Welcome<\/code><\/td><td>answered<\/td><td>\d+ ms<\/td>/g)?.length, 2, 'each invocation listed');
    } finally {
      await dev.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('with access keys no message is kept, and the outbox page does not exist', async () => {
    const { cookie } = await signInOverHttp(gh.url);
    const response = await fetch(`${gh.url}/console/messages`, { headers: { cookie: cookie!.split(';')[0]! } });
    assert.equal(response.status, 404);
  });
});

const browser = await launchBrowser();
const skip = browser ? false : (browserSkipReason() ?? 'no browser');

describe('admin console in chromium', { skip }, () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse('sqlite', { accessKeys: [KEY] });
  });
  after(async () => {
    await gh.stop();
    await browser?.close();
  });

  test('an operator signs in and manages a pool, its users, groups and app clients', async () => {
    await withPage(browser as Browser, async (page) => {
      await page.goto(`${gh.url}/console`);
      await page.screenshot({ path: screenshotPath('console-sign-in'), fullPage: true });
      await page.getByLabel('Access key id').fill(KEY.accessKeyId);
      await page.getByLabel('Secret access key').fill('wrong-secret');
      await page.getByRole('button', { name: 'Sign in' }).click();
      assert.match(await page.getByRole('alert').innerText(), /do not match a key/);
      await page.getByLabel('Access key id').fill(KEY.accessKeyId);
      await page.getByLabel('Secret access key').fill(KEY.secretAccessKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'User pools' }).waitFor();

      // A pool, created by the form.
      await page.getByLabel('Pool name').fill('console-made');
      await page.getByLabel('Users sign in with').selectOption('email');
      await page.getByLabel('Minimum password length').fill('10');
      await page.getByLabel('Users may sign themselves up').uncheck();
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: 'console-made' }).waitFor();
      const poolId = new URL(page.url()).pathname.split('/')[3]!;
      const { UserPool } = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual(UserPool!.UsernameAttributes, ['email']);
      assert.equal(UserPool!.Policies!.PasswordPolicy!.MinimumLength, 10);
      assert.equal(UserPool!.AdminCreateUserConfig!.AllowAdminCreateUserOnly, true);
      await page.screenshot({ path: screenshotPath('console-pool'), fullPage: true });

      // A group, then a user added to it.
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Groups' }).click();
      await page.getByLabel('Name').fill('editors');
      await page.getByLabel('Description').fill('They edit');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: 'editors' }).waitFor();
      await page.goto(`${gh.url}/console/pools/${poolId}/users`);
      await page.getByLabel('Username').fill('ada@example.com');
      await page.getByLabel('Temporary password (optional)').fill('Temporary-1');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('status').waitFor();
      await page.screenshot({ path: screenshotPath('console-user'), fullPage: true });
      const username = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      const created = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ada@example.com' }));
      assert.equal(created.Username, username);
      assert.equal(created.UserStatus, 'FORCE_CHANGE_PASSWORD');

      await page.getByLabel('Add to group').selectOption('editors');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Added to the group.' }).waitFor();
      const { Groups } = await gh.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }));
      assert.deepEqual(Groups!.map((g) => g.GroupName), ['editors']);
      // The group's page: its settings and members.
      await page.goto(`${gh.url}/console/pools/${poolId}/groups/editors`);
      await page.getByLabel('Precedence').fill('5');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await page.getByRole('cell', { name: username }).waitFor();
      await page.screenshot({ path: screenshotPath('console-group'), fullPage: true });
      assert.equal((await gh.cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))).Group!.Precedence, 5);
      await page.goto(`${gh.url}/console/pools/${poolId}/users/${encodeURIComponent(username)}`);

      // Disable, enable, set a password, reset it, sign out everywhere: each seen through the SDK.
      const state = () => gh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      await page.getByRole('button', { name: 'Disable' }).click();
      await page.getByRole('status').filter({ hasText: 'disabled' }).waitFor();
      assert.equal((await state()).Enabled, false);
      await page.getByRole('button', { name: 'Enable' }).click();
      await page.getByRole('status').filter({ hasText: 'enabled' }).waitFor();
      assert.equal((await state()).Enabled, true);
      await page.getByLabel('New permanent password').fill('Permanent-pass-1');
      await page.getByRole('button', { name: 'Set password', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'password is set' }).waitFor();
      assert.equal((await state()).UserStatus, 'CONFIRMED');
      await page.getByLabel('New permanent password').fill('short');
      await page.getByRole('button', { name: 'Set password', exact: true }).click();
      assert.match(await page.getByRole('alert').innerText(), /Password does not conform to policy/);
      await page.screenshot({ path: screenshotPath('console-user-refused'), fullPage: true });
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await page.getByRole('status').filter({ hasText: 'revoked' }).waitFor();

      // Search, by email prefix.
      await page.goto(`${gh.url}/console/pools/${poolId}/users`);
      await page.getByLabel('Search by').selectOption('email');
      await page.getByLabel('Match').selectOption('prefix');
      await page.getByLabel('Value').fill('ada@');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('cell', { name: 'ada@example.com' }).waitFor();
      await page.screenshot({ path: screenshotPath('console-users-search'), fullPage: true });

      // Pool settings: password policy, MFA, device tracking.
      await page.goto(`${gh.url}/console/pools/${poolId}`);
      await page.getByLabel('Minimum length').fill('12');
      await page.getByLabel('Require a symbol').check();
      await page.getByLabel('MFA', { exact: true }).selectOption('OPTIONAL');
      await page.getByLabel('Device tracking').selectOption('always');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      const { UserPool: saved } = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(saved!.Policies!.PasswordPolicy!.MinimumLength, 12);
      assert.equal(saved!.Policies!.PasswordPolicy!.RequireSymbols, true);
      assert.equal(saved!.MfaConfiguration, 'OPTIONAL');
      assert.deepEqual(saved!.DeviceConfiguration, { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false });
      assert.deepEqual(saved!.UsernameAttributes, ['email'], 'what the form does not show stays');

      // Messages and triggers, then a trigger taken away again.
      const welcome = 'arn:aws:lambda:us-east-1:123456789012:function:Welcome';
      await page.getByLabel(/Verification email message/).fill('Your code for the console test is {####}');
      await page.getByLabel(/Invitation email subject/).fill('Welcome aboard');
      await page.getByLabel('Pre sign-up').fill(welcome);
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      const { UserPool: messaged } = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(messaged!.VerificationMessageTemplate!.EmailMessage, 'Your code for the console test is {####}');
      assert.equal(messaged!.EmailVerificationMessage, 'Your code for the console test is {####}');
      assert.equal(messaged!.AdminCreateUserConfig!.InviteMessageTemplate!.EmailSubject, 'Welcome aboard');
      assert.equal(messaged!.LambdaConfig!.PreSignUp, welcome);
      assert.equal(messaged!.Policies!.PasswordPolicy!.MinimumLength, 12, 'the rest of the form is saved as it was');
      await page.getByLabel(/Verification email message/).fill('No code in this one');
      await page.getByRole('button', { name: 'Save settings' }).click();
      assert.match(await page.getByRole('alert').innerText(), /'No code in this one' at 'emailVerificationMessage' failed to satisfy constraint/);
      await page.goto(`${gh.url}/console/pools/${poolId}`);
      await page.getByLabel('Pre sign-up').fill('');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      const { UserPool: untriggered } = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      assert.equal(untriggered!.LambdaConfig?.PreSignUp, undefined);
      assert.equal(untriggered!.VerificationMessageTemplate!.EmailMessage, 'Your code for the console test is {####}');
      assert.equal(untriggered!.MfaConfiguration, 'OPTIONAL', 'saving again keeps the MFA chosen before');

      // A domain for the managed login, then gone again.
      const prefix = `console-${poolId.split('_')[1]!.toLowerCase()}`;
      await page.getByLabel('Domain prefix').fill(prefix);
      await page.getByRole('button', { name: 'Create the domain' }).click();
      await page.getByRole('status').filter({ hasText: 'Created.' }).waitFor();
      assert.equal((await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Domain, prefix);
      await page.screenshot({ path: screenshotPath('console-pool-settings'), fullPage: true });
      await page.getByRole('button', { name: 'Delete the domain' }).click();
      await page.getByRole('status').filter({ hasText: 'Deleted.' }).waitFor();
      assert.equal((await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Domain, undefined);

      // App clients: one made here and edited, one with a secret shown on request.
      await page.goto(`${gh.url}/console/pools/${poolId}/clients`);
      await page.getByLabel('Name').fill('web');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: 'web' }).waitFor();
      await page.getByLabel('ALLOW_ADMIN_USER_PASSWORD_AUTH').check();
      await page.getByLabel('Use OAuth').check();
      await page.getByLabel('code', { exact: true }).check();
      await page.getByLabel('Scopes (space-separated)').fill('openid email');
      await page.getByLabel('Callback URLs').fill('https://app.example.com/callback');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await page.screenshot({ path: screenshotPath('console-client'), fullPage: true });
      const { UserPoolClients } = await gh.cognito.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
      assert.deepEqual(UserPoolClients!.map((c) => c.ClientName), ['web']);
      const { UserPoolClient: edited } = await gh.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: UserPoolClients![0]!.ClientId }));
      assert.deepEqual(edited!.ExplicitAuthFlows!.sort(), ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
      assert.deepEqual([edited!.AllowedOAuthFlows, edited!.AllowedOAuthScopes, edited!.CallbackURLs], [['code'], ['openid', 'email'], ['https://app.example.com/callback']]);
      const { UserPoolClient: server } = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'server', GenerateSecret: true }));
      await page.goto(`${gh.url}/console/pools/${poolId}/clients/${server!.ClientId}`);
      assert.equal(await page.getByText(server!.ClientSecret!).count(), 0, 'the secret is not on the page until asked for');
      await page.getByRole('button', { name: 'Show secret' }).click();
      await page.getByText(server!.ClientSecret!).waitFor();

      // Rotation: a second secret, shown once, then the first deleted.
      const secretsOf = async () => (await gh.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: server!.ClientId! }))).ClientSecrets!;
      await page.getByRole('button', { name: 'Add a second secret' }).click();
      const second = await page.locator('code.secret').innerText();
      assert.notEqual(second, server!.ClientSecret);
      assert.equal((await secretsOf()).length, 2);
      await page.screenshot({ path: screenshotPath('console-client-secrets'), fullPage: true });
      assert.equal(await page.getByRole('button', { name: 'Add a second secret' }).count(), 0, 'two secrets at most');
      const [first] = await secretsOf();
      await page.getByRole('row').filter({ hasText: first!.ClientSecretId! }).getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('status').filter({ hasText: 'Deleted.' }).waitFor();
      assert.equal((await secretsOf()).length, 1);
      const { UserPoolClient: rotated } = await gh.cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: server!.ClientId! }));
      assert.equal(rotated!.ClientSecret, second, 'the secret shown is the one kept');

      // The dashboard counts what happened: a sign-in and a failed one.
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Dashboard-pass-1!', Permanent: true }));
      await gh.cognito.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 5 } }));
      const auth = (PASSWORD: string) =>
        gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: edited!.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada@example.com', PASSWORD } }));
      await auth('Dashboard-pass-1!');
      await errorOf(auth('Wrong-pass-1!'));
      await page.goto(`${gh.url}/console`);
      await page.getByText(/Sign-ins: 1 in the last hour/).waitFor();
      await page.getByText(/Failed sign-in steps: 1 in the last hour/).waitFor();
      await page.screenshot({ path: screenshotPath('console-dashboard'), fullPage: true });

      // Activity: both sign-ins, the failed one with its reason, on the pool's page and the user's.
      await page.goto(`${gh.url}/console/pools/${poolId}/activity`);
      const rows = page.getByRole('row');
      await rows.filter({ hasText: 'passed' }).filter({ hasText: 'Password: Success' }).first().waitFor();
      await rows.filter({ hasText: 'NotAuthorizedException: Incorrect username or password.' }).first().waitFor();
      assert.equal(await rows.filter({ hasText: edited!.ClientId! }).count(), 2);
      await page.screenshot({ path: screenshotPath('console-activity'), fullPage: true });
      assert.equal((await page.goto(`${gh.url}/console/pools/${poolId}/activity?before=not-a-key`))!.status(), 404, 'a crafted paging key is refused as the API refuses one');
      assert.equal((await page.goto(`${gh.url}/console/pools/${poolId}/users?value=a&value=b&next=x&next=y`))!.status(), 200, 'a repeated query parameter counts as absent');
      await page.goto(`${gh.url}/console/pools/${poolId}/users/${encodeURIComponent(username)}`);
      await page.getByRole('heading', { name: 'Recent sign-ins' }).waitFor();
      assert.equal(await page.getByRole('row').filter({ hasText: 'Password: Failure' }).count(), 1);

      // The session the sign-in started, revoked from the user's page.
      const sessions = async () => (await gh.cognito.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: username }))).Sessions!;
      const [started] = await sessions();
      await page.getByRole('row').filter({ hasText: started!.SessionId! }).getByRole('button', { name: 'Revoke' }).click();
      await page.getByRole('status').filter({ hasText: 'The session is revoked' }).waitFor();
      assert.deepEqual(await sessions(), []);

      // Delete the user, then the pool (which asks for its id).
      await page.goto(`${gh.url}/console/pools/${poolId}/users/${encodeURIComponent(username)}`);
      await page.getByRole('button', { name: 'Delete user' }).click();
      await page.getByRole('status').filter({ hasText: 'Deleted.' }).waitFor();
      assert.equal((await errorOf(state())).name, 'UserNotFoundException');
      await page.goto(`${gh.url}/console/pools/${poolId}`);
      await page.getByLabel(/Type the pool id/).fill('wrong');
      await page.getByRole('button', { name: /Delete pool/ }).click();
      assert.match(await page.getByRole('alert').innerText(), /does not match/);
      await page.getByLabel(/Type the pool id/).fill(poolId);
      await page.getByRole('button', { name: /Delete pool/ }).click();
      await page.getByRole('heading', { name: 'User pools' }).waitFor();
      assert.equal((await errorOf(gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId })))).name, 'ResourceNotFoundException');
      await page.screenshot({ path: screenshotPath('console-pools'), fullPage: true });
    });
  });
});
