import type { AuthenticatorTransport, RegistrationResponseJSON, AuthenticationResponseJSON } from '@simplewebauthn/server';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { Storage, UserRecord } from '../../storage/types.js';
import { CognitoError, invalidParameter, notAuthorized, resourceNotFound } from '../errors.js';
import type { UserPoolDomains } from '../managed-login/domains.js';
import type { Wire } from '../wire.js';
import type { PoolContext, Users } from '../users/users.js';
import { allowsFirstFactor } from '../pools/pool-settings.js';
import type { WebAuthnCredentialDescription } from '@aws-sdk/client-cognito-identity-provider';
import { INCORRECT_PASSWORD } from '../auth/sign-in.js';

/** A passkey as kept with its user: the public key and its counter, never anything secret. */
export interface StoredPasskey {
  id: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  attachment?: string;
  rpId: string;
  name: string;
  createdAt: number;
}

/** Cognito's limit of passkeys per user. */
const MAX_PASSKEYS = 20;
/** How long a registration or sign-in challenge may be answered. */
export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
const REGISTRATION = 'WEBAUTHN_REGISTRATION';

export const passkeysOf = (user: Pick<UserRecord, 'settings'>): StoredPasskey[] => (user.settings.passkeys as StoredPasskey[] | undefined) ?? [];

let loading: Promise<typeof import('@simplewebauthn/server')> | undefined;
/** The WebAuthn library, imported on first use: it costs a server start about a third of a second that pools without passkeys never need. */
const webauthn = () => (loading ??= import('@simplewebauthn/server'));

const webAuthnError = (type: string, message: string) => new CognitoError(type, message);

/**
 * Passkeys: registration (StartWebAuthnRegistration / CompleteWebAuthnRegistration), the user's list,
 * and the assertion a WEB_AUTHN sign-in answers with — verified by @simplewebauthn/server: origin,
 * relying party, challenge, user verification and a signature counter that only moves forward.
 */
export class Passkeys {
  constructor(
    private readonly storage: Storage,
    private readonly users: Users,
    private readonly domains: UserPoolDomains,
    private readonly clock: Clock,
  ) {}

  /** Passkeys sign in only where the pool offers them as a first factor. */
  enabled(context: PoolContext): boolean {
    return allowsFirstFactor(context.settings, 'WEB_AUTHN');
  }

  /** The relying party: the configured id, else the pool's custom domain, else its prefix domain. */
  async relyingParty(context: PoolContext): Promise<{ id: string; userVerification: 'required' | 'preferred' }> {
    const configured = context.settings.WebAuthnConfiguration;
    const names = await this.domains.namesOf(context.pool.id);
    const id = configured?.RelyingPartyId ?? names.CustomDomain ?? names.Domain;
    if (!id) throw webAuthnError('WebAuthnConfigurationMissingException', 'The user pool has no relying party ID for passkeys: set WebAuthnConfiguration.RelyingPartyId or add a domain.');
    return { id, userVerification: configured?.UserVerification === 'required' ? 'required' : 'preferred' };
  }

  async startRegistration(user: UserRecord, clientId: string): Promise<Record<string, unknown>> {
    const context = await this.users.poolContext(user.poolId);
    if (!this.enabled(context)) throw webAuthnError('WebAuthnNotEnabledException', 'Passkeys are not enabled for the user pool.');
    const existing = passkeysOf(user);
    if (existing.length >= MAX_PASSKEYS) throw new CognitoError('LimitExceededException', `A user can register at most ${MAX_PASSKEYS} passkeys.`);
    const rp = await this.relyingParty(context);
    const options = await (await webauthn()).generateRegistrationOptions({
      rpName: context.pool.name,
      rpID: rp.id,
      userName: user.username,
      userID: new TextEncoder().encode(user.sub),
      userDisplayName: user.attributes.name ?? user.username,
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: passkey.transports as AuthenticatorTransport[] })),
      authenticatorSelection: { residentKey: 'required', userVerification: rp.userVerification },
      timeout: CHALLENGE_LIFETIME_MS,
    });
    const now = this.clock.now();
    await this.storage.authSessions.insert(
      { id: registrationKey(user), poolId: user.poolId, clientId, sub: user.sub, challenge: REGISTRATION, state: { challenge: options.challenge, rpId: rp.id }, expiresAt: now + CHALLENGE_LIFETIME_MS },
      now,
    );
    return options as unknown as Record<string, unknown>;
  }

  async completeRegistration(user: UserRecord, clientId: string, credential: unknown): Promise<void> {
    const context = await this.users.poolContext(user.poolId);
    if (!this.enabled(context)) throw webAuthnError('WebAuthnNotEnabledException', 'Passkeys are not enabled for the user pool.');
    const started = await this.storage.authSessions.consume(registrationKey(user), this.clock.now());
    if (!started || started.challenge !== REGISTRATION) throw webAuthnError('WebAuthnChallengeNotFoundException', 'The passkey registration challenge was not found or has expired. Start the registration again.');
    if (started.clientId !== clientId) throw webAuthnError('WebAuthnClientMismatchException', 'The passkey registration was started by another app client.');
    const { challenge, rpId } = started.state as { challenge: string; rpId: string };
    const response = credential as RegistrationResponseJSON;
    const origin = checkedOrigin(response?.response?.clientDataJSON, rpId);
    const rp = await this.relyingParty(context);
    let verification;
    try {
      verification = await (await webauthn()).verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId, requireUserVerification: rp.userVerification === 'required' });
    } catch (error) {
      throw registrationProblem(error);
    }
    if (!verification.verified || !verification.registrationInfo) throw webAuthnError('WebAuthnCredentialNotSupportedException', 'The passkey could not be verified.');
    const { credential: made, credentialDeviceType } = verification.registrationInfo;
    const passkey: StoredPasskey = {
      id: made.id,
      publicKey: Buffer.from(made.publicKey).toString('base64url'),
      counter: made.counter,
      transports: made.transports ?? response.response.transports ?? [],
      ...(response.authenticatorAttachment && { attachment: response.authenticatorAttachment }),
      rpId,
      name: `${credentialDeviceType === 'multiDevice' ? 'Synced passkey' : 'Passkey'} ${new Date(this.clock.now()).toISOString().slice(0, 10)}`,
      createdAt: this.clock.now(),
    };
    await this.users.update(context, user, (current) => {
      const passkeys = passkeysOf(current);
      if (passkeys.some((other) => other.id === passkey.id)) throw invalidParameter('This passkey is already registered.');
      if (passkeys.length >= MAX_PASSKEYS) throw new CognitoError('LimitExceededException', `A user can register at most ${MAX_PASSKEYS} passkeys.`);
      return { ...current, settings: { ...current.settings, passkeys: [...passkeys, passkey] } };
    });
  }

  /** ListWebAuthnCredentials: in registration order, `after` the id a previous page ended on. */
  list(user: UserRecord, limit: number, after?: string): { items: Wire<WebAuthnCredentialDescription>[]; nextKey?: string } {
    const all = passkeysOf(user);
    const start = after === undefined ? 0 : all.findIndex((passkey) => passkey.id === after) + 1;
    const items = all.slice(start, start + limit);
    const nextKey = start + limit < all.length ? items.at(-1)?.id : undefined;
    return { items: items.map(describePasskey), ...(nextKey && { nextKey }) };
  }

  async delete(user: UserRecord, credentialId: string): Promise<void> {
    if (!passkeysOf(user).some((passkey) => passkey.id === credentialId)) throw resourceNotFound('The passkey was not found.');
    const context = await this.users.poolContext(user.poolId);
    await this.users.update(context, user, (current) => ({ ...current, settings: { ...current.settings, passkeys: passkeysOf(current).filter((passkey) => passkey.id !== credentialId) } }));
  }

  /** What a WEB_AUTHN challenge hands the client: PublicKeyCredentialRequestOptions for the user's passkeys. */
  async assertionOptions(context: PoolContext, user: UserRecord): Promise<{ options: Record<string, unknown>; challenge: string; rpId: string }> {
    const rp = await this.relyingParty(context);
    const options = await (await webauthn()).generateAuthenticationOptions({
      rpID: rp.id,
      allowCredentials: passkeysOf(user).map((passkey) => ({ id: passkey.id, transports: passkey.transports as AuthenticatorTransport[] })),
      userVerification: rp.userVerification,
      timeout: CHALLENGE_LIFETIME_MS,
    });
    return { options: options as unknown as Record<string, unknown>, challenge: options.challenge, rpId: rp.id };
  }

  /**
   * A WEB_AUTHN answer: an assertion by one of the user's passkeys over the challenge Gatehouse
   * issued; its counter is written, so an assertion replayed or cloned with an older count fails.
   */
  async verifyAssertion(context: PoolContext, user: UserRecord, credentialJson: string, expected: { challenge: string; rpId: string }): Promise<{ user: UserRecord; userVerified: boolean }> {
    let response: AuthenticationResponseJSON;
    try {
      response = JSON.parse(credentialJson) as AuthenticationResponseJSON;
    } catch {
      throw invalidParameter('CREDENTIAL must be the JSON of a WebAuthn assertion.');
    }
    const passkey = passkeysOf(user).find((candidate) => candidate.id === response?.id);
    if (!passkey) throw notAuthorized(INCORRECT_PASSWORD);
    const origin = checkedOrigin(response.response?.clientDataJSON, expected.rpId);
    const rp = await this.relyingParty(context);
    let newCounter: number;
    let userVerified: boolean;
    try {
      const verification = await (await webauthn()).verifyAuthenticationResponse({
        response,
        expectedChallenge: expected.challenge,
        expectedOrigin: origin,
        expectedRPID: expected.rpId,
        credential: { id: passkey.id, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: passkey.counter, transports: passkey.transports as AuthenticatorTransport[] },
        requireUserVerification: rp.userVerification === 'required',
      });
      if (!verification.verified) throw new Error('not verified');
      ({ newCounter, userVerified } = verification.authenticationInfo);
    } catch {
      throw notAuthorized(INCORRECT_PASSWORD);
    }
    const updated = await this.users.update(context, user, (current) => {
      const passkeys = passkeysOf(current);
      const stored = passkeys.find((candidate) => candidate.id === passkey.id);
      // Another sign-in with this passkey got here first with a count at least as high: this one is a replay or a clone.
      if (!stored || (newCounter !== 0 && newCounter <= stored.counter)) throw notAuthorized(INCORRECT_PASSWORD);
      return { ...current, settings: { ...current.settings, passkeys: passkeys.map((candidate) => (candidate.id === passkey.id ? { ...candidate, counter: newCounter } : candidate)) } };
    });
    return { user: updated, userVerified };
  }
}

const registrationKey = (user: UserRecord) => `webauthn-registration:${user.poolId}:${user.sub}`;

const describePasskey = (passkey: StoredPasskey): Wire<WebAuthnCredentialDescription> => ({
  CredentialId: passkey.id,
  FriendlyCredentialName: passkey.name,
  RelyingPartyId: passkey.rpId,
  ...(passkey.attachment && { AuthenticatorAttachment: passkey.attachment }),
  AuthenticatorTransports: passkey.transports,
  CreatedAt: toEpochSeconds(passkey.createdAt),
});

/**
 * The origin the browser says it was on, if the relying party allows it: the RP id's own host or a
 * subdomain, over https (http only for localhost, as browsers allow).
 */
function checkedOrigin(clientDataJSON: unknown, rpId: string): string {
  let origin: string | undefined;
  try {
    origin = (JSON.parse(Buffer.from(String(clientDataJSON), 'base64url').toString('utf8')) as { origin?: string }).origin;
  } catch {
    throw invalidParameter('The credential has no readable clientDataJSON.');
  }
  let url: URL | undefined;
  try {
    url = origin ? new URL(origin) : undefined;
  } catch {
    url = undefined;
  }
  const local = url && ['localhost', '127.0.0.1'].includes(url.hostname);
  const sameSite = url && (url.hostname === rpId || url.hostname.endsWith(`.${rpId}`));
  if (!url || !sameSite || (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))) {
    throw webAuthnError('WebAuthnOriginNotAllowedException', `The origin ${origin ?? '(none)'} is not allowed for the relying party ${rpId}.`);
  }
  return origin!;
}

function registrationProblem(error: unknown): CognitoError {
  const message = (error as Error).message ?? String(error);
  if (/RP ID/i.test(message)) return webAuthnError('WebAuthnRelyingPartyMismatchException', 'The passkey was made for another relying party.');
  if (/challenge/i.test(message)) return webAuthnError('WebAuthnChallengeNotFoundException', 'The passkey answers another registration challenge.');
  return webAuthnError('WebAuthnCredentialNotSupportedException', `The passkey could not be registered: ${message}`);
}
