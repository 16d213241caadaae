import type {
  AuthFactorType,
  CreateUserPoolRequest,
  GetUserPoolMfaConfigResponse,
  LogConfigurationType,
  PasswordPolicyType,
  UpdateUserPoolRequest,
  UserPoolPolicyType,
  UserPoolType,
  UserSessionTrackingType,
  VerificationMessageTemplateType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError, invalidParameter } from '../errors.js';
import { checkMfaMode } from './mfa-config.js';
import { schemaAtCreation } from './schema.js';
import { checkLambdaConfig } from '../triggers/lambda-config.js';

/** A password policy with every rule decided (PasswordHistorySize stays optional). */
export type PasswordPolicy = PasswordPolicyType &
  Required<Pick<PasswordPolicyType, 'MinimumLength' | 'RequireUppercase' | 'RequireLowercase' | 'RequireNumbers' | 'RequireSymbols' | 'TemporaryPasswordValidityDays'>>;

/**
 * A pool's stored settings are Cognito's own UserPoolType fields (less the computed ones),
 * plus the MFA factor settings that only SetUserPoolMfaConfig reads and writes. Every pool has
 * a password policy, so it is never optional here.
 */
export type PoolSettings = Omit<
  UserPoolType,
  'Id' | 'Name' | 'Arn' | 'CreationDate' | 'LastModifiedDate' | 'EstimatedNumberOfUsers' | 'UserPoolTags' | 'Status' | 'Domain' | 'CustomDomain' | 'Policies'
> &
  Pick<GetUserPoolMfaConfigResponse, 'SoftwareTokenMfaConfiguration' | 'EmailMfaConfiguration' | 'WebAuthnConfiguration'> & {
    Policies: Omit<UserPoolPolicyType, 'PasswordPolicy'> & { PasswordPolicy: PasswordPolicy };
    /** SetUserPoolMfaConfig left SMS out although the pool can send SMS: SMS is then no second factor. */
    SmsMfaTurnedOff?: true;
    /** SetLogDeliveryConfiguration's log configurations. */
    LogConfigurations?: LogConfigurationType[];
    /** What SetUserPoolSessionConfiguration set; Cognito's defaults (tracking off, 20 a user) without it. */
    SessionConfiguration?: { UserSessionTracking: UserSessionTrackingType; TokenSession: { MaxPerUser: number } };
  };

/** Cognito's password policy when a pool is created without one. */
const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

/**
 * A pool's settings as they leave storage, typed: the one place stored JSON becomes PoolSettings,
 * with Cognito's defaults for anything a store written by an older Gatehouse lacks.
 */
export function readPoolSettings(stored: Record<string, unknown>): PoolSettings {
  const settings = stored as Partial<PoolSettings>;
  return { ...settings, Policies: { ...settings.Policies, PasswordPolicy: { ...DEFAULT_PASSWORD_POLICY, ...settings.Policies?.PasswordPolicy } } };
}

/** How long a temporary password works; a stored 0 means Cognito's default. */
export const temporaryPasswordDays = (settings: PoolSettings): number =>
  settings.Policies.PasswordPolicy.TemporaryPasswordValidityDays || DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays;

/** Fields UpdateUserPool may not touch: they are fixed when the pool is created. */
const FIXED_AT_CREATION = ['SchemaAttributes', 'UsernameAttributes', 'AliasAttributes', 'UsernameConfiguration'] as const;

/** Settings of a new pool, with Cognito's defaults wherever the request is silent. */
export function settingsForNewPool(input: CreateUserPoolRequest): PoolSettings {
  if (input.UsernameAttributes?.length && input.AliasAttributes?.length) {
    throw invalidParameter('Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.');
  }
  const settings: PoolSettings = {
    ...mutableSettings(input),
    SchemaAttributes: schemaAtCreation(input.Schema),
  };
  // preferred_username has no verified flag: as an alias it must be free to be unique, so it cannot be required too.
  const preferredRequired = settings.SchemaAttributes!.some((a) => a.Name === 'preferred_username' && a.Required);
  if (preferredRequired && input.AliasAttributes?.includes('preferred_username')) {
    throw invalidParameter('preferred_username cannot be both required and an alias.');
  }
  if (input.UsernameAttributes?.length) settings.UsernameAttributes = unique(input.UsernameAttributes);
  if (input.AliasAttributes?.length) settings.AliasAttributes = unique(input.AliasAttributes);
  if (input.UsernameConfiguration) settings.UsernameConfiguration = { CaseSensitive: input.UsernameConfiguration.CaseSensitive ?? true };
  return settings;
}

/** UpdateUserPool replaces every mutable setting: what the request omits returns to its default. */
export function settingsAfterUpdate(current: PoolSettings, input: UpdateUserPoolRequest): PoolSettings {
  // Two exceptions Cognito makes to full replacement: the feature plan and the verify-before-update list stay when omitted.
  const settings: PoolSettings = mutableSettings(
    {
      ...input,
      UserPoolTier: input.UserPoolTier ?? current.UserPoolTier,
      UserAttributeUpdateSettings: input.UserAttributeUpdateSettings ?? current.UserAttributeUpdateSettings,
    },
    current,
  );
  for (const field of FIXED_AT_CREATION) {
    if (current[field] !== undefined) (settings as Record<string, unknown>)[field] = current[field];
  }
  // Settings their own operations write (SetUserPoolMfaConfig, SetLogDeliveryConfiguration, SetUserPoolSessionConfiguration) outlive UpdateUserPool.
  for (const [field, value] of Object.entries(current)) {
    if (!(field in settings) && SEPARATELY_SET_FIELDS.has(field)) (settings as Record<string, unknown>)[field] = value;
  }
  return settings;
}

/** Settings that GetUserPoolMfaConfig reports but DescribeUserPool does not. */
export const MFA_FACTOR_FIELDS: ReadonlySet<string> = new Set(['SoftwareTokenMfaConfiguration', 'EmailMfaConfiguration', 'WebAuthnConfiguration', 'SmsMfaTurnedOff']);

/** Settings their own operations read and write: UpdateUserPool keeps them, DescribeUserPool leaves them out. */
export const SEPARATELY_SET_FIELDS: ReadonlySet<string> = new Set([...MFA_FACTOR_FIELDS, 'LogConfigurations', 'SessionConfiguration']);

type MutableInput = Omit<CreateUserPoolRequest, 'PoolName' | 'Schema' | 'UsernameAttributes' | 'AliasAttributes' | 'UsernameConfiguration' | 'UserPoolTags'>;

function mutableSettings(input: MutableInput, current?: PoolSettings): PoolSettings {
  checkTier(input);
  checkSignInPolicy(input.Policies?.SignInPolicy?.AllowedFirstAuthFactors, input.UserPoolTier ?? current?.UserPoolTier ?? 'ESSENTIALS');
  checkMfaMode(input, current);
  checkValidityDays(input);
  checkLambdaConfig(input.LambdaConfig, input.UserPoolTier ?? current?.UserPoolTier ?? 'ESSENTIALS');
  const settings: PoolSettings = {
    Policies: {
      PasswordPolicy: passwordPolicy(input.Policies?.PasswordPolicy),
      SignInPolicy: { AllowedFirstAuthFactors: input.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'] },
    },
    DeletionProtection: input.DeletionProtection ?? 'INACTIVE',
    LambdaConfig: input.LambdaConfig ?? {},
    VerificationMessageTemplate: verificationTemplate(input),
    MfaConfiguration: input.MfaConfiguration ?? 'OFF',
    EmailConfiguration: input.EmailConfiguration ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: input.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false,
      UnusedAccountValidityDays: input.AdminCreateUserConfig?.UnusedAccountValidityDays ?? 7,
      ...(input.AdminCreateUserConfig?.InviteMessageTemplate && { InviteMessageTemplate: input.AdminCreateUserConfig.InviteMessageTemplate }),
    },
    UserPoolTier: input.UserPoolTier ?? 'ESSENTIALS',
  };
  const { EmailMessage, EmailSubject, SmsMessage } = settings.VerificationMessageTemplate!;
  if (EmailMessage !== undefined) settings.EmailVerificationMessage = EmailMessage;
  if (EmailSubject !== undefined) settings.EmailVerificationSubject = EmailSubject;
  if (SmsMessage !== undefined) settings.SmsVerificationMessage = SmsMessage;
  const optional = [
    'AutoVerifiedAttributes',
    'SmsAuthenticationMessage',
    'DeviceConfiguration',
    'SmsConfiguration',
    'UserPoolAddOns',
    'AccountRecoverySetting',
    'UserAttributeUpdateSettings',
  ] as const;
  for (const field of optional) {
    if (input[field] !== undefined) (settings as Record<string, unknown>)[field] = input[field];
  }
  if (settings.AutoVerifiedAttributes) settings.AutoVerifiedAttributes = unique(settings.AutoVerifiedAttributes);
  checkRecoverySetting(settings);
  checkVerificationBeforeUpdate(settings);
  return settings;
}

/** A policy given in part keeps Cognito's minimum length and temporary-password days; unset requirements are off. */
function passwordPolicy(requested: PasswordPolicyType | undefined): PasswordPolicy {
  if (!requested) return { ...DEFAULT_PASSWORD_POLICY };
  return {
    MinimumLength: requested.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength,
    RequireUppercase: requested.RequireUppercase ?? false,
    RequireLowercase: requested.RequireLowercase ?? false,
    RequireNumbers: requested.RequireNumbers ?? false,
    RequireSymbols: requested.RequireSymbols ?? false,
    ...(requested.PasswordHistorySize !== undefined && { PasswordHistorySize: requested.PasswordHistorySize }),
    TemporaryPasswordValidityDays: requested.TemporaryPasswordValidityDays ?? DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays,
  };
}

/**
 * The legacy top-level message fields and VerificationMessageTemplate describe the same messages;
 * Cognito keeps them in step, and so do we, with the template winning when both are given.
 */
function verificationTemplate(input: MutableInput): VerificationMessageTemplateType {
  const template: VerificationMessageTemplateType = {
    ...(input.SmsVerificationMessage !== undefined && { SmsMessage: input.SmsVerificationMessage }),
    ...(input.EmailVerificationMessage !== undefined && { EmailMessage: input.EmailVerificationMessage }),
    ...(input.EmailVerificationSubject !== undefined && { EmailSubject: input.EmailVerificationSubject }),
    ...input.VerificationMessageTemplate,
  };
  template.DefaultEmailOption ??= 'CONFIRM_WITH_CODE';
  return template;
}

function checkValidityDays(input: MutableInput): void {
  if (input.AdminCreateUserConfig?.UnusedAccountValidityDays !== undefined && input.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays !== undefined) {
    throw invalidParameter('Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays');
  }
}

function checkVerificationBeforeUpdate(settings: PoolSettings): void {
  const required = settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  if (required.some((name) => !settings.AutoVerifiedAttributes?.includes(name))) {
    throw invalidParameter('All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes');
  }
}

function checkTier(input: MutableInput): void {
  const mode = input.UserPoolAddOns?.AdvancedSecurityMode;
  if (mode && mode !== 'OFF' && (input.UserPoolTier ?? 'ESSENTIALS') !== 'PLUS') {
    throw new CognitoError('FeatureUnavailableInTierException', 'Threat protection requires the PLUS feature plan.');
  }
}

function checkRecoverySetting(settings: PoolSettings): void {
  const mechanisms = settings.AccountRecoverySetting?.RecoveryMechanisms ?? [];
  const priorities = new Set(mechanisms.map((m) => m.Priority));
  const names = new Set(mechanisms.map((m) => m.Name));
  if (priorities.size !== mechanisms.length || names.size !== mechanisms.length) {
    throw invalidParameter('Recovery mechanisms must have unique names and priorities.');
  }
  if (names.has('admin_only') && mechanisms.length > 1) {
    throw invalidParameter('admin_only recovery mechanism cannot be combined with other recovery mechanisms.');
  }
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

/** Whether choice-based sign-in (USER_AUTH) may start with this factor in the pool; the password always may. */
export function allowsFirstFactor(settings: PoolSettings, factor: AuthFactorType): boolean {
  return (settings.Policies.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD']).includes(factor);
}

/** Choice-based sign-in always offers the password; anything beyond it needs the ESSENTIALS plan or higher. */
function checkSignInPolicy(factors: string[] | undefined, tier: string): void {
  if (!factors) return;
  if (!factors.includes('PASSWORD')) throw invalidParameter('AllowedFirstAuthFactors must include PASSWORD.');
  if (new Set(factors).size !== factors.length) throw invalidParameter('AllowedFirstAuthFactors must not repeat a factor.');
  if (tier === 'LITE' && factors.some((factor) => factor !== 'PASSWORD')) {
    throw new CognitoError('FeatureUnavailableInTierException', 'Passwordless sign-in requires the ESSENTIALS or PLUS feature plan.');
  }
}
