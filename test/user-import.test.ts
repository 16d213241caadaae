// Issue 22, point 1: Cognito's user import jobs, driven as Cognito documents them: GetCSVHeader for
// the columns, CreateUserImportJob for a pre-signed URL, the CSV uploaded with the documented
// `curl -T … -H "x-amz-server-side-encryption:aws:kms"`, StartUserImportJob, then DescribeUserImportJob
// until the job ends. Imported users are in RESET_REQUIRED and set their password with ForgotPassword.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  CreateUserImportJobCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserImportJobCommand,
  ForgotPasswordCommand,
  GetCSVHeaderCommand,
  ListUserImportJobsCommand,
  ListUsersCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
  type UserImportJobType,
} from '@aws-sdk/client-cognito-identity-provider';
import { defaultConfig } from '../src/config.js';
import { startGatehouse } from '../src/server.js';
import { errorOf } from './support/errors.js';
import { backends, cognitoClient, databaseFor, POSTGRES_SERVER_KEY, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { postgresAvailable } from './support/postgres.js';
import { SrpClient } from './support/srp-client.js';
import { deliverTo, startMailbox, type Mailbox } from './support/webhook.js';

const run = promisify(execFile);
const ROLE = 'arn:aws:iam::123456789012:role/CognitoImportRole';
const PASSWORD = 'Imported-password-1';
/** Fast enough that a test waits little for a runner to notice a job. */
const IMPORTS = { imports: { pollMs: 50, leaseMs: 2_000 } };

const HEADER = [
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website',
  'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified',
  'address', 'updated_at', 'cognito:mfa_enabled', 'cognito:username',
];

/** A CSV in Cognito's format from rows of named values; every other column is left empty. */
function csvOf(columns: string[], rows: Record<string, string>[]): string {
  return [columns.join(','), ...rows.map((row) => columns.map((column) => row[column] ?? '').join(','))].join('\n') + '\n';
}

const person = (username: string, extra: Record<string, string> = {}) => ({
  'cognito:username': username,
  email: `${username}@example.com`,
  email_verified: 'true',
  'cognito:mfa_enabled': 'false',
  ...extra,
});

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-import-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** The documented upload: `curl -T <file> -H "x-amz-server-side-encryption:aws:kms" <url>`; the HTTP status and body. */
async function curlUpload(url: string, csv: string | Buffer): Promise<{ status: number; body: string }> {
  const file = join(dir, `upload-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, csv);
  const { stdout } = await run('curl', ['-s', '-T', file, '-H', 'x-amz-server-side-encryption:aws:kms', '-w', '\n%{http_code}', url]);
  const lines = stdout.split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n') };
}

async function until(cognito: CognitoIdentityProviderClient, UserPoolId: string, JobId: string, done: (job: UserImportJobType) => boolean, timeoutMs = 60_000): Promise<UserImportJobType> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { UserImportJob } = await cognito.send(new DescribeUserImportJobCommand({ UserPoolId, JobId }));
    if (done(UserImportJob!)) return UserImportJob!;
    if (Date.now() > deadline) assert.fail(`job ${JobId} still ${UserImportJob!.Status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ended = (job: UserImportJobType) => ['Succeeded', 'Failed', 'Stopped'].includes(job.Status!);

for (const backend of backends()) {
  describe(`user import jobs (${backend})`, () => {
    let gh: TestGatehouse;
    let mailbox: Mailbox;
    before(async () => {
      mailbox = await startMailbox();
      gh = await startTestGatehouse(backend, { ...IMPORTS, ...deliverTo(mailbox) });
    });
    after(() => gh.stop().then(() => mailbox.close()));

    const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}) =>
      (await gh.cognito.send(new CreateUserPoolCommand({ PoolName: 'import', AutoVerifiedAttributes: ['email'], ...input }))).UserPool!.Id!;
    const createJob = async (UserPoolId: string, JobName = 'people') =>
      (await gh.cognito.send(new CreateUserImportJobCommand({ UserPoolId, JobName, CloudWatchLogsRoleArn: ROLE }))).UserImportJob!;
    const uploadedJob = async (UserPoolId: string, csv: string) => {
      const job = await createJob(UserPoolId);
      assert.equal((await curlUpload(job.PreSignedUrl!, csv)).status, 200);
      return job;
    };
    const runJob = async (UserPoolId: string, csv: string) => {
      const job = await uploadedJob(UserPoolId, csv);
      const { UserImportJob } = await gh.cognito.send(new StartUserImportJobCommand({ UserPoolId, JobId: job.JobId }));
      assert.equal(UserImportJob!.Status, 'Pending');
      return until(gh.cognito, UserPoolId, job.JobId!, ended);
    };
    const report = async (UserPoolId: string, JobId: string) =>
      (await gh.server.services.importJobs.report(UserPoolId, JobId, 100)).items.map(({ line, outcome, message }) => `[${outcome}] Line Number ${line} - ${message}`);

    test('GetCSVHeader names every standard column and the pool\'s custom attributes', async () => {
      const poolId = await newPool({ Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }] });
      const answer = await gh.cognito.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
      assert.equal(answer.UserPoolId, poolId);
      assert.deepEqual(answer.CSVHeader, [...HEADER, 'custom:tier']);
      const missing = await errorOf(gh.cognito.send(new GetCSVHeaderCommand({ UserPoolId: 'us-east-1_Nope12345' })));
      assert.equal(missing.name, 'ResourceNotFoundException');
    });

    test('a job is created with a pre-signed URL valid 15 minutes, and described as Cognito does', async () => {
      const poolId = await newPool();
      const createdAt = gh.clock.now();
      const job = await createJob(poolId, 'first import');
      assert.match(job.JobId!, /^import-[0-9a-zA-Z-]+$/);
      assert.ok(job.JobId!.length <= 55);
      assert.equal(job.JobName, 'first import');
      assert.equal(job.UserPoolId, poolId);
      assert.equal(job.Status, 'Created');
      assert.equal(job.CloudWatchLogsRoleArn, ROLE);
      assert.deepEqual([job.ImportedUsers, job.SkippedUsers, job.FailedUsers], [0, 0, 0]);
      assert.equal(job.CreationDate!.getTime(), createdAt);
      assert.equal(job.StartDate, undefined);
      const url = new URL(job.PreSignedUrl!);
      assert.equal(url.origin, gh.url);
      assert.equal(Number(url.searchParams.get('Expires')), Math.floor((createdAt + 15 * 60_000) / 1000));
      const described = await gh.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
      assert.deepEqual(described.UserImportJob, job);
      const unknown = await errorOf(gh.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: 'import-doesnotexist' })));
      assert.equal(unknown.name, 'ResourceNotFoundException');
    });

    test('valid rows become RESET_REQUIRED users who reset their password; rows with errors are skipped or failed, line by line', async () => {
      const poolId = await newPool({ Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }] });
      const { UserPoolClient } = await gh.cognito.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      );
      await gh.cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'existing', MessageAction: 'SUPPRESS' }));
      const columns = [...HEADER, 'custom:tier'].reverse(); // column order is free
      const csv = csvOf(columns, [
        person('alice', { name: 'Smith\\, Alice', given_name: 'Alice', phone_number: '+15555550100', 'custom:tier': 'gold', updated_at: '1700000000' }),
        person('bob', { email_verified: 'false' }),
        person('existing'),
        person('carol', { 'cognito:username': 'carol smith' }),
        person('dave', { 'cognito:mfa_enabled': 'true' }),
        person('erin', { email: 'not-an-email' }),
        person('frank'),
        ...['gina', 'hal', 'ivy', 'jon'].map((name) => person(name)),
      ]).replace(/\n$/, '\r\n\r\n'); // CRLF and a trailing blank line are fine
      const job = await runJob(poolId, csv);
      assert.equal(job.Status, 'Succeeded');
      assert.deepEqual([job.ImportedUsers, job.SkippedUsers, job.FailedUsers], [6, 1, 4]);
      assert.ok(job.StartDate && job.CompletionDate);
      assert.equal(job.CompletionMessage, 'Import Job Completed Successfully.');

      const alice = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice' }));
      assert.equal(alice.UserStatus, 'RESET_REQUIRED');
      const attributes = Object.fromEntries(alice.UserAttributes!.map(({ Name, Value }) => [Name, Value]));
      assert.equal(attributes.name, 'Smith, Alice');
      assert.equal(attributes.email, 'alice@example.com');
      assert.equal(attributes.email_verified, 'true');
      assert.equal(attributes['custom:tier'], 'gold');
      assert.equal(attributes.updated_at, '1700000000');
      assert.match(attributes.sub!, /^[0-9a-f-]{36}$/);

      const lines = await report(poolId, job.JobId!);
      assert.equal(lines.length, 5);
      assert.equal(lines[0], '[FAILED] Line Number 3 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).');
      assert.equal(lines[1], '[SKIPPED] Line Number 4 - The user already exists.');
      assert.match(lines[2]!, /^\[FAILED\] Line Number 5 - .*spaces/);
      assert.match(lines[3]!, /^\[FAILED\] Line Number 6 - MFA is off/);
      assert.match(lines[4]!, /^\[FAILED\] Line Number 7 - .*email/);

      const signIn = () =>
        gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: UserPoolClient!.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'frank', PASSWORD } }));
      assert.deepEqual(await errorOf(signIn()), { name: 'PasswordResetRequiredException', message: 'Password reset required for the user', status: 400 });
      const srpStart = gh.cognito.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: UserPoolClient!.ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'frank', SRP_A: new SrpClient().srpA } }));
      assert.equal((await errorOf(srpStart)).name, 'PasswordResetRequiredException', 'SRP is sent to reset the password too');
      await gh.cognito.send(new ForgotPasswordCommand({ ClientId: UserPoolClient!.ClientId, Username: 'frank' }));
      const { code } = await mailbox.next('frank@example.com');
      await gh.cognito.send(new ConfirmForgotPasswordCommand({ ClientId: UserPoolClient!.ClientId, Username: 'frank', ConfirmationCode: code, Password: PASSWORD }));
      const { AuthenticationResult } = await signIn();
      assert.ok(AuthenticationResult?.AccessToken);
      const frank = await gh.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'frank' }));
      assert.equal(frank.UserStatus, 'CONFIRMED');
    });

    test('a job mostly of rows that cannot be imported fails with Cognito\'s message', async () => {
      const poolId = await newPool();
      const job = await runJob(poolId, csvOf(HEADER, [person('ok'), person('no1', { email_verified: '' }), person('no2', { email_verified: '' })]));
      assert.equal(job.Status, 'Failed');
      assert.deepEqual([job.ImportedUsers, job.SkippedUsers, job.FailedUsers], [1, 0, 2]);
      assert.equal(job.CompletionMessage, 'Too many users have failed or been skipped during the import.');
    });

    test('a file whose header is not the pool\'s fails the job, importing nobody', async () => {
      const poolId = await newPool();
      const missingColumn = await runJob(poolId, csvOf(HEADER.filter((c) => c !== 'locale'), [person('x')]));
      assert.equal(missingColumn.Status, 'Failed');
      assert.match(missingColumn.CompletionMessage!, /locale/);
      const unknownColumn = await runJob(poolId, csvOf([...HEADER, 'favourite_colour'], [person('y')]));
      assert.equal(unknownColumn.Status, 'Failed');
      assert.match(unknownColumn.CompletionMessage!, /favourite_colour/);
      const { Users } = await gh.cognito.send(new ListUsersCommand({ UserPoolId: poolId }));
      assert.deepEqual(Users, []);
    });

    test('the upload URL refuses a wrong signature, an expired URL and a job already started', async () => {
      const poolId = await newPool();
      const job = await createJob(poolId);
      const csv = csvOf(HEADER, [person('u1')]);
      const forged = job.PreSignedUrl!.replace(/Signature=[^&]+/, 'Signature=AAAA');
      const refused = await curlUpload(forged, csv);
      assert.equal(refused.status, 403);
      assert.match(refused.body, /<Code>AccessDenied<\/Code>/);

      const late = await createJob(poolId);
      gh.clock.advance(15 * 60_000 + 1_000);
      const expired = await curlUpload(late.PreSignedUrl!, csv);
      assert.equal(expired.status, 403);
      assert.match(expired.body, /<Message>Request has expired<\/Message>/);

      const fresh = await uploadedJob(poolId, csv);
      // A second upload replaces the first until the job starts.
      assert.equal((await curlUpload(fresh.PreSignedUrl!, csvOf(HEADER, [person('u2'), person('u3')]))).status, 200);
      await gh.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: fresh.JobId }));
      const afterStart = await curlUpload(fresh.PreSignedUrl!, csv);
      assert.equal(afterStart.status, 409);
      const done = await until(gh.cognito, poolId, fresh.JobId!, ended);
      assert.equal(done.ImportedUsers, 2);
    });

    test('Start and Stop answer PreconditionNotMetException out of turn; an unstarted job expires after a day', async () => {
      const poolId = await newPool();
      const empty = await createJob(poolId);
      const notUploaded = await errorOf(gh.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: empty.JobId })));
      assert.equal(notUploaded.name, 'PreconditionNotMetException');
      const notRunning = await errorOf(gh.cognito.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: empty.JobId })));
      assert.equal(notRunning.name, 'PreconditionNotMetException');

      const done = await runJob(poolId, csvOf(HEADER, [person('v1')]));
      const again = await errorOf(gh.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: done.JobId })));
      assert.equal(again.name, 'PreconditionNotMetException');

      gh.clock.advance(24 * 3_600_000 + 1_000);
      const { UserImportJob } = await gh.cognito.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: empty.JobId }));
      assert.equal(UserImportJob!.Status, 'Expired');
      const expired = await errorOf(gh.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: empty.JobId })));
      assert.equal(expired.name, 'PreconditionNotMetException');

      const noAutoVerified = await newPool({ AutoVerifiedAttributes: [] });
      const job = await uploadedJob(noAutoVerified, csvOf(HEADER, [person('w1')]));
      const refused = await errorOf(gh.cognito.send(new StartUserImportJobCommand({ UserPoolId: noAutoVerified, JobId: job.JobId })));
      assert.equal(refused.name, 'PreconditionNotMetException');
    });

    test('a running job stops when asked, keeping the users it imported', async () => {
      const poolId = await newPool();
      const rows = Array.from({ length: 20_000 }, (_, i) => person(`bulk${i}`));
      const job = await uploadedJob(poolId, csvOf(HEADER, rows));
      await gh.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
      await until(gh.cognito, poolId, job.JobId!, (j) => j.Status === 'InProgress', 30_000);
      const { UserImportJob } = await gh.cognito.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
      assert.ok(['Stopping', 'Stopped'].includes(UserImportJob!.Status!), UserImportJob!.Status);
      const stopped = await until(gh.cognito, poolId, job.JobId!, ended);
      assert.equal(stopped.Status, 'Stopped');
      assert.ok(stopped.ImportedUsers! < 20_000, `imported ${stopped.ImportedUsers}`);
      assert.equal(await countUsers(gh.cognito, poolId), stopped.ImportedUsers);

      const pending = await uploadedJob(poolId, csvOf(HEADER, [person('later')]));
      await gh.server.services.importRunner.close(); // no runner takes it before the stop
      await gh.cognito.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: pending.JobId }));
      const { UserImportJob: stoppedAtOnce } = await gh.cognito.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: pending.JobId }));
      assert.equal(stoppedAtOnce!.Status, 'Stopped');
    });

    test('ListUserImportJobs pages the pool\'s jobs in creation order', async () => {
      const poolId = await newPool();
      const ids: string[] = [];
      for (const name of ['one', 'two', 'three']) {
        ids.push((await createJob(poolId, name)).JobId!);
        gh.clock.advance(1_000);
      }
      const first = await gh.cognito.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2 }));
      assert.deepEqual(first.UserImportJobs!.map((job) => job.JobName), ['one', 'two']);
      assert.ok(first.PaginationToken);
      const second = await gh.cognito.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2, PaginationToken: first.PaginationToken }));
      assert.deepEqual(second.UserImportJobs!.map((job) => job.JobId), [ids[2]]);
      assert.equal(second.PaginationToken, undefined);
    });
  });
}

describe('user import jobs on two nodes (postgres)', { skip: postgresAvailable() ? false : 'PostgreSQL not available' }, () => {
  test('nodes competing for started jobs run each once, and a node that leaves hands its job over', async () => {
    const { database } = await databaseFor('postgres');
    const config = { ...defaultConfig(), port: 0, logLevel: 'silent' as const, database, serverKey: POSTGRES_SERVER_KEY, imports: { pollMs: 20, leaseMs: 2_000 } };
    const nodeA = await startGatehouse(config);
    const nodeB = await startGatehouse(config);
    const [a, b] = [cognitoClient(nodeA.url), cognitoClient(nodeB.url)];
    try {
      const poolId = (await a.send(new CreateUserPoolCommand({ PoolName: 'two-nodes', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
      const jobs = [];
      for (let i = 0; i < 4; i++) {
        const job = (await a.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: `part${i}`, CloudWatchLogsRoleArn: ROLE }))).UserImportJob!;
        // Part 3 names users part 0 has too: each is imported once, whichever node runs which job.
        const rows = Array.from({ length: 100 }, (_, n) => person(`p${i === 3 ? 0 : i}u${n}`));
        assert.equal((await curlUpload(job.PreSignedUrl!, csvOf(HEADER, rows))).status, 200);
        jobs.push(job.JobId!);
      }
      // Started through both nodes at once: each node's runner looks at once, and both poll.
      await Promise.all(jobs.slice(0, 3).map((JobId, i) => (i % 2 ? a : b).send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId }))));
      const done = await Promise.all(jobs.slice(0, 3).map((JobId, i) => until(i % 2 ? b : a, poolId, JobId, ended)));
      for (const job of done) assert.deepEqual([job.Status, job.ImportedUsers, job.SkippedUsers, job.FailedUsers], ['Succeeded', 100, 0, 0]);
      await b.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: jobs[3] }));
      const repeated = await until(a, poolId, jobs[3]!, ended);
      assert.deepEqual([repeated.ImportedUsers, repeated.SkippedUsers], [0, 100]);
      assert.equal(await countUsers(a, poolId), 300);

      // A long job, and the node running it leaves: the other finishes it, with nothing lost or counted twice.
      const long = (await a.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'long', CloudWatchLogsRoleArn: ROLE }))).UserImportJob!;
      assert.equal((await curlUpload(long.PreSignedUrl!, csvOf(HEADER, Array.from({ length: 1_500 }, (_, n) => person(`long${n}`))))).status, 200);
      await nodeB.services.importRunner.close(); // node A's runner takes it
      await a.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: long.JobId }));
      await until(b, poolId, long.JobId!, (job) => job.ImportedUsers! > 0, 30_000);
      const handedOver = startGatehouse(config); // a node B again, which will take the job over
      await nodeA.close();
      const nodeC = await handedOver;
      try {
        const finished = await until(cognitoClient(nodeC.url), poolId, long.JobId!, ended, 60_000);
        assert.deepEqual([finished.Status, finished.ImportedUsers, finished.SkippedUsers, finished.FailedUsers], ['Succeeded', 1_500, 0, 0]);
        assert.equal(await countUsers(cognitoClient(nodeC.url), poolId), 1_800);
      } finally {
        await nodeC.close();
      }
    } finally {
      a.destroy();
      b.destroy();
      await Promise.all([nodeA.close(), nodeB.close()]);
    }
  });
});

async function countUsers(cognito: CognitoIdentityProviderClient, UserPoolId: string): Promise<number> {
  let count = 0;
  let PaginationToken: string | undefined;
  do {
    const page = await cognito.send(new ListUsersCommand({ UserPoolId, PaginationToken }));
    count += page.Users!.length;
    PaginationToken = page.PaginationToken;
  } while (PaginationToken);
  return count;
}
