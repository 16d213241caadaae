import type { CreateGroupRequest, GroupType, UpdateGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import { DuplicateKeyError, type GroupRecord, type Page, type Storage, type UserRecord } from '../../storage/types.js';
import { CognitoError, resourceNotFound } from '../errors.js';
import { updateVersioned } from '../optimistic.js';
import type { UserPools } from '../pools/user-pools.js';
import type { Users } from '../users/users.js';
import type { Wire } from '../wire.js';

const DEFAULT_PAGE = 60;
/** Cognito's quotas, which are not adjustable: groups per pool, and groups a user belongs to. */
const MAX_GROUPS_PER_POOL = 10_000;
const MAX_GROUPS_PER_USER = 100;

export const groupNotFound = () => resourceNotFound('Group not found.');

/**
 * Cognito refuses a group whose name differs from an existing one only in case (changing a
 * group's casing fails with GroupExistsException), so names are compared lower-cased.
 */
const keyOf = (name: string): string => name.toLowerCase();

/** User pool groups and their members, behind the group operations. */
export class Groups {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly users: Users,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateGroupRequest): Promise<GroupRecord> {
    const pool = await this.pools.get(input.UserPoolId!);
    // Checked before the insert, so nodes racing at the limit may pass it by a few; the quota is about size, not security.
    if ((await this.storage.groups.count(pool.id)) >= MAX_GROUPS_PER_POOL) {
      throw new CognitoError('LimitExceededException', `The user pool has reached its limit of ${MAX_GROUPS_PER_POOL} groups.`);
    }
    const now = this.clock.now();
    const group: GroupRecord = {
      poolId: pool.id,
      name: input.GroupName!,
      nameKey: keyOf(input.GroupName!),
      description: input.Description ?? null,
      precedence: input.Precedence ?? null,
      roleArn: input.RoleArn ?? null,
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    try {
      await this.storage.groups.insert(group);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new CognitoError('GroupExistsException', 'A group with the name already exists.');
      throw error;
    }
    return group;
  }

  /** The group, or ResourceNotFoundException for it or for its pool. */
  async get(poolId: string, name: string): Promise<GroupRecord> {
    const group = await this.storage.groups.get(poolId, keyOf(name));
    if (group) return group;
    await this.pools.get(poolId);
    throw groupNotFound();
  }

  /** UpdateGroup changes only what the request names, on the group as stored now. */
  async update(input: UpdateGroupRequest): Promise<GroupRecord> {
    return updateVersioned(
      () => this.get(input.UserPoolId!, input.GroupName!),
      (current) => ({
        ...current,
        description: input.Description ?? current.description,
        precedence: input.Precedence ?? current.precedence,
        roleArn: input.RoleArn ?? current.roleArn,
        updatedAt: this.clock.now(),
      }),
      (group) => this.storage.groups.update(group),
    );
  }

  /** Deletes the group; its members stay users, outside it. */
  async delete(poolId: string, name: string): Promise<void> {
    const group = await this.get(poolId, name);
    if (!(await this.storage.groups.delete(poolId, group.nameKey))) throw groupNotFound();
  }

  async list(poolId: string, limit: number | undefined, after?: string): Promise<Page<GroupRecord>> {
    await this.pools.get(poolId);
    return this.storage.groups.list(poolId, limit || DEFAULT_PAGE, after);
  }

  /** AdminAddUserToGroup: a user already in the group stays in it once. */
  async addUser(poolId: string, groupName: string, username: string): Promise<void> {
    const { group, user } = await this.groupAndUser(poolId, groupName, username);
    const current = await this.storage.groups.allForUser(poolId, user.sub);
    if (current.some((member) => member.nameKey === group.nameKey)) return;
    if (current.length >= MAX_GROUPS_PER_USER) {
      throw new CognitoError('LimitExceededException', `The user has reached the limit of ${MAX_GROUPS_PER_USER} groups a user can belong to.`);
    }
    // Deleted in the meantime: looking again names what is gone, as it would have a moment earlier.
    if (!(await this.storage.groups.addMember(group, user))) await this.groupAndUser(poolId, groupName, username);
  }

  /**
   * Puts a federated user in the group Cognito keeps for each provider, `<poolId>_<ProviderName>`,
   * made with the first user who signs in through it.
   */
  async addToProviderGroup(poolId: string, providerName: string, user: UserRecord): Promise<void> {
    const name = `${poolId}_${providerName}`;
    let group = await this.storage.groups.get(poolId, keyOf(name));
    if (!group) {
      group = await this.create({ UserPoolId: poolId, GroupName: name, Description: `Autogenerated group for users who sign in using ${providerName}` }).catch(async (error: unknown) => {
        const made = await this.storage.groups.get(poolId, keyOf(name));
        if (made) return made;
        throw error;
      });
    }
    await this.storage.groups.addMember(group, user);
  }

  /** AdminRemoveUserFromGroup: a user not in the group is left as they are. */
  async removeUser(poolId: string, groupName: string, username: string): Promise<void> {
    const { group, user } = await this.groupAndUser(poolId, groupName, username);
    await this.storage.groups.removeMember(group, user);
  }

  async listForUser(poolId: string, username: string, limit: number | undefined, after?: string): Promise<Page<GroupRecord>> {
    const { user } = await this.users.get(poolId, username);
    return this.storage.groups.listForUser(poolId, user.sub, limit || DEFAULT_PAGE, after);
  }

  async listMembers(poolId: string, groupName: string, limit: number | undefined, after?: string): Promise<Page<UserRecord>> {
    const group = await this.get(poolId, groupName);
    return this.storage.groups.listMembers(poolId, group.nameKey, limit || DEFAULT_PAGE, after);
  }

  /** The group is looked up first, so a call naming neither reports the group. */
  private async groupAndUser(poolId: string, groupName: string, username: string): Promise<{ group: GroupRecord; user: UserRecord }> {
    const group = await this.get(poolId, groupName);
    const { user } = await this.users.get(poolId, username);
    return { group, user };
  }
}

/** The GroupType every group operation returns; unset fields are left out, as Cognito does. */
export function describeGroup(group: GroupRecord): Wire<GroupType> {
  return {
    GroupName: group.name,
    UserPoolId: group.poolId,
    ...(group.description !== null && { Description: group.description }),
    ...(group.roleArn !== null && { RoleArn: group.roleArn }),
    ...(group.precedence !== null && { Precedence: group.precedence }),
    LastModifiedDate: toEpochSeconds(group.updatedAt),
    CreationDate: toEpochSeconds(group.createdAt),
  };
}
