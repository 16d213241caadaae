import type { GetUserPoolMfaConfigResponse, SetUserPoolMfaConfigRequest } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError, invalidParameter } from '../errors.js';
import type { PoolSettings } from './pool-settings.js';

/** The second factors Cognito knows, by the names its challenges and UserMFASettingList use. */
export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';

/**
 * The factors a pool offers. SMS is offered whenever the pool can send SMS (Cognito ties SMS MFA to
 * the SmsConfiguration that phone verification uses too); TOTP and email only through SetUserPoolMfaConfig.
 */
export function poolFactors(settings: PoolSettings): MfaFactor[] {
  const factors: MfaFactor[] = [];
  if (settings.SmsConfiguration && !settings.SmsMfaTurnedOff) factors.push('SMS_MFA');
  if (settings.SoftwareTokenMfaConfiguration?.Enabled) factors.push('SOFTWARE_TOKEN_MFA');
  if (settings.EmailMfaConfiguration) factors.push('EMAIL_OTP');
  return factors;
}

/** GetUserPoolMfaConfig's view of the pool; the SMS part is the pool's own SMS settings. */
export function mfaConfigOf(settings: PoolSettings): GetUserPoolMfaConfigResponse {
  const { SmsAuthenticationMessage, SmsConfiguration } = settings;
  return {
    MfaConfiguration: settings.MfaConfiguration ?? 'OFF',
    ...((SmsConfiguration || SmsAuthenticationMessage !== undefined) && !settings.SmsMfaTurnedOff && {
      SmsMfaConfiguration: { ...(SmsAuthenticationMessage !== undefined && { SmsAuthenticationMessage }), ...(SmsConfiguration && { SmsConfiguration }) },
    }),
    ...(settings.SoftwareTokenMfaConfiguration && { SoftwareTokenMfaConfiguration: settings.SoftwareTokenMfaConfiguration }),
    ...(settings.EmailMfaConfiguration && { EmailMfaConfiguration: settings.EmailMfaConfiguration }),
    ...(settings.WebAuthnConfiguration && { WebAuthnConfiguration: settings.WebAuthnConfiguration }),
  };
}

/**
 * SetUserPoolMfaConfig. Like Cognito it replaces the whole MFA configuration: a factor the request
 * leaves out is off afterwards, and so is MFA itself when MfaConfiguration is left out. The SMS
 * settings stay with the pool (phone verification needs them) and WebAuthn, not an MFA factor, stays.
 *
 * Email MFA is not tied to an SES EmailConfiguration here, as it is in Cognito: Gatehouse sends
 * email itself, through the configured message delivery.
 */
const SMS_CONFIGURATION_REQUIRED = 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional';

export function settingsWithMfaConfig(current: PoolSettings, input: SetUserPoolMfaConfigRequest): PoolSettings {
  const mode = input.MfaConfiguration ?? 'OFF';
  const requested = requestedFactors(input);
  if (mode === 'OFF' && requested.length > 0) throw invalidParameter("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  if (mode !== 'OFF' && requested.length === 0) {
    throw invalidParameter("Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.");
  }
  const sms = input.SmsMfaConfiguration;
  const settings: PoolSettings = { ...current, MfaConfiguration: mode };
  if (sms?.SmsConfiguration) settings.SmsConfiguration = sms.SmsConfiguration;
  if (sms?.SmsAuthenticationMessage !== undefined) settings.SmsAuthenticationMessage = sms.SmsAuthenticationMessage;
  // SMS MFA needs a way to send SMS: turned on without one it would leave users a factor they cannot use.
  if (sms && !settings.SmsConfiguration) throw invalidParameter(SMS_CONFIGURATION_REQUIRED);
  // A pool that verifies phone numbers by SMS keeps SMS MFA while MFA is on; any other pool may leave it out.
  if (mode !== 'OFF' && !sms && settings.SmsConfiguration && settings.AutoVerifiedAttributes?.includes('phone_number')) {
    throw invalidParameter("Can't turn off SMS_MFA when SMS configuration is set for the user pool");
  }
  if (mode !== 'OFF' && !sms && settings.SmsConfiguration) settings.SmsMfaTurnedOff = true;
  else delete settings.SmsMfaTurnedOff;
  if (input.EmailMfaConfiguration && (settings.UserPoolTier ?? 'ESSENTIALS') === 'LITE') {
    throw new CognitoError('FeatureUnavailableInTierException', 'Email MFA requires the ESSENTIALS or PLUS feature plan.');
  }
  replace(settings, 'SoftwareTokenMfaConfiguration', input.SoftwareTokenMfaConfiguration);
  replace(settings, 'EmailMfaConfiguration', input.EmailMfaConfiguration);
  if (input.WebAuthnConfiguration?.FactorConfiguration === 'MULTI_FACTOR_WITH_USER_VERIFICATION' && (settings.UserPoolTier ?? 'ESSENTIALS') === 'LITE') {
    throw new CognitoError('FeatureUnavailableInTierException', 'Passkeys as multi-factor authentication require the ESSENTIALS or PLUS feature plan.');
  }
  if (input.WebAuthnConfiguration?.RelyingPartyId !== undefined && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(input.WebAuthnConfiguration.RelyingPartyId)) {
    throw invalidParameter('WebAuthnConfiguration.RelyingPartyId must be a domain name, such as auth.example.com.');
  }
  if (input.WebAuthnConfiguration) settings.WebAuthnConfiguration = input.WebAuthnConfiguration;
  return settings;
}

/** The factors a SetUserPoolMfaConfig request turns on; a TOTP block with Enabled false turns nothing on. */
function requestedFactors(input: SetUserPoolMfaConfigRequest): MfaFactor[] {
  const factors: MfaFactor[] = [];
  if (input.SmsMfaConfiguration) factors.push('SMS_MFA');
  if (input.SoftwareTokenMfaConfiguration?.Enabled) factors.push('SOFTWARE_TOKEN_MFA');
  if (input.EmailMfaConfiguration) factors.push('EMAIL_OTP');
  return factors;
}

function replace<K extends 'SoftwareTokenMfaConfiguration' | 'EmailMfaConfiguration'>(settings: PoolSettings, field: K, value: PoolSettings[K]): void {
  if (value === undefined) delete settings[field];
  else settings[field] = value;
}

/**
 * UpdateUserPool's part in MFA: it may keep MFA required but not newly require it, and optional or
 * required MFA needs a factor, which before SetUserPoolMfaConfig has run can only be SMS.
 */
export function checkMfaMode(input: Pick<PoolSettings, 'MfaConfiguration' | 'SmsConfiguration'>, current?: PoolSettings): void {
  if (current && input.MfaConfiguration === 'ON' && current.MfaConfiguration !== 'ON') {
    throw invalidParameter('Cannot turn MFA functionality ON, once the user pool has been created.');
  }
  const otherFactors = current ? poolFactors(current).filter((factor) => factor !== 'SMS_MFA') : [];
  if ((input.MfaConfiguration === 'ON' || input.MfaConfiguration === 'OPTIONAL') && !input.SmsConfiguration && otherFactors.length === 0) {
    throw invalidParameter(SMS_CONFIGURATION_REQUIRED);
  }
}
