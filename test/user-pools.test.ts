import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddCustomAttributesCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

for (const backend of backends()) {
  describe(`user pools (${backend})`, () => {
    let gh: TestGatehouse;
    before(async () => {
      gh = await startTestGatehouse(backend);
    });
    after(() => gh.stop());

    test('CreateUserPool returns the whole pool with Cognito defaults; DescribeUserPool returns the same', async () => {
      const before = Date.now() / 1000;
      const { UserPool: created } = await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'defaults' }));
      assert.ok(created);
      assert.match(created.Id!, /^us-east-1_[0-9a-zA-Z]{9}$/);
      assert.equal(created.Name, 'defaults');
      assert.equal(created.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${created.Id}`);
      assert.ok(created.CreationDate instanceof Date, 'dates parse as numbers of epoch seconds');
      assert.ok(Math.abs(created.CreationDate.getTime() / 1000 - before) < 60);
      assert.deepEqual(created.Policies?.PasswordPolicy, {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 7,
      });
      assert.equal(created.MfaConfiguration, 'OFF');
      assert.equal(created.DeletionProtection, 'INACTIVE');
      assert.equal(created.UserPoolTier, 'ESSENTIALS');
      assert.equal(created.EstimatedNumberOfUsers, 0);
      assert.deepEqual(created.AdminCreateUserConfig, { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 });
      assert.equal(created.VerificationMessageTemplate?.DefaultEmailOption, 'CONFIRM_WITH_CODE');
      const names = created.SchemaAttributes!.map((a) => a.Name);
      for (const name of ['sub', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'preferred_username', 'updated_at']) {
        assert.ok(names.includes(name), `schema has ${name}`);
      }
      const sub = created.SchemaAttributes!.find((a) => a.Name === 'sub')!;
      assert.equal(sub.Mutable, false);
      assert.equal(sub.Required, true);

      const { UserPool: described } = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }));
      assert.deepEqual(described, created);
    });

    test('CreateUserPool stores the configuration it is given', async () => {
      const { UserPool: pool } = await gh.cognito.send(
        new CreateUserPoolCommand({
          PoolName: 'configured',
          Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true, TemporaryPasswordValidityDays: 1 } },
          UsernameAttributes: ['email'],
          AutoVerifiedAttributes: ['email'],
          UsernameConfiguration: { CaseSensitive: false },
          DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
          AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
          Schema: [
            { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
            { Name: 'tenant', AttributeDataType: 'String', Mutable: false, StringAttributeConstraints: { MinLength: '1', MaxLength: '64' } },
          ],
          LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:pre' },
          VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailMessage: 'Your code is {####}', EmailSubject: 'Verify' },
          AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
          UserPoolTags: { team: 'identity' },
        }),
      );
      assert.ok(pool);
      assert.deepEqual(pool.Policies?.PasswordPolicy, {
        MinimumLength: 12,
        RequireUppercase: false,
        RequireLowercase: false,
        RequireNumbers: true,
        RequireSymbols: false,
        TemporaryPasswordValidityDays: 1,
      });
      assert.deepEqual(pool.UsernameAttributes, ['email']);
      assert.deepEqual(pool.AutoVerifiedAttributes, ['email']);
      assert.deepEqual(pool.UsernameConfiguration, { CaseSensitive: false });
      assert.deepEqual(pool.DeviceConfiguration, { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
      assert.deepEqual(pool.AccountRecoverySetting, { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
      assert.equal(pool.SchemaAttributes!.find((a) => a.Name === 'email')!.Required, true);
      const tenant = pool.SchemaAttributes!.find((a) => a.Name === 'custom:tenant');
      assert.deepEqual(tenant, {
        Name: 'custom:tenant',
        AttributeDataType: 'String',
        DeveloperOnlyAttribute: false,
        Mutable: false,
        Required: false,
        StringAttributeConstraints: { MinLength: '1', MaxLength: '64' },
      });
      assert.equal(pool.LambdaConfig?.PreSignUp, 'arn:aws:lambda:us-east-1:000000000000:function:pre');
      assert.equal(pool.EmailVerificationMessage, 'Your code is {####}');
      assert.equal(pool.EmailVerificationSubject, 'Verify');
      assert.equal(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly, true);
      assert.deepEqual(pool.UserPoolTags, { team: 'identity' });
    });

    test('invalid combinations are refused with Cognito exceptions', async () => {
      const both = await errorOf(
        gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'x', UsernameAttributes: ['email'], AliasAttributes: ['phone_number'] })),
      );
      assert.equal(both.name, 'InvalidParameterException');
      assert.equal(both.status, 400);
      assert.match(both.message, /aliasAttributes or usernameAttributes/);

      const requiredCustom = await errorOf(
        gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'x', Schema: [{ Name: 'tier', AttributeDataType: 'String', Required: true }] })),
      );
      assert.equal(requiredCustom.name, 'InvalidParameterException');

      const requiredAlias = await errorOf(
        gh.cognito.send(
          new CreateUserPoolCommand({ PoolName: 'x', AliasAttributes: ['preferred_username'], Schema: [{ Name: 'preferred_username', Required: true }] }),
        ),
      );
      assert.equal(requiredAlias.name, 'InvalidParameterException', 'seed 002: preferred_username cannot be required and an alias');

      const shortPassword = await errorOf(
        gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'x', Policies: { PasswordPolicy: { MinimumLength: 3 } } })),
      );
      assert.equal(shortPassword.name, 'InvalidParameterException');
      assert.match(shortPassword.message, /policies\.passwordPolicy\.minimumLength/);

      const noName = await errorOf(gh.cognito.send(new CreateUserPoolCommand({} as never)));
      assert.equal(noName.name, 'InvalidParameterException');
      assert.match(noName.message, /Value null at 'poolName' failed to satisfy constraint: Member must not be null/);
    });

    test('DescribeUserPool on an unknown pool is ResourceNotFoundException with status 400', async () => {
      const error = await errorOf(gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_nothere00' })));
      assert.deepEqual(error, { name: 'ResourceNotFoundException', message: 'User pool us-east-1_nothere00 does not exist.', status: 400 });
    });

    test('UpdateUserPool replaces the mutable settings and keeps what is fixed at creation', async () => {
      const { UserPool: pool } = await gh.cognito.send(
        new CreateUserPoolCommand({
          PoolName: 'to-update',
          AliasAttributes: ['email'],
          MfaConfiguration: 'OFF',
          AutoVerifiedAttributes: ['email'],
          Schema: [{ Name: 'plan', AttributeDataType: 'String' }],
        }),
      );
      gh.clock.advance(5000);
      await gh.cognito.send(
        new UpdateUserPoolCommand({
          UserPoolId: pool!.Id,
          Policies: { PasswordPolicy: { MinimumLength: 10 } },
          DeletionProtection: 'ACTIVE',
        }),
      );
      const { UserPool: updated } = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool!.Id }));
      assert.equal(updated!.Policies?.PasswordPolicy?.MinimumLength, 10);
      assert.equal(updated!.DeletionProtection, 'ACTIVE');
      assert.equal(updated!.AutoVerifiedAttributes, undefined, 'omitted settings return to their defaults');
      assert.deepEqual(updated!.AliasAttributes, ['email']);
      assert.ok(updated!.SchemaAttributes!.some((a) => a.Name === 'custom:plan'));
      assert.equal(updated!.Name, 'to-update');
      assert.equal(updated!.LastModifiedDate!.getTime() - updated!.CreationDate!.getTime(), 5000);

      const protectedDelete = await errorOf(gh.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool!.Id })));
      assert.equal(protectedDelete.name, 'InvalidParameterException');
      await gh.cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool!.Id, DeletionProtection: 'INACTIVE' }));
      await gh.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool!.Id }));
      const gone = await errorOf(gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool!.Id })));
      assert.equal(gone.name, 'ResourceNotFoundException');
      const again = await errorOf(gh.cognito.send(new DeleteUserPoolCommand({ UserPoolId: pool!.Id })));
      assert.equal(again.name, 'ResourceNotFoundException');
    });

    test('ListUserPools pages with MaxResults and NextToken, even while pools come and go', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const { UserPool } = await gh.cognito.send(new CreateUserPoolCommand({ PoolName: `listed-${i}` }));
        ids.push(UserPool!.Id!);
      }
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await gh.cognito.send(new ListUserPoolsCommand({ MaxResults: 3, NextToken: token }));
        assert.ok(page.UserPools!.length <= 3);
        for (const pool of page.UserPools!) {
          assert.ok(pool.CreationDate instanceof Date);
          assert.ok(pool.LambdaConfig);
          seen.push(pool.Id!);
        }
        if (pages === 0) {
          // Deleting a pool not yet listed and adding more must not repeat or skip the rest.
          const unseen = ids.find((id) => !seen.includes(id))!;
          await gh.cognito.send(new DeleteUserPoolCommand({ UserPoolId: unseen }));
          ids.splice(ids.indexOf(unseen), 1);
        }
        token = page.NextToken;
        pages++;
      } while (token);
      assert.equal(new Set(seen).size, seen.length, 'no pool listed twice');
      for (const id of ids) assert.ok(seen.includes(id), `${id} listed`);

      const missing = await errorOf(gh.cognito.send(new ListUserPoolsCommand({} as never)));
      assert.equal(missing.name, 'InvalidParameterException');
      const bad = await errorOf(gh.cognito.send(new ListUserPoolsCommand({ MaxResults: 5, NextToken: 'garbage' })));
      assert.equal(bad.name, 'InvalidParameterException');
    });

    test('AddCustomAttributes appends custom: attributes and refuses duplicates', async () => {
      const { UserPool: pool } = await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'custom' }));
      await gh.cognito.send(
        new AddCustomAttributesCommand({
          UserPoolId: pool!.Id,
          CustomAttributes: [
            { Name: 'department', AttributeDataType: 'String' },
            { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
          ],
        }),
      );
      const { UserPool: described } = await gh.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool!.Id }));
      const level = described!.SchemaAttributes!.find((a) => a.Name === 'custom:level');
      assert.deepEqual(level?.NumberAttributeConstraints, { MinValue: '1', MaxValue: '10' });
      assert.ok(described!.SchemaAttributes!.some((a) => a.Name === 'custom:department'));
      const duplicate = await errorOf(
        gh.cognito.send(new AddCustomAttributesCommand({ UserPoolId: pool!.Id, CustomAttributes: [{ Name: 'department', AttributeDataType: 'String' }] })),
      );
      assert.equal(duplicate.name, 'InvalidParameterException');
      const unknownPool = await errorOf(
        gh.cognito.send(new AddCustomAttributesCommand({ UserPoolId: 'us-east-1_nothere00', CustomAttributes: [{ Name: 'a' }] })),
      );
      assert.equal(unknownPool.name, 'ResourceNotFoundException');
    });

    test('TagResource, UntagResource and ListTagsForResource work on the pool ARN', async () => {
      const { UserPool: pool } = await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'tagged', UserPoolTags: { a: '1' } }));
      await gh.cognito.send(new TagResourceCommand({ ResourceArn: pool!.Arn, Tags: { b: '2', c: '3' } }));
      await gh.cognito.send(new UntagResourceCommand({ ResourceArn: pool!.Arn, TagKeys: ['c'] }));
      const { Tags } = await gh.cognito.send(new ListTagsForResourceCommand({ ResourceArn: pool!.Arn }));
      assert.deepEqual(Tags, { a: '1', b: '2' });
      const unknown = await errorOf(
        gh.cognito.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nothere00' })),
      );
      assert.equal(unknown.name, 'ResourceNotFoundException');
    });
  });
}
