/**
 * The storage contract. Domain services depend on this and nothing else of the database:
 * records are plain objects, times are epoch milliseconds, JSON documents are already parsed.
 */

export interface PoolRecord {
  id: string;
  name: string;
  /** The pool's configuration in Cognito's own shape (UserPoolType minus the computed fields). */
  config: Record<string, unknown>;
  tags: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface ClientRecord {
  clientId: string;
  poolId: string;
  name: string;
  secret: string | null;
  /** The client's configuration in Cognito's shape (UserPoolClientType minus ids, name, secret, dates). */
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export type KeyPurpose = 'id' | 'access';

export interface SigningKeyRecord {
  kid: string;
  poolId: string;
  purpose: KeyPurpose;
  /** PKCS#8 PEM. Never leaves the server. */
  privateKeyPem: string;
  publicJwk: Record<string, unknown>;
  createdAt: number;
}

export interface Page<T> {
  items: T[];
  /** The key to continue after, when more may follow. */
  nextKey?: string;
}

export interface PoolStore {
  /** Inserts a pool with its signing keys in one transaction. */
  insert(pool: PoolRecord, keys: SigningKeyRecord[]): Promise<void>;
  get(id: string): Promise<PoolRecord | undefined>;
  /** Writes name, config, tags and updatedAt; false when the pool is gone. */
  update(pool: PoolRecord): Promise<boolean>;
  /** Deletes the pool and everything in it; false when it did not exist. */
  delete(id: string): Promise<boolean>;
  /** Pools in id order, strictly after `afterId`. */
  list(limit: number, afterId?: string): Promise<Page<PoolRecord>>;
  findByName(name: string): Promise<PoolRecord[]>;
}

export interface ClientStore {
  insert(client: ClientRecord): Promise<void>;
  get(poolId: string, clientId: string): Promise<ClientRecord | undefined>;
  update(client: ClientRecord): Promise<boolean>;
  delete(poolId: string, clientId: string): Promise<boolean>;
  findByName(poolId: string, name: string): Promise<ClientRecord | undefined>;
  /** Clients of one pool in id order, strictly after `afterId`. */
  list(poolId: string, limit: number, afterId?: string): Promise<Page<ClientRecord>>;
}

export interface SigningKeyStore {
  listForPool(poolId: string): Promise<SigningKeyRecord[]>;
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly pools: PoolStore;
  readonly clients: ClientStore;
  readonly signingKeys: SigningKeyStore;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A write that hit a unique constraint: the domain turns it into the right Cognito exception. */
export class DuplicateKeyError extends Error {}
