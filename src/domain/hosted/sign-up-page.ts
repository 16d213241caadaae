import type { AppClient } from '../clients/app-clients.js';
import type { Terms } from '../managed-login/terms.js';
import type { PoolSettings } from '../pools/pool-settings.js';

/** What the sign-up page asks for, read from the pool's settings. */
export interface SignUpFields {
  /** The sign-in name: a free username, or the email address and/or phone number the pool signs in with. */
  signInName: 'username' | 'email' | 'phone_number' | 'email_or_phone';
  /**
   * The attributes the user types besides the sign-in name, in schema order: the required ones, and
   * the auto-verified ones, without which the confirmation code would have nowhere to go.
   */
  attributes: Array<{ name: string; required: boolean }>;
}

export function signUpFields(settings: PoolSettings): SignUpFields {
  const usernameAttributes: string[] = settings.UsernameAttributes ?? [];
  const signInName = usernameAttributes.length === 2 ? 'email_or_phone' : ((usernameAttributes[0] as 'email' | 'phone_number' | undefined) ?? 'username');
  const verified: string[] = settings.AutoVerifiedAttributes ?? [];
  const attributes = (settings.SchemaAttributes ?? [])
    .map(({ Name, Required }) => ({ name: Name!, required: Required === true }))
    // The sign-in name supplies its own attribute (SignUp copies it), so it is not asked for twice.
    .filter(({ name, required }) => (required || verified.includes(name)) && name !== 'sub' && !usernameAttributes.includes(name));
  return { signInName, attributes };
}

/** Whether the pool lets users sign themselves up (SignUp refuses otherwise). */
export const selfSignUpAllowed = (settings: PoolSettings): boolean => settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true;

/** One terms document as the sign-up page links it. */
export interface TermsLink {
  name: string;
  url: string;
}

/** Managed login's `lang` values and the terms link language each reads. */
const LANGUAGES: Record<string, string> = {
  en: 'english',
  fr: 'french',
  es: 'spanish',
  de: 'german',
  it: 'italian',
  nl: 'dutch',
  id: 'bahasa-indonesia',
  ja: 'japanese',
  ko: 'korean',
  'pt-BR': 'portuguese-brazil',
  'zh-CN': 'chinese-simplified',
  'zh-TW': 'chinese-traditional',
};

/** Enough for any client: the model lets a pool list 60 terms documents a page. */
const PAGE = 60;

/**
 * The client's terms documents, each with its link for the page's language (`lang`, English when
 * absent): that language's link, else `cognito:default`, else the first. Terms of use come before
 * privacy policies, as the sentence "I agree to the terms of use and privacy policy" reads. Only
 * http(s) links are shown: a page must not carry a `javascript:` link someone stored.
 */
export async function termsLinks(terms: Terms, client: AppClient, lang: string | undefined): Promise<TermsLink[]> {
  const language = `cognito:${LANGUAGES[lang ?? 'en'] ?? 'english'}`;
  const links: TermsLink[] = [];
  let after: string | undefined;
  do {
    const page = await terms.list(client.poolId, PAGE, after);
    for (const { body } of page.items) {
      if (body.clientId !== client.clientId) continue;
      const url = body.Links[language] ?? body.Links['cognito:default'] ?? Object.values(body.Links)[0];
      if (url && /^https?:\/\//i.test(url)) links.push({ name: body.TermsName, url });
    }
    after = page.nextKey;
  } while (after !== undefined);
  const rank = (link: TermsLink) => (link.name.startsWith('terms-of-use') ? 0 : 1);
  return links.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
