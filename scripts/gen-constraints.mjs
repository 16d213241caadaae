#!/usr/bin/env node
// Usage: node scripts/gen-constraints.mjs <path to cognito-idp service-2.json>
//
// Writes src/http/model/cognito-constraints.json: the input-validation facts of the botocore
// model (types, required members, length/range/pattern/enum, sensitive) for every shape reachable
// from an operation input, without documentation, so the server never needs the model itself.
// Which operations are unsigned comes from the installed JS SDK, the client we must match.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const OUTPUT = fileURLToPath(new URL('../src/http/model/cognito-constraints.json', import.meta.url));

// Each override names the model value it replaces, so a model update that changes it fails loudly
// instead of being silently overwritten.
const OVERRIDES = [
  {
    // Cognito documents that passwords may contain spaces, only not leading or trailing ones. Under
    // Coral's whole-string matching the model's `[\S]+` would reject every inner space, so use the
    // explicit pattern real Cognito reported for passwords before the model was simplified.
    shape: 'PasswordType',
    field: 'pattern',
    from: String.raw`[\S]+`,
    to: String.raw`^[\S]+.*[\S]+$`,
  },
  {
    // The installed SDK (newer than this model) made SnsCallerArn optional: SMS can now be configured
    // through EumsSms instead. Requiring it would reject valid requests from current clients.
    shape: 'SmsConfigurationType',
    field: 'required',
    from: ['SnsCallerArn'],
    to: undefined,
  },
  {
    // Custom domains (auth.example.com) go through CreateUserPoolDomain too, but the model's pattern
    // and length fit only a prefix. The domain code checks which of the two a name is.
    shape: 'DomainType',
    field: 'pattern',
    from: String.raw`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`,
    to: String.raw`^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)*$`,
  },
  {
    shape: 'DomainType',
    field: 'max',
    from: 63,
    to: 253,
  },
];

const modelPath = process.argv[2];
if (!modelPath) {
  console.error('usage: node scripts/gen-constraints.mjs <path to service-2.json>');
  process.exit(2);
}
const model = JSON.parse(readFileSync(modelPath, 'utf8'));
const unsigned = unsignedOperationsFromSdk();

const shapes = {};
const addShape = (name) => {
  if (name in shapes) return;
  const source = model.shapes[name];
  if (!source) throw new Error(`model references unknown shape ${name}`);
  shapes[name] = compactShape(source);
  for (const child of childShapes(source)) addShape(child);
};

const operations = {};
for (const [name, operation] of Object.entries(model.operations)) {
  operations[name] = { auth: unsigned.has(name) ? 'none' : 'sigv4', input: operation.input.shape };
  addShape(operation.input.shape);
  const modelSaysUnsigned = (operation.auth ?? []).includes('smithy.api#noAuth');
  if (modelSaysUnsigned !== unsigned.has(name)) {
    console.warn(`warning: ${name}: model says ${modelSaysUnsigned ? 'unsigned' : 'signed'}, SDK disagrees; using the SDK`);
  }
}

for (const { shape, field, from, to } of OVERRIDES) {
  const record = shapes[shape];
  if (!record || JSON.stringify(record[field]) !== JSON.stringify(from)) {
    throw new Error(`override for ${shape}.${field} expected ${JSON.stringify(from)}, found ${JSON.stringify(record?.[field])}`);
  }
  if (to === undefined) delete record[field];
  else record[field] = to;
}

writeFileSync(OUTPUT, render({ operations, shapes }));
console.log(`wrote ${OUTPUT}: ${Object.keys(operations).length} operations, ${Object.keys(shapes).length} shapes`);

/** Only what validation needs; documents become their own type because they accept any JSON. */
function compactShape(shape) {
  if (shape.document) return { type: 'document' };
  const record = { type: shape.type };
  if (shape.type === 'structure') {
    record.members = Object.fromEntries(Object.entries(shape.members).map(([member, ref]) => [member, ref.shape]));
    if (shape.required?.length) record.required = shape.required;
  }
  if (shape.type === 'list') record.member = shape.member.shape;
  if (shape.type === 'map') {
    record.key = shape.key.shape;
    record.value = shape.value.shape;
  }
  for (const field of ['min', 'max', 'pattern', 'enum']) {
    if (shape[field] !== undefined) record[field] = shape[field];
  }
  if (shape.sensitive) record.sensitive = true;
  return record;
}

function childShapes(shape) {
  if (shape.document) return [];
  if (shape.type === 'structure') return Object.values(shape.members).map((ref) => ref.shape);
  if (shape.type === 'list') return [shape.member.shape];
  if (shape.type === 'map') return [shape.key.shape, shape.value.shape];
  return [];
}

/** Reads the SDK's generated auth-scheme switch: the cases that choose `smithy.api#noAuth`. */
function unsignedOperationsFromSdk() {
  const sdkPath = createRequire(import.meta.url).resolve('@aws-sdk/client-cognito-identity-provider');
  const source = readFileSync(sdkPath, 'utf8');
  const start = source.indexOf('const defaultCognitoIdentityProviderHttpAuthSchemeProvider');
  const end = source.indexOf('default:', start);
  if (start < 0 || end < 0) throw new Error(`auth scheme provider not found in ${sdkPath}`);
  const cases = source
    .slice(start, end)
    .matchAll(/case "(\w+)":\s*\{\s*options\.push\(createSmithyApiNoAuthHttpAuthOption\(\)\);/g);
  const names = new Set(Array.from(cases, (match) => match[1]));
  if (names.size === 0) throw new Error(`no unsigned operations found in ${sdkPath}`);
  return names;
}

/** Sorted keys (arrays keep model order: enum order shows in messages), one entry per line. */
function render(table) {
  const sortKeys = (value) => {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
  };
  const section = (entries) =>
    Object.keys(entries)
      .sort()
      .map((name) => `    ${JSON.stringify(name)}: ${JSON.stringify(sortKeys(entries[name]))}`)
      .join(',\n');
  return `{\n  "operations": {\n${section(table.operations)}\n  },\n  "shapes": {\n${section(table.shapes)}\n  }\n}\n`;
}
