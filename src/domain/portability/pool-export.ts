import type { Storage } from '../../storage/types.js';
import { POOL_DOCUMENT_KINDS } from '../../storage/types.js';
import { resourceNotFound } from '../errors.js';
import { allPages } from '../pagination.js';
import { SecretBox } from '../keys/secret-box.js';
import { POOL_FILE_FORMAT, POOL_FILE_VERSION, noCounts, type PoolFileLine } from './pool-file.js';
import { clientSecrets, deviceSecrets, documentSecrets, signingKeySecrets, userSecrets, type SecretTransform } from './sealed-secrets.js';

const PAGE = 500;

/** Strips what a store counts for itself (versions, the user count). */
const unversioned = <T extends { version: number }>({ version: _version, ...rest }: T): Omit<T, 'version'> => rest;

/**
 * One pool as its section of a pool file, secrets opened with this server's key, read a page at a
 * time: whatever the pool's size, only a page is in memory.
 */
export async function* exportPool(storage: Storage, secretBox: SecretBox, poolId: string): AsyncGenerator<PoolFileLine> {
  const pool = await storage.pools.get(poolId);
  if (!pool) throw resourceNotFound(`User pool ${poolId} does not exist.`);
  // Values from before sealing existed are kept as they are.
  const open: SecretTransform = (value, context) => (SecretBox.isSealed(value) ? secretBox.open(value, context) : value);
  const counts = noCounts();
  const { userCount: _userCount, version: _version, ...record } = pool;
  const signingKeys = (await storage.signingKeys.listForPool(poolId)).map((key) => signingKeySecrets(key, open));
  yield { type: 'pool', format: POOL_FILE_FORMAT, version: POOL_FILE_VERSION, pool: record, signingKeys };

  for await (const client of allPages((after) => storage.clients.list(poolId, PAGE, after))) {
    counts.clients++;
    yield { type: 'client', client: unversioned(clientSecrets(client, open)) };
  }
  // Replicas say which of this installation's regions serve the pool, and name its issuer: not the pool's to carry elsewhere.
  for (const kind of POOL_DOCUMENT_KINDS.filter((kind) => kind !== 'replica')) {
    for await (const document of allPages((after) => storage.poolDocuments.list(poolId, kind, PAGE, after))) {
      counts.documents++;
      yield { type: 'document', document: unversioned(documentSecrets(document, open)) };
    }
  }
  for await (const group of allPages((after) => storage.groups.list(poolId, PAGE, after))) {
    counts.groups++;
    yield { type: 'group', group: unversioned(group) };
  }
  for await (const user of allPages((after) => storage.users.list(poolId, PAGE, undefined, after))) {
    const [groups, devices] = await Promise.all([storage.groups.allForUser(poolId, user.sub), storage.devices.listAll(poolId, user.sub)]);
    counts.users++;
    counts.devices += devices.length;
    yield { type: 'user', user: unversioned(userSecrets(user, open)), groups: groups.map((group) => group.name), devices: devices.map((device) => deviceSecrets(device, open)) };
  }
  yield { type: 'end', poolId, counts };
}
