import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppClient } from '../../domain/clients/app-clients.js';
import { CognitoError } from '../../domain/errors.js';
import type { Services } from '../../domain/services.js';
import type { UserRecord } from '../../storage/types.js';
import { cookiesOf } from './cookies.js';
import { csrfMatches, csrfToken, formOf, queryOf, sendClientPage, sendPage } from './page-kit.js';
import { SESSION_COOKIE } from './pages.js';
import { errorBox, errorPage, hint, link, noteBox, passkeyForm } from './templates.js';

/**
 * Managed login's /passkeys/add: a user signed in to the pool's pages (the session cookie) registers a
 * passkey for the app client, then goes back to the app's redirect URI.
 */
export function registerPasskeyPages(app: FastifyInstance, services: Services): void {
  app.get('/passkeys/add', (request, reply) => withSignedInUser(services, request, reply, (client, user) => showAdd(services, request, reply, client, user)));
  app.post('/passkeys/add', (request, reply) => withSignedInUser(services, request, reply, (client, user) => submitAdd(services, request, reply, client, user)));
}

type PageQuery = { client_id?: string; redirect_uri?: string };

async function withSignedInUser(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  handle: (client: AppClient, user: UserRecord) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  const query = queryOf(request) as PageQuery;
  const client = await services.authorizations.oauthClient(query.client_id, await services.userPoolDomains.poolOfHost(request.headers.host)).catch(() => undefined);
  if (!client || (query.redirect_uri !== undefined && !(client.settings.CallbackURLs ?? []).includes(query.redirect_uri))) return sendPage(reply, 400, errorPage());
  const session = services.loginSessions.open(cookiesOf(request)[SESSION_COOKIE], client.poolId);
  const user = session && (await services.authorizations.sessionUser(client.poolId, session.sub));
  if (!user) return sendClientPage(services, reply, client, 401, 'Add a passkey', `${errorBox('Sign in first, then add a passkey.')}`);
  return handle(client, user);
}

async function showAdd(services: Services, request: FastifyRequest, reply: FastifyReply, client: AppClient, user: UserRecord, message?: string): Promise<FastifyReply> {
  let options: Record<string, unknown>;
  try {
    options = await services.passkeys.startRegistration(user, client.clientId);
  } catch (error) {
    if (error instanceof CognitoError) return sendClientPage(services, reply, client, 400, 'Add a passkey', errorBox(error.message));
    throw error;
  }
  const body = `${errorBox(message)}
${passkeyForm(request.url, csrfToken(request, reply), 'create', options, hint(`Add a passkey for ${user.username}: your browser will ask you to make one with a fingerprint, a face, a PIN or a security key.`), 'Add a passkey')}`;
  return sendClientPage(services, reply, client, message ? 400 : 200, 'Add a passkey', body);
}

async function submitAdd(services: Services, request: FastifyRequest, reply: FastifyReply, client: AppClient, user: UserRecord): Promise<FastifyReply> {
  const body = formOf(request);
  if (!csrfMatches(request, body)) return showAdd(services, request, reply, client, user, 'Your session on this page expired. Please try again.');
  try {
    await services.passkeys.completeRegistration(user, client.clientId, JSON.parse(body.get('credential') || '{}'));
  } catch (error) {
    if (error instanceof CognitoError || error instanceof SyntaxError) return showAdd(services, request, reply, client, user, `Your passkey was not added: ${(error as Error).message}`);
    throw error;
  }
  const { redirect_uri: redirectUri } = queryOf(request) as PageQuery;
  if (redirectUri !== undefined) return reply.redirect(redirectUri, 302);
  return sendClientPage(services, reply, client, 200, 'Passkey added', `${noteBox('Your passkey is added. Next time, sign in with it.')}
<p>${link(`/passkeys/add?client_id=${encodeURIComponent(client.clientId)}`, 'Add another passkey')}</p>`);
}
