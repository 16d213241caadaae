import type { ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../storage/types.js';
import type { AppClient } from '../clients/app-clients.js';
import type { NewDeviceMetadata } from '../devices/devices.js';
import { CognitoError, notAuthorized } from '../errors.js';
import type { IssuedTokens } from '../tokens/tokens.js';
import type { PoolContext } from '../users/users.js';
import type { Caller } from '../triggers/caller.js';
import type { UserTriggers } from '../triggers/user-triggers.js';
import type { SignInRating } from './auth-events.js';

/** What InitiateAuth and RespondToAuthChallenge answer: tokens, or the next challenge. */
export interface AuthOutcome {
  ChallengeName?: ChallengeNameType;
  Session?: string;
  ChallengeParameters: Record<string, string>;
  /** USER_AUTH's SELECT_CHALLENGE: the first factors this user may choose from. */
  AvailableChallenges?: ChallengeNameType[];
  AuthenticationResult?: IssuedTokens & { NewDeviceMetadata?: NewDeviceMetadata };
  /** A sign-in on the managed login pages ends here instead of in tokens: who signed in. Never on the wire. */
  HostedSignIn?: { user: UserRecord };
  /** Threat protection's rating, for the sign-in's event; AuthEvents takes it off before the wire. */
  Rating?: SignInRating;
}

/** One sign-in in progress: who, through which client, from which device. */
export interface SignIn {
  context: PoolContext;
  client: AppClient;
  user: UserRecord;
  /** The DEVICE_KEY the client sent, if any. */
  deviceKey: string | undefined;
  sourceIp: string | null;
  /** Who asked, for the triggers the sign-in runs. */
  caller: Caller;
  /**
   * How the sign-in was completed, when not by the first factor and MFA alone: the
   * TokenGeneration_ trigger source names it.
   */
  completedBy?: 'NewPasswordChallenge' | 'AuthenticateDevice';
  /** On the managed login pages: no SECRET_HASH (the page is Gatehouse's own), and no tokens at the end. */
  hosted?: true;
  /** The user agent the sign-in came with (EventContextData's DeviceName). */
  deviceName?: string;
  /** Threat protection's rating, once made; carried by the sign-in's sessions. */
  rating?: SignInRating;
  /** Whether the password given is a known breached one (password flows only: SRP never shows it). */
  passwordBreached?: boolean;
}

/**
 * Cognito tells an unconfirmed user so whatever the password, before any password or SRP proof is
 * checked, so that the app can send them to confirmation.
 */
export function checkConfirmed(user: UserRecord): void {
  if (user.status === 'UNCONFIRMED') throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
}

/**
 * A user with no password to check because an import made them without one (RESET_REQUIRED):
 * Cognito sends them to reset it, or, where the client hides which users exist, says no more
 * than to a wrong password.
 */
export function checkHasPassword(user: UserRecord, hidesUsers: boolean): void {
  if (user.passwordHash !== null || user.status !== 'RESET_REQUIRED') return;
  throw hidesUsers ? notAuthorized(INCORRECT_PASSWORD) : new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
}

/** Cognito's answer to a wrong password or a wrong proof of one. */
export const INCORRECT_PASSWORD = 'Incorrect username or password.';

/** Auth parameters arrive as a string map, but clients send `"DEVICE_KEY": null` for "none". */
export function parameterOf(parameters: Record<string, string | null | undefined>, name: string): string | undefined {
  const value = parameters[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * What runs before a first factor is checked: Cognito's answer to an unconfirmed user, and the
 * pool's PreAuthentication function, which hears of an unknown user only where the client hides
 * unknown users (elsewhere the caller is told at once that there is no such user).
 */
export async function beforeFirstFactor(triggers: UserTriggers, context: PoolContext, client: AppClient, name: string, user: UserRecord | undefined, caller: Caller): Promise<void> {
  if (user) checkConfirmed(user);
  else if (client.settings.PreventUserExistenceErrors !== 'ENABLED') return;
  await triggers.preAuthentication(context.pool, name, user, caller);
}
