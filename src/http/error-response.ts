import type { FastifyReply } from 'fastify';

/** Cognito answers 400 for every client error, NotAuthorized and ResourceNotFound included; throttling is 429. */
const statusOf = (type: string): number => (type === 'InternalErrorException' ? 500 : type === 'TooManyRequestsException' ? 429 : 400);

/** Header values must stay printable ASCII on one line. */
const headerSafe = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 1024);

/** The awsJson1_1 error shape: body `__type` and `message`, mirrored in x-amzn-Error* headers. */
export function sendError(reply: FastifyReply, type: string, message: string): FastifyReply {
  return reply
    .code(statusOf(type))
    .header('content-type', 'application/x-amz-json-1.1')
    .header('x-amzn-ErrorType', `${type}:`)
    .header('x-amzn-ErrorMessage', headerSafe(message))
    .send(JSON.stringify({ __type: type, message }));
}
