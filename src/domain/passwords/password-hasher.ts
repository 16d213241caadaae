import { Algorithm, hash, parseOptions, verify, Version } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';

import { DEFAULT_ARGON2, type Argon2Options } from '../../config.js';
import { hashSchemeOf, verifyForeignHash } from './foreign-hashes.js';

/**
 * argon2id password hashes as PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). The native
 * library hashes and verifies on libuv's thread pool, so the event loop keeps serving requests.
 *
 * At most `slots` hashes run at once (by default one per core): libuv's four threads would
 * otherwise run more than the cores hold, and each of them, memory-hard as argon2 is, then costs
 * about a fifth more CPU for the cache it loses. The rest wait their turn in order.
 */
export class PasswordHasher {
  private readonly options: Readonly<Argon2Options>;
  private dummyHash: Promise<string> | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    options: Argon2Options = DEFAULT_ARGON2,
    private readonly slots = availableParallelism(),
  ) {
    this.options = { ...options };
  }

  hash(password: string): Promise<string> {
    const options = { algorithm: Algorithm.Argon2id, version: Version.V0x13, memoryCost: this.options.memoryKiB, timeCost: this.options.iterations, parallelism: this.options.parallelism };
    return this.inSlot(() => hash(password, options));
  }

  /**
   * False for a wrong password and for anything that is not a readable hash: argon2 of any
   * variant, or another system's bcrypt, scrypt or PBKDF2 hash brought by an import.
   */
  async verify(hashed: string, password: string): Promise<boolean> {
    try {
      return await this.inSlot(() => (hashSchemeOf(hashed) === 'argon2' ? verify(hashed, password) : verifyForeignHash(hashed, password)));
    } catch {
      return false;
    }
  }

  private async inSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so the count never drops below what runs.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** True when `hashed` was made with other settings than the current ones, so a sign-in should store a fresh hash. */
  needsRehash(hashed: string): boolean {
    try {
      const made = parseOptions(hashed);
      return (
        made.algorithm !== Algorithm.Argon2id ||
        made.version !== Version.V0x13 ||
        made.memoryCost !== this.options.memoryKiB ||
        made.timeCost !== this.options.iterations ||
        made.parallelism !== this.options.parallelism
      );
    } catch {
      return true;
    }
  }

  /**
   * Does the work of one verify against a hash nobody's password matches, so that signing in as
   * an unknown user takes as long as signing in with a wrong password and does not reveal who exists.
   */
  async dummyVerify(password: string): Promise<void> {
    // Made once, on first need, with the current settings so its cost matches real hashes.
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64'));
    await this.verify(await this.dummyHash, password);
  }
}
