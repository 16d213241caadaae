import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppClient } from '../../domain/clients/app-clients.js';
import { FederationFailure, type FederatedResult } from '../../domain/federation/federated-sign-in.js';
import type { Services } from '../../domain/services.js';
import { callerOfRequest, formBody, requestOrigin } from '../web-requests.js';
import type { HostedPages } from './pages.js';
import { clearCookie, cookiesOf } from './cookies.js';
import { queryOf } from './page-kit.js';
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
