import type { NotifyConfigurationType, NotifyEmailType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserRecord } from '../../storage/types.js';
import type { MessageDelivery } from '../messages/delivery.js';
import type { Wire } from '../wire.js';

export type NotifiedAction = 'BLOCK' | 'MFA_IF_CONFIGURED' | 'MFA_REQUIRED' | 'NO_ACTION';

/** What the email tells the user of the sign-in, and the two feedback links. */
export interface NotifiedSignIn {
  poolId: string;
  user: UserRecord;
  ipAddress: string | null;
  deviceName?: string;
  city?: string;
  country?: string;
  at: number;
  links: { valid: string; invalid: string };
}

const NOTICE = `We observed an unrecognized sign-in to your account with this information:
Time: {login-time}
Device: {device-name}
Location: {city}, {country}
IP address: {ip-address}`;

const LINKS = `If this sign-in was by you, you can follow this link to let us know: {one-click-link-valid}
If this sign-in was not by you, change your password and let us know with this link: {one-click-link-invalid}`;

const html = (text: string) => `<p>${text.replaceAll('\n', '<br>\n')}</p>`;

/** Cognito's default wording for each action's email, with the same placeholders. */
const DEFAULT_EMAILS: Record<'BlockEmail' | 'MfaEmail' | 'NoActionEmail', Required<Wire<NotifyEmailType>>> = {
  BlockEmail: {
    Subject: 'Blocked sign-in attempt',
    TextBody: `Hi {username},\n${NOTICE.replace('observed', 'blocked')}\n${LINKS}`,
    HtmlBody: html(`Hi {username},\n${NOTICE.replace('observed', 'blocked')}\n${LINKS}`),
  },
  MfaEmail: {
    Subject: 'New sign-in attempt',
    TextBody: `Hi {username},\n${NOTICE}\nWe asked for a second factor before letting it through.\n${LINKS}`,
    HtmlBody: html(`Hi {username},\n${NOTICE}\nWe asked for a second factor before letting it through.\n${LINKS}`),
  },
  NoActionEmail: {
    Subject: 'New sign-in attempt',
    TextBody: `Hi {username},\n${NOTICE}\n${LINKS}`,
    HtmlBody: html(`Hi {username},\n${NOTICE}\n${LINKS}`),
  },
};

const templateKey = (action: NotifiedAction) => (action === 'BLOCK' ? 'BlockEmail' : action === 'NO_ACTION' ? 'NoActionEmail' : 'MfaEmail');

/**
 * Account-takeover notifications: the email of the action taken, from the pool's NotifyConfiguration
 * or Cognito's default wording, sent by Gatehouse's own email delivery (Cognito sends them through
 * SES as `From`; the delivery decides the sender here). Users without an email address get none.
 */
export class RiskNotifications {
  constructor(private readonly delivery: MessageDelivery) {}

  async send(configuration: Wire<NotifyConfigurationType>, action: NotifiedAction, signIn: NotifiedSignIn): Promise<void> {
    const destination = signIn.user.attributes.email;
    if (!destination) return;
    const key = templateKey(action);
    const template = configuration[key] ?? DEFAULT_EMAILS[key];
    const values: Record<string, string> = {
      '{username}': signIn.user.username,
      '{ip-address}': signIn.ipAddress ?? 'unknown',
      '{city}': signIn.city ?? 'unknown',
      '{country}': signIn.country ?? 'unknown',
      '{login-time}': new Date(signIn.at).toUTCString(),
      '{device-name}': signIn.deviceName ?? 'unknown',
      '{one-click-link-valid}': signIn.links.valid,
      '{one-click-link-invalid}': signIn.links.invalid,
    };
    const fill = (text: string) => Object.entries(values).reduce((filled, [placeholder, value]) => filled.replaceAll(placeholder, value), text);
    await this.delivery.deliver({
      userPoolId: signIn.poolId,
      username: signIn.user.username,
      sub: signIn.user.sub,
      channel: 'EMAIL',
      destination,
      code: '',
      message: fill(template.TextBody ?? template.HtmlBody ?? ''),
      subject: fill(template.Subject ?? ''),
      trigger: `AccountTakeoverNotification_${action}`,
    });
  }
}
