import { CognitoError } from '../../domain/errors.js';
import { formBody } from '../web-requests.js';
import { clientSettingsFields, clientUpdateInput } from './console-forms.js';
import { actionForm, consoleUrl, csrfField, date, e, input, table } from './console-html.js';
import { CONSOLE_PATH } from './console-session.js';
import type { ConsoleKit, Render } from './console-kit.js';

/** App clients: the list, creating one, a client's settings and its secret. */
export function registerClientPages({ app, call, view, action, params, field, genuine, show }: ConsoleKit): void {
  // App clients
  const clients: Render = async (request, session) => {
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
  /** A client's page; `shown` is a secret value to show once: on request, or just made. */
  const client = (shown?: { label: string; value: string }): Render => async (request, session) => {
    const { poolId, clientId } = params(request);
    const { UserPoolClient: c } = await call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
    const at = (...parts: string[]) => consoleUrl('pools', poolId, 'clients', clientId, ...parts);
    const secret = !c.ClientSecret ? 'none' : shown ? `<code class="secret">${e(shown.value)}</code>` : actionForm(at('secret'), session.csrf, 'Show secret');
    const rows: [string, string][] = [
      ['Client id', `<code>${e(c.ClientId)}</code>`],
      [shown?.label ?? 'Secret', secret],
      ['Token validity (access / ID / refresh)', e(`${c.AccessTokenValidity ?? 60} / ${c.IdTokenValidity ?? 60} ${c.TokenValidityUnits?.AccessToken ?? 'minutes'} / ${c.RefreshTokenValidity ?? 30} ${c.TokenValidityUnits?.RefreshToken ?? 'days'}`)],
      ['Created', date(c.CreationDate * 1000)],
    ];
    return {
      title: c.ClientName,
      poolId,
      body: `${table(['Setting', 'Value'], rows.map(([k, v]) => [e(k), v]))}
<form method="post" action="${e(at('settings'))}">${csrfField(session.csrf)}${clientSettingsFields(c)}<button type="submit">Save</button></form>
${c.ClientSecret ? await secretsSection(c, session.csrf, at) : ''}`,
    };
  };
  // Rotation: a second secret beside the first, then the old one deleted; ListUserPoolClientSecrets never shows values.
  const secretsSection = async (c: any, csrf: string, at: (...parts: string[]) => string) => {
    const { ClientSecrets } = await call('ListUserPoolClientSecrets', { UserPoolId: c.UserPoolId, ClientId: c.ClientId });
    const rows = (ClientSecrets as any[]).map((s) => [
      `<code>${e(s.ClientSecretId)}</code>`,
      date(s.ClientSecretCreateDate * 1000),
      ClientSecrets.length > 1 ? actionForm(at('secrets', 'delete'), csrf, 'Delete', { danger: true, fields: `<input type="hidden" name="ClientSecretId" value="${e(s.ClientSecretId)}">` }) : '',
    ]);
    const add = ClientSecrets.length < 2 ? actionForm(at('secrets'), csrf, 'Add a second secret') : '<p class="muted">A client holds two secrets at most: delete the old one once every caller uses the new.</p>';
    return `<h2>Secrets</h2><p class="muted">Every secret listed is accepted (SECRET_HASH, the token endpoint) until it is deleted.</p>${table(['Secret id', 'Created', ''], rows)}${add}`;
  };

  app.get(`${CONSOLE_PATH}/pools/:poolId/clients/:clientId`, view(client()));
  // Secrets are shown only on a genuine post, so none is in a page a link or the cache can bring back.
  const showing = (path: string, label: string, secret: (c: any) => Promise<string>) =>
    app.post(`${CONSOLE_PATH}/pools/:poolId/clients/:clientId/${path}`, async (request, reply) => {
      const session = genuine(request, reply, formBody(request));
      if (!session) return reply;
      const { poolId, clientId } = params(request);
      try {
        const { UserPoolClient } = await call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
        return await show(request, reply, session, client({ label, value: await secret(UserPoolClient) }), {});
      } catch (error) {
        if (!(error instanceof CognitoError)) throw error;
        return show(request, reply, session, client(), { error: error.message, status: 400 });
      }
    });
  showing('secret', 'Secret', async (c) => c.ClientSecret);
  showing('secrets', 'New secret (shown this once: copy it now)', async (c) => {
    const { ClientSecretDescriptor } = await call('AddUserPoolClientSecret', { UserPoolId: c.UserPoolId, ClientId: c.ClientId });
    return ClientSecretDescriptor.ClientSecretValue;
  });
  app.post(
    `${CONSOLE_PATH}/pools/:poolId/clients/:clientId/secrets/delete`,
    action(async (request, form) => {
      const { poolId, clientId } = params(request);
      await call('DeleteUserPoolClientSecret', { UserPoolId: poolId, ClientId: clientId, ClientSecretId: field(form, 'ClientSecretId') });
      return `${consoleUrl('pools', poolId, 'clients', clientId)}?note=deleted`;
    }, client()),
  );
  app.post(
    `${CONSOLE_PATH}/pools/:poolId/clients/:clientId/settings`,
    action(async (request, form) => {
      const { poolId, clientId } = params(request);
      const { UserPoolClient: current } = await call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
      await call('UpdateUserPoolClient', clientUpdateInput(current, form));
      return `${consoleUrl('pools', poolId, 'clients', clientId)}?note=saved`;
    }, client()),
  );
}
