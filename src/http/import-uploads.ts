import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../domain/services.js';
import { UPLOAD_PATH, UploadRefused } from '../domain/imports/upload-urls.js';

const STATUS: Record<UploadRefused['code'], number> = { AccessDenied: 403, EntityTooLarge: 400, NoSuchUpload: 404, InvalidRequest: 409 };

/**
 * The pre-signed URL a user import job hands out: a PUT of the CSV file, answered as S3 answers
 * one (an ETag, or an XML error), taking the `x-amz-server-side-encryption` header that Cognito's
 * documented `curl -T` command sends. The body streams to the database in parts, never held whole.
 */
export function registerImportUploads(app: FastifyInstance, services: Pick<Services, 'importJobs'>): void {
  void app.register(async (scope) => {
    // The body is the file itself, whatever its content type says (curl -T sends none).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.put<{ Params: { poolId: string; jobId: string }; Querystring: Record<string, string> }>(`${UPLOAD_PATH}/:poolId/:jobId`, async (request, reply) => {
      const body = (request.body as Readable | undefined) ?? request.raw;
      try {
        const etag = await services.importJobs.receiveUpload(request.params.poolId, request.params.jobId, request.query, body);
        const encryption = request.headers['x-amz-server-side-encryption'];
        if (typeof encryption === 'string') reply.header('x-amz-server-side-encryption', encryption);
        return reply.header('etag', `"${etag}"`).code(200).send('');
      } catch (error) {
        if (!(error instanceof UploadRefused)) throw error;
        // Whatever is left of a refused body is not worth reading: the connection goes.
        if (!request.raw.complete) reply.header('connection', 'close');
        return s3Error(reply, error);
      }
    });
  });
}

function s3Error(reply: FastifyReply, error: UploadRefused): FastifyReply {
  const escape = (text: string) => text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
  return reply
    .code(STATUS[error.code])
    .type('application/xml')
    .send(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${escape(error.message)}</Message></Error>`);
}
