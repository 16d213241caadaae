/**
 * Prometheus metrics, kept in memory per process: requests by operation and outcome, latency
 * histograms, sign-in results, and the database pool. With `--workers`, a scrape answered by any
 * worker sums every worker's numbers (see cli/workers.ts), so counters never go backwards.
 */

/** Latency buckets in seconds: sub-millisecond reads up to argon2id-bound sign-ins under load. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Everything a process counts, as plain data so workers can send it to each other. */
export interface MetricsSnapshot {
  /** `operation\0outcome` → count */
  requests: Record<string, number>;
  /** operation → [count per bucket, then +Inf], sum in seconds */
  latency: Record<string, { buckets: number[]; sum: number; count: number }>;
  /** `flow\0result` → count */
  signIns: Record<string, number>;
  /** `pool\0triggerSource\0function\0outcome` → invocations and their total seconds */
  triggers: Record<string, { count: number; sum: number }>;
  /** The start of each of the last hour's minutes (epoch ms) → what happened in it, for the console's chart. */
  perMinute: Record<string, MinuteCounts>;
  /** The last invocations one by one, newest first, for the console's activity page. */
  recentTriggers: TriggerInvocation[];
}

export interface TriggerInvocation {
  /** When it ended (epoch ms). */
  at: number;
  poolId: string;
  source: string;
  functionArn: string;
  outcome: string;
  milliseconds: number;
}

/** How many single invocations each process (and a merged snapshot) keeps. */
export const RECENT_TRIGGERS_KEPT = 200;

export interface MinuteCounts {
  /** Sign-ins that ended in tokens. */
  signIns: number;
  /** Sign-in steps that ended in an exception (a wrong password, an expired code, …). */
  failures: number;
  signUps: number;
}

/** A minute in which nothing happened. */
export const noMinuteCounts = (): MinuteCounts => ({ signIns: 0, failures: 0, signUps: 0 });

export const MINUTE_MS = 60_000;
/** How many minutes of counts each process keeps. */
export const MINUTES_KEPT = 60;

export interface DatabasePoolStats {
  total: number;
  idle: number;
  waiting: number;
}

const SIGN_IN_OPERATIONS = new Set(['InitiateAuth', 'AdminInitiateAuth', 'RespondToAuthChallenge', 'AdminRespondToAuthChallenge']);

export class Metrics {
  private readonly snapshot: MetricsSnapshot = { requests: {}, latency: {}, signIns: {}, triggers: {}, perMinute: {}, recentTriggers: [] };

  constructor(private readonly now: () => number = Date.now) {}

  /** One answered request: `outcome` is `success` or the exception name. */
  record(operation: string, outcome: string, seconds: number, output?: unknown): void {
    increment(this.snapshot.requests, `${operation}\0${outcome}`);
    const latency = (this.snapshot.latency[operation] ??= { buckets: new Array(BUCKETS.length + 1).fill(0), sum: 0, count: 0 });
    const index = BUCKETS.findIndex((bound) => seconds <= bound);
    latency.buckets[index === -1 ? BUCKETS.length : index]! += 1;
    latency.sum += seconds;
    latency.count += 1;
    if (SIGN_IN_OPERATIONS.has(operation)) {
      const result = signInResult(outcome, output);
      increment(this.snapshot.signIns, `${operation}\0${result}`);
      if (result === 'tokens') this.minute().signIns++;
      else if (outcome !== 'success') this.minute().failures++;
    } else if (operation === 'SignUp' && outcome === 'success') this.minute().signUps++;
  }

  /** This minute's counts, opened (and minutes older than the hour dropped) on first use. */
  private minute(): MinuteCounts {
    const { perMinute } = this.snapshot;
    const start = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    let counts = perMinute[start];
    if (!counts) {
      counts = perMinute[start] = noMinuteCounts();
      for (const key of Object.keys(perMinute)) if (Number(key) <= start - MINUTES_KEPT * MINUTE_MS) delete perMinute[key];
    }
    return counts;
  }

  /** One trigger invocation: `outcome` is `answered` or the Cognito exception it ended in. */
  recordTrigger(poolId: string, source: string, functionArn: string, outcome: string, seconds: number): void {
    const entry = (this.snapshot.triggers[`${poolId}\0${source}\0${functionArn}\0${outcome}`] ??= { count: 0, sum: 0 });
    entry.count += 1;
    entry.sum += seconds;
    const recent = this.snapshot.recentTriggers;
    recent.unshift({ at: this.now(), poolId, source, functionArn, outcome, milliseconds: Math.round(seconds * 1000) });
    if (recent.length > RECENT_TRIGGERS_KEPT) recent.length = RECENT_TRIGGERS_KEPT;
  }

  current(): MetricsSnapshot {
    return this.snapshot;
  }
}

/** Tokens, a further challenge, or the exception that ended the attempt. */
function signInResult(outcome: string, output: unknown): string {
  if (outcome !== 'success') return outcome;
  const result = output as { AuthenticationResult?: unknown; ChallengeName?: string } | undefined;
  return result?.AuthenticationResult ? 'tokens' : `challenge:${result?.ChallengeName ?? 'unknown'}`;
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Adds snapshots from several processes into one. */
export function mergeSnapshots(snapshots: MetricsSnapshot[]): MetricsSnapshot {
  const merged: MetricsSnapshot = { requests: {}, latency: {}, signIns: {}, triggers: {}, perMinute: {}, recentTriggers: [] };
  for (const snapshot of snapshots) {
    for (const [minute, counts] of Object.entries(snapshot.perMinute)) {
      const target = (merged.perMinute[minute] ??= noMinuteCounts());
      target.signIns += counts.signIns;
      target.failures += counts.failures;
      target.signUps += counts.signUps;
    }
    for (const [key, value] of Object.entries(snapshot.requests)) merged.requests[key] = (merged.requests[key] ?? 0) + value;
    for (const [key, value] of Object.entries(snapshot.signIns)) merged.signIns[key] = (merged.signIns[key] ?? 0) + value;
    for (const [key, { count, sum }] of Object.entries(snapshot.triggers ?? {})) {
      const target = (merged.triggers[key] ??= { count: 0, sum: 0 });
      target.count += count;
      target.sum += sum;
    }
    for (const [operation, latency] of Object.entries(snapshot.latency)) {
      const target = (merged.latency[operation] ??= { buckets: new Array(BUCKETS.length + 1).fill(0), sum: 0, count: 0 });
      latency.buckets.forEach((count, i) => (target.buckets[i]! += count));
      target.sum += latency.sum;
      target.count += latency.count;
    }
  }
  merged.recentTriggers = snapshots
    .flatMap((snapshot) => snapshot.recentTriggers)
    .sort((a, b) => b.at - a.at)
    .slice(0, RECENT_TRIGGERS_KEPT);
  return merged;
}

/** The Prometheus text exposition format (version 0.0.4). */
export function exposition(snapshot: MetricsSnapshot, database: { backend: string; pool?: DatabasePoolStats; ready: boolean }, processes: number): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  family('gatehouse_requests_total', 'counter', 'Cognito API requests answered, by operation and outcome (success or the exception name).');
  for (const [key, value] of sorted(snapshot.requests)) {
    const [operation, outcome] = key.split('\0');
    lines.push(`gatehouse_requests_total{operation="${operation}",outcome="${outcome}"} ${value}`);
  }
  family('gatehouse_request_duration_seconds', 'histogram', 'Time to answer a Cognito API request, by operation.');
  for (const [operation, latency] of sorted(snapshot.latency)) {
    let cumulative = 0;
    BUCKETS.forEach((bound, i) => {
      cumulative += latency.buckets[i]!;
      lines.push(`gatehouse_request_duration_seconds_bucket{operation="${operation}",le="${bound}"} ${cumulative}`);
    });
    lines.push(`gatehouse_request_duration_seconds_bucket{operation="${operation}",le="+Inf"} ${latency.count}`);
    lines.push(`gatehouse_request_duration_seconds_sum{operation="${operation}"} ${latency.sum}`);
    lines.push(`gatehouse_request_duration_seconds_count{operation="${operation}"} ${latency.count}`);
  }
  family('gatehouse_sign_in_results_total', 'counter', 'Sign-in steps by operation and result: tokens, challenge:<name>, or the exception name.');
  for (const [key, value] of sorted(snapshot.signIns)) {
    const [operation, result] = key.split('\0');
    lines.push(`gatehouse_sign_in_results_total{operation="${operation}",result="${result}"} ${value}`);
  }
  const triggerLabels = ([key]: [string, unknown]) => {
    const [pool, source, fn, outcome] = key.split('\0');
    return `pool="${pool}",source="${source}",function="${escapeLabel(fn!)}",outcome="${outcome}"`;
  };
  family('gatehouse_trigger_invocations_total', 'counter', 'Lambda trigger invocations by pool, trigger source, function and outcome (answered or the exception name).');
  for (const entry of sorted(snapshot.triggers)) lines.push(`gatehouse_trigger_invocations_total{${triggerLabels(entry)}} ${entry[1].count}`);
  family('gatehouse_trigger_seconds_total', 'counter', 'Time spent invoking triggers (every attempt), with the same labels.');
  for (const entry of sorted(snapshot.triggers)) lines.push(`gatehouse_trigger_seconds_total{${triggerLabels(entry)}} ${entry[1].sum}`);
  family('gatehouse_database_up', 'gauge', 'Whether the database answered a ping just now.');
  lines.push(`gatehouse_database_up{backend="${database.backend}"} ${database.ready ? 1 : 0}`);
  if (database.pool) {
    family('gatehouse_database_connections', 'gauge', 'Database connections of the answering process, by state.');
    lines.push(`gatehouse_database_connections{state="total"} ${database.pool.total}`);
    lines.push(`gatehouse_database_connections{state="idle"} ${database.pool.idle}`);
    lines.push(`gatehouse_database_connections{state="waiting_clients"} ${database.pool.waiting}`);
  }
  family('gatehouse_processes', 'gauge', 'Server processes whose counts are summed here.');
  lines.push(`gatehouse_processes ${processes}`);
  return `${lines.join('\n')}\n`;
}

const escapeLabel = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');

const sorted = <T>(record: Record<string, T>) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
