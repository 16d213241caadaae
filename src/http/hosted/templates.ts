// The managed login pages as HTML: server-rendered, working without JavaScript, one form each
// (passkeys aside: WebAuthn is a browser API, so those forms run Gatehouse's one script).
import { PASSKEY_SCRIPT_PATH } from './passkey-script.js';
//
// Elements carry the classic hosted UI's `*-customizable` class names, and the defaults below style
// them through those classes only (never with more specific selectors), so that an operator's UI
// customization CSS, written for Cognito's pages and laid after the defaults, overrides them.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Everything a page shows that came from a request or a user passes through here. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

const BASE_CSS = `
body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #16191f; margin: 0; }
main { max-width: 24rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
.banner-customizable { margin: -2rem -2rem 1.5rem; padding: 1.25rem 2rem; border-radius: 8px 8px 0 0; text-align: center; }
.logo-customizable { max-width: 100%; max-height: 6rem; }
h1 { font-size: 1.4rem; margin-top: 0; }
.label-customizable { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
.inputField-customizable { width: 100%; box-sizing: border-box; padding: .55rem; border: 1px solid #8d99a8; border-radius: 4px; font-size: 1rem; }
.submitButton-customizable { margin-top: 1.5rem; width: 100%; padding: .65rem; background: #0972d3; color: #fff; border: 0; border-radius: 4px; font-size: 1rem; cursor: pointer; }
.submitButton-customizable:focus, .inputField-customizable:focus { outline: 3px solid #0972d3; outline-offset: 1px; }
.errorMessage-customizable { background: #fff1f0; border: 1px solid #d91515; color: #8a0a0a; padding: .75rem; border-radius: 4px; }
.note { background: #f2fcf3; border: 1px solid #037f0c; color: #024a07; padding: .75rem; border-radius: 4px; }
.textDescription-customizable { color: #5f6b7a; font-size: .9rem; }
.redirect-customizable, .link-button { color: #0972d3; }
.links { margin-top: 1.25rem; text-align: center; font-size: .95rem; }
.links p { margin: .4rem 0; }
.links form { display: inline; }
.link-button { background: none; border: 0; padding: 0; font: inherit; text-decoration: underline; cursor: pointer; }
.idp-button { display: block; margin: .6rem 0; padding: .6rem; border: 1px solid #0972d3; border-radius: 4px; text-align: center; text-decoration: none; font-weight: 600; color: #0972d3; }
.idp-button:focus { outline: 3px solid #0972d3; outline-offset: 1px; }
.separator { display: flex; align-items: center; gap: .75rem; color: #5f6b7a; margin: 1.25rem 0 0; }
.separator::before, .separator::after { content: ""; flex: 1; border-top: 1px solid #d1d5db; }
.passkey-button { display: block; margin: 1rem auto 0; }
.check { display: flex; gap: .5rem; align-items: flex-start; margin-top: 1.25rem; font-weight: 400; }
.check input { margin-top: .2rem; }
fieldset { border: 0; padding: 0; margin: 1rem 0 0; }
.qr svg { width: 12rem; height: 12rem; display: block; margin: 1rem auto; }
`;

/** The client's look: stylesheet text laid over the defaults, and a logo above the page. */
export interface Decoration {
  /** Operator CSS (UI customization, managed login branding), trusted but kept inside its <style>. */
  css?: string;
  logo?: { src: string; alt: string };
}

export interface PageOptions extends Decoration {
  title: string;
}

/**
 * `</` cannot appear in the style element's text, so stored CSS cannot close it and start markup;
 * `<\/` means the same inside a CSS string, and is no valid CSS anywhere else.
 */
const styleText = (css: string): string => css.replaceAll('</', '<\\/');

export function page({ title, css, logo }: PageOptions, body: string): string {
  const banner = logo ? `<div class="banner-customizable"><img class="logo-customizable" src="${escapeHtml(logo.src)}" alt="${escapeHtml(logo.alt)}"></div>\n` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${BASE_CSS}${css ? `\n${styleText(css)}` : ''}</style>
</head>
<body>
<main class="background-customizable">
${banner}<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** An input with its label; `name` is the form field Cognito's own pages use. */
export function field(label: string, name: string, type = 'text', extra = ''): string {
  const id = `field-${name.replace(/[^\w-]/g, '-')}`;
  return `<label class="label-customizable" for="${id}">${escapeHtml(label)}</label>\n<input class="inputField-customizable" id="${id}" name="${escapeHtml(name)}" type="${type}" ${extra}>`;
}

/** A field's `value` attribute, for a form shown again with what the user typed. */
export const valueOf = (value: string | undefined): string => (value ? `value="${escapeHtml(value)}"` : '');

export const hidden = (name: string, value: string): string => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

export const errorBox = (message: string | undefined): string => (message ? `<p class="error errorMessage-customizable" role="alert">${escapeHtml(message)}</p>` : '');

/** A success note (an account confirmed, a password reset): a status, not an alert. */
export const noteBox = (message: string | undefined): string => (message ? `<p class="note" role="status">${escapeHtml(message)}</p>` : '');

export const hint = (text: string): string => `<p class="hint textDescription-customizable">${escapeHtml(text)}</p>`;

/** A link; an `external` one (terms, outside Gatehouse) opens apart, so the form keeps what was typed. */
export const link = (href: string, text: string, external = false): string =>
  `<a class="redirect-customizable" href="${escapeHtml(href)}"${external ? ' target="_blank" rel="noopener noreferrer"' : ''}>${escapeHtml(text)}</a>`;

/** A link that looks like a button: the sign-in page's way to an identity provider. */
export const buttonLink = (href: string, text: string): string => `<a class="idp-button" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;

/** Links under a form, one a line, each with the text before it (e.g. "Need an account?" [Sign up]). */
export const links = (items: Array<{ before?: string; href: string; text: string }>): string =>
  items.length === 0 ? '' : `<div class="links">\n${items.map(({ before, href, text }) => `<p>${before ? `${escapeHtml(before)} ` : ''}${link(href, text)}</p>`).join('\n')}\n</div>`;

/** A required checkbox; `label` is HTML (it may hold links), already escaped by the caller. */
export const checkbox = (name: string, labelHtml: string): string =>
  `<label class="check label-customizable"><input type="checkbox" name="${escapeHtml(name)}" value="true" required> <span>${labelHtml}</span></label>`;

/**
 * A form posting to `action` with the CSRF token. The default submit is the page's main button; a
 * `link` submit is a secondary action that looks like a link (Resend code), still a POST.
 */
export function form(action: string, csrf: string, content: string, submit: { label: string; name?: string; look?: 'link' }, attributes = ''): string {
  const name = submit.name ? ` name="${escapeHtml(submit.name)}" value="${escapeHtml(submit.label)}"` : '';
  const look = submit.look === 'link' ? 'link-button' : 'submitButton-customizable';
  return `<form method="post" action="${escapeHtml(action)}" novalidate${attributes ? ` ${attributes}` : ''}>
${hidden('_csrf', csrf)}
${content}
<button class="${look}" type="submit"${name}>${escapeHtml(submit.label)}</button>
</form>`;
}

/**
 * A form the browser's authenticator answers before it posts (passkey-script.ts): `get` signs in with
 * a passkey, `create` makes one; `options` are the WebAuthn options Gatehouse issued.
 */
export function passkeyForm(action: string, csrf: string, kind: 'get' | 'create', options: unknown, content: string, label: string): string {
  const answer = `${content}
${hidden('credential', '')}
<p class="errorMessage-customizable" data-passkey-error hidden></p>
<script src="${PASSKEY_SCRIPT_PATH}" defer></script>`;
  return form(action, csrf, answer, { label }, `data-passkey="${kind}" data-options="${escapeHtml(JSON.stringify(options))}"`);
}

/** Cognito's page for a request it will not redirect anywhere. */
export const errorPage = (decoration: Decoration = {}): string =>
  page({ title: 'An error was encountered with the requested page.', ...decoration }, '<p>Check the link you followed: the app client or its redirect URI is not one this user pool knows.</p>');
