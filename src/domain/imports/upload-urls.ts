import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../keys/secret-box.js';

/** Where a job's CSV file is PUT: Gatehouse's stand-in for Cognito's pre-signed S3 URL. */
export const UPLOAD_PATH = '/_gatehouse/user-imports';

/** Why an upload is refused, as S3 answers a pre-signed PUT. */
export class UploadRefused extends Error {
  constructor(
    readonly code: 'AccessDenied' | 'EntityTooLarge' | 'NoSuchUpload' | 'InvalidRequest',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Pre-signed upload URLs: the path names the pool and job, the query when the URL expires and a
 * MAC over both keyed by the server key, so any node of the installation accepts the upload.
 */
export class UploadUrls {
  constructor(
    private readonly secretBox: SecretBox,
    private readonly publicUrl: () => string,
  ) {}

  urlFor(poolId: string, jobId: string, expiresAt: number): string {
    const expires = Math.floor(expiresAt / 1000);
    return `${this.publicUrl()}${UPLOAD_PATH}/${poolId}/${jobId}?Expires=${expires}&Signature=${this.signature(poolId, jobId, expires)}`;
  }

  /** Throws UploadRefused unless the query is this job's signature and has not expired. */
  check(poolId: string, jobId: string, query: { Expires?: string; Signature?: string }, now: number): void {
    const expires = Number(query.Expires);
    const given = Buffer.from(query.Signature ?? '', 'utf8');
    const expected = Buffer.from(Number.isSafeInteger(expires) ? this.signature(poolId, jobId, expires) : '', 'utf8');
    if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new UploadRefused('AccessDenied', 'The request signature does not match this upload URL.');
    }
    if (expires * 1000 < now) throw new UploadRefused('AccessDenied', 'Request has expired');
  }

  private signature(poolId: string, jobId: string, expires: number): string {
    return this.secretBox.digest(`user-import\n${poolId}\n${jobId}\n${expires}`).toString('base64url');
  }
}
