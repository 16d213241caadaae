import type { LogConfigurationType, LogDeliveryConfigurationType } from '@aws-sdk/client-cognito-identity-provider';
import type { Clock } from '../../clock.js';
import type { AuthEventRecord } from '../../storage/types.js';
import type { DeliveryOutcome } from '../messages/reporting.js';
import type { UserPools } from '../pools/user-pools.js';
import type { LogDestinations } from './destinations.js';
import { checkLogConfigurations, destinationArn } from './log-configurations.js';
import { authEventRecord, notificationRecord } from './records.js';

type EventSource = 'userNotification' | 'userAuthEvents';

/**
 * Log delivery: each pool's SetLogDeliveryConfiguration, and the records it asks for written to
 * the destinations the operator maps its ARNs to. Records are written after the fact and never
 * awaited by the request they describe. A pool's configuration is read from the copy the request
 * already loaded, so a pool without one costs a map lookup and nothing more.
 */
export class PoolLogs {
  constructor(
    private readonly pools: UserPools,
    private readonly destinations: LogDestinations,
    private readonly clock: Clock,
    private readonly accountId: string,
  ) {}

  async configuration(poolId: string): Promise<LogDeliveryConfigurationType> {
    const pool = await this.pools.get(poolId);
    return { UserPoolId: pool.id, LogConfigurations: pool.settings.LogConfigurations ?? [] };
  }

  /** Replaces the pool's configuration; an empty list turns log delivery off. */
  async configure(poolId: string, configurations: LogConfigurationType[]): Promise<LogDeliveryConfigurationType> {
    const pool = await this.pools.changeSettings(poolId, ({ LogConfigurations: _, ...settings }) => {
      const checked = checkLogConfigurations(configurations, settings, this.accountId);
      return checked.length > 0 ? { ...settings, LogConfigurations: checked } : settings;
    });
    // Tells the operator at once (not at the first record) about an ARN the config maps nowhere.
    for (const configuration of pool.settings.LogConfigurations ?? []) this.destinations.sinkFor(destinationArn(configuration)!);
    return { UserPoolId: pool.id, LogConfigurations: pool.settings.LogConfigurations ?? [] };
  }

  /** A message delivered or not: an ERROR record for a failure, an INFO one for a success when the pool asks for INFO. */
  notification(outcome: DeliveryOutcome): void {
    const configuration = this.configured(outcome.message.userPoolId, 'userNotification');
    if (!configuration || (outcome.error === undefined && configuration.LogLevel !== 'INFO')) return;
    this.write(configuration, notificationRecord(outcome, this.clock.now()));
  }

  /** A sign-in event as it was kept. */
  authEvent(event: AuthEventRecord): void {
    const configuration = this.configured(event.poolId, 'userAuthEvents');
    // User-activity logs belong to the Plus plan: a pool moved off it stops producing them.
    if (!configuration || this.pools.loaded(event.poolId)?.settings.UserPoolTier !== 'PLUS') return;
    this.write(configuration, authEventRecord(event));
  }

  /** Waits for the records written so far to reach their destinations (on shutdown, and for tests). */
  flush(): Promise<void> {
    return this.destinations.flush();
  }

  private configured(poolId: string, source: EventSource): LogConfigurationType | undefined {
    return this.pools.loaded(poolId)?.settings.LogConfigurations?.find((configuration) => configuration.EventSource === source);
  }

  private write(configuration: LogConfigurationType, record: Record<string, unknown>): void {
    this.destinations.sinkFor(destinationArn(configuration)!)?.write(JSON.stringify(record));
  }
}
