import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { secretHashFor } from '../../domain/auth/client-checks.js';
import type { AppClient } from '../../domain/clients/app-clients.js';
import { CognitoError } from '../../domain/errors.js';
import type { AuthorizationRequest } from '../../domain/hosted/authorization.js';
import { selfSignUpAllowed, signUpFields, termsLinks, type SignUpFields, type TermsLink } from '../../domain/hosted/sign-up-page.js';
import type { PasswordPolicy } from '../../domain/pools/pool-settings.js';
import type { PublicCall } from '../../domain/self-service/self-service.js';
import type { Services } from '../../domain/services.js';
import type { RateLimiter } from '../rate-limits.js';
import { callerOf, csrfMatches, csrfToken, formOf, noticeOf, pageUrl, queryOf, sendClientPage, type PageQuery } from './page-kit.js';
import { HostedPages } from './pages.js';
import { checkbox, errorBox, field, form, hidden, hint, link, links, noteBox, valueOf } from './templates.js';

/** One request to a self-service page, once its authorize parameters are checked. */
interface PageContext {
  request: FastifyRequest;
  reply: FastifyReply;
  parameters: PageQuery;
  authorization: AuthorizationRequest;
  client: AppClient;
  /** What the form sent (empty for a GET): a page shown again keeps what the user typed. */
  form: URLSearchParams;
}

/** A page of its own, shown with a message when an answer is refused. */
type ShowPage = (context: PageContext, message?: string) => Promise<FastifyReply>;

/** A domain refusal, said on the page. */
class Refusal {
  constructor(readonly message: string) {}
}

const EXPIRED = 'Your session on this page expired. Please try again.';

/**
 * The managed login's self-service pages at Cognito's paths: sign up, confirm the account (and get
 * a new code), forgot password and reset it. Each carries the authorize request in its query as
 * /login does, and calls the same domain methods the API operations do, as the app client: Gatehouse
 * holds the client secret, so the pages compute the SECRET_HASH themselves.
 */
export function registerSelfServicePages(app: FastifyInstance, services: Services, limit: RateLimiter = () => undefined): void {
  const pages = new SelfServicePages(services, new HostedPages(services, limit));
  const get = (path: string, show: ShowPage) => app.get(path, (request, reply) => pages.view(request, reply, show));
  // Each form counts against the rate limit of the operation it stands for.
  const post = (path: string, operation: string, show: ShowPage, act: (context: PageContext) => Promise<FastifyReply | Refusal>) =>
    app.post(path, (request, reply) => pages.submit(request, reply, show, limited(limit, operation, act)));
  get('/signup', pages.showSignUp);
  post('/signup', 'SignUp', pages.showSignUp, pages.signUp);
  get('/confirm', pages.showConfirm);
  post('/confirm', 'ConfirmSignUp', pages.showConfirm, pages.confirm);
  post('/resendcode', 'ResendConfirmationCode', pages.showConfirm, pages.resendCode);
  get('/forgotPassword', pages.showForgotPassword);
  post('/forgotPassword', 'ForgotPassword', pages.showForgotPassword, pages.forgotPassword);
  get('/confirmforgotPassword', pages.showResetPassword);
  post('/confirmforgotPassword', 'ConfirmForgotPassword', pages.showResetPassword, pages.resetPassword);
}

/** A page's action behind the rate limit of its operation: over it, the page says so. */
function limited(limit: RateLimiter, operation: string, act: (context: PageContext) => Promise<FastifyReply | Refusal>) {
  return async (context: PageContext): Promise<FastifyReply | Refusal> => {
    const refused = await attempt(async () => limit(operation, { ClientId: context.client.clientId }));
    return refused instanceof Refusal ? refused : act(context);
  };
}

class SelfServicePages {
  constructor(
    private readonly services: Services,
    private readonly hosted: HostedPages,
  ) {}

  view(request: FastifyRequest, reply: FastifyReply, show: ShowPage): Promise<FastifyReply> {
    const parameters = queryOf(request);
    return this.hosted.checked(parameters, reply, (authorization, client) => show({ request, reply, parameters, authorization, client, form: new URLSearchParams() }));
  }

  /** A form's answer: the CSRF check, then the page's action; a refusal shows the page again with its message. */
  submit(request: FastifyRequest, reply: FastifyReply, show: ShowPage, act: (context: PageContext) => Promise<FastifyReply | Refusal>): Promise<FastifyReply> {
    const parameters = queryOf(request);
    return this.hosted.checked(parameters, reply, async (authorization, client) => {
      const context = { request, reply, parameters, authorization, client, form: formOf(request) };
      if (!csrfMatches(request, context.form)) return show(context, EXPIRED);
      const outcome = await act(context);
      return outcome instanceof Refusal ? show(context, outcome.message) : outcome;
    });
  }

  // --- sign up -----------------------------------------------------------------------------------

  readonly showSignUp = async (context: PageContext, message?: string): Promise<FastifyReply> => {
    const { settings } = await this.services.pools.get(context.client.poolId);
    const signIn = links([{ before: 'Already have an account?', href: pageUrl('/login', context.parameters), text: 'Sign in' }]);
    if (!selfSignUpAllowed(settings)) return this.render(context, 400, 'Sign up', `${errorBox('SignUp is not permitted for this user pool')}\n${signIn}`);
    const fields = signUpFields(settings);
    const terms = await termsLinks(this.services.terms, context.client, context.parameters.lang);
    const previous = (name: string) => valueOf(context.form.get(name) ?? undefined);
    const content = [
      field(SIGN_IN_NAMES[fields.signInName].label, 'username', SIGN_IN_NAMES[fields.signInName].type, `autocomplete="username" autocapitalize="none" required ${previous('username')}`),
      field('Password', 'password', 'password', 'autocomplete="new-password" required'),
      hint(policyHint(settings.Policies.PasswordPolicy)),
      ...fields.attributes.map((attribute) => attributeField(attribute, previous(attributeInput(attribute.name)))),
      ...(terms.length > 0 ? [checkbox('acceptTerms', `I agree to the ${termsSentence(terms)}.`)] : []),
    ].join('\n');
    const body = `${errorBox(message)}\n${form(pageUrl('/signup', context.parameters), csrfToken(context.request, context.reply), content, { label: 'Sign up', name: 'signUpButton' })}\n${signIn}`;
    return this.render(context, message ? 400 : 200, 'Sign up', body);
  };

  readonly signUp = async (context: PageContext): Promise<FastifyReply | Refusal> => {
    const { request, reply, client, form: sent } = context;
    const { settings } = await this.services.pools.get(client.poolId);
    const fields = signUpFields(settings);
    const username = (sent.get('username') ?? '').trim();
    const password = sent.get('password') ?? '';
    if (!username || !password) return new Refusal(`Enter your ${SIGN_IN_NAMES[fields.signInName].label.toLowerCase()} and a password.`);
    const terms = await termsLinks(this.services.terms, client, context.parameters.lang);
    if (terms.length > 0 && sent.get('acceptTerms') !== 'true') return new Refusal(`To sign up, agree to the ${termsSentence(terms, false)}.`);
    const attributes = fields.attributes.map(({ name }) => ({ Name: name, Value: (sent.get(attributeInput(name)) ?? '').trim() })).filter(({ Value }) => Value !== '');
    const outcome = await attempt(() =>
      this.services.selfService.signUp({ ClientId: client.clientId, Username: username, Password: password, UserAttributes: attributes, SecretHash: secretHashFor(client, username) }, callerOf(request, client)),
    );
    if (outcome instanceof Refusal) return outcome;
    // A pre sign-up function that confirmed the user at once: straight on to the app, as a sign-in.
    if (outcome.UserConfirmed) return this.hosted.signInWithPassword(request, reply, context.authorization, client, username, password);
    return reply.redirect(pageUrl('/confirm', context.parameters, { username, ...deliveryQuery(outcome.CodeDeliveryDetails) }), 302);
  };

  // --- confirm the account ------------------------------------------------------------------------

  readonly showConfirm = async (context: PageContext, message?: string): Promise<FastifyReply> => {
    const username = usernameOf(context);
    const csrf = csrfToken(context.request, context.reply);
    const sentTo = deliveryOf(context.parameters);
    const state = { username, ...deliveryState(context.parameters) };
    const confirmForm = form(
      pageUrl('/confirm', context.parameters, state),
      csrf,
      `${hint(sentTo ? `We sent a code ${sentTo}. Enter it below to confirm your account.` : 'Enter the code we sent you to confirm your account.')}
${usernameInput(username)}
${field('Code', 'confirmation_code', 'text', 'inputmode="numeric" autocomplete="one-time-code" required')}`,
      { label: 'Confirm account', name: 'confirm' },
    );
    const resend = username ? `<div class="links">Didn't receive a code? ${form(pageUrl('/resendcode', context.parameters, state), csrf, hidden('username', username), { label: 'Resend code', look: 'link' })}</div>` : '';
    const body = `${message ? errorBox(message) : noteBox(noticeOf(context.parameters))}\n${confirmForm}\n${resend}\n${this.backToSignIn(context)}`;
    return this.render(context, message ? 400 : 200, 'Confirm your account', body);
  };

  readonly confirm = async (context: PageContext): Promise<FastifyReply | Refusal> => {
    const username = context.form.get('username') ?? '';
    const code = (context.form.get('confirmation_code') ?? '').trim();
    if (!username || !code) return new Refusal('Enter your username and the code we sent you.');
    const outcome = await attempt(() => this.services.selfService.confirmSignUp(publicCall(context, username), username, code, false));
    if (outcome instanceof Refusal) return outcome;
    return context.reply.redirect(pageUrl('/login', context.parameters, { notice: 'confirmed' }), 302);
  };

  readonly resendCode = async (context: PageContext): Promise<FastifyReply | Refusal> => {
    const username = context.form.get('username') ?? '';
    if (!username) return new Refusal('Enter your username.');
    const outcome = await attempt(() => this.services.selfService.resendConfirmationCode(publicCall(context, username), username));
    if (outcome instanceof Refusal) return outcome;
    return context.reply.redirect(pageUrl('/confirm', context.parameters, { username, ...deliveryQuery(outcome), notice: 'resent' }), 302);
  };

  // --- forgot password ----------------------------------------------------------------------------

  readonly showForgotPassword = async (context: PageContext, message?: string): Promise<FastifyReply> => {
    const content = `${hint('Enter your username and we will send you a code to reset your password.')}
${field('Username', 'username', 'text', `autocomplete="username" autocapitalize="none" required ${valueOf(usernameOf(context))}`)}`;
    const body = `${errorBox(message)}\n${form(pageUrl('/forgotPassword', context.parameters), csrfToken(context.request, context.reply), content, { label: 'Reset my password', name: 'reset_my_password' })}\n${this.backToSignIn(context)}`;
    return this.render(context, message ? 400 : 200, 'Forgot your password?', body);
  };

  /** With PreventUserExistenceErrors the domain answers an unknown name with a made-up destination, shown the same way. */
  readonly forgotPassword = async (context: PageContext): Promise<FastifyReply | Refusal> => {
    const username = (context.form.get('username') ?? '').trim();
    if (!username) return new Refusal('Enter your username.');
    const outcome = await attempt(() => this.services.selfService.forgotPassword(publicCall(context, username), username));
    if (outcome instanceof Refusal) return outcome;
    return context.reply.redirect(pageUrl('/confirmforgotPassword', context.parameters, { username, ...deliveryQuery(outcome) }), 302);
  };

  readonly showResetPassword = async (context: PageContext, message?: string): Promise<FastifyReply> => {
    const username = usernameOf(context);
    const sentTo = deliveryOf(context.parameters);
    const content = `${hint(sentTo ? `We sent a password reset code ${sentTo}. Enter it below to reset your password.` : 'Enter the password reset code we sent you.')}
${usernameInput(username)}
${field('Code', 'code', 'text', 'inputmode="numeric" autocomplete="one-time-code" required')}
${field('New password', 'password', 'password', 'autocomplete="new-password" required')}
${field('Enter new password again', 'confirmPassword', 'password', 'autocomplete="new-password" required')}`;
    const action = pageUrl('/confirmforgotPassword', context.parameters, { username, ...deliveryState(context.parameters) });
    const body = `${errorBox(message)}\n${form(action, csrfToken(context.request, context.reply), content, { label: 'Change password', name: 'reset_password' })}\n${this.backToSignIn(context)}`;
    return this.render(context, message ? 400 : 200, 'Reset your password', body);
  };

  readonly resetPassword = async (context: PageContext): Promise<FastifyReply | Refusal> => {
    const username = context.form.get('username') ?? '';
    const code = (context.form.get('code') ?? '').trim();
    const password = context.form.get('password') ?? '';
    if (!username || !code || !password) return new Refusal('Enter the code we sent you and a new password.');
    if (password !== context.form.get('confirmPassword')) return new Refusal('The passwords do not match.');
    const outcome = await attempt(() => this.services.selfService.confirmForgotPassword(publicCall(context, username), username, code, password));
    if (outcome instanceof Refusal) return outcome;
    return context.reply.redirect(pageUrl('/login', context.parameters, { notice: 'password_reset' }), 302);
  };

  // --- shared -------------------------------------------------------------------------------------

  private render(context: PageContext, status: number, title: string, body: string): Promise<FastifyReply> {
    return sendClientPage(this.services, context.reply, context.client, status, title, body);
  }

  private backToSignIn(context: PageContext): string {
    return links([{ href: pageUrl('/login', context.parameters), text: 'Back to sign in' }]);
  }
}

/**
 * The domain's refusals are the page's to say, with Cognito's messages: a wrong or expired code, a
 * password the policy refuses, a name taken, too many attempts, a trigger's refusal.
 */
async function attempt<T>(step: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof CognitoError) return new Refusal(error.message);
    throw error;
  }
}

/** The call the app would make for this user: its client id, the SECRET_HASH when it has a secret. */
function publicCall(context: PageContext, username: string): PublicCall {
  const secretHash = secretHashFor(context.client, username);
  return { clientId: context.client.clientId, ...(secretHash !== undefined && { secretHash }), caller: callerOf(context.request, context.client) };
}

/** The username the page is for: as the form sent it, else as the previous page passed it on. */
const usernameOf = (context: PageContext): string => context.form.get('username') ?? context.parameters.username ?? '';

/** A page that knows its user carries the name along; one reached without it asks for it. */
const usernameInput = (username: string): string =>
  username ? hidden('username', username) : field('Username', 'username', 'text', 'autocomplete="username" autocapitalize="none" required');

const SIGN_IN_NAMES: Record<SignUpFields['signInName'], { label: string; type: string }> = {
  username: { label: 'Username', type: 'text' },
  email: { label: 'Email', type: 'email' },
  phone_number: { label: 'Phone number', type: 'tel' },
  email_or_phone: { label: 'Email or phone number', type: 'text' },
};

// --- where the code went, from one page to the next ----------------------------------------------

/** The masked destination and medium, passed on in the next page's query. */
const deliveryQuery = (details: CodeDeliveryDetailsType | undefined): Record<string, string | undefined> => ({ destination: details?.Destination, medium: details?.DeliveryMedium });

/** The delivery as a page found it in its query, to keep in its own form's action. */
const deliveryState = (parameters: PageQuery): Record<string, string | undefined> => ({ destination: parameters.destination, medium: parameters.medium });

/**
 * "by email to a***@e***", from the query. It is only ever a masked address, so anything else
 * (words a crafted link put there) is not shown.
 */
function deliveryOf(parameters: PageQuery): string | undefined {
  const { destination, medium } = parameters;
  if (!destination || !/^[\w+*@.-]{1,64}$/.test(destination)) return undefined;
  return `${medium === 'SMS' ? 'by text message' : 'by email'} to ${destination}`;
}

// --- the sign-up form's parts --------------------------------------------------------------------

/** Cognito's own sign-up form names its attribute inputs so. */
const attributeInput = (name: string): string => `requiredAttributes[${name}]`;

const AUTOCOMPLETE: Record<string, string> = {
  email: 'email',
  phone_number: 'tel',
  name: 'name',
  given_name: 'given-name',
  family_name: 'family-name',
  middle_name: 'additional-name',
  nickname: 'nickname',
  birthdate: 'bday',
  address: 'street-address',
  website: 'url',
};

const PLACEHOLDERS: Record<string, string> = { phone_number: '+12065550100', birthdate: 'YYYY-MM-DD' };

function attributeField({ name, required }: SignUpFields['attributes'][number], value: string): string {
  const label = name.replace(/^custom:/, '').replace(/_/g, ' ');
  const type = name === 'email' ? 'email' : name === 'phone_number' ? 'tel' : 'text';
  const extra = [AUTOCOMPLETE[name] && `autocomplete="${AUTOCOMPLETE[name]}"`, PLACEHOLDERS[name] && `placeholder="${PLACEHOLDERS[name]}"`, required && 'required', value].filter(Boolean).join(' ');
  return field(`${label.charAt(0).toUpperCase()}${label.slice(1)}${required ? '' : ' (optional)'}`, attributeInput(name), type, extra);
}

/** The pool's password policy, as a sentence under the password field. */
function policyHint(policy: PasswordPolicy): string {
  const kinds = [
    policy.RequireUppercase && 'an upper case letter',
    policy.RequireLowercase && 'a lower case letter',
    policy.RequireNumbers && 'a number',
    policy.RequireSymbols && 'a symbol',
  ].filter((kind): kind is string => Boolean(kind));
  return `At least ${policy.MinimumLength} characters${kinds.length > 0 ? `, with ${listed(kinds)}` : ''}.`;
}

/** "Terms of use and Privacy policy": each name a link (HTML), or (for a message, escaped later) plain text. */
function termsSentence(terms: TermsLink[], linked = true): string {
  const names = terms.map(({ name, url }) => {
    const words = name.replace(/[-_]+/g, ' ');
    const title = words.charAt(0).toUpperCase() + words.slice(1);
    return linked ? link(url, title, true) : title;
  });
  return listed(names);
}

const listed = (items: string[]): string => (items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
