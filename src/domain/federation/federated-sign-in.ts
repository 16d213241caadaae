import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import type { AppClient } from '../clients/app-clients.js';
import { CognitoError } from '../errors.js';
import type { AuthorizationRequest, AuthorizeParameters, Authorizations } from '../hosted/authorization.js';
import { OAuthError } from '../oauth/oauth-error.js';
import type { Caller } from '../triggers/caller.js';
import type { ExternalSignIn, FederatedUsers } from './federated-users.js';
import type { IdentityProvider, IdentityProviders } from './identity-providers.js';
import { UpstreamError, type OAuthUpstream } from './oauth-upstream.js';
import { SamlError } from './saml/saml-errors.js';
import { loadSaml } from './saml/saml-loader.js';
import type { SamlAssertion, SamlServiceProvider } from './saml/saml-service-provider.js';
import type { SamlSigningKeys } from './saml-signing-keys.js';
import type { SamlSession } from '../hosted/login-sessions.js';

/** How long a browser may take at the provider before coming back. */
const FLOW_LIFETIME_MS = 15 * 60_000;
const FLOW_CHALLENGE = 'FEDERATION';
const LOGOUT_CHALLENGE = 'SAML_LOGOUT';
const ASSERTION_CHALLENGE = 'SAML_ASSERTION';

/** What Gatehouse remembers of a sign-in sent to a provider, under the `state` (or RelayState) it sent. */
interface FlowState {
  authorization: AuthorizationRequest;
  provider: string;
  nonce: string;
  /** This server's address as the browser used it: the provider answers to it. */
  origin: string;
  samlRequestId?: string;
}

/** A logout sent to a SAML provider, waiting for its answer. */
interface LogoutFlow {
  provider: string;
  /** Where /logout was going to send the browser. */
  then: string;
  requestId: string;
  origin: string;
}

/** A sign-in through a provider, finished: the user, and the authorize request to answer. */
export interface FederatedResult {
  user: UserRecord;
  client: AppClient;
  authorization: AuthorizationRequest;
  provider: IdentityProvider;
  /** For a SAML provider that signs out with Gatehouse: what the login session must remember to sign out there. */
  samlSession?: SamlSession;
}

/**
 * Why a sign-in through a provider failed. With the authorize request known, the app hears of it on
 * its redirect URI (error_description); otherwise the browser gets the error page.
 */
export class FederationFailure extends Error {
  constructor(
    message: string,
    readonly authorization?: AuthorizationRequest,
  ) {
    super(message);
  }
}

/**
 * Sign-in through an external provider: /oauth2/authorize hands the browser to the provider with a
 * state that names this flow, and /oauth2/idpresponse or /saml2/idpresponse finish it with the
 * provider's proof, checked for real, and the user it stands for.
 */
export class FederatedSignIns {
  constructor(
    private readonly storage: Storage,
    private readonly providers: IdentityProviders,
    private readonly users: FederatedUsers,
    private readonly upstream: OAuthUpstream,
    private readonly samlKeys: SamlSigningKeys,
    private readonly authorizations: Authorizations,
    private readonly clock: Clock,
  ) {}

  /**
   * The provider an authorize request names with identity_provider or idp_identifier; undefined when
   * it names none (or COGNITO): the login page then. A provider the client may not use is refused.
   */
  async chosen(client: AppClient, parameters: AuthorizeParameters & { idp_identifier?: string }): Promise<IdentityProvider | undefined> {
    const supported = (client.settings.SupportedIdentityProviders ?? []).filter((name) => name !== 'COGNITO');
    if (parameters.identity_provider !== undefined && parameters.identity_provider !== 'COGNITO') {
      const provider = supported.includes(parameters.identity_provider) ? await this.providers.forSignIn(client.poolId, parameters.identity_provider) : undefined;
      if (!provider) throw new OAuthError('invalid_request', `The identity provider ${parameters.identity_provider} is not enabled for this client.`);
      return provider;
    }
    if (parameters.idp_identifier !== undefined) {
      const name = await this.providerOfIdentifier(client, parameters.idp_identifier);
      const provider = name && (await this.providers.forSignIn(client.poolId, name));
      if (!provider) throw new OAuthError('invalid_request', `No identity provider of this client has the identifier ${parameters.idp_identifier}.`);
      return provider;
    }
    return undefined;
  }

  /** The provider of the client whose identifiers include this one (an email's domain, say), if any. */
  async providerOfIdentifier(client: AppClient, identifier: string): Promise<string | undefined> {
    const supported = new Set(client.settings.SupportedIdentityProviders ?? []);
    const all = await this.providers.all(client.poolId);
    return all.find((document) => supported.has(document.key) && document.body.IdpIdentifiers.includes(identifier))?.key;
  }

  /** Where to send the browser to sign in at the provider; the flow waits under a fresh state. */
  async start(provider: IdentityProvider, authorization: AuthorizationRequest, origin: string): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    const flow: FlowState = { authorization, provider: provider.name, nonce: randomBytes(24).toString('base64url'), origin };
    let url: string;
    if (provider.type === 'SAML') {
      const request = await (await loadSaml()).authnRequestUrl(await this.serviceProvider(provider, origin), state).catch(rethrowAs(authorization));
      flow.samlRequestId = request.requestId;
      url = request.url;
    } else {
      url = await this.upstream.authorizeUrl(provider, { redirectUri: `${origin}/oauth2/idpresponse`, state, nonce: flow.nonce }).catch(rethrowAs(authorization));
    }
    const now = this.clock.now();
    await this.storage.authSessions.insert({ id: flowKey(state), poolId: provider.poolId, clientId: authorization.clientId, sub: '', challenge: FLOW_CHALLENGE, state: { ...flow }, expiresAt: now + FLOW_LIFETIME_MS }, now);
    return url;
  }

  /** /oauth2/idpresponse: the provider's answer to an OIDC or social sign-in. */
  async finishOAuth(answer: { state?: string; code?: string; error?: string; error_description?: string }, caller: (client: AppClient) => Caller): Promise<FederatedResult> {
    const flow = await this.flowOf(answer.state);
    const provider = await this.providerOf(flow);
    if (answer.error !== undefined) throw new FederationFailure(`${provider.name} answered ${answer.error}${answer.error_description ? `: ${answer.error_description}` : ''}`, flow.authorization);
    if (!answer.code) throw new FederationFailure(`${provider.name} answered without a code.`, flow.authorization);
    const client = await this.clientOf(flow.authorization);
    const identity = await this.upstream.identify(provider, answer.code, `${flow.origin}/oauth2/idpresponse`, flow.nonce).catch(rethrowAs(flow.authorization));
    const external: ExternalSignIn = { claims: identity.claims, evidence: { tokenResponse: identity.tokenResponse, ...(identity.idToken && { idToken: identity.idToken }), ...(identity.userInfo && { userInfo: identity.userInfo }) } };
    const user = await this.users.signIn(provider, external, caller(client)).catch(rethrowAs(flow.authorization));
    return { user, client, authorization: flow.authorization, provider };
  }

  /**
   * /saml2/idpresponse: a SAML response to the AuthnRequest its RelayState names, or (when the
   * provider allows IdP-initiated sign-in) one whose RelayState carries the authorize parameters.
   */
  async finishSaml(form: { SAMLResponse?: string; RelayState?: string }, origin: string, hostPool: string | undefined, caller: (client: AppClient) => Caller): Promise<FederatedResult> {
    if (!form.SAMLResponse) throw new FederationFailure('The request carries no SAMLResponse.');
    const flow = form.RelayState ? await this.storage.authSessions.consume(flowKey(form.RelayState), this.clock.now()) : undefined;
    const started = flow?.challenge === FLOW_CHALLENGE ? (flow.state as unknown as FlowState) : await this.idpInitiated(form.RelayState, hostPool, origin);
    const provider = await this.providerOf(started);
    if (provider.type !== 'SAML') throw new FederationFailure('The RelayState names a sign-in that is not a SAML one.', started.authorization);
    const sp = await this.serviceProvider(provider, started.origin);
    let assertion: SamlAssertion;
    try {
      assertion = await (await loadSaml()).readResponse({ ...sp, allowIdpInitiated: started.samlRequestId === undefined }, form.SAMLResponse);
    } catch (error) {
      if (error instanceof SamlError) throw new FederationFailure(`The SAML response is not valid: ${(error as Error).message}`, started.authorization);
      throw error;
    }
    if (started.samlRequestId !== undefined && assertion.inResponseTo !== started.samlRequestId) {
      throw new FederationFailure('The SAML response answers another request (InResponseTo).', started.authorization);
    }
    if (!(await this.claimAssertion(provider, assertion))) throw new FederationFailure('The SAML assertion was used before.', started.authorization);
    const client = await this.clientOf(started.authorization);
    const external: ExternalSignIn = {
      claims: assertion.attributes,
      nameId: assertion.nameId,
      issuer: assertion.issuer,
      evidence: { samlResponse: { nameId: assertion.nameId, issuer: assertion.issuer, ...(assertion.sessionIndex && { sessionIndex: assertion.sessionIndex }), attributes: assertion.attributes } },
    };
    const user = await this.users.signIn(provider, external, caller(client)).catch(rethrowAs(started.authorization));
    const samlSession: SamlSession | undefined =
      provider.details.IDPSignout === 'true'
        ? { provider: provider.name, nameId: assertion.nameId, ...(assertion.nameIdFormat && { nameIdFormat: assertion.nameIdFormat }), ...(assertion.sessionIndex && { sessionIndex: assertion.sessionIndex }) }
        : undefined;
    return { user, client, authorization: started.authorization, provider, ...(samlSession && { samlSession }) };
  }

  /** The pool's SAML service provider metadata, for operators to give their IdP. */
  async serviceProviderMetadata(poolId: string, origin: string): Promise<string> {
    const signing = await this.samlKeys.current(poolId);
    return (await loadSaml()).serviceProviderMetadataXml({ ...baseServiceProvider(poolId, origin), metadata: { entityId: '', signingCertificates: [], wantAuthnRequestsSigned: false }, signing, allowIdpInitiated: false, now: this.clock.now() });
  }

  /**
   * /logout for a user who signed in through a SAML provider that signs out with Gatehouse
   * (IDPSignout): the IdP's logout URL, with a state that brings the browser back to `then`.
   */
  async startSamlLogout(poolId: string, session: SamlSession, origin: string, then: string): Promise<string | undefined> {
    const provider = await this.providers.forSignIn(poolId, session.provider);
    if (!provider?.saml || provider.details.IDPSignout !== 'true' || !provider.saml.metadata.sloRedirectUrl) return undefined;
    const state = randomBytes(32).toString('base64url');
    const request = await (await loadSaml()).logoutRequestUrl(await this.serviceProvider(provider, origin, 'logout'), session, state);
    const flow: LogoutFlow = { provider: provider.name, then, requestId: request.requestId, origin };
    const now = this.clock.now();
    await this.storage.authSessions.insert({ id: flowKey(state), poolId, clientId: '', sub: '', challenge: LOGOUT_CHALLENGE, state: { ...flow }, expiresAt: now + FLOW_LIFETIME_MS }, now);
    return request.url;
  }

  /**
   * /saml2/logout: the IdP's answer to a logout Gatehouse started (back to where /logout was going),
   * or a logout the IdP started (answered, and the pool's session ends). `poolId` is the pool the
   * browser's session or the domain names; an IdP-started logout must come from one of its SAML
   * providers that sign out with it.
   */
  async finishSamlLogout(parameters: Record<string, string>, poolId: string | undefined, origin: string): Promise<{ redirect: string; endsSession: boolean }> {
    if (parameters.SAMLResponse) {
      const session = parameters.RelayState ? await this.storage.authSessions.consume(flowKey(parameters.RelayState), this.clock.now()) : undefined;
      if (!session || session.challenge !== LOGOUT_CHALLENGE) throw new FederationFailure('The logout at the identity provider is unknown, used or expired.');
      const flow = session.state as unknown as LogoutFlow;
      const provider = await this.providers.forSignIn(session.poolId, flow.provider);
      if (!provider?.saml) throw new FederationFailure(`The identity provider ${flow.provider} no longer exists.`);
      const message = await (await loadSaml()).readLogoutMessage(await this.serviceProvider(provider, flow.origin, 'logout'), parameters).catch(samlFailure);
      if (message.kind !== 'response' || message.inResponseTo !== flow.requestId) throw new FederationFailure('The logout response answers another request.');
      return { redirect: flow.then, endsSession: true };
    }
    if (!parameters.SAMLRequest || !poolId) throw new FederationFailure('The request carries no SAML logout message Gatehouse can place.');
    const candidates = (await this.providers.all(poolId)).filter((document) => document.body.ProviderType === 'SAML' && document.body.details.IDPSignout === 'true');
    for (const candidate of candidates) {
      const provider = await this.providers.forSignIn(poolId, candidate.key);
      const message = provider && (await (await loadSaml()).readLogoutMessage(await this.serviceProvider(provider, origin, 'logout'), parameters).catch(() => undefined));
      if (message?.kind === 'request') return { redirect: message.responseUrl, endsSession: true };
    }
    throw new FederationFailure('The logout request comes from no SAML identity provider of the pool that signs out with it.');
  }

  private async idpInitiated(relayState: string | undefined, hostPool: string | undefined, origin: string): Promise<FlowState> {
    const parameters = Object.fromEntries(new URLSearchParams(relayState ?? '')) as AuthorizeParameters & { idp_identifier?: string };
    if (!parameters.client_id) throw new FederationFailure('The SAML response answers no sign-in that Gatehouse started, and its RelayState names no app client.');
    let checked;
    try {
      checked = await this.authorizations.check(parameters, hostPool);
    } catch (error) {
      throw new FederationFailure(`The RelayState is not a valid authorize request: ${(error as Error).message}`);
    }
    const provider = await this.chosen(checked.client, parameters).catch((error: Error) => {
      throw new FederationFailure(error.message, checked.request);
    });
    if (!provider || provider.type !== 'SAML') throw new FederationFailure('The RelayState names no SAML identity provider of the client.', checked.request);
    if (provider.details.IDPInit !== 'true') throw new FederationFailure(`The identity provider ${provider.name} does not allow IdP-initiated sign-in.`, checked.request);
    return { authorization: checked.request, provider: provider.name, nonce: '', origin };
  }

  /** An assertion signs in once: its ID is claimed, on every node at once, until it expires. */
  private async claimAssertion(provider: IdentityProvider, assertion: SamlAssertion): Promise<boolean> {
    const now = this.clock.now();
    const id = `saml:${createHash('sha256').update(`${provider.poolId}\n${provider.name}\n${assertion.assertionId}`).digest('base64url')}`;
    return this.storage.authSessions.claim({ id, poolId: provider.poolId, clientId: '', sub: '', challenge: ASSERTION_CHALLENGE, state: {}, expiresAt: Math.max(assertion.notOnOrAfter, now + 60_000) }, now);
  }

  private async flowOf(state: string | undefined): Promise<FlowState> {
    const session = state ? await this.storage.authSessions.consume(flowKey(state), this.clock.now()) : undefined;
    if (!session || session.challenge !== FLOW_CHALLENGE) throw new FederationFailure('The sign-in at the identity provider is unknown, used or expired. Sign in again.');
    return session.state as unknown as FlowState;
  }

  private async providerOf(flow: FlowState): Promise<IdentityProvider> {
    const client = await this.clientOf(flow.authorization);
    const provider = await this.providers.forSignIn(client.poolId, flow.provider);
    if (!provider) throw new FederationFailure(`The identity provider ${flow.provider} no longer exists.`, flow.authorization);
    return provider;
  }

  private async clientOf(authorization: AuthorizationRequest): Promise<AppClient> {
    return this.authorizations.oauthClient(authorization.clientId).catch(() => {
      throw new FederationFailure('The app client no longer exists.');
    });
  }

  /**
   * The pool as a SAML service provider to this IdP. AuthnRequests are signed when the provider asks
   * for it (RequestSigningAlgorithm, or its metadata); logout messages always are, as SAML requires.
   */
  private async serviceProvider(provider: IdentityProvider, origin: string, purpose: 'sign-in' | 'logout' = 'sign-in'): Promise<SamlServiceProvider> {
    const sign = purpose === 'logout' || provider.details.RequestSigningAlgorithm === 'rsa-sha256' || provider.saml!.metadata.wantAuthnRequestsSigned;
    const signing = sign ? await this.samlKeys.current(provider.poolId) : undefined;
    return {
      ...baseServiceProvider(provider.poolId, origin),
      metadata: provider.saml!.metadata,
      ...(signing && { signing }),
      ...(provider.saml!.encryption && { decryption: provider.saml!.encryption }),
      allowIdpInitiated: provider.details.IDPInit === 'true',
      now: this.clock.now(),
    };
  }
}

const baseServiceProvider = (poolId: string, origin: string) => ({
  poolId,
  entityId: `urn:amazon:cognito:sp:${poolId}`,
  acsUrl: `${origin}/saml2/idpresponse`,
  logoutUrl: `${origin}/saml2/logout`,
});

const flowKey = (state: string) => `idp:${createHash('sha256').update(state).digest('base64url')}`;

/** A provider's or a trigger's refusal, told to the app on its redirect URI. */
function samlFailure(error: unknown): never {
  if (error instanceof SamlError) throw new FederationFailure(`The SAML logout message is not valid: ${(error as Error).message}`);
  throw error;
}

function rethrowAs(authorization: AuthorizationRequest) {
  return (error: unknown): never => {
    if (error instanceof UpstreamError || error instanceof SamlError || error instanceof CognitoError) throw new FederationFailure((error as Error).message, authorization);
    throw error;
  };
}
