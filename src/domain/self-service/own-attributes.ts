import type { AttributeType, CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { UserRecord } from '../../storage/types.js';
import type { Authentication } from '../auth/authentication.js';
import type { AppClients } from '../clients/app-clients.js';
import type { ClientSettings } from '../clients/client-settings.js';
import type { AttemptLimits } from '../codes/attempt-limits.js';
import type { CodeChannel, VerificationCodes } from '../codes/verification-codes.js';
import { CognitoError, invalidParameter } from '../errors.js';
import { normalizeAttributes, readableAttributes } from '../users/user-attributes.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { PoolContext, Users } from '../users/users.js';

const VERIFIABLE: readonly string[] = ['email', 'phone_number'];

/** Values waiting for verification before they replace the current ones, kept in the user's settings. */
type PendingAttributes = Record<string, string>;
const pendingOf = (user: UserRecord): PendingAttributes => (user.settings.pendingAttributes as PendingAttributes | undefined) ?? {};

/**
 * A signed-in user's own attributes, through the access-token operations: updating them
 * (with a code for a changed email or phone number), verifying them, deleting them, and the user.
 */
export class OwnAttributes {
  constructor(
    private readonly authentication: Authentication,
    private readonly clients: AppClients,
    private readonly users: Users,
    private readonly codes: VerificationCodes,
    private readonly attemptLimits: AttemptLimits,
    private readonly clock: Clock,
  ) {}

  /**
   * A changed email or phone number is unverified from now on, or, when the pool lists it in
   * AttributesRequireVerificationBeforeUpdate, waits beside the old value (which keeps working)
   * until the code sent to it is verified.
   */
  async update(accessToken: string, changes: AttributeType[]): Promise<CodeDeliveryDetailsType[]> {
    const { context, user, clientId } = await this.signedIn(accessToken);
    const { settings } = context;
    const writableByClient = (await this.clientSettings(user.poolId, clientId))?.WriteAttributes;
    const updates = normalizeAttributes(changes, { schema: settings.SchemaAttributes ?? [], writer: 'user', creating: false, writableByClient });
    const attributes = { ...user.attributes };
    const pending = { ...pendingOf(user) };
    const toVerify: CodeChannel[] = [];
    const holdBack = settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
    for (const [name, value] of updates) {
      const changed = VERIFIABLE.includes(name) && value !== '' && value !== user.attributes[name];
      if (changed && holdBack.includes(name as never) && user.attributes[`${name}_verified`] === 'true') {
        pending[name] = value;
        toVerify.push(name as CodeChannel);
        continue;
      }
      if (value === '') delete attributes[name];
      else attributes[name] = value;
      if (changed) {
        attributes[`${name}_verified`] = 'false';
        delete pending[name];
        if (settings.AutoVerifiedAttributes?.includes(name as never)) toVerify.push(name as CodeChannel);
      }
    }
    const updated = await this.save(context, user, attributes, pending);
    const details: CodeDeliveryDetailsType[] = [];
    for (const channel of toVerify) details.push(await this.sendCode(context, updated, channel, 'CustomMessage_UpdateUserAttribute'));
    return details;
  }

  async sendVerificationCode(accessToken: string, attributeName: string): Promise<CodeDeliveryDetailsType> {
    const { context, user } = await this.signedIn(accessToken);
    if (!VERIFIABLE.includes(attributeName)) throw invalidParameter(`Invalid attribute name: ${attributeName}`);
    if (!user.attributes[attributeName] && !pendingOf(user)[attributeName]) {
      throw invalidParameter(`The user does not have a value for ${attributeName}.`);
    }
    await this.attemptLimits.take(user, 'GetUserAttributeVerificationCode');
    return this.sendCode(context, user, attributeName as CodeChannel, 'CustomMessage_VerifyUserAttribute');
  }

  /** A right code marks the attribute verified (applying a pending value); a wrong one changes nothing. */
  async verify(accessToken: string, attributeName: string, code: string): Promise<void> {
    const { context, user } = await this.signedIn(accessToken);
    if (!VERIFIABLE.includes(attributeName)) throw invalidParameter(`Invalid attribute name: ${attributeName}`);
    await this.attemptLimits.take(user, 'VerifyUserAttribute');
    await this.codes.use(user, `verify:${attributeName}`, code, async () => {
      const pending = { ...pendingOf(user) };
      const attributes = { ...user.attributes, ...(pending[attributeName] !== undefined && { [attributeName]: pending[attributeName] }) };
      attributes[`${attributeName}_verified`] = 'true';
      delete pending[attributeName];
      await this.save(context, user, attributes, pending);
    });
  }

  async delete(accessToken: string, names: string[]): Promise<void> {
    const { user } = await this.signedIn(accessToken);
    await this.users.adminDeleteAttributes(user.poolId, user.username, names);
  }

  async deleteUser(accessToken: string): Promise<void> {
    const { user } = await this.signedIn(accessToken);
    await this.users.delete(user.poolId, user.username);
  }

  /** GetUser: the user, their pool's settings, and the attributes the token's app client may read. */
  async read(accessToken: string): Promise<{ user: UserRecord; settings: PoolSettings; attributes: AttributeType[] }> {
    const { context, user, clientId } = await this.signedIn(accessToken);
    const client = await this.clientSettings(user.poolId, clientId);
    return { user, settings: context.settings, attributes: readableAttributes(new Map([['sub', user.sub], ...Object.entries(user.attributes)]), client?.ReadAttributes) };
  }

  /** The settings of the token's app client; a client deleted since limits nothing more. */
  private async clientSettings(poolId: string, clientId: string): Promise<ClientSettings | undefined> {
    const client = await this.clients.get(poolId, clientId).catch((error: unknown) => {
      if (error instanceof CognitoError && error.type === 'ResourceNotFoundException') return undefined;
      throw error;
    });
    return client?.config as ClientSettings | undefined;
  }

  /** The signed-in user, their pool, and the app client their access token was issued to. */
  private async signedIn(accessToken: string): Promise<{ context: PoolContext; user: UserRecord; clientId: string }> {
    const { user, clientId } = await this.authentication.holderOfAccessToken(accessToken);
    return { context: await this.users.poolContext(user.poolId), user, clientId };
  }

  private async save(context: PoolContext, user: UserRecord, attributes: Record<string, string>, pending: PendingAttributes): Promise<UserRecord> {
    const updated: UserRecord = { ...user, attributes, settings: { ...user.settings, pendingAttributes: pending }, updatedAt: this.clock.now() };
    await this.users.save(context, updated);
    return updated;
  }

  /** The code goes to the value waiting for verification when there is one, else to the current value. */
  private sendCode(context: PoolContext, user: UserRecord, channel: CodeChannel, trigger: string): Promise<CodeDeliveryDetailsType> {
    const target = pendingOf(user)[channel] ?? user.attributes[channel]!;
    return this.codes.send(context.settings, { ...user, attributes: { ...user.attributes, [channel]: target } }, `verify:${channel}`, channel, trigger);
  }
}
