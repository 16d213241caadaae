// Issue 15, points 1 and 2: requests that race on one user, pool or group through a real
// `gatehouse serve --workers 2`, on SQLite and on PostgreSQL. The SDK client opens a new connection
// per request, so the two halves of a race usually land on different worker processes.
//
// Lost updates: two writes acknowledged together must both be visible afterwards.
// Attempt limits: a burst of wrong passwords or wrong codes evaluates at most what the limit allows.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateGroupCommand,
  UpdateUserPoolCommand,
  type AttributeType,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, databaseFor, serverKeyEnv, type Backend } from './support/gatehouse.js';
import { serve, type ServerProcess } from './support/process.js';
import { poolNameOf, SrpClient, srpTimestamp } from './support/srp-client.js';
import { startMailbox, type Mailbox } from './support/webhook.js';

const PASSWORD = 'Password1!';
const ROUNDS = 8;

/** A client that opens a fresh connection per request, so a `--workers` server spreads them over its workers. */
function spreadingClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: false, maxSockets: 64 }) },
  });
}

const attributeOf = (attributes: AttributeType[] | undefined, name: string) => attributes?.find((a) => a.Name === name)?.Value;

/** Tallies the outcomes of a burst: 'ok' or `<exception>: <message>`. */
async function tally(calls: Promise<unknown>[]): Promise<Map<string, number>> {
  const outcomes = await Promise.allSettled(calls);
  const counts = new Map<string, number>();
  for (const outcome of outcomes) {
    const key = outcome.status === 'fulfilled' ? 'ok' : `${(outcome.reason as Error).name}: ${(outcome.reason as Error).message}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

for (const backend of backends()) {
  describe(`racing requests through gatehouse serve --workers 2 (${backend})`, () => {
    let server: ServerProcess;
    let mailbox: Mailbox;
    let cognito: CognitoIdentityProviderClient;
    let cleanup: () => Promise<void>;

    before(async () => {
      mailbox = await startMailbox();
      const db = await databaseFor(backend as Backend);
      cleanup = db.cleanup;
      // The hourly per-user quotas are lifted, so what a burst meets is the lockout and the per-code cap.
      const configFile = join(tmpdir(), `gatehouse-races-${randomUUID()}.json`);
      const noQuotas = Object.fromEntries(
        ['ResendConfirmationCode', 'ConfirmSignUp', 'ChangePassword', 'GetUserAttributeVerificationCode', 'VerifyUserAttribute', 'ForgotPassword', 'ConfirmForgotPassword'].map((a) => [a, 0]),
      );
      await writeFile(configFile, JSON.stringify({ attemptLimits: noQuotas }));
      server = await serve(['--db', db.database, '--workers', '2', '--config', configFile], {
        ...serverKeyEnv(backend as Backend),
        GATEHOUSE_WEBHOOK_URL: mailbox.url,
      });
      cognito = spreadingClient(server.url);
    });
    after(async () => {
      cognito?.destroy();
      server?.child.kill('SIGTERM');
      await server?.exited;
      await mailbox?.close();
      await cleanup?.();
    });

    async function pool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<{ poolId: string; clientId: string }> {
      const poolId = (await cognito.send(new CreateUserPoolCommand({ PoolName: `races-${randomUUID().slice(0, 8)}`, ...input }))).UserPool!.Id!;
      const { UserPoolClient } = await cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'app',
          ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      return { poolId, clientId: UserPoolClient!.ClientId! };
    }

    async function confirmedUser(poolId: string, username: string, attributes: AttributeType[] = []): Promise<void> {
      await cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: attributes }));
      await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    }

    const signIn = (poolId: string, clientId: string, username: string, password: string) =>
      cognito.send(
        new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
      );
    const getUser = (poolId: string, username: string) => cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

    test('AdminDisableUser acknowledged beside ChangePassword stays disabled, and the password change stays too', async () => {
      const { poolId, clientId } = await pool();
      for (let round = 0; round < ROUNDS; round++) {
        const username = `change-${round}`;
        await confirmedUser(poolId, username);
        const { AuthenticationResult } = await signIn(poolId, clientId, username, PASSWORD);
        const [disabled, changed] = await Promise.allSettled([
          cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username })),
          cognito.send(new ChangePasswordCommand({ AccessToken: AuthenticationResult!.AccessToken, PreviousPassword: PASSWORD, ProposedPassword: 'Changed1!' })),
        ]);
        assert.equal(disabled.status, 'fulfilled');
        assert.equal((await getUser(poolId, username)).Enabled, false, `round ${round}: the acknowledged AdminDisableUser was undone`);
        await cognito.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
        const nowValid = changed.status === 'fulfilled' ? 'Changed1!' : PASSWORD;
        await signIn(poolId, clientId, username, nowValid);
      }
    });

    test('AdminSetUserPassword, AdminDisableUser, an MFA preference and an attribute update, all at once, all land', async () => {
      const { poolId, clientId } = await pool({ MfaConfiguration: 'OPTIONAL', SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns' } });
      for (let round = 0; round < ROUNDS; round++) {
        const username = `many-${round}`;
        await confirmedUser(poolId, username, [{ Name: 'phone_number', Value: '+15550100001' }]);
        await Promise.all([
          cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Renewed1!', Permanent: true })),
          cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: username, UserAttributes: [{ Name: 'name', Value: `round ${round}` }] })),
          cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: username, UserAttributes: [{ Name: 'family_name', Value: `family ${round}` }] })),
          cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true } })),
          cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username })),
        ]);
        const user = await getUser(poolId, username);
        assert.equal(user.Enabled, false, `round ${round}: disabled`);
        assert.equal(attributeOf(user.UserAttributes, 'name'), `round ${round}`, `round ${round}: name`);
        assert.equal(attributeOf(user.UserAttributes, 'family_name'), `family ${round}`, `round ${round}: family_name`);
        assert.deepEqual(user.UserMFASettingList, ['SMS_MFA'], `round ${round}: MFA preference`);
        await cognito.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: username }));
        const signedIn = await signIn(poolId, clientId, username, 'Renewed1!');
        assert.equal(signedIn.ChallengeName, 'SMS_MFA', `round ${round}: the new password, then the SMS factor`);
      }
    });

    test('ForceAliasCreation moving an email while its holder is updated leaves one verified holder and both changes', async () => {
      const { poolId } = await pool({ AliasAttributes: ['email'] });
      for (let round = 0; round < ROUNDS; round++) {
        const email = `alias-${round}@example.com`;
        const verified = [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }];
        await confirmedUser(poolId, `holder-${round}`, verified);
        await Promise.all([
          cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `taker-${round}`, MessageAction: 'SUPPRESS', UserAttributes: verified, ForceAliasCreation: true })),
          cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: `holder-${round}`, UserAttributes: [{ Name: 'name', Value: `holder ${round}` }] })),
        ]);
        const holder = await getUser(poolId, `holder-${round}`);
        const taker = await getUser(poolId, `taker-${round}`);
        assert.equal(attributeOf(holder.UserAttributes, 'name'), `holder ${round}`, `round ${round}: the holder's update`);
        assert.equal(attributeOf(holder.UserAttributes, 'email_verified'), 'false', `round ${round}: the alias left the holder`);
        assert.equal(attributeOf(taker.UserAttributes, 'email_verified'), 'true', `round ${round}: the alias is the taker's`);
        assert.equal((await getUser(poolId, email)).Username, `taker-${round}`, `round ${round}: the email names the taker`);
      }
    });

    test('UpdateUserPool racing AddCustomAttributes keeps both', async () => {
      const { poolId } = await pool();
      for (let round = 0; round < ROUNDS; round++) {
        await Promise.all([
          cognito.send(new UpdateUserPoolCommand({ UserPoolId: poolId, SmsAuthenticationMessage: `Code {####} (${round})` })),
          cognito.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: [{ Name: `r${round}`, AttributeDataType: 'String' }] })),
        ]);
        const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
        assert.equal(UserPool!.SmsAuthenticationMessage, `Code {####} (${round})`, `round ${round}: the pool update`);
        const custom = UserPool!.SchemaAttributes!.filter((a) => a.Name!.startsWith('custom:')).map((a) => a.Name);
        assert.deepEqual(custom, Array.from({ length: round + 1 }, (_, i) => `custom:r${i}`), `round ${round}: every custom attribute`);
      }
    });

    test('UpdateGroup calls naming different fields both land', async () => {
      const { poolId } = await pool();
      for (let round = 0; round < ROUNDS; round++) {
        const GroupName = `group-${round}`;
        await cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName }));
        await Promise.all([
          cognito.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName, Description: `round ${round}` })),
          cognito.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName, Precedence: round })),
          cognito.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName, RoleArn: `arn:aws:iam::000000000000:role/r${round}` })),
        ]);
        const { Group } = await cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName }));
        assert.equal(Group!.Description, `round ${round}`);
        assert.equal(Group!.Precedence, round);
        assert.equal(Group!.RoleArn, `arn:aws:iam::000000000000:role/r${round}`);
      }
    });

    test('30 wrong passwords at once: at most the 5 free attempts are evaluated, the rest are "Password attempts exceeded"', async () => {
      const { poolId, clientId } = await pool();
      await confirmedUser(poolId, 'burst');
      const outcomes = await tally(Array.from({ length: 30 }, (_, i) => signIn(poolId, clientId, 'burst', `Wrong${i}!aa`)));
      const evaluated = outcomes.get('NotAuthorizedException: Incorrect username or password.') ?? 0;
      const locked = outcomes.get('NotAuthorizedException: Password attempts exceeded') ?? 0;
      console.log(`[races ${backend}] 30 parallel wrong passwords: ${evaluated} evaluated, ${locked} refused as locked`);
      assert.ok(evaluated >= 1 && evaluated <= 5, `evaluated ${evaluated}: ${JSON.stringify([...outcomes])}`);
      assert.equal(evaluated + locked, 30, JSON.stringify([...outcomes]));
      // Locked now: even the right password is refused until the lockout passes.
      assert.deepEqual(await errorOf(signIn(poolId, clientId, 'burst', PASSWORD)), { name: 'NotAuthorizedException', message: 'Password attempts exceeded', status: 400 });
    });

    test('16 right passwords at once all sign in: attempts in flight are not failures', async () => {
      const { poolId, clientId } = await pool();
      await confirmedUser(poolId, 'popular');
      const outcomes = await tally(Array.from({ length: 16 }, () => signIn(poolId, clientId, 'popular', PASSWORD)));
      assert.deepEqual([...outcomes], [['ok', 16]]);
    });

    test('30 wrong SRP proofs at once share the same lockout', async () => {
      const { poolId, clientId } = await pool();
      await confirmedUser(poolId, 'srp-burst');
      const challenges = await Promise.all(
        Array.from({ length: 30 }, async () => {
          const srp = new SrpClient();
          const started = await cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'srp-burst', SRP_A: srp.srpA } }));
          return { srp, parameters: started.ChallengeParameters! };
        }),
      );
      const outcomes = await tally(
        challenges.map(({ srp, parameters }) =>
          cognito.send(
            new RespondToAuthChallengeCommand({
              ClientId: clientId,
              ChallengeName: 'PASSWORD_VERIFIER',
              ChallengeResponses: {
                USERNAME: parameters.USERNAME!,
                ...srp.claim(poolNameOf(poolId), parameters.USER_ID_FOR_SRP!, 'Wrong1!aa', parameters as never, srpTimestamp(Date.now())),
              },
            }),
          ),
        ),
      );
      const evaluated = outcomes.get('NotAuthorizedException: Incorrect username or password.') ?? 0;
      const locked = outcomes.get('NotAuthorizedException: Password attempts exceeded') ?? 0;
      console.log(`[races ${backend}] 30 parallel wrong SRP proofs: ${evaluated} evaluated, ${locked} refused as locked`);
      assert.ok(evaluated >= 1 && evaluated <= 5, `evaluated ${evaluated}: ${JSON.stringify([...outcomes])}`);
      assert.equal(evaluated + locked, 30, JSON.stringify([...outcomes]));
    });

    test('40 wrong reset codes at once: at most 5 are compared, the code is then used up', async () => {
      const { poolId, clientId } = await pool({ AutoVerifiedAttributes: ['email'] });
      const email = `reset-${randomUUID().slice(0, 8)}@example.com`;
      await confirmedUser(poolId, 'reset-burst', [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }]);
      await cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'reset-burst' }));
      const { code } = await mailbox.next(email);
      const wrong = code === '000000' ? '000001' : '000000';
      const outcomes = await tally(
        Array.from({ length: 40 }, () => cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'reset-burst', ConfirmationCode: wrong, Password: 'Reset1!aa' }))),
      );
      const compared = outcomes.get('CodeMismatchException: Invalid verification code provided, please try again.') ?? 0;
      const exhausted = outcomes.get('LimitExceededException: Attempt limit exceeded, please try after some time.') ?? 0;
      console.log(`[races ${backend}] 40 parallel wrong reset codes: ${compared} compared, ${exhausted} refused as exhausted`);
      assert.ok(compared >= 1 && compared <= 5, `compared ${compared}: ${JSON.stringify([...outcomes])}`);
      assert.equal(compared + exhausted, 40, JSON.stringify([...outcomes]));
      const late = await errorOf(cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'reset-burst', ConfirmationCode: code!, Password: 'Reset1!aa' })));
      assert.equal(late.name, 'LimitExceededException', 'the right code comes too late');
    });

    test('one reset code sent with ten different passwords at once sets exactly one of them', async () => {
      const { poolId, clientId } = await pool({ AutoVerifiedAttributes: ['email'] });
      const email = `once-${randomUUID().slice(0, 8)}@example.com`;
      await confirmedUser(poolId, 'once', [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }]);
      await cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'once' }));
      const { code } = await mailbox.next(email);
      const passwords = Array.from({ length: 10 }, (_, i) => `Reset${i}!aa`);
      const outcomes = await Promise.allSettled(
        passwords.map((Password) => cognito.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'once', ConfirmationCode: code, Password }))),
      );
      const winners = passwords.filter((_, i) => outcomes[i]!.status === 'fulfilled');
      assert.equal(winners.length, 1, `one acknowledged reset, not ${winners.length}`);
      for (const outcome of outcomes.filter((o) => o.status === 'rejected')) assert.equal((outcome as PromiseRejectedResult).reason.name, 'ExpiredCodeException');
      await signIn(poolId, clientId, 'once', winners[0]!);
    });

    test('40 wrong sign-up codes at once: at most 5 are compared', async () => {
      const { clientId } = await pool({ AutoVerifiedAttributes: ['email'] });
      const email = `signup-${randomUUID().slice(0, 8)}@example.com`;
      await cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'signup-burst', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
      const { code } = await mailbox.next(email);
      const wrong = code === '000000' ? '000001' : '000000';
      const outcomes = await tally(Array.from({ length: 40 }, () => cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'signup-burst', ConfirmationCode: wrong }))));
      const compared = outcomes.get('CodeMismatchException: Invalid verification code provided, please try again.') ?? 0;
      const exhausted = outcomes.get('LimitExceededException: Attempt limit exceeded, please try after some time.') ?? 0;
      console.log(`[races ${backend}] 40 parallel wrong sign-up codes: ${compared} compared, ${exhausted} refused as exhausted`);
      assert.ok(compared >= 1 && compared <= 5, `compared ${compared}: ${JSON.stringify([...outcomes])}`);
      assert.equal(compared + exhausted, 40, JSON.stringify([...outcomes]));
    });
  });
}
