import type { LogConfigurationType } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError, invalidParameter } from '../errors.js';
import type { PoolSettings } from '../pools/pool-settings.js';

/** The destination ARN a configuration names, whichever of the three kinds it is. */
export const destinationArn = (configuration: LogConfigurationType): string | undefined =>
  configuration.CloudWatchLogsConfiguration?.LogGroupArn ?? configuration.S3Configuration?.BucketArn ?? configuration.FirehoseConfiguration?.StreamArn;

/** What each destination kind's ARN looks like: a log group in the pool's account, a bucket, a Firehose stream. */
const ARN_SHAPES = {
  CloudWatchLogsConfiguration: { field: 'LogGroupArn', shape: (account: string) => new RegExp(`^arn:[\\w-]+:logs:[\\w-]+:${account}:log-group:[^:]+(:\\*)?$`), what: 'a CloudWatch Logs log group in the account of the user pool' },
  S3Configuration: { field: 'BucketArn', shape: () => /^arn:[\w-]+:s3:::[a-z0-9.-]+$/, what: 'an Amazon S3 bucket' },
  FirehoseConfiguration: { field: 'StreamArn', shape: () => /^arn:[\w-]+:firehose:[\w-]+:\d{12}:deliverystream\/.+$/, what: 'an Amazon Data Firehose stream' },
} as const;

type DestinationKind = keyof typeof ARN_SHAPES;

/**
 * SetLogDeliveryConfiguration's rules, as Cognito applies them: one destination per configuration,
 * one configuration per event source; message-delivery logs go to a log group, user-activity logs
 * are INFO and need the Plus plan. Gatehouse also takes INFO for userNotification (every message,
 * not only failures), which Cognito does not offer. Returns the configurations as stored.
 */
export function checkLogConfigurations(configurations: LogConfigurationType[], settings: PoolSettings, accountId: string): LogConfigurationType[] {
  const sources = new Set<string>();
  return configurations.map((configuration) => {
    if (sources.has(configuration.EventSource!)) throw invalidParameter(`Only one log configuration is allowed for the event source ${configuration.EventSource}.`);
    sources.add(configuration.EventSource!);
    const kind = destinationKind(configuration, accountId);
    if (configuration.EventSource === 'userNotification' && kind !== 'CloudWatchLogsConfiguration') {
      throw invalidParameter('userNotification logs can only be delivered to a CloudWatch Logs log group (CloudWatchLogsConfiguration).');
    }
    if (configuration.EventSource === 'userAuthEvents') {
      if (configuration.LogLevel !== 'INFO') throw invalidParameter('userAuthEvents logs are delivered at the INFO log level only.');
      if (settings.UserPoolTier !== 'PLUS') throw new CognitoError('FeatureUnavailableInTierException', 'Exporting user activity logs (userAuthEvents) requires the PLUS feature plan.');
    }
    const { field } = ARN_SHAPES[kind];
    return { EventSource: configuration.EventSource, LogLevel: configuration.LogLevel, [kind]: { [field]: destinationArn(configuration) } } as LogConfigurationType;
  });
}

function destinationKind(configuration: LogConfigurationType, accountId: string): DestinationKind {
  const given = (Object.keys(ARN_SHAPES) as DestinationKind[]).filter((kind) => {
    const destination = configuration[kind] as Record<string, string | undefined> | undefined;
    return destination?.[ARN_SHAPES[kind].field] !== undefined;
  });
  if (given.length !== 1) throw invalidParameter('Each log configuration needs exactly one destination: CloudWatchLogsConfiguration, S3Configuration or FirehoseConfiguration.');
  const kind = given[0]!;
  const { field, shape, what } = ARN_SHAPES[kind];
  const arn = (configuration[kind] as Record<string, string>)[field]!;
  if (!shape(accountId).test(arn)) throw invalidParameter(`${kind}.${field} ${arn} is not the ARN of ${what}.`);
  return kind;
}
