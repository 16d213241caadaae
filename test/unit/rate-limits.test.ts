import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CognitoError } from '../../src/domain/errors.js';
import type { AppClients } from '../../src/domain/clients/app-clients.js';
import type { ProvisionedLimits } from '../../src/domain/limits/provisioned-limits.js';
import { categoryLimiter, rateLimiter } from '../../src/http/rate-limits.js';

const throttled = async (run: () => void | Promise<void>): Promise<boolean> => {
  try {
    await run();
    return false;
  } catch (error) {
    assert.ok(error instanceof CognitoError && error.type === 'TooManyRequestsException', String(error));
    return true;
  }
};

/** Tokens naming pool A's issuer; only those with the signature `genuine` verify. */
const tokenOfA = (signature: string) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_A' })).toString('base64url')}.${signature}`;
const tokens = { poolOfSignedToken: async (token: string) => (token.endsWith('.genuine') ? 'us-east-1_A' : undefined) };

describe('rateLimiter', () => {
  it('allows a second of burst, then refills at the configured rate', async () => {
    let now = 0;
    const limit = rateLimiter({ perPoolPerOperation: 5, operations: {} }, tokens, () => now);
    const call = () => limit('AdminGetUser', { UserPoolId: 'us-east-1_A' });
    for (let i = 0; i < 5; i++) assert.equal(await throttled(call), false, `call ${i + 1}`);
    assert.equal(await throttled(call), true);
    now += 200; // one token back at 5 per second
    assert.equal(await throttled(call), false);
    assert.equal(await throttled(call), true);
  });

  it('keeps separate budgets per pool and per operation, and honours per-operation overrides', async () => {
    const limit = rateLimiter({ perPoolPerOperation: 1, operations: { ListUsers: 0, InitiateAuth: 2 } }, tokens, () => 0);
    await limit('AdminGetUser', { UserPoolId: 'us-east-1_A' });
    assert.equal(await throttled(() => limit('AdminGetUser', { UserPoolId: 'us-east-1_A' })), true);
    assert.equal(await throttled(() => limit('AdminGetUser', { UserPoolId: 'us-east-1_B' })), false);
    assert.equal(await throttled(() => limit('AdminCreateUser', { UserPoolId: 'us-east-1_A' })), false);
    for (let i = 0; i < 50; i++) await limit('ListUsers', { UserPoolId: 'us-east-1_A' });
    await limit('InitiateAuth', { ClientId: 'c1' });
    await limit('InitiateAuth', { ClientId: 'c1' });
    assert.equal(await throttled(() => limit('InitiateAuth', { ClientId: 'c1' })), true);
  });

  it('gives each of several workers its share', async () => {
    const limit = rateLimiter({ perPoolPerOperation: 10, operations: {} }, tokens, () => 0, 0.5);
    for (let i = 0; i < 5; i++) await limit('GetUser', { AccessToken: tokenOfA('genuine') });
    assert.equal(await throttled(() => limit('GetUser', { AccessToken: tokenOfA('genuine') })), true);
  });

  it('counts a token against the pool that signed it: forged ones naming the pool spend a budget of their own', async () => {
    const limit = rateLimiter({ perPoolPerOperation: 2, operations: {} }, tokens, () => 0);
    for (let i = 0; i < 2; i++) await limit('GetUser', { AccessToken: tokenOfA('forged') });
    assert.equal(await throttled(() => limit('GetUser', { AccessToken: tokenOfA('forged') })), true, 'forgeries share one budget');
    await limit('GetUser', { AccessToken: tokenOfA('genuine') });
    await limit('GetUser', { UserPoolId: 'us-east-1_A' });
    assert.equal(await throttled(() => limit('GetUser', { AccessToken: tokenOfA('genuine') })), true, 'a signed token and the pool id share the pool’s');
  });

  it('lets a worker whose share is under one request a second through at that rate', async () => {
    let now = 0;
    const limit = rateLimiter({ perPoolPerOperation: 1, operations: {} }, tokens, () => now, 0.5);
    const call = () => limit('AdminGetUser', { UserPoolId: 'us-east-1_A' });
    assert.equal(await throttled(call), false);
    now += 1000;
    assert.equal(await throttled(call), true);
    now += 1000;
    assert.equal(await throttled(call), false);
  });

  it('is off by default', async () => {
    const limit = rateLimiter({ perPoolPerOperation: 0, operations: {} }, tokens, () => 0);
    for (let i = 0; i < 1000; i++) await limit('AdminGetUser', { UserPoolId: 'us-east-1_A' });
  });
});

describe('categoryLimiter', () => {
  const limits = { rate: async (poolId: string | undefined) => (poolId === 'us-east-1_A' ? 2 : 0) } as unknown as ProvisionedLimits;
  const clients = { forCall: async (clientId: string) => ({ clientId, poolId: 'us-east-1_A' }) } as unknown as AppClients;

  it('shares one budget among a category’s operations in one pool, found through the client', async () => {
    const limit = categoryLimiter(limits, clients, tokens, () => 0);
    await limit('InitiateAuth', { ClientId: 'c1' });
    await limit('AdminInitiateAuth', { UserPoolId: 'us-east-1_A' });
    assert.equal(await throttled(() => limit('InitiateAuth', { ClientId: 'c1' })), true);
    assert.equal(await throttled(() => limit('AdminGetUser', { UserPoolId: 'us-east-1_A' })), false, 'another category');
    assert.equal(await throttled(() => limit('AdminInitiateAuth', { UserPoolId: 'us-east-1_B' })), false, 'a pool without a limit');
  });

  it('spends a pool’s budget only for tokens the pool signed: a forged one naming the pool does not throttle its users', async () => {
    const limit = categoryLimiter(limits, clients, tokens, () => 0);
    for (let i = 0; i < 10; i++) await limit('GetUser', { AccessToken: tokenOfA('forged') });
    await limit('GetUser', { AccessToken: tokenOfA('genuine') });
    await limit('AdminGetUser', { UserPoolId: 'us-east-1_A' });
    assert.equal(await throttled(() => limit('GetUser', { AccessToken: tokenOfA('genuine') })), true, 'the genuine calls spent the two');
  });

  it('gives challenge answers three times the sign-in rate before they spend sign-ins', async () => {
    const limit = categoryLimiter(limits, clients, tokens, () => 0);
    for (let i = 0; i < 6; i++) await limit('RespondToAuthChallenge', { ClientId: 'c1' });
    await limit('RespondToAuthChallenge', { ClientId: 'c1' });
    await limit('AdminRespondToAuthChallenge', { UserPoolId: 'us-east-1_A' });
    assert.equal(await throttled(() => limit('InitiateAuth', { ClientId: 'c1' })), true, 'the overflow used the sign-ins');
  });
});
