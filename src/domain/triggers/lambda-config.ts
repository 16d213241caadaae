import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError, invalidParameter } from '../errors.js';

/** The triggers a pool can name, by the LambdaConfig member that names each. */
export type TriggerName =
  | 'PreSignUp'
  | 'CustomMessage'
  | 'PostConfirmation'
  | 'PreAuthentication'
  | 'PostAuthentication'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'PreTokenGeneration'
  | 'UserMigration'
  | 'CustomSMSSender'
  | 'CustomEmailSender'
  | 'InboundFederation';

export type PreTokenVersion = 'V1_0' | 'V2_0' | 'V3_0';

/** Checks a LambdaConfig before it is stored as sent: what cannot work together is refused rather than kept and ignored. */
export function checkLambdaConfig(config: LambdaConfigType | undefined, tier: string): void {
  if (!config) return;
  const legacy = config.PreTokenGeneration;
  const versioned = config.PreTokenGenerationConfig;
  if (legacy && versioned?.LambdaArn && legacy !== versioned.LambdaArn) {
    throw invalidParameter('PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function when both are set.');
  }
  if (versioned && versioned.LambdaVersion !== 'V1_0' && tier === 'LITE') {
    throw new CognitoError('FeatureUnavailableInTierException', 'Pre token generation V2_0 and V3_0 require the ESSENTIALS or PLUS feature plan.');
  }
  if ((config.CustomSMSSender || config.CustomEmailSender) && !config.KMSKeyID) {
    throw invalidParameter('KMSKeyID is required when CustomSMSSender or CustomEmailSender is set: the codes sent to them are encrypted with it.');
  }
}

/** The function a trigger runs, if the pool names one. */
export function functionFor(config: LambdaConfigType | undefined, trigger: TriggerName): string | undefined {
  if (!config) return undefined;
  switch (trigger) {
    case 'PreTokenGeneration':
      return config.PreTokenGenerationConfig?.LambdaArn ?? config.PreTokenGeneration;
    case 'CustomSMSSender':
    case 'CustomEmailSender':
    case 'InboundFederation':
      return config[trigger]?.LambdaArn;
    default:
      return config[trigger];
  }
}

/** The event version a pool's pre token generation trigger receives. */
export const preTokenVersionOf = (config: LambdaConfigType | undefined): PreTokenVersion =>
  (config?.PreTokenGenerationConfig?.LambdaVersion as PreTokenVersion | undefined) ?? 'V1_0';
