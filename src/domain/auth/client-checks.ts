import { createHmac, timingSafeEqual } from 'node:crypto';
import { primarySecret, type AppClient } from '../clients/app-clients.js';
import { authFlowsOf } from '../clients/client-settings.js';
import { invalidParameter, notAuthorized } from '../errors.js';

/** How Cognito words a SECRET_HASH failure: the original message, or the one its refresh path gives. */
export type SecretHashWording = 'classic' | 'refresh';

/** SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)). */
const secretHashBytes = (secret: string, client: AppClient, username: string): Buffer => createHmac('sha256', secret).update(username + client.clientId).digest();

/**
 * The SECRET_HASH a call for this username must carry, for Gatehouse's own pages, which hold the
 * client secret and so call the domain as the app would; undefined for a client without a secret.
 */
export function secretHashFor(client: AppClient, username: string): string | undefined {
  const secret = primarySecret(client);
  return secret === undefined ? undefined : secretHashBytes(secret, client, username).toString('base64');
}

/** The SECRET_HASH checked in constant time against each of the client's secrets (two while one replaces the other). */
export function checkSecretHash(client: AppClient, username: string, secretHash: string | undefined, wording: SecretHashWording = 'classic'): void {
  if (client.secrets.length === 0) return;
  const given = Buffer.from(secretHash ?? '', 'base64');
  const matched = anySecret(client, (secret) => {
    const expected = secretHashBytes(secret, client, username);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (secretHash !== undefined && matched) return;
  if (wording === 'classic') throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
  throw notAuthorized(
    secretHash === undefined
      ? `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`
      : `SecretHash does not match for the client: ${client.clientId}`,
  );
}

/** Whether a client secret given in the clear is the expected one, compared in constant time. */
export function secretMatches(expected: string, secret: string | undefined): boolean {
  const wanted = Buffer.from(expected);
  const given = Buffer.from(secret ?? '');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Whether a secret given in the clear is one of the client's, each compared in constant time. */
export function isClientSecret(client: AppClient, secret: string | undefined): boolean {
  return anySecret(client, (value) => secretMatches(value, secret));
}

/** Whether `matches` holds for one of the client's secrets: every one is tried, so the time does not tell which. */
function anySecret(client: AppClient, matches: (secret: string) => boolean): boolean {
  let matched = false;
  for (const { value } of client.secrets) matched = matches(value) || matched;
  return matched;
}

/** A client secret given in the clear (RevokeToken, GetTokensFromRefreshToken); a client without one takes any. */
export function checkClientSecret(client: AppClient, secret: string | undefined): void {
  if (client.secrets.length === 0 || isClientSecret(client, secret)) return;
  throw notAuthorized(`Unable to verify secret for client ${client.clientId}`);
}

/** Which ExplicitAuthFlows entries (new ALLOW_ names or legacy names) enable each API flow. */
const ENABLING_FLOWS: Record<string, readonly string[]> = {
  USER_PASSWORD_AUTH: ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'],
  USER_SRP_AUTH: ['ALLOW_USER_SRP_AUTH'],
  ADMIN_USER_PASSWORD_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  ADMIN_NO_SRP_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  REFRESH_TOKEN_AUTH: ['ALLOW_REFRESH_TOKEN_AUTH'],
  REFRESH_TOKEN: ['ALLOW_REFRESH_TOKEN_AUTH'],
  CUSTOM_AUTH: ['ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY'],
  USER_AUTH: ['ALLOW_USER_AUTH'],
};

/** Refused as Cognito refuses a flow the client's ExplicitAuthFlows does not allow. */
export function checkFlowAllowed(client: AppClient, flow: string): void {
  const settings = client.settings;
  // A rotating client refreshes only through GetTokensFromRefreshToken, as Cognito requires.
  if (flow.startsWith('REFRESH_TOKEN') && settings.RefreshTokenRotation?.Feature === 'ENABLED') {
    throw invalidParameter('Auth flow not enabled for this client');
  }
  const allowed = authFlowsOf(settings);
  const legacyOnly = allowed.every((name) => !name.startsWith('ALLOW_'));
  // Clients configured with legacy names only can always refresh and use SRP, as before ALLOW_ names existed.
  if ((flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN' || flow === 'USER_SRP_AUTH') && legacyOnly) return;
  if (!(ENABLING_FLOWS[flow] ?? []).some((name) => allowed.includes(name))) {
    throw invalidParameter(flow === 'USER_PASSWORD_AUTH' ? 'USER_PASSWORD_AUTH flow not enabled for this client' : 'Auth flow not enabled for this client');
  }
}
