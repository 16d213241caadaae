import { appendFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { LogDestination } from '../../config.js';
import { WebhookPoster } from '../messages/webhook-delivery.js';

/** Where one destination's records go: JSON lines, in the order written. Writing never throws. */
export interface LogSink {
  write(line: string): void;
  /** Resolves once everything written so far has gone out (or been given up on). */
  flush(): Promise<void>;
}

/** Told when records are lost: an unmapped ARN, a file that cannot be written, an endpoint that keeps failing. */
export type LogDeliveryWarn = (line: string) => void;

/**
 * The operator's map from the ARNs pools configure to real destinations: an exact ARN, or the
 * longest prefix ending in `*`. One sink per destination, however many ARNs lead to it, so its
 * lines stay in order.
 */
export class LogDestinations {
  private readonly sinks = new Map<LogDestination, LogSink>();
  private readonly byArn = new Map<string, LogSink | undefined>();

  constructor(
    private readonly destinations: Record<string, LogDestination>,
    private readonly warn: LogDeliveryWarn,
  ) {}

  /** The sink for an ARN, or undefined (with one warning per ARN) when the config maps it nowhere. */
  sinkFor(arn: string): LogSink | undefined {
    if (!this.byArn.has(arn)) {
      const sink = this.resolve(arn);
      this.byArn.set(arn, sink);
      if (!sink) this.warn(`log delivery: no destination for ${arn} in logDelivery.destinations; its records are dropped`);
    }
    return this.byArn.get(arn);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((sink) => sink.flush()));
  }

  private resolve(arn: string): LogSink | undefined {
    const destination = this.destinationOf(arn);
    if (destination === undefined) return undefined;
    let sink = this.sinks.get(destination);
    if (!sink) {
      sink = openSink(destination, this.warn);
      this.sinks.set(destination, sink);
    }
    return sink;
  }

  private destinationOf(arn: string): LogDestination | undefined {
    if (Object.hasOwn(this.destinations, arn) && !arn.endsWith('*')) return this.destinations[arn];
    let best: string | undefined;
    for (const key of Object.keys(this.destinations)) {
      if (key.endsWith('*') && arn.startsWith(key.slice(0, -1)) && (best === undefined || key.length > best.length)) best = key;
    }
    return best === undefined ? undefined : this.destinations[best];
  }
}

function openSink(destination: LogDestination, warn: LogDeliveryWarn): LogSink {
  if (destination === 'stdout') return new StdoutSink();
  if (destination.startsWith('file:')) return new FileSink(destination.startsWith('file://') ? fileURLToPath(destination) : destination.slice('file:'.length), warn);
  return new HttpSink(destination, warn);
}

class StdoutSink implements LogSink {
  write(line: string): void {
    process.stdout.write(`${line}\n`);
  }

  async flush(): Promise<void> {}
}

/** Lines appended one write at a time, in order; a failed append is reported and the lines dropped. */
class FileSink implements LogSink {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly warn: LogDeliveryWarn,
  ) {}

  write(line: string): void {
    this.pending.push(line);
    // Lines written while an append runs go out together in the next one.
    if (this.pending.length === 1) this.writing = this.writing.then(() => this.append());
  }

  flush(): Promise<void> {
    return this.writing;
  }

  private async append(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    await appendFile(this.path, `${lines.join('\n')}\n`).catch((error: Error) => this.warn(`log delivery: could not append ${lines.length} record(s) to ${this.path}: ${error.message}`));
  }
}

/** Records gathered for a moment and POSTed as JSON lines, retried on network errors, 5xx and 429. */
class HttpSink implements LogSink {
  static readonly BATCH_MS = 100;
  static readonly BATCH_LINES = 500;
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly poster: WebhookPoster;

  constructor(
    private readonly url: string,
    private readonly warn: LogDeliveryWarn,
  ) {
    this.poster = new WebhookPoster({ url, retries: 3, backoffMs: 500 });
  }

  write(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= HttpSink.BATCH_LINES) this.send();
    else this.timer ??= setTimeout(() => this.send(), HttpSink.BATCH_MS).unref();
  }

  flush(): Promise<void> {
    this.send();
    return this.sending;
  }

  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const lines = this.pending;
    this.pending = [];
    this.sending = this.sending.then(() =>
      this.poster.post(`${lines.join('\n')}\n`, 'application/x-ndjson').catch((error: Error) => this.warn(`log delivery: dropped ${lines.length} record(s) for ${this.url}: ${error.message}`)),
    );
  }
}
