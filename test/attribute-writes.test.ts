// Issue 15, point 3 (one rule for every attribute write) and issue 16, points 4 and 7 (Cognito's
// answers to alias clashes and schema errors), through the SDK against a real server.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUsersCommand,
  RespondToAuthChallengeCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, type TestGatehouse } from './support/gatehouse.js';
import { withGatehouseAndMailbox, type Mailbox } from './support/webhook.js';

const PASSWORD = 'Password1!';
const FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const valueOf = (attributes: AttributeType[] | undefined, name: string) => attributes?.find((a) => a.Name === name)?.Value;

for (const backend of backends()) {
  describe(`one rule for attribute writes (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    withGatehouseAndMailbox(backend, (gatehouse, box) => ((gh = gatehouse), (mailbox = box)));

    async function pool(input: Partial<CreateUserPoolCommandInput> = {}, writeAttributes?: string[]) {
      const poolId = (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'attributes', ...input }))).UserPool!.Id!;
      const client = await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: [...FLOWS], WriteAttributes: writeAttributes }));
      return { poolId, clientId: client.UserPoolClient!.ClientId! };
    }
    const get = (poolId: string, username: string) => gh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    const signIn = (poolId: string, clientId: string, username: string, password: string) =>
      gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

    describe('NEW_PASSWORD_REQUIRED', () => {
      let poolId: string;
      let clientId: string;
      let limitedClientId: string;
      before(async () => {
        ({ poolId, clientId } = await pool({
          AliasAttributes: ['email'],
          Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: false }, { Name: 'given_name', Required: true }],
        }));
        limitedClientId = (await gh.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'limited', ExplicitAuthFlows: [...FLOWS], WriteAttributes: ['family_name', 'given_name'] }))).UserPoolClient!.ClientId!;
      });

      async function challenge(username: string, client = clientId) {
        await gh.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: poolId,
            Username: username,
            TemporaryPassword: 'Temporary1!',
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: `${username}@example.com` },
              { Name: 'email_verified', Value: 'true' },
              { Name: 'custom:tier', Value: 'gold' },
            ],
          }),
        );
        const started = await signIn(poolId, client, username, 'Temporary1!');
        assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
        assert.deepEqual(JSON.parse(started.ChallengeParameters!.requiredAttributes!), ['userAttributes.given_name']);
        return started.Session!;
      }
      const answer = (username: string, session: string, attributes: Record<string, string>, client = clientId) =>
        gh.cognito.send(
          new AdminRespondToAuthChallengeCommand({
            UserPoolId: poolId,
            ClientId: client,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: session,
            ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Brand-new1', ...Object.fromEntries(Object.entries(attributes).map(([n, v]) => [`userAttributes.${n}`, v])) },
          }),
        );

      test('an immutable attribute keeps its value; a correction in the same session then succeeds', async () => {
        const session = await challenge('immutable');
        const refused = await errorOf(answer('immutable', session, { given_name: 'Ima', 'custom:tier': 'platinum' }));
        assert.deepEqual(refused, { name: 'InvalidParameterException', message: 'Invalid user attributes: user.custom:tier: Attribute cannot be updated.\n', status: 400 });
        const done = await answer('immutable', session, { given_name: 'Ima', 'custom:tier': 'gold' });
        assert.ok(done.AuthenticationResult?.AccessToken, 'the same value is no change');
        const user = await get(poolId, 'immutable');
        assert.equal(valueOf(user.UserAttributes, 'custom:tier'), 'gold');
        assert.equal(user.UserStatus, 'CONFIRMED');
      });

      test('an email the user already has cannot be swapped there (no takeover through the challenge)', async () => {
        const session = await challenge('takeover');
        const refused = await errorOf(answer('takeover', session, { given_name: 'Tak', email: 'victim@example.com' }));
        assert.deepEqual(refused, { name: 'NotAuthorizedException', message: 'Cannot modify an already provided email', status: 400 });
        const user = await get(poolId, 'takeover');
        assert.equal(valueOf(user.UserAttributes, 'email'), 'takeover@example.com');
        assert.equal(user.UserStatus, 'FORCE_CHANGE_PASSWORD');
        assert.equal((await errorOf(signIn(poolId, clientId, 'victim@example.com', 'Brand-new1'))).name, 'UserNotFoundException');
      });

      test('the verified flags and what the client may not write are refused', async () => {
        const flag = await errorOf(answer('flags', await challenge('flags'), { given_name: 'Fla', email_verified: 'false' }));
        assert.deepEqual(flag, { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute', status: 400 });
        const limited = await errorOf(answer('limited', await challenge('limited', limitedClientId), { given_name: 'Lim', name: 'Not allowed' }, limitedClientId));
        assert.deepEqual(limited, { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute', status: 400 });
        assert.equal((await get(poolId, 'limited')).UserStatus, 'FORCE_CHANGE_PASSWORD');
      });

      test('a required attribute the user lacks is filled in; one left out is named', async () => {
        const session = await challenge('fills');
        assert.deepEqual(await errorOf(answer('fills', session, { family_name: 'Fil' })), { name: 'InvalidParameterException', message: 'Invalid attributes given, given_name is missing', status: 400 });
        const done = await answer('fills', session, { given_name: 'Filly', family_name: 'Fil' });
        assert.ok(done.AuthenticationResult);
        const user = await get(poolId, 'fills');
        assert.equal(valueOf(user.UserAttributes, 'given_name'), 'Filly');
        assert.equal(valueOf(user.UserAttributes, 'email_verified'), 'true', 'untouched');
      });
    });

    test('AdminUpdateUserAttributes: a new email is unverified and gets a code, unless the call verifies it', async () => {
      const { poolId } = await pool({ AutoVerifiedAttributes: ['email'] });
      await gh.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ada', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'ada-1@example.com' }, { Name: 'email_verified', Value: 'true' }] }),
      );
      await gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'ada', UserAttributes: [{ Name: 'email', Value: 'ada-2@example.com' }] }));
      let user = await get(poolId, 'ada');
      assert.equal(valueOf(user.UserAttributes, 'email'), 'ada-2@example.com');
      assert.equal(valueOf(user.UserAttributes, 'email_verified'), 'false');
      const sent = await mailbox.next('ada-2@example.com');
      assert.equal(sent.trigger, 'CustomMessage_UpdateUserAttribute');

      await gh.cognito.send(
        new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'ada', UserAttributes: [{ Name: 'email', Value: 'ada-3@example.com' }, { Name: 'email_verified', Value: 'true' }] }),
      );
      user = await get(poolId, 'ada');
      assert.equal(valueOf(user.UserAttributes, 'email'), 'ada-3@example.com');
      assert.equal(valueOf(user.UserAttributes, 'email_verified'), 'true');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(mailbox.messages.filter((m) => m.destination === 'ada-3@example.com').length, 0, 'no code for a value the call verified');
    });

    test('AdminUpdateUserAttributes under AttributesRequireVerificationBeforeUpdate keeps the old email until the new one is verified', async () => {
      const { poolId, clientId } = await pool({
        AutoVerifiedAttributes: ['email'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      });
      await gh.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'hold', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'hold-old@example.com' }, { Name: 'email_verified', Value: 'true' }] }),
      );
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'hold', Password: PASSWORD, Permanent: true }));
      await gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'hold', UserAttributes: [{ Name: 'email', Value: 'hold-new@example.com' }] }));
      let user = await get(poolId, 'hold');
      assert.equal(valueOf(user.UserAttributes, 'email'), 'hold-old@example.com', 'the old value stays');
      assert.equal(valueOf(user.UserAttributes, 'email_verified'), 'true');
      const { code } = await mailbox.next('hold-new@example.com');
      const { AuthenticationResult } = await signIn(poolId, clientId, 'hold', PASSWORD);
      await gh.cognito.send(new VerifyUserAttributeCommand({ AccessToken: AuthenticationResult!.AccessToken, AttributeName: 'email', Code: code }));
      user = await get(poolId, 'hold');
      assert.equal(valueOf(user.UserAttributes, 'email'), 'hold-new@example.com', 'the new value once verified');
      assert.equal(valueOf(user.UserAttributes, 'email_verified'), 'true');
    });

    for (const kind of ['alias', 'sign-in name'] as const) {
      test(`another user's email through either update operation is AliasExistsException (${kind} pool)`, async () => {
        const emailPool = kind === 'alias' ? { AliasAttributes: ['email' as const] } : { UsernameAttributes: ['email' as const] };
        const { poolId, clientId } = await pool(emailPool);
        const create = async (name: string, email: string) => {
          const created = await gh.cognito.send(
            new AdminCreateUserCommand({ UserPoolId: poolId, Username: kind === 'alias' ? name : email, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] }),
          );
          await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: created.User!.Username!, Password: PASSWORD, Permanent: true }));
          return created.User!.Username!;
        };
        const holder = await create('holder', 'held@example.com');
        const other = await create('other', 'other@example.com');
        const taken = { name: 'AliasExistsException', message: 'An account with the given email already exists.', status: 400 };
        const adminTry = gh.cognito.send(
          new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: other, UserAttributes: [{ Name: 'email', Value: 'held@example.com' }, { Name: 'email_verified', Value: 'true' }] }),
        );
        assert.deepEqual(await errorOf(adminTry), taken);
        const { AuthenticationResult } = await signIn(poolId, clientId, 'other@example.com', PASSWORD);
        if (kind === 'sign-in name') {
          // Unverified or not, a sign-in email is held by one user.
          assert.deepEqual(await errorOf(gh.cognito.send(new UpdateUserAttributesCommand({ AccessToken: AuthenticationResult!.AccessToken, UserAttributes: [{ Name: 'email', Value: 'held@example.com' }] }))), taken);
        }
        assert.equal(valueOf((await get(poolId, holder)).UserAttributes, 'email'), 'held@example.com');
        assert.equal(valueOf((await get(poolId, other)).UserAttributes, 'email'), 'other@example.com');
      });
    }

    test("Cognito's words for schema and attribute errors", async () => {
      const { poolId } = await pool();
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'worded', MessageAction: 'SUPPRESS' }));
      const unknown = await errorOf(gh.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'worded', UserAttributes: [{ Name: 'custom:foo', Value: 'x' }] })));
      assert.deepEqual(unknown, { name: 'InvalidParameterException', message: 'Invalid user attributes: user.custom:foo: Attribute does not exist in the schema.\n', status: 400 });
      const tooLong = await errorOf(gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'long', Schema: [{ Name: 'email', StringAttributeConstraints: { MaxLength: '4096' } }] })));
      assert.deepEqual(tooLong, { name: 'InvalidParameterException', message: 'user.email: String attributes cannot have a length of more than 2048', status: 400 });
      const inverted = await errorOf(gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'inverted', Schema: [{ Name: 'email', StringAttributeConstraints: { MinLength: '10', MaxLength: '5' } }] })));
      assert.deepEqual(inverted, { name: 'InvalidParameterException', message: 'user.email: Max length cannot be less than min length.', status: 400 });
      const customInverted = await errorOf(
        gh.cognito.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: [{ Name: 'code', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '3', MaxLength: '2' } }] })),
      );
      assert.equal(customInverted.message, 'user.custom:code: Max length cannot be less than min length.');
      const listed = await errorOf(gh.cognito.send(new ListUsersCommand({ UserPoolId: poolId, AttributesToGet: ['email', 'custom:nothere'] })));
      assert.equal(listed.name, 'InvalidParameterException');
      const { Users } = await gh.cognito.send(new ListUsersCommand({ UserPoolId: poolId, AttributesToGet: ['sub', 'email'] }));
      assert.deepEqual(Users!.map((u) => u.Attributes!.map((a) => a.Name)), [['sub']]);
    });

    test('UpdateUserAttributes: the verified flags are not the user\'s to write', async () => {
      const { poolId, clientId } = await pool();
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'flags', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'flags@example.com' }] }));
      await gh.cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'flags', Password: PASSWORD, Permanent: true }));
      const { AuthenticationResult } = await signIn(poolId, clientId, 'flags', PASSWORD);
      const refused = await errorOf(gh.cognito.send(new UpdateUserAttributesCommand({ AccessToken: AuthenticationResult!.AccessToken, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] })));
      assert.deepEqual(refused, { name: 'InvalidParameterException', message: 'Cannot modify the non-mutable attribute email_verified', status: 400 });
      assert.equal(valueOf((await get(poolId, 'flags')).UserAttributes, 'email_verified'), undefined);
    });

    test('RespondToAuthChallenge (public) applies the same rule as the Admin call', async () => {
      const { poolId, clientId } = await pool({ AliasAttributes: ['email'] });
      await gh.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'pub', TemporaryPassword: 'Temporary1!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'pub@example.com' }, { Name: 'email_verified', Value: 'true' }] }),
      );
      const started = await gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'pub', PASSWORD: 'Temporary1!' } }));
      const refused = await errorOf(
        gh.cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: started.Session,
            ChallengeResponses: { USERNAME: 'pub', NEW_PASSWORD: 'Brand-new1', 'userAttributes.email': 'elsewhere@example.com' },
          }),
        ),
      );
      assert.deepEqual(refused, { name: 'NotAuthorizedException', message: 'Cannot modify an already provided email', status: 400 });
    });
  });
}
