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
  const client = (showSecret: boolean): Render => async (request, session) => {
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
