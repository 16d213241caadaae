// Issue 18, managed login configuration: user pool domains (prefix and custom), the classic hosted UI's
// customization (CSS and a logo Gatehouse serves), managed login branding styles and terms documents,
// through the AWS SDK with Cognito's response shapes and refusals.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateManagedLoginBrandingCommand,
  CreateTermsCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteTermsCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  DescribeTermsByClientCommand,
  DescribeTermsCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetUICustomizationCommand,
  ListTermsCommand,
  SetUICustomizationCommand,
  UpdateManagedLoginBrandingCommand,
  UpdateTermsCommand,
  UpdateUserPoolDomainCommand,
  type CreateUserPoolCommandInput,
  type TermsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { errorOf } from './support/errors.js';
import { backends, startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

/** The response body, without the SDK's $metadata. */
const bodyOf = <T extends { $metadata: unknown }>({ $metadata, ...body }: T): Omit<T, '$metadata'> => body;

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ACCOUNT = '000000000000';
const CERTIFICATE = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`;

/** Cognito's version strings: the write's time as UTC digits. */
const stampOf = (ms: number) => new Date(ms).toISOString().replace(/\D/g, '').slice(0, 14);

for (const backend of backends()) {
  describe(`managed login configuration (${backend})`, () => {
    let gatehouse: TestGatehouse;
    let counter = 0;

    before(async () => {
      gatehouse = await startTestGatehouse(backend);
    });
    after(() => gatehouse.stop());

    const send: TestGatehouse['cognito']['send'] = (command: any) => gatehouse.cognito.send(command);
    const newPool = async (extra: Partial<CreateUserPoolCommandInput> = {}) =>
      (await send(new CreateUserPoolCommand({ PoolName: `managed-login-${++counter}`, ...extra }))).UserPool!.Id!;
    const newClient = async (UserPoolId: string) => (await send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: `client-${++counter}` }))).UserPoolClient!.ClientId!;
    const now = () => new Date(gatehouse.clock.now());
    const tick = () => gatehouse.clock.advance(5_000);

    test('prefix domain: created, described, reported by DescribeUserPool, taken across pools, one per pool', async () => {
      const pool = await newPool();
      const created = await send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'my-app' }));
      assert.deepEqual(bodyOf(created), { ManagedLoginVersion: 1 });
      const described = await send(new DescribeUserPoolDomainCommand({ Domain: 'my-app' }));
      assert.deepEqual(bodyOf(described), {
        DomainDescription: {
          UserPoolId: pool,
          AWSAccountId: ACCOUNT,
          Domain: 'my-app',
          CloudFrontDistribution: 'my-app.auth.us-east-1.amazoncognito.com',
          Version: stampOf(gatehouse.clock.now()),
          Status: 'ACTIVE',
          ManagedLoginVersion: 1,
        },
      });
      assert.equal((await send(new DescribeUserPoolCommand({ UserPoolId: pool }))).UserPool!.Domain, 'my-app');

      const taken = await errorOf(send(new CreateUserPoolDomainCommand({ UserPoolId: await newPool(), Domain: 'my-app' })));
      assert.deepEqual([taken.name, taken.message], ['InvalidParameterException', 'Domain already associated with another user pool.']);
      const second = await errorOf(send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'my-other-app' })));
      assert.deepEqual([second.name, second.message], ['InvalidParameterException', 'User pool already has a domain configured.']);
      const reserved = await errorOf(send(new CreateUserPoolDomainCommand({ UserPoolId: await newPool(), Domain: 'my-aws-login' })));
      assert.equal(reserved.name, 'InvalidParameterException');
      const unknownPool = await errorOf(send(new CreateUserPoolDomainCommand({ UserPoolId: 'us-east-1_nothere00', Domain: 'free-name' })));
      assert.equal(unknownPool.name, 'ResourceNotFoundException');
    });

    test('custom domain beside the prefix one: its certificate, CloudFrontDomain, one per pool; DescribeUserPool shows both', async () => {
      const pool = await newPool();
      await send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'both-kinds' }));
      // The model's DomainType admits no dots, so the custom domain here is a single-label host name.
      const created = await send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'auth.example.com', ManagedLoginVersion: 2, CustomDomainConfig: { CertificateArn: CERTIFICATE } }));
      assert.deepEqual(bodyOf(created), { ManagedLoginVersion: 2, CloudFrontDomain: 'auth.example.com' });
      const described = await send(new DescribeUserPoolDomainCommand({ Domain: 'auth.example.com' }));
      assert.deepEqual(described.DomainDescription, {
        UserPoolId: pool,
        AWSAccountId: ACCOUNT,
        Domain: 'auth.example.com',
        CloudFrontDistribution: 'auth.example.com',
        Version: stampOf(gatehouse.clock.now()),
        Status: 'ACTIVE',
        CustomDomainConfig: { CertificateArn: CERTIFICATE },
        ManagedLoginVersion: 2,
      });
      const userPool = (await send(new DescribeUserPoolCommand({ UserPoolId: pool }))).UserPool!;
      assert.deepEqual([userPool.Domain, userPool.CustomDomain], ['both-kinds', 'auth.example.com']);
      const second = await errorOf(send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'login-other', CustomDomainConfig: { CertificateArn: CERTIFICATE } })));
      assert.deepEqual([second.name, second.message], ['InvalidParameterException', 'User pool already has a domain configured.']);
    });

    test('UpdateUserPoolDomain: managed login version and certificate; refusals for other pools, prefix certificates, bad versions, the Lite plan', async () => {
      const pool = await newPool();
      await send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'to-update' }));
      await send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'custom-to-update', CustomDomainConfig: { CertificateArn: CERTIFICATE } }));
      tick();
      assert.deepEqual(bodyOf(await send(new UpdateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'to-update', ManagedLoginVersion: 2 }))), { ManagedLoginVersion: 2 });
      const prefix = (await send(new DescribeUserPoolDomainCommand({ Domain: 'to-update' }))).DomainDescription!;
      assert.deepEqual([prefix.ManagedLoginVersion, prefix.Version], [2, stampOf(gatehouse.clock.now())]);

      const renewed = CERTIFICATE.replace('5555', '6666');
      const updated = await send(new UpdateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'custom-to-update', CustomDomainConfig: { CertificateArn: renewed } }));
      assert.deepEqual(bodyOf(updated), { ManagedLoginVersion: 1, CloudFrontDomain: 'custom-to-update' });
      assert.deepEqual((await send(new DescribeUserPoolDomainCommand({ Domain: 'custom-to-update' }))).DomainDescription!.CustomDomainConfig, { CertificateArn: renewed });

      const certificateOnPrefix = await errorOf(send(new UpdateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'to-update', CustomDomainConfig: { CertificateArn: renewed } })));
      assert.equal(certificateOnPrefix.name, 'InvalidParameterException');
      assert.equal((await errorOf(send(new UpdateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'to-update', ManagedLoginVersion: 3 })))).name, 'InvalidParameterException');
      const otherPool = await errorOf(send(new UpdateUserPoolDomainCommand({ UserPoolId: await newPool(), Domain: 'to-update', ManagedLoginVersion: 1 })));
      assert.deepEqual([otherPool.name, otherPool.message], ['InvalidParameterException', 'No such domain or user pool exists.']);

      const lite = await newPool({ UserPoolTier: 'LITE' });
      assert.equal((await errorOf(send(new CreateUserPoolDomainCommand({ UserPoolId: lite, Domain: 'lite-pool', ManagedLoginVersion: 2 })))).name, 'FeatureUnavailableInTierException');
      await send(new CreateUserPoolDomainCommand({ UserPoolId: lite, Domain: 'lite-pool' }));
      assert.equal((await errorOf(send(new UpdateUserPoolDomainCommand({ UserPoolId: lite, Domain: 'lite-pool', ManagedLoginVersion: 2 })))).name, 'FeatureUnavailableInTierException');
    });

    test('an unknown domain is an empty description; a deleted domain is gone and its name free again', async () => {
      assert.deepEqual(bodyOf(await send(new DescribeUserPoolDomainCommand({ Domain: 'never-created' }))), { DomainDescription: {} });
      const pool = await newPool();
      await send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'short-lived' }));
      const guarded = await errorOf(send(new DeleteUserPoolCommand({ UserPoolId: pool })));
      assert.deepEqual([guarded.name, guarded.message], ['InvalidParameterException', 'User pool cannot be deleted. It has a domain configured that should be deleted first.']);
      const wrongPool = await errorOf(send(new DeleteUserPoolDomainCommand({ UserPoolId: await newPool(), Domain: 'short-lived' })));
      assert.deepEqual([wrongPool.name, wrongPool.message], ['InvalidParameterException', 'No such domain or user pool exists.']);
      assert.deepEqual(bodyOf(await send(new DeleteUserPoolDomainCommand({ UserPoolId: pool, Domain: 'short-lived' }))), {});
      assert.deepEqual((await send(new DescribeUserPoolDomainCommand({ Domain: 'short-lived' }))).DomainDescription, {});
      assert.equal((await send(new DescribeUserPoolCommand({ UserPoolId: pool }))).UserPool!.Domain, undefined);
      assert.equal((await errorOf(send(new DeleteUserPoolDomainCommand({ UserPoolId: pool, Domain: 'short-lived' })))).name, 'InvalidParameterException');
      await send(new CreateUserPoolDomainCommand({ UserPoolId: await newPool(), Domain: 'short-lived' }));
      await send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    });

    test('UI customization: needs a domain; the pool default (ALL) and a client own one; clients fall back to ALL; the logo is served', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      const other = await newClient(pool);
      const noDomain = await errorOf(send(new SetUICustomizationCommand({ UserPoolId: pool, CSS: '.banner-customizable { color: red; }' })));
      assert.deepEqual([noDomain.name, noDomain.message], ['InvalidParameterException', 'There has to be an existing domain associated with this user pool']);
      await send(new CreateUserPoolDomainCommand({ UserPoolId: pool, Domain: 'customized' }));
      assert.deepEqual((await send(new GetUICustomizationCommand({ UserPoolId: pool }))).UICustomization, { UserPoolId: pool, ClientId: 'ALL' });

      const css = '.banner-customizable { background-color: #123456; }';
      const set = (await send(new SetUICustomizationCommand({ UserPoolId: pool, CSS: css, ImageFile: PNG }))).UICustomization!;
      const version = stampOf(gatehouse.clock.now());
      assert.deepEqual(set, {
        UserPoolId: pool,
        ClientId: 'ALL',
        ImageUrl: `${gatehouse.url}/ui-assets/${pool}/ALL/${version}/logo`,
        CSS: css,
        CSSVersion: version,
        LastModifiedDate: now(),
        CreationDate: now(),
      });
      assert.deepEqual((await send(new GetUICustomizationCommand({ UserPoolId: pool, ClientId: client }))).UICustomization, set);

      const logo = await fetch(set.ImageUrl!);
      assert.equal(logo.status, 200);
      assert.equal(logo.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await logo.arrayBuffer()), PNG);
      assert.equal((await fetch(`${gatehouse.url}/ui-assets/${pool}/${client}/${version}/logo`)).status, 404);

      tick();
      const own = (await send(new SetUICustomizationCommand({ UserPoolId: pool, ClientId: client, CSS: '.label-customizable { font-weight: 400; }' }))).UICustomization!;
      assert.deepEqual(own, {
        UserPoolId: pool,
        ClientId: client,
        CSS: '.label-customizable { font-weight: 400; }',
        CSSVersion: stampOf(gatehouse.clock.now()),
        LastModifiedDate: now(),
        CreationDate: now(),
      });
      assert.deepEqual((await send(new GetUICustomizationCommand({ UserPoolId: pool, ClientId: client }))).UICustomization, own);
      assert.deepEqual((await send(new GetUICustomizationCommand({ UserPoolId: pool, ClientId: other }))).UICustomization, set);

      const notAnImage = await errorOf(send(new SetUICustomizationCommand({ UserPoolId: pool, ImageFile: Buffer.from('GIF89a not really') })));
      assert.equal(notAnImage.name, 'InvalidParameterException');
      assert.equal((await errorOf(send(new GetUICustomizationCommand({ UserPoolId: pool, ClientId: 'unknownclient' })))).name, 'ResourceNotFoundException');
    });

    test('managed login branding: created for a client, described by id and by client, merged on update, reset, deleted; one per client', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      const settings = { categories: { global: { colorSchemeMode: 'LIGHT', spacingDensity: 'REGULAR' } }, components: { primaryButton: { lightMode: { defaults: { backgroundColor: '0972d3ff' } } } } };
      const light = { Category: 'PAGE_HEADER_LOGO' as const, ColorMode: 'LIGHT' as const, Extension: 'PNG' as const, Bytes: new Uint8Array(PNG) };
      const created = (await send(new CreateManagedLoginBrandingCommand({ UserPoolId: pool, ClientId: client, Settings: settings, Assets: [light] }))).ManagedLoginBranding!;
      assert.match(created.ManagedLoginBrandingId!, UUID_V4);
      assert.deepEqual(created, {
        ManagedLoginBrandingId: created.ManagedLoginBrandingId,
        UserPoolId: pool,
        UseCognitoProvidedValues: false,
        Settings: settings,
        Assets: [light],
        CreationDate: now(),
        LastModifiedDate: now(),
      });
      const id = created.ManagedLoginBrandingId!;
      assert.deepEqual((await send(new DescribeManagedLoginBrandingCommand({ UserPoolId: pool, ManagedLoginBrandingId: id }))).ManagedLoginBranding, created);
      assert.deepEqual((await send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: pool, ClientId: client, ReturnMergedResources: true }))).ManagedLoginBranding, created);

      const again = await errorOf(send(new CreateManagedLoginBrandingCommand({ UserPoolId: pool, ClientId: client, UseCognitoProvidedValues: true })));
      assert.equal(again.name, 'ManagedLoginBrandingExistsException');

      tick();
      const dark = { ...light, ColorMode: 'DARK' as const };
      const updated = (
        await send(new UpdateManagedLoginBrandingCommand({ UserPoolId: pool, ManagedLoginBrandingId: id, Settings: { categories: { global: { colorSchemeMode: 'DARK' } } }, Assets: [dark] }))
      ).ManagedLoginBranding!;
      assert.deepEqual(updated, {
        ...created,
        Settings: { ...settings, categories: { global: { colorSchemeMode: 'DARK', spacingDensity: 'REGULAR' } } },
        Assets: [light, dark],
        LastModifiedDate: now(),
      });

      const both = await errorOf(send(new UpdateManagedLoginBrandingCommand({ UserPoolId: pool, ManagedLoginBrandingId: id, UseCognitoProvidedValues: true, Settings: {} })));
      assert.equal(both.name, 'InvalidParameterException');
      const reset = (await send(new UpdateManagedLoginBrandingCommand({ UserPoolId: pool, ManagedLoginBrandingId: id, UseCognitoProvidedValues: true }))).ManagedLoginBranding!;
      assert.deepEqual(reset, { ManagedLoginBrandingId: id, UserPoolId: pool, UseCognitoProvidedValues: true, Assets: [], CreationDate: created.CreationDate, LastModifiedDate: now() });

      assert.deepEqual(bodyOf(await send(new DeleteManagedLoginBrandingCommand({ UserPoolId: pool, ManagedLoginBrandingId: id }))), {});
      assert.equal((await errorOf(send(new DescribeManagedLoginBrandingCommand({ UserPoolId: pool, ManagedLoginBrandingId: id })))).name, 'ResourceNotFoundException');
      assert.equal((await errorOf(send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: pool, ClientId: client })))).name, 'ResourceNotFoundException');
      assert.equal((await errorOf(send(new DeleteManagedLoginBrandingCommand({ UserPoolId: pool, ManagedLoginBrandingId: id })))).name, 'ResourceNotFoundException');
      assert.equal((await errorOf(send(new CreateManagedLoginBrandingCommand({ UserPoolId: pool, ClientId: 'unknownclient' })))).name, 'ResourceNotFoundException');
    });

    test('branding styles created at once for one client: exactly one is kept', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => send(new CreateManagedLoginBrandingCommand({ UserPoolId: pool, ClientId: client, UseCognitoProvidedValues: true }))));
      const kept = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.ManagedLoginBranding!] : []));
      assert.equal(kept.length, 1);
      for (const result of results) if (result.status === 'rejected') assert.equal((result.reason as Error).name, 'ManagedLoginBrandingExistsException');
      assert.deepEqual((await send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: pool, ClientId: client }))).ManagedLoginBranding, kept[0]);
    });

    test('terms: created per client and name, described, listed in pages, updated, deleted; duplicates refused', async () => {
      const pool = await newPool();
      const client = await newClient(pool);
      const other = await newClient(pool);
      const create = (ClientId: string, TermsName: string) =>
        send(new CreateTermsCommand({ UserPoolId: pool, ClientId, TermsName, TermsSource: 'LINK', Enforcement: 'NONE', Links: { 'cognito:default': `https://example.com/${TermsName}` } }));
      const terms = (await create(client, 'terms-of-use')).Terms!;
      assert.match(terms.TermsId!, UUID_V4);
      assert.deepEqual(terms, {
        TermsId: terms.TermsId,
        UserPoolId: pool,
        ClientId: client,
        TermsName: 'terms-of-use',
        TermsSource: 'LINK',
        Enforcement: 'NONE',
        Links: { 'cognito:default': 'https://example.com/terms-of-use' },
        CreationDate: now(),
        LastModifiedDate: now(),
      });
      const duplicate = await errorOf(create(client, 'terms-of-use'));
      assert.equal(duplicate.name, 'TermsExistsException');
      const privacy = (await create(client, 'privacy-policy')).Terms!;
      const others = (await create(other, 'terms-of-use')).Terms!;

      assert.deepEqual((await send(new DescribeTermsCommand({ UserPoolId: pool, TermsId: terms.TermsId }))).Terms, terms);
      assert.deepEqual((await send(new DescribeTermsByClientCommand({ UserPoolId: pool, ClientId: other, TermsName: 'terms-of-use' }))).Terms, others);
      assert.equal((await errorOf(send(new DescribeTermsByClientCommand({ UserPoolId: pool, ClientId: other, TermsName: 'privacy-policy' })))).name, 'ResourceNotFoundException');

      const first = await send(new ListTermsCommand({ UserPoolId: pool, MaxResults: 2 }));
      const rest = await send(new ListTermsCommand({ UserPoolId: pool, MaxResults: 2, NextToken: first.NextToken }));
      assert.equal(rest.NextToken, undefined);
      const summary = ({ TermsId, TermsName, Enforcement, CreationDate, LastModifiedDate }: TermsType) => ({ TermsId, TermsName, Enforcement, CreationDate, LastModifiedDate });
      const listed = [...first.Terms!, ...rest.Terms!];
      assert.deepEqual(
        listed,
        [terms, privacy, others].map(summary).sort((a, b) => (a.TermsId! < b.TermsId! ? -1 : 1)),
      );

      tick();
      const links = { 'cognito:default': 'https://example.com/v2/terms', 'cognito:french': 'https://example.com/fr/conditions' };
      const updated = (await send(new UpdateTermsCommand({ UserPoolId: pool, TermsId: terms.TermsId, Links: links }))).Terms!;
      assert.deepEqual(updated, { ...terms, Links: links, LastModifiedDate: now() });
      const rename = await errorOf(send(new UpdateTermsCommand({ UserPoolId: pool, TermsId: privacy.TermsId, TermsName: 'terms-of-use' })));
      assert.equal(rename.name, 'TermsExistsException');

      assert.deepEqual(bodyOf(await send(new DeleteTermsCommand({ UserPoolId: pool, TermsId: terms.TermsId }))), {});
      assert.equal((await errorOf(send(new DescribeTermsCommand({ UserPoolId: pool, TermsId: terms.TermsId })))).name, 'ResourceNotFoundException');
      assert.equal((await errorOf(send(new DeleteTermsCommand({ UserPoolId: pool, TermsId: terms.TermsId })))).name, 'ResourceNotFoundException');
      await create(client, 'terms-of-use');

      const withoutLinks = await errorOf(send(new CreateTermsCommand({ UserPoolId: pool, ClientId: other, TermsName: 'privacy-policy', TermsSource: 'LINK', Enforcement: 'NONE' })));
      assert.equal(withoutLinks.name, 'InvalidParameterException');
      assert.equal((await errorOf(create('unknownclient', 'privacy-policy'))).name, 'ResourceNotFoundException');
    });
  });
}
