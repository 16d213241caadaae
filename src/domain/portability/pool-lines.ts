import { POOL_DOCUMENT_KINDS, USER_STATUSES } from '../../storage/types.js';
import { hashSchemeOf } from '../passwords/foreign-hashes.js';
import { POOL_FILE_FORMAT, POOL_FILE_VERSION, type PoolFileLine } from './pool-file.js';

/** A line of a pool file that is not what the format says, with where it is. */
export class PoolFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';
type Shape = Record<string, Kind | `${Kind}?` | `${Kind}|null`>;

const STATUSES: ReadonlySet<string> = new Set(USER_STATUSES);

const SHAPES: Record<string, Shape> = {
  pool: { id: 'string', name: 'string', config: 'object', tags: 'object', createdAt: 'number', updatedAt: 'number' },
  signingKey: { kid: 'string', poolId: 'string', purpose: 'string', privateKeyPem: 'string', publicJwk: 'object', createdAt: 'number' },
  client: { clientId: 'string', poolId: 'string', name: 'string', secret: 'string|null', config: 'object', createdAt: 'number', updatedAt: 'number' },
  document: { poolId: 'string', kind: 'string', key: 'string', createdAt: 'number', updatedAt: 'number' },
  group: { poolId: 'string', name: 'string', nameKey: 'string', description: 'string|null', precedence: 'number|null', roleArn: 'string|null', createdAt: 'number', updatedAt: 'number' },
  user: {
    poolId: 'string', sub: 'string', username: 'string', usernameKey: 'string', status: 'string', enabled: 'boolean', passwordHash: 'string|null',
    passwordExpiresAt: 'number|null', srpVerifier: 'string|null', attributes: 'object', settings: 'object', createdAt: 'number', updatedAt: 'number',
  },
  device: {
    poolId: 'string', deviceKey: 'string', sub: 'string', groupKey: 'string', verifier: 'string|null', name: 'string|null', remembered: 'boolean',
    lastIp: 'string|null', createdAt: 'number', updatedAt: 'number', lastAuthenticatedAt: 'number|null',
  },
};

function kindOf(value: unknown): Kind | 'null' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'object' || type === 'string' || type === 'number' || type === 'boolean' ? type : 'other';
}

function checkShape(value: unknown, shape: Shape, what: string, line: number): void {
  if (kindOf(value) !== 'object') throw new PoolFileError(line, `${what} must be an object`);
  for (const [field, expected] of Object.entries(shape)) {
    const actual = kindOf((value as Record<string, unknown>)[field]);
    const [kind, nullable] = expected.endsWith('|null') ? [expected.slice(0, -5), true] : [expected, false];
    if (actual === kind || (nullable && actual === 'null')) continue;
    throw new PoolFileError(line, `${what}.${field} must be ${nullable ? `${kind} or null` : kind}, not ${actual}`);
  }
}

/**
 * A line parsed and its shape checked: the fields each record needs, of the right types, and the
 * section's pool named wherever a record names its pool.
 */
export function parsePoolLine(text: string, line: number, poolId: string | undefined): PoolFileLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PoolFileError(line, 'not JSON');
  }
  const record = parsed as PoolFileLine;
  const samePool = (id: unknown, what: string) => {
    if (id !== poolId) throw new PoolFileError(line, `${what} belongs to pool ${String(id)}, not to this section's pool ${poolId}`);
  };
  /** A record of the section's pool: its fields, and its pool. */
  const owned = <T extends { poolId: string }>(value: T, shape: keyof typeof SHAPES, what: (value: T) => string): void => {
    checkShape(value, SHAPES[shape]!, shape, line);
    samePool(value.poolId, what(value));
  };
  if (poolId === undefined && record?.type !== 'pool') throw new PoolFileError(line, 'a section must open with its pool line');
  switch (record?.type) {
    case 'pool':
      if (poolId !== undefined) throw new PoolFileError(line, `pool ${poolId}'s section has no end line before the next pool`);
      if (record.format !== POOL_FILE_FORMAT) throw new PoolFileError(line, `not a Gatehouse pool file (format ${String(record.format)})`);
      if (record.version !== POOL_FILE_VERSION) throw new PoolFileError(line, `format version ${String(record.version)}; this Gatehouse reads version ${POOL_FILE_VERSION}`);
      checkShape(record.pool, SHAPES.pool!, 'pool', line);
      if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(record.pool.id)) throw new PoolFileError(line, `pool id ${record.pool.id} is not a user pool id`);
      if (!Array.isArray(record.signingKeys) || record.signingKeys.length === 0) throw new PoolFileError(line, 'the pool has no signing keys');
      for (const key of record.signingKeys) {
        checkShape(key, SHAPES.signingKey!, 'signing key', line);
        if (key.poolId !== record.pool.id || (key.purpose !== 'id' && key.purpose !== 'access')) throw new PoolFileError(line, `signing key ${key.kid} is not an id or access key of this pool`);
      }
      return record;
    case 'client':
      owned(record.client, 'client', (client) => `client ${client.clientId}`);
      return record;
    case 'document':
      owned(record.document, 'document', (document) => `document ${document.key}`);
      if (!(POOL_DOCUMENT_KINDS as readonly string[]).includes(record.document.kind)) throw new PoolFileError(line, `unknown document kind ${record.document.kind}`);
      return record;
    case 'group':
      owned(record.group, 'group', (group) => `group ${group.name}`);
      return record;
    case 'user':
      owned(record.user, 'user', (user) => `user ${user.username}`);
      if (!STATUSES.has(record.user.status)) throw new PoolFileError(line, `user ${record.user.username} has the unknown status ${record.user.status}`);
      if (record.user.passwordHash !== null && !hashSchemeOf(record.user.passwordHash)) {
        throw new PoolFileError(line, `user ${record.user.username}'s password hash is in no form Gatehouse reads (argon2, bcrypt, scrypt, PBKDF2)`);
      }
      if (Object.values(record.user.attributes).some((value) => typeof value !== 'string')) throw new PoolFileError(line, `user ${record.user.username}'s attribute values must be strings`);
      if (!Array.isArray(record.groups) || record.groups.some((name) => typeof name !== 'string')) throw new PoolFileError(line, 'groups must be a list of group names');
      if (!Array.isArray(record.devices)) throw new PoolFileError(line, 'devices must be a list');
      for (const device of record.devices) {
        owned(device, 'device', (d) => `device ${d.deviceKey}`);
        if (device.sub !== record.user.sub) throw new PoolFileError(line, `device ${device.deviceKey} belongs to another user`);
      }
      return record;
    case 'end':
      samePool(record.poolId, 'the end line');
      if (kindOf(record.counts) !== 'object') throw new PoolFileError(line, 'the end line must carry the counts');
      return record;
    default:
      throw new PoolFileError(line, `unknown line type ${String((record as { type?: unknown })?.type)}`);
  }
}
