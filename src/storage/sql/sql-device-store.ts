import type { Kysely, Selectable } from 'kysely';
import type { DevicePatch, DeviceRecord, DeviceStore, Page } from '../types.js';
import type { Database } from './schema.js';
import { prepared } from './prepared.js';

type DeviceRow = Selectable<Database['devices']>;

function toDevice(row: DeviceRow): DeviceRecord {
  return {
    poolId: row.pool_id,
    deviceKey: row.device_key,
    sub: row.sub,
    groupKey: row.group_key,
    verifier: row.verifier,
    name: row.name,
    remembered: Number(row.remembered) === 1,
    lastIp: row.last_ip,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    lastAuthenticatedAt: row.last_authenticated_at === null ? null : Number(row.last_authenticated_at),
  };
}

export class SqlDeviceStore implements DeviceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(device: DeviceRecord): Promise<void> {
    await this.db
      .insertInto('devices')
      .values({
        pool_id: device.poolId,
        device_key: device.deviceKey,
        sub: device.sub,
        group_key: device.groupKey,
        verifier: device.verifier,
        name: device.name,
        remembered: device.remembered ? 1 : 0,
        last_ip: device.lastIp,
        created_at: device.createdAt,
        updated_at: device.updatedAt,
        last_authenticated_at: device.lastAuthenticatedAt,
      })
      .execute();
  }

  private readonly byKey = prepared(() => this.db, 2, (db, poolId: string, deviceKey: string) =>
    db.selectFrom('devices').selectAll().where('pool_id', '=', poolId).where('device_key', '=', deviceKey),
  );

  async get(poolId: string, deviceKey: string): Promise<DeviceRecord | undefined> {
    const [row] = await this.byKey(poolId, deviceKey);
    return row && toDevice(row);
  }

  async patch(poolId: string, deviceKey: string, changes: DevicePatch): Promise<boolean> {
    const result = await this.db
      .updateTable('devices')
      .set({
        ...(changes.verifier !== undefined && { verifier: changes.verifier }),
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.remembered !== undefined && { remembered: changes.remembered ? 1 : 0 }),
        ...(changes.lastIp !== undefined && { last_ip: changes.lastIp }),
        ...(changes.updatedAt !== undefined && { updated_at: changes.updatedAt }),
        ...(changes.lastAuthenticatedAt !== undefined && { last_authenticated_at: changes.lastAuthenticatedAt }),
      })
      .where('pool_id', '=', poolId)
      .where('device_key', '=', deviceKey)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async delete(poolId: string, deviceKey: string): Promise<boolean> {
    const result = await this.db.deleteFrom('devices').where('pool_id', '=', poolId).where('device_key', '=', deviceKey).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async listAll(poolId: string, sub: string): Promise<DeviceRecord[]> {
    const rows = await this.db.selectFrom('devices').selectAll().where('pool_id', '=', poolId).where('sub', '=', sub).orderBy('device_key').execute();
    return rows.map(toDevice);
  }

  async listRemembered(poolId: string, sub: string, limit: number, afterKey?: string): Promise<Page<DeviceRecord>> {
    let query = this.db
      .selectFrom('devices')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('sub', '=', sub)
      .where('verifier', 'is not', null)
      .where('remembered', '=', 1)
      .orderBy('device_key')
      .limit(limit + 1);
    if (afterKey !== undefined) query = query.where('device_key', '>', afterKey);
    const rows = await query.execute();
    const items = rows.slice(0, limit).map(toDevice);
    return rows.length > limit ? { items, nextKey: items[items.length - 1]!.deviceKey } : { items };
  }
}
