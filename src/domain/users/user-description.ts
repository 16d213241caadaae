import type { AttributeType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { toEpochSeconds } from '../../clock.js';
import type { UserRecord } from '../../storage/types.js';
import type { Wire } from '../wire.js';

/** A user's attributes as Cognito lists them: sub first, then the rest. */
export function attributeList(user: UserRecord, only?: readonly string[]): AttributeType[] {
  const all: AttributeType[] = [{ Name: 'sub', Value: user.sub }, ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }))];
  return only ? all.filter((attribute) => only.includes(attribute.Name!)) : all;
}

/** The UserType of AdminCreateUser and ListUsers (AdminGetUser names the list UserAttributes). */
export function describeUser(user: UserRecord, attributesToGet?: readonly string[]): Wire<UserType> {
  return {
    Username: user.username,
    Attributes: attributeList(user, attributesToGet),
    UserCreateDate: toEpochSeconds(user.createdAt),
    UserLastModifiedDate: toEpochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status as UserType['UserStatus'],
  };
}
