import { actionForm, consoleUrl, csrfField, e, input, table } from './console-html.js';
import { CONSOLE_PATH } from './console-session.js';
import type { ConsoleKit, Render } from './console-kit.js';

/** Groups: the list, creating one, and a group's settings and members. */
export function registerGroupPages({ app, call, view, action, params, query, field }: ConsoleKit): void {
  // Groups
  const groups: Render = async (request, session) => {
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
  const group: Render = async (request, session) => {
    const { poolId, groupName } = params(request);
    const next = query(request).next;
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

}
