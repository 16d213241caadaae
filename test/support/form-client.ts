// A script's view of the managed login pages over plain HTTP, as the scripts that log in to Cognito's
// hosted UI work: a cookie jar, redirects followed by hand, forms read out of the HTML and posted back.

export interface PageResponse {
  status: number;
  url: string;
  /** Where a redirect points, resolved against the request URL. */
  location?: string;
  body: string;
}

export class FormClient {
  private readonly cookies = new Map<string, string>();

  /** Requests a URL on the server (never following redirects), sending and keeping cookies. */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<PageResponse> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body: init.form ? new URLSearchParams(init.form) : undefined, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.keep(line);
    const location = response.headers.get('location');
    return { status: response.status, url, body: await response.text(), ...(location && { location: new URL(location, url).toString() }) };
  }

  /** Follows redirects on the server until a page is answered or the redirect leaves for `stopAt`. */
  async follow(url: string, stopAt: string): Promise<PageResponse> {
    let response = await this.request(url);
    for (let hops = 0; response.location && !response.location.startsWith(stopAt) && hops < 10; hops++) response = await this.request(response.location);
    return response;
  }

  /** Fills the page's (first) form and submits it: hidden fields as the page set them, the rest given. */
  async submit(page: PageResponse, fields: Record<string, string>): Promise<PageResponse> {
    const action = /<form[^>]*action="([^"]*)"/.exec(page.body)?.[1];
    if (action === undefined) throw new Error(`no form on the page:\n${page.body}`);
    const hiddenFields: Record<string, string> = {};
    for (const [, name, value] of page.body.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) hiddenFields[unescape(name!)] = unescape(value!);
    return this.request(new URL(unescape(action), page.url).toString(), { form: { ...hiddenFields, ...fields } });
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  private keep(line: string): void {
    const [pair, ...attributes] = line.split(';');
    const equals = pair!.indexOf('=');
    const name = pair!.slice(0, equals).trim();
    const value = pair!.slice(equals + 1).trim();
    const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
    if (expired || value === '') this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!);
