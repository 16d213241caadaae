import type { AttributeType, CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../storage/types.js';
import type { Authentication } from '../auth/authentication.js';
import type { AppClients } from '../clients/app-clients.js';
import type { ClientSettings } from '../clients/client-settings.js';
import type { AttemptLimits } from '../codes/attempt-limits.js';
import type { CodeChannel, VerificationCodes } from '../codes/verification-codes.js';
import { CognitoError, invalidParameter } from '../errors.js';
import { pendingAttributesOf, withAttributes } from '../users/attribute-writes.js';
import { readableAttributes } from '../users/user-attributes.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { PoolContext, Users } from '../users/users.js';
import type { Caller } from '../triggers/caller.js';

const VERIFIABLE: readonly string[] = ['email', 'phone_number'];

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
  ) {}

  /** UpdateUserAttributes, under the client's WriteAttributes; where codes went. */
  async update(accessToken: string, changes: AttributeType[], caller: Caller): Promise<CodeDeliveryDetailsType[]> {
    const { context, user, clientId } = await this.signedIn(accessToken);
    const writableByClient = (await this.clientSettings(user.poolId, clientId))?.WriteAttributes;
    const door = { operation: 'UpdateUserAttributes', writableByClient } as const;
    return this.users.updateAttributes(context, user, changes, door, 'UpdateUserAttribute', { ...caller, clientId });
  }

  async sendVerificationCode(accessToken: string, attributeName: string, caller: Caller): Promise<CodeDeliveryDetailsType> {
    const { context, user, clientId } = await this.signedIn(accessToken);
    if (!VERIFIABLE.includes(attributeName)) throw invalidParameter(`Invalid attribute name: ${attributeName}`);
    if (!user.attributes[attributeName] && !pendingAttributesOf(user)[attributeName]) {
      throw invalidParameter(`The user does not have a value for ${attributeName}.`);
    }
    await this.attemptLimits.take(user, 'GetUserAttributeVerificationCode');
    return this.codes.sendAttributeVerification(context.settings, user, attributeName as CodeChannel, 'VerifyUserAttribute', { ...caller, clientId });
  }

  /** A right code marks the attribute verified (applying a pending value); a wrong one changes nothing. */
  async verify(accessToken: string, attributeName: string, code: string): Promise<void> {
    const { context, user } = await this.signedIn(accessToken);
    if (!VERIFIABLE.includes(attributeName)) throw invalidParameter(`Invalid attribute name: ${attributeName}`);
    await this.attemptLimits.take(user, 'VerifyUserAttribute');
    await this.codes.use(user, `verify:${attributeName}`, code, async () => {
      await this.users.update(context, user, (current) => {
        const { [attributeName]: waiting, ...pending } = pendingAttributesOf(current);
        const attributes = { ...current.attributes, ...(waiting !== undefined && { [attributeName]: waiting }), [`${attributeName}_verified`]: 'true' };
        return withAttributes(current, { attributes, pending });
      });
    });
  }

  async delete(accessToken: string, names: string[]): Promise<void> {
    const { context, user } = await this.signedIn(accessToken);
    await this.users.deleteAttributes(context, user, names);
  }

  async deleteUser(accessToken: string): Promise<void> {
    const { user } = await this.signedIn(accessToken);
    await this.users.delete(user.poolId, user.username);
  }

  /** GetUser: the user, their pool's settings, and the attributes the token's app client may read. */
  async read(accessToken: string): Promise<{ user: UserRecord; settings: PoolSettings; attributes: AttributeType[] }> {
    const { user, clientId } = await this.authentication.holderOfAccessToken(accessToken);
    const [context, client] = await Promise.all([this.users.poolContext(user.poolId), this.clientSettings(user.poolId, clientId)]);
    return { user, settings: context.settings, attributes: readableAttributes(new Map([['sub', user.sub], ...Object.entries(user.attributes)]), client?.ReadAttributes) };
  }

  /** The settings of the token's app client; a client deleted since limits nothing more. */
  private async clientSettings(poolId: string, clientId: string): Promise<ClientSettings | undefined> {
    const client = await this.clients.get(poolId, clientId).catch((error: unknown) => {
      if (error instanceof CognitoError && error.type === 'ResourceNotFoundException') return undefined;
      throw error;
    });
    return client?.settings;
  }

  /** The signed-in user, their pool, and the app client their access token was issued to. */
  private async signedIn(accessToken: string): Promise<{ context: PoolContext; user: UserRecord; clientId: string }> {
    const { user, clientId } = await this.authentication.holderOfAccessToken(accessToken);
    return { context: await this.users.poolContext(user.poolId), user, clientId };
  }
}
