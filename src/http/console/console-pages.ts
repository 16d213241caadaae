import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../../domain/errors.js';
import { FILTERABLE_ATTRIBUTES } from '../../domain/users/sign-in-names.js';
import { sendPage, type PagePolicy } from '../hosted/page-kit.js';
import type { Services } from '../../domain/services.js';
import { operations } from '../../operations/index.js';
import { validateInput } from '../model/validate.js';
import { formBody, requestOrigin } from '../web-requests.js';
import type { MetricsSnapshot } from '../metrics.js';
import type { AuthEventRecord } from '../../storage/types.js';
import { dashboardBody } from './console-dashboard.js';
import { clientSettingsFields, clientUpdateInput, mfaInput, poolSettingsFields, poolUpdateInput } from './console-forms.js';
import { actionForm, consolePage, consoleUrl, csrfField, date, e, input, table, type ConsolePageOptions } from './console-html.js';
import { CONSOLE_PATH, ConsoleSessions, type OperatorSession } from './console-session.js';

/**
 * No scripts at all, forms only to the console; and unlike the login pages the browser names this
 * origin on the console's own form posts (`same-origin`; `no-referrer` would send `Origin: null`),
 * which is how a cross-site post is told apart.
 */
const CONSOLE_PAGES: PagePolicy = {
  contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  referrerPolicy: 'same-origin',
};

/** Fixed notes a page shows after an action: only these texts, so a crafted link cannot put words on a page. */
const NOTES: Record<string, string> = {
  created: 'Created.',
  deleted: 'Deleted.',
  saved: 'Saved.',
  password: 'The password is set.',
  reset: 'The user must reset their password; a code was sent.',
  confirmed: 'The user is confirmed.',
  enabled: 'The user is enabled.',
  disabled: 'The user is disabled.',
  signedOut: 'Every refresh token of the user is revoked.',
  added: 'Added to the group.',
  removed: 'Removed from the group.',
};

const FILTERABLE: readonly string[] = FILTERABLE_ATTRIBUTES;

type Page = { status?: number; error?: string };
type Call = <T = any>(operation: string, input: Record<string, unknown>) => Promise<T>;

/**
 * The admin console at /console: pools, users, groups and app clients, in the browser. Every
 * action is the API operation of the same name, run in-process with the same input checks, so
 * the console can do nothing the SDK cannot.
 */
export function registerConsole(app: FastifyInstance, services: Services, sessions: ConsoleSessions, counters: () => Promise<MetricsSnapshot>, now: () => number): void {
  const call: Call = async (operation, body) => {
    validateInput(operation, body);
    return operations[operation]!(body, { services, requestId: 'console', sourceIp: '127.0.0.1', awsSdkVersion: 'gatehouse-console' });
  };

  const page = (reply: FastifyReply, options: ConsolePageOptions & { status?: number }, body: string) => sendPage(reply, options.status ?? 200, consolePage(options, body), CONSOLE_PAGES);
  const noteOf = (request: FastifyRequest) => {
    const key = (request.query as Record<string, string | undefined>).note;
    return key !== undefined && Object.hasOwn(NOTES, key) ? NOTES[key] : undefined;
  };
  const signInPage = (reply: FastifyReply, error?: string, status = 200) =>
    page(
      reply,
      { title: 'Sign in to the console', error, status },
      `<form class="narrow" method="post" action="${CONSOLE_PATH}/sign-in">${input('Access key id', 'accessKeyId', { required: true })}<br>${input('Secret access key', 'secretAccessKey', { type: 'password', required: true })}<br><button type="submit">Sign in</button></form>
<p class="muted">Use one of the access key pairs the server is configured with (GATEHOUSE_ACCESS_KEY_ID and GATEHOUSE_SECRET_ACCESS_KEY).</p>`,
    );

  // Pages: a signed-in operator or the sign-in page.
  const view = (render: (request: FastifyRequest, session: OperatorSession, extra: Page) => Promise<{ title: string; poolId?: string; body: string }>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const session = sessions.current(request, reply);
    if (!session) return reply.redirect(`${CONSOLE_PATH}/sign-in`, 303);
    return show(request, reply, session, render, {});
  };
  const show = async (request: FastifyRequest, reply: FastifyReply, session: OperatorSession, render: Parameters<typeof view>[0], extra: Page) => {
    try {
      const { title, poolId, body } = await render(request, session, extra);
      return page(reply, { title, poolId, csrf: session.csrf, error: extra.error, note: extra.error ? undefined : noteOf(request), status: extra.status, development: sessions.developmentMode }, body);
    } catch (error) {
      if (!(error instanceof CognitoError)) throw error;
      return page(reply, { title: 'Not found', csrf: session.csrf, error: error.message, status: 404 }, `<p><a href="${CONSOLE_PATH}/pools">Back to the pools</a></p>`);
    }
  };
  /** The session of a signed-in operator whose form this is, or undefined once the refusal is sent. */
  const genuine = (request: FastifyRequest, reply: FastifyReply, form: URLSearchParams): OperatorSession | undefined => {
    const session = sessions.current(request, reply);
    if (session && sessions.formIsGenuine(request, session, form.get('_csrf'))) return session;
    void page(reply, { title: 'Refused', status: 403, error: 'This form did not come from your console session. Reload the page and try again.' }, `<p><a href="${CONSOLE_PATH}/pools">Back to the console</a></p>`);
    return undefined;
  };
  // Actions: a genuine form of a signed-in operator, then a redirect; a refused action shows its page again with Cognito's message.
  const action = (
    run: (request: FastifyRequest, form: URLSearchParams) => Promise<string>,
    again: Parameters<typeof view>[0],
  ) => async (request: FastifyRequest, reply: FastifyReply) => {
    const form = formBody(request);
    const session = genuine(request, reply, form);
    if (!session) return reply;
    try {
      return reply.redirect(await run(request, form), 303);
    } catch (error) {
      if (!(error instanceof CognitoError)) throw error;
      return show(request, reply, session, again, { error: error.message, status: 400 });
    }
  };
  const params = (request: FastifyRequest) => request.params as Record<string, string>;
  const field = (form: URLSearchParams, name: string) => form.get(name)?.trim() ?? '';

  app.get(
    CONSOLE_PATH,
    view(async () => ({ title: 'Dashboard', body: `${dashboardBody(await counters(), now())}<p><a href="${CONSOLE_PATH}/pools">User pools</a></p>` })),
  );
  app.get(`${CONSOLE_PATH}/sign-in`, async (_request, reply) => {
    if (sessions.developmentMode) return reply.redirect(`${CONSOLE_PATH}/pools`, 303);
    return signInPage(reply);
  });
  app.post(`${CONSOLE_PATH}/sign-in`, async (request, reply) => {
    // A sign-in posted from another site would sign the browser in to the attacker's key.
    if (request.headers.origin !== undefined && request.headers.origin !== requestOrigin(request)) return signInPage(reply, 'Sign-in refused: the form came from another site.', 403);
    const form = formBody(request);
    const session = sessions.signIn(field(form, 'accessKeyId'), form.get('secretAccessKey') ?? '', request, reply);
    if (!session) return signInPage(reply, 'That access key id and secret do not match a key of this server.', 401);
    return reply.redirect(`${CONSOLE_PATH}/pools`, 303);
  });
  app.post(`${CONSOLE_PATH}/sign-out`, async (request, reply) => {
    sessions.signOut(request, reply);
    return reply.redirect(sessions.developmentMode ? `${CONSOLE_PATH}/pools` : `${CONSOLE_PATH}/sign-in`, 303);
  });

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

  const eventRows = (poolId: string, events: AuthEventRecord[], withUser: boolean) =>
    events.map(({ createdAt, sub, body }) => [
      date(createdAt),
      ...(withUser ? [sub ? `<a href="${e(consoleUrl('pools', poolId, 'users', body.username))}">${e(body.username)}</a>` : `${e(body.username)} <span class="muted">(no such user)</span>`] : []),
      body.response === 'Pass' ? 'passed' : '<strong>failed</strong>',
      e(body.challenges.map((c) => `${c.name}: ${c.response}`).join(', ')),
      e(body.reason ?? ''),
      `<code>${e(body.clientId)}</code>`,
      e(body.ipAddress ?? ''),
      e(body.deviceKey ?? body.deviceName ?? ''),
      e(riskText(body)),
    ]);
  const EVENT_HEADINGS = ['When', 'Result', 'Factor', 'Reason', 'Client', 'IP', 'Device', 'Risk'];

  // Activity: the pool's sign-in events, newest first.
  app.get(
    `${CONSOLE_PATH}/pools/:poolId/activity`,
    view(async (request) => {
      const { poolId } = params(request);
      await call('DescribeUserPool', { UserPoolId: poolId });
      const before = (request.query as Record<string, string | undefined>).before;
      const page = await services.authEvents.list(poolId, undefined, 60, before);
      const older = page.nextKey ? `<p><a href="?before=${e(encodeURIComponent(page.nextKey))}">Older events</a></p>` : '';
      // Trigger invocations as this server's processes counted them since they started (the /metrics numbers).
      const invocations = Object.entries((await counters()).triggers)
        .map(([key, { count, sum }]) => [...key.split('\0'), count, sum] as [string, string, string, string, number, number])
        .filter(([pool]) => pool === poolId)
        .sort((a, b) => a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]) || a[3].localeCompare(b[3]))
        .map(([, source, fn, outcome, count, sum]) => [e(source), `<code>${e(fn)}</code>`, outcome === 'answered' ? 'answered' : `<strong>${e(outcome)}</strong>`, String(count), `${Math.round((sum / count) * 1000)} ms`]);
      return {
        title: 'Activity',
        poolId,
        body: `<h2>Sign-ins</h2>${table([EVENT_HEADINGS[0]!, 'User', ...EVENT_HEADINGS.slice(1)], eventRows(poolId, page.items, true), 'No sign-ins yet.')}${older}
<h2>Trigger invocations</h2><p class="muted">Counted by this server's processes since they started.</p>${table(['Trigger source', 'Function', 'Outcome', 'Invocations', 'Average time'], invocations, 'No trigger has run.')}`,
      };
    }),
  );

  // Pools
  const pools: Parameters<typeof view>[0] = async (request, session) => {
    const next = (request.query as Record<string, string | undefined>).next;
    const { UserPools, NextToken } = await call('ListUserPools', { MaxResults: 60, ...(next && { NextToken: next }) });
    const rows = (UserPools as any[]).map((pool) => [`<a href="${e(consoleUrl('pools', pool.Id))}">${e(pool.Name)}</a>`, e(pool.Id), date(pool.CreationDate * 1000)]);
    return {
      title: 'User pools',
      body: `${table(['Name', 'Id', 'Created'], rows, 'No user pools yet.')}${NextToken ? `<p><a href="?next=${e(encodeURIComponent(NextToken))}">More pools</a></p>` : ''}
<h2>Create a user pool</h2>
<form method="post" action="${CONSOLE_PATH}/pools">${csrfField(session.csrf)}<div class="row">${input('Pool name', 'PoolName', { required: true })}<div><label for="in-sign-in">Users sign in with</label><select id="in-sign-in" name="signIn"><option value="username">a username</option><option value="email">their email address</option></select></div><button type="submit">Create</button></div></form>`,
    };
  };
  app.get(`${CONSOLE_PATH}/pools`, view(pools));
  app.post(
    `${CONSOLE_PATH}/pools`,
    action(async (_request, form) => {
      const byEmail = form.get('signIn') === 'email';
      const { UserPool } = await call('CreateUserPool', { PoolName: field(form, 'PoolName'), ...(byEmail && { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }) });
      return `${consoleUrl('pools', UserPool.Id)}?note=created`;
    }, pools),
  );

  const pool: Parameters<typeof view>[0] = async (request, session) => {
    const { poolId } = params(request);
    const { UserPool: p } = await call('DescribeUserPool', { UserPoolId: poolId });
    const policy = p.Policies?.PasswordPolicy ?? {};
    const settings: [string, string][] = [
      ['Id', p.Id],
      ['ARN', p.Arn],
      ['Created', new Date(p.CreationDate * 1000).toISOString()],
      ['Users (estimated)', String(p.EstimatedNumberOfUsers)],
      ['Sign-in names', p.UsernameAttributes?.length ? `${p.UsernameAttributes.join(', ')} as username` : `username${p.AliasAttributes?.length ? `, aliases: ${p.AliasAttributes.join(', ')}` : ''}`],
      ['Auto-verified', (p.AutoVerifiedAttributes ?? []).join(', ') || 'none'],
      ['MFA', p.MfaConfiguration ?? 'OFF'],
      ['Password policy', `at least ${policy.MinimumLength ?? 8} characters${['RequireUppercase', 'RequireLowercase', 'RequireNumbers', 'RequireSymbols'].filter((k) => policy[k]).map((k) => `, ${k.slice(7).toLowerCase()}`).join('')}`],
      ['Device tracking', p.DeviceConfiguration ? JSON.stringify(p.DeviceConfiguration) : 'off'],
      ['Triggers', Object.keys(p.LambdaConfig ?? {}).join(', ') || 'none'],
      ['Domain', p.Domain ?? p.CustomDomain ?? 'none'],
    ];
    return {
      title: p.Name,
      poolId,
      body: `${table(['Setting', 'Value'], settings.map(([k, v]) => [e(k), e(v)]))}
<p><a href="${e(consoleUrl('pools', poolId, 'users'))}">Users</a> · <a href="${e(consoleUrl('pools', poolId, 'groups'))}">Groups</a> · <a href="${e(consoleUrl('pools', poolId, 'clients'))}">App clients</a></p>
<h2>Settings</h2>
<form method="post" action="${e(consoleUrl('pools', poolId, 'settings'))}">${csrfField(session.csrf)}${poolSettingsFields(p)}<button type="submit">Save settings</button></form>
<h2>Delete this pool</h2>
<form method="post" action="${e(consoleUrl('pools', poolId, 'delete'))}">${csrfField(session.csrf)}<div class="row">${input(`Type the pool id (${poolId}) to confirm`, 'confirm', { required: true })}<button class="danger" type="submit">Delete pool and all its users</button></div></form>`,
    };
  };
  app.get(`${CONSOLE_PATH}/pools/:poolId`, view(pool));
  app.post(
    `${CONSOLE_PATH}/pools/:poolId/settings`,
    action(async (request, form) => {
      const { poolId } = params(request);
      const { UserPool: current } = await call('DescribeUserPool', { UserPoolId: poolId });
      await call('UpdateUserPool', poolUpdateInput(current, form));
      const mfa = mfaInput(current, form);
      if (mfa) await call('SetUserPoolMfaConfig', mfa);
      return `${consoleUrl('pools', poolId)}?note=saved`;
    }, pool),
  );
  app.post(
    `${CONSOLE_PATH}/pools/:poolId/delete`,
    action(async (request, form) => {
      const { poolId } = params(request);
      if (field(form, 'confirm') !== poolId) throw new CognitoError('InvalidParameterException', 'The pool id typed does not match: nothing was deleted.');
      await call('DeleteUserPool', { UserPoolId: poolId });
      return `${CONSOLE_PATH}/pools?note=deleted`;
    }, pool),
  );

  // Users
  const users: Parameters<typeof view>[0] = async (request, session) => {
    const { poolId } = params(request);
    const query = request.query as Record<string, string | undefined>;
    const attribute = FILTERABLE.includes(query.attribute ?? '') ? query.attribute! : 'username';
    const prefix = query.match === 'prefix';
    const value = query.value?.trim() ?? '';
    const filter = value ? `${attribute} ${prefix ? '^=' : '='} "${value.replace(/(["\\])/g, '\\$1')}"` : undefined;
    const { Users, PaginationToken } = await call('ListUsers', { UserPoolId: poolId, Limit: 60, ...(filter && { Filter: filter }), ...(query.next && { PaginationToken: query.next }) });
    const attr = (user: any, name: string) => user.Attributes?.find((a: any) => a.Name === name)?.Value ?? '';
    const rows = (Users as any[]).map((user) => [
      `<a href="${e(consoleUrl('pools', poolId, 'users', user.Username))}">${e(user.Username)}</a>`,
      e(attr(user, 'email')),
      e(attr(user, 'phone_number')),
      e(user.UserStatus),
      user.Enabled ? 'yes' : '<strong>no</strong>',
      date(user.UserCreateDate * 1000),
    ]);
    const options = FILTERABLE.map((name) => `<option value="${e(name)}"${name === attribute ? ' selected' : ''}>${e(name)}</option>`).join('');
    const more = PaginationToken ? `<p><a href="?${e(new URLSearchParams({ ...(value && { attribute, value, match: prefix ? 'prefix' : 'exact' }), next: PaginationToken }).toString())}">Next page</a></p>` : '';
    return {
      title: 'Users',
      poolId,
      body: `<form method="get" role="search"><div class="row"><div><label for="in-attribute">Search by</label><select id="in-attribute" name="attribute">${options}</select></div><div><label for="in-match">Match</label><select id="in-match" name="match"><option value="exact">is</option><option value="prefix"${prefix ? ' selected' : ''}>starts with</option></select></div>${input('Value', 'value', { value })}<button type="submit">Search</button></div></form>
${table(['Username', 'Email', 'Phone', 'Status', 'Enabled', 'Created'], rows, value ? 'No user matches.' : 'No users yet.')}${more}
<h2>Create a user</h2>
<form method="post" action="${e(consoleUrl('pools', poolId, 'users'))}">${csrfField(session.csrf)}<div class="row">${input('Username', 'Username', { required: true })}${input('Email', 'email', { type: 'email' })}${input('Temporary password (optional)', 'TemporaryPassword', { type: 'password' })}<button type="submit">Create</button></div></form>`,
    };
  };
  app.get(`${CONSOLE_PATH}/pools/:poolId/users`, view(users));
  app.post(
    `${CONSOLE_PATH}/pools/:poolId/users`,
    action(async (request, form) => {
      const { poolId } = params(request);
      const email = field(form, 'email');
      const password = form.get('TemporaryPassword') ?? '';
      const { User } = await call('AdminCreateUser', {
        UserPoolId: poolId,
        Username: field(form, 'Username'),
        ...(email && { UserAttributes: [{ Name: 'email', Value: email }] }),
        ...(password && { TemporaryPassword: password }),
        MessageAction: 'SUPPRESS',
      });
      return `${consoleUrl('pools', poolId, 'users', User.Username)}?note=created`;
    }, users),
  );

  const user: Parameters<typeof view>[0] = async (request, session) => {
    const { poolId, username } = params(request);
    const u = await call('AdminGetUser', { UserPoolId: poolId, Username: username });
    const sub = (u.UserAttributes as any[]).find((a) => a.Name === 'sub')?.Value as string;
    const [{ Groups }, { Devices }, { Groups: allGroups }, recent] = await Promise.all([
      call('AdminListGroupsForUser', { UserPoolId: poolId, Username: username }),
      call('AdminListDevices', { UserPoolId: poolId, Username: username }),
      call('ListGroups', { UserPoolId: poolId, Limit: 60 }),
      services.authEvents.list(poolId, sub, 10),
    ]);
    const at = (...parts: string[]) => consoleUrl('pools', poolId, 'users', u.Username, ...parts);
    const memberOf = new Set((Groups as any[]).map((g) => g.GroupName));
    const joinable = (allGroups as any[]).filter((g) => !memberOf.has(g.GroupName));
    const groupRows = (Groups as any[]).map((g) => [e(g.GroupName), actionForm(at('groups', 'remove'), session.csrf, 'Remove', { fields: `<input type="hidden" name="GroupName" value="${e(g.GroupName)}">` })]);
    const deviceRows = (Devices as any[]).map((d) => {
      const name = d.DeviceAttributes?.find((a: any) => a.Name === 'device_name')?.Value ?? '';
      const ip = d.DeviceAttributes?.find((a: any) => a.Name === 'last_ip_used')?.Value ?? '';
      return [e(d.DeviceKey), e(name), e(ip), d.DeviceLastAuthenticatedDate ? date(d.DeviceLastAuthenticatedDate * 1000) : ''];
    });
    const actions = [
      u.UserStatus === 'UNCONFIRMED' ? actionForm(at('confirm'), session.csrf, 'Confirm') : '',
      u.Enabled ? actionForm(at('disable'), session.csrf, 'Disable') : actionForm(at('enable'), session.csrf, 'Enable'),
      actionForm(at('reset-password'), session.csrf, 'Reset password'),
      actionForm(at('sign-out'), session.csrf, 'Sign out everywhere'),
      actionForm(at('delete'), session.csrf, 'Delete user', { danger: true }),
    ].join('');
    return {
      title: u.Username,
      poolId,
      body: `${table(
        ['Property', 'Value'],
        [
          ['Status', e(u.UserStatus)],
          ['Enabled', u.Enabled ? 'yes' : 'no'],
          ['Created', date(u.UserCreateDate * 1000)],
          ['Last modified', date(u.UserLastModifiedDate * 1000)],
          ['MFA', e((u.UserMFASettingList ?? []).join(', ') || 'none')],
          ...(u.UserAttributes as any[]).map((a) => [e(a.Name), e(a.Value)]),
        ],
      )}
<h2>Actions</h2><div>${actions}</div>
<form method="post" action="${e(at('password'))}">${csrfField(session.csrf)}<div class="row">${input('New permanent password', 'Password', { type: 'password', required: true })}<button type="submit">Set password</button></div></form>
<h2>Groups</h2>${table(['Group', ''], groupRows, 'In no group.')}
${joinable.length ? `<form method="post" action="${e(at('groups', 'add'))}">${csrfField(session.csrf)}<div class="row"><div><label for="in-group">Add to group</label><select id="in-group" name="GroupName">${joinable.map((g) => `<option>${e(g.GroupName)}</option>`).join('')}</select></div><button type="submit">Add</button></div></form>` : ''}
<h2>Devices</h2>${table(['Device key', 'Name', 'Last IP', 'Last sign-in'], deviceRows, 'No remembered devices.')}
<h2>Recent sign-ins</h2>${table(EVENT_HEADINGS, eventRows(poolId, recent.items, false), 'No sign-ins yet.')}`,
    };
  };
  app.get(`${CONSOLE_PATH}/pools/:poolId/users/:username`, view(user));
  const userAction = (path: string, run: (poolId: string, username: string, form: URLSearchParams) => Promise<string>) =>
    app.post(
      `${CONSOLE_PATH}/pools/:poolId/users/:username/${path}`,
      action(async (request, form) => {
        const { poolId, username } = params(request);
        const note = await run(poolId, username, form);
        return note === 'deleted' ? `${consoleUrl('pools', poolId, 'users')}?note=deleted` : `${consoleUrl('pools', poolId, 'users', username)}?note=${note}`;
      }, user),
    );
  const who = (poolId: string, username: string) => ({ UserPoolId: poolId, Username: username });
  userAction('confirm', async (p, u) => (await call('AdminConfirmSignUp', who(p, u)), 'confirmed'));
  userAction('enable', async (p, u) => (await call('AdminEnableUser', who(p, u)), 'enabled'));
  userAction('disable', async (p, u) => (await call('AdminDisableUser', who(p, u)), 'disabled'));
  userAction('reset-password', async (p, u) => (await call('AdminResetUserPassword', who(p, u)), 'reset'));
  userAction('sign-out', async (p, u) => (await call('AdminUserGlobalSignOut', who(p, u)), 'signedOut'));
  userAction('delete', async (p, u) => (await call('AdminDeleteUser', who(p, u)), 'deleted'));
  userAction('password', async (p, u, form) => (await call('AdminSetUserPassword', { ...who(p, u), Password: form.get('Password') ?? '', Permanent: true }), 'password'));
  userAction('groups/add', async (p, u, form) => (await call('AdminAddUserToGroup', { ...who(p, u), GroupName: form.get('GroupName') ?? '' }), 'added'));
  userAction('groups/remove', async (p, u, form) => (await call('AdminRemoveUserFromGroup', { ...who(p, u), GroupName: form.get('GroupName') ?? '' }), 'removed'));

  // Groups
  const groups: Parameters<typeof view>[0] = async (request, session) => {
    const { poolId } = params(request);
    const { Groups } = await call('ListGroups', { UserPoolId: poolId, Limit: 60 });
    const rows = (Groups as any[]).map((g) => [`<a href="${e(consoleUrl('pools', poolId, 'groups', g.GroupName))}">${e(g.GroupName)}</a>`, e(g.Description ?? ''), e(g.Precedence === undefined ? '' : String(g.Precedence))]);
    return {
      title: 'Groups',
      poolId,
      body: `${table(['Group', 'Description', 'Precedence'], rows, 'No groups yet.')}
<h2>Create a group</h2>
<form method="post" action="${e(consoleUrl('pools', poolId, 'groups'))}">${csrfField(session.csrf)}<div class="row">${input('Name', 'GroupName', { required: true })}${input('Description', 'Description')}${input('Precedence', 'Precedence', { type: 'number' })}<button type="submit">Create</button></div></form>`,
    };
  };
  app.get(`${CONSOLE_PATH}/pools/:poolId/groups`, view(groups));
  app.post(
    `${CONSOLE_PATH}/pools/:poolId/groups`,
    action(async (request, form) => {
      const { poolId } = params(request);
      const precedence = field(form, 'Precedence');
      const description = field(form, 'Description');
      const { Group } = await call('CreateGroup', { UserPoolId: poolId, GroupName: field(form, 'GroupName'), ...(description && { Description: description }), ...(precedence && { Precedence: Number(precedence) }) });
      return `${consoleUrl('pools', poolId, 'groups', Group.GroupName)}?note=created`;
    }, groups),
  );
  const group: Parameters<typeof view>[0] = async (request, session) => {
    const { poolId, groupName } = params(request);
    const next = (request.query as Record<string, string | undefined>).next;
    const [{ Group: g }, { Users, NextToken }] = await Promise.all([
      call('GetGroup', { UserPoolId: poolId, GroupName: groupName }),
      call('ListUsersInGroup', { UserPoolId: poolId, GroupName: groupName, Limit: 60, ...(next && { NextToken: next }) }),
    ]);
    const at = (...parts: string[]) => consoleUrl('pools', poolId, 'groups', g.GroupName, ...parts);
    const rows = (Users as any[]).map((u) => [
      `<a href="${e(consoleUrl('pools', poolId, 'users', u.Username))}">${e(u.Username)}</a>`,
      e(u.UserStatus),
      actionForm(at('remove'), session.csrf, 'Remove', { fields: `<input type="hidden" name="Username" value="${e(u.Username)}">` }),
    ]);
    return {
      title: g.GroupName,
      poolId,
      body: `<form method="post" action="${e(at())}">${csrfField(session.csrf)}<div class="row">${input('Description', 'Description', { value: g.Description ?? '' })}${input('Precedence', 'Precedence', { type: 'number', value: g.Precedence === undefined ? '' : String(g.Precedence) })}${input('IAM role ARN', 'RoleArn', { value: g.RoleArn ?? '' })}<button type="submit">Save</button></div></form>
<h2>Members</h2>${table(['Username', 'Status', ''], rows, 'No members.')}${NextToken ? `<p><a href="?next=${e(encodeURIComponent(NextToken))}">More members</a></p>` : ''}
<h2>Delete this group</h2>${actionForm(at('delete'), session.csrf, 'Delete group', { danger: true })}`,
    };
  };
  app.get(`${CONSOLE_PATH}/pools/:poolId/groups/:groupName`, view(group));
  const groupAction = (path: string, run: (poolId: string, groupName: string, form: URLSearchParams) => Promise<string>) =>
    app.post(
      `${CONSOLE_PATH}/pools/:poolId/groups/:groupName${path}`,
      action(async (request, form) => {
        const { poolId, groupName } = params(request);
        return run(poolId, groupName, form);
      }, group),
    );
  groupAction('', async (poolId, GroupName, form) => {
    const precedence = field(form, 'Precedence');
    await call('UpdateGroup', { UserPoolId: poolId, GroupName, Description: field(form, 'Description'), ...(precedence && { Precedence: Number(precedence) }), ...(field(form, 'RoleArn') && { RoleArn: field(form, 'RoleArn') }) });
    return `${consoleUrl('pools', poolId, 'groups', GroupName)}?note=saved`;
  });
  groupAction('/remove', async (poolId, GroupName, form) => {
    await call('AdminRemoveUserFromGroup', { UserPoolId: poolId, GroupName, Username: form.get('Username') ?? '' });
    return `${consoleUrl('pools', poolId, 'groups', GroupName)}?note=removed`;
  });
  groupAction('/delete', async (poolId, GroupName) => {
    await call('DeleteGroup', { UserPoolId: poolId, GroupName });
    return `${consoleUrl('pools', poolId, 'groups')}?note=deleted`;
  });

  // App clients
  const clients: Parameters<typeof view>[0] = async (request, session) => {
    const { poolId } = params(request);
    const { UserPoolClients } = await call('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 });
    const rows = (UserPoolClients as any[]).map((c) => [`<a href="${e(consoleUrl('pools', poolId, 'clients', c.ClientId))}">${e(c.ClientName)}</a>`, `<code>${e(c.ClientId)}</code>`]);
    return {
      title: 'App clients',
      poolId,
      body: `${table(['Name', 'Client id'], rows, 'No app clients yet.')}
<h2>Create an app client</h2>
<form method="post" action="${e(consoleUrl('pools', poolId, 'clients'))}">${csrfField(session.csrf)}<div class="row">${input('Name', 'ClientName', { required: true })}<div><label for="in-secret">Client secret</label><select id="in-secret" name="GenerateSecret"><option value="false">none (browser and mobile apps)</option><option value="true">generate one (servers)</option></select></div><button type="submit">Create</button></div></form>`,
    };
  };
  app.get(`${CONSOLE_PATH}/pools/:poolId/clients`, view(clients));
  app.post(
    `${CONSOLE_PATH}/pools/:poolId/clients`,
    action(async (request, form) => {
      const { poolId } = params(request);
      const { UserPoolClient } = await call('CreateUserPoolClient', {
        UserPoolId: poolId,
        ClientName: field(form, 'ClientName'),
        GenerateSecret: form.get('GenerateSecret') === 'true',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      });
      return `${consoleUrl('pools', poolId, 'clients', UserPoolClient.ClientId)}?note=created`;
    }, clients),
  );
  const client = (showSecret: boolean): Parameters<typeof view>[0] => async (request, session) => {
    const { poolId, clientId } = params(request);
    const { UserPoolClient: c } = await call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
    const at = (...parts: string[]) => consoleUrl('pools', poolId, 'clients', clientId, ...parts);
    const secret = !c.ClientSecret ? 'none' : showSecret ? `<code class="secret">${e(c.ClientSecret)}</code>` : actionForm(at('secret'), session.csrf, 'Show secret');
    const rows: [string, string][] = [
      ['Client id', `<code>${e(c.ClientId)}</code>`],
      ['Secret', secret],
      ['Token validity (access / ID / refresh)', e(`${c.AccessTokenValidity ?? 60} / ${c.IdTokenValidity ?? 60} ${c.TokenValidityUnits?.AccessToken ?? 'minutes'} / ${c.RefreshTokenValidity ?? 30} ${c.TokenValidityUnits?.RefreshToken ?? 'days'}`)],
      ['Created', date(c.CreationDate * 1000)],
    ];
    return {
      title: c.ClientName,
      poolId,
      body: `${table(['Setting', 'Value'], rows.map(([k, v]) => [e(k), v]))}
<form method="post" action="${e(at('settings'))}">${csrfField(session.csrf)}${clientSettingsFields(c)}<button type="submit">Save</button></form>`,
    };
  };
  app.get(`${CONSOLE_PATH}/pools/:poolId/clients/:clientId`, view(client(false)));
  app.post(`${CONSOLE_PATH}/pools/:poolId/clients/:clientId/secret`, async (request, reply) => {
    // Shown only on a genuine post, so the secret is in no page a link or the cache can bring back.
    const session = genuine(request, reply, formBody(request));
    return session ? show(request, reply, session, client(true), {}) : reply;
  });
  app.post(
    `${CONSOLE_PATH}/pools/:poolId/clients/:clientId/settings`,
    action(async (request, form) => {
      const { poolId, clientId } = params(request);
      const { UserPoolClient: current } = await call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
      await call('UpdateUserPoolClient', clientUpdateInput(current, form));
      return `${consoleUrl('pools', poolId, 'clients', clientId)}?note=saved`;
    }, client(false)),
  );
}

/** Threat protection's rating of an event and the feedback on it, in a few words. */
function riskText({ risk, feedback }: AuthEventRecord['body']): string {
  const rating = risk && [risk.decision + (risk.level ? ` (${risk.level})` : ''), ...(risk.compromisedCredentials ? ['breached password'] : [])].join(', ');
  return [rating, feedback && `feedback: ${feedback.value}`].filter(Boolean).join('; ');
}
