// The AWS CLI and boto3 (botocore parses responses strictly against the model) against a real server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const exec = promisify(execFile);
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };

async function available(command: string, args: string[]): Promise<boolean> {
  try {
    await exec(command, args, { env });
    return true;
  } catch {
    return false;
  }
}

describe('AWS CLI and boto3', () => {
  let gh: TestGatehouse;
  let hasCli = false;
  let hasBoto3 = false;
  before(async () => {
    gh = await startTestGatehouse('sqlite');
    hasCli = await available('aws', ['--version']);
    hasBoto3 = await available('python3', ['-c', 'import boto3']);
  });
  after(() => gh.stop());

  test('aws cognito-idp creates, describes, lists and deletes pools and clients', async (t) => {
    if (!hasCli) return t.skip('aws CLI not installed');
    const aws = async (...args: string[]) => JSON.parse((await exec('aws', ['cognito-idp', ...args, '--endpoint-url', gh.url, '--output', 'json'], { env })).stdout || '{}');
    const { UserPool } = await aws('create-user-pool', '--pool-name', 'from-cli', '--alias-attributes', 'email');
    assert.match(UserPool.Id, /^us-east-1_/);
    assert.equal(typeof UserPool.CreationDate, 'number');
    const described = await aws('describe-user-pool', '--user-pool-id', UserPool.Id);
    assert.deepEqual(described.UserPool.AliasAttributes, ['email']);
    const { UserPoolClient } = await aws('create-user-pool-client', '--user-pool-id', UserPool.Id, '--client-name', 'cli', '--generate-secret');
    assert.ok(UserPoolClient.ClientSecret);
    const { UserPoolClients } = await aws('list-user-pool-clients', '--user-pool-id', UserPool.Id);
    assert.deepEqual(UserPoolClients.map((c: { ClientId: string }) => c.ClientId), [UserPoolClient.ClientId]);
    await aws('delete-user-pool', '--user-pool-id', UserPool.Id);
    await assert.rejects(aws('describe-user-pool', '--user-pool-id', UserPool.Id), (error: Error & { stderr?: string }) => {
      assert.match(error.stderr ?? '', /ResourceNotFoundException.*does not exist/);
      return true;
    });
  });

  test('boto3 reads pools and clients and maps errors to its exception classes', async (t) => {
    if (!hasBoto3) return t.skip('boto3 not installed');
    const script = `
import boto3, json, sys
c = boto3.client('cognito-idp', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b')
pool = c.create_user_pool(PoolName='from-boto3', UsernameAttributes=['email'])['UserPool']
client = c.create_user_pool_client(UserPoolId=pool['Id'], ClientName='b', GenerateSecret=True)['UserPoolClient']
described = c.describe_user_pool_client(UserPoolId=pool['Id'], ClientId=client['ClientId'])['UserPoolClient']
try:
    c.describe_user_pool(UserPoolId='us-east-1_nothere00')
    error = None
except c.exceptions.ResourceNotFoundException as e:
    error = e.response['Error']['Message']
print(json.dumps({'id': pool['Id'], 'created_year': pool['CreationDate'].year, 'username_attributes': pool['UsernameAttributes'],
                  'secret_matches': described['ClientSecret'] == client['ClientSecret'], 'error': error}))
`;
    const { stdout } = await exec('python3', ['-c', script, gh.url], { env });
    const result = JSON.parse(stdout);
    assert.match(result.id, /^us-east-1_/);
    assert.ok(result.created_year >= 2024, 'CreationDate parsed as a datetime');
    assert.deepEqual(result.username_attributes, ['email']);
    assert.equal(result.secret_matches, true);
    assert.equal(result.error, 'User pool us-east-1_nothere00 does not exist.');
  });
});
