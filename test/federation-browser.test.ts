// Federation in a real browser (playwright-core driving Debian's chromium): the sign-in page's
// provider buttons and corporate email field, through oidc-provider and the SAML test IdP and back
// into the app, with a screenshot of the sign-in page under test-output/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand, CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshotPath, withPage } from './support/browser.js';
import type { TestGatehouse } from './support/gatehouse.js';
import { expectBackInApp, startPagesFixture, type CallbackApp } from './support/login-app.js';
import { corpProviderInput, startOidcUpstream, type OidcUpstream } from './support/oidc-upstream.js';
import { startSamlIdp, type SamlIdp } from './support/saml-idp.js';

const browser = await launchBrowser();
const skip = browser ? false : (browserSkipReason() ?? 'no browser');

describe('federated sign-in in chromium', { skip }, () => {
  let gatehouse: TestGatehouse;
  let app: CallbackApp;
  let stop: () => Promise<void>;
  let oidcIdp: OidcUpstream;
  let samlIdp: SamlIdp;

  before(async () => {
    ({ gatehouse, app, stop } = await startPagesFixture());
    oidcIdp = await startOidcUpstream({ redirectUris: [`${gatehouse.url}/oauth2/idpresponse`], tokenEndpointAuthMethod: 'client_secret_post' });
    samlIdp = await startSamlIdp();
  });
  after(async () => {
    await stop();
    await Promise.all([oidcIdp, samlIdp].map((server) => server.close()));
    await browser?.close();
  });

  test('the provider buttons and the corporate email field lead through the IdP and back into the app', async () => {
    const poolId = (await gatehouse.cognito.send(new CreateUserPoolCommand({ PoolName: 'federation-browser' }))).UserPool!.Id!;
    await gatehouse.cognito.send(new CreateIdentityProviderCommand(corpProviderInput(oidcIdp, poolId)));
    await gatehouse.cognito.send(
      new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Okta', ProviderType: 'SAML', ProviderDetails: { MetadataFile: samlIdp.metadataXml }, AttributeMapping: { email: 'email' }, IdpIdentifiers: ['saml.example.com'] }),
    );
    const client = await gatehouse.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [app.callback],
        SupportedIdentityProviders: ['COGNITO', 'Corp', 'Okta'],
      }),
    );
    const authorizeUrl = `${gatehouse.url}/oauth2/authorize?response_type=code&client_id=${client.UserPoolClient!.ClientId}&redirect_uri=${encodeURIComponent(app.callback)}&scope=openid+email`;
    oidcIdp.signInAs({ sub: 'browser-1', claims: { email: 'browser@corp.example.com' } });
    samlIdp.signInAs({ nameId: 'saml-browser', attributes: { email: 'saml-browser@saml.example.com' } });

    await withPage(browser as Browser, async (page) => {
      await page.goto(authorizeUrl);
      await page.screenshot({ path: screenshotPath('federation-sign-in-page'), fullPage: true });
      await page.getByRole('link', { name: 'Continue with Corp' }).click();
      await expectBackInApp(page, app.callback);
    });
    const oidcUser = await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Corp_browser-1' }));
    assert.equal(oidcUser.UserStatus, 'EXTERNAL_PROVIDER');

    await withPage(browser as Browser, async (page) => {
      await page.goto(authorizeUrl);
      await page.getByLabel('Corporate email').fill('someone@saml.example.com');
      await page.getByRole('button', { name: 'Sign in with your corporate ID' }).click();
      await expectBackInApp(page, app.callback);
    });
    const samlUser = await gatehouse.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Okta_saml-browser' }));
    assert.equal(samlUser.UserAttributes!.find((attribute) => attribute.Name === 'email')!.Value, 'saml-browser@saml.example.com');
  });
});
