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
const textarea = (label: string, name: string, value: string | undefined) =>
  `<div class="wide"><label for="in-${e(name)}">${e(label)}</label><textarea id="in-${e(name)}" name="${e(name)}" rows="3">${e(value ?? '')}</textarea></div>`;
const lines = (text: string | null) => (text ?? '').split(/[\s,]+/).map((line) => line.trim()).filter(Boolean);

/** How users of a new pool sign in: UsernameAttributes or AliasAttributes, and what is verified automatically. */
const SIGN_IN_CHOICES: Record<string, [string, Record<string, unknown>]> = {
  username: ['a username', {}],
  'username-email': ['a username, or their email address as an alias', { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }],
  'username-all': ['a username, or their email, phone number or preferred username as aliases', { AliasAttributes: ['email', 'phone_number', 'preferred_username'], AutoVerifiedAttributes: ['email'] }],
  email: ['their email address', { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }],
  phone: ['their phone number', { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] }],
  'email-phone': ['their email address or phone number', { UsernameAttributes: ['email', 'phone_number'], AutoVerifiedAttributes: ['email'] }],
};

/** The choices of a new pool, as a form. */
export function poolCreateFields(): string {
  return `<div class="row">${input('Pool name', 'PoolName', { required: true })}${select('Users sign in with', 'signIn', Object.entries(SIGN_IN_CHOICES).map(([value, [text]]) => [value, text]), 'username')}${select('MFA', 'Mfa', [['OFF', 'off'], ['OPTIONAL', 'optional (authenticator apps)']], 'OFF')}${input('Minimum password length', 'MinimumLength', { type: 'number', value: '8' })}</div>
<div class="row">${checkbox('SelfSignUp', 'true', 'Users may sign themselves up', true)}${checkbox('DeletionProtection', 'ACTIVE', 'Deletion protection', false)}</div>`;
}

/** CreateUserPool's input from the form of poolCreateFields. */
export function poolCreateInput(form: URLSearchParams): Record<string, unknown> {
  const [, signIn] = SIGN_IN_CHOICES[form.get('signIn') ?? ''] ?? SIGN_IN_CHOICES.username!;
  const minimumLength = Number(form.get('MinimumLength') || 8);
  return {
    PoolName: form.get('PoolName')?.trim() ?? '',
    ...signIn,
    MfaConfiguration: form.get('Mfa') === 'OPTIONAL' ? 'OPTIONAL' : 'OFF',
    Policies: { PasswordPolicy: { MinimumLength: minimumLength, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: form.get('SelfSignUp') !== 'true' },
    DeletionProtection: form.get('DeletionProtection') === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE',
  };
}

/** The functions a pool can name in LambdaConfig by ARN alone (the sender triggers also need a KMS key: API only). */
const TRIGGERS = [
  ['PreSignUp', 'Pre sign-up'], ['PostConfirmation', 'Post confirmation'], ['PreAuthentication', 'Pre authentication'], ['PostAuthentication', 'Post authentication'],
  ['PreTokenGeneration', 'Pre token generation'], ['CustomMessage', 'Custom message'], ['UserMigration', 'User migration'],
  ['DefineAuthChallenge', 'Define auth challenge'], ['CreateAuthChallenge', 'Create auth challenge'], ['VerifyAuthChallengeResponse', 'Verify auth challenge response'],
] as const;

/** The messages a pool sends with codes: verification (sign-up, attribute changes) and the invitation of AdminCreateUser. */
const MESSAGES = [
  ['VerificationEmailSubject', 'Verification email subject', (p: any) => p.VerificationMessageTemplate?.EmailSubject],
  ['VerificationEmailMessage', 'Verification email message (must contain {####})', (p: any) => p.VerificationMessageTemplate?.EmailMessage],
  ['VerificationSmsMessage', 'Verification SMS message (must contain {####})', (p: any) => p.VerificationMessageTemplate?.SmsMessage],
  ['InviteEmailSubject', 'Invitation email subject', (p: any) => p.AdminCreateUserConfig?.InviteMessageTemplate?.EmailSubject],
  ['InviteEmailMessage', 'Invitation email message (must contain {username} and {####})', (p: any) => p.AdminCreateUserConfig?.InviteMessageTemplate?.EmailMessage],
  ['InviteSmsMessage', 'Invitation SMS message (must contain {username} and {####})', (p: any) => p.AdminCreateUserConfig?.InviteMessageTemplate?.SMSMessage],
] as const;

/** The pool's messages and triggers, as form fields. */
function messageAndTriggerFields(pool: any): string {
  const config = pool.LambdaConfig ?? {};
  return `<fieldset><legend>Messages</legend>${MESSAGES.map(([name, label, current]) => (name.endsWith('Subject') ? input(label, name, { value: current(pool) ?? '' }) : textarea(label, name, current(pool)))).join('')}</fieldset>
<fieldset><legend>Triggers (Lambda function ARNs; empty for none)</legend><div class="row">${TRIGGERS.map(([key, label]) => input(label, `Trigger.${key}`, { value: key === 'PreTokenGeneration' ? (config.PreTokenGenerationConfig?.LambdaArn ?? config.PreTokenGeneration ?? '') : (config[key] ?? '') })).join('')}</div></fieldset>`;
}

/** LambdaConfig with the form's ARNs; the pre token generation event version is kept when its function is. */
function lambdaConfigInput(current: any, form: URLSearchParams): Record<string, unknown> {
  const { PreTokenGeneration: _old, PreTokenGenerationConfig: tokenConfig, ...config } = { ...(current ?? {}) } as Record<string, any>;
  for (const [key] of TRIGGERS) {
    const arn = form.get(`Trigger.${key}`)?.trim();
    if (key === 'PreTokenGeneration') {
      if (arn) Object.assign(config, { PreTokenGeneration: arn, PreTokenGenerationConfig: { LambdaVersion: tokenConfig?.LambdaVersion ?? 'V1_0', LambdaArn: arn } });
    } else if (arn) config[key] = arn;
    else delete config[key];
  }
  return config;
}

/** VerificationMessageTemplate and the invitation with the form's texts (an empty field keeps Cognito's default). */
function messagesInput(pool: any, form: URLSearchParams): Record<string, unknown> {
  const text = (name: string) => form.get(name)?.trim() || undefined;
  const template = pick({ ...(pool.VerificationMessageTemplate ?? {}), EmailSubject: text('VerificationEmailSubject'), EmailMessage: text('VerificationEmailMessage'), SmsMessage: text('VerificationSmsMessage') }, [
    'DefaultEmailOption', 'EmailMessage', 'EmailMessageByLink', 'EmailSubject', 'EmailSubjectByLink', 'SmsMessage',
  ]);
  const invite = pick({ EmailSubject: text('InviteEmailSubject'), EmailMessage: text('InviteEmailMessage'), SMSMessage: text('InviteSmsMessage') }, ['EmailSubject', 'EmailMessage', 'SMSMessage']);
  // The older top-level fields say the same as the template; UpdateUserPool refuses the two disagreeing.
  const messages = {
    VerificationMessageTemplate: template,
    EmailVerificationSubject: template.EmailSubject,
    EmailVerificationMessage: template.EmailMessage,
    SmsVerificationMessage: template.SmsMessage,
    invite: Object.keys(invite).length > 0 ? invite : undefined,
  };
  return pick(messages, Object.keys(messages) as (keyof typeof messages)[]);
}

/** The password policy, MFA, device tracking, messages and triggers of a pool, as a form. */
export function poolSettingsFields(pool: any): string {
  const policy = pool.Policies?.PasswordPolicy ?? {};
  const device = pool.DeviceConfiguration;
  const tracking = !device ? 'off' : device.DeviceOnlyRememberedOnUserPrompt ? 'opt-in' : 'always';
  return `<fieldset><legend>Password policy</legend><div class="row">${input('Minimum length', 'MinimumLength', { type: 'number', value: String(policy.MinimumLength ?? 8) })}${input('Temporary passwords last (days)', 'TemporaryPasswordValidityDays', { type: 'number', value: String(policy.TemporaryPasswordValidityDays ?? 7) })}</div>
<div class="row">${REQUIREMENTS.map(([key, text]) => checkbox(key, 'true', `Require ${text}`, policy[key] === true)).join('')}</div></fieldset>
<fieldset><legend>Sign-in</legend><div class="row">${select('MFA', 'Mfa', [['OFF', 'off'], ['OPTIONAL', 'optional (authenticator apps)'], ['ON', 'required (authenticator apps)']], pool.MfaConfiguration ?? 'OFF')}${select('Device tracking', 'DeviceTracking', [['off', 'off'], ['always', 'remember every device'], ['opt-in', 'remember when the user asks']], tracking)}</div>
<div class="row">${checkbox('ChallengeRequiredOnNewDevice', 'true', 'Ask for MFA on a device not remembered', device?.ChallengeRequiredOnNewDevice === true)}${checkbox('DeletionProtection', 'ACTIVE', 'Deletion protection', pool.DeletionProtection === 'ACTIVE')}</div></fieldset>
${messageAndTriggerFields(pool)}`;
}

/** UpdateUserPool's whole input: the pool as it is, with the form's changes. */
export function poolUpdateInput(pool: any, form: URLSearchParams): Record<string, unknown> {
  const policy = { ...(pool.Policies?.PasswordPolicy ?? {}), MinimumLength: Number(form.get('MinimumLength')), TemporaryPasswordValidityDays: Number(form.get('TemporaryPasswordValidityDays')) };
  for (const [key] of REQUIREMENTS) policy[key] = form.get(key) === 'true';
  const tracking = form.get('DeviceTracking');
  const { MfaConfiguration: _mfa, DeviceConfiguration: _device, AdminCreateUserConfig: adminCreate, ...kept } = pick(pool, POOL_UPDATE_FIELDS);
  // DescribeUserPool still reports the deprecated UnusedAccountValidityDays, which an update may not send beside the policy's.
  const { UnusedAccountValidityDays: _unused, InviteMessageTemplate: _invite, ...adminCreateUserConfig } = (adminCreate ?? {}) as Record<string, unknown>;
  const { invite, ...messages } = messagesInput(pool, form);
  const { EmailVerificationSubject: _s, EmailVerificationMessage: _m, SmsVerificationMessage: _v, VerificationMessageTemplate: _t, ...rest } = kept;
  return {
    ...rest,
    ...messages,
    LambdaConfig: lambdaConfigInput(pool.LambdaConfig, form),
    AdminCreateUserConfig: { ...adminCreateUserConfig, ...(invite !== undefined && { InviteMessageTemplate: invite }) },
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
