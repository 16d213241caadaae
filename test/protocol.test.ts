// The AWS JSON 1.1 wire protocol, seen from plain HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestGatehouse, type RawResponse, type TestGatehouse } from './support/gatehouse.js';

function assertCognitoError(response: RawResponse, type: string, status = 400): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.equal(response.body.__type, type);
  assert.equal(typeof response.body.message, 'string');
  assert.equal(response.headers.get('x-amzn-errortype'), `${type}:`);
  assert.ok(response.headers.get('x-amzn-errormessage'));
  assert.match(response.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
  assert.match(response.headers.get('content-type') ?? '', /^application\/x-amz-json-1\.1/);
}

describe('wire protocol', () => {
  let gh: TestGatehouse;
  before(async () => {
    gh = await startTestGatehouse('sqlite', { maxBodyBytes: 64 * 1024 });
  });
  after(() => gh.stop());

  test('a successful call has a request id, a Date header and numeric timestamps', async () => {
    const response = await gh.call('CreateUserPool', { PoolName: 'wire' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(response.headers.get('date'));
    assert.match(response.headers.get('content-type') ?? '', /^application\/x-amz-json-1\.1/);
    assert.equal(typeof response.body.UserPool.CreationDate, 'number');
    assert.equal(typeof response.body.UserPool.LastModifiedDate, 'number');
  });

  test('application/json is accepted too', async () => {
    const response = await gh.call('ListUserPools', { MaxResults: 1 }, { 'content-type': 'application/json' });
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(response.body.UserPools));
  });

  test('unknown or missing target is UnknownOperationException', async () => {
    assertCognitoError(await gh.call('NoSuchOperation', {}), 'UnknownOperationException');
    assertCognitoError(await gh.call('CreateUserPool', {}, { 'x-amz-target': 'SomethingElse.CreateUserPool' }), 'UnknownOperationException');
  });

  test('an unparseable or non-object body is SerializationException', async () => {
    assertCognitoError(await gh.call('CreateUserPool', '{"PoolName":'), 'SerializationException');
    assertCognitoError(await gh.call('CreateUserPool', '[1,2]'), 'SerializationException');
    assertCognitoError(await gh.call('CreateUserPool', '"text"'), 'SerializationException');
  });

  test('a member of the wrong JSON type is SerializationException', async () => {
    assertCognitoError(await gh.call('CreateUserPool', { PoolName: 42 }), 'SerializationException');
    assertCognitoError(await gh.call('ListUserPools', { MaxResults: 'ten' }), 'SerializationException');
  });

  test('constraint violations are InvalidParameterException in the AWS-wide wording', async () => {
    const missing = await gh.call('DescribeUserPool', {});
    assertCognitoError(missing, 'InvalidParameterException');
    assert.equal(missing.body.message, "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null");

    const pattern = await gh.call('DescribeUserPool', { UserPoolId: 'nounderscore' });
    assertCognitoError(pattern, 'InvalidParameterException');
    assert.match(pattern.body.message, /Value 'nounderscore' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern/);

    const two = await gh.call('ListUserPools', { MaxResults: 61, NextToken: '' });
    assertCognitoError(two, 'InvalidParameterException');
    assert.match(two.body.message, /^3 validation errors detected: Value '61' at 'maxResults'/);
  });

  test('a body over the limit is a 400, and the server keeps answering', async () => {
    const response = await gh.call('CreateUserPool', { PoolName: 'big', Padding: 'x'.repeat(100 * 1024) });
    assertCognitoError(response, 'InvalidParameterException');
    assert.equal((await gh.call('ListUserPools', { MaxResults: 1 })).status, 200);
  });

  test('ResourceNotFoundException is a 400 with the same name in header and body', async () => {
    assertCognitoError(await gh.call('DescribeUserPool', { UserPoolId: 'us-east-1_nothere00' }), 'ResourceNotFoundException');
  });

  test('CORS preflight allows the SDK headers and responses expose the error headers', async () => {
    const preflight = await fetch(`${gh.url}/`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent',
      },
    });
    assert.ok(preflight.status === 200 || preflight.status === 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://app.example');
    const allowed = preflight.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['content-type', 'x-amz-target', 'x-amz-user-agent', 'cache-control', 'authorization', 'x-amz-date', 'amz-sdk-request']) {
      assert.ok(allowed.includes(header), `${header} allowed`);
    }
    const response = await gh.call('DescribeUserPool', { UserPoolId: 'us-east-1_nothere00' }, { origin: 'http://app.example' });
    const exposed = response.headers.get('access-control-expose-headers') ?? '';
    for (const header of ['x-amzn-RequestId', 'x-amzn-ErrorType', 'x-amzn-ErrorMessage', 'Date']) assert.ok(exposed.includes(header));
  });
});
