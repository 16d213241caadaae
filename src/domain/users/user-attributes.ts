import type { SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { invalidParameter, notAuthorized, type CognitoError } from '../errors.js';

/**
 * Checking user attributes against a pool's schema, with Cognito's own messages.
 *
 * Cognito words a broken attribute differently depending on who writes it and when:
 * at creation (SignUp, AdminCreateUser) everything is prefixed "Attributes did not conform
 * to the schema: "; a user's update (UpdateUserAttributes) reports `user.<name>: <reason>`
 * lines; an administrator's update reports "Invalid user attributes: " followed by
 * `<name>: <reason>` lines. Schema problems are collected and reported together, as Cognito
 * does; format and permission errors stop at the first one.
 */

export type AttributeWriter = 'admin' | 'user';

export interface AttributeCheckContext {
  schema: SchemaAttributeType[];
  writer: AttributeWriter;
  /** SignUp / AdminCreateUser: immutable attributes may still be given a value. */
  creating: boolean;
  /** The app client's WriteAttributes when it lists them; applies to user writes only. */
  writableByClient?: string[];
}

/** Cognito's longest attribute value (AttributeValueType in the service model). */
const MAX_VALUE_LENGTH = 2048;
const VERIFIED_FLAGS: ReadonlySet<string> = new Set(['email_verified', 'phone_number_verified']);
const DEVELOPER_PREFIX = 'dev:';
/** E.164: a plus, the country code, the number; no spaces or dashes (the leading 0 of a national number is dropped). */
const PHONE_NUMBER = /^\+[0-9]{4,15}$/;
/** Cognito's exact rule is not published; this refuses what it is known to refuse (no @, whitespace). */
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+$/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

const UNKNOWN = 'Attribute does not exist in the schema.';
const IMMUTABLE = 'Attribute cannot be updated.';
const REQUIRED_DELETED = 'Required attribute cannot be deleted.';
const NOT_BOOLEAN = 'The attribute is not a valid boolean';
const NOT_NUMBER = 'The attribute is not a valid number';
const NOT_DATETIME = 'The attribute is not a valid datetime';

/**
 * Cognito now names some standard attributes by their SCIM path when it reports them missing
 * ("emails: The attribute emails is required"); attributes not listed are reported as named.
 */
const REPORTED_NAMES: Readonly<Record<string, string>> = {
  email: 'emails',
  phone_number: 'phoneNumbers',
  name: 'name.formatted',
  given_name: 'name.givenName',
  family_name: 'name.familyName',
};

/** One attribute that broke the schema. */
interface Problem {
  name: string;
  reason: string;
}

/**
 * The attributes of a write, checked and keyed by name (a later duplicate replaces an earlier one).
 * On updates an empty value asks for the attribute to be deleted and is kept as ''; at creation
 * an empty value is left out. Booleans come back as 'true' / 'false'.
 */
export function normalizeAttributes(
  attributes: { Name?: string; Value?: string }[],
  context: AttributeCheckContext,
): Map<string, string> {
  const schema = new Map(context.schema.map((attribute) => [attribute.Name ?? '', attribute]));
  const given = new Map<string, string>();
  const nameProblems: Problem[] = [];
  for (const { Name: name = '', Value: value } of attributes) {
    if (value === undefined || value === null) throw invalidParameter(`Attribute value for ${name} must not be null`);
    checkWritable(name, context);
    const attribute = schema.get(name);
    if (!attribute) nameProblems.push({ name, reason: UNKNOWN });
    else if (!context.creating && attribute.Mutable === false) nameProblems.push({ name, reason: IMMUTABLE });
    given.set(name, value);
  }
  if (nameProblems.length > 0) throw schemaError(nameProblems, context);

  const result = new Map<string, string>();
  const valueProblems: Problem[] = [];
  for (const [name, value] of given) {
    const attribute = schema.get(name)!;
    if (value === '') {
      if (context.creating) continue;
      if (attribute.Required) valueProblems.push({ name, reason: REQUIRED_DELETED });
      result.set(name, '');
      continue;
    }
    const reason = valueProblem(attribute, value);
    if (reason) valueProblems.push({ name, reason });
    result.set(name, attribute.AttributeDataType === 'Boolean' ? value.toLowerCase() : value);
  }
  if (valueProblems.length > 0) throw schemaError(valueProblems, context);

  checkFormats(result);
  return result;
}

/** Names of the schema's required attributes that have no value (`sub` is Cognito's to set). */
export function missingRequiredAttributes(current: Map<string, string>, schema: SchemaAttributeType[]): string[] {
  return schema
    .filter((attribute) => attribute.Required === true && attribute.Name !== 'sub' && !current.get(attribute.Name ?? ''))
    .map((attribute) => attribute.Name ?? '');
}

/** SignUp refuses a user without every required attribute, naming each one missing. */
export function checkRequiredPresent(current: Map<string, string>, schema: SchemaAttributeType[]): void {
  const missing = missingRequiredAttributes(current, schema);
  if (missing.length === 0) return;
  const reported = missing.map((name) => {
    const path = REPORTED_NAMES[name] ?? name;
    return `${path}: The attribute ${path} is required`;
  });
  throw invalidParameter(`Attributes did not conform to the schema: ${reported.join(', ')}`);
}

/**
 * What a user (GetUser) and their ID token may see: never developer-only attributes, and
 * only the client's ReadAttributes when it lists them. `sub` is always readable: a client
 * cannot list it, yet every user response carries it.
 */
export function readableAttributes(
  all: Map<string, string>,
  clientReadAttributes?: string[],
): { Name: string; Value: string }[] {
  const readable = (name: string) =>
    !name.startsWith(DEVELOPER_PREFIX) && (name === 'sub' || !clientReadAttributes || clientReadAttributes.includes(name));
  return [...all].filter(([name]) => readable(name)).map(([Name, Value]) => ({ Name, Value }));
}

/**
 * Who may write what. Nobody writes `sub`; users never write the verified flags or
 * developer-only attributes, nor anything their client's WriteAttributes leaves out
 * (checked before the schema, so an unknown name is "unauthorized" too).
 */
function checkWritable(name: string, context: AttributeCheckContext): void {
  if (name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
  if (context.writer === 'admin') return;
  if (VERIFIED_FLAGS.has(name)) {
    if (context.creating) throw unauthorizedWrite();
    throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
  }
  if (name.startsWith(DEVELOPER_PREFIX)) throw unauthorizedWrite();
  if (context.writableByClient && !context.writableByClient.includes(name)) throw unauthorizedWrite();
}

const unauthorizedWrite = () => notAuthorized('A client attempted to write unauthorized attribute');

/** Why a value does not fit its attribute's type and constraints, if it does not. */
function valueProblem(attribute: SchemaAttributeType, value: string): string | undefined {
  const lengths = attribute.AttributeDataType === 'String' ? attribute.StringAttributeConstraints : undefined;
  const maxLength = Math.min(bound(lengths?.MaxLength) ?? MAX_VALUE_LENGTH, MAX_VALUE_LENGTH);
  const minLength = bound(lengths?.MinLength);
  if (minLength !== undefined && value.length < minLength) return `String must be no shorter than ${minLength} characters`;
  if (value.length > maxLength) return `String must be no longer than ${maxLength} characters`;
  switch (attribute.AttributeDataType) {
    case 'Boolean':
      return /^(true|false)$/i.test(value) ? undefined : NOT_BOOLEAN;
    case 'DateTime':
      return Number.isFinite(Date.parse(value)) ? undefined : NOT_DATETIME;
    case 'Number':
      return numberProblem(attribute, value);
    default:
      return undefined;
  }
}

function numberProblem(attribute: SchemaAttributeType, value: string): string | undefined {
  if (!NUMBER.test(value)) return NOT_NUMBER;
  const min = bound(attribute.NumberAttributeConstraints?.MinValue);
  const max = bound(attribute.NumberAttributeConstraints?.MaxValue);
  if (min !== undefined && Number(value) < min) return `Number must be no less than ${min}`;
  if (max !== undefined && Number(value) > max) return `Number must be no greater than ${max}`;
  return undefined;
}

/** Constraints travel as strings; an absent or empty one means no bound. */
const bound = (constraint: string | undefined) => (constraint === undefined || constraint === '' ? undefined : Number(constraint));

/** email and phone_number have formats of their own, reported without the schema framing. */
function checkFormats(attributes: Map<string, string>): void {
  const email = attributes.get('email');
  if (email && !EMAIL_ADDRESS.test(email)) throw invalidParameter('Invalid email address format.');
  const phone = attributes.get('phone_number');
  if (phone && !PHONE_NUMBER.test(phone)) throw invalidParameter('Invalid phone number format.');
}

/** Frames the collected problems the way the operation behind the context reports them. */
function schemaError(problems: Problem[], context: AttributeCheckContext): CognitoError {
  if (context.creating) {
    const items = problems.map(({ name, reason }) =>
      reason === UNKNOWN ? `Type for attribute {${name}} could not be determined` : `${name}: ${reason}`,
    );
    return invalidParameter(`Attributes did not conform to the schema: ${items.join(', ')}`);
  }
  if (context.writer === 'user') return invalidParameter(problems.map(({ name, reason }) => `user.${name}: ${reason}\n`).join(''));
  return invalidParameter(`Invalid user attributes: ${problems.map(({ name, reason }) => `user.${name}: ${reason}\n`).join('')}`);
}
