import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppClient } from '../../domain/clients/app-clients.js';
import { FederationFailure, type FederatedResult } from '../../domain/federation/federated-sign-in.js';
import type { Services } from '../../domain/services.js';
import { callerOfRequest, formBody, requestOrigin } from '../web-requests.js';
import type { HostedPages } from './pages.js';
import { clearCookie, cookiesOf } from './cookies.js';
import { queryOf, queryString, type PageQuery } from './page-kit.js';
import { buttonLink, field, form } from './templates.js';
import type { AuthorizeParameters } from '../../domain/hosted/authorization.js';
import { SESSION_COOKIE } from './pages.js';

/**
 * Where providers send the browser back: /oauth2/idpresponse for the OIDC and social providers (a
 * GET with the code, or Apple's form POST) and /saml2/idpresponse for SAML's POST binding. Each ends
 * as a sign-in on the login page does: the pool's session cookie and a code for the app.
 */
export function registerFederationPages(app: FastifyInstance, services: Services, pages: HostedPages): void {
  const caller = (request: FastifyRequest) => (client: AppClient) => callerOfRequest(request, client.clientId);
  const oauthAnswer = (request: FastifyRequest) => {
    const fields = request.method === 'POST' ? Object.fromEntries(formBody(request)) : queryOf(request);
    return { state: fields.state, code: fields.code, error: fields.error, error_description: fields.error_description };
  };
  app.get('/oauth2/idpresponse', (request, reply) => finish(reply, pages, () => services.federatedSignIns.finishOAuth(oauthAnswer(request), caller(request)), request));
  app.post('/oauth2/idpresponse', (request, reply) => finish(reply, pages, () => services.federatedSignIns.finishOAuth(oauthAnswer(request), caller(request)), request));
  app.post('/saml2/idpresponse', async (request, reply) => {
    const form = Object.fromEntries(formBody(request)) as { SAMLResponse?: string; RelayState?: string };
    const hostPool = await services.userPoolDomains.poolOfHost(request.headers.host);
    return finish(reply, pages, () => services.federatedSignIns.finishSaml(form, requestOrigin(request) ?? '', hostPool, caller(request)), request);
  });
  app.post('/login/federated', (request, reply) => submitCorporateEmail(services, pages, request, reply));
  const samlLogout = async (request: FastifyRequest, reply: FastifyReply) => {
    const parameters = request.method === 'POST' ? Object.fromEntries(formBody(request)) : (queryOf(request) as Record<string, string>);
    const poolId = (await services.userPoolDomains.poolOfHost(request.headers.host)) ?? services.loginSessions.read(cookiesOf(request)[SESSION_COOKIE])?.poolId;
    try {
      const { redirect, endsSession } = await services.federatedSignIns.finishSamlLogout(parameters, poolId, requestOrigin(request) ?? '');
      if (endsSession) clearCookie(reply, request, SESSION_COOKIE);
      return reply.redirect(redirect, 302);
    } catch (error) {
      if (error instanceof FederationFailure) return pages.federationFailed(reply, error);
      throw error;
    }
  };
  app.get('/saml2/logout', samlLogout);
  app.post('/saml2/logout', samlLogout);
  // Beyond Cognito, which leaves the IdP's administrator to type the entity ID and ACS URL in.
  app.get<{ Params: { poolId: string } }>('/saml2/metadata/:poolId', async (request, reply) => {
    const xml = await services.federatedSignIns.serviceProviderMetadata(request.params.poolId, requestOrigin(request) ?? '').catch(() => undefined);
    if (!xml) return reply.code(404).type('text/plain').send('No such user pool.');
    return reply.type('application/samlmetadata+xml').send(xml);
  });
}

async function finish(reply: FastifyReply, pages: HostedPages, finishing: () => Promise<FederatedResult>, request: FastifyRequest): Promise<FastifyReply> {
  let result: FederatedResult;
  try {
    result = await finishing();
  } catch (error) {
    if (error instanceof FederationFailure) return pages.federationFailed(reply, error);
    throw error;
  }
  return pages.signedIn(request, reply, result.authorization, result.client, result.user, result.samlSession);
}

/**
 * The sign-in page's way to a provider: a button for each the client supports, and an email field
 * when some of them have identifiers (a company's email domain routes its people to its IdP).
 */
export async function providerChoices(services: Services, client: AppClient, parameters: PageQuery, csrf: string): Promise<string> {
  const names = (client.settings.SupportedIdentityProviders ?? []).filter((name) => name !== 'COGNITO');
  if (names.length === 0) return '';
  const providers = (await services.identityProviders.all(client.poolId)).filter((provider) => names.includes(provider.key));
  const buttons = providers.map((provider) => buttonLink(`/oauth2/authorize?${queryString({ ...authorizeParametersOf(parameters), identity_provider: provider.key })}`, `Continue with ${PROVIDER_LABELS[provider.key] ?? provider.key}`));
  const routed = providers.some((provider) => provider.body.IdpIdentifiers.length > 0)
    ? form(`/login/federated?${queryString(parameters)}`, csrf, field('Corporate email', 'email', 'email', 'autocomplete="email" required'), { label: 'Sign in with your corporate ID', name: 'federatedSubmitButton' })
    : '';
  return `<div class="idp-choices">${buttons.join('\n')}${routed}</div>${providers.length > 0 ? '<p class="separator"><span>or</span></p>' : ''}`;
}

/** The corporate email form: its domain (or the whole address) names the provider, as an idp_identifier would. */
function submitCorporateEmail(services: Services, pages: HostedPages, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return pages.postedForm(request, reply, async (authorization, client, body) => {
    const email = (body.get('email') ?? '').trim();
    const domain = email.slice(email.lastIndexOf('@') + 1);
    const name = (await services.federatedSignIns.providerOfIdentifier(client, email)) ?? (await services.federatedSignIns.providerOfIdentifier(client, domain));
    const provider = name && (await services.identityProviders.forSignIn(client.poolId, name));
    if (!provider) return pages.showLogin(request, reply, 'No identity provider signs in that email address.');
    return pages.toProvider(request, reply, provider, authorization, client);
  });
}

/** How the buttons name the social providers. */
const PROVIDER_LABELS: Record<string, string> = { Google: 'Google', Facebook: 'Facebook', LoginWithAmazon: 'Amazon', SignInWithApple: 'Apple' };

/** The authorize request a page carries, without the page's own state. */
function authorizeParametersOf(parameters: PageQuery): AuthorizeParameters {
  const { notice: _notice, username: _username, identity_provider: _provider, idp_identifier: _identifier, ...rest } = parameters;
  return rest as AuthorizeParameters;
}
