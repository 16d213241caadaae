import { CognitoError } from '../../domain/errors.js';
import { mfaInput, poolCreateFields, poolCreateInput, poolSettingsFields, poolUpdateInput } from './console-forms.js';
import { actionForm, consoleUrl, csrfField, date, e, input, table } from './console-html.js';
import { CONSOLE_PATH } from './console-session.js';
import type { ConsoleKit, Render } from './console-kit.js';

/** Pools: the list, creating one, a pool's settings and deleting it. */
export function registerPoolPages({ app, call, view, action, params, query, field }: ConsoleKit): void {
  // Pools
  const pools: Render = async (request, session) => {
    const next = query(request).next;
    const { UserPools, NextToken } = await call('ListUserPools', { MaxResults: 60, ...(next && { NextToken: next }) });
    const rows = (UserPools as any[]).map((pool) => [`<a href="${e(consoleUrl('pools', pool.Id))}">${e(pool.Name)}</a>`, e(pool.Id), date(pool.CreationDate * 1000)]);
    return {
      title: 'User pools',
      body: `${table(['Name', 'Id', 'Created'], rows, 'No user pools yet.')}${NextToken ? `<p><a href="?next=${e(encodeURIComponent(NextToken))}">More pools</a></p>` : ''}
<h2>Create a user pool</h2>
<form method="post" action="${CONSOLE_PATH}/pools">${csrfField(session.csrf)}${poolCreateFields()}<button type="submit">Create</button></form>`,
    };
  };
  app.get(`${CONSOLE_PATH}/pools`, view(pools));
  app.post(
    `${CONSOLE_PATH}/pools`,
    action(async (_request, form) => {
      const { UserPool } = await call('CreateUserPool', poolCreateInput(form));
      return `${consoleUrl('pools', UserPool.Id)}?note=created`;
    }, pools),
  );

  const pool: Render = async (request, session) => {
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
<h2>Domain</h2>${domainSection(p, session.csrf)}
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
      // UpdateUserPool resets what it is not sent, MFA included, which only SetUserPoolMfaConfig sets with its factors.
      const { UserPool: updated } = await call('DescribeUserPool', { UserPoolId: poolId });
      const mfa = mfaInput(updated, form);
      if (mfa) await call('SetUserPoolMfaConfig', mfa);
      return `${consoleUrl('pools', poolId)}?note=saved`;
    }, pool),
  );
  // The pool's prefix domain, which serves its managed login pages and OAuth endpoints.
  const domainSection = (p: any, csrf: string) =>
    p.Domain
      ? `<p>The managed login pages and OAuth endpoints answer at <code>${e(p.Domain)}</code>${p.CustomDomain ? ` and <code>${e(p.CustomDomain)}</code>` : ''}.</p>${actionForm(consoleUrl('pools', p.Id, 'domain', 'delete'), csrf, 'Delete the domain', { danger: true, fields: `<input type="hidden" name="Domain" value="${e(p.Domain)}">` })}`
      : `<form method="post" action="${e(consoleUrl('pools', p.Id, 'domain'))}">${csrfField(csrf)}<div class="row">${input('Domain prefix', 'Domain', { required: true })}<div><label for="in-version">Pages</label><select id="in-version" name="ManagedLoginVersion"><option value="2">managed login</option><option value="1">classic hosted UI</option></select></div><button type="submit">Create the domain</button></div></form>`;
  const domainAction = (path: string, operation: string, note: string) =>
    app.post(
      `${CONSOLE_PATH}/pools/:poolId/domain${path}`,
      action(async (request, form) => {
        const { poolId } = params(request);
        await call(operation, { UserPoolId: poolId, Domain: field(form, 'Domain'), ...(operation === 'CreateUserPoolDomain' && { ManagedLoginVersion: Number(form.get('ManagedLoginVersion') ?? 2) }) });
        return `${consoleUrl('pools', poolId)}?note=${note}`;
      }, pool),
    );
  domainAction('', 'CreateUserPoolDomain', 'created');
  domainAction('/delete', 'DeleteUserPoolDomain', 'deleted');

  app.post(
    `${CONSOLE_PATH}/pools/:poolId/delete`,
    action(async (request, form) => {
      const { poolId } = params(request);
      if (field(form, 'confirm') !== poolId) throw new CognitoError('InvalidParameterException', 'The pool id typed does not match: nothing was deleted.');
      await call('DeleteUserPool', { UserPoolId: poolId });
      return `${CONSOLE_PATH}/pools?note=deleted`;
    }, pool),
  );
}
