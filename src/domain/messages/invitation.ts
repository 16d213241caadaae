import type { UserRecord } from '../../storage/types.js';
import type { Caller } from '../triggers/caller.js';
import type { TriggerPool } from '../triggers/triggers.js';
import type { Messenger } from './messenger.js';

const DEFAULT_MESSAGE = 'Your username is {username} and temporary password is {####}.';
const DEFAULT_SUBJECT = 'Your temporary password';

/**
 * AdminCreateUser's welcome message with the temporary password, on each requested channel
 * the user has an address for, worded by the pool's InviteMessageTemplate.
 */
export async function sendInvitation(
  messenger: Messenger,
  pool: TriggerPool,
  user: UserRecord,
  temporaryPassword: string,
  channels: readonly ('EMAIL' | 'SMS')[],
  caller: Caller,
): Promise<void> {
  const template = pool.settings.AdminCreateUserConfig?.InviteMessageTemplate;
  for (const channel of channels) {
    const destination = channel === 'EMAIL' ? user.attributes.email : user.attributes.phone_number;
    if (!destination) continue;
    await messenger.send({
      pool,
      user,
      channel,
      destination,
      code: temporaryPassword,
      text: (channel === 'EMAIL' ? template?.EmailMessage : template?.SMSMessage) ?? DEFAULT_MESSAGE,
      ...(channel === 'EMAIL' && { subject: template?.EmailSubject ?? DEFAULT_SUBJECT }),
      purpose: 'AdminCreateUser',
      caller,
    });
  }
}
