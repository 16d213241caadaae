// The managed login pages as HTML: server-rendered, working without JavaScript, one form each.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Everything a page shows that came from a request or a user passes through here. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

const BASE_CSS = `
body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #16191f; margin: 0; }
main { max-width: 24rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.4rem; margin-top: 0; }
label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
input[type=text], input[type=password], input[type=email], input[type=tel] { width: 100%; box-sizing: border-box; padding: .55rem; border: 1px solid #8d99a8; border-radius: 4px; font-size: 1rem; }
button { margin-top: 1.5rem; width: 100%; padding: .65rem; background: #0972d3; color: #fff; border: 0; border-radius: 4px; font-size: 1rem; cursor: pointer; }
button:focus, input:focus { outline: 3px solid #0972d3; outline-offset: 1px; }
.error { background: #fff1f0; border: 1px solid #d91515; color: #8a0a0a; padding: .75rem; border-radius: 4px; }
.hint { color: #5f6b7a; font-size: .9rem; }
fieldset { border: 0; padding: 0; margin: 1rem 0 0; }
.qr svg { width: 12rem; height: 12rem; display: block; margin: 1rem auto; }
`;

export interface PageOptions {
  title: string;
  /** Operator CSS from the pool's UI customization, laid over the defaults. */
  css?: string;
}

export function page({ title, css }: PageOptions, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${BASE_CSS}${css ? `\n${css.replaceAll('</', '<\\/')}` : ''}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

/** An input with its label; `name` is the form field Cognito's own pages use. */
export function field(label: string, name: string, type = 'text', extra = ''): string {
  const id = `field-${name.replace(/[^\w-]/g, '-')}`;
  return `<label for="${id}">${escapeHtml(label)}</label>\n<input id="${id}" name="${escapeHtml(name)}" type="${type}" ${extra}>`;
}

export const hidden = (name: string, value: string): string => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

export const errorBox = (message: string | undefined): string => (message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '');

export function form(action: string, csrf: string, content: string, submit: { label: string; name?: string }): string {
  const name = submit.name ? ` name="${escapeHtml(submit.name)}" value="${escapeHtml(submit.label)}"` : '';
  return `<form method="post" action="${escapeHtml(action)}" novalidate>
${hidden('_csrf', csrf)}
${content}
<button type="submit"${name}>${escapeHtml(submit.label)}</button>
</form>`;
}

/** Cognito's page for a request it will not redirect anywhere. */
export const errorPage = (css?: string): string =>
  page({ title: 'An error was encountered with the requested page.', css }, '<p>Check the link you followed: the app client or its redirect URI is not one this user pool knows.</p>');
