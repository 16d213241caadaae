import type { AuthEventRecord } from '../../storage/types.js';
import type { DeliveryOutcome } from '../messages/reporting.js';

/** The version of the record layout, as Cognito's exported logs carry it. */
const LOG_SOURCE_VERSION = '1.0';

/**
 * A userNotification record: one message Gatehouse delivered or failed to, in the envelope of
 * Cognito's message-delivery logs. The destination and the code stay out: a log is no place for them.
 */
export function notificationRecord(outcome: DeliveryOutcome, now: number): Record<string, unknown> {
  const { message, error } = outcome;
  const kind = message.channel === 'EMAIL' ? 'Email' : 'SMS';
  return {
    eventTimestamp: String(now),
    logLevel: error === undefined ? 'INFO' : 'ERROR',
    message: error === undefined ? `${kind} message delivered` : `${kind} message delivery failed`,
    logSourceVersion: LOG_SOURCE_VERSION,
    eventSource: 'USER_NOTIFICATION',
    // Why it was sent, as the CustomMessage trigger sources name it: SignUp, ForgotPassword, AdminCreateUser, …
    eventType: message.trigger.replace(/^CustomMessage_/, ''),
    userPoolId: message.userPoolId,
    userSub: message.sub,
    deliveryChannel: message.channel,
    ...(error !== undefined && { error }),
  };
}

/** Risk and context fields a sign-in event may carry beyond the basic ones. */
type EventExtras = Partial<Record<'riskDecision' | 'riskLevel' | 'deviceName' | 'city' | 'country' | 'timezone', string>> & { compromisedCredentialsDetected?: boolean };

/**
 * A userAuthEvents record: one sign-in event, with AuthEventType's fields (as AdminListUserAuthEvents
 * shows them) in the camel case of Cognito's user-activity export.
 */
export function authEventRecord(event: AuthEventRecord): Record<string, unknown> {
  const { body } = event;
  const extras = body as EventExtras;
  return {
    eventTimestamp: String(event.createdAt),
    logLevel: 'INFO',
    logSourceVersion: LOG_SOURCE_VERSION,
    eventSource: 'USER_AUTH_EVENTS',
    message: {
      eventId: event.eventId,
      eventType: body.type,
      creationDate: new Date(event.createdAt).toISOString(),
      eventResponse: body.response,
      userPoolId: event.poolId,
      userName: body.username,
      ...(event.sub !== null && { userSub: event.sub }),
      clientId: body.clientId,
      riskDecision: extras.riskDecision ?? 'NoRisk',
      ...(extras.riskLevel !== undefined && { riskLevel: extras.riskLevel }),
      compromisedCredentialsDetected: extras.compromisedCredentialsDetected ?? false,
      challengeResults: body.challenges.map((challenge) => ({ challengeName: challenge.name, challengeResponse: challenge.response })),
      eventContextData: {
        ...(body.ipAddress !== null && { ipAddress: body.ipAddress }),
        ...(extras.deviceName !== undefined && { deviceName: extras.deviceName }),
        ...(extras.city !== undefined && { city: extras.city }),
        ...(extras.country !== undefined && { country: extras.country }),
        ...(extras.timezone !== undefined && { timezone: extras.timezone }),
      },
      ...(body.reason !== undefined && { failureReason: body.reason }),
    },
  };
}
