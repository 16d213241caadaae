// The three back ends that run a trigger's function, over real sockets and real worker threads:
// the Lambda Invoke API (against a test Lambda server), a url route, and a local module.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Invocation, InvocationResult } from '../src/domain/triggers/invocation.js';
import { HttpInvoker } from '../src/domain/triggers/invokers/http-invoker.js';
import { LambdaInvoker } from '../src/domain/triggers/invokers/lambda-invoker.js';
import { ModuleInvoker } from '../src/domain/triggers/invokers/module-invoker.js';
import { createInvoker, globPattern } from '../src/domain/triggers/invokers/router.js';
import { startLambdaServer, startTriggerWebhook, type LambdaServer } from './support/lambda-server.js';
import { closedPort } from './support/sockets.js';

const DEADLINE_MS = 400;
const TIMED_OUT: InvocationResult = { outcome: 'failed', reason: 'Socket timeout while invoking Lambda function', retryable: true };
const EVENT = { version: '1', triggerSource: 'PreSignUp_SignUp', userName: 'ann', request: { userAttributes: { email: 'ann@example.com' } }, response: {} };

const arnOf = (name: string, region = 'us-east-1'): string => `arn:aws:lambda:${region}:123456789012:function:${name}`;
const invocation = (name: string, overrides: Partial<Invocation> = {}): Invocation => ({ arn: arnOf(name), event: EVENT, async: false, deadlineMs: 5000, ...overrides });
const hanging = (): Promise<never> => new Promise(() => {});

/** Times out within about the deadline: not early, and not much later. */
async function assertTimesOut(running: Promise<InvocationResult>): Promise<void> {
  const started = performance.now();
  assert.deepEqual(await running, TIMED_OUT);
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= DEADLINE_MS - 20 && elapsed < DEADLINE_MS + 1000, `timed out after ${Math.round(elapsed)} ms`);
}

async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let tries = 0; tries < 100; tries++) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(20);
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A server answering every request with one status and Lambda-style error headers, for failures the test Lambda server does not make. */
async function startFailingServer(status: number, errorType: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_, response) => response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': errorType }).end('{"message":"no"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('LambdaInvoker against the Invoke API', () => {
  let lambda: LambdaServer;
  let invoker: LambdaInvoker;
  before(async () => {
    lambda = await startLambdaServer();
    invoker = new LambdaInvoker({ endpoint: lambda.url });
  });
  after(async () => {
    await invoker.close();
    await lambda.close();
  });

  test('returns the function’s answer, parsed', async () => {
    lambda.register('pre-sign-up', (event) => ({ ...(event as object), response: { autoConfirmUser: true } }));
    const result = await invoker.invoke(invocation('pre-sign-up'));
    assert.deepEqual(result, { outcome: 'answered', payload: { ...EVENT, response: { autoConfirmUser: true } } });
    const received = lambda.invocations.at(-1)!;
    assert.equal(received.name, 'pre-sign-up');
    assert.equal(received.invocationType, 'RequestResponse');
    assert.deepEqual(received.event, EVENT);
  });

  test('uses a client in the ARN’s region', async () => {
    lambda.register('in-ireland', () => 'ok');
    assert.deepEqual(await invoker.invoke({ ...invocation('in-ireland'), arn: arnOf('in-ireland', 'eu-west-1') }), { outcome: 'answered', payload: 'ok' });
    assert.match(String(lambda.invocations.at(-1)!.headers.authorization), /\/eu-west-1\/lambda\/aws4_request/);
  });

  test('reports a thrown error as a function error', async () => {
    lambda.register('thrower', () => {
      throw new TypeError('email domain not allowed');
    });
    assert.deepEqual(await invoker.invoke(invocation('thrower')), { outcome: 'function-error', errorMessage: 'email domain not allowed', errorType: 'TypeError' });
  });

  test('gives up on a hanging function at the deadline', async () => {
    lambda.register('hangs', hanging);
    await assertTimesOut(invoker.invoke(invocation('hangs', { deadlineMs: DEADLINE_MS })));
  });

  test('an Event invocation is accepted without waiting for the function', async () => {
    let release!: () => void;
    const ran = new Promise<unknown>((resolve) => lambda.register('sender', (event) => new Promise<void>((done) => (release = done)).then(() => resolve(event))));
    assert.deepEqual(await invoker.invoke(invocation('sender', { async: true })), { outcome: 'answered', payload: undefined });
    assert.equal(lambda.invocations.at(-1)!.invocationType, 'Event');
    release();
    assert.deepEqual(await ran, EVENT);
  });

  test('an unknown function is ResourceNotFoundException, not retried', async () => {
    assert.deepEqual(await invoker.invoke(invocation('nobody')), { outcome: 'failed', reason: 'ResourceNotFoundException', retryable: false });
  });

  test('throttling and server errors are retryable, other refusals are not', async () => {
    for (const [status, errorType, retryable] of [
      [429, 'TooManyRequestsException', true],
      [500, 'ServiceException', true],
      [403, 'AccessDeniedException', false],
    ] as const) {
      const failing = await startFailingServer(status, errorType);
      const client = new LambdaInvoker({ endpoint: failing.url });
      try {
        assert.deepEqual(await client.invoke(invocation('any')), { outcome: 'failed', reason: errorType, retryable });
      } finally {
        await client.close();
        await failing.close();
      }
    }
  });

  test('a refused connection is retryable and named by its code', async () => {
    const client = new LambdaInvoker({ endpoint: `http://127.0.0.1:${await closedPort()}` });
    try {
      assert.deepEqual(await client.invoke(invocation('any')), { outcome: 'failed', reason: 'ECONNREFUSED', retryable: true });
    } finally {
      await client.close();
    }
  });
});

describe('HttpInvoker (url route)', () => {
  const SECRET = 'trigger-secret';

  test('posts the signed event and returns the answer', async () => {
    const hook = await startTriggerWebhook((event) => ({ ...(event as object), response: { autoConfirmUser: true } }), SECRET);
    try {
      const result = await new HttpInvoker({ url: hook.url, secret: SECRET }).invoke(invocation('pre-sign-up'));
      assert.deepEqual(result, { outcome: 'answered', payload: { ...EVENT, response: { autoConfirmUser: true } } });
      const [request] = hook.requests;
      assert.equal(request!.signed, true);
      assert.equal(request!.headers['x-gatehouse-function'], arnOf('pre-sign-up'));
      assert.equal(request!.headers['x-gatehouse-invocation-type'], 'RequestResponse');
      assert.deepEqual(JSON.parse(request!.body), EVENT);
    } finally {
      await hook.close();
    }
  });

  test('a wrong secret is refused and not retried', async () => {
    const hook = await startTriggerWebhook(() => 'unreachable', SECRET);
    try {
      const result = await new HttpInvoker({ url: hook.url, secret: 'another-secret' }).invoke(invocation('pre-sign-up'));
      assert.deepEqual(result, { outcome: 'failed', reason: 'HTTP 401: bad signature', retryable: false });
    } finally {
      await hook.close();
    }
  });

  test('an error answered as {errorMessage, errorType} is a function error', async () => {
    const hook = await startTriggerWebhook(() => {
      throw new RangeError('too many sign-ups today');
    });
    try {
      assert.deepEqual(await new HttpInvoker({ url: hook.url }).invoke(invocation('pre-sign-up')), {
        outcome: 'function-error',
        errorMessage: 'too many sign-ups today',
        errorType: 'RangeError',
      });
    } finally {
      await hook.close();
    }
  });

  test('gives up on a hanging receiver at the deadline', async () => {
    const hook = await startTriggerWebhook(hanging);
    try {
      await assertTimesOut(new HttpInvoker({ url: hook.url }).invoke(invocation('hangs', { deadlineMs: DEADLINE_MS })));
    } finally {
      await hook.close();
    }
  });

  test('an Event invocation says so and returns no payload', async () => {
    const hook = await startTriggerWebhook(() => ({ ignored: true }));
    try {
      assert.deepEqual(await new HttpInvoker({ url: hook.url }).invoke(invocation('sender', { async: true })), { outcome: 'answered', payload: undefined });
      assert.equal(hook.requests[0]!.headers['x-gatehouse-invocation-type'], 'Event');
    } finally {
      await hook.close();
    }
  });

  test('a refused connection is retryable', async () => {
    const result = await new HttpInvoker({ url: `http://127.0.0.1:${await closedPort()}/trigger` }).invoke(invocation('any'));
    assert.deepEqual(result, { outcome: 'failed', reason: 'ECONNREFUSED', retryable: true });
  });
});

/** Handler modules, written where a team would keep its own. */
const FIXTURES: Record<string, string> = {
  'async.mjs': `export const handler = async (event, context) => ({
    event,
    context: { ...context, remaining: context.getRemainingTimeInMillis(), succeed: typeof context.succeed },
  });`,
  'default-export.mjs': `export default { handler: async () => 'from default' };`,
  'callback.cjs': `exports.handler = (event, context, callback) => {
    if (event.fail) return callback(new Error('callback says no'));
    setTimeout(() => callback(null, { style: 'callback' }), 10);
  };`,
  'context.cjs': `module.exports = { handler(event, context) {
    if (event.fail) context.fail(new Error('context says no'));
    else if (event.done) context.done(null, { style: 'done' });
    else context.succeed({ style: 'succeed' });
  } };`,
  'waits.cjs': `exports.handler = (event, context, callback) => {
    context.callbackWaitsForEmptyEventLoop = !event.dontWait;
    setTimeout(() => {}, 300);
    callback(null, 'answered');
  };`,
  'returns-plainly.cjs': `exports.handler = () => 'not a promise';`,
  'throws.mjs': `class UserNotAllowed extends Error { name = 'UserNotAllowed'; }
    export const handler = async (event) => {
      if (event.string) throw 'a bare string';
      throw new UserNotAllowed('ann may not sign up');
    };`,
  'counter.mjs': `import { threadId } from 'node:worker_threads';
    let invocations = 0;
    export const handler = async (event) => {
      invocations++;
      if (event.spin) for (;;);
      if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
      return { invocations, threadId };
    };`,
  'crashes.mjs': `export const handler = async (event) => {
    console.log('about to crash');
    if (event.exit) process.exit(3);
    if (event.throwLater) return new Promise(() => setTimeout(() => { throw new Error('thrown from a timer'); }, 0));
    return 'still here';
  };`,
  'records.mjs': `import { writeFile } from 'node:fs/promises';
    export const handler = async (event) => { await writeFile(event.file, JSON.stringify(event)); };`,
  'broken.mjs': `export const handler = async (event) => { return event.;`,
  'no-handler.mjs': `export const somethingElse = 1;`,
};

describe('ModuleInvoker (module route)', () => {
  let dir: string;
  const invokers: ModuleInvoker[] = [];
  const moduleInvoker = (file: string, maxEnvironments?: number): ModuleInvoker => {
    const invoker = new ModuleInvoker(join(dir, file), maxEnvironments);
    invokers.push(invoker);
    return invoker;
  };
  const answerOf = async (running: Promise<InvocationResult>): Promise<unknown> => {
    const result = await running;
    assert.equal(result.outcome, 'answered', JSON.stringify(result));
    return (result as { payload: unknown }).payload;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-triggers-'));
    await Promise.all(Object.entries(FIXTURES).map(([file, source]) => writeFile(join(dir, file), source)));
  });
  after(async () => {
    await Promise.all(invokers.map((invoker) => invoker.close()));
    await rm(dir, { recursive: true, force: true });
  });

  test('an async handler answers, with a Lambda-like context', async () => {
    const payload = (await answerOf(moduleInvoker('async.mjs').invoke(invocation('pre-sign-up')))) as { event: unknown; context: Record<string, unknown> };
    assert.deepEqual(payload.event, EVENT);
    const { context } = payload;
    assert.equal(context.functionName, 'pre-sign-up');
    assert.equal(context.functionVersion, '$LATEST');
    assert.equal(context.invokedFunctionArn, arnOf('pre-sign-up'));
    assert.equal(context.memoryLimitInMB, '128');
    assert.match(String(context.awsRequestId), /^[0-9a-f-]{36}$/);
    assert.equal(context.logGroupName, '/aws/lambda/pre-sign-up');
    assert.match(String(context.logStreamName), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.equal(context.callbackWaitsForEmptyEventLoop, true);
    assert.equal(context.succeed, 'function');
    assert.ok(Number(context.remaining) > 4000 && Number(context.remaining) <= 5000, `remaining ${context.remaining}`);
  });

  test('finds the handler on a default export too', async () => {
    assert.equal(await answerOf(moduleInvoker('default-export.mjs').invoke(invocation('x'))), 'from default');
  });

  test('a callback handler answers through its callback, errors included', async () => {
    const invoker = moduleInvoker('callback.cjs');
    assert.deepEqual(await answerOf(invoker.invoke(invocation('x'))), { style: 'callback' });
    assert.deepEqual(await invoker.invoke(invocation('x', { event: { fail: true } })), { outcome: 'function-error', errorMessage: 'callback says no', errorType: 'Error' });
  });

  test('context.succeed, context.done and context.fail answer too', async () => {
    const invoker = moduleInvoker('context.cjs');
    assert.deepEqual(await answerOf(invoker.invoke(invocation('x', { event: {} }))), { style: 'succeed' });
    assert.deepEqual(await answerOf(invoker.invoke(invocation('x', { event: { done: true } }))), { style: 'done' });
    assert.deepEqual(await invoker.invoke(invocation('x', { event: { fail: true } })), { outcome: 'function-error', errorMessage: 'context says no', errorType: 'Error' });
  });

  test('the callback waits for the event loop to empty unless told not to', async () => {
    const invoker = moduleInvoker('waits.cjs');
    let started = performance.now();
    assert.equal(await answerOf(invoker.invoke(invocation('x', { event: {} }))), 'answered');
    assert.ok(performance.now() - started >= 280, 'answered before its timer ran out');
    started = performance.now();
    assert.equal(await answerOf(invoker.invoke(invocation('x', { event: { dontWait: true } }))), 'answered');
    assert.ok(performance.now() - started < 250, 'waited for the timer anyway');
  });

  test('a handler that neither returns a promise nor calls back answers null', async () => {
    assert.equal(await answerOf(moduleInvoker('returns-plainly.cjs').invoke(invocation('x'))), null);
  });

  test('a thrown error is a function error named as Lambda names it', async () => {
    const invoker = moduleInvoker('throws.mjs');
    assert.deepEqual(await invoker.invoke(invocation('x')), { outcome: 'function-error', errorMessage: 'ann may not sign up', errorType: 'UserNotAllowed' });
    assert.deepEqual(await invoker.invoke(invocation('x', { event: { string: true } })), { outcome: 'function-error', errorMessage: 'a bare string', errorType: 'string' });
  });

  test('a warm environment is reused; one still running at the deadline is killed and replaced', async () => {
    const invoker = moduleInvoker('counter.mjs');
    const first = (await answerOf(invoker.invoke(invocation('x', { event: {} })))) as { invocations: number; threadId: number };
    const second = (await answerOf(invoker.invoke(invocation('x', { event: {} })))) as { invocations: number; threadId: number };
    assert.deepEqual(second, { invocations: first.invocations + 1, threadId: first.threadId });
    // A busy loop: only terminating the thread ends it.
    await assertTimesOut(invoker.invoke(invocation('x', { event: { spin: true }, deadlineMs: DEADLINE_MS })));
    const fresh = (await answerOf(invoker.invoke(invocation('x', { event: {} })))) as { invocations: number; threadId: number };
    assert.notEqual(fresh.threadId, first.threadId);
    assert.equal(fresh.invocations, 1);
  });

  test('a handler that crashes its environment gets a fresh one next time', async () => {
    const invoker = moduleInvoker('crashes.mjs');
    assert.deepEqual(await invoker.invoke(invocation('x', { event: { throwLater: true } })), { outcome: 'function-error', errorMessage: 'thrown from a timer', errorType: 'Error' });
    assert.deepEqual(await invoker.invoke(invocation('x', { event: { exit: true } })), {
      outcome: 'function-error',
      errorMessage: 'Runtime exited with error: exit status 3',
      errorType: 'Runtime.ExitError',
    });
    assert.equal(await answerOf(invoker.invoke(invocation('x', { event: {} }))), 'still here');
  });

  test('concurrent invocations get environments of their own, up to the cap', async () => {
    const sleepy = invocation('x', { event: { sleepMs: 150 } });
    const answers = (await Promise.all([1, 2, 3].map(() => answerOf(moduleInvoker('counter.mjs').invoke(sleepy))))) as { threadId: number }[];
    assert.equal(new Set(answers.map((answer) => answer.threadId)).size, 3);
    const capped = moduleInvoker('counter.mjs', 1);
    const started = performance.now();
    const queued = (await Promise.all([1, 2].map(() => answerOf(capped.invoke(sleepy))))) as { threadId: number }[];
    assert.equal(queued[0]!.threadId, queued[1]!.threadId);
    assert.ok(performance.now() - started >= 290, 'the second invocation did not wait for the first');
  });

  test('waiting for a free environment counts against the deadline', async () => {
    const capped = moduleInvoker('counter.mjs', 1);
    const busy = capped.invoke(invocation('x', { event: { sleepMs: 1500 } }));
    await assertTimesOut(capped.invoke(invocation('x', { event: {}, deadlineMs: DEADLINE_MS })));
    await answerOf(busy);
  });

  test('an Event invocation returns at once and runs in the background', async () => {
    const file = join(dir, 'recorded.json');
    const result = await moduleInvoker('records.mjs').invoke(invocation('x', { async: true, event: { file } }));
    assert.deepEqual(result, { outcome: 'answered', payload: undefined });
    // The file may be seen half written: it counts once it parses.
    const recorded = await waitFor(() => readFile(file, 'utf8').then((text) => JSON.parse(text) as unknown).catch(() => undefined), 'the background invocation');
    assert.deepEqual(recorded, { file });
  });

  test('a module that cannot be loaded or has no handler fails without retry', async () => {
    const failure = async (file: string): Promise<{ outcome: string; reason: string; retryable: boolean }> =>
      (await moduleInvoker(file).invoke(invocation('x'))) as { outcome: string; reason: string; retryable: boolean };
    const broken = await failure('broken.mjs');
    assert.match(broken.reason, /^Runtime\.UserCodeSyntaxError: SyntaxError: /);
    assert.equal(broken.retryable, false);
    assert.match((await failure('missing.mjs')).reason, /^Runtime\.ImportModuleError: Error: Cannot find module/);
    assert.deepEqual(await failure('no-handler.mjs'), { outcome: 'failed', reason: 'Runtime.HandlerNotFound: no-handler.handler is undefined or not exported', retryable: false });
  });

  test('idle workers and SDK sockets do not keep the process alive', async () => {
    const lambda = await startLambdaServer();
    lambda.register('ping', () => 'pong');
    const script = `
      const { ModuleInvoker } = await import(${JSON.stringify(new URL('../src/domain/triggers/invokers/module-invoker.js', import.meta.url).href)});
      const { LambdaInvoker } = await import(${JSON.stringify(new URL('../src/domain/triggers/invokers/lambda-invoker.js', import.meta.url).href)});
      const invocation = { arn: ${JSON.stringify(arnOf('ping'))}, event: {}, async: false, deadlineMs: 5000 };
      const results = [
        await new ModuleInvoker(${JSON.stringify(join(dir, 'counter.mjs'))}).invoke(invocation),
        await new LambdaInvoker({ endpoint: ${JSON.stringify(lambda.url)} }).invoke(invocation),
      ];
      console.log(JSON.stringify(results.map((result) => result.outcome)));`;
    // A file rather than --eval: workers inherit the parent's flags, and --input-type would stop them starting.
    const scriptFile = join(dir, 'exits.mjs');
    await writeFile(scriptFile, script);
    try {
      const child = spawn(process.execPath, [scriptFile], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const code = await Promise.race([exited, sleep(5000, 'still running', { ref: false })]);
      if (code === 'still running') child.kill();
      assert.equal(code, 0);
      assert.deepEqual(JSON.parse(output), ['answered', 'answered']);
    } finally {
      await lambda.close();
    }
  });
});

describe('TriggerRouter', () => {
  let lambda: LambdaServer;
  let dir: string;
  before(async () => {
    lambda = await startLambdaServer();
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-router-'));
    await writeFile(join(dir, 'local.mjs'), `export const handler = async (event, context) => ({ from: 'module', name: context.functionName });`);
  });
  after(async () => {
    await lambda.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('the first matching route decides; the rest go to Lambda', async () => {
    const hook = await startTriggerWebhook((_, context) => ({ from: 'url', name: context.functionName }));
    const router = createInvoker({
      lambda: { endpoint: lambda.url, timeoutMs: 5000 },
      triggers: {
        'arn:aws:lambda:*:*:function:hook-*': { url: hook.url },
        [arnOf('local-?')]: { module: join(dir, 'local.mjs') },
        '*:function:hook-shadowed': { module: join(dir, 'local.mjs') },
      },
    });
    lambda.register('remote', (_, context) => ({ from: 'lambda', name: context.functionName }));
    try {
      const payloadOf = async (arn: string): Promise<unknown> => ((await router.invoke({ ...invocation('x'), arn })) as { payload: unknown }).payload;
      assert.deepEqual(await payloadOf(arnOf('hook-a', 'eu-west-1')), { from: 'url', name: 'hook-a' });
      assert.deepEqual(await payloadOf(arnOf('hook-shadowed')), { from: 'url', name: 'hook-shadowed' });
      assert.deepEqual(await payloadOf(arnOf('local-1')), { from: 'module', name: 'local-1' });
      // `?` is one character: local-10 is Lambda's, which has no such function.
      assert.deepEqual(await router.invoke({ ...invocation('x'), arn: arnOf('local-10') }), { outcome: 'failed', reason: 'ResourceNotFoundException', retryable: false });
      assert.equal(lambda.invocations.at(-1)!.name, 'local-10');
      assert.deepEqual(await payloadOf(arnOf('remote')), { from: 'lambda', name: 'remote' });
    } finally {
      await router.close?.();
      await hook.close();
    }
  });

  test('globs treat everything but * and ? literally', () => {
    assert.ok(globPattern('arn:aws:lambda:us-east-1:*:function:a.b').test('arn:aws:lambda:us-east-1:123:function:a.b'));
    assert.ok(!globPattern('arn:aws:lambda:us-east-1:*:function:a.b').test('arn:aws:lambda:us-east-1:123:function:aXb'));
    assert.ok(!globPattern('fn-?').test('fn-12'));
    assert.ok(globPattern('(x)+[y]').test('(x)+[y]'));
  });
});
