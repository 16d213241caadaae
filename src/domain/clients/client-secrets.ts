import type { ClientSecretDescriptorType } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds } from '../../clock.js';
import type { Wire } from '../wire.js';

/** One of a client's secrets. Cognito keeps up to two, so an app can move to a new one without downtime. */
export interface ClientSecret {
  /** `<client id>--<epoch ms created>`, the form Cognito documents. */
  id: string;
  value: string;
  createdAt: number;
}

export const MAX_CLIENT_SECRETS = 2;

/** A new secret's id: Cognito's form, made unique should two be created within one millisecond. */
export function newSecretId(clientId: string, createdAt: number, taken: readonly ClientSecret[] = []): string {
  let at = createdAt;
  while (taken.some((secret) => secret.id === `${clientId}--${at}`)) at++;
  return `${clientId}--${at}`;
}

/**
 * The secrets as they are sealed in the client's row: a JSON list. Rows written before rotation
 * hold the one secret alone (never starting with `[`, which no secret's alphabet has); it reads as
 * a secret created with the client.
 */
export function secretsFromStored(opened: string, clientId: string, clientCreatedAt: number): ClientSecret[] {
  if (!opened.startsWith('[')) return [{ id: `${clientId}--${clientCreatedAt}`, value: opened, createdAt: clientCreatedAt }];
  return JSON.parse(opened) as ClientSecret[];
}

export const storedSecrets = (secrets: readonly ClientSecret[]): string =>
  JSON.stringify(secrets.map(({ id, value, createdAt }) => ({ id, value, createdAt })));

/** What Add/ListUserPoolClientSecrets say of a secret: its value only when Gatehouse generated it and just now. */
export function describeSecret(secret: ClientSecret, showValue: boolean): Wire<ClientSecretDescriptorType> {
  return {
    ClientSecretId: secret.id,
    ...(showValue && { ClientSecretValue: secret.value }),
    ClientSecretCreateDate: toEpochSeconds(secret.createdAt),
  };
}
