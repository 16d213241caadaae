import type { FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../domain/errors.js';
import type { Services } from '../domain/services.js';
import { operations } from '../operations/index.js';
import { sendError } from './error-response.js';
import type { RequestAuthenticator } from './authenticator.js';
import { isKnownOperation, validateInput } from './model/validate.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/** POST /: the AWS JSON 1.1 protocol — route by X-Amz-Target, check input against the model, answer JSON. */
export function awsJsonHandler(services: Services, authenticate: RequestAuthenticator) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    reply.header('x-amzn-RequestId', request.id);
    const name = operationName(request.headers['x-amz-target']);
    const handler = operations[name];
    if (!handler) {
      return isKnownOperation(name)
        ? sendError(reply, 'UnsupportedOperationException', `Gatehouse does not implement ${name} yet.`)
        : sendError(reply, 'UnknownOperationException', name ? `Unknown operation ${name}.` : 'Missing or invalid X-Amz-Target header.');
    }
    try {
      authenticate(name, request);
      const input = parseBody(request.body);
      validateInput(name, input);
      const output = await handler(input, { services, requestId: request.id, sourceIp: request.ip });
      return reply.header('content-type', 'application/x-amz-json-1.1').send(JSON.stringify(output));
    } catch (error) {
      if (error instanceof CognitoError) return sendError(reply, error.type, error.message);
      request.log.error({ err: error, operation: name }, 'operation failed');
      return sendError(reply, 'InternalErrorException', 'An internal error occurred.');
    }
  };
}

function operationName(target: string | string[] | undefined): string {
  if (typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return '';
  return target.slice(TARGET_PREFIX.length);
}

function parseBody(body: unknown): Record<string, unknown> {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (text.trim() === '') return {};
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
