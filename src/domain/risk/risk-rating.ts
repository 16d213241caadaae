import type { AuthEventRecord, EventRiskRecord } from '../../storage/types.js';

/** What a sign-in is rated on. */
export interface RiskSignals {
  /** The user has signed in before (or vouched for an attempt), so there is something to compare with. */
  hasHistory: boolean;
  /** Neither the device key nor the user agent was seen on the user's trusted sign-ins. */
  newDevice: boolean;
  /** The address was not seen on the user's trusted sign-ins. */
  newIp: boolean;
  /** Failed sign-ins from this address, to any user of the pool, within the window. */
  addressFailures: number;
  /** Addresses this user's failed sign-ins came from within the window. */
  userFailureAddresses: number;
  /** A sign-in from this address was reported as not the user's (feedback Invalid). */
  reportedAddress: boolean;
}

/** How far back failures count. */
export const VELOCITY_WINDOW_MS = 15 * 60_000;
/** How far back a report of takeover from an address counts against it. */
export const REPORT_WINDOW_MS = 30 * 24 * 60 * 60_000;
const ADDRESS_FAILURES = 5;
const USER_FAILURE_ADDRESSES = 3;

/**
 * Points add up to the level, the same for the same signals on any node:
 * new device 1, new address 1 (both only once the user has history), 5 or more failures from the
 * address within 15 minutes 2, the user's failures from 3 or more addresses within 15 minutes 2,
 * an address reported as takeover 3. 0 is no risk, 1 Low, 2 Medium, 3 or more High.
 */
export function riskLevel(signals: RiskSignals): EventRiskRecord['level'] {
  let points = 0;
  if (signals.hasHistory && signals.newDevice) points += 1;
  if (signals.hasHistory && signals.newIp) points += 1;
  if (signals.addressFailures >= ADDRESS_FAILURES) points += 2;
  if (signals.userFailureAddresses >= USER_FAILURE_ADDRESSES) points += 2;
  if (signals.reportedAddress) points += 3;
  if (points === 0) return undefined;
  return points === 1 ? 'Low' : points === 2 ? 'Medium' : 'High';
}

/** What a sign-in is compared with. */
export interface SignInTraits {
  ipAddress: string | null;
  deviceKey?: string;
  deviceName?: string;
}

/**
 * The signals from the user's recent sign-ins and the address's: a sign-in that passed (and was not
 * reported) or that the user vouched for (feedback Valid) makes its device and address known.
 */
export function signalsOf(traits: SignInTraits, userEvents: AuthEventRecord[], addressEvents: AuthEventRecord[], velocitySince: number): RiskSignals {
  // A sign-up or password change says nothing of where the user signs in from.
  const signIns = userEvents.filter(({ body }) => body.type === 'SignIn');
  const trusted = signIns.filter(({ body }) => body.feedback?.value === 'Valid' || (body.response === 'Pass' && body.feedback?.value !== 'Invalid'));
  const sameDevice = ({ body }: AuthEventRecord) =>
    (traits.deviceKey !== undefined && body.deviceKey === traits.deviceKey) || (traits.deviceName !== undefined && body.deviceName === traits.deviceName);
  const recentFailures = (events: AuthEventRecord[]) => events.filter((event) => event.body.response === 'Fail' && event.createdAt >= velocitySince);
  return {
    hasHistory: trusted.length > 0,
    newDevice: !trusted.some(sameDevice),
    newIp: !trusted.some(({ body }) => body.ipAddress === traits.ipAddress),
    addressFailures: recentFailures(addressEvents).length,
    userFailureAddresses: new Set(recentFailures(signIns).map(({ body }) => body.ipAddress)).size,
    reportedAddress: addressEvents.some(({ body }) => body.feedback?.value === 'Invalid'),
  };
}
