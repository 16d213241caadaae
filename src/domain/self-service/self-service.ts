import type { CodeDeliveryDetailsType, SignUpRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { ClientRecord, UserRecord } from '../../storage/types.js';
import { checkSecretHash } from '../auth/client-checks.js';
import type { AppClients } from '../clients/app-clients.js';
import type { ClientSettings } from '../clients/client-settings.js';
import type { AttemptLimits } from '../codes/attempt-limits.js';
import { maskDestination, type CodeChannel, type VerificationCodes } from '../codes/verification-codes.js';
import { invalidParameter, notAuthorized } from '../errors.js';
import { checkPassword, POLICY_PREAMBLE } from '../passwords/password-policy.js';
import type { PasswordCredentials } from '../passwords/credentials.js';
import { DEFAULT_PASSWORD_POLICY, type PoolSettings } from '../pools/pool-settings.js';
import type { Authentication } from '../auth/authentication.js';
import { checkRequiredPresent, normalizeAttributes } from '../users/user-attributes.js';
import { userNotFound, type PoolContext, type Users } from '../users/users.js';

export interface PublicCall {
  clientId: string;
  secretHash?: string;
}

/**
 * What users do for themselves with only a client id: sign up and confirm, reset a forgotten
 * password, change their password. Codes travel through the configured message delivery.
 */
export class SelfService {
  constructor(
    private readonly clients: AppClients,
    private readonly users: Users,
    private readonly codes: VerificationCodes,
    private readonly attemptLimits: AttemptLimits,
    private readonly credentials: PasswordCredentials,
    private readonly authentication: Authentication,
    private readonly clock: Clock,
  ) {}

  async signUp(input: SignUpRequest): Promise<{ UserConfirmed: boolean; UserSub: string; CodeDeliveryDetails?: CodeDeliveryDetailsType }> {
    const { client, context } = await this.call({ clientId: input.ClientId!, secretHash: input.SecretHash }, input.Username!);
    const { settings } = context;
    if (settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) throw notAuthorized('SignUp is not permitted for this user pool');
    // The model marks Password optional for passwordless pools, which Gatehouse does not offer.
    if (input.Password === undefined) throw invalidParameter("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
    checkPassword(settings.Policies?.PasswordPolicy ?? DEFAULT_PASSWORD_POLICY, input.Password, POLICY_PREAMBLE.signUp);
    const schema = settings.SchemaAttributes ?? [];
    const writable = (client.config as ClientSettings).WriteAttributes;
    const attributes = normalizeAttributes(input.UserAttributes ?? [], { schema, writer: 'user', creating: true, writableByClient: writable });
    // With UsernameAttributes the sign-in name itself supplies the email or phone number.
    const signInKind = context.names.usernameAttributes.find((kind) => (kind === 'email') === input.Username!.includes('@'));
    checkRequiredPresent(signInKind ? new Map([...attributes, [signInKind, input.Username!]]) : attributes, schema);
    const user = await this.users.insert(context, {
      name: input.Username!,
      attributes: Object.fromEntries(attributes),
      password: input.Password!,
      status: 'UNCONFIRMED',
      passwordExpiresAt: null,
    });
    const channel = confirmationChannel(settings, user);
    const details = channel ? await this.codes.send(settings, user, 'signup', channel, 'CustomMessage_SignUp') : undefined;
    return { UserConfirmed: false, UserSub: user.sub, ...(details && { CodeDeliveryDetails: details }) };
  }

  async confirmSignUp(call: PublicCall, name: string, code: string, forceAliasCreation: boolean): Promise<void> {
    const { context, user } = await this.existingUser(call, name);
    if (user.status !== 'UNCONFIRMED') throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    await this.attemptLimits.take(user, 'ConfirmSignUp');
    await this.codes.use(user, 'signup', code, async (channel) => {
      const confirmed: UserRecord = { ...user, status: 'CONFIRMED', attributes: { ...user.attributes, [`${channel}_verified`]: 'true' } };
      await this.users.save(context, confirmed, { forceAliasCreation });
    });
  }

  async resendConfirmationCode(call: PublicCall, name: string): Promise<CodeDeliveryDetailsType> {
    const hidden = await this.hiddenAbsence(call, name);
    if (hidden) return hidden;
    const { context, user } = await this.existingUser(call, name);
    if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
    const channel = confirmationChannel(context.settings, user);
    if (!channel) throw invalidParameter('Auto verification not turned on.');
    await this.attemptLimits.take(user, 'ResendConfirmationCode');
    return this.codes.send(context.settings, user, 'signup', channel, 'CustomMessage_ResendCode');
  }

  async forgotPassword(call: PublicCall, name: string): Promise<CodeDeliveryDetailsType> {
    const hidden = await this.hiddenAbsence(call, name);
    if (hidden) return hidden;
    const { context, user } = await this.existingUser(call, name);
    if (!user.enabled) throw notAuthorized('User is disabled.');
    await this.attemptLimits.take(user, 'ForgotPassword');
    return this.sendResetCode(context, user, 'CustomMessage_ForgotPassword');
  }

  /** AdminResetUserPassword: RESET_REQUIRED, and a reset code on the user's recovery channel. */
  async adminResetPassword(poolId: string, name: string): Promise<void> {
    const { context, user } = await this.users.get(poolId, name);
    if (!user.enabled) throw notAuthorized('User is disabled.');
    recoveryChannelOrFail(context.settings, user);
    const reset: UserRecord = { ...user, status: 'RESET_REQUIRED', updatedAt: this.clock.now() };
    await this.users.save(context, reset);
    await this.sendResetCode(context, reset, 'CustomMessage_AdminResetUserPassword');
  }

  private sendResetCode(context: PoolContext, user: UserRecord, trigger: string): Promise<CodeDeliveryDetailsType> {
    return this.codes.send(context.settings, user, 'forgot_password', recoveryChannelOrFail(context.settings, user), trigger);
  }

  async confirmForgotPassword(call: PublicCall, name: string, code: string, password: string): Promise<void> {
    const { context, user } = await this.existingUser(call, name);
    checkPassword(context.settings.Policies?.PasswordPolicy ?? DEFAULT_PASSWORD_POLICY, password, POLICY_PREAMBLE.newPassword);
    const resetting = user.status === 'RESET_REQUIRED' || user.status === 'FORCE_CHANGE_PASSWORD';
    await this.attemptLimits.take(user, 'ConfirmForgotPassword');
    await this.codes.use(user, 'forgot_password', code, async () => {
      await this.users.setPermanentPassword(context, user, password, resetting ? { status: 'CONFIRMED' } : {});
    });
  }

  async changePassword(accessToken: string, previous: string, proposed: string): Promise<void> {
    const user = await this.authentication.userOfAccessToken(accessToken);
    const context = await this.users.poolContext(user.poolId);
    // The policy first: it tells nothing about the current password, so a refused proposal costs no attempt.
    checkPassword(context.settings.Policies?.PasswordPolicy ?? DEFAULT_PASSWORD_POLICY, proposed, POLICY_PREAMBLE.newPassword);
    await this.attemptLimits.take(user, 'ChangePassword');
    if (!(await this.credentials.verify(user, previous))) {
      throw notAuthorized('Incorrect username or password.');
    }
    await this.users.setPermanentPassword(context, user, proposed);
  }

  /**
   * With PreventUserExistenceErrors ENABLED an unknown user gets the answer a known one would:
   * a simulated delivery, so the response does not tell who has an account.
   */
  private async hiddenAbsence(call: PublicCall, name: string): Promise<CodeDeliveryDetailsType | undefined> {
    const { client, context } = await this.call(call, name);
    if ((client.config as ClientSettings).PreventUserExistenceErrors !== 'ENABLED') return undefined;
    if (await this.users.find(context, name)) return undefined;
    const email = name.includes('@') ? name : `${name}@example.com`;
    return { Destination: maskDestination('email', email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  }

  private async call(call: PublicCall, name: string): Promise<{ client: ClientRecord; context: PoolContext }> {
    const client = await this.clients.forCall(call.clientId);
    checkSecretHash(client, name, call.secretHash);
    return { client, context: await this.users.poolContext(client.poolId) };
  }

  private async existingUser(call: PublicCall, name: string): Promise<{ context: PoolContext; user: UserRecord }> {
    const { context } = await this.call(call, name);
    const user = await this.users.find(context, name);
    if (!user) throw userNotFound();
    return { context, user };
  }
}

/** Sign-up codes go to an auto-verified attribute the user has: the phone first, as Cognito prefers SMS. */
function confirmationChannel(settings: PoolSettings, user: UserRecord): CodeChannel | undefined {
  const auto = settings.AutoVerifiedAttributes ?? [];
  if (auto.includes('phone_number') && user.attributes.phone_number) return 'phone_number';
  if (auto.includes('email') && user.attributes.email) return 'email';
  return undefined;
}

function recoveryChannelOrFail(settings: PoolSettings, user: UserRecord): CodeChannel {
  const channel = recoveryChannel(settings, user);
  if (!channel) throw invalidParameter('Cannot reset password for the user as there is no registered/verified email or phone_number');
  return channel;
}

/**
 * Reset codes go to the first verified channel in AccountRecoverySetting's priority order;
 * without that setting, Cognito's legacy order: a verified phone, then a verified email.
 */
function recoveryChannel(settings: PoolSettings, user: UserRecord): CodeChannel | undefined {
  const mechanisms = [...(settings.AccountRecoverySetting?.RecoveryMechanisms ?? [])].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));
  const order: CodeChannel[] = mechanisms.length
    ? mechanisms.flatMap((m): CodeChannel[] => (m.Name === 'verified_email' ? ['email'] : m.Name === 'verified_phone_number' ? ['phone_number'] : []))
    : ['phone_number', 'email'];
  return order.find((channel) => user.attributes[channel] && user.attributes[`${channel}_verified`] === 'true');
}
