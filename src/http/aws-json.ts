import type { FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../domain/errors.js';
import { awsSdkVersionOf } from '../domain/triggers/caller.js';
import type { Services } from '../domain/services.js';
import { operations } from '../operations/index.js';
import { sendError } from './error-response.js';
import type { RequestAuthenticator } from './authenticator.js';
import type { RateLimiter } from './rate-limits.js';
import type { Metrics } from './metrics.js';
import { isKnownOperation, validateInput } from './model/validate.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/** POST /: the AWS JSON 1.1 protocol — route by X-Amz-Target, check input against the model, answer JSON. */
export function awsJsonHandler(services: Services, authenticate: RequestAuthenticator, limit: RateLimiter, metrics: Metrics) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    reply.header('x-amzn-RequestId', request.id);
    const name = operationName(request.headers['x-amz-target']);
    // Own properties only: a target such as `toString` or `__proto__` must not find Object.prototype.
    const handler = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (!handler || !isKnownOperation(name)) return sendError(reply, 'UnknownOperationException', name ? `Unknown operation ${name}.` : 'Missing or invalid X-Amz-Target header.');
    const started = performance.now();
    const done = (outcome: string, output?: unknown) => metrics.record(name, outcome, (performance.now() - started) / 1000, output);
    try {
      authenticate(name, request);
      const input = parseBody(request.body);
      validateInput(name, input);
      await limit(name, input);
      const awsSdkVersion = awsSdkVersionOf(request.headers['user-agent']);
      const userAgent = request.headers['user-agent'];
      const output = await handler(input, { services, requestId: request.id, sourceIp: request.ip, awsSdkVersion, ...(userAgent && { userAgent }) });
      done('success', output);
      return reply.header('content-type', 'application/x-amz-json-1.1').send(JSON.stringify(output));
    } catch (error) {
      if (error instanceof CognitoError) {
        done(error.type);
        return sendError(reply, error.type, error.message);
      }
      done('InternalErrorException');
      request.log.error({ err: error, operation: name }, 'operation failed');
      return sendError(reply, 'InternalErrorException', 'An internal error occurred.');
    }
  };
}

function operationName(target: string | string[] | undefined): string {
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return '';
  return target.slice(TARGET_PREFIX.length);
}

/** Cognito's deepest request nests a handful of levels; anything far deeper is refused unparsed. */
const MAX_JSON_DEPTH = 32;

/** How many `{` and `[` the text holds, counting no further than `enough`. */
function openingBrackets(text: string, enough: number): number {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1 && count < enough; at = text.indexOf(bracket, at + 1)) count++;
  }
  return count;
}

function parseBody(body: unknown): Record<string, unknown> {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (text.trim() === '') return {};
  // Most bodies hold fewer opening brackets than the limit, so cannot nest deeper: a native search tells.
  if (openingBrackets(text, MAX_JSON_DEPTH + 1) > MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH) throw new CognitoError('SerializationException', `Request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CognitoError('SerializationException', `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CognitoError('SerializationException', 'Request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** The deepest nesting of arrays and objects in JSON text, brackets inside strings not counted. */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}
