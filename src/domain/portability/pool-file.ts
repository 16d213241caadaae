import type { ClientRecord, DeviceRecord, GroupRecord, PoolDocumentRecord, PoolRecord, SigningKeyRecord, UserRecord } from '../../storage/types.js';

/**
 * Gatehouse's pool file: JSON Lines, one section per pool. A section opens with the pool and its
 * signing keys, then its app clients, configuration documents, groups, and users (each with its
 * group names and devices), and closes with counts of each. Secrets are in the clear: the file is
 * as sensitive as the database and its server key together.
 */
export const POOL_FILE_FORMAT = 'gatehouse-pool';
export const POOL_FILE_VERSION = 1;

export type PoolLine = {
  type: 'pool';
  format: typeof POOL_FILE_FORMAT;
  version: number;
  pool: Omit<PoolRecord, 'userCount' | 'version'>;
  signingKeys: SigningKeyRecord[];
};
export type ClientLine = { type: 'client'; client: Omit<ClientRecord, 'version'> };
export type DocumentLine = { type: 'document'; document: Omit<PoolDocumentRecord, 'version'> };
export type GroupLine = { type: 'group'; group: Omit<GroupRecord, 'version'> };
export type UserLine = { type: 'user'; user: Omit<UserRecord, 'version'>; groups: string[]; devices: DeviceRecord[] };
export type EndLine = { type: 'end'; poolId: string; counts: SectionCounts };
export type PoolFileLine = PoolLine | ClientLine | DocumentLine | GroupLine | UserLine | EndLine;

export interface SectionCounts {
  clients: number;
  documents: number;
  groups: number;
  users: number;
  devices: number;
}

export const noCounts = (): SectionCounts => ({ clients: 0, documents: 0, groups: 0, users: 0, devices: 0 });
