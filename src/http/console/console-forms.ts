import { pickDefined as pick } from '../../objects.js';
import { e, input } from './console-html.js';

// The edit forms of the console: each shows the current settings and turns the posted form back
// into the complete input of the Update* operation (which resets whatever its input leaves out).

const POOL_UPDATE_FIELDS = [
  'AccountRecoverySetting', 'AdminCreateUserConfig', 'AutoVerifiedAttributes', 'DeletionProtection', 'DeviceConfiguration', 'EmailConfiguration',
  'EmailVerificationMessage', 'EmailVerificationSubject', 'LambdaConfig', 'MfaConfiguration', 'Policies', 'SmsAuthenticationMessage', 'SmsConfiguration',
  'SmsVerificationMessage', 'UserAttributeUpdateSettings', 'UserPoolAddOns', 'UserPoolTags', 'UserPoolTier', 'VerificationMessageTemplate',
];
const CLIENT_UPDATE_FIELDS = [
  'AccessTokenValidity', 'AllowedOAuthFlows', 'AllowedOAuthFlowsUserPoolClient', 'AllowedOAuthScopes', 'AnalyticsConfiguration', 'AuthSessionValidity',
  'CallbackURLs', 'ClientName', 'DefaultRedirectURI', 'EnablePropagateAdditionalUserContextData', 'EnableTokenRevocation', 'ExplicitAuthFlows',
  'IdTokenValidity', 'LogoutURLs', 'PreventUserExistenceErrors', 'ReadAttributes', 'RefreshTokenRotation', 'RefreshTokenValidity',
  'SupportedIdentityProviders', 'TokenValidityUnits', 'WriteAttributes',
];
const AUTH_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const OAUTH_FLOWS = ['code', 'implicit', 'client_credentials'];
const REQUIREMENTS = [
  ['RequireUppercase', 'an uppercase letter'],
  ['RequireLowercase', 'a lowercase letter'],
  ['RequireNumbers', 'a number'],
  ['RequireSymbols', 'a symbol'],
] as const;

const checkbox = (name: string, value: string, label: string, checked: boolean) =>
  `<label class="check"><input type="checkbox" name="${e(name)}" value="${e(value)}"${checked ? ' checked' : ''}> ${e(label)}</label>`;
const select = (label: string, name: string, options: [string, string][], current: string) =>
  `<div><label for="in-${e(name)}">${e(label)}</label><select id="in-${e(name)}" name="${e(name)}">${options.map(([value, text]) => `<option value="${e(value)}"${value === current ? ' selected' : ''}>${e(text)}</option>`).join('')}</select></div>`;
const lines = (text: string | null) => (text ?? '').split(/[\s,]+/).map((line) => line.trim()).filter(Boolean);

/** The password policy, MFA and device tracking of a pool, as a form. */
export function poolSettingsFields(pool: any): string {
  const policy = pool.Policies?.PasswordPolicy ?? {};
  const device = pool.DeviceConfiguration;
  const tracking = !device ? 'off' : device.DeviceOnlyRememberedOnUserPrompt ? 'opt-in' : 'always';
  return `<fieldset><legend>Password policy</legend><div class="row">${input('Minimum length', 'MinimumLength', { type: 'number', value: String(policy.MinimumLength ?? 8) })}${input('Temporary passwords last (days)', 'TemporaryPasswordValidityDays', { type: 'number', value: String(policy.TemporaryPasswordValidityDays ?? 7) })}</div>
<div class="row">${REQUIREMENTS.map(([key, text]) => checkbox(key, 'true', `Require ${text}`, policy[key] === true)).join('')}</div></fieldset>
<fieldset><legend>Sign-in</legend><div class="row">${select('MFA', 'Mfa', [['OFF', 'off'], ['OPTIONAL', 'optional (authenticator apps)'], ['ON', 'required (authenticator apps)']], pool.MfaConfiguration ?? 'OFF')}${select('Device tracking', 'DeviceTracking', [['off', 'off'], ['always', 'remember every device'], ['opt-in', 'remember when the user asks']], tracking)}</div>
<div class="row">${checkbox('ChallengeRequiredOnNewDevice', 'true', 'Ask for MFA on a device not remembered', device?.ChallengeRequiredOnNewDevice === true)}${checkbox('DeletionProtection', 'ACTIVE', 'Deletion protection', pool.DeletionProtection === 'ACTIVE')}</div></fieldset>`;
}

/** UpdateUserPool's whole input: the pool as it is, with the form's changes. */
export function poolUpdateInput(pool: any, form: URLSearchParams): Record<string, unknown> {
  const policy = { ...(pool.Policies?.PasswordPolicy ?? {}), MinimumLength: Number(form.get('MinimumLength')), TemporaryPasswordValidityDays: Number(form.get('TemporaryPasswordValidityDays')) };
  for (const [key] of REQUIREMENTS) policy[key] = form.get(key) === 'true';
  const tracking = form.get('DeviceTracking');
  const { MfaConfiguration: _mfa, DeviceConfiguration: _device, AdminCreateUserConfig: adminCreate, ...kept } = pick(pool, POOL_UPDATE_FIELDS);
  // DescribeUserPool still reports the deprecated UnusedAccountValidityDays, which an update may not send beside the policy's.
  const { UnusedAccountValidityDays: _unused, ...adminCreateUserConfig } = (adminCreate ?? {}) as Record<string, unknown>;
  return {
    ...kept,
    AdminCreateUserConfig: adminCreateUserConfig,
    UserPoolId: pool.Id,
    Policies: { ...(pool.Policies ?? {}), PasswordPolicy: policy },
    DeletionProtection: form.get('DeletionProtection') === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE',
    ...(tracking !== 'off' && { DeviceConfiguration: { ChallengeRequiredOnNewDevice: form.get('ChallengeRequiredOnNewDevice') === 'true', DeviceOnlyRememberedOnUserPrompt: tracking === 'opt-in' } }),
  };
}

/** SetUserPoolMfaConfig's input for the MFA chosen, or undefined when it did not change. */
export function mfaInput(pool: any, form: URLSearchParams): Record<string, unknown> | undefined {
  const chosen = form.get('Mfa') ?? 'OFF';
  if (chosen === (pool.MfaConfiguration ?? 'OFF')) return undefined;
  return { UserPoolId: pool.Id, MfaConfiguration: chosen, ...(chosen !== 'OFF' && { SoftwareTokenMfaConfiguration: { Enabled: true } }) };
}

/** An app client's auth flows and OAuth settings, as a form. */
export function clientSettingsFields(client: any): string {
  const flows = new Set(client.ExplicitAuthFlows ?? []);
  const oauth = new Set(client.AllowedOAuthFlows ?? []);
  return `<fieldset><legend>Sign-in flows</legend><div class="row">${AUTH_FLOWS.map((flow) => checkbox('ExplicitAuthFlows', flow, flow, flows.has(flow))).join('')}</div></fieldset>
<fieldset><legend>OAuth 2.0</legend><div class="row">${checkbox('AllowedOAuthFlowsUserPoolClient', 'true', 'Use OAuth', client.AllowedOAuthFlowsUserPoolClient === true)}${OAUTH_FLOWS.map((flow) => checkbox('AllowedOAuthFlows', flow, flow, oauth.has(flow))).join('')}</div>
<div class="row">${input('Scopes (space-separated)', 'AllowedOAuthScopes', { value: (client.AllowedOAuthScopes ?? []).join(' ') })}${input('Identity providers', 'SupportedIdentityProviders', { value: (client.SupportedIdentityProviders ?? []).join(' ') })}</div>
<div class="row">${input('Callback URLs', 'CallbackURLs', { value: (client.CallbackURLs ?? []).join(' ') })}${input('Sign-out URLs', 'LogoutURLs', { value: (client.LogoutURLs ?? []).join(' ') })}</div></fieldset>`;
}

/** UpdateUserPoolClient's whole input: the client as it is, with the form's changes. */
export function clientUpdateInput(client: any, form: URLSearchParams): Record<string, unknown> {
  const list = (name: string) => {
    const values = name === 'ExplicitAuthFlows' || name === 'AllowedOAuthFlows' ? form.getAll(name) : lines(form.get(name));
    return values.length > 0 ? { [name]: values } : {};
  };
  const { ExplicitAuthFlows: _a, AllowedOAuthFlows: _b, AllowedOAuthScopes: _c, SupportedIdentityProviders: _d, CallbackURLs: _e, LogoutURLs: _f, AllowedOAuthFlowsUserPoolClient: _g, ...kept } = pick(client, CLIENT_UPDATE_FIELDS);
  return {
    ...kept,
    UserPoolId: client.UserPoolId,
    ClientId: client.ClientId,
    AllowedOAuthFlowsUserPoolClient: form.get('AllowedOAuthFlowsUserPoolClient') === 'true',
    ...list('ExplicitAuthFlows'),
    ...list('AllowedOAuthFlows'),
    ...list('AllowedOAuthScopes'),
    ...list('SupportedIdentityProviders'),
    ...list('CallbackURLs'),
    ...list('LogoutURLs'),
  };
}
