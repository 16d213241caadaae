import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../storage/types.js';
import type { Caller } from './caller.js';
import { eventAttributes } from './event-attributes.js';
import type { TriggerPool, Triggers } from './triggers.js';

/** What a pre sign-up function decided. */
export interface SignUpDecision {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

/** What a migration function answered for a user it knows. */
export interface MigratedUser {
  userAttributes: Record<string, string>;
  finalUserStatus?: 'CONFIRMED' | 'RESET_REQUIRED';
  messageAction?: 'RESEND' | 'SUPPRESS';
  desiredDeliveryMediums?: ('EMAIL' | 'SMS')[];
  forceAliasCreation?: boolean;
  enableSMSMFA?: boolean;
}

/** `ValidationData` arrives as Cognito's attribute list and reaches the function as a map. */
export const validationDataOf = (data: AttributeType[] | undefined): Record<string, string> =>
  Object.fromEntries((data ?? []).filter((entry) => entry.Name !== undefined).map((entry) => [entry.Name!, entry.Value ?? '']));

/**
 * The triggers of a user's life outside token issuing and custom challenges, with Cognito's event
 * for each: sign-up, confirmation, sign-in before and after, and migration from another system.
 */
export class UserTriggers {
  constructor(private readonly triggers: Triggers) {}

  /** PreSignUp_SignUp / _AdminCreateUser / _ExternalProvider. A function that throws stops the sign-up before anything is stored. */
  async preSignUp(
    pool: TriggerPool,
    source: 'SignUp' | 'AdminCreateUser' | 'ExternalProvider',
    user: { username: string; attributes: Record<string, string> },
    caller: Caller,
    validationData: Record<string, string> | null,
  ): Promise<SignUpDecision> {
    const response = await this.triggers.run(pool, {
      trigger: 'PreSignUp',
      source: `PreSignUp_${source}`,
      userName: user.username,
      caller,
      request: { userAttributes: { ...user.attributes }, validationData, clientMetadata: caller.clientMetadata ?? {} },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    return {
      autoConfirmUser: response?.autoConfirmUser === true,
      autoVerifyEmail: response?.autoVerifyEmail === true,
      autoVerifyPhone: response?.autoVerifyPhone === true,
    };
  }

  /**
   * InboundFederation_ExternalProvider, at every federated sign-in before the attribute mapping: the
   * function sees what the provider said and answers the attributes to map (undefined: map them as they are).
   */
  async inboundFederation(
    pool: TriggerPool,
    provider: { name: string; type: string },
    userName: string,
    attributes: { tokenResponse?: Record<string, unknown>; idToken?: Record<string, unknown>; userInfo?: Record<string, unknown>; samlResponse?: Record<string, unknown> },
    caller: Caller,
  ): Promise<Record<string, string> | undefined> {
    const response = await this.triggers.run(pool, {
      trigger: 'InboundFederation',
      source: 'InboundFederation_ExternalProvider',
      userName,
      caller,
      request: { providerName: provider.name, providerType: provider.type, attributes },
      response: { userAttributesToMap: {} },
    });
    const mapped = response?.userAttributesToMap;
    return mapped && typeof mapped === 'object' && Object.keys(mapped).length > 0 ? (mapped as Record<string, string>) : undefined;
  }

  /** PostConfirmation_ConfirmSignUp / _ConfirmForgotPassword, once the confirmation is written. */
  async postConfirmation(pool: TriggerPool, source: 'ConfirmSignUp' | 'ConfirmForgotPassword', user: UserRecord, caller: Caller): Promise<void> {
    await this.triggers.run(pool, {
      trigger: 'PostConfirmation',
      source: `PostConfirmation_${source}`,
      userName: user.username,
      caller,
      request: { userAttributes: eventAttributes(user), clientMetadata: caller.clientMetadata ?? {} },
    });
  }

  /**
   * PreAuthentication_Authentication, before the password or proof is checked. `user` is absent
   * for an unknown user, which the function hears of only when the client hides unknown users.
   */
  async preAuthentication(pool: TriggerPool, userName: string, user: UserRecord | undefined, caller: Caller): Promise<void> {
    await this.triggers.run(pool, {
      trigger: 'PreAuthentication',
      source: 'PreAuthentication_Authentication',
      userName: user?.username ?? userName,
      caller,
      request: {
        userAttributes: user ? eventAttributes(user) : {},
        validationData: caller.clientMetadata ?? {},
        ...(!user && { userNotFound: true }),
      },
    });
  }

  /** PostAuthentication_Authentication, once the user is proven and before tokens are issued. */
  async postAuthentication(pool: TriggerPool, user: UserRecord, caller: Caller, newDeviceUsed: boolean): Promise<void> {
    await this.triggers.run(pool, {
      trigger: 'PostAuthentication',
      source: 'PostAuthentication_Authentication',
      userName: user.username,
      caller,
      request: { userAttributes: eventAttributes(user), newDeviceUsed, clientMetadata: caller.clientMetadata ?? {} },
    });
  }

  /**
   * UserMigration_Authentication (with the password) or _ForgotPassword: the user as the old system
   * knows them, or undefined when the pool has no migration function. The function refuses an
   * unknown user by throwing.
   */
  async migrate(pool: TriggerPool, source: 'Authentication' | 'ForgotPassword', userName: string, password: string | undefined, caller: Caller): Promise<MigratedUser | undefined> {
    const response = await this.triggers.run(pool, {
      trigger: 'UserMigration',
      source: `UserMigration_${source}`,
      userName,
      caller,
      request: { ...(password !== undefined && { password }), validationData: caller.clientMetadata ?? {}, clientMetadata: caller.clientMetadata ?? {} },
      response: {},
    });
    if (!response) return undefined;
    return { ...(response as Omit<MigratedUser, 'userAttributes'>), userAttributes: (response.userAttributes as Record<string, string> | undefined) ?? {} };
  }
}
