#!/usr/bin/env node
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, defaultConfig, isPostgresUrl, loadConfigFile, mergeConfig, type GatehouseConfig } from '../config.js';
import { SeedError } from '../seed.js';
import { startGatehouse } from '../server.js';
import { servePrimary, serveWorker } from './workers.js';
import { backupCommand, restoreCommand } from './backup.js';
import { BackupError } from '../storage/sqlite-backup.js';
import { exportCommand, importCognitoLocalCommand, importCommand, importReportCommand } from './portability.js';
import { PoolFileError } from '../domain/portability/pool-lines.js';
import { CognitoError } from '../domain/errors.js';

const HELP = `Gatehouse: the Amazon Cognito User Pools API, self-hosted.

Usage:
  gatehouse serve [options]
  gatehouse export (--pool <id> ... | --all) [--db <target>] > pools.jsonl
  gatehouse import [<file>] [--db <target>]      (standard input without a file)
  gatehouse import --from-cognito-local <dir> [--db <target>]   (e.g. .cognito/db)
  gatehouse import-report --pool <id> --job <import job id> [--db <target>]
  gatehouse backup <file> [--db <sqlite file>]
  gatehouse restore <file> [--db <sqlite file>] [--force]
  gatehouse --help

Options for serve:
  --host <address>     address to listen on (default 127.0.0.1)
  --port <number>      port to listen on; 0 picks a free one (default 9229)
  --db <target>        SQLite file path or postgres://user:pass@host:port/db
                       (default .gatehouse/gatehouse.db)
  --config <file>      JSON or YAML file: settings and the pools/clients to create
  --region <region>    region in pool ids and ARNs (default us-east-1)
  --public-url <url>   base URL of token issuers when behind a proxy
  --token-issuer <s>   self (default): tokens name this server as issuer;
                       cognito: https://cognito-idp.<region>.amazonaws.com/<poolId>
  --log-level <level>  fatal, error, warn, info, debug, trace or silent (default info)
  --allow-unauthenticated  serve on a non-loopback address without access keys
                       (anyone who reaches it can manage users)
  --workers <n>        server processes sharing the port (default: one per core;
                       1 for an in-memory database)
  -h, --help           show this help

export writes the pools (settings, app clients, groups, users with their password
hashes, SRP verifiers, TOTP secrets, devices and provider links) as Gatehouse's pool
file, JSON Lines, with every secret in the clear: keep it as safe as the database
and its server key. import checks a whole pool file before it writes anything, seals
the secrets with this installation's server key, and imports each pool whole or not
at all; a pool whose id exists here already is refused. --from-cognito-local reads
cognito-local's data directory: pools, app clients, groups and users keep their ids,
subs and states, and plain-text passwords become hashes. import-report prints the
rows of a user import job that were skipped or failed, as Cognito logs them.

backup takes a consistent snapshot of the SQLite database while the server runs and
copies the server key beside it (<file>.key); restore puts both back in place (stop
the server first; --force replaces an existing database, kept as .before-restore).
On PostgreSQL use pg_dump and pg_restore, and keep GATEHOUSE_SERVER_KEY with the dump.

Settings are read from defaults, then the config file, then the environment
(GATEHOUSE_DB, GATEHOUSE_PORT, GATEHOUSE_HOST, GATEHOUSE_PUBLIC_URL), then flags.
GATEHOUSE_ACCESS_KEY_ID and GATEHOUSE_SECRET_ACCESS_KEY set the key pair that must
sign Admin* and pool-management calls (SigV4, as AWS); without keys Gatehouse
serves only on loopback and accepts any signature there.
GATEHOUSE_WEBHOOK_URL (with GATEHOUSE_WEBHOOK_SECRET to sign) sends email and SMS
messages to that webhook. GATEHOUSE_LAMBDA_ENDPOINT is the Lambda Invoke API that
runs the pools' triggers (SAM local, LocalStack; default AWS Lambda), and
GATEHOUSE_KMS_ENDPOINT the KMS API that encrypts codes for custom sender triggers. GATEHOUSE_SERVER_KEY (32 random bytes, base64 or hex)
seals signing keys and password verifiers; without it the key is kept in
server.key beside the SQLite file (.gatehouse/server.key for PostgreSQL),
made on first start.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      db: { type: 'string' },
      config: { type: 'string' },
      region: { type: 'string' },
      'public-url': { type: 'string' },
      'token-issuer': { type: 'string' },
      'log-level': { type: 'string' },
      workers: { type: 'string' },
      'allow-unauthenticated': { type: 'boolean' },
      pool: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      job: { type: 'string' },
      'from-cognito-local': { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return values.help ? 0 : 1;
  }
  const [command, ...rest] = positionals;
  const base = values.config ? await loadConfigFile(values.config) : defaultConfig();
  const config = mergeConfig(base, overrides(values));
  switch (command) {
    case 'serve':
      if (rest.length === 0) return serve(config, values.workers);
      break;
    case 'export':
      if (rest.length > 0 || (values.all === true) === (values.pool !== undefined)) throw new ConfigError('export takes --pool <id> (once or more) or --all');
      return exportCommand(config, values.pool ?? [], values.all === true);
    case 'import':
      if (values['from-cognito-local'] !== undefined && rest.length === 0) return importCognitoLocalCommand(config, values['from-cognito-local']);
      if (rest.length <= 1) return importCommand(config, rest[0]);
      break;
    case 'backup':
      if (rest.length === 1) return backupCommand(config, rest[0]!);
      break;
    case 'restore':
      if (rest.length === 1) return restoreCommand(config, rest[0]!, values.force === true);
      break;
    case 'import-report':
      if (rest.length > 0 || values.pool?.length !== 1 || values.job === undefined) throw new ConfigError('import-report takes --pool <id> and --job <import job id>');
      return importReportCommand(config, values.pool[0]!, values.job);
  }
  process.stderr.write(`unknown command: ${positionals.join(' ')}\n\n${HELP}`);
  return 1;
}

async function serve(config: GatehouseConfig, workersFlag: string | undefined): Promise<number> {
  if (cluster.isWorker) return serveWorker(config);
  const workers = workerCount(workersFlag ?? process.env.GATEHOUSE_WORKERS, config);
  if (workers > 1) return servePrimary(config, workers);
  const gatehouse = await startGatehouse(config);
  const backend = isPostgresUrl(config.database) ? 'postgresql' : `sqlite ${config.database}`;
  gatehouse.app.log.info(`Gatehouse serving the Cognito API on ${gatehouse.url} (${backend})`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      gatehouse.app.log.info(`${signal}: finishing in-flight requests and closing the database`);
      gatehouse.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** One process per core unless told otherwise; an in-memory database lives in one process only. */
function workerCount(given: string | undefined, config: GatehouseConfig): number {
  if (given !== undefined && !/^[1-9]\d*$/.test(given)) throw new ConfigError(`--workers must be a positive number, got '${given}'`);
  if (config.database === ':memory:') return 1;
  return given === undefined ? availableParallelism() : Number(given);
}

/** One key pair from the environment, the way the AWS tools name theirs. */
function accessKeyFromEnvironment(): GatehouseConfig['accessKeys'][number] | undefined {
  const { GATEHOUSE_ACCESS_KEY_ID: accessKeyId, GATEHOUSE_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) throw new ConfigError('set both GATEHOUSE_ACCESS_KEY_ID and GATEHOUSE_SECRET_ACCESS_KEY, or neither');
  return { accessKeyId, secretAccessKey };
}

type Flags = Record<string, string | string[] | boolean | undefined>;

/** Environment, then flags, as a partial config. */
function overrides(flags: Flags): Partial<GatehouseConfig> {
  const env = process.env;
  const pick = (flag: string, variable?: string) => (flags[flag] as string | undefined) ?? (variable ? env[variable] : undefined);
  const result: Partial<GatehouseConfig> = {};
  const host = pick('host', 'GATEHOUSE_HOST');
  const port = pick('port', 'GATEHOUSE_PORT');
  const database = pick('db', 'GATEHOUSE_DB');
  const region = pick('region');
  const publicUrl = pick('public-url', 'GATEHOUSE_PUBLIC_URL');
  const logLevel = pick('log-level');
  const tokenIssuer = pick('token-issuer');
  if (tokenIssuer !== undefined) result.tokenIssuer = tokenIssuer as GatehouseConfig['tokenIssuer'];
  if (host !== undefined) result.host = host;
  if (port !== undefined) {
    if (!/^\d+$/.test(port)) throw new ConfigError(`--port must be a number, got '${port}'`);
    result.port = Number(port);
  }
  if (database !== undefined) result.database = database;
  if (region !== undefined) result.region = region;
  if (publicUrl !== undefined) result.publicUrl = publicUrl;
  if (logLevel !== undefined) result.logLevel = logLevel as GatehouseConfig['logLevel'];
  if (env.GATEHOUSE_SERVER_KEY) result.serverKey = env.GATEHOUSE_SERVER_KEY;
  const accessKey = accessKeyFromEnvironment();
  if (accessKey) result.accessKeys = [accessKey];
  if (flags['allow-unauthenticated'] === true) result.allowUnauthenticated = true;
  // Laid over the config file's lambda settings field by field (mergeConfig), so its timeoutMs stays.
  if (env.GATEHOUSE_LAMBDA_ENDPOINT) result.lambda = { endpoint: env.GATEHOUSE_LAMBDA_ENDPOINT } as GatehouseConfig['lambda'];
  if (env.GATEHOUSE_KMS_ENDPOINT) result.kms = { endpoint: env.GATEHOUSE_KMS_ENDPOINT };
  const webhookUrl = env.GATEHOUSE_WEBHOOK_URL;
  if (webhookUrl) {
    const secret = env.GATEHOUSE_WEBHOOK_SECRET;
    const webhook = { method: 'webhook' as const, url: webhookUrl, ...(secret && { secret }) };
    result.messages = { email: webhook, sms: webhook };
  }
  return result;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Errors of what the user asked or gave are told in a line; anything else is a bug, with its stack.
    const known =
      error instanceof ConfigError ||
      error instanceof SeedError ||
      error instanceof PoolFileError ||
      error instanceof BackupError ||
      error instanceof CognitoError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    process.stderr.write(`gatehouse: ${known ? (error as Error).message : (error as Error).stack}\n`);
    process.exit(1);
  },
);
