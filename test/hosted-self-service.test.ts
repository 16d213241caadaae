// The managed login's self-service pages over plain HTTP, driven by a cookie-jar script as the
// hosted UI is scripted: sign up (a required attribute, terms), confirm with the emailed code, sign
// in; forgot password and reset; wrong codes on the page; PreventUserExistenceErrors; and the
// client's branding (UI customization CSS and logo, a branding style's colours) on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateManagedLoginBrandingCommand,
  CreateTermsCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  SetUICustomizationCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { FormClient, type PageResponse } from './support/form-client.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { startLambdaServer, type LambdaServer } from './support/lambda-server.js';
import { deliverTo, startMailbox, type Mailbox } from './support/webhook.js';

const CALLBACK = 'https://app.example.com/callback';
const PASSWORD = 'Password1!';
const NEW_PASSWORD = 'Brand-new-password2';
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const alertOf = (page: PageResponse) => /<p class="[^"]*errorMessage-customizable[^"]*" role="alert">([^<]*)<\/p>/.exec(page.body)?.[1];
const noteOf = (page: PageResponse) => /<p class="note" role="status">([^<]*)<\/p>/.exec(page.body)?.[1];
const hintsOf = (page: PageResponse) => [...page.body.matchAll(/<p class="hint textDescription-customizable">([^<]*)<\/p>/g)].map((match) => match[1]);

/** Submits the page's form whose action starts with `path` (a page may have more than one: Resend code). */
async function submitTo(browser: FormClient, page: PageResponse, path: string, fields: Record<string, string>): Promise<PageResponse> {
  const forms = page.body.split('<form').slice(1);
  const chosen = forms.find((form) => new RegExp(`action="${path}[?"]`).test(form));
  if (!chosen) throw new Error(`no form posting to ${path} on the page:\n${page.body}`);
  return browser.submit({ ...page, body: `<form${chosen}` }, fields);
}

for (const backend of backends()) {
  describe(`managed login self-service pages (${backend})`, () => {
    let gatehouse: TestGatehouse;
    let mailbox: Mailbox;
    let lambda: LambdaServer;
    let counter = 0;

    before(async () => {
      mailbox = await startMailbox();
      lambda = await startLambdaServer();
      gatehouse = await startTestGatehouse(backend, { ...deliverTo(mailbox), lambda: { endpoint: lambda.url, timeoutMs: 2000 } });
    });
    after(async () => {
      await gatehouse.stop();
      await mailbox.close();
      await lambda.close();
    });

    async function newPool(extra: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
      return (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: `self-service-${++counter}`, AutoVerifiedAttributes: ['email'], ...extra }))).UserPool!.Id!;
    }

    async function webClient(poolId: string, extra: Partial<CreateUserPoolClientCommandInput> = {}) {
      const client = (
        await gatehouse.cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId: poolId,
            ClientName: `web-${++counter}`,
            AllowedOAuthFlowsUserPoolClient: true,
            AllowedOAuthFlows: ['code'],
            AllowedOAuthScopes: ['openid', 'email'],
            CallbackURLs: [CALLBACK],
            LogoutURLs: ['https://app.example.com/signed-out'],
            ...extra,
          }),
        )
      ).UserPoolClient!;
      const query = `response_type=code&client_id=${client.ClientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=openid&state=s-${counter}`;
      return { clientId: client.ClientId!, name: client.ClientName!, query, url: (path: string) => `${gatehouse.url}${path}?${query}` };
    }

    async function user(poolId: string, name: string): Promise<string> {
      const email = `${name}@example.com`;
      await gatehouse.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] }),
      );
      await gatehouse.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true }));
      return email;
    }

    async function signIn(browser: FormClient, loginPage: PageResponse, username: string, password: string): Promise<void> {
      const back = await browser.submit(loginPage, { username, password });
      assert.equal(back.status, 302, back.body);
      assert.ok(back.location!.startsWith(`${CALLBACK}?code=`), back.location);
    }

    test('sign up with a required attribute and the terms (client with a secret), confirm with the emailed code, then sign in', async () => {
      const poolId = await newPool({ Schema: [{ Name: 'given_name', Required: true }, { Name: 'email', Required: true }] });
      const client = await webClient(poolId, { GenerateSecret: true });
      for (const TermsName of ['privacy-policy', 'terms-of-use']) {
        await gatehouse.cognito.send(
          new CreateTermsCommand({ UserPoolId: poolId, ClientId: client.clientId, TermsName, TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': `https://example.com/${TermsName}` } }),
        );
      }
      const browser = new FormClient();
      const login = await browser.follow(`${gatehouse.url}/oauth2/authorize?${client.query}`, CALLBACK);
      const signUpHref = /href="(\/signup\?[^"]*)">Sign up<\/a>/.exec(login.body)?.[1];
      assert.ok(signUpHref, 'the sign-in page links to sign-up');
      const signUp = await browser.request(new URL(signUpHref.replaceAll('&amp;', '&'), gatehouse.url).toString());
      assert.equal(signUp.status, 200, signUp.body);
      assert.match(signUp.body, /name="requiredAttributes\[given_name\]"/);
      assert.match(signUp.body, /name="requiredAttributes\[email\]"/);
      assert.match(signUp.body, /I agree to the <a [^>]*href="https:\/\/example.com\/terms-of-use"[^>]*>Terms of use<\/a> and <a [^>]*href="https:\/\/example.com\/privacy-policy"[^>]*>Privacy policy<\/a>/);
      const fields = { username: 'ada', password: PASSWORD, 'requiredAttributes[email]': 'ada@example.com', 'requiredAttributes[given_name]': 'Ada' };

      const unagreed = await browser.submit(signUp, fields);
      assert.equal(unagreed.status, 400);
      assert.equal(alertOf(unagreed), 'To sign up, agree to the Terms of use and Privacy policy.');
      assert.match(unagreed.body, /name="username" type="text" [^>]*value="ada"/, 'what was typed is kept');

      const weak = await browser.submit(unagreed, { ...fields, password: 'short', acceptTerms: 'true' });
      assert.equal(weak.status, 400);
      assert.match(alertOf(weak) ?? '', /^Password did not conform with policy/);

      const created = await browser.submit(weak, { ...fields, acceptTerms: 'true' });
      assert.equal(created.status, 302, created.body);
      const confirmUrl = new URL(created.location!);
      assert.equal(confirmUrl.pathname, '/confirm');
      assert.equal(confirmUrl.searchParams.get('username'), 'ada');
      assert.equal(confirmUrl.searchParams.get('client_id'), client.clientId);
      const taken = await browser.submit(weak, { ...fields, acceptTerms: 'true' });
      assert.deepEqual([taken.status, alertOf(taken)], [400, 'User already exists']);

      const code = (await mailbox.next('ada@example.com')).code;
      const confirmPage = await browser.request(created.location!);
      assert.equal(confirmPage.status, 200);
      assert.deepEqual(hintsOf(confirmPage), ['We sent a code by email to a***@e***. Enter it below to confirm your account.']);
      const confirmed = await browser.submit(confirmPage, { confirmation_code: code });
      assert.equal(confirmed.status, 302, confirmed.body);
      const loginAgain = await browser.request(confirmed.location!);
      assert.equal(new URL(confirmed.location!).pathname, '/login');
      assert.equal(noteOf(loginAgain), 'Your account is confirmed. Sign in to continue.');
      assert.doesNotMatch(loginAgain.body, /action="[^"]*notice=/, 'the note is not carried into the form');
      await signIn(browser, loginAgain, 'ada', PASSWORD);

      const stored = await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ada' }));
      assert.equal(stored.UserStatus, 'CONFIRMED');
      const attributes = Object.fromEntries(stored.UserAttributes!.map((a) => [a.Name, a.Value]));
      assert.deepEqual([attributes.given_name, attributes.email, attributes.email_verified], ['Ada', 'ada@example.com', 'true']);
    });

    test('a wrong confirmation code is said on the page; Resend code sends a new one, which confirms', async () => {
      const poolId = await newPool();
      const client = await webClient(poolId);
      const browser = new FormClient();
      const signUp = await browser.request(client.url('/signup'));
      assert.match(signUp.body, />Email \(optional\)</, 'asked for, as the code goes there, though the pool does not require it');
      const created = await browser.submit(signUp, { username: 'bea', password: PASSWORD, 'requiredAttributes[email]': 'bea@example.com' });
      assert.equal(created.status, 302, created.body);
      const first = (await mailbox.next('bea@example.com')).code;
      const confirmPage = await browser.request(created.location!);
      const wrong = await browser.submit(confirmPage, { confirmation_code: first === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 400);
      assert.equal(alertOf(wrong), 'Invalid verification code provided, please try again.');
      const resent = await submitTo(browser, wrong, '/resendcode', {});
      assert.equal(resent.status, 302, resent.body);
      const resentPage = await browser.request(resent.location!);
      assert.equal(noteOf(resentPage), 'We sent you a new code.');
      const second = (await mailbox.next('bea@example.com')).code;
      const confirmed = await browser.submit(resentPage, { confirmation_code: second });
      assert.equal(confirmed.status, 302, confirmed.body);
      assert.equal(new URL(confirmed.location!).searchParams.get('notice'), 'confirmed');
      const again = await browser.submit(resentPage, { confirmation_code: second });
      assert.equal(alertOf(again), 'User cannot be confirmed. Current status is CONFIRMED');
    });

    test('a pool that signs in by email asks for the email as the sign-in name, and confirms and signs in by it', async () => {
      const client = await webClient(await newPool({ UsernameAttributes: ['email'] }));
      const browser = new FormClient();
      const signUp = await browser.request(client.url('/signup'));
      assert.match(signUp.body, /<label class="label-customizable" for="field-username">Email<\/label>\n<input [^>]*name="username" type="email"/);
      assert.doesNotMatch(signUp.body, /requiredAttributes\[email\]/, 'the sign-in name is the email: not asked twice');
      const created = await browser.submit(signUp, { username: 'fay@example.com', password: PASSWORD });
      assert.equal(created.status, 302, created.body);
      const { code } = await mailbox.next('fay@example.com');
      const confirmed = await browser.submit(await browser.request(created.location!), { confirmation_code: code });
      assert.equal(confirmed.status, 302, confirmed.body);
      await signIn(browser, await browser.request(confirmed.location!), 'fay@example.com', PASSWORD);
    });

    test('forgot password: a code by email, a wrong one refused, a new password, then sign in with it', async () => {
      const poolId = await newPool();
      const client = await webClient(poolId);
      const email = await user(poolId, 'cal');
      const browser = new FormClient();
      const login = await browser.follow(`${gatehouse.url}/oauth2/authorize?${client.query}`, CALLBACK);
      const forgotHref = /href="(\/forgotPassword\?[^"]*)">Forgot your password\?<\/a>/.exec(login.body)?.[1];
      assert.ok(forgotHref, 'the sign-in page links to forgot password');
      const forgot = await browser.request(`${gatehouse.url}${forgotHref.replaceAll('&amp;', '&')}`);
      assert.equal(forgot.status, 200, forgot.body);
      const sent = await browser.submit(forgot, { username: 'cal' });
      assert.equal(sent.status, 302, sent.body);
      const resetUrl = new URL(sent.location!);
      assert.deepEqual([resetUrl.pathname, resetUrl.searchParams.get('username')], ['/confirmforgotPassword', 'cal']);
      const code = (await mailbox.next(email)).code;
      const reset = await browser.request(sent.location!);
      assert.deepEqual(hintsOf(reset), ['We sent a password reset code by email to c***@e***. Enter it below to reset your password.']);

      const mismatch = await browser.submit(reset, { code, password: NEW_PASSWORD, confirmPassword: 'Something-else3' });
      assert.deepEqual([mismatch.status, alertOf(mismatch)], [400, 'The passwords do not match.']);
      const weak = await browser.submit(reset, { code, password: 'short', confirmPassword: 'short' });
      assert.match(alertOf(weak) ?? '', /^Password does not conform to policy|^Password did not conform with policy/);
      const wrong = await browser.submit(reset, { code: code === '000000' ? '111111' : '000000', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.deepEqual([wrong.status, alertOf(wrong)], [400, 'Invalid verification code provided, please try again.']);

      const done = await browser.submit(reset, { code, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.equal(done.status, 302, done.body);
      const loginAgain = await browser.request(done.location!);
      assert.equal(noteOf(loginAgain), 'Your password has been reset. Sign in with your new password.');
      const old = await browser.submit(loginAgain, { username: 'cal', password: PASSWORD });
      assert.equal(alertOf(old), 'Incorrect username or password.');
      await signIn(browser, old, 'cal', NEW_PASSWORD);
    });

    test('PreventUserExistenceErrors: forgot password for an unknown user looks like it does for a known one', async () => {
      const poolId = await newPool({ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] } });
      const hiding = await webClient(poolId, { PreventUserExistenceErrors: 'ENABLED' });
      const telling = await webClient(poolId, { PreventUserExistenceErrors: 'LEGACY' });
      const email = await user(poolId, 'dee');
      const forgot = async (client: { url(path: string): string }, username: string) => {
        const browser = new FormClient();
        const sent = await browser.submit(await browser.request(client.url('/forgotPassword')), { username });
        return { browser, sent };
      };
      const shape = (location: string) => {
        const url = new URL(location);
        return { path: url.pathname, names: [...url.searchParams.keys()].sort(), medium: url.searchParams.get('medium'), masked: /^\w\*\*\*@\w\*\*\*$/.test(url.searchParams.get('destination') ?? '') };
      };
      const known = await forgot(hiding, 'dee');
      const unknown = await forgot(hiding, 'nobody');
      assert.deepEqual([known.sent.status, unknown.sent.status], [302, 302]);
      assert.deepEqual(shape(unknown.sent.location!), shape(known.sent.location!));
      assert.deepEqual(shape(known.sent.location!).masked, true);

      const code = (await mailbox.next(email)).code;
      const wrongCode = code === '000000' ? '111111' : '000000';
      const answers = await Promise.all(
        [known, unknown].map(async ({ browser, sent }) => {
          const reset = await browser.request(sent.location!);
          assert.equal(hintsOf(reset).length, 1);
          assert.match(hintsOf(reset)[0]!, /^We sent a password reset code by email to \w\*\*\*@\w\*\*\*\. Enter it below to reset your password\.$/);
          const refused = await browser.submit(reset, { code: wrongCode, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
          return [refused.status, alertOf(refused)];
        }),
      );
      assert.deepEqual(answers, [
        [400, 'Invalid verification code provided, please try again.'],
        [400, 'Invalid verification code provided, please try again.'],
      ]);

      const told = await forgot(telling, 'nobody');
      assert.deepEqual([told.sent.status, alertOf(told.sent)], [400, 'Username/client id combination not found.']);
    });

    test('a pre sign-up function that confirms the user signs them straight in; one that refuses is said on the page', async () => {
      const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
      const tag = `self-service-${++counter}`;
      lambda.register(`${tag}-yes`, (event: any) => ({ ...event, response: { autoConfirmUser: true, autoVerifyEmail: true } }));
      lambda.register(`${tag}-no`, () => {
        throw new Error('Invitations only.');
      });
      const signUp = async (functionName: string) => {
        const client = await webClient(await newPool({ LambdaConfig: { PreSignUp: arn(functionName) } }));
        const browser = new FormClient();
        const page = await browser.request(client.url('/signup'));
        return { browser, answer: await browser.submit(page, { username: 'eve', password: PASSWORD, 'requiredAttributes[email]': 'eve@example.com' }) };
      };
      const welcomed = await signUp(`${tag}-yes`);
      assert.equal(welcomed.answer.status, 302, welcomed.answer.body);
      assert.ok(welcomed.answer.location!.startsWith(`${CALLBACK}?code=`), welcomed.answer.location);
      assert.ok(welcomed.browser.cookie('cognito'), 'signed in: the session cookie is set');

      const refused = await signUp(`${tag}-no`);
      assert.equal(refused.answer.status, 400);
      assert.match(alertOf(refused.answer) ?? '', /^PreSignUp failed with error Invitations only\./);
    });

    test('sign-in page links; no sign-up where only administrators create users; forms need the CSRF token; a bad redirect is the error page', async () => {
      const closed = await webClient(await newPool({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } }));
      const browser = new FormClient();
      const login = await browser.follow(`${gatehouse.url}/oauth2/authorize?${closed.query}`, CALLBACK);
      assert.match(login.body, />Forgot your password\?</);
      assert.doesNotMatch(login.body, />Sign up</);
      const signUp = await browser.request(closed.url('/signup'));
      assert.deepEqual([signUp.status, alertOf(signUp)], [400, 'SignUp is not permitted for this user pool']);
      assert.doesNotMatch(signUp.body, /name="password"/);

      const open = await webClient(await newPool());
      const forged = await new FormClient().request(open.url('/signup'), { form: { username: 'mallory', password: PASSWORD } });
      assert.deepEqual([forged.status, alertOf(forged)], [400, 'Your session on this page expired. Please try again.']);
      const elsewhere = await new FormClient().request(`${gatehouse.url}/forgotPassword?response_type=code&client_id=${open.clientId}&redirect_uri=${encodeURIComponent('https://evil.example.com/')}`);
      assert.equal(elsewhere.status, 400);
      assert.match(elsewhere.body, /An error was encountered with the requested page/);
    });

    test('branding: UI customization CSS and logo and a branding style colours on every page; stored CSS cannot close its style element', async () => {
      const poolId = await newPool();
      const client = await webClient(poolId);
      const plain = await new FormClient().request(client.url('/login'));
      assert.equal(plain.status, 200, 'nothing configured: the default look');
      assert.doesNotMatch(plain.body, /<img/);

      await gatehouse.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `brand${counter}x${Date.now()}` }));
      const css = '.submitButton-customizable { background-color: #c0ffee; }\n.label-customizable::after { content: "</style><script>alert(1)</script>"; }';
      await gatehouse.cognito.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS: css, ImageFile: PNG }));
      await gatehouse.cognito.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: client.clientId,
          Settings: {
            components: { primaryButton: { lightMode: { defaults: { backgroundColor: '123456ff' } } }, pageBackground: { lightMode: { color: 'fafafaff' } } },
            componentClasses: { link: { lightMode: { defaults: { textColor: 'red; } body { display: none' } } } },
          },
        }),
      );
      const browser = new FormClient();
      let logoSrc = '';
      for (const path of ['/login', '/signup', '/confirm', '/forgotPassword', '/confirmforgotPassword']) {
        const page = await browser.request(client.url(path));
        assert.equal(page.status, 200, path);
        const branding = page.body.indexOf('.submitButton-customizable { background: #123456ff; }');
        const classic = page.body.indexOf('.submitButton-customizable { background-color: #c0ffee; }');
        assert.ok(branding > 0 && classic > branding, `${path}: the style's colours, then the classic CSS`);
        assert.match(page.body, /body \{ background: #fafafaff; \}/);
        assert.doesNotMatch(page.body, /display: none/, 'only colour values reach the stylesheet');
        const styleEnd = page.body.search(/<\/style/i);
        assert.equal(page.body.match(/<\/style/gi)?.length, 1, `${path}: one style element, closed once`);
        assert.doesNotMatch(page.body.slice(styleEnd), /<script/i);
        const logo = /<img class="logo-customizable" src="([^"]+)" alt="([^"]*)">/.exec(page.body);
        assert.ok(logo, `${path}: the logo`);
        assert.equal(logo[2], client.name);
        assert.match(logo[1]!, new RegExp(`^/ui-assets/${poolId}/ALL/\\d{14}/logo$`));
        logoSrc = logo[1]!;
      }
      const logo = await fetch(`${gatehouse.url}${logoSrc}`);
      assert.deepEqual([logo.status, logo.headers.get('content-type')], [200, 'image/png']);
      const policy = (await fetch(client.url('/login'))).headers.get('content-security-policy') ?? '';
      assert.match(policy, /img-src 'self'/, 'the logo is served from the page\'s own origin');

      const logoutError = await browser.request(`${gatehouse.url}/logout?client_id=${client.clientId}&logout_uri=${encodeURIComponent('https://evil.example.com/')}`);
      assert.equal(logoutError.status, 400);
      assert.match(logoutError.body, /An error was encountered/);
      assert.match(logoutError.body, /<img class="logo-customizable"/, 'the error page of a known client is branded too');
    });
  });
}
