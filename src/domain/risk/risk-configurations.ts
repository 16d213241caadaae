import type {
  AccountTakeoverRiskConfigurationType,
  CompromisedCredentialsRiskConfigurationType,
  RiskConfigurationType,
  RiskExceptionConfigurationType,
  SetRiskConfigurationRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { PoolDocumentRecord, Storage } from '../../storage/types.js';
import type { AppClients } from '../clients/app-clients.js';
import { CognitoError, invalidParameter } from '../errors.js';
import { upsertDocument } from '../managed-login/documents.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import type { Pool, UserPools } from '../pools/user-pools.js';
import type { Wire } from '../wire.js';
import { ipRanges } from './ip-ranges.js';

/** The key of the pool-wide configuration, which clients without their own use. */
const ALL_CLIENTS = 'ALL';

export interface RiskConfigurationBody {
  CompromisedCredentialsRiskConfiguration?: Wire<CompromisedCredentialsRiskConfigurationType>;
  AccountTakeoverRiskConfiguration?: Wire<AccountTakeoverRiskConfigurationType>;
  RiskExceptionConfiguration?: Wire<RiskExceptionConfigurationType>;
}

export type AdvancedSecurityMode = 'OFF' | 'AUDIT' | 'ENFORCED';

export const advancedSecurityMode = (settings: PoolSettings): AdvancedSecurityMode =>
  (settings.UserPoolAddOns?.AdvancedSecurityMode as AdvancedSecurityMode | undefined) ?? 'OFF';

/**
 * Custom-auth sign-ins are rated only where AdvancedSecurityAdditionalFlows.CustomAuthMode asks
 * (AUDIT or ENFORCED), and never while threat protection is off.
 */
export function customAuthMode(settings: PoolSettings): AdvancedSecurityMode {
  if (advancedSecurityMode(settings) === 'OFF') return 'OFF';
  return (settings.UserPoolAddOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode as AdvancedSecurityMode | undefined) ?? 'OFF';
}

/** Cognito's answer to a threat-protection operation on a pool whose threat protection is off. */
export function checkAddOnEnabled(settings: PoolSettings): void {
  if (advancedSecurityMode(settings) === 'OFF') {
    throw new CognitoError('UserPoolAddOnNotEnabledException', 'Advanced security features are not enabled for this user pool.');
  }
}

/**
 * SetRiskConfiguration's settings, for the whole pool (`ALL`) or one app client. A client's own
 * configuration replaces the pool's whole rather than field by field, as in Cognito.
 */
export class RiskConfigurations {
  constructor(
    private readonly storage: Storage,
    private readonly pools: UserPools,
    private readonly clients: AppClients,
    private readonly clock: Clock,
  ) {}

  async set(input: Wire<SetRiskConfigurationRequest>): Promise<Wire<RiskConfigurationType>> {
    const { pool, key } = await this.target(input.UserPoolId!, input.ClientId);
    const body = checked(input);
    const written = await upsertDocument(this.storage.poolDocuments, { poolId: pool.id, kind: 'risk-configuration', key }, body, this.clock.now());
    return describe(written);
  }

  /** The client's own configuration, else the pool's; the bare ids when neither was set. */
  async describe(poolId: string, clientId: string | undefined): Promise<Wire<RiskConfigurationType>> {
    const { pool, key } = await this.target(poolId, clientId);
    const document = await this.documentFor(pool.id, key);
    return document ? describe(document, key) : { UserPoolId: pool.id, ...(key !== ALL_CLIENTS && { ClientId: key }) };
  }

  /** What applies to a sign-in through this client. */
  async effective(poolId: string, clientId: string): Promise<RiskConfigurationBody> {
    return (await this.documentFor(poolId, clientId))?.body ?? {};
  }

  private async documentFor(poolId: string, key: string): Promise<PoolDocumentRecord<RiskConfigurationBody> | undefined> {
    const own = await this.storage.poolDocuments.get<RiskConfigurationBody>(poolId, 'risk-configuration', key);
    if (own || key === ALL_CLIENTS) return own;
    return this.storage.poolDocuments.get<RiskConfigurationBody>(poolId, 'risk-configuration', ALL_CLIENTS);
  }

  private async target(poolId: string, clientId: string | undefined): Promise<{ pool: Pool; key: string }> {
    const pool = await this.pools.get(poolId);
    checkAddOnEnabled(pool.settings);
    if (clientId === undefined || clientId === ALL_CLIENTS) return { pool, key: ALL_CLIENTS };
    return { pool, key: (await this.clients.get(pool.id, clientId)).clientId };
  }
}

function checked(input: Wire<SetRiskConfigurationRequest>): RiskConfigurationBody {
  const exceptions = input.RiskExceptionConfiguration;
  ipRanges(exceptions?.BlockedIPRangeList ?? [], 'BlockedIPRangeList');
  ipRanges(exceptions?.SkippedIPRangeList ?? [], 'SkippedIPRangeList');
  const takeover = input.AccountTakeoverRiskConfiguration;
  const actions = takeover ? [takeover.Actions?.LowAction, takeover.Actions?.MediumAction, takeover.Actions?.HighAction] : [];
  if (actions.some((action) => action?.Notify) && !takeover?.NotifyConfiguration) {
    throw invalidParameter('NotifyConfiguration is required when any AccountTakeover action notifies the user.');
  }
  if (takeover && actions.every((action) => action === undefined)) throw invalidParameter('AccountTakeoverRiskConfiguration needs at least one action.');
  return {
    ...(input.CompromisedCredentialsRiskConfiguration && { CompromisedCredentialsRiskConfiguration: input.CompromisedCredentialsRiskConfiguration }),
    ...(takeover && { AccountTakeoverRiskConfiguration: takeover }),
    ...(exceptions && { RiskExceptionConfiguration: exceptions }),
  };
}

function describe(document: PoolDocumentRecord<RiskConfigurationBody>, asked = document.key): Wire<RiskConfigurationType> {
  return {
    UserPoolId: document.poolId,
    ...(asked !== ALL_CLIENTS && { ClientId: asked }),
    ...document.body,
    LastModifiedDate: toEpochSeconds(document.updatedAt),
  };
}
