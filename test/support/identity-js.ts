// amazon-cognito-identity-js, unmodified, as an application uses it: CommonJS imported from ESM,
// with its Storage in memory so each test's "browser" starts empty.
import { createRequire } from 'node:module';
import type { ICognitoStorage } from 'amazon-cognito-identity-js';

const require = createRequire(import.meta.url);
const library = require('amazon-cognito-identity-js') as typeof import('amazon-cognito-identity-js') & { AuthenticationHelper: new (poolName: string) => DeviceHashHelper };

export const { AuthenticationDetails, CognitoRefreshToken, CognitoUser, CognitoUserAttribute, CognitoUserPool } = library;

/** The part of the library's (untyped) AuthenticationHelper that CognitoUser.js uses to make a device verifier. */
export interface DeviceHashHelper {
  generateHashDevice(deviceGroupKey: string, deviceKey: string, callback: (error: unknown) => void): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
}
export const AuthenticationHelper = library.AuthenticationHelper;

/**
 * ConfirmDevice's DeviceSecretVerifierConfig made exactly as CognitoUser.authenticateUserInternal
 * makes it (hex from the helper, re-encoded as base64), with the device password it keeps.
 */
export async function libraryDeviceVerifier(poolName: string, deviceGroupKey: string, deviceKey: string) {
  const helper = new AuthenticationHelper(poolName);
  await new Promise<void>((resolve, reject) => helper.generateHashDevice(deviceGroupKey, deviceKey, (error) => (error ? reject(error) : resolve())));
  return {
    password: helper.getRandomPassword(),
    config: {
      Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
      PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
    },
  };
}

/** A browser's localStorage, in memory. */
export class MapStorage implements ICognitoStorage {
  readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}
