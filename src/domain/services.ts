import type { Clock } from '../clock.js';
import type { GatehouseConfig } from '../config.js';
import type { Storage } from '../storage/types.js';
import { AppClients } from './clients/app-clients.js';
import { Issuers } from './keys/issuers.js';
import { SigningKeys } from './keys/signing-keys.js';
import { UserPools } from './pools/user-pools.js';

/** The domain, assembled once per server: what operations are handed. */
export interface Services {
  readonly pools: UserPools;
  readonly clients: AppClients;
  readonly signingKeys: SigningKeys;
  readonly issuers: Issuers;
}

export function createServices(
  storage: Storage,
  clock: Clock,
  config: Pick<GatehouseConfig, 'region' | 'accountId'>,
  publicUrl: () => string,
): Services {
  const signingKeys = new SigningKeys(storage, clock);
  const pools = new UserPools(storage, signingKeys, clock, config);
  const clients = new AppClients(storage, pools, clock);
  return { pools, clients, signingKeys, issuers: new Issuers(publicUrl) };
}
