import { createHash } from 'node:crypto';
import bundled from './common-breached-passwords.json' with { type: 'json' };

/** Where breached passwords are looked up. */
export interface BreachedPasswords {
  isBreached(password: string): Promise<boolean>;
}

const sha1 = (text: string) => createHash('sha1').update(text, 'utf8').digest('hex').toUpperCase();

/**
 * The list shipped with Gatehouse: the most common passwords of public breach corpora. Its entries
 * are lower case, so a password matches as written or in lower case ("Dragon" as "dragon").
 */
export class BundledBreachedPasswords implements BreachedPasswords {
  private readonly hashes = new Set(bundled.sha1);

  async isBreached(password: string): Promise<boolean> {
    return this.hashes.has(sha1(password)) || this.hashes.has(sha1(password.toLowerCase()));
  }
}

/**
 * The Pwned Passwords k-anonymity protocol: only the first five hex digits of the password's SHA-1
 * leave the server (`GET <url>/range/ABCDE`), and the answer's `SUFFIX:COUNT` lines are searched
 * here. A source that cannot be reached counts the password as not breached, so an outage of it
 * never stops sign-in; the failure is reported to `onError`.
 */
export class RangeApiBreachedPasswords implements BreachedPasswords {
  constructor(
    private readonly url: string,
    private readonly onError: (error: Error) => void = () => undefined,
    private readonly timeoutMs = 3000,
  ) {}

  async isBreached(password: string): Promise<boolean> {
    const hash = sha1(password);
    try {
      const response = await fetch(`${this.url.replace(/\/$/, '')}/range/${hash.slice(0, 5)}`, { signal: AbortSignal.timeout(this.timeoutMs), headers: { 'Add-Padding': 'true' } });
      if (!response.ok) throw new Error(`breached-password range API answered ${response.status}`);
      const suffix = hash.slice(5);
      return (await response.text()).split(/\r?\n/).some((line) => {
        const [lineSuffix, count] = line.trim().split(':');
        return lineSuffix?.toUpperCase() === suffix && Number(count) > 0;
      });
    } catch (error) {
      this.onError(error as Error);
      return false;
    }
  }
}
