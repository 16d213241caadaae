import type { TriggerName } from './lambda-config.js';

// What a function may answer. Cognito refuses an answer that is not the event, or whose response
// fields have the wrong types ("Unrecognizable lambda output"); absent and null fields are fine.

type Check = (value: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const boolean: Check = (value) => typeof value === 'boolean';
const string: Check = (value) => typeof value === 'string';
const oneOf = (...allowed: string[]): Check => (value) => typeof value === 'string' && allowed.includes(value);
const listOf = (item: Check): Check => (value) => Array.isArray(value) && value.every(item);
const mapOf = (item: Check): Check => (value) => isObject(value) && Object.values(value).every(item);
const jsonValue: Check = (value) => value !== undefined && typeof value !== 'function';

/** An object whose listed fields, where present and not null, pass their checks. */
const shape = (fields: Record<string, Check>): Check => (value) =>
  isObject(value) && Object.entries(fields).every(([name, check]) => value[name] === undefined || value[name] === null || check(value[name]));

const groupOverride = shape({ groupsToOverride: listOf(string), iamRolesToOverride: listOf(string), preferredRole: string });

/** V1 claims are strings; V2 and V3 take any JSON value. */
const claimsChange = (claim: Check) => ({ claimsToAddOrOverride: mapOf(claim), claimsToSuppress: listOf(string) });

const PRE_TOKEN_V1 = shape({ claimsOverrideDetails: shape({ ...claimsChange(string), groupOverrideDetails: groupOverride }) });
const PRE_TOKEN_V2 = shape({
  claimsAndScopeOverrideDetails: shape({
    idTokenGeneration: shape(claimsChange(jsonValue)),
    accessTokenGeneration: shape({ ...claimsChange(jsonValue), scopesToAdd: listOf(string), scopesToSuppress: listOf(string) }),
    groupOverrideDetails: groupOverride,
  }),
});

const RESPONSES: Partial<Record<TriggerName, Check>> = {
  PreSignUp: shape({ autoConfirmUser: boolean, autoVerifyEmail: boolean, autoVerifyPhone: boolean }),
  CustomMessage: shape({ smsMessage: string, emailMessage: string, emailSubject: string }),
  DefineAuthChallenge: shape({ challengeName: string, issueTokens: boolean, failAuthentication: boolean }),
  CreateAuthChallenge: shape({ publicChallengeParameters: mapOf(string), privateChallengeParameters: mapOf(string), challengeMetadata: string }),
  VerifyAuthChallengeResponse: shape({ answerCorrect: boolean }),
  UserMigration: shape({
    userAttributes: mapOf(string),
    finalUserStatus: oneOf('CONFIRMED', 'RESET_REQUIRED'),
    messageAction: oneOf('RESEND', 'SUPPRESS'),
    desiredDeliveryMediums: listOf(oneOf('EMAIL', 'SMS')),
    forceAliasCreation: boolean,
    enableSMSMFA: boolean,
  }),
  InboundFederation: shape({ userAttributesToMap: mapOf(string) }),
};

/** Whether a function's answer to an event of this trigger (and event version) is one Cognito would take. */
export function isRecognizable(trigger: TriggerName, version: string, payload: unknown): boolean {
  if (!isObject(payload)) return false;
  const response = payload.response ?? {};
  if (!isObject(response)) return false;
  const check = trigger === 'PreTokenGeneration' ? (version === '1' ? PRE_TOKEN_V1 : PRE_TOKEN_V2) : RESPONSES[trigger];
  return check ? check(response) : true;
}
