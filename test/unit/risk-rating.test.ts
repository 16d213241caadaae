// The sign-in risk rule the README documents: points per signal, and the levels they add up to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { riskLevel, signalsOf, type RiskSignals } from '../../src/domain/risk/risk-rating.js';
import { BundledBreachedPasswords } from '../../src/domain/risk/breached-passwords.js';
import type { AuthEventRecord } from '../../src/storage/types.js';

const QUIET: RiskSignals = { hasHistory: true, newDevice: false, newIp: false, addressFailures: 0, userFailureAddresses: 0, reportedAddress: false };

let seq = 0;
function event(body: Partial<AuthEventRecord['body']>, createdAt = 1_000_000): AuthEventRecord {
  return {
    eventId: String(++seq),
    poolId: 'p',
    sub: 's',
    createdAt,
    body: { type: 'SignIn', username: 'ann', response: 'Pass', clientId: 'c', ipAddress: '192.0.2.1', challenges: [], ...body },
  };
}

describe('sign-in risk rating', () => {
  it('adds up to the documented levels', () => {
    assert.equal(riskLevel(QUIET), undefined);
    assert.equal(riskLevel({ ...QUIET, newDevice: true }), 'Low');
    assert.equal(riskLevel({ ...QUIET, newDevice: true, newIp: true }), 'Medium');
    assert.equal(riskLevel({ ...QUIET, addressFailures: 5 }), 'Medium');
    assert.equal(riskLevel({ ...QUIET, addressFailures: 4 }), undefined);
    assert.equal(riskLevel({ ...QUIET, userFailureAddresses: 3, newIp: true }), 'High');
    assert.equal(riskLevel({ ...QUIET, reportedAddress: true }), 'High');
  });

  it('compares nothing for a user without a trusted sign-in', () => {
    assert.equal(riskLevel({ ...QUIET, hasHistory: false, newDevice: true, newIp: true }), undefined);
    assert.equal(riskLevel({ ...QUIET, hasHistory: false, addressFailures: 9 }), 'Medium');
  });

  it('trusts passed sign-ins and vouched-for events, not reported ones, sign-ups or old failures', () => {
    const traits = { ipAddress: '198.51.100.1', deviceName: 'Safari' };
    const reported = event({ ipAddress: '198.51.100.1', deviceName: 'Safari', feedback: { value: 'Invalid', provider: 'User', at: 0 } });
    const signUp = event({ type: 'SignUp', ipAddress: '198.51.100.1', deviceName: 'Safari' });
    assert.deepEqual(signalsOf(traits, [reported, signUp, event({})], [], 0), { ...QUIET, newDevice: true, newIp: true });
    const vouched = event({ response: 'Fail', ipAddress: '198.51.100.1', deviceName: 'Safari', feedback: { value: 'Valid', provider: 'Admin', at: 0 } });
    assert.deepEqual(signalsOf(traits, [vouched], [], 0), { ...QUIET, userFailureAddresses: 1 });
    const oldFailures = ['a', 'b', 'c'].map((ip) => event({ response: 'Fail', ipAddress: ip }, 10));
    assert.equal(signalsOf(traits, [event({}), ...oldFailures], [], 100).userFailureAddresses, 0);
    assert.equal(signalsOf(traits, [event({}), ...oldFailures], [], 0).userFailureAddresses, 3);
  });

  it('the bundled list holds the commonest breached passwords, in any case', async () => {
    const list = new BundledBreachedPasswords();
    assert.equal(await list.isBreached('123456'), true);
    assert.equal(await list.isBreached('Password'), true);
    assert.equal(await list.isBreached('Unusual-ann-42!x'), false);
  });
});
