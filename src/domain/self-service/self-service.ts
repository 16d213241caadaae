import type { CodeDeliveryDetailsType, SignUpRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../storage/types.js';
import { checkSecretHash } from '../auth/client-checks.js';
import type { Authentication } from '../auth/authentication.js';
import type { AppClient, AppClients } from '../clients/app-clients.js';
import type { AttemptLimits } from '../codes/attempt-limits.js';
import { decoyDelivery, wrongCode, type CodeChannel, type VerificationCodes } from '../codes/verification-codes.js';
import { CognitoError, invalidParameter, notAuthorized } from '../errors.js';
import type { SecretBox } from '../keys/secret-box.js';
import { checkPassword, POLICY_PREAMBLE } from '../passwords/password-policy.js';
import type { PasswordCredentials } from '../passwords/credentials.js';
import { allowsFirstFactor, type PoolSettings } from '../pools/pool-settings.js';
import { attributesAtCreation } from '../users/attribute-writes.js';
import { checkRequiredPresent } from '../users/user-attributes.js';
import type { PoolContext, Users } from '../users/users.js';
import type { Caller } from '../triggers/caller.js';
import { validationDataOf, type SignUpDecision, type UserTriggers } from '../triggers/user-triggers.js';
import type { ThreatProtection } from '../risk/threat-protection.js';

export interface PublicCall {
  clientId: string;
  secretHash?: string;
  caller: Caller;
}

/** What self-service answers for a name with no user behind it, when the client does not hide that. */
const unknownUser = () => new CognitoError('UserNotFoundException', 'Username/client id combination not found.');

/** A public call's client and pool, and the user it names when there is one. */
interface NamedUserCall {
  client: AppClient;
  context: PoolContext;
  user: UserRecord | undefined;
  /** PreventUserExistenceErrors ENABLED: an unknown user must look like a known one. */
  hidesUsers: boolean;
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
    private readonly secrets: SecretBox,
    private readonly triggers: UserTriggers,
    private readonly threats: ThreatProtection,
  ) {}

  async signUp(input: SignUpRequest, caller: Caller): Promise<{ UserConfirmed: boolean; UserSub: string; CodeDeliveryDetails?: CodeDeliveryDetailsType; Session?: string }> {
    const { client, context } = await this.call({ clientId: input.ClientId!, secretHash: input.SecretHash, caller }, input.Username!);
    const { settings } = context;
    if (settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) throw notAuthorized('SignUp is not permitted for this user pool');
    // Without a password only where the pool signs users in with codes sent to them.
    const password = input.Password ? input.Password : null;
    if (password === null && !passwordlessAllowed(settings)) throw invalidParameter("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
    if (password !== null) checkPassword(settings.Policies.PasswordPolicy, password, POLICY_PREAMBLE.signUp);
    const passwordCheck = { settings, poolId: context.pool.id, clientId: client.clientId, event: 'SIGN_UP' as const };
    const risk = password === null ? undefined : await this.threats.checkNewPassword(passwordCheck, password);
    const attributes = attributesAtCreation(input.UserAttributes ?? [], { operation: 'SignUp', writableByClient: client.settings.WriteAttributes }, settings);
    // With UsernameAttributes the sign-in name itself supplies the email or phone number.
    const signInKind = context.names.usernameAttributes.find((kind) => (kind === 'email') === input.Username!.includes('@'));
    const given = signInKind ? new Map([...attributes, [signInKind, input.Username!]]) : attributes;
    checkRequiredPresent(given, settings.SchemaAttributes ?? []);
    const decision = await this.triggers.preSignUp(
      context.pool,
      'SignUp',
      { username: input.Username!, attributes: Object.fromEntries(given) },
      caller,
      input.ValidationData ? validationDataOf(input.ValidationData) : null,
    );
    const user = await this.users.insert(context, {
      name: input.Username!,
      attributes: { ...Object.fromEntries(attributes), ...autoVerified(decision, Object.fromEntries(given)) },
      password,
      status: decision.autoConfirmUser ? 'CONFIRMED' : 'UNCONFIRMED',
      passwordExpiresAt: null,
      takenMessage: 'User already exists',
    });
    await this.threats.recordNewPassword(passwordCheck, user, risk);
    if (decision.autoConfirmUser) {
      await this.triggers.postConfirmation(context.pool, 'ConfirmSignUp', user, caller);
      return { UserConfirmed: true, UserSub: user.sub, Session: await this.authentication.autoSignInSession(client.clientId, user) };
    }
    const channel = confirmationChannel(settings, user);
    const details = channel ? await this.codes.send(settings, user, 'signup', channel, 'SignUp', caller) : undefined;
    return { UserConfirmed: false, UserSub: user.sub, ...(details && { CodeDeliveryDetails: details }) };
  }

  /** ConfirmSignUp; the Session it answers signs the user in through USER_AUTH without another code. */
  async confirmSignUp(call: PublicCall, name: string, code: string, forceAliasCreation: boolean): Promise<string> {
    const { context, user, hidesUsers } = await this.caller(call, name);
    if (!user) throw hidesUsers ? wrongCode() : unknownUser();
    if (user.status !== 'UNCONFIRMED') throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
    await this.attemptLimits.take(user, 'ConfirmSignUp');
    let confirmed: UserRecord | undefined;
    await this.codes.use(user, 'signup', code, async (channel) => {
      confirmed = await this.users.update(
        context,
        user,
        (current) => {
          if (current.status !== 'UNCONFIRMED') throw notAuthorized(`User cannot be confirmed. Current status is ${current.status}`);
          return { ...current, status: 'CONFIRMED', attributes: { ...current.attributes, [`${channel}_verified`]: 'true' } };
        },
        { forceAliasCreation },
      );
    });
    // Confirmed whatever the function says: a failing PostConfirmation is reported, not undone.
    await this.triggers.postConfirmation(context.pool, 'ConfirmSignUp', confirmed!, call.caller);
    return this.authentication.autoSignInSession(call.clientId, confirmed!);
  }

  async resendConfirmationCode(call: PublicCall, name: string): Promise<CodeDeliveryDetailsType> {
    const { context, user, hidesUsers } = await this.caller(call, name);
    if (!user) {
      if (hidesUsers) return this.decoyDelivery(context, name, confirmationChannels(context.settings));
      throw unknownUser();
    }
    if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
    const channel = confirmationChannel(context.settings, user);
    if (!channel) throw invalidParameter('Auto verification not turned on.');
    await this.attemptLimits.take(user, 'ResendConfirmationCode');
    return this.codes.send(context.settings, user, 'signup', channel, 'ResendCode', call.caller);
  }

  async forgotPassword(call: PublicCall, name: string): Promise<CodeDeliveryDetailsType> {
    const { context, hidesUsers, ...found } = await this.caller(call, name);
    const user = found.user ?? (await this.migrate(context, name, call));
    // A disabled account is as good as none to someone probing names.
    if (hidesUsers && !user?.enabled) return this.decoyDelivery(context, name, recoveryOrder(context.settings));
    if (!user) throw unknownUser();
    if (!user.enabled) throw notAuthorized('User is disabled.');
    checkResettable(user);
    await this.attemptLimits.take(user, 'ForgotPassword');
    return this.sendResetCode(context, user, call.caller);
  }

  /**
   * ForgotPassword for a name nobody has: the pool's migration function may know them, without
   * their password. A function that does not is as good as no user.
   */
  private async migrate(context: PoolContext, name: string, call: PublicCall): Promise<UserRecord | undefined> {
    try {
      return await this.users.migrate(context, name, undefined, 'ForgotPassword', call.caller);
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'UserLambdaValidationException') return undefined;
      throw error;
    }
  }

  /** AdminResetUserPassword: RESET_REQUIRED, and a reset code on the user's recovery channel. */
  async adminResetPassword(poolId: string, name: string, caller: Caller): Promise<void> {
    const { context, user } = await this.users.get(poolId, name);
    if (!user.enabled) throw notAuthorized('User is disabled.');
    checkResettable(user);
    recoveryChannelOrFail(context.settings, user);
    const reset = await this.users.update(context, user, (current) => {
      checkResettable(current);
      return { ...current, status: 'RESET_REQUIRED' };
    });
    await this.sendResetCode(context, reset, caller);
  }

  async confirmForgotPassword(call: PublicCall, name: string, code: string, password: string): Promise<void> {
    const { client, context, user, hidesUsers } = await this.caller(call, name);
    if (!user) throw hidesUsers ? wrongCode() : unknownUser();
    checkPassword(context.settings.Policies.PasswordPolicy, password, POLICY_PREAMBLE.newPassword);
    const passwordCheck = { settings: context.settings, poolId: context.pool.id, clientId: client.clientId, event: 'PASSWORD_CHANGE' as const, user };
    const risk = await this.threats.checkNewPassword(passwordCheck, password);
    await this.attemptLimits.take(user, 'ConfirmForgotPassword');
    let changed: UserRecord | undefined;
    await this.codes.use(user, 'forgot_password', code, async () => {
      changed = await this.users.setPermanentPassword(context, user, password, (current) =>
        current.status === 'RESET_REQUIRED' || current.status === 'FORCE_CHANGE_PASSWORD' ? { status: 'CONFIRMED' } : {},
      );
    });
    await this.threats.recordNewPassword(passwordCheck, user, risk);
    await this.triggers.postConfirmation(context.pool, 'ConfirmForgotPassword', changed!, call.caller);
  }

  async changePassword(accessToken: string, previous: string, proposed: string): Promise<void> {
    const { user, clientId } = await this.authentication.holderOfAccessToken(accessToken);
    const context = await this.users.poolContext(user.poolId);
    // The policy first: it tells nothing about the current password, so a refused proposal costs no attempt.
    checkPassword(context.settings.Policies.PasswordPolicy, proposed, POLICY_PREAMBLE.newPassword);
    const passwordCheck = { settings: context.settings, poolId: context.pool.id, clientId, event: 'PASSWORD_CHANGE' as const, user };
    const risk = await this.threats.checkNewPassword(passwordCheck, proposed);
    await this.attemptLimits.take(user, 'ChangePassword');
    if (!(await this.credentials.verify(user, previous))) {
      throw notAuthorized('Incorrect username or password.');
    }
    await this.users.setPermanentPassword(context, user, proposed);
    await this.threats.recordNewPassword(passwordCheck, user, risk);
  }

  private sendResetCode(context: PoolContext, user: UserRecord, caller: Caller): Promise<CodeDeliveryDetailsType> {
    return this.codes.send(context.settings, user, 'forgot_password', recoveryChannelOrFail(context.settings, user), 'ForgotPassword', caller);
  }

  private decoyDelivery(context: PoolContext, name: string, channels: CodeChannel[]): CodeDeliveryDetailsType {
    return decoyDelivery(this.secrets, context.pool.id, name, channels);
  }

  private async call(call: PublicCall, name: string): Promise<{ client: AppClient; context: PoolContext }> {
    const client = await this.clients.forCall(call.clientId);
    checkSecretHash(client, name, call.secretHash);
    return { client, context: await this.users.poolContext(client.poolId) };
  }

  private async caller(call: PublicCall, name: string): Promise<NamedUserCall> {
    const { client, context } = await this.call(call, name);
    const user = await this.users.find(context, name);
    return { client, context, user, hidesUsers: client.settings.PreventUserExistenceErrors === 'ENABLED' };
  }
}

/**
 * The verified flags a pre sign-up function set. Cognito refuses to mark verified what the user
 * did not give.
 */
function autoVerified(decision: SignUpDecision, attributes: Record<string, string>): Record<string, string> {
  const verified: Record<string, string> = {};
  for (const [flag, attribute] of [['autoVerifyEmail', 'email'], ['autoVerifyPhone', 'phone_number']] as const) {
    if (!decision[flag]) continue;
    if (!attributes[attribute]) throw invalidParameter(`Cannot ${flag} as the user has no ${attribute} attribute.`);
    verified[`${attribute}_verified`] = 'true';
  }
  return verified;
}

/** A user who must still change an administrator's temporary password cannot reset it instead. */
function checkResettable(user: UserRecord): void {
  if (user.status === 'FORCE_CHANGE_PASSWORD') throw notAuthorized('User password cannot be reset in the current state.');
}

/** The channels sign-up codes go to, in Cognito's order: the phone first, as Cognito prefers SMS. */
function confirmationChannels(settings: PoolSettings): CodeChannel[] {
  const auto = settings.AutoVerifiedAttributes ?? [];
  return (['phone_number', 'email'] as const).filter((channel) => auto.includes(channel));
}

/** Sign-up codes go to the first auto-verified attribute the user has. */
function confirmationChannel(settings: PoolSettings, user: UserRecord): CodeChannel | undefined {
  return confirmationChannels(settings).find((channel) => user.attributes[channel]);
}

function recoveryChannelOrFail(settings: PoolSettings, user: UserRecord): CodeChannel {
  const channel = recoveryOrder(settings).find((c) => user.attributes[c] && user.attributes[`${c}_verified`] === 'true');
  if (!channel) throw invalidParameter('Cannot reset password for the user as there is no registered/verified email or phone_number');
  return channel;
}

/**
 * Reset codes go to the first verified channel in AccountRecoverySetting's priority order;
 * without that setting, Cognito's legacy order: a verified phone, then a verified email.
 */
function recoveryOrder(settings: PoolSettings): CodeChannel[] {
  const mechanisms = [...(settings.AccountRecoverySetting?.RecoveryMechanisms ?? [])].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));
  if (mechanisms.length === 0) return ['phone_number', 'email'];
  return mechanisms.flatMap((m): CodeChannel[] => (m.Name === 'verified_email' ? ['email'] : m.Name === 'verified_phone_number' ? ['phone_number'] : []));
}

/** A pool that signs users in with a code sent to them lets them sign up without a password. */
const passwordlessAllowed = (settings: PoolSettings): boolean =>
  allowsFirstFactor(settings, 'EMAIL_OTP') || allowsFirstFactor(settings, 'SMS_OTP');
