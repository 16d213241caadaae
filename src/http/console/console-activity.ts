import { CognitoError } from '../../domain/errors.js';
import { decodePageToken, encodePageToken } from '../../domain/pagination.js';
import type { AuthEventRecord } from '../../storage/types.js';
import { RECENT_TRIGGERS_KEPT } from '../metrics.js';
import { consoleUrl, date, e, table } from './console-html.js';
import { CONSOLE_PATH } from './console-session.js';
import type { ConsoleKit } from './console-kit.js';

/** Sign-in events as table rows, with the user's name when the table spans users. */
export const eventRows = (poolId: string, events: AuthEventRecord[], withUser: boolean): string[][] =>
  events.map(({ createdAt, sub, body }) => [
    date(createdAt),
    ...(withUser ? [sub ? `<a href="${e(consoleUrl('pools', poolId, 'users', body.username))}">${e(body.username)}</a>` : `${e(body.username)} <span class="muted">(no such user)</span>`] : []),
    body.response === 'Pass' ? 'passed' : body.response === 'InProgress' ? 'in progress' : '<strong>failed</strong>',
    e(body.challenges.map((c) => `${c.name}: ${c.response}`).join(', ')),
    e(body.reason ?? ''),
    `<code>${e(body.clientId)}</code>`,
    e(body.ipAddress ?? ''),
    body.deviceKey ? e(body.deviceKey) : body.deviceName ? `<span title="${e(body.deviceName)}">${e(shortDeviceName(body.deviceName))}</span>` : '',
    e(riskText(body)),
  ]);
const outcomeCell = (outcome: string) => (outcome === 'answered' ? 'answered' : `<strong>${e(outcome)}</strong>`);
export const EVENT_HEADINGS = ['When', 'Result', 'Factor', 'Reason', 'Client', 'IP', 'Device', 'Risk'];

const BROWSERS: [RegExp, string][] = [[/\bEdg\/(\d+)/, 'Edge'], [/\bFirefox\/(\d+)/, 'Firefox'], [/\bChrome\/(\d+)/, 'Chrome'], [/\bVersion\/(\d+).*Safari\//, 'Safari']];
const SYSTEMS = ['Android', 'iPhone', 'iPad', 'Windows', 'Mac OS X', 'Linux'];

/** A User-Agent in a few words for a table cell: the browser and system, or the client's first product token. */
export function shortDeviceName(userAgent: string): string {
  const system = SYSTEMS.find((name) => userAgent.includes(name));
  for (const [pattern, browser] of BROWSERS) {
    const version = pattern.exec(userAgent)?.[1];
    if (version && system) return `${browser} ${version}, ${system}`;
  }
  return userAgent.split(' ')[0]!.slice(0, 40);
}

/** Threat protection's rating of an event and the feedback on it, in a few words. */
function riskText({ risk, feedback }: AuthEventRecord['body']): string {
  const rating = risk && [risk.decision + (risk.level ? ` (${risk.level})` : ''), ...(risk.compromisedCredentials ? ['breached password'] : [])].join(', ');
  return [rating, feedback && `feedback: ${feedback.value}`].filter(Boolean).join('; ');
}

/** The pool's sign-in events and trigger invocations, and (in development mode) the outbox. */
export function registerActivityPages({ app, call, view, params, query, services, sessions, counters }: ConsoleKit): void {
  // The outbox: development mode only, where codes are for developers to copy.
  app.get(
    `${CONSOLE_PATH}/messages`,
    view(async () => {
      if (!sessions.developmentMode) throw new CognitoError('ResourceNotFoundException', 'The outbox exists in development mode only: with access keys configured, messages are not kept.');
      const rows = (await services.outbox.recent(200)).map(({ poolId, sentAt, message: m }) => [
        date(sentAt),
        `<a href="${e(consoleUrl('pools', poolId))}">${e(poolId)}</a>`,
        e(String(m.username ?? '')),
        e(`${String(m.channel)} ${String(m.destination)}`),
        e(String(m.trigger ?? '')),
        `<code>${e(String(m.code ?? ''))}</code>`,
        e(String(m.subject ? `${String(m.subject)}: ` : '') + String(m.message ?? '')),
      ]);
      return { title: 'Messages', body: `<p class="muted">The newest messages this server delivered (development mode keeps the last 500).</p>${table(['Sent', 'Pool', 'User', 'To', 'Why', 'Code', 'Message'], rows, 'No messages yet.')}` };
    }),
  );


  // Activity: the pool's sign-in events, newest first.
  app.get(
    `${CONSOLE_PATH}/pools/:poolId/activity`,
    view(async (request) => {
      const { poolId } = params(request);
      await call('DescribeUserPool', { UserPoolId: poolId });
      // The paging key as the API's tokens carry it, so a crafted one is refused as they are.
      const before = decodePageToken(query(request).before, 'before');
      const page = await services.authEvents.list(poolId, undefined, 60, before);
      const older = page.nextKey ? `<p><a href="?before=${e(encodePageToken(page.nextKey))}">Older events</a></p>` : '';
      // Trigger invocations as this server's processes counted them since they started (the /metrics numbers).
      const snapshot = await counters();
      const invocations = Object.entries(snapshot.triggers)
        .map(([key, { count, sum }]) => [...key.split('\0'), count, sum] as [string, string, string, string, number, number])
        .filter(([pool]) => pool === poolId)
        .sort((a, b) => a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]) || a[3].localeCompare(b[3]))
        .map(([, source, fn, outcome, count, sum]) => [e(source), `<code>${e(fn)}</code>`, outcomeCell(outcome), String(count), `${Math.round((sum / count) * 1000)} ms`]);
      const recent = snapshot.recentTriggers
        .filter((invocation) => invocation.poolId === poolId)
        .map((invocation) => [date(invocation.at), e(invocation.source), `<code>${e(invocation.functionArn)}</code>`, outcomeCell(invocation.outcome), `${invocation.milliseconds} ms`]);
      return {
        title: 'Activity',
        poolId,
        body: `<h2>Sign-ins</h2>${table([EVENT_HEADINGS[0]!, 'User', ...EVENT_HEADINGS.slice(1)], eventRows(poolId, page.items, true), 'No sign-ins yet.')}${older}
<h2>Trigger invocations</h2><p class="muted">Counted by this server's processes since they started.</p>${table(['Trigger source', 'Function', 'Outcome', 'Invocations', 'Average time'], invocations, 'No trigger has run.')}
<h3>Latest invocations</h3><p class="muted">The last ${RECENT_TRIGGERS_KEPT} of this server's processes, newest first.</p>${table(['When', 'Trigger source', 'Function', 'Outcome', 'Time'], recent, 'No trigger has run.')}`,
      };
    }),
  );

}
