import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import qrcode from 'qrcode-generator';
import type { AuthOutcome } from '../../domain/auth/authentication.js';
import type { AppClient } from '../../domain/clients/app-clients.js';
import { CognitoError } from '../../domain/errors.js';
import { UnredirectableError, type AuthorizationRequest, type AuthorizeParameters } from '../../domain/hosted/authorization.js';
import { selfSignUpAllowed } from '../../domain/hosted/sign-up-page.js';
import { OAuthError } from '../../domain/oauth/oauth-error.js';
import { FederationFailure } from '../../domain/federation/federated-sign-in.js';
import type { IdentityProvider } from '../../domain/federation/identity-providers.js';
import { FEDERATED_SIGN_IN } from '../../domain/limits/api-categories.js';
import { requestOrigin } from '../web-requests.js';
import { providerChoices, registerFederationPages } from './federation-pages.js';
import { registerPasskeyPages } from './passkey-pages.js';
import type { Services } from '../../domain/services.js';
import type { RateLimiter } from '../rate-limits.js';
import type { UserRecord } from '../../storage/types.js';
import type { SamlSession } from '../../domain/hosted/login-sessions.js';
import { decorationFor } from './branding.js';
import { clearCookie, cookiesOf, setCookie } from './cookies.js';
import { callerOf, csrfMatches, csrfToken, formOf, noticeOf, pageUrl, queryOf, queryString, sendClientPage, sendPage, withParameters } from './page-kit.js';
import { errorBox, errorPage, escapeHtml, field, form, hidden, hint, link, links, noteBox, passkeyForm } from './templates.js';
import { allowsFirstFactor } from '../../domain/pools/pool-settings.js';

/** The managed login's single sign-on cookie, named as Cognito names it. */
export const SESSION_COOKIE = 'cognito';

/** What the pages tell a user whose sign-in failed; it never says whether the user exists. */
const SIGN_IN_FAILED = 'Incorrect username or password.';

/** The challenge pages: the fields each shows, and how the answer maps to Cognito's challenge responses. */
const CODE_CHALLENGES: Record<string, { title: string; response: string; hint: string }> = {
  SMS_MFA: { title: 'Enter the code we texted you', response: 'SMS_MFA_CODE', hint: 'We sent a code by SMS to' },
  EMAIL_OTP: { title: 'Enter the code we emailed you', response: 'EMAIL_OTP_CODE', hint: 'We sent a code by email to' },
  SOFTWARE_TOKEN_MFA: { title: 'Enter your authenticator code', response: 'SOFTWARE_TOKEN_MFA_CODE', hint: '' },
};

/**
 * The managed login: /oauth2/authorize, the sign-in page and the pages of the challenges that may
 * follow it (a new password, MFA), and /logout. A signed-in browser keeps a session cookie for an
 * hour, which signs it in to every app client of the pool without asking again.
 */
export function registerHostedPages(app: FastifyInstance, services: Services, limit: RateLimiter = () => undefined): void {
  const pages = new HostedPages(services, limit);
  app.get('/oauth2/authorize', (request, reply) => pages.authorize(request, reply));
  app.get('/login', (request, reply) => pages.showLogin(request, reply));
  app.post('/login', (request, reply) => pages.submitLogin(request, reply));
  app.post('/login/respond', (request, reply) => pages.submitChallenge(request, reply));
  app.post('/login/passkey', (request, reply) => pages.submitPasskey(request, reply));
  app.get('/logout', (request, reply) => pages.logout(request, reply));
  app.get('/error', (_request, reply) => sendPage(reply, 400, errorPage()));
  registerFederationPages(app, services, pages);
  registerPasskeyPages(app, services);
}

/** The sign-in and challenge pages; the self-service pages reuse its request checks and its end of a sign-in. */
export class HostedPages {
  constructor(
    private readonly services: Services,
    /** The pages count against the same per-pool rate limits as the operations they stand for. */
    private readonly limit: RateLimiter = () => undefined,
  ) {}

  async authorize(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const parameters = queryOf(request);
    return this.checked(parameters, reply, async (authorization, client) => {
      const provider = await this.services.federatedSignIns.chosen(client, parameters);
      if (provider) return this.toProvider(request, reply, provider, authorization, client);
      const signedIn = parameters.prompt === 'login' ? undefined : await this.sessionUser(request, client);
      if (signedIn) return this.complete(request, reply, authorization, client, signedIn.user, signedIn.authTime);
      return reply.redirect(`/login?${new URLSearchParams(parameters as Record<string, string>).toString()}`, 302);
    });
  }

  /** Off to the identity provider: a federated sign-in, metered as Cognito meters UserFederation. */
  async toProvider(request: FastifyRequest, reply: FastifyReply, provider: IdentityProvider, authorization: AuthorizationRequest, client: AppClient): Promise<FastifyReply> {
    await this.limit(FEDERATED_SIGN_IN, { ClientId: client.clientId });
    return reply.redirect(await this.services.federatedSignIns.start(provider, authorization, requestOrigin(request) ?? ''), 302);
  }

  async showLogin(request: FastifyRequest, reply: FastifyReply, message?: string): Promise<FastifyReply> {
    // A notice is for the page it was sent to, not for the form's next answer.
    const { notice, ...parameters } = queryOf(request);
    return this.checked(parameters, reply, async (_authorization, client) => {
      const csrf = csrfToken(request, reply);
      const pool = await this.services.pools.get(client.poolId);
      const supported = client.settings.SupportedIdentityProviders ?? [];
      const native = supported.length === 0 || supported.includes('COGNITO');
      const body = `${errorBox(message)}
${noteBox(message ? undefined : noticeOf({ notice }))}
${await providerChoices(this.services, client, parameters, csrf)}
${
  native
    ? `${form(
        `/login?${queryString(parameters)}`,
        csrf,
        `${field('Username', 'username', 'text', 'autocomplete="username webauthn" autocapitalize="none" required')}
${field('Password', 'password', 'password', 'autocomplete="current-password" required')}`,
        { label: 'Sign in', name: 'signInSubmitButton' },
        `id="${SIGN_IN_FORM}"`,
      )}
${allowsFirstFactor(pool.settings, 'WEB_AUTHN') ? passkeyButton(`/login/passkey?${queryString(parameters)}`) : ''}
${links([
  { href: pageUrl('/forgotPassword', parameters), text: 'Forgot your password?' },
  ...(selfSignUpAllowed(pool.settings) ? [{ before: 'Need an account?', href: pageUrl('/signup', parameters), text: 'Sign up' }] : []),
])}`
    : ''
}`;
      return sendClientPage(this.services, reply, client, message ? 400 : 200, 'Sign in', body);
    });
  }

  async submitLogin(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return this.postedForm(request, reply, async (authorization, client, body) => {
      const supported = client.settings.SupportedIdentityProviders ?? [];
      if (supported.length > 0 && !supported.includes('COGNITO')) return this.showLogin(request, reply, 'This app signs you in through your identity provider only.');
      const username = body.get('username') ?? '';
      const password = body.get('password') ?? '';
      if (!username || !password) return this.showLogin(request, reply, 'Enter your username and password.');
      return this.signInWithPassword(request, reply, authorization, client, username, password);
    });
  }

  /**
   * Signs a user in with their password, on to the challenges that may follow and the app's
   * redirect; a refusal shows the sign-in page with its message. Sign-up ends here too, for a user
   * a function confirmed at once: a full sign-in, so MFA and the sign-in triggers still apply.
   */
  async signInWithPassword(
    request: FastifyRequest,
    reply: FastifyReply,
    authorization: AuthorizationRequest,
    client: AppClient,
    username: string,
    password: string,
  ): Promise<FastifyReply> {
    return this.firstStep(request, reply, authorization, client, username, () =>
      this.services.authentication.hostedSignIn({ clientId: client.clientId, username, password, sourceIp: request.ip, caller: callerOf(request, client) }),
    );
  }

  /** The sign-in form's passkey button: the username typed, then the passkey's page. */
  async submitPasskey(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return this.postedForm(request, reply, async (authorization, client, body) => {
      const username = body.get('username') ?? '';
      if (!username) return this.showLogin(request, reply, 'Enter your username to sign in with a passkey.');
      return this.firstStep(request, reply, authorization, client, username, () =>
        this.services.authentication.hostedPasskeySignIn({ clientId: client.clientId, username, sourceIp: request.ip, caller: callerOf(request, client) }),
      );
    });
  }

  /**
   * A form posted to a page of the authorize request: the request checked, then the form, which
   * must carry the page's CSRF token (else the sign-in page again).
   */
  postedForm(request: FastifyRequest, reply: FastifyReply, handle: (authorization: AuthorizationRequest, client: AppClient, body: URLSearchParams) => Promise<FastifyReply>): Promise<FastifyReply> {
    return this.checked(queryOf(request), reply, async (authorization, client) => {
      const body = formOf(request);
      if (!csrfMatches(request, body)) return this.showLogin(request, reply, 'Your session on this page expired. Please sign in again.');
      return handle(authorization, client, body);
    });
  }

  /** A sign-in's first step (it counts as InitiateAuth): its next page, or the sign-in page with its refusal. */
  private async firstStep(request: FastifyRequest, reply: FastifyReply, authorization: AuthorizationRequest, client: AppClient, username: string, start: () => Promise<AuthOutcome>): Promise<FastifyReply> {
    const outcome = await this.signInStep(async () => {
      await this.limit('InitiateAuth', { ClientId: client.clientId });
      return start();
    });
    if ('message' in outcome) return this.showLogin(request, reply, outcome.message);
    return this.next(request, reply, authorization, client, username, outcome);
  }

  async submitChallenge(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return this.postedForm(request, reply, async (authorization, client, body) => {
      const challenge = body.get('challenge') ?? '';
      const username = body.get('username') ?? '';
      let session = body.get('session') ?? '';
      const responses: Record<string, string> = { USERNAME: username, ...this.answersOf(challenge, body) };
      if (challenge === 'MFA_SETUP') {
        const verified = await this.signInStep(() => this.services.mfa.verifySoftwareToken({ session }, body.get('code') ?? ''));
        if ('message' in verified) return this.showChallenge(request, reply, client, { challenge, session, username, parameters: {} }, 'That code is not right. Try the next one.');
        session = verified.session!;
      }
      const outcome = await this.signInStep(async () => {
        await this.limit('RespondToAuthChallenge', { ClientId: client.clientId });
        return this.services.authentication.respond({ clientId: client.clientId, challenge, session, responses, sourceIp: request.ip, caller: callerOf(request, client), hosted: true });
      });
      if ('message' in outcome) {
        // A wrong code may be tried again in the same session; anything else starts over.
        if (outcome.retry) return this.showChallenge(request, reply, client, { challenge, session, username, parameters: JSON.parse(body.get('parameters') ?? '{}') }, outcome.message);
        return this.showLogin(request, reply, outcome.message);
      }
      return this.next(request, reply, authorization, client, username, outcome);
    });
  }

  async logout(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const parameters = queryOf(request) as Record<string, string | undefined>;
    let client: AppClient;
    try {
      client = await this.services.authorizations.oauthClient(parameters.client_id, await this.hostPool(request));
    } catch {
      return sendPage(reply, 400, errorPage());
    }
    const logoutUri = parameters.logout_uri;
    let then: string;
    if (logoutUri !== undefined) {
      if (!(client.settings.LogoutURLs ?? []).includes(logoutUri)) return sendPage(reply, 400, errorPage(await decorationFor(this.services, client)));
      then = logoutUri;
    } else {
      // Without a logout_uri: sign out, then sign in again through the login page with these parameters.
      if (parameters.redirect_uri === undefined || parameters.response_type === undefined) return sendPage(reply, 400, errorPage(await decorationFor(this.services, client)));
      const { logout_uri: _none, ...rest } = parameters;
      then = `/login?${queryString(rest as AuthorizeParameters)}`;
    }
    const session = this.services.loginSessions.open(cookiesOf(request)[SESSION_COOKIE], client.poolId);
    clearCookie(reply, request, SESSION_COOKIE);
    // Signed in through a SAML provider that signs out with the pool: out there too, then on to `then`.
    const atProvider = session?.saml && (await this.services.federatedSignIns.startSamlLogout(client.poolId, session.saml, requestOrigin(request) ?? '', then));
    return reply.redirect(atProvider || then, 302);
  }

  /** The pool the request's Host names when it is one of a domain's names (a client of another pool is refused there). */
  hostPool(request: FastifyRequest): Promise<string | undefined> {
    return this.services.userPoolDomains.poolOfHost(request.headers.host);
  }

  async checked(
    parameters: AuthorizeParameters,
    reply: FastifyReply,
    handle: (request: AuthorizationRequest, client: AppClient) => Promise<FastifyReply>,
  ): Promise<FastifyReply> {
    let checked;
    try {
      checked = await this.services.authorizations.check(parameters, await this.hostPool(reply.request));
    } catch (error) {
      if (error instanceof UnredirectableError) return sendPage(reply, 400, errorPage());
      if (error instanceof OAuthError && parameters.redirect_uri) return reply.redirect(withParameters(parameters.redirect_uri, { error: error.code, state: parameters.state }), 302);
      throw error;
    }
    try {
      return await handle(checked.request, checked.client);
    } catch (error) {
      if (error instanceof OAuthError) return reply.redirect(withParameters(checked.request.redirectUri, { error: error.code, error_description: error.message, state: checked.request.state }), 302);
      if (error instanceof FederationFailure) return this.federationFailed(reply, error);
      // A trigger's refusal reaches the app as Cognito sends it: error_description on the redirect.
      if (error instanceof CognitoError) {
        const code = error.type === 'UserLambdaValidationException' || error.type.endsWith('LambdaException') || error.type === 'InvalidLambdaResponseException' ? 'invalid_request' : 'server_error';
        return reply.redirect(withParameters(checked.request.redirectUri, { error: code, error_description: error.message, state: checked.request.state }), 302);
      }
      throw error;
    }
  }

  /** A sign-in at a provider that failed: told to the app on its redirect URI when it is known, else the error page. */
  federationFailed(reply: FastifyReply, failure: FederationFailure): FastifyReply {
    const authorization = failure.authorization;
    if (!authorization) return sendPage(reply, 400, errorPage());
    return reply.redirect(withParameters(authorization.redirectUri, { error: 'invalid_request', error_description: failure.message, state: authorization.state }), 302);
  }

  /** The end of a sign-in that succeeded: the pool's session cookie, then the app's redirect. */
  async signedIn(request: FastifyRequest, reply: FastifyReply, authorization: AuthorizationRequest, client: AppClient, user: UserRecord, saml?: SamlSession): Promise<FastifyReply> {
    const sealed = this.services.loginSessions.seal(client.poolId, user.sub, saml);
    setCookie(reply, request, SESSION_COOKIE, sealed.value, sealed.maxAgeSeconds);
    return this.complete(request, reply, authorization, client, user, sealed.authTime);
  }

  /** A sign-in step's outcome, or what the page should say instead of an exception. */
  private async signInStep<T>(step: () => Promise<T>): Promise<T | { message: string; retry: boolean }> {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof CognitoError) || error.type.includes('Lambda')) throw error;
      const retry = error.type === 'CodeMismatchException' || error.type === 'InvalidPasswordException' || error.type === 'EnableSoftwareTokenMFAException';
      const shown = error.type === 'UserNotFoundException' || (error.type === 'NotAuthorizedException' && error.message === SIGN_IN_FAILED) ? SIGN_IN_FAILED : error.message;
      return { message: shown, retry };
    }
  }

  /** After a sign-in step: the next challenge's page, or the end of the sign-in. */
  private async next(request: FastifyRequest, reply: FastifyReply, authorization: AuthorizationRequest, client: AppClient, username: string, outcome: AuthOutcome): Promise<FastifyReply> {
    if (outcome.HostedSignIn) return this.signedIn(request, reply, authorization, client, outcome.HostedSignIn.user);
    const challenge = outcome.ChallengeName ?? '';
    const parameters = outcome.ChallengeParameters ?? {};
    return this.showChallenge(request, reply, client, { challenge, session: outcome.Session ?? '', username: parameters.USER_ID_FOR_SRP ?? username, parameters });
  }

  private async showChallenge(
    request: FastifyRequest,
    reply: FastifyReply,
    client: AppClient,
    step: { challenge: string; session: string; username: string; parameters: Record<string, string> },
    message?: string,
  ): Promise<FastifyReply> {
    const parameters = queryOf(request);
    const csrf = csrfToken(request, reply);
    let { session } = step;
    let content: string;
    let title: string;
    const code = CODE_CHALLENGES[step.challenge];
    if (step.challenge === 'NEW_PASSWORD_REQUIRED') {
      title = 'Change your password';
      const required = (JSON.parse(step.parameters.requiredAttributes ?? '[]') as string[]).map((name) => name.replace(/^userAttributes\./, ''));
      content = `${hint('Please enter a new password.')}
${field('New password', 'new_password', 'password', 'autocomplete="new-password" required')}
${required.map((name) => field(name.replace(/_/g, ' '), `attribute:${name}`, 'text', 'required')).join('\n')}`;
    } else if (code) {
      title = code.title;
      const destination = step.parameters.CODE_DELIVERY_DESTINATION;
      content = `${destination ? hint(`${code.hint} ${destination}.`) : ''}
${field('Code', 'code', 'text', 'inputmode="numeric" autocomplete="one-time-code" required')}`;
    } else if (step.challenge === 'SELECT_MFA_TYPE') {
      title = 'Choose how to verify';
      const choices = JSON.parse(step.parameters.MFAS_CAN_CHOOSE ?? '[]') as string[];
      content = `<fieldset><legend>Send my code by</legend>
${choices.map((choice, i) => `<label class="label-customizable"><input type="radio" name="answer" value="${choice}" ${i === 0 ? 'checked' : ''}> ${MFA_NAMES[choice] ?? choice}</label>`).join('\n')}
</fieldset>`;
    } else if (step.challenge === 'MFA_SETUP') {
      title = 'Set up your authenticator app';
      const associated = await this.services.mfa.associateSoftwareToken({ session });
      session = associated.session!;
      const label = encodeURIComponent(step.username);
      const uri = `otpauth://totp/${label}?secret=${associated.secretCode}&issuer=${encodeURIComponent(client.name)}`;
      content = `${hint('Scan this code with your authenticator app, or enter the key below, then enter the code it shows.')}
${qrCode(uri)}
<p><code>${associated.secretCode}</code></p>
<p>${link(uri, 'Open in an authenticator app')}</p>
${field('Code', 'code', 'text', 'inputmode="numeric" autocomplete="one-time-code" required')}`;
    } else if (step.challenge === 'WEB_AUTHN') {
      title = 'Sign in with your passkey';
      content = hint('Your browser will ask for your passkey: a fingerprint, a face, a PIN or a security key.');
    } else {
      return this.showLogin(request, reply, 'This sign-in needs a step the login page cannot show.');
    }
    const action = `/login/respond?${queryString(parameters)}`;
    const fields = `${hidden('challenge', step.challenge)}
${hidden('session', session)}
${hidden('username', step.username)}
${hidden('parameters', JSON.stringify(step.parameters))}
${content}`;
    const answer =
      step.challenge === 'WEB_AUTHN'
        ? passkeyForm(action, csrf, 'get', JSON.parse(step.parameters.CREDENTIAL_REQUEST_OPTIONS ?? '{}'), fields, 'Use my passkey')
        : form(action, csrf, fields, { label: step.challenge === 'NEW_PASSWORD_REQUIRED' ? 'Send' : 'Sign in' });
    const body = `${errorBox(message)}
${answer}`;
    return sendClientPage(this.services, reply, client, message ? 400 : 200, title, body);
  }

  /** Maps a challenge page's form to the challenge responses RespondToAuthChallenge takes. */
  private answersOf(challenge: string, body: URLSearchParams): Record<string, string> {
    if (challenge === 'NEW_PASSWORD_REQUIRED') {
      const answers: Record<string, string> = { NEW_PASSWORD: body.get('new_password') ?? '' };
      for (const [name, value] of body) if (name.startsWith('attribute:')) answers[`userAttributes.${name.slice('attribute:'.length)}`] = value;
      return answers;
    }
    const code = CODE_CHALLENGES[challenge];
    if (code) return { [code.response]: body.get('code') ?? '' };
    if (challenge === 'SELECT_MFA_TYPE') return { ANSWER: body.get('answer') ?? '' };
    if (challenge === 'WEB_AUTHN') return { CREDENTIAL: body.get('credential') ?? '' };
    return {};
  }

  /**
   * The session's user, when the browser is signed in to the client's pool, the client still reuses
   * a session that old (its SSO session setting), and the user may still sign in.
   */
  private async sessionUser(request: FastifyRequest, client: AppClient): Promise<{ user: UserRecord; authTime: number } | undefined> {
    const session = this.services.loginSessions.open(cookiesOf(request)[SESSION_COOKIE], client.poolId);
    if (!session || !(await this.services.userSessions.reusesLoginSession(client, session.authTime))) return undefined;
    const user = await this.services.authorizations.sessionUser(client.poolId, session.sub);
    return user ? { user, authTime: session.authTime } : undefined;
  }

  /** The end of a sign-in: a code on the redirect URI, or (implicit) the tokens in its fragment. */
  private async complete(request: FastifyRequest, reply: FastifyReply, authorization: AuthorizationRequest, client: AppClient, user: UserRecord, authTime: number): Promise<FastifyReply> {
    if (authorization.responseType === 'code') {
      const code = await this.services.authorizations.issueCode(authorization, client, user, authTime);
      return reply.redirect(withParameters(authorization.redirectUri, { code, state: authorization.state }), 302);
    }
    const tokens = await this.services.authorizations.implicitTokens(authorization, client, user, callerOf(request, client));
    const fragment = new URLSearchParams({
      ...(tokens.IdToken && { id_token: tokens.IdToken }),
      access_token: tokens.AccessToken,
      expires_in: String(tokens.ExpiresIn),
      token_type: 'Bearer',
      ...(authorization.state !== undefined && { state: authorization.state }),
    });
    return reply.redirect(`${authorization.redirectUri}#${fragment.toString()}`, 302);
  }
}

/** The otpauth URI as an inline SVG QR code, labelled for screen readers. */
function qrCode(uri: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(uri);
  qr.make();
  return `<div class="qr" role="img" aria-label="QR image of the authenticator key">${qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true })}</div>`;
}

const SIGN_IN_FORM = 'signInForm';

/**
 * A second submit of the sign-in form that posts the username to the passkey sign-in instead. It
 * stands after the form, so Enter in the form still presses "Sign in" (the first submit in the page).
 */
const passkeyButton = (action: string): string =>
  `<button class="link-button passkey-button" type="submit" form="${SIGN_IN_FORM}" formaction="${escapeHtml(action)}" name="passkeySubmitButton" value="passkey">Use a passkey instead</button>`;

const MFA_NAMES: Record<string, string> = { SMS_MFA: 'Text message (SMS)', SOFTWARE_TOKEN_MFA: 'Authenticator app', EMAIL_OTP: 'Email' };
