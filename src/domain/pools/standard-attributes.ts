import type { SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';

const text = (name: string, min = '0', max = '2048'): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: { MinLength: min, MaxLength: max },
});

const flag = (name: string): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'Boolean',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
});

/** The attributes every pool has, in the order DescribeUserPool lists them. */
export const STANDARD_ATTRIBUTES: readonly SchemaAttributeType[] = [
  { ...text('sub', '1'), Mutable: false, Required: true },
  text('name'),
  text('given_name'),
  text('family_name'),
  text('middle_name'),
  text('nickname'),
  text('preferred_username'),
  text('profile'),
  text('picture'),
  text('website'),
  text('email'),
  flag('email_verified'),
  text('gender'),
  text('birthdate', '10', '10'),
  text('zoneinfo'),
  text('locale'),
  text('phone_number'),
  flag('phone_number_verified'),
  text('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
];

export const STANDARD_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(STANDARD_ATTRIBUTES.map((a) => a.Name!));
