import { escapeHtml } from '../hosted/templates.js';
import { CONSOLE_PATH } from './console-session.js';

// The console's pages: server-rendered HTML without scripts, in the managed login's look (the same
// type, colours and controls), wider, with a navigation bar. Everything from a request or the
// database passes through escapeHtml.

const CSS = `
body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #16191f; margin: 0; }
header { background: #0f141a; color: #fff; padding: .75rem 1.5rem; display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; }
header a { color: #fff; }
header .brand { font-weight: 700; text-decoration: none; }
header nav { display: flex; gap: 1rem; flex-wrap: wrap; }
header form { margin-left: auto; }
main { max-width: 72rem; margin: 1.5rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.4rem; margin-top: 0; }
h2 { font-size: 1.1rem; margin-top: 2rem; }
a { color: #0972d3; }
table { border-collapse: collapse; width: 100%; margin: .75rem 0; font-size: .95rem; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #e9ebed; vertical-align: top; overflow-wrap: break-word; }
th { color: #5f6b7a; font-weight: 600; }
form.inline { display: inline-block; margin: 0 .5rem .5rem 0; }
.row { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin: .75rem 0; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
div.wide { margin: .75rem 0; }
textarea { width: 100%; box-sizing: border-box; font: inherit; }
input, select, textarea { padding: .5rem; border: 1px solid #8d99a8; border-radius: 4px; font-size: 1rem; }
button { padding: .5rem 1rem; background: #0972d3; color: #fff; border: 0; border-radius: 4px; font-size: 1rem; cursor: pointer; }
button.danger { background: #d91515; }
button.link { background: none; color: #0972d3; padding: 0; text-decoration: underline; }
header button.link { color: #fff; }
button:focus, input:focus, select:focus, textarea:focus, a:focus { outline: 3px solid #0972d3; outline-offset: 1px; }
.error { background: #fff1f0; border: 1px solid #d91515; color: #8a0a0a; padding: .75rem; border-radius: 4px; }
.note { background: #f2fcf3; border: 1px solid #037f0c; color: #024a07; padding: .75rem; border-radius: 4px; }
.muted { color: #5f6b7a; }
fieldset { border: 1px solid #e9ebed; border-radius: 6px; margin: 1rem 0; padding: .5rem 1rem; }
legend { font-weight: 700; padding: 0 .25rem; }
label.check { display: flex; gap: .4rem; align-items: center; font-weight: 400; }
code.secret { background: #f4f5f7; padding: .25rem .4rem; border-radius: 4px; }
.narrow { max-width: 24rem; }
@media (max-width: 40rem) { main { margin: 0; border-radius: 0; padding: 1rem; } table { font-size: .85rem; } }
`;

export const e = escapeHtml;

/** A URL under the console, its path segments encoded. */
export const consoleUrl = (...segments: string[]): string => [CONSOLE_PATH, ...segments.map(encodeURIComponent)].join('/');

export interface ConsolePageOptions {
  title: string;
  /** The signed-in operator's form token; absent on the sign-in page. */
  csrf?: string;
  /** Where the page sits, for the navigation: the pool being looked at. */
  poolId?: string;
  error?: string;
  note?: string;
  /** Development mode: the outbox is linked. */
  development?: boolean;
}

export function consolePage(options: ConsolePageOptions, body: string): string {
  const { title, csrf, poolId, error, note } = options;
  const poolNav = poolId
    ? ['', 'users', 'groups', 'clients', 'activity'].map((part) => `<a href="${e(consoleUrl('pools', poolId, ...(part ? [part] : [])))}">${part ? part[0]!.toUpperCase() + part.slice(1) : e(poolId)}</a>`).join('')
    : '';
  const signOut = csrf ? `<form method="post" action="${CONSOLE_PATH}/sign-out">${csrfField(csrf)}<button class="link" type="submit">Sign out</button></form>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · Gatehouse console</title>
<style>${CSS}</style>
</head>
<body>
<header><a class="brand" href="${CONSOLE_PATH}">Gatehouse</a><nav aria-label="Console"><a href="${CONSOLE_PATH}/pools">Pools</a>${poolNav}${options.development ? `<a href="${CONSOLE_PATH}/messages">Messages</a>` : ''}</nav>${signOut}</header>
<main>
<h1>${e(title)}</h1>
${error ? `<p class="error" role="alert">${e(error)}</p>` : ''}${note ? `<p class="note" role="status">${e(note)}</p>` : ''}
${body}
</main>
</body>
</html>`;
}

export const csrfField = (csrf: string): string => `<input type="hidden" name="_csrf" value="${e(csrf)}">`;

/** A labelled input; `id` ties the label to it for screen readers. */
export function input(label: string, name: string, options: { type?: string; value?: string; required?: boolean; id?: string } = {}): string {
  const id = options.id ?? `in-${name}`;
  return `<div><label for="${e(id)}">${e(label)}</label><input id="${e(id)}" name="${e(name)}" type="${options.type ?? 'text'}"${options.value !== undefined ? ` value="${e(options.value)}"` : ''}${options.required ? ' required' : ''}></div>`;
}

/** A one-button form posting to `action`, with the form token (and any extra fields). */
export function actionForm(action: string, csrf: string, label: string, options: { danger?: boolean; fields?: string } = {}): string {
  return `<form class="inline" method="post" action="${e(action)}">${csrfField(csrf)}${options.fields ?? ''}<button type="submit"${options.danger ? ' class="danger"' : ''}>${e(label)}</button></form>`;
}

/** A table from rows of cells already turned into HTML. */
export function table(headings: string[], rows: string[][], empty = 'Nothing here yet.'): string {
  if (rows.length === 0) return `<p class="muted">${e(empty)}</p>`;
  return `<table><thead><tr>${headings.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export const date = (ms: number): string => `<time datetime="${new Date(ms).toISOString()}">${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)}</time>`;
