import { randomInt, randomUUID } from 'node:crypto';
import type { DeviceType } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds, type Clock } from '../../clock.js';
import type { DevicePatch, DeviceRecord, Storage, UserRecord } from '../../storage/types.js';
import { decodePageToken, encodePageToken } from '../pagination.js';
import { invalidParameter, resourceNotFound } from '../errors.js';
import type { SecretBox } from '../keys/secret-box.js';
import type { PoolSettings } from '../pools/pool-settings.js';
import { deviceVerifierFromConfig } from '../srp/srp.js';
import type { Wire } from '../wire.js';

export interface NewDeviceMetadata {
  DeviceKey: string;
  DeviceGroupKey: string;
}

/** A confirmed device's SRP salt and verifier, as the device challenge needs them. */
export interface DeviceVerifier {
  saltHex: string;
  verifierHex: string;
}

const MAX_DEVICES_PER_PAGE = 60;
const GROUP_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const deviceNotFound = () => resourceNotFound('Device does not exist.');

/** Device tracking is on when the pool has a DeviceConfiguration, as in Cognito's console. */
export const tracksDevices = (settings: PoolSettings): boolean => settings.DeviceConfiguration != null;

/**
 * Remembered devices: a sign-in on a tracking pool issues a device key, the client confirms it
 * with an SRP verifier of its own secret, and later sign-ins prove the device with that secret.
 */
export class Devices {
  constructor(
    private readonly storage: Storage,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** A new, unconfirmed device for a sign-in on a pool that tracks devices. */
  async issue(user: UserRecord, lastIp: string | null): Promise<NewDeviceMetadata> {
    const now = this.clock.now();
    const device: DeviceRecord = {
      poolId: user.poolId,
      deviceKey: `${this.region}_${randomUUID()}`,
      sub: user.sub,
      groupKey: `-${Array.from({ length: 9 }, () => GROUP_KEY_ALPHABET[randomInt(GROUP_KEY_ALPHABET.length)]).join('')}`,
      verifier: null,
      name: null,
      remembered: false,
      lastIp,
      createdAt: now,
      updatedAt: now,
      lastAuthenticatedAt: now,
    };
    await this.storage.devices.insert(device);
    return { DeviceKey: device.deviceKey, DeviceGroupKey: device.groupKey };
  }

  /** The user's device by key; a device of another user does not exist for this one. */
  async ofUser(user: UserRecord, deviceKey: string): Promise<DeviceRecord> {
    const device = await this.storage.devices.get(user.poolId, deviceKey);
    if (!device || device.sub !== user.sub) throw deviceNotFound();
    return device;
  }

  /** ConfirmDevice: stores the device's verifier; true when the user must still choose to remember it. */
  async confirm(user: UserRecord, settings: PoolSettings, input: { deviceKey: string; passwordVerifier?: string; salt?: string; name?: string }): Promise<boolean> {
    const device = await this.ofUser(user, input.deviceKey);
    const verifier = deviceVerifierFromConfig(input.passwordVerifier ?? '', input.salt ?? '');
    if (!verifier) throw invalidParameter('Invalid device secret verifier config.');
    const askUser = settings.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
    await this.change(device, {
      verifier: this.secrets.seal(`${verifier.saltHex}:${verifier.verifierHex}`, deviceVerifierContext(device)),
      ...(input.name !== undefined && { name: input.name }),
      remembered: !askUser,
    });
    return askUser;
  }

  /** The sealed verifier of a confirmed device, or undefined for one never confirmed. */
  verifierOf(device: DeviceRecord): DeviceVerifier | undefined {
    if (device.verifier === null) return undefined;
    const [saltHex, verifierHex] = this.secrets.open(device.verifier, deviceVerifierContext(device)).split(':');
    return { saltHex: saltHex!, verifierHex: verifierHex! };
  }

  async recordAuthentication(device: DeviceRecord, lastIp: string | null): Promise<void> {
    await this.storage.devices.patch(device.poolId, device.deviceKey, { lastAuthenticatedAt: this.clock.now(), ...(lastIp !== null && { lastIp }) });
  }

  async setRemembered(user: UserRecord, deviceKey: string, remembered: boolean): Promise<void> {
    await this.change(await this.confirmedOfUser(user, deviceKey), { remembered });
  }

  async forget(user: UserRecord, deviceKey: string): Promise<void> {
    await this.ofUser(user, deviceKey);
    await this.storage.devices.delete(user.poolId, deviceKey);
  }

  async describeOne(user: UserRecord, deviceKey: string): Promise<Wire<DeviceType>> {
    return this.describe(user, await this.confirmedOfUser(user, deviceKey));
  }

  /** ListDevices and AdminListDevices: the user's remembered devices, as Cognito lists them. */
  async list(user: UserRecord, limit: number | undefined, paginationToken: string | undefined): Promise<{ Devices: Wire<DeviceType>[]; PaginationToken?: string }> {
    const after = decodePageToken(paginationToken, 'PaginationToken');
    const page = await this.storage.devices.listRemembered(user.poolId, user.sub, limit || MAX_DEVICES_PER_PAGE, after);
    return {
      Devices: page.items.map((device) => this.describe(user, device)),
      ...(page.nextKey !== undefined && { PaginationToken: encodePageToken(page.nextKey) }),
    };
  }

  private async confirmedOfUser(user: UserRecord, deviceKey: string): Promise<DeviceRecord> {
    const device = await this.ofUser(user, deviceKey);
    if (device.verifier === null) throw deviceNotFound();
    return device;
  }

  /** Writes only what changes, so changes to one device never undo each other. */
  private async change(device: DeviceRecord, changes: DevicePatch): Promise<void> {
    if (!(await this.storage.devices.patch(device.poolId, device.deviceKey, { ...changes, updatedAt: this.clock.now() }))) throw deviceNotFound();
  }

  private describe(user: UserRecord, device: DeviceRecord): Wire<DeviceType> {
    const owner = `${user.username}.${user.poolId}`;
    const attributes = [
      { Name: 'device_status', Value: 'valid' },
      ...(device.name === null ? [] : [{ Name: 'device_name', Value: device.name }]),
      { Name: 'dev:device_arn', Value: `arn:aws:cognito-idp:${this.region}:${this.accountId}:owner/${owner}/device/${device.deviceKey}` },
      { Name: 'dev:device_owner', Value: owner },
      ...(device.lastIp === null ? [] : [{ Name: 'last_ip_used', Value: device.lastIp }]),
      { Name: 'dev:device_remembered_status', Value: device.remembered ? 'remembered' : 'not_remembered' },
      { Name: 'dev:device_sdk', Value: 'aws-sdk' },
    ];
    return {
      DeviceKey: device.deviceKey,
      DeviceAttributes: attributes,
      DeviceCreateDate: toEpochSeconds(device.createdAt),
      DeviceLastModifiedDate: toEpochSeconds(device.updatedAt),
      ...(device.lastAuthenticatedAt !== null && { DeviceLastAuthenticatedDate: toEpochSeconds(device.lastAuthenticatedAt) }),
    };
  }
}

/** A sealed verifier belongs to one device of one pool and cannot be moved to another. */
/** What a device's SRP verifier is sealed under: it opens only as this device's. */
export const deviceVerifierContext = (device: Pick<DeviceRecord, 'poolId' | 'deviceKey'>) => `device-verifier:${device.poolId}:${device.deviceKey}`;
