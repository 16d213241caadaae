import type { SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { invalidParameter } from '../errors.js';
import { STANDARD_ATTRIBUTES, STANDARD_ATTRIBUTE_NAMES } from './standard-attributes.js';

const MAX_CUSTOM_ATTRIBUTES = 50;
const CUSTOM_PREFIX = 'custom:';
/** Developer-only attributes are named `dev:custom:<name>`. */
const DEVELOPER_PREFIX = 'dev:';

/** Cognito prefixes the requested name as given: `custom:x` becomes `custom:custom:x`. */
const bareName = (attribute: SchemaAttributeType) => attribute.Name ?? '';

/** The pool's schema at creation: the standard attributes, as the request adjusts them, then custom ones. */
export function schemaAtCreation(requested: SchemaAttributeType[] = []): SchemaAttributeType[] {
  const seen = new Set<string>();
  for (const attribute of requested) {
    const name = attribute.Name ?? '';
    if (seen.has(name)) throw invalidParameter(`Duplicate attribute name: ${name}`);
    seen.add(name);
  }
  const standard = STANDARD_ATTRIBUTES.map((base) => {
    const change = requested.find((attribute) => attribute.Name === base.Name);
    return change ? adjustStandard(base, change) : structuredClone(base);
  });
  const custom = requested.filter((attribute) => !STANDARD_ATTRIBUTE_NAMES.has(attribute.Name ?? ''));
  return appendCustomAttributes(standard, custom);
}

/** AddCustomAttributes: new attributes go after the existing ones; nothing is ever replaced. */
export function appendCustomAttributes(schema: SchemaAttributeType[], additions: SchemaAttributeType[]): SchemaAttributeType[] {
  const result = [...schema];
  for (const addition of additions) {
    const attribute = customAttribute(addition);
    const existing = result.find((other) => other.Name === attribute.Name || other.Name === `${DEVELOPER_PREFIX}${attribute.Name}`);
    if (existing) throw invalidParameter(`${CUSTOM_PREFIX}${bareName(addition)}: Existing attribute already has name ${existing.Name}.`);
    result.push(attribute);
  }
  if (result.filter(isCustom).length > MAX_CUSTOM_ATTRIBUTES) {
    throw invalidParameter(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  }
  return result;
}

export const isCustom = (attribute: SchemaAttributeType) =>
  attribute.Name?.startsWith(CUSTOM_PREFIX) === true || attribute.Name?.startsWith(DEVELOPER_PREFIX) === true;

function adjustStandard(base: SchemaAttributeType, change: SchemaAttributeType): SchemaAttributeType {
  const name = base.Name!;
  if ((change.AttributeDataType !== undefined && change.AttributeDataType !== base.AttributeDataType) || change.DeveloperOnlyAttribute === true) {
    throw invalidParameter(`You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`);
  }
  if (name === 'sub' && (change.Mutable === true || change.Required === false)) {
    throw invalidParameter('Cannot modify the non-mutable, required attribute sub.');
  }
  const adjusted = structuredClone(base);
  if (change.Mutable !== undefined) adjusted.Mutable = change.Mutable;
  if (change.Required !== undefined) adjusted.Required = change.Required;
  if (change.StringAttributeConstraints && base.AttributeDataType === 'String') {
    adjusted.StringAttributeConstraints = { ...base.StringAttributeConstraints, ...change.StringAttributeConstraints };
  }
  if (change.NumberAttributeConstraints && base.AttributeDataType === 'Number') {
    adjusted.NumberAttributeConstraints = { ...base.NumberAttributeConstraints, ...change.NumberAttributeConstraints };
  }
  checkConstraints(adjusted);
  return adjusted;
}

function customAttribute(requested: SchemaAttributeType): SchemaAttributeType {
  if (bareName(requested) === '') throw invalidParameter('Custom attribute name must not be empty.');
  if (requested.Required === true) throw invalidParameter('Required custom attributes are not supported currently.');
  const type = requested.AttributeDataType;
  if (type === undefined) throw invalidParameter('Invalid AttributeDataType input, consider using the provided AttributeDataType enum.');
  const attribute: SchemaAttributeType = {
    Name: (requested.DeveloperOnlyAttribute ? DEVELOPER_PREFIX : '') + CUSTOM_PREFIX + bareName(requested),
    AttributeDataType: type,
    DeveloperOnlyAttribute: requested.DeveloperOnlyAttribute ?? false,
    Mutable: requested.Mutable ?? true,
    Required: false,
  };
  if (type === 'String') attribute.StringAttributeConstraints = { ...requested.StringAttributeConstraints };
  if (type === 'Number' && requested.NumberAttributeConstraints) attribute.NumberAttributeConstraints = { ...requested.NumberAttributeConstraints };
  checkConstraints(attribute);
  return attribute;
}

/** Constraints travel as strings of integers; min may not exceed max. Worded as Cognito words them (`user.<name>: …`). */
function checkConstraints(attribute: SchemaAttributeType): void {
  const pairs: [string | undefined, string | undefined, 'length' | 'value'][] = [
    [attribute.StringAttributeConstraints?.MinLength, attribute.StringAttributeConstraints?.MaxLength, 'length'],
    [attribute.NumberAttributeConstraints?.MinValue, attribute.NumberAttributeConstraints?.MaxValue, 'value'],
  ];
  const fail = (reason: string) => invalidParameter(`user.${attribute.Name}: ${reason}`);
  for (const [min, max, what] of pairs) {
    for (const bound of [min, max]) {
      if (bound !== undefined && !/^-?\d+$/.test(bound)) throw fail(`Invalid ${what} constraint '${bound}': not an integer.`);
    }
    if (min !== undefined && max !== undefined && Number(min) > Number(max)) throw fail(`Max ${what} cannot be less than min ${what}.`);
    if (what === 'length' && max !== undefined && Number(max) > 2048) throw fail('String attributes cannot have a length of more than 2048');
  }
}
