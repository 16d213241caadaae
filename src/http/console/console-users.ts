import { FILTERABLE_ATTRIBUTES } from '../../domain/users/sign-in-names.js';

const FILTERABLE: readonly string[] = FILTERABLE_ATTRIBUTES;
import { EVENT_HEADINGS, eventRows } from './console-activity.js';
import { actionForm, consoleUrl, csrfField, date, e, input, table } from './console-html.js';
import { CONSOLE_PATH } from './console-session.js';
import type { ConsoleKit, Render } from './console-kit.js';

/** Users: search, create, and a user's page with its actions. */
export function registerUserPages({ app, call, view, action, params, query: queryOf, field, services }: ConsoleKit): void {
  // Users
  const users: Render = async (request, session) => {
    const { poolId } = params(request);
    const query = queryOf(request);
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

  const user: Render = async (request, session) => {
    const { poolId, username } = params(request);
    const u = await call('AdminGetUser', { UserPoolId: poolId, Username: username });
    const sub = (u.UserAttributes as any[]).find((a) => a.Name === 'sub')?.Value as string;
    const [{ Groups }, { Devices }, { Groups: allGroups }, recent, { Sessions }] = await Promise.all([
      call('AdminListGroupsForUser', { UserPoolId: poolId, Username: username }),
      call('AdminListDevices', { UserPoolId: poolId, Username: username }),
      call('ListGroups', { UserPoolId: poolId, Limit: 60 }),
      services.authEvents.list(poolId, sub, 10),
      call('AdminListUserSessions', { UserPoolId: poolId, Username: username }),
    ]);
    const at = (...parts: string[]) => consoleUrl('pools', poolId, 'users', u.Username, ...parts);
    const sessionRows = (Sessions as any[]).map((t) => [
      `<code>${e(t.SessionId)}</code>`,
      `<code>${e(t.ClientId ?? '')}</code>`,
      date(t.CreateDate * 1000),
      t.LastActiveDate ? date(t.LastActiveDate * 1000) : '',
      e(t.LastIPAddress ?? ''),
      actionForm(at('sessions', 'revoke'), session.csrf, 'Revoke', { fields: `<input type="hidden" name="SessionId" value="${e(t.SessionId)}">` }),
    ]);
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
<h2>Sessions</h2>${table(['Session', 'Client', 'Started', 'Last active', 'Last IP', ''], sessionRows, 'No open sessions (they are kept while the pool tracks sessions: SetUserPoolSessionConfiguration).')}
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
  userAction('sessions/revoke', async (p, u, form) => (await call('AdminRevokeUserSession', { ...who(p, u), SessionId: form.get('SessionId') ?? '' }), 'sessionRevoked'));
  userAction('groups/add', async (p, u, form) => (await call('AdminAddUserToGroup', { ...who(p, u), GroupName: form.get('GroupName') ?? '' }), 'added'));
  userAction('groups/remove', async (p, u, form) => (await call('AdminRemoveUserFromGroup', { ...who(p, u), GroupName: form.get('GroupName') ?? '' }), 'removed'));

}
