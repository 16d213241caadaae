import assert from 'node:assert/strict';

export interface CallError {
  name: string;
  message: string;
  status?: number;
}

/** Resolves to the Cognito exception a call fails with, as the AWS SDK reports it. */
export async function errorOf(promise: Promise<unknown>): Promise<CallError> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  assert.fail('expected the call to fail');
}
