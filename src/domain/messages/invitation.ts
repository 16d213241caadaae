import type { PoolSettings } from '../pools/pool-settings.js';
import type { MessageDelivery } from './delivery.js';

const DEFAULT_MESSAGE = 'Your username is {username} and temporary password is {####}.';
const DEFAULT_SUBJECT = 'Your temporary password';

export interface Invitee {
  poolId: string;
  username: string;
  sub: string;
  attributes: Record<string, string>;
}

/**
 * AdminCreateUser's welcome message with the temporary password, on each requested channel
 * the user has an address for, worded by the pool's InviteMessageTemplate.
 */
export async function sendInvitation(
  delivery: MessageDelivery,
  settings: PoolSettings,
  invitee: Invitee,
  temporaryPassword: string,
  channels: readonly ('EMAIL' | 'SMS')[],
): Promise<void> {
  const template = settings.AdminCreateUserConfig?.InviteMessageTemplate;
  const fill = (text: string) => text.replaceAll('{username}', invitee.username).replaceAll('{####}', temporaryPassword);
  for (const channel of channels) {
    const destination = channel === 'EMAIL' ? invitee.attributes.email : invitee.attributes.phone_number;
    if (!destination) continue;
    await delivery.deliver({
      userPoolId: invitee.poolId,
      username: invitee.username,
      sub: invitee.sub,
      channel,
      destination,
      code: temporaryPassword,
      message: fill((channel === 'EMAIL' ? template?.EmailMessage : template?.SMSMessage) ?? DEFAULT_MESSAGE),
      ...(channel === 'EMAIL' && { subject: template?.EmailSubject ?? DEFAULT_SUBJECT }),
      trigger: 'AdminCreateUser',
    });
  }
}
