import { timingSafeEqual } from 'node:crypto';
import type { AuthEventType, FeedbackValueType } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { AuthEventRecord, Storage, UserRecord } from '../../storage/types.js';
import { CognitoError } from '../errors.js';
import type { SecretBox } from '../keys/secret-box.js';
import { decodePageToken, nextTokenOf } from '../pagination.js';
import type { Users } from '../users/users.js';
import type { Wire } from '../wire.js';
import { checkAddOnEnabled } from './risk-configurations.js';

/** Where the notification email's one-click links lead: the page records the feedback and says so. */
export const FEEDBACK_PATH = '/_gatehouse/auth-event-feedback';

const DEFAULT_MAX_RESULTS = 60;

/**
 * A user's auth events as AdminListUserAuthEvents shows them, and the feedback on them: from an
 * administrator, or from the user through the token in the notification email, a MAC under the
 * server key over the pool, user and event, so it is good on every node and for that event only.
 */
export class UserAuthEvents {
  constructor(
    private readonly storage: Storage,
    private readonly users: Users,
    private readonly secretBox: SecretBox,
    private readonly clock: Clock,
    private readonly publicUrl: () => string,
  ) {}

  async list(poolId: string, username: string, maxResults: number | undefined, nextToken: string | undefined): Promise<{ AuthEvents: Wire<AuthEventType>[]; NextToken?: string }> {
    const user = await this.userOf(poolId, username);
    const page = await this.storage.authEvents.list(poolId, user.sub, maxResults || DEFAULT_MAX_RESULTS, decodePageToken(nextToken));
    return { AuthEvents: page.items.map(describeEvent), ...nextTokenOf(page) };
  }

  async adminFeedback(poolId: string, username: string, eventId: string, value: FeedbackValueType): Promise<void> {
    const user = await this.userOf(poolId, username);
    await this.record(user, eventId, value, 'Admin');
  }

  async userFeedback(poolId: string, username: string, eventId: string, token: string, value: FeedbackValueType): Promise<void> {
    const user = await this.userOf(poolId, username);
    const expected = Buffer.from(this.tokenFor(user, eventId));
    const given = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CognitoError('NotAuthorizedException', 'Invalid feedback token.');
    await this.record(user, eventId, value, 'User');
  }

  /** The notification email's links, with the feedback token in them. */
  links(user: UserRecord, eventId: string): { valid: string; invalid: string } {
    const query = new URLSearchParams({ UserPoolId: user.poolId, Username: user.username, EventId: eventId, FeedbackToken: this.tokenFor(user, eventId) });
    const link = (value: FeedbackValueType) => `${this.publicUrl()}${FEEDBACK_PATH}?${query}&FeedbackValue=${value}`;
    return { valid: link('Valid'), invalid: link('Invalid') };
  }

  private tokenFor(user: UserRecord, eventId: string): string {
    return this.secretBox.digest(`auth-event-feedback\n${user.poolId}\n${user.sub}\n${eventId}`).toString('base64url');
  }

  /** Invalid makes the event a takeover whatever it was rated; the rating reads the feedback from there. */
  private async record(user: UserRecord, eventId: string, value: FeedbackValueType, provider: string): Promise<void> {
    const event = await this.storage.authEvents.get(user.poolId, eventId);
    if (!event || event.sub !== user.sub) throw new CognitoError('ResourceNotFoundException', 'Auth event not found.');
    const risk = value === 'Invalid' ? { ...event.body.risk, decision: 'AccountTakeover' as const } : event.body.risk;
    await this.storage.authEvents.update({ ...event, body: { ...event.body, ...(risk && { risk }), feedback: { value, provider, at: this.clock.now() } } });
  }

  private async userOf(poolId: string, username: string): Promise<UserRecord> {
    const { context, user } = await this.users.get(poolId, username);
    checkAddOnEnabled(context.settings);
    return user;
  }
}

/** AuthEventType. */
function describeEvent(event: AuthEventRecord): Wire<AuthEventType> {
  const { body } = event;
  return {
    EventId: event.eventId,
    EventType: body.type,
    CreationDate: toEpochSeconds(event.createdAt),
    EventResponse: body.response,
    ...(body.risk && {
      EventRisk: {
        RiskDecision: body.risk.decision,
        ...(body.risk.level && { RiskLevel: body.risk.level }),
        CompromisedCredentialsDetected: body.risk.compromisedCredentials === true,
      },
    }),
    ChallengeResponses: body.challenges.map((challenge) => ({ ChallengeName: challenge.name, ChallengeResponse: challenge.response })),
    EventContextData: {
      ...(body.ipAddress && { IpAddress: body.ipAddress }),
      ...(body.deviceName && { DeviceName: body.deviceName }),
      ...(body.timezone && { Timezone: body.timezone }),
      ...(body.city && { City: body.city }),
      ...(body.country && { Country: body.country }),
    },
    ...(body.feedback && { EventFeedback: { FeedbackValue: body.feedback.value, Provider: body.feedback.provider, FeedbackDate: toEpochSeconds(body.feedback.at) } }),
  };
}
