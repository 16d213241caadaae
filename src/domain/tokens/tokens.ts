import type { SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { createHash, createPublicKey, randomBytes, randomUUID, type JsonWebKey, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { Clock } from '../../clock.js';
import type { KeyPurpose, Storage, TokenFamilyRecord, UserRecord } from '../../storage/types.js';
import { CognitoError, notAuthorized, resourceNotFound } from '../errors.js';
import type { AppClient } from '../clients/app-clients.js';
import { tokenValiditySeconds } from '../clients/client-settings.js';
import type { Issuers } from '../keys/issuers.js';
import type { SecretBox } from '../keys/secret-box.js';
import { openPrivateKey } from '../keys/signing-keys.js';
import { groupClaims } from '../groups/group-claims.js';
import type { PoolReplicas } from '../pools/replicas.js';
import type { Pool } from '../pools/user-pools.js';
import { readableAttributes } from '../users/user-attributes.js';
import { IDENTITIES_ATTRIBUTE, identitiesClaim } from '../federation/linked-identities.js';
import type { Caller } from '../triggers/caller.js';
import { eventAttributes } from '../triggers/event-attributes.js';
import { preTokenVersionOf } from '../triggers/lambda-config.js';
import type { Triggers } from '../triggers/triggers.js';
import type { UserSessions } from '../sessions/user-sessions.js';
import { decodeJws, JwtExpired, JwtInvalid, verifyRs256, type DecodedJws } from './jwt-verify.js';
import { applyCustomization, groupConfiguration, type CustomizableClaims } from './token-customization.js';

/** The scope that lets an access token call the user's own API operations (GetUser, ChangePassword, …). */
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/** What client_credentials and GetClientToken answer: an access token only. */
export interface ClientToken {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

export interface IssuedTokens {
  AccessToken: string;
  /** Absent only for OAuth sign-ins without the openid scope. */
  IdToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  RefreshToken?: string;
}

interface PoolKeys {
  signing: Map<KeyPurpose, { kid: string; key: KeyObject }>;
  verifying: Map<string, KeyObject>;
}

/** An access token that verified, with the family it belongs to. */
export interface VerifiedAccessToken {
  claims: JWTPayload & { sub: string; client_id: string; origin_jti: string; username: string };
  family: TokenFamilyRecord;
  /** The user the family belongs to, read with it; none once deleted. */
  holder: UserRecord | undefined;
}

/** Why tokens are minted, as the pre token generation trigger hears it. */
export interface TokenGeneration {
  /** The TokenGeneration_ trigger source's suffix. */
  source: 'Authentication' | 'NewPasswordChallenge' | 'AuthenticateDevice' | 'RefreshTokens' | 'HostedAuth' | 'ClientCredentials';
  caller: Caller;
  /** The relying party's nonce, copied into the ID token of an OAuth sign-in (never a refresh). */
  nonce?: string;
  /**
   * Where a sign-in came from: one that says starts a token session on a pool that tracks them. An
   * implicit grant, which hands out no refresh token, says nothing and starts none.
   */
  sourceIp?: string | null;
}

/** What an OAuth sign-in grants: the scopes every token of the family carries. */
export interface OAuthGrant {
  scopes: string[];
}

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/**
 * Mints Cognito's ID and access tokens (RS256, the pool's keys, Cognito's claims) and opaque
 * refresh tokens, and checks access tokens presented to the API.
 */
export class Tokens {
  /** Signing keys never change once a pool exists, so every node may keep them. */
  private readonly keys = new Map<string, Promise<PoolKeys>>();

  constructor(
    private readonly storage: Storage,
    private readonly issuers: Issuers,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
    private readonly triggers: Triggers,
    private readonly sessions: UserSessions,
    private readonly replicas: PoolReplicas,
  ) {}

  /** A new sign-in: a new token family with a refresh token, and the first access and ID tokens. */
  async signIn(pool: Pool, client: AppClient, user: UserRecord, deviceKey: string | null, generation: TokenGeneration, grant?: OAuthGrant, authTime?: number): Promise<IssuedTokens> {
    const refreshToken = randomBytes(48).toString('base64url');
    const now = this.clock.now();
    const family: TokenFamilyRecord = {
      originJti: randomUUID(),
      poolId: pool.id,
      clientId: client.clientId,
      sub: user.sub,
      refreshHash: hashRefreshToken(refreshToken),
      deviceKey,
      // A sign-in the managed login session carried over keeps the time the user actually signed in.
      authTime: authTime ?? now,
      expiresAt: now + tokenValiditySeconds(client.settings, 'RefreshToken') * 1000,
      revoked: false,
      previousRefreshHash: null,
      previousValidUntil: null,
      scopes: grant?.scopes ?? null,
    };
    await this.storage.tokenFamilies.insert(family);
    if (generation.sourceIp !== undefined) await this.sessions.started(pool, family, { sourceIp: generation.sourceIp, caller: generation.caller });
    return { ...(await this.mint(pool, client, user, family, generation)), RefreshToken: refreshToken };
  }

  /** GlobalSignOut: every refresh token of the user, and every access token minted from them. */
  signOutEverywhere(poolId: string, sub: string): Promise<void> {
    return this.storage.tokenFamilies.revokeAllForUser(poolId, sub);
  }

  /**
   * RevokeToken: one refresh token and the access tokens minted from it. An unknown or already
   * revoked token is not an error, as at Cognito's revocation endpoint.
   */
  async revokeRefreshToken(refreshToken: string, client: AppClient): Promise<void> {
    const family = await this.storage.tokenFamilies.getByRefreshHash(hashRefreshToken(refreshToken));
    if (!family) return;
    if (family.clientId !== client.clientId) throw notAuthorized('Invalid Refresh Token');
    await this.storage.tokenFamilies.revoke(family.originJti);
  }

  /** The family a refresh token belongs to, if it is live and was issued to this client. */
  async familyOfRefreshToken(refreshToken: string, client: AppClient): Promise<TokenFamilyRecord> {
    const hash = hashRefreshToken(refreshToken);
    const family = await this.storage.tokenFamilies.getByRefreshHash(hash);
    if (!family || family.clientId !== client.clientId || family.poolId !== client.poolId) throw notAuthorized('Invalid Refresh Token');
    if (family.revoked) throw notAuthorized('Refresh Token has been revoked');
    const now = this.clock.now();
    if (family.expiresAt <= now) throw notAuthorized('Refresh Token has expired');
    if (family.refreshHash !== hash && (family.previousValidUntil ?? 0) < now) {
      throw new CognitoError('RefreshTokenReuseException', 'Refresh token has already been used.');
    }
    return family;
  }

  /**
   * Refresh-token rotation: a new refresh token replaces the current one; the token the caller
   * presented stays usable for the client's retry grace period, in case the answer was lost.
   */
  async rotateRefreshToken(family: TokenFamilyRecord, presented: string, graceSeconds: number): Promise<string> {
    const next = randomBytes(48).toString('base64url');
    const presentedHash = hashRefreshToken(presented);
    const replacingCurrent = presentedHash === family.refreshHash;
    const rotated = await this.storage.tokenFamilies.rotate(family.originJti, family.refreshHash, {
      refreshHash: hashRefreshToken(next),
      previousRefreshHash: replacingCurrent ? presentedHash : family.previousRefreshHash,
      previousValidUntil: replacingCurrent ? this.clock.now() + graceSeconds * 1000 : family.previousValidUntil,
    });
    // Another node rotated this family first: the presented token is now the previous one.
    if (!rotated) throw notAuthorized('Invalid Refresh Token');
    return next;
  }

  /** New access and ID tokens in an existing family (a refresh): same origin_jti and auth_time. */
  async mint(pool: Pool, client: AppClient, user: UserRecord, family: TokenFamilyRecord, generation: TokenGeneration): Promise<IssuedTokens> {
    // Groups are read at every mint, so a membership change shows in the next tokens issued.
    const [sign, groups] = await Promise.all([this.signer(pool.id), this.storage.groups.allForUser(pool.id, user.sub)]);
    const settings = client.settings;
    const groupsClaims = groupClaims(groups);
    // Tokens of an OAuth sign-in carry its scopes, an ID token only with openid; the API's always carry both.
    const oauth = family.scopes !== null;
    const claims = await this.customized(pool, { name: user.username, user }, generation, {
      id: { ...idTokenAttributes(user, pool.settings.SchemaAttributes ?? [], settings.ReadAttributes), ...groupsClaims.id },
      access: groupsClaims.access,
      scopes: family.scopes ?? [ADMIN_SCOPE],
    });
    const accessLifetime = tokenValiditySeconds(settings, 'AccessToken');
    const common = {
      sub: user.sub,
      origin_jti: family.originJti,
      event_id: randomUUID(),
      auth_time: Math.floor(family.authTime / 1000),
    };
    const AccessToken = await sign(
      {
        ...claims.access,
        ...common,
        token_use: 'access',
        scope: claims.scopes.join(' '),
        client_id: client.clientId,
        username: user.username,
        ...(family.deviceKey && { device_key: family.deviceKey }),
        ...(oauth && { version: 2 }),
      },
      'access',
      accessLifetime,
    );
    if (oauth && !family.scopes!.includes('openid')) return { AccessToken, ExpiresIn: accessLifetime, TokenType: 'Bearer' };
    const IdToken = await sign(
      {
        ...claims.id,
        ...common,
        aud: client.clientId,
        token_use: 'id',
        'cognito:username': user.username,
        ...(oauth && { at_hash: accessTokenHash(AccessToken) }),
        ...(generation.nonce !== undefined && { nonce: generation.nonce }),
      },
      'id',
      tokenValiditySeconds(settings, 'IdToken'),
    );
    return { AccessToken, IdToken, ExpiresIn: accessLifetime, TokenType: 'Bearer' };
  }

  /**
   * A machine-to-machine access token (client_credentials, GetClientToken): the client is its own
   * subject, the scopes are custom ones, and there is no ID or refresh token.
   */
  async clientToken(pool: Pool, client: AppClient, scopes: string[], caller: Caller): Promise<ClientToken> {
    const sign = await this.signer(pool.id);
    const claims = await this.customized(pool, { name: client.clientId }, { source: 'ClientCredentials', caller }, { id: {}, access: {}, scopes });
    const lifetime = tokenValiditySeconds(client.settings, 'AccessToken');
    const AccessToken = await sign(
      {
        ...claims.access,
        sub: client.clientId,
        token_use: 'access',
        scope: claims.scopes.join(' '),
        auth_time: Math.floor(this.clock.now() / 1000),
        client_id: client.clientId,
        version: 2,
      },
      'access',
      lifetime,
    );
    return { AccessToken, ExpiresIn: lifetime, TokenType: 'Bearer' };
  }

  /** Signs claims with one of the pool's keys, as the pool's issuer, from now for `lifetime` seconds. */
  private async signer(poolId: string): Promise<(claims: Record<string, unknown>, purpose: KeyPurpose, lifetime: number) => Promise<string>> {
    const [keys, view] = await Promise.all([this.poolKeys(poolId), this.replicas.view(poolId)]);
    const issuer = this.issuers.issuer(poolId, view.issuerBase);
    const now = Math.floor(this.clock.now() / 1000);
    return (claims, purpose, lifetime) => {
      const { kid, key } = keys.signing.get(purpose)!;
      return new SignJWT({ ...claims, jti: randomUUID() })
        .setProtectedHeader({ kid, alg: 'RS256' })
        .setIssuer(issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(key);
    };
  }

  /**
   * The claims as the pool's pre token generation function shapes them, when it has one. Tokens
   * for a client rather than a user reach only a version 3 function, as in Cognito.
   */
  private async customized(pool: Pool, subject: { name: string; user?: UserRecord }, generation: TokenGeneration, claims: CustomizableClaims): Promise<CustomizableClaims> {
    if (!this.triggers.has(pool, 'PreTokenGeneration')) return claims;
    const version = { V1_0: '1', V2_0: '2', V3_0: '3' }[preTokenVersionOf(pool.settings.LambdaConfig)];
    if (!subject.user && version !== '3') return claims;
    const response = await this.triggers.run(pool, {
      trigger: 'PreTokenGeneration',
      source: `TokenGeneration_${generation.source}`,
      userName: subject.name,
      caller: generation.caller,
      version,
      request: {
        userAttributes: subject.user ? eventAttributes(subject.user) : {},
        groupConfiguration: groupConfiguration(claims.id),
        ...(version !== '1' && { scopes: claims.scopes }),
        clientMetadata: generation.caller.clientMetadata ?? {},
      },
      response: version === '1' ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
    });
    return applyCustomization(version, response ?? {}, claims);
  }

  /**
   * Checks an access token as Cognito's API does: signature by the pool's access key, expiry,
   * token_use, and that its sign-in was not signed out or revoked.
   */
  async verifyAccessToken(token: string): Promise<VerifiedAccessToken> {
    const { poolId, payload } = await this.signedAccessToken(token);
    if (payload.token_use !== 'access' || typeof payload.origin_jti !== 'string' || typeof payload.sub !== 'string') {
      throw notAuthorized('Invalid Access Token');
    }
    const found = await this.storage.tokenFamilies.getWithHolder(payload.origin_jti);
    const family = found?.family;
    if (!family || family.poolId !== poolId || family.sub !== payload.sub) throw notAuthorized('Invalid Access Token');
    if (family.revoked) throw notAuthorized('Access Token has been revoked');
    return { claims: payload as VerifiedAccessToken['claims'], family, holder: found.holder };
  }

  /** The pool whose key signed a token that has not expired, or undefined: no database read beyond the (cached) keys. */
  async poolOfSignedToken(token: string): Promise<string | undefined> {
    return (await this.signedAccessToken(token).catch(() => undefined))?.poolId;
  }

  /** A token's signature, issuer and expiry checked against its pool's keys. */
  private async signedAccessToken(token: string): Promise<{ poolId: string; payload: Record<string, unknown> }> {
    const jws = decodedOrUndefined(token);
    const poolId = jws && poolIdOf(jws.claims);
    if (!jws || !poolId) throw notAuthorized('Invalid Access Token');
    // A region that does not serve the pool knows no such pool; the token stays good where it is served.
    const view = await this.replicas.view(poolId);
    if (!view.served) throw resourceNotFound(`User pool ${poolId} does not exist.`);
    // No keys (no such pool) makes the token invalid; keys that cannot be read (the database is
    // down) are the server's failure, and must not tell the client to throw good tokens away.
    const keys = await this.poolKeys(poolId).catch((error: unknown) => {
      if (error instanceof NoSigningKeys) return undefined;
      throw error;
    });
    if (!keys) throw notAuthorized('Invalid Access Token');
    let payload: Record<string, unknown>;
    try {
      payload = verifyRs256(jws, (kid) => keys.verifying.get(kid), { issuer: this.issuers.issuer(poolId, view.issuerBase), now: Math.floor(this.clock.now() / 1000) });
    } catch (error) {
      if (error instanceof JwtExpired) throw notAuthorized('Access Token has expired');
      if (error instanceof JwtInvalid) throw notAuthorized('Invalid Access Token');
      throw error;
    }
    return { poolId, payload };
  }

  private poolKeys(poolId: string): Promise<PoolKeys> {
    let keys = this.keys.get(poolId);
    if (!keys) {
      keys = this.loadKeys(poolId);
      this.keys.set(poolId, keys);
      keys.catch(() => this.keys.delete(poolId));
    }
    return keys;
  }

  private async loadKeys(poolId: string): Promise<PoolKeys> {
    const records = await this.storage.signingKeys.listForPool(poolId);
    if (records.length === 0) throw new NoSigningKeys(`no signing keys for pool ${poolId}`);
    const signing = new Map<KeyPurpose, { kid: string; key: KeyObject }>();
    const verifying = new Map<string, KeyObject>();
    for (const record of records) {
      signing.set(record.purpose, { kid: record.kid, key: openPrivateKey(record, this.secretBox) });
      verifying.set(record.kid, createPublicKey({ key: record.publicJwk as JsonWebKey, format: 'jwk' }));
    }
    return { signing, verifying };
  }
}

/** OIDC's at_hash for RS256: the left half of the access token's SHA-256, base64url. */
const accessTokenHash = (accessToken: string): string => createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');

/** The pool has no signing keys: it does not exist (any more). */
class NoSigningKeys extends Error {}

const decodedOrUndefined = (token: string): DecodedJws | undefined => {
  try {
    return decodeJws(token);
  } catch {
    return undefined;
  }
};

/** The pool an access token names, unverified: which pool's limits would apply before paying for its check. */
export const unverifiedPoolOf = (token: string): string | undefined => {
  const jws = decodedOrUndefined(token);
  return jws && poolIdOf(jws.claims);
};

/** The pool id from an unverified token's issuer, to know which keys to check it with. */
function poolIdOf(claims: Record<string, unknown>): string | undefined {
  if (typeof claims.iss !== 'string') return undefined;
  const poolId = claims.iss.slice(claims.iss.lastIndexOf('/') + 1);
  return /^[\w-]+_[0-9a-zA-Z]+$/.test(poolId) ? poolId : undefined;
}

/** The ID token carries the readable attributes; *_verified as booleans, everything else as strings. */
function idTokenAttributes(user: UserRecord, schema: SchemaAttributeType[], readAttributes?: string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const { Name, Value } of readableAttributes(new Map(Object.entries(user.attributes)), readAttributes)) {
    if (!Name || Name === 'sub' || Name === IDENTITIES_ATTRIBUTE || Value === undefined) continue;
    const type = schema.find((attribute) => attribute.Name === Name)?.AttributeDataType;
    // The standard flags (email_verified, phone_number_verified) are JSON booleans; custom attributes are always strings.
    claims[Name] = type === 'Boolean' && !Name.startsWith('custom:') ? Value === 'true' : Value;
  }
  // A federated (or linked) user's identities, parsed, whatever the client may read: relying parties tell federated users by them.
  const identities = identitiesClaim(user);
  if (identities) claims.identities = identities;
  return claims;
}
