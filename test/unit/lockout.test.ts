// The lockout's decisions, as pure functions of what is stored: how many attempts may be checked at
// once, when the rest wait, and when they are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, settle } from '../../src/domain/auth/lockout.js';
import type { SignInAttempts } from '../../src/storage/types.js';

const fresh: SignInAttempts = { failures: 0, lastFailureAt: null, inFlight: 0, lastStartedAt: null };
const NOW = 1_000_000_000;

describe('lockout decisions', () => {
  it('lets five attempts be checked at once, then makes the sixth wait', () => {
    let state = fresh;
    for (let i = 0; i < 5; i++) {
      const decision = decide(state, NOW);
      assert.ok(typeof decision === 'object', `attempt ${i + 1} begins`);
      state = decision.begin;
    }
    assert.equal(state.inFlight, 5);
    assert.equal(decide(state, NOW), 'wait');
  });

  it('counts only what is left: with three failures, two may be in flight', () => {
    const state = { failures: 3, lastFailureAt: NOW - 100, inFlight: 2, lastStartedAt: NOW };
    assert.equal(decide(state, NOW), 'wait');
    assert.ok(typeof decide({ ...state, inFlight: 1 }, NOW) === 'object');
  });

  it('refuses while locked out: 1 s after the fifth failure, doubling, at most 15 minutes', () => {
    const locked = (failures: number, ago: number) => decide({ failures, lastFailureAt: NOW - ago, inFlight: 0, lastStartedAt: null }, NOW);
    assert.equal(locked(5, 999), 'locked');
    assert.ok(typeof locked(5, 1000) === 'object');
    assert.equal(locked(7, 3999), 'locked');
    assert.ok(typeof locked(7, 4000) === 'object');
    assert.equal(locked(40, 15 * 60_000 - 1), 'locked');
  });

  it('after a lockout has passed, one attempt at a time', () => {
    const state = { failures: 6, lastFailureAt: NOW - 5000, inFlight: 1, lastStartedAt: NOW };
    assert.equal(decide(state, NOW), 'wait');
    assert.ok(typeof decide({ ...state, inFlight: 0 }, NOW) === 'object');
  });

  it('forgives after fifteen quiet minutes, and ignores attempts abandoned by a dead process', () => {
    const quiet = decide({ failures: 4, lastFailureAt: NOW - 15 * 60_000, inFlight: 0, lastStartedAt: null }, NOW);
    assert.ok(typeof quiet === 'object' && quiet.begin.failures === 0 && quiet.begin.lastFailureAt === null);
    const abandoned = decide({ failures: 0, lastFailureAt: null, inFlight: 5, lastStartedAt: NOW - 30_000 }, NOW);
    assert.ok(typeof abandoned === 'object' && abandoned.begin.inFlight === 1);
  });

  it('a decided attempt leaves the flight; only a failed one counts and sets the time', () => {
    const state = { failures: 2, lastFailureAt: NOW - 10, inFlight: 3, lastStartedAt: NOW - 5 };
    assert.deepEqual(settle(state, NOW, true), { ...state, inFlight: 2 });
    assert.deepEqual(settle(state, NOW, false), { ...state, inFlight: 2, failures: 3, lastFailureAt: NOW });
  });
});
