import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUsersCommand,
  SignUpCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const attribute = (attributes: { Name?: string; Value?: string }[] | undefined, name: string) => attributes?.find((a) => a.Name === name)?.Value;

for (const backend of backends()) {
  describe(`users (${backend})`, () => {
    let gh: TestGatehouse;
    const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}) =>
      (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'users', ...input }))).UserPool!.Id!;
    before(async () => {
      gh = await startTestGatehouse(backend);
    });
    after(() => gh.stop());

    test('seed 001: create, set a permanent password, get, delete, then UserNotFoundException', async () => {
      const userPoolId = await newPool();
      const username = 'kiriukun';
      const { User } = await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username }));
      assert.equal(User!.Username, username);
      assert.deepEqual(User!.Attributes!.map((a) => a.Name), ['sub']);
      assert.match(attribute(User!.Attributes, 'sub')!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(User!.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(User!.Enabled, true);
      assert.ok(User!.UserCreateDate instanceof Date);

      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: 'Mypassword1!', Permanent: true }));
      const got = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
      assert.equal(got.Username, username);
      assert.equal(got.UserStatus, 'CONFIRMED');
      assert.equal(attribute(got.UserAttributes, 'sub'), attribute(User!.Attributes, 'sub'), 'sub never changes');
      assert.equal((got as { Attributes?: unknown }).Attributes, undefined, 'AdminGetUser says UserAttributes');

      await gh.cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
      const gone = await errorOf(gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })));
      assert.deepEqual(gone, { name: 'UserNotFoundException', message: 'User does not exist.', status: 400 });
    });

    test('a duplicate username is UsernameExistsException, with exactly one winner under concurrency', async () => {
      const userPoolId = await newPool();
      const attempts = await Promise.allSettled(
        Array.from({ length: 8 }, () => gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'racer', MessageAction: 'SUPPRESS' }))),
      );
      assert.equal(attempts.filter((a) => a.status === 'fulfilled').length, 1);
      for (const attempt of attempts) {
        if (attempt.status === 'rejected') assert.deepEqual([(attempt.reason as Error).name, (attempt.reason as Error).message], ['UsernameExistsException', 'User account already exists']);
      }
      const { UserPool } = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
      assert.equal(UserPool!.EstimatedNumberOfUsers, 1);
      // SignUp words the same refusal its own way, the words apps compare against.
      const { UserPoolClient } = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'app' }));
      const signUp = await errorOf(gh.cognito.send(new SignUpCommand({ ClientId: UserPoolClient!.ClientId, Username: 'racer', Password: 'Password1!' })));
      assert.deepEqual([signUp.name, signUp.message], ['UsernameExistsException', 'User already exists']);
    });

    test('passwords follow the pool policy; Permanent false leaves FORCE_CHANGE_PASSWORD', async () => {
      const userPoolId = await newPool({ Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true } } });
      const weak = await errorOf(
        gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'weak', TemporaryPassword: 'short1' })),
      );
      assert.equal(weak.name, 'InvalidPasswordException');
      assert.match(weak.message, /^Password did not conform with password policy: /);
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'generated', MessageAction: 'SUPPRESS' }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'generated', Password: 'longenough1', Permanent: false }));
      const got = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'generated' }));
      assert.equal(got.UserStatus, 'FORCE_CHANGE_PASSWORD');
      const noDigits = await errorOf(
        gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'generated', Password: 'nodigitsatall', Permanent: true })),
      );
      assert.equal(noDigits.name, 'InvalidPasswordException');
    });

    test('passwords are stored only as argon2id hashes', async () => {
      const userPoolId = await newPool();
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'hashed', TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS' }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'hashed', Password: 'Permanent1!', Permanent: true }));
      const { items } = await gh.server.storage.users.list(userPoolId, 10);
      assert.match(items[0]!.passwordHash!, /^\$argon2id\$/);
      assert.ok(!JSON.stringify(items).includes('Permanent1!'));
    });

    test('UsernameAttributes: the email signs in, the username is the sub, and emails are unique', async () => {
      const userPoolId = await newPool({ UsernameAttributes: ['email'] });
      const { User } = await gh.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'ann@example.com', MessageAction: 'SUPPRESS' }),
      );
      assert.equal(User!.Username, attribute(User!.Attributes, 'sub'));
      assert.equal(attribute(User!.Attributes, 'email'), 'ann@example.com');
      const byEmail = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'ann@example.com' }));
      assert.equal(byEmail.Username, User!.Username);
      const taken = await errorOf(
        gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'ann@example.com', MessageAction: 'SUPPRESS' })),
      );
      assert.equal(taken.name, 'UsernameExistsException');
      const notEmail = await errorOf(gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'plainname' })));
      assert.equal(notEmail.name, 'InvalidParameterException');
    });

    test('AliasAttributes: a verified email is held by one user; ForceAliasCreation moves it (seed 002)', async () => {
      const userPoolId = await newPool({ AliasAttributes: ['email', 'preferred_username'] });
      const create = (Username: string, force?: boolean) =>
        gh.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username,
            MessageAction: 'SUPPRESS',
            ForceAliasCreation: force,
            UserAttributes: [
              { Name: 'email', Value: 'shared@example.com' },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        );
      await create('first');
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'shared@example.com' }))).Username, 'first');
      const clash = await errorOf(create('second'));
      assert.deepEqual(clash, { name: 'AliasExistsException', message: 'An account with the given email already exists.', status: 400 });
      await create('second', true);
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'shared@example.com' }))).Username, 'second');
      const first = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'first' }));
      assert.equal(attribute(first.UserAttributes, 'email_verified'), 'false', 'the old holder can no longer sign in with it');
      assert.equal(attribute(first.UserAttributes, 'email'), 'shared@example.com');

      await gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: 'first', UserAttributes: [{ Name: 'preferred_username', Value: 'captain' }] }));
      const nick = await errorOf(
        gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: 'second', UserAttributes: [{ Name: 'preferred_username', Value: 'captain' }] })),
      );
      assert.equal(nick.name, 'AliasExistsException');
      const emailAsName = await errorOf(gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'x@example.com' })));
      assert.equal(emailAsName.name, 'InvalidParameterException');
    });

    test('CaseSensitive false makes usernames case-insensitive', async () => {
      const userPoolId = await newPool({ UsernameConfiguration: { CaseSensitive: false } });
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'Alice', MessageAction: 'SUPPRESS' }));
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'ALICE' }))).Username, 'Alice');
      const clash = await errorOf(gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'alice', MessageAction: 'SUPPRESS' })));
      assert.equal(clash.name, 'UsernameExistsException');
      const sensitive = await newPool();
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: sensitive, Username: 'Bob', MessageAction: 'SUPPRESS' }));
      assert.equal((await errorOf(gh.cognito.send(new AdminGetUserCommand({ UserPoolId: sensitive, Username: 'bob' })))).name, 'UserNotFoundException');
    });

    test('states: disable, enable, reset, confirm', async () => {
      const userPoolId = await newPool();
      await gh.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: 'stateful',
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: 'stateful@example.com' },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      await gh.cognito.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: 'stateful' }));
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'stateful' }))).Enabled, false);
      await gh.cognito.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: 'stateful' }));
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'stateful' }))).Enabled, true);
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'stateful', Password: 'Password1!', Permanent: true }));
      const confirmAgain = await errorOf(gh.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: 'stateful' })));
      assert.deepEqual(confirmAgain, { name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED', status: 400 });
      await gh.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'stateful' }));
      assert.equal((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'stateful' }))).UserStatus, 'RESET_REQUIRED');
      const resend = await errorOf(gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'stateful', MessageAction: 'RESEND' })));
      assert.equal(resend.name, 'UnsupportedUserStateException');
      const missing = await errorOf(gh.cognito.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: 'nobody' })));
      assert.equal(missing.name, 'UserNotFoundException');
    });

    test('attributes: schema checks, verification reset on change, deletion', async () => {
      const userPoolId = await newPool({ Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }] });
      await gh.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: 'attrs',
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: 'a@example.com' },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'phone_number', Value: '+819012345678' },
            { Name: 'custom:tier', Value: 'gold' },
          ],
        }),
      );
      await gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: 'attrs', UserAttributes: [{ Name: 'email', Value: 'b@example.com' }] }));
      let got = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'attrs' }));
      assert.equal(attribute(got.UserAttributes, 'email'), 'b@example.com');
      assert.equal(attribute(got.UserAttributes, 'email_verified'), 'false');
      assert.equal(attribute(got.UserAttributes, 'custom:tier'), 'gold');

      const badPhone = await errorOf(
        gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: 'attrs', UserAttributes: [{ Name: 'phone_number', Value: '090-1234-5678' }] })),
      );
      assert.equal(badPhone.name, 'InvalidParameterException');
      const unknown = await errorOf(
        gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: 'attrs', UserAttributes: [{ Name: 'custom:nope', Value: 'x' }] })),
      );
      assert.equal(unknown.name, 'InvalidParameterException');
      assert.match(unknown.message, /custom:nope/);

      await gh.cognito.send(new AdminDeleteUserAttributesCommand({ UserPoolId: userPoolId, Username: 'attrs', UserAttributeNames: ['custom:tier', 'phone_number'] }));
      got = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'attrs' }));
      assert.equal(attribute(got.UserAttributes, 'custom:tier'), undefined);
      assert.equal(attribute(got.UserAttributes, 'phone_number'), undefined);
    });

    test('ListUsers: filters with = and ^=, AttributesToGet, and pages that stay correct while users change', async () => {
      const userPoolId = await newPool();
      const names = ['amy', 'andy', 'bob', 'carl', 'cleo', 'dan', 'dora'];
      for (const name of names) {
        await gh.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: name,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: `${name}@example.com` },
              { Name: 'given_name', Value: name.toUpperCase() },
            ],
          }),
        );
      }
      await gh.cognito.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: 'dan' }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: 'bob', Password: 'Password1!', Permanent: true }));
      const usernames = async (Filter: string) =>
        (await gh.cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter }))).Users!.map((u) => u.Username).sort();
      assert.deepEqual(await usernames('email = "bob@example.com"'), ['bob']);
      assert.deepEqual(await usernames('email ^= "a"'), ['amy', 'andy']);
      assert.deepEqual(await usernames('username ^= "c"'), ['carl', 'cleo']);
      assert.deepEqual(await usernames('given_name = "DORA"'), ['dora']);
      assert.deepEqual(await usernames('status = "Disabled"'), ['dan']);
      assert.deepEqual(await usernames('cognito:user_status = "confirmed"'), ['bob']);
      assert.deepEqual(await usernames(''), names);
      const { Users } = await gh.cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'username = "amy"', AttributesToGet: ['email'] }));
      assert.deepEqual(Users![0]!.Attributes, [{ Name: 'email', Value: 'amy@example.com' }]);
      const sub = attribute((await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'cleo' }))).UserAttributes, 'sub');
      assert.deepEqual(await usernames(`sub = "${sub}"`), ['cleo']);

      const badFilter = await errorOf(gh.cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'email == bob' })));
      assert.equal(badFilter.name, 'InvalidParameterException');
      const custom = await errorOf(gh.cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'custom:tier = "x"' })));
      assert.equal(custom.name, 'InvalidParameterException');
      const tooMany = await errorOf(gh.cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 61 })));
      assert.equal(tooMany.name, 'InvalidParameterException');

      const seen: string[] = [];
      let token: string | undefined;
      let page = 0;
      do {
        const result = await gh.cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, Limit: 2, PaginationToken: token }));
        seen.push(...result.Users!.map((u) => u.Username!));
        if (page++ === 0) {
          await gh.cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: 'carl' }));
          await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: 'zed', MessageAction: 'SUPPRESS' }));
        }
        token = result.PaginationToken;
      } while (token);
      assert.deepEqual(seen, ['amy', 'andy', 'bob', 'cleo', 'dan', 'dora', 'zed']);
    });
  });
}
