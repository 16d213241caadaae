/**
 * Model-driven input validation with the semantics and messages of AWS (Coral) services:
 * wrong JSON types are a SerializationException; constraint violations are collected and reported
 * together as `N validation error(s) detected: Value '…' at 'path' failed to satisfy constraint: …`
 * (InvalidParameterException). The constraint table is compiled once, at module load.
 */
import { CognitoError } from '../../domain/errors.js';
import generated from './cognito-constraints.json' with { type: 'json' };
import newer from './newer-operations.json' with { type: 'json' };

export type OperationAuth = 'none' | 'sigv4';

/** One shape of the constraint table (the service model's, without documentation). */
export interface ShapeRecord {
  type: string;
  members?: Record<string, string>;
  required?: string[];
  member?: string;
  key?: string;
  value?: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
}

interface ConstraintTable {
  operations: Record<string, { input: string; auth: string }>;
  shapes: Record<string, ShapeRecord>;
}

/** Only reachable through a recursive shape: model paths are at most four segments deep. */
const MAX_DEPTH = 32;

// Java's `\s` is ASCII-only; JavaScript's also matches NBSP and other Unicode spaces.
const JAVA_WHITESPACE = String.raw`\t\n\x0B\f\r `;
const JAVA_WHITESPACE_CHARS = '\t\n\v\f\r ';
/** What JavaScript's `.` (without the s flag) does not match. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * The model's patterns are Java regular expressions that must match the whole value. Translates
 * what JavaScript reads differently (`(?s)`, `\s`, `\S`) and anchors the result.
 */
export function javaPatternToRegExp(pattern: string): RegExp {
  let flags = 'u';
  let source = pattern.replaceAll(String.raw`[\S]`, `[^${JAVA_WHITESPACE}]`);
  if (source.startsWith('(?s)')) {
    flags += 's';
    source = source.slice('(?s)'.length);
  }
  let translated = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      const escaped = source[++i];
      if (escaped === 's') translated += inClass ? JAVA_WHITESPACE : `[${JAVA_WHITESPACE}]`;
      else if (escaped === 'S' && !inClass) translated += `[^${JAVA_WHITESPACE}]`;
      else if (escaped === 'S') throw new Error(`cannot translate \\S inside a character class: ${pattern}`);
      else translated += char + escaped;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    translated += char;
  }
  return new RegExp(`^(?:${translated})$`, flags);
}

const TEMPLATE_CHAR = String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]`;
const VISIBLE_CHAR = String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}]`;
const onlyTemplateChars = javaPatternToRegExp(`${TEMPLATE_CHAR}*`);
const onlyVisibleChars = javaPatternToRegExp(`${VISIBLE_CHAR}+`);

/**
 * Some model patterns backtrack catastrophically in V8: a 20,000-character email template took 90 s,
 * a 2,000-character password 2.7 s, and neither length is rejected before the pattern runs. Each
 * function here accepts exactly the same strings as its (translated) pattern, in linear time; the
 * tests check the equivalence. The `C*<literal>C*` forms, where C contains every character of the
 * literal, are "only C characters, and the literal occurs".
 */
const LINEAR_EQUIVALENTS = new Map<string, (value: string) => boolean>([
  [String.raw`^[\S]+.*[\S]+$`, passwordPatternMatches],
  [String.raw`.*\{####\}.*`, (value) => value.includes('{####}') && !LINE_TERMINATOR.test(value)],
  [`${TEMPLATE_CHAR}*\\{####\\}${TEMPLATE_CHAR}*`, (value) => value.includes('{####}') && onlyTemplateChars.test(value)],
  [
    `${TEMPLATE_CHAR}*\\{##${TEMPLATE_CHAR}*##\\}${TEMPLATE_CHAR}*`,
    (value) => {
      const open = value.indexOf('{##');
      return open >= 0 && value.includes('##}', open + 3) && onlyTemplateChars.test(value);
    },
  ],
  [
    `${VISIBLE_CHAR}+@${VISIBLE_CHAR}+`,
    (value) => {
      const at = value.indexOf('@', 1);
      return at > 0 && at < value.length - 1 && onlyVisibleChars.test(value);
    },
  ],
]);

/**
 * `^[\S]+.*[\S]+$`: the middle is whatever lies between the longest non-space prefix and suffix
 * (taking them longest leaves `.*` the least to match), and `.*` only rejects line terminators.
 */
function passwordPatternMatches(value: string): boolean {
  let prefixEnd = 0;
  while (prefixEnd < value.length && !JAVA_WHITESPACE_CHARS.includes(value[prefixEnd]!)) prefixEnd++;
  if (prefixEnd === value.length) return codePointLength(value) >= 2;
  let suffixStart = value.length;
  while (suffixStart > 0 && !JAVA_WHITESPACE_CHARS.includes(value[suffixStart - 1]!)) suffixStart--;
  return prefixEnd > 0 && suffixStart < value.length && !LINE_TERMINATOR.test(value.slice(prefixEnd, suffixStart));
}

const matcherCache = new Map<string, (value: string) => boolean>();

/** How validation tests a value against a model pattern (whole-value match). */
export function patternMatcher(pattern: string): (value: string) => boolean {
  let matcher = matcherCache.get(pattern);
  if (!matcher) {
    const regExp = javaPatternToRegExp(pattern);
    matcher = LINEAR_EQUIVALENTS.get(pattern) ?? ((value) => regExp.test(value));
    matcherCache.set(pattern, matcher);
  }
  return matcher;
}

// --- validation state ----------------------------------------------------------------------------

/** Path segments: member names, or 1-based list positions, which AWS writes as `<n>.member`. */
type Segment = string | number;

class Validation {
  private readonly path: Segment[] = [];
  private violations: string[] | undefined;

  enter(segment: Segment): void {
    if (this.path.length === MAX_DEPTH) {
      throw new CognitoError('SerializationException', `Input is nested deeper than ${MAX_DEPTH} levels at '${this.pathText()}'.`);
    }
    this.path.push(segment);
  }

  leave(): void {
    this.path.pop();
  }

  violation(value: unknown, redact: boolean, constraint: string): void {
    const shown = value === null ? 'null ' : redact ? '' : `'${render(value)}' `;
    (this.violations ??= []).push(`Value ${shown}at '${this.pathText()}' failed to satisfy constraint: ${constraint}`);
  }

  typeError(expected: string, value: unknown): never {
    throw new CognitoError('SerializationException', `Expected ${expected} at '${this.pathText()}', found ${describe(value)}.`);
  }

  finish(): void {
    const violations = this.violations;
    if (!violations) return;
    const count = `${violations.length} validation error${violations.length === 1 ? '' : 's'}`;
    throw new CognitoError('InvalidParameterException', `${count} detected: ${violations.join('; ')}`);
  }

  private pathText(): string {
    return this.path.map((segment) => (typeof segment === 'number' ? `${segment}.member` : segment)).join('.');
  }
}

/** Java's toString forms, which is how AWS echoes lists (`[a, b]`) and maps (`{k=v}`). */
function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (isObject(value)) return `{${Object.entries(value).map(([key, item]) => `${key}=${render(item)}`).join(', ')}}`;
  return String(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `the number ${value}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// --- compiled shapes -----------------------------------------------------------------------------

interface Validator {
  /** The JSON type, for SerializationException messages. */
  readonly expected: string;
  /**
   * Checks a present (non-null) value: throws on a wrong JSON type, records constraint violations.
   * Implementations annotate their parameters so that typeError()'s `never` narrows `value`.
   */
  check(value: unknown, validation: Validation): void;
  /** Scalars only: AWS reports their violations inside a list or map once, on the collection. */
  readonly scalar?: Scalar;
}

interface Scalar {
  accepts(value: unknown): boolean;
  conforms(value: unknown): boolean;
  /** Every constraint, as listed in `Member must satisfy constraint: [...]`. */
  readonly constraints: string;
}

interface Rule {
  readonly message: string;
  holds(value: unknown, size: number): boolean;
}

interface ScalarType {
  readonly expected: string;
  accepts(value: unknown): boolean;
  /** What min/max bound: characters, bytes, or the number itself. */
  size(value: unknown): number;
  readonly bounds: 'length' | 'value';
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

const itself = (value: unknown) => value as number;

const SCALAR_TYPES: Record<string, ScalarType> = {
  string: { expected: 'a string', accepts: (v) => typeof v === 'string', size: (v) => codePointLength(v as string), bounds: 'length' },
  blob: {
    expected: 'a base64-encoded string',
    accepts: (v) => typeof v === 'string' && BASE64.test(v),
    size: (v) => Math.floor(((v as string).replace(/=+$/, '').length * 3) / 4),
    bounds: 'length',
  },
  integer: { expected: 'a 32-bit integer', accepts: (v) => typeof v === 'number' && v === (v | 0), size: itself, bounds: 'value' },
  long: { expected: 'an integer', accepts: Number.isSafeInteger, size: itself, bounds: 'value' },
  double: { expected: 'a number', accepts: Number.isFinite, size: itself, bounds: 'value' },
  float: { expected: 'a number', accepts: Number.isFinite, size: itself, bounds: 'value' },
  timestamp: { expected: 'a number of epoch seconds', accepts: Number.isFinite, size: itself, bounds: 'value' },
  boolean: { expected: 'a boolean', accepts: (v) => typeof v === 'boolean', size: itself, bounds: 'value' },
};

/** Lengths count Unicode code points, as Java's validators do, not UTF-16 units. */
function codePointLength(value: string): number {
  let length = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/** Order as in AWS messages: max, min, pattern, enum. */
function rulesOf(shape: ShapeRecord, bounds: 'length' | 'value'): Rule[] {
  const rules: Rule[] = [];
  const { min, max, pattern } = shape;
  if (max !== undefined) rules.push({ message: `Member must have ${bounds} less than or equal to ${max}`, holds: (_, size) => size <= max });
  if (min !== undefined) rules.push({ message: `Member must have ${bounds} greater than or equal to ${min}`, holds: (_, size) => size >= min });
  if (pattern !== undefined) {
    const matches = patternMatcher(pattern);
    rules.push({ message: `Member must satisfy regular expression pattern: ${pattern}`, holds: (value) => matches(value as string) });
  }
  if (shape.enum) {
    const allowed = new Set(shape.enum);
    rules.push({ message: `Member must satisfy enum value set: [${shape.enum.join(', ')}]`, holds: (value) => allowed.has(value as string) });
  }
  return rules;
}

/**
 * The model leaves some strings unpatterned (SessionId, RegionName, IpAddress, …). A NUL in one is
 * never a value Cognito means, and PostgreSQL refuses it in any text: refused here, once, as bad input.
 */
const NO_NUL: Rule = { message: 'Member must not contain the NUL character', holds: (value) => !(value as string).includes('\u0000') };

function scalarValidator(shape: ShapeRecord, type: ScalarType, redact: boolean): Validator {
  const modelRules = rulesOf(shape, type.bounds);
  const rules = type === SCALAR_TYPES.string && shape.pattern === undefined ? [...modelRules, NO_NUL] : modelRules;
  const hasBounds = shape.min !== undefined || shape.max !== undefined;
  const size = (value: unknown) => (hasBounds ? type.size(value) : 0);
  const scalar: Scalar = {
    accepts: type.accepts,
    conforms(value) {
      const valueSize = size(value);
      for (const rule of rules) if (!rule.holds(value, valueSize)) return false;
      return true;
    },
    // A collection's message lists the model's constraints, as AWS's does; the NUL rule only when there are none.
    constraints: (modelRules.length > 0 ? modelRules : rules).map((rule) => rule.message).join(', '),
  };
  return {
    expected: type.expected,
    scalar,
    check(value: unknown, validation: Validation) {
      if (!type.accepts(value)) validation.typeError(type.expected, value);
      if (rules.length === 0) return;
      const valueSize = size(value);
      for (const rule of rules) if (!rule.holds(value, valueSize)) validation.violation(value, redact, rule.message);
    },
  };
}

interface Member {
  readonly name: string;
  readonly segment: string;
  readonly required: boolean;
  readonly validator: Validator;
}

function structureValidator(shape: ShapeRecord, validatorOf: (name: string) => Validator): Validator {
  const required = new Set(shape.required);
  // Java bean order: AWS lists violations by member name, e.g. 'password' before 'username'.
  const members: Member[] = Object.entries(shape.members ?? {})
    .map(([name, shapeName]) => ({
      name,
      segment: name.charAt(0).toLowerCase() + name.slice(1),
      required: required.has(name),
      validator: validatorOf(shapeName),
    }))
    .sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
  return {
    expected: 'an object',
    check(value: unknown, validation: Validation) {
      if (!isObject(value)) validation.typeError('an object', value);
      for (const member of members) {
        const memberValue = value[member.name];
        const absent = memberValue === undefined || memberValue === null;
        if (absent && !member.required) {
          // A null member is an absent one, so operations never see null where they expect a value or nothing.
          if (memberValue === null) delete value[member.name];
          continue;
        }
        validation.enter(member.segment);
        if (absent) validation.violation(null, false, 'Member must not be null');
        else member.validator.check(memberValue, validation);
        validation.leave();
      }
    },
  };
}

function listValidator(shape: ShapeRecord, element: Validator, redact: boolean): Validator {
  const rules = rulesOf(shape, 'length');
  const scalar = element.scalar;
  return {
    expected: 'an array',
    check(value: unknown, validation: Validation) {
      if (!Array.isArray(value)) validation.typeError('an array', value);
      for (const rule of rules) if (!rule.holds(value, value.length)) validation.violation(value, redact, rule.message);
      let elementsConform = true;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (scalar?.accepts(item)) {
          if (elementsConform && !scalar.conforms(item)) elementsConform = false;
          continue;
        }
        // Lists are dense: a null element is a wrong type, not an absent one.
        validation.enter(i + 1);
        if (scalar || item === null) validation.typeError(element.expected, item);
        element.check(item, validation);
        validation.leave();
      }
      if (!elementsConform) validation.violation(value, redact, `Member must satisfy constraint: [${scalar!.constraints}]`);
    },
  };
}

function mapValidator(shape: ShapeRecord, key: Scalar, entry: Validator & { scalar: Scalar }, redact: boolean): Validator {
  const rules = rulesOf(shape, 'length');
  const { scalar } = entry;
  return {
    expected: 'an object',
    check(value: unknown, validation: Validation) {
      if (!isObject(value)) validation.typeError('an object', value);
      const keys = Object.keys(value);
      for (const rule of rules) if (!rule.holds(value, keys.length)) validation.violation(value, redact, rule.message);
      let keysConform = true;
      let valuesConform = true;
      for (const name of keys) {
        const item = value[name];
        // Cognito takes a null map value as an absent entry (amazon-cognito-identity-js sends "DEVICE_KEY": null).
        if (item === null) {
          delete value[name];
          continue;
        }
        if (!scalar.accepts(item)) {
          validation.enter(name);
          validation.typeError(entry.expected, item);
        }
        if (keysConform && !key.conforms(name)) keysConform = false;
        if (valuesConform && !scalar.conforms(item)) valuesConform = false;
      }
      if (!keysConform) validation.violation(value, redact, `Map keys must satisfy constraint: [${key.constraints}]`);
      if (!valuesConform) validation.violation(value, redact, `Map value must satisfy constraint: [${scalar.constraints}]`);
    },
  };
}

const acceptAnything: Validator = { expected: 'any JSON value', check() {} };

// --- loading -------------------------------------------------------------------------------------

function mergeTables(tables: readonly ConstraintTable[]): ConstraintTable {
  const merged: ConstraintTable = { operations: {}, shapes: {} };
  for (const table of tables) {
    for (const section of ['operations', 'shapes'] as const) {
      for (const [name, entry] of Object.entries(table[section])) {
        if (name in merged[section]) throw new Error(`constraint tables: ${name} is declared twice`);
        (merged[section] as Record<string, unknown>)[name] = entry;
      }
    }
  }
  return merged;
}

/** Shapes whose values must never be echoed: sensitive ones and anything that can contain one. */
function redactedShapes(shapes: Record<string, ShapeRecord>): Set<string> {
  const redacted = new Set<string>();
  const visiting = new Set<string>();
  const visit = (name: string): boolean => {
    if (redacted.has(name)) return true;
    if (visiting.has(name)) return false;
    visiting.add(name);
    const shape = shapes[name];
    if (!shape) throw new Error(`constraint tables: unknown shape ${name}`);
    const children = [...Object.values(shape.members ?? {}), shape.member, shape.key, shape.value];
    let contains = false;
    for (const child of children) if (child !== undefined && visit(child)) contains = true;
    if (shape.sensitive || contains) redacted.add(name);
    return redacted.has(name);
  };
  for (const name of Object.keys(shapes)) visit(name);
  return redacted;
}

function compile(table: ConstraintTable): Map<string, Validator> {
  const { shapes } = table;
  const redacted = redactedShapes(shapes);
  // Placeholders first, filled in below, so shapes can refer to each other in any order.
  const validators = new Map<string, Validator>(Object.keys(shapes).map((name) => [name, {} as Validator]));
  const validatorOf = (name: string): Validator => {
    const validator = validators.get(name);
    if (!validator) throw new Error(`constraint tables: unknown shape ${name}`);
    return validator;
  };
  const scalarOf = (name: string, role: string): Validator & { scalar: Scalar } => {
    const validator = build(name);
    if (!validator.scalar) throw new Error(`constraint tables: ${role} ${name} must be a scalar`);
    return validator as Validator & { scalar: Scalar };
  };
  const isScalar = (name: string) => shapes[name] !== undefined && shapes[name].type in SCALAR_TYPES;
  const build = (name: string): Validator => {
    const shape = shapes[name];
    if (!shape) throw new Error(`constraint tables: unknown shape ${name}`);
    const redact = redacted.has(name);
    if (shape.type === 'structure') return structureValidator(shape, validatorOf);
    if (shape.type === 'document') return acceptAnything;
    // Scalar elements are built right away because their constraints are needed now; anything else
    // may still be a placeholder, which is fine since only its check() is called, later.
    if (shape.type === 'list') {
      const element = isScalar(shape.member!) ? build(shape.member!) : validatorOf(shape.member!);
      return listValidator(shape, element, redact);
    }
    // AWS's wording for map values that are themselves structures is unknown; the model has none.
    if (shape.type === 'map') {
      return mapValidator(shape, scalarOf(shape.key!, 'map key').scalar, scalarOf(shape.value!, 'map value'), redact);
    }
    const type = SCALAR_TYPES[shape.type];
    if (!type) throw new Error(`constraint tables: ${name} has unknown type ${shape.type}`);
    return scalarValidator(shape, type, redact);
  };
  for (const [name, placeholder] of validators) Object.assign(placeholder, build(name));
  return validators;
}

const table = mergeTables([generated, newer]);
const validators = compile(table);
const operations = new Map(
  Object.entries(table.operations).map(([name, { input, auth }]) => {
    if (auth !== 'none' && auth !== 'sigv4') throw new Error(`constraint tables: ${name} has unknown auth ${auth}`);
    const validator = validators.get(input);
    if (!validator) throw new Error(`constraint tables: ${name} has unknown input shape ${input}`);
    return [name, { validator, auth: auth as OperationAuth }] as const;
  }),
);
const names: readonly string[] = Object.freeze([...operations.keys()].sort());

// --- public API ----------------------------------------------------------------------------------

export function operationNames(): readonly string[] {
  return names;
}

export function isKnownOperation(name: string): boolean {
  return operations.has(name);
}

/** Unknown operations answer 'sigv4', so nothing is ever unsigned by accident. */
export function operationAuth(name: string): OperationAuth {
  return operations.get(name)?.auth ?? 'sigv4';
}

/** Every pattern in the tables (for tests: each must compile). */
export function constraintPatterns(): readonly string[] {
  return [...new Set(Object.values(table.shapes).flatMap((shape) => (shape.pattern === undefined ? [] : [shape.pattern])))];
}

/** Throws SerializationException for wrong JSON types, InvalidParameterException for constraint violations. */
export function validateInput(operation: string, input: unknown): void {
  const entry = operations.get(operation);
  if (!entry) throw new CognitoError('UnknownOperationException', `Unknown operation ${operation}.`);
  if (!isObject(input)) {
    throw new CognitoError('SerializationException', `Expected a JSON object as the request body, found ${describe(input)}.`);
  }
  const validation = new Validation();
  entry.validator.check(input, validation);
  validation.finish();
}
