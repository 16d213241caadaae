import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../../clock.js';
import type { ImportJobRecord, ImportLineRecord, Storage } from '../../storage/types.js';
import { CognitoError } from '../errors.js';
import type { PoolContext, Users } from '../users/users.js';
import { CSV_LIMITS, csvLines, type CsvLine } from './cognito-csv.js';
import { csvHeader } from './csv-header.js';
import { readHeader, RowFailure, userOfRow } from './import-row.js';

export interface ImportRunnerOptions {
  /** How often this node looks for jobs to run (another node's, or one whose runner died). */
  pollMs: number;
  /** How long a job is this node's without a checkpoint; another node takes it over after that. */
  leaseMs: number;
  /** Told of every row not imported, and of each job's end: Cognito's CloudWatch log lines. */
  log?: (job: ImportJobRecord, line: string) => void;
}

/** Progress is written (and the lease renewed) after this many rows or this long, whichever first. */
const CHECKPOINT_ROWS = 200;
const CHECKPOINT_MS = 1_000;
const COMPLETED = 'Import Job Completed Successfully.';
const TOO_MANY_FAILED = 'Too many users have failed or been skipped during the import.';

/** The job changed under its runner: stopped, or taken over by another node. */
class Interrupted extends Error {}

/**
 * Runs started import jobs, one node at a time per job: a runner takes a job by writing its lease
 * over the version it read, so of several nodes one wins; it writes progress as it goes, so a
 * node that takes over an abandoned job resumes after the last checkpoint.
 */
export class ImportRunner {
  private readonly nodeId = randomUUID();
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly storage: Storage,
    private readonly users: Users,
    private readonly clock: Clock,
    private readonly options: ImportRunnerOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks for work now (a job was just started here). */
  kick(): void {
    if (this.closed || this.looking) return;
    this.looking = this.look()
      .catch(() => undefined)
      .finally(() => (this.looking = undefined));
  }

  /** Stops taking jobs; a job running here ends at its next row, keeping its progress for another node. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.looking;
    await Promise.all(this.running.values());
  }

  private async look(): Promise<void> {
    for (const job of await this.storage.importJobs.runnable(this.clock.now(), 10)) {
      if (this.closed || this.running.has(job.jobId)) continue;
      const claimed = await this.claim(job);
      if (!claimed) continue;
      const run = this.run(claimed).finally(() => this.running.delete(job.jobId));
      this.running.set(job.jobId, run);
    }
  }

  private async claim(job: ImportJobRecord): Promise<ImportJobRecord | undefined> {
    const claimed: ImportJobRecord = {
      ...job,
      status: job.status === 'Pending' ? 'InProgress' : job.status,
      leaseOwner: this.nodeId,
      leaseUntil: this.clock.now() + this.options.leaseMs,
    };
    return (await this.storage.importJobs.update(claimed)) ? { ...claimed, version: job.version + 1 } : undefined;
  }

  private async run(claimed: ImportJobRecord): Promise<void> {
    const run = new JobRun(claimed, this.storage, this.clock, this.options);
    try {
      await run.process(await this.users.poolContext(claimed.poolId), this.users, () => this.closed);
    } catch (error) {
      if (error instanceof Interrupted) return;
      await run.finish('Failed', error instanceof RowFailure ? `The CSV file could not be parsed: ${error.message}` : 'The import job failed.').catch(() => undefined);
    }
  }
}

/** One runner's hold on one job: its counts, its unwritten report lines, its checkpoints. */
class JobRun {
  private readonly pendingLines: ImportLineRecord[] = [];
  private lastCheckpoint: number;
  private rowsSinceCheckpoint = 0;

  constructor(
    private job: ImportJobRecord,
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly options: ImportRunnerOptions,
  ) {
    this.lastCheckpoint = clock.now();
  }

  async process(context: PoolContext, users: Users, closing: () => boolean): Promise<void> {
    if (this.job.status === 'Stopping') return this.finish('Stopped', 'The import job was stopped.');
    const upload = this.job.body.upload;
    if (!upload) return this.finish('Failed', 'No CSV file was uploaded.');
    let columns: string[] | undefined;
    let rows = 0;
    for await (const line of csvLines(this.parts(upload.id, upload.parts))) {
      if (!columns) {
        columns = readHeader(line.text, csvHeader(context.settings));
        continue;
      }
      if (++rows > CSV_LIMITS.rows) return this.finish('Failed', `The CSV file has more than ${CSV_LIMITS.rows} users.`);
      if (line.number <= this.job.body.linesDone) continue;
      if (closing()) return this.release();
      await this.importRow(line, columns, context, users);
      await this.checkpointIfDue();
      // SQLite answers without ever leaving the microtask queue: let requests in between rows.
      await nextTurn();
    }
    if (!columns) return this.finish('Failed', 'The CSV file could not be parsed: it has no header line.');
    const { imported, skipped, failed } = this.job.body;
    // Cognito fails a job in which most rows went wrong; Gatehouse draws the line at more than half.
    const tooMany = skipped + failed > 0 && 2 * (skipped + failed) > imported + skipped + failed;
    await this.finish(tooMany ? 'Failed' : 'Succeeded', tooMany ? TOO_MANY_FAILED : COMPLETED);
  }

  /** Writes what is left of the report and the job's final state, and frees its file. */
  async finish(status: 'Succeeded' | 'Failed' | 'Stopped', message: string): Promise<void> {
    await this.flushLines();
    const done = { ...this.job.body, completedAt: this.clock.now(), completionMessage: message };
    for (;;) {
      const next: ImportJobRecord = { ...this.job, status, body: done, leaseOwner: null, leaseUntil: null };
      if (await this.storage.importJobs.update(next)) break;
      await this.reread();
    }
    this.options.log?.({ ...this.job, status }, `[${status.toUpperCase()}] ${message} Imported ${done.imported}, skipped ${done.skipped}, failed ${done.failed}.`);
    await this.storage.importJobs.dropFiles(this.job.jobId);
  }

  private async importRow(line: CsvLine, columns: string[], context: PoolContext, users: Users): Promise<void> {
    const body = this.job.body;
    try {
      await users.insert(context, userOfRow(line.text, columns, context.settings));
      body.imported++;
    } catch (error) {
      const skipped = error instanceof CognitoError && error.type === 'UsernameExistsException';
      if (!skipped && !(error instanceof RowFailure) && !(error instanceof CognitoError)) throw error;
      if (skipped) body.skipped++;
      else body.failed++;
      const record: ImportLineRecord = { line: line.number, outcome: skipped ? 'SKIPPED' : 'FAILED', message: skipped ? 'The user already exists.' : (error as Error).message };
      this.pendingLines.push(record);
      this.options.log?.(this.job, `[${record.outcome}] Line Number ${record.line} - ${record.message}`);
    }
    body.linesDone = line.number;
    this.rowsSinceCheckpoint++;
  }

  private async checkpointIfDue(): Promise<void> {
    if (this.rowsSinceCheckpoint < CHECKPOINT_ROWS && this.clock.now() - this.lastCheckpoint < CHECKPOINT_MS) return;
    await this.flushLines();
    const next: ImportJobRecord = { ...this.job, leaseUntil: this.clock.now() + this.options.leaseMs };
    if (await this.storage.importJobs.update(next)) {
      this.job = { ...next, version: this.job.version + 1 };
    } else {
      // Stopped, or (after a stall longer than the lease) taken over: reread to know which.
      await this.reread();
      if (this.job.status === 'Stopping') {
        await this.finish('Stopped', 'The import job was stopped.');
        throw new Interrupted();
      }
    }
    this.lastCheckpoint = this.clock.now();
    this.rowsSinceCheckpoint = 0;
  }

  /** Hands the job back with its progress, for another node to take at once. */
  private async release(): Promise<void> {
    await this.flushLines();
    await this.storage.importJobs.update({ ...this.job, leaseOwner: null, leaseUntil: null });
    throw new Interrupted();
  }

  /** The stored job, keeping this run's counts; Interrupted when another runner holds it now. */
  private async reread(): Promise<void> {
    const stored = await this.storage.importJobs.get(this.job.poolId, this.job.jobId);
    if (!stored || stored.leaseOwner !== this.job.leaseOwner) throw new Interrupted();
    this.job = { ...stored, body: this.job.body };
  }

  private async flushLines(): Promise<void> {
    if (this.pendingLines.length === 0) return;
    await this.storage.importJobs.addLines(this.job.jobId, this.pendingLines.splice(0));
  }

  private async *parts(uploadId: string, count: number): AsyncGenerator<Uint8Array> {
    for (let part = 0; part < count; part++) {
      const data = await this.storage.importJobs.getFilePart(this.job.jobId, uploadId, part);
      if (!data) throw new Interrupted();
      yield data;
    }
  }
}
