import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../../domain/errors.js';
import { sendPage, type PagePolicy } from '../hosted/page-kit.js';
import type { Services } from '../../domain/services.js';
import { operations } from '../../operations/index.js';
import { validateInput } from '../model/validate.js';
import { formBody, requestOrigin } from '../web-requests.js';
import type { MetricsSnapshot } from '../metrics.js';
import { registerActivityPages } from './console-activity.js';
import { registerClientPages } from './console-clients.js';
import { dashboardBody } from './console-dashboard.js';
import { registerGroupPages } from './console-groups.js';
import { consolePage, input, type ConsolePageOptions } from './console-html.js';
import type { ConsoleKit, PageExtra, Render } from './console-kit.js';
import { registerPoolPages } from './console-pools.js';
import { CONSOLE_PATH, ConsoleSessions, type OperatorSession } from './console-session.js';
import { registerUserPages } from './console-users.js';

/**
 * No scripts at all, forms only to the console; and unlike the login pages the browser names this
 * origin on the console's own form posts (`same-origin`; `no-referrer` would send `Origin: null`),
 * which is how a cross-site post is told apart.
 */
const CONSOLE_PAGES: PagePolicy = {
  contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  referrerPolicy: 'same-origin',
};

/** Fixed notes a page shows after an action: only these texts, so a crafted link cannot put words on a page. */
const NOTES: Record<string, string> = {
  created: 'Created.',
  deleted: 'Deleted.',
  saved: 'Saved.',
  password: 'The password is set.',
  reset: 'The user must reset their password; a code was sent.',
  confirmed: 'The user is confirmed.',
  enabled: 'The user is enabled.',
  disabled: 'The user is disabled.',
  signedOut: 'Every refresh token of the user is revoked.',
  sessionRevoked: 'The session is revoked: its refresh token and the tokens it issued no longer work.',
  added: 'Added to the group.',
  removed: 'Removed from the group.',
};


/**
 * The admin console at /console: pools, users, groups and app clients, in the browser. Every
 * action is the API operation of the same name, run in-process with the same input checks, so
 * the console can do nothing the SDK cannot.
 */
export function registerConsole(app: FastifyInstance, services: Services, sessions: ConsoleSessions, counters: () => Promise<MetricsSnapshot>, now: () => number): void {
  const call: ConsoleKit['call'] = async (operation, body) => {
    validateInput(operation, body);
    return operations[operation]!(body, { services, requestId: 'console', sourceIp: '127.0.0.1', awsSdkVersion: 'gatehouse-console' });
  };

  const page = (reply: FastifyReply, options: ConsolePageOptions & { status?: number }, body: string) => sendPage(reply, options.status ?? 200, consolePage(options, body), CONSOLE_PAGES);
  const noteOf = (request: FastifyRequest) => {
    const key = query(request).note;
    return key !== undefined && Object.hasOwn(NOTES, key) ? NOTES[key] : undefined;
  };
  const signInPage = (reply: FastifyReply, error?: string, status = 200) =>
    page(
      reply,
      { title: 'Sign in to the console', error, status },
      `<form class="narrow" method="post" action="${CONSOLE_PATH}/sign-in">${input('Access key id', 'accessKeyId', { required: true })}<br>${input('Secret access key', 'secretAccessKey', { type: 'password', required: true })}<br><button type="submit">Sign in</button></form>
<p class="muted">Use one of the access key pairs the server is configured with (GATEHOUSE_ACCESS_KEY_ID and GATEHOUSE_SECRET_ACCESS_KEY).</p>`,
    );

  // Pages: a signed-in operator or the sign-in page.
  const view = (render: Render) => async (request: FastifyRequest, reply: FastifyReply) => {
    const session = sessions.current(request, reply);
    if (!session) return reply.redirect(`${CONSOLE_PATH}/sign-in`, 303);
    return show(request, reply, session, render, {});
  };
  const show = async (request: FastifyRequest, reply: FastifyReply, session: OperatorSession, render: Render, extra: PageExtra) => {
    try {
      const { title, poolId, body } = await render(request, session, extra);
      return page(reply, { title, poolId, csrf: session.csrf, error: extra.error, note: extra.error ? undefined : noteOf(request), status: extra.status, development: sessions.developmentMode }, body);
    } catch (error) {
      if (!(error instanceof CognitoError)) throw error;
      return page(reply, { title: 'Not found', csrf: session.csrf, error: error.message, status: 404 }, `<p><a href="${CONSOLE_PATH}/pools">Back to the pools</a></p>`);
    }
  };
  /** The session of a signed-in operator whose form this is, or undefined once the refusal is sent. */
  const genuine = (request: FastifyRequest, reply: FastifyReply, form: URLSearchParams): OperatorSession | undefined => {
    const session = sessions.current(request, reply);
    if (session && sessions.formIsGenuine(request, session, form.get('_csrf'))) return session;
    void page(reply, { title: 'Refused', status: 403, error: 'This form did not come from your console session. Reload the page and try again.' }, `<p><a href="${CONSOLE_PATH}/pools">Back to the console</a></p>`);
    return undefined;
  };
  // Actions: a genuine form of a signed-in operator, then a redirect; a refused action shows its page again with Cognito's message.
  const action = (
    run: (request: FastifyRequest, form: URLSearchParams) => Promise<string>,
    again: Render,
  ) => async (request: FastifyRequest, reply: FastifyReply) => {
    const form = formBody(request);
    const session = genuine(request, reply, form);
    if (!session) return reply;
    try {
      return reply.redirect(await run(request, form), 303);
    } catch (error) {
      if (!(error instanceof CognitoError)) throw error;
      return show(request, reply, session, again, { error: error.message, status: 400 });
    }
  };
  const params = (request: FastifyRequest) => request.params as Record<string, string>;
  const query = (request: FastifyRequest): Record<string, string | undefined> =>
    Object.fromEntries(Object.entries((request.query ?? {}) as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const field = (form: URLSearchParams, name: string) => form.get(name)?.trim() ?? '';

  app.get(
    CONSOLE_PATH,
    view(async () => ({ title: 'Dashboard', body: `${dashboardBody(await counters(), now())}<p><a href="${CONSOLE_PATH}/pools">User pools</a></p>` })),
  );
  app.get(`${CONSOLE_PATH}/sign-in`, async (_request, reply) => {
    if (sessions.developmentMode) return reply.redirect(`${CONSOLE_PATH}/pools`, 303);
    return signInPage(reply);
  });
  app.post(`${CONSOLE_PATH}/sign-in`, async (request, reply) => {
    // A sign-in posted from another site would sign the browser in to the attacker's key.
    if (request.headers.origin !== undefined && request.headers.origin !== requestOrigin(request)) return signInPage(reply, 'Sign-in refused: the form came from another site.', 403);
    const form = formBody(request);
    const session = sessions.signIn(field(form, 'accessKeyId'), form.get('secretAccessKey') ?? '', request, reply);
    if (!session) return signInPage(reply, 'That access key id and secret do not match a key of this server.', 401);
    return reply.redirect(`${CONSOLE_PATH}/pools`, 303);
  });
  app.post(`${CONSOLE_PATH}/sign-out`, async (request, reply) => {
    sessions.signOut(request, reply);
    return reply.redirect(sessions.developmentMode ? `${CONSOLE_PATH}/pools` : `${CONSOLE_PATH}/sign-in`, 303);
  });

  const kit: ConsoleKit = { app, services, sessions, counters, call, view, show, action, genuine, params, query, field };
  for (const register of [registerPoolPages, registerUserPages, registerGroupPages, registerClientPages, registerActivityPages]) register(kit);
}
