import type { UserRecord } from '../../storage/types.js';
import type { SecretBox } from '../keys/secret-box.js';
import { createPasswordVerifier } from '../srp/srp.js';
import type { PasswordHasher } from './password-hasher.js';

export interface SrpVerifier {
  saltHex: string;
  verifierHex: string;
}

/** The pool-name half of a pool id (`us-east-1_AbC123` → `AbC123`), which SRP mixes into the verifier. */
export const poolNameOf = (poolId: string): string => poolId.slice(poolId.indexOf('_') + 1);

/**
 * What a user stores for a password: the argon2id hash that password sign-ins check, and the
 * SRP verifier that USER_SRP_AUTH checks, sealed because it can be guessed offline at hash speed.
 */
export class PasswordCredentials {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly secrets: SecretBox,
  ) {}

  async derive(user: Pick<UserRecord, 'poolId' | 'username'>, password: string): Promise<Pick<UserRecord, 'passwordHash' | 'srpVerifier'>> {
    const { saltHex, verifierHex } = createPasswordVerifier(poolNameOf(user.poolId), user.username, password);
    return {
      passwordHash: await this.hasher.hash(password),
      srpVerifier: this.secrets.seal(`${saltHex}:${verifierHex}`, srpVerifierContext(user)),
    };
  }

  srpVerifierOf(user: UserRecord): SrpVerifier | undefined {
    if (user.srpVerifier === null) return undefined;
    const [saltHex, verifierHex] = this.secrets.open(user.srpVerifier, srpVerifierContext(user)).split(':');
    return { saltHex: saltHex!, verifierHex: verifierHex! };
  }

  async verify(user: UserRecord, password: string): Promise<boolean> {
    return user.passwordHash !== null && (await this.hasher.verify(user.passwordHash, password));
  }

  /** Whether a sign-in that proved the password should store fresh credentials (see Users.refreshCredentials). */
  needsRefresh(user: UserRecord): boolean {
    return user.passwordHash !== null && (user.srpVerifier === null || this.hasher.needsRehash(user.passwordHash));
  }

  /** For unknown users: the same cost as a real check, so timing does not tell who exists. */
  async dummyVerify(password: string): Promise<void> {
    await this.hasher.dummyVerify(password);
  }
}

/** What an SRP verifier is sealed under: it belongs to one user of one pool and cannot be copied onto another. */
export const srpVerifierContext = (user: Pick<UserRecord, 'poolId' | 'username'>) => `srp-verifier:${user.poolId}:${user.username}`;
