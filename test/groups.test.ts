import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  DeleteUserPoolCommand,
  GetGroupCommand,
  GetTokensFromRefreshTokenCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type CreateGroupCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { SeedPool } from '../src/config.js';
import { applySeed } from '../src/seed.js';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { adminSignIn, poolWithUser } from './support/sign-in.js';

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const GROUP_NOT_FOUND = { name: 'ResourceNotFoundException', message: 'Group not found.', status: 400 };
const USER_NOT_FOUND = { name: 'UserNotFoundException', message: 'User does not exist.', status: 400 };

for (const backend of backends()) {
  describe(`groups (${backend})`, () => {
    let gh: TestGatehouse;
    before(async () => {
      gh = await startTestGatehouse(backend);
    });
    after(() => gh.stop());

    const newPool = async () => (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'groups' }))).UserPool!.Id!;
    const createGroup = (UserPoolId: string, GroupName: string, input: Partial<CreateGroupCommandInput> = {}) =>
      gh.cognito.send(new CreateGroupCommand({ UserPoolId, GroupName, ...input }));
    const newUsers = (UserPoolId: string, names: string[]) =>
      Promise.all(names.map((Username) => gh.cognito.send(new AdminCreateUserCommand({ UserPoolId, Username, MessageAction: 'SUPPRESS' }))));
    const addUser = (UserPoolId: string, GroupName: string, Username: string) =>
      gh.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, GroupName, Username }));
    const removeUser = (UserPoolId: string, GroupName: string, Username: string) =>
      gh.cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, GroupName, Username }));
    const groupsOf = async (UserPoolId: string, Username: string) =>
      (await gh.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId, Username }))).Groups!.map((g) => g.GroupName);
    const membersOf = async (UserPoolId: string, GroupName: string) =>
      (await gh.cognito.send(new ListUsersInGroupCommand({ UserPoolId, GroupName }))).Users!.map((u) => u.Username);

    test('CreateGroup, GetGroup, UpdateGroup and DeleteGroup in Cognito shapes', async () => {
      const poolId = await newPool();
      const createdAt = gh.clock.now();
      const { Group } = await createGroup(poolId, 'editors', { Description: 'They edit', Precedence: 3, RoleArn: role('editor') });
      assert.deepEqual(Group, {
        GroupName: 'editors',
        UserPoolId: poolId,
        Description: 'They edit',
        RoleArn: role('editor'),
        Precedence: 3,
        LastModifiedDate: new Date(createdAt),
        CreationDate: new Date(createdAt),
      });
      assert.deepEqual((await gh.cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))).Group, Group);

      gh.clock.advance(5000);
      const updated = (await gh.cognito.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Precedence: 0 }))).Group!;
      assert.equal(updated.Precedence, 0);
      assert.equal(updated.Description, 'They edit', 'what the update does not name stays');
      assert.equal(updated.RoleArn, role('editor'));
      assert.deepEqual(updated.CreationDate, Group!.CreationDate);
      assert.equal(updated.LastModifiedDate!.getTime(), createdAt + 5000);

      const bare = await gh.call('CreateGroup', { UserPoolId: poolId, GroupName: 'bare' });
      assert.deepEqual(Object.keys(bare.body.Group).sort(), ['CreationDate', 'GroupName', 'LastModifiedDate', 'UserPoolId'], 'unset fields are left out');
      assert.equal(typeof bare.body.Group.CreationDate, 'number', 'dates are epoch seconds on the wire');

      await gh.cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }));
      assert.deepEqual(await errorOf(gh.cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))), GROUP_NOT_FOUND);
      assert.deepEqual(await errorOf(gh.cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))), GROUP_NOT_FOUND);
      assert.deepEqual(await errorOf(gh.cognito.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Description: 'x' }))), GROUP_NOT_FOUND);
    });

    test('errors: GroupExistsException (names differ by more than case), unknown pools, the model’s rules', async () => {
      const poolId = await newPool();
      await createGroup(poolId, 'Admins');
      const exists = { name: 'GroupExistsException', message: 'A group with the name already exists.', status: 400 };
      assert.deepEqual(await errorOf(createGroup(poolId, 'Admins')), exists);
      assert.deepEqual(await errorOf(createGroup(poolId, 'ADMINS')), exists);
      const raced = await Promise.allSettled(Array.from({ length: 6 }, () => createGroup(poolId, 'racers')));
      assert.equal(raced.filter((r) => r.status === 'fulfilled').length, 1, 'one of concurrent creations wins');

      const missingPool = 'us-east-1_Missing00';
      const noPool = { name: 'ResourceNotFoundException', message: `User pool ${missingPool} does not exist.`, status: 400 };
      assert.deepEqual(await errorOf(createGroup(missingPool, 'x')), noPool);
      assert.deepEqual(await errorOf(gh.cognito.send(new GetGroupCommand({ UserPoolId: missingPool, GroupName: 'x' }))), noPool);
      assert.deepEqual(await errorOf(gh.cognito.send(new ListGroupsCommand({ UserPoolId: missingPool }))), noPool);

      assert.equal((await errorOf(createGroup(poolId, 'has space'))).name, 'InvalidParameterException');
      assert.equal((await errorOf(createGroup(poolId, 'p', { Precedence: -1 }))).name, 'InvalidParameterException');
      assert.equal((await errorOf(createGroup(poolId, 'r', { RoleArn: 'not-an-arn-but-long-enough' }))).name, 'InvalidParameterException');
      assert.equal((await errorOf(gh.cognito.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: 'garbage' })))).name, 'InvalidParameterException');
      const nul = Buffer.from(JSON.stringify({ after: 'a\u0000b' })).toString('base64url');
      const tokenWithNul = await gh.call('ListGroups', { UserPoolId: poolId, NextToken: nul });
      assert.equal(tokenWithNul.status, 400, JSON.stringify(tokenWithNul.body));
    });

    test('ListGroups pages by Limit and NextToken, in name order', async () => {
      const poolId = await newPool();
      const names = ['delta', 'alpha', 'Echo', 'charlie', 'bravo', 'golf', 'foxtrot'];
      for (const name of names) await createGroup(poolId, name);
      const seen: string[] = [];
      let NextToken: string | undefined;
      const sizes: number[] = [];
      do {
        const page = await gh.cognito.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 3, NextToken }));
        sizes.push(page.Groups!.length);
        seen.push(...page.Groups!.map((g) => g.GroupName!));
        NextToken = page.NextToken;
      } while (NextToken);
      assert.deepEqual(sizes, [3, 3, 1]);
      assert.deepEqual(seen, ['alpha', 'bravo', 'charlie', 'delta', 'Echo', 'foxtrot', 'golf']);
      const all = await gh.cognito.send(new ListGroupsCommand({ UserPoolId: poolId }));
      assert.equal(all.Groups!.length, 7);
      assert.equal(all.NextToken, undefined);
    });

    test('members: add (twice is once), list both ways, remove (twice is fine), and the not-found errors', async () => {
      const poolId = await newPool();
      await newUsers(poolId, ['ann', 'bob']);
      await createGroup(poolId, 'readers', { Precedence: 2 });
      await createGroup(poolId, 'writers');
      await addUser(poolId, 'readers', 'ann');
      await addUser(poolId, 'readers', 'ann');
      await addUser(poolId, 'readers', 'bob');
      await addUser(poolId, 'WRITERS', 'ann');
      assert.deepEqual(await membersOf(poolId, 'readers'), ['ann', 'bob']);
      assert.deepEqual(await groupsOf(poolId, 'ann'), ['readers', 'writers']);
      const { Groups } = await gh.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ann', Limit: 1 }));
      assert.equal(Groups![0]!.Precedence, 2, 'AdminListGroupsForUser returns whole GroupTypes');
      const { Users } = await gh.cognito.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'readers' }));
      assert.equal(Users![0]!.UserStatus, 'FORCE_CHANGE_PASSWORD', 'ListUsersInGroup returns whole UserTypes');
      assert.ok(Users![0]!.Attributes!.some((a) => a.Name === 'sub'));

      await removeUser(poolId, 'readers', 'ann');
      await removeUser(poolId, 'readers', 'ann');
      assert.deepEqual(await membersOf(poolId, 'readers'), ['bob']);
      assert.deepEqual(await groupsOf(poolId, 'ann'), ['writers']);

      assert.deepEqual(await errorOf(addUser(poolId, 'nobody-group', 'ann')), GROUP_NOT_FOUND);
      assert.deepEqual(await errorOf(addUser(poolId, 'readers', 'nobody')), USER_NOT_FOUND);
      assert.deepEqual(await errorOf(addUser(poolId, 'nobody-group', 'nobody')), GROUP_NOT_FOUND);
      assert.deepEqual(await errorOf(removeUser(poolId, 'nobody-group', 'ann')), GROUP_NOT_FOUND);
      assert.deepEqual(await errorOf(removeUser(poolId, 'readers', 'nobody')), USER_NOT_FOUND);
      assert.deepEqual(await errorOf(membersOf(poolId, 'nobody-group')), GROUP_NOT_FOUND);
      assert.deepEqual(await errorOf(groupsOf(poolId, 'nobody')), USER_NOT_FOUND);
    });

    test('paging stays exact while membership changes: no repeats, and no member present throughout is skipped', async () => {
      const poolId = await newPool();
      const names = Array.from({ length: 30 }, (_, i) => `member${String(i).padStart(2, '0')}`);
      await newUsers(poolId, [...names, 'aaa-late', 'zzz-late']);
      await createGroup(poolId, 'big');
      for (const name of names) await addUser(poolId, 'big', name);

      const seen: string[] = [];
      const removed = new Set<string>();
      const removedUnseen = new Set<string>();
      let NextToken: string | undefined;
      let round = 0;
      do {
        const page = await gh.cognito.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'big', Limit: 4, NextToken }));
        seen.push(...page.Users!.map((u) => u.Username!));
        NextToken = page.NextToken;
        // Between pages: members leave behind and ahead of the cursor, and new ones join on both sides.
        for (const name of [seen[seen.length - 1]!, names[names.length - 1 - round]!]) {
          if (!seen.includes(name)) removedUnseen.add(name);
          await removeUser(poolId, 'big', name);
          removed.add(name);
        }
        if (round === 1) {
          await addUser(poolId, 'big', 'aaa-late');
          await addUser(poolId, 'big', 'zzz-late');
        }
        round++;
      } while (NextToken);

      assert.equal(new Set(seen).size, seen.length, `no member appears twice: ${seen.join(',')}`);
      for (const name of names.filter((n) => !removed.has(n))) assert.ok(seen.includes(name), `${name} was a member throughout and is listed`);
      for (const name of removedUnseen) assert.ok(!seen.includes(name), `${name} left before the cursor reached it`);
      assert.ok(removedUnseen.size > 0);
      assert.ok(seen.includes('zzz-late'), 'a member who joins ahead of the cursor is listed');
      assert.ok(!seen.includes('aaa-late'), 'a member who joins behind the cursor is not');

      await createGroup(poolId, 'g1');
      await createGroup(poolId, 'g2');
      await createGroup(poolId, 'g3');
      for (const g of ['g1', 'g2', 'g3']) await addUser(poolId, g, 'aaa-late');
      const first = await gh.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'aaa-late', Limit: 2 }));
      await removeUser(poolId, 'g1', 'aaa-late');
      const second = await gh.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'aaa-late', Limit: 2, NextToken: first.NextToken }));
      assert.deepEqual([...first.Groups!, ...second.Groups!].map((g) => g.GroupName), ['big', 'g1', 'g2', 'g3']);
      assert.equal(second.NextToken, undefined);
    });

    test('tokens: cognito:groups by precedence in both, roles and the preferred role in the ID token, fresh on every sign-in and refresh', async () => {
      const target = await poolWithUser(gh.cognito, 'claims');
      const { poolId } = target;
      const none = await adminSignIn(gh.cognito, target);
      for (const token of [none.IdToken!, none.AccessToken!]) {
        const claims = decode(token);
        for (const claim of ['cognito:groups', 'cognito:roles', 'cognito:preferred_role']) assert.equal(claims[claim], undefined, `no ${claim} without groups`);
      }

      await createGroup(poolId, 'staff', { Precedence: 5, RoleArn: role('staff') });
      await createGroup(poolId, 'admins', { Precedence: 1, RoleArn: role('admin') });
      await createGroup(poolId, 'everyone', { RoleArn: role('everyone') });
      await createGroup(poolId, 'beta', { Precedence: 1 });
      for (const group of ['staff', 'admins', 'everyone', 'beta']) await addUser(poolId, group, target.username);

      const signedIn = await adminSignIn(gh.cognito, target);
      const id = decode(signedIn.IdToken!);
      const access = decode(signedIn.AccessToken!);
      assert.deepEqual(id['cognito:groups'], ['admins', 'beta', 'staff', 'everyone'], 'lowest precedence first, ties by name, no precedence last');
      assert.deepEqual(access['cognito:groups'], id['cognito:groups']);
      assert.deepEqual(id['cognito:roles'], [role('admin'), role('staff'), role('everyone')]);
      assert.equal(id['cognito:preferred_role'], role('admin'));
      assert.equal(access['cognito:roles'], undefined, 'roles are ID-token claims');
      assert.equal(access['cognito:preferred_role'], undefined);

      const refresh = async () => {
        const { AuthenticationResult } = await gh.cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: poolId,
            ClientId: target.clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken! },
          }),
        );
        return { id: decode(AuthenticationResult!.IdToken!), access: decode(AuthenticationResult!.AccessToken!) };
      };

      await removeUser(poolId, 'admins', target.username);
      let tokens = await refresh();
      assert.deepEqual(tokens.access['cognito:groups'], ['beta', 'staff', 'everyone']);
      assert.equal(tokens.id['cognito:preferred_role'], role('staff'), 'the best-ranked group that has a role');

      await gh.cognito.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'everyone', Precedence: 5 }));
      tokens = await refresh();
      assert.deepEqual(tokens.id['cognito:roles'], [role('everyone'), role('staff')]);
      assert.equal(tokens.id['cognito:preferred_role'], undefined, 'groups tied on precedence with different roles: no preferred role');

      await gh.cognito.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'everyone', RoleArn: role('staff') }));
      const { AuthenticationResult } = await gh.cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: target.clientId, RefreshToken: signedIn.RefreshToken! }));
      const rotated = decode(AuthenticationResult!.IdToken!);
      assert.deepEqual(rotated['cognito:roles'], [role('staff')], 'each role once');
      assert.equal(rotated['cognito:preferred_role'], role('staff'), 'tied groups with the same role: that role');

      for (const group of ['staff', 'everyone', 'beta']) await gh.cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: group }));
      tokens = await refresh();
      assert.equal(tokens.id['cognito:groups'], undefined);
      assert.equal(tokens.access['cognito:groups'], undefined);
      assert.equal(tokens.id['cognito:roles'], undefined);
    });

    test('deletions cascade: a group takes its memberships, a user theirs, a pool its groups', async () => {
      const poolId = await newPool();
      await newUsers(poolId, ['ann', 'bob']);
      await createGroup(poolId, 'one');
      await createGroup(poolId, 'two');
      for (const group of ['one', 'two']) for (const user of ['ann', 'bob']) await addUser(poolId, group, user);

      await gh.cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'one' }));
      assert.deepEqual(await groupsOf(poolId, 'ann'), ['two']);
      await createGroup(poolId, 'one');
      assert.deepEqual(await membersOf(poolId, 'one'), [], 'a group made again under the name starts empty');

      const bob = (await gh.server.storage.users.getByUsername(poolId, 'bob'))!;
      await gh.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'bob' }));
      assert.deepEqual(await membersOf(poolId, 'two'), ['ann']);
      assert.deepEqual(await gh.server.storage.groups.allForUser(poolId, bob.sub), []);
      await newUsers(poolId, ['bob']);
      assert.deepEqual(await groupsOf(poolId, 'bob'), [], 'a user made again under the name is in no group');

      await gh.cognito.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
      assert.deepEqual((await gh.server.storage.groups.list(poolId, 10)).items, []);
      const ann = await gh.server.storage.users.getByUsername(poolId, 'ann');
      assert.equal(ann, undefined);
    });

    test('adding members while the group or the users are deleted answers each call with success or not-found, never a 500', async () => {
      const poolId = await newPool();
      for (let round = 0; round < 3; round++) {
        const names = Array.from({ length: 12 }, (_, i) => `racer-${round}-${i}`);
        await newUsers(poolId, names);
        await createGroup(poolId, `racing-${round}`);
        const adds = names.map((name) => gh.call('AdminAddUserToGroup', { UserPoolId: poolId, GroupName: `racing-${round}`, Username: name }));
        const deletions = [
          gh.call('DeleteGroup', { UserPoolId: poolId, GroupName: `racing-${round}` }),
          ...names.slice(0, 4).map((name) => gh.call('AdminDeleteUser', { UserPoolId: poolId, Username: name })),
        ];
        const answers = await Promise.all([...adds, ...deletions]);
        for (const answer of answers) {
          assert.ok(answer.status === 200 || ['ResourceNotFoundException', 'UserNotFoundException'].includes(answer.body.__type), JSON.stringify(answer.body));
        }
        assert.deepEqual(await membersOf(poolId, `racing-${round}`).catch((error) => error.name), 'ResourceNotFoundException', 'the group is gone');
      }
    });

    test('quotas: a pool holds at most 10,000 groups', { skip: backend !== 'sqlite' && 'the limit is one count; creating 10,000 groups once is enough' }, async () => {
      const poolId = await newPool();
      for (let start = 0; start < 10_000; start += 100) {
        const batch = Array.from({ length: 100 }, (_, i) => gh.call('CreateGroup', { UserPoolId: poolId, GroupName: `q${start + i}` }));
        for (const answer of await Promise.all(batch)) assert.equal(answer.status, 200);
      }
      const over = await gh.call('CreateGroup', { UserPoolId: poolId, GroupName: 'one-too-many' });
      assert.deepEqual([over.status, over.body.__type], [400, 'LimitExceededException']);
      await gh.call('DeleteGroup', { UserPoolId: poolId, GroupName: 'q0' });
      assert.equal((await gh.call('CreateGroup', { UserPoolId: poolId, GroupName: 'one-too-many' })).status, 200, 'room again after a deletion');
    });

    test('quotas: a user belongs to at most 100 groups (adding one they are in stays fine)', async () => {
      const poolId = await newPool();
      await newUsers(poolId, ['joiner']);
      for (let i = 0; i < 101; i++) await gh.call('CreateGroup', { UserPoolId: poolId, GroupName: `g${String(i).padStart(3, '0')}` });
      for (let i = 0; i < 100; i++) {
        assert.equal((await gh.call('AdminAddUserToGroup', { UserPoolId: poolId, GroupName: `g${String(i).padStart(3, '0')}`, Username: 'joiner' })).status, 200);
      }
      const over = await gh.call('AdminAddUserToGroup', { UserPoolId: poolId, GroupName: 'g100', Username: 'joiner' });
      assert.deepEqual([over.status, over.body.__type], [400, 'LimitExceededException']);
      assert.equal((await gh.call('AdminAddUserToGroup', { UserPoolId: poolId, GroupName: 'g007', Username: 'joiner' })).status, 200, 'already a member');
      const first = await gh.call('AdminListGroupsForUser', { UserPoolId: poolId, Username: 'joiner', Limit: 60 });
      const rest = await gh.call('AdminListGroupsForUser', { UserPoolId: poolId, Username: 'joiner', Limit: 60, NextToken: first.body.NextToken });
      assert.equal(first.body.Groups.length + rest.body.Groups.length, 100);
    });

    test('the seed declares groups and memberships, and applying it again changes nothing twice', async () => {
      const pools: SeedPool[] = [
        {
          Id: 'us-east-1_GroupSeed1',
          PoolName: 'seeded',
          Groups: [
            { GroupName: 'admins', Description: 'Admins', Precedence: 0, RoleArn: role('admin') },
            { GroupName: 'users', Precedence: 10 },
          ],
          Users: [{ Username: 'dev', Password: 'Dev-password-1', Groups: ['admins', 'users'] }],
        },
      ];
      const seeded = await startTestGatehouse(backend, { userPools: pools });
      try {
        const poolId = 'us-east-1_GroupSeed1';
        const check = async () => {
          const { Groups } = await seeded.cognito.send(new ListGroupsCommand({ UserPoolId: poolId }));
          assert.deepEqual(Groups!.map((g) => [g.GroupName, g.Description, g.Precedence, g.RoleArn]), [
            ['admins', 'Admins', 0, role('admin')],
            ['users', undefined, 10, undefined],
          ]);
          const { Users } = await seeded.cognito.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
          assert.deepEqual(Users!.map((u) => u.Username), ['dev']);
          assert.equal(Users![0]!.UserStatus, 'CONFIRMED');
        };
        await check();
        await seeded.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'users', Username: 'dev' }));
        await seeded.cognito.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', Precedence: 7 }));
        await applySeed(seeded.server.services, pools);
        await check();

        const undeclared: SeedPool[] = [{ ...pools[0]!, Users: [{ Username: 'dev', Groups: ['nope'] }] }];
        await assert.rejects(applySeed(seeded.server.services, undeclared), /userPools\[0\] \(seeded\): Group not found\./);
      } finally {
        await seeded.stop();
      }
    });
  });
}
