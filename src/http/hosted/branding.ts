import type { AppClient } from '../../domain/clients/app-clients.js';
import { CognitoError } from '../../domain/errors.js';
import type { Services } from '../../domain/services.js';
import type { Decoration } from './templates.js';

type BrandingServices = Pick<Services, 'userPoolDomains' | 'uiCustomizations' | 'managedLoginBrandings'>;

/**
 * The client's look on every managed login page. Cognito shows either the classic hosted UI (UI
 * customization: CSS and a logo) or managed login (a branding style), by the domain's version;
 * Gatehouse serves one set of pages for both, so both apply: the branding style's colours first,
 * then the classic CSS, which, written against the `*-customizable` classes, wins where both speak.
 */
export async function decorationFor(services: BrandingServices, client: AppClient): Promise<Decoration> {
  const [classic, style] = await Promise.all([classicCustomization(services, client), brandingSettings(services, client)]);
  const css = [style === undefined ? '' : brandingCss(style), classic?.CSS ?? ''].filter(Boolean).join('\n');
  return {
    ...(css && { css }),
    // The logo is Gatehouse's own /ui-assets route: as a path it loads from whichever host served
    // the page, which the pages' CSP (img-src 'self') allows, even when that is not the public URL.
    ...(classic?.ImageUrl && { logo: { src: new URL(classic.ImageUrl).pathname, alt: client.name } }),
  };
}

/** The client's UI customization, else the pool's (ALL); Cognito keeps none for a pool without a domain. */
async function classicCustomization(services: BrandingServices, client: AppClient) {
  if (!(await services.userPoolDomains.hasDomain(client.poolId))) return undefined;
  const document = await services.uiCustomizations.get(client.poolId, client.clientId);
  return document && services.uiCustomizations.describe(client.poolId, client.clientId, document);
}

/** The client's branding style's Settings, unless it has none or uses Cognito's defaults. */
async function brandingSettings(services: BrandingServices, client: AppClient): Promise<unknown> {
  try {
    const { body } = await services.managedLoginBrandings.forClient(client.poolId, client.clientId);
    return body.useCognitoProvidedValues ? undefined : body.settings;
  } catch (error) {
    if (error instanceof CognitoError && error.type === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

type Kind = 'color' | 'radius';

/**
 * What the pages take from a branding style's Settings: the light-mode colours and the corner radii
 * of the parts they have (page, form, text, primary button, inputs, labels, links, focus ring, error
 * alert). Not applied: dark and browser-adaptive modes (`colorSchemeMode`), the style's Assets (logos,
 * backgrounds, favicon), the page header and footer, secondary and identity provider buttons, layout
 * (`categories`: form location, spacing density, language selector) and `textContent`.
 */
const SETTINGS_CSS: ReadonlyArray<[path: string, selector: string, property: string, kind: Kind]> = [
  ['components.pageBackground.lightMode.color', 'body', 'background', 'color'],
  ['components.form.lightMode.backgroundColor', 'main', 'background', 'color'],
  ['components.form.borderRadius', 'main', 'border-radius', 'radius'],
  ['components.pageText.lightMode.bodyColor', 'main', 'color', 'color'],
  ['components.pageText.lightMode.headingColor', 'h1', 'color', 'color'],
  ['components.pageText.lightMode.descriptionColor', '.textDescription-customizable', 'color', 'color'],
  ['components.primaryButton.lightMode.defaults.backgroundColor', '.submitButton-customizable', 'background', 'color'],
  ['components.primaryButton.lightMode.defaults.textColor', '.submitButton-customizable', 'color', 'color'],
  ['components.primaryButton.lightMode.hover.backgroundColor', '.submitButton-customizable:hover', 'background', 'color'],
  ['components.primaryButton.lightMode.hover.textColor', '.submitButton-customizable:hover', 'color', 'color'],
  ['componentClasses.buttons.borderRadius', '.submitButton-customizable', 'border-radius', 'radius'],
  ['components.alert.lightMode.error.backgroundColor', '.errorMessage-customizable', 'background', 'color'],
  ['components.alert.lightMode.error.borderColor', '.errorMessage-customizable', 'border-color', 'color'],
  ['componentClasses.input.lightMode.defaults.backgroundColor', '.inputField-customizable', 'background', 'color'],
  ['componentClasses.input.lightMode.defaults.borderColor', '.inputField-customizable', 'border-color', 'color'],
  ['componentClasses.input.borderRadius', '.inputField-customizable', 'border-radius', 'radius'],
  ['componentClasses.inputLabel.lightMode.textColor', '.label-customizable', 'color', 'color'],
  ['componentClasses.link.lightMode.defaults.textColor', '.redirect-customizable, .link-button', 'color', 'color'],
  ['componentClasses.focusState.lightMode.borderColor', '.submitButton-customizable:focus, .inputField-customizable:focus', 'outline-color', 'color'],
];

/** Only values of these shapes reach the stylesheet, so a style's Settings cannot write CSS of their own. */
function cssValue(value: unknown, kind: Kind): string | undefined {
  if (kind === 'radius') return typeof value === 'number' && value >= 0 && value <= 100 ? `${value}px` : undefined;
  // Cognito writes colours as RRGGBBAA hex digits.
  return typeof value === 'string' && /^(?:[0-9a-f]{6}|[0-9a-f]{8})$/i.test(value) ? `#${value}` : undefined;
}

function settingAt(settings: unknown, path: string): unknown {
  let value = settings;
  for (const name of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

export function brandingCss(settings: unknown): string {
  return SETTINGS_CSS.flatMap(([path, selector, property, kind]) => {
    const value = cssValue(settingAt(settings, path), kind);
    return value === undefined ? [] : [`${selector} { ${property}: ${value}; }`];
  }).join('\n');
}
