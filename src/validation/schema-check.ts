import { canonicalJson } from '../canonical-json';
import { CelCounts, CelRules } from './cel-rules';
import { formatViolation } from './formats';
import { childPath, itemPath } from './object-path';
import { Problem } from './problem';
import { StructuralSchema } from './structural-schema';

/** What a check needs besides the value and its schema. */
export interface CheckContext {
  readonly problems: Problem[];
  readonly cel: CelCounts;
  /** The schema of `metadata` at the root of an object and in embedded resources. */
  readonly objectMeta: StructuralSchema;
  /**
   * Built-in kinds decode `null` as "absent" everywhere; custom resources drop `null` only
   * where the field is not `nullable` (and reject it in lists).
   */
  readonly builtIn: boolean;
  /** The definition a `$ref` names. */
  resolve(ref: string): StructuralSchema;
}

const patterns = new Map<string, RegExp | undefined>();

/**
 * Checks a whole object (the root of a schema is an embedded resource: apiVersion, kind, metadata).
 * The object is normalized in place first, as the API server does before validating: `null`
 * dropped where the field is not nullable, defaults applied. Pass a copy.
 */
export function checkObject(object: any, schema: StructuralSchema, ctx: CheckContext): void {
  checkValue(object, schema, '', ctx, true);
}

/**
 * The problems of a plain value (not an object with apiVersion, kind and metadata) against an
 * OpenAPI v3 schema as CRDs write them, CEL rules included. Used for inputs that are not objects
 * of a cluster, e.g. a fleet inventory's entries. The value is not modified.
 */
export function checkValueAgainstSchema(value: unknown, schema: StructuralSchema): Problem[] {
  const problems: Problem[] = [];
  const ctx: CheckContext = {
    problems,
    cel: { evaluated: 0, transitionSkipped: 0, unsupportedSkipped: 0 },
    objectMeta: { type: 'object' },
    builtIn: false,
    resolve: ref => {
      throw new Error(`schema references ${ref}: give the schema without $ref`);
    },
  };
  checkValue(JSON.parse(JSON.stringify(value ?? null)), schema, '', ctx);
  return problems;
}

/** Checks `value` against `schema`, returns the normalized value (defaults applied). */
function checkValue(value: unknown, schemaOrRef: StructuralSchema, path: string, ctx: CheckContext, embedded = false): unknown {
  const schema = deref(schemaOrRef, ctx);
  if (value === null) {
    if (!schema.nullable && !ctx.builtIn) ctx.problems.push({ path, value, rule: `must not be null (${expected(schema)})` });
    return value;
  }
  const typeRule = typeViolation(schema, value);
  if (typeRule) {
    ctx.problems.push({ path, value, rule: typeRule });
    return value;
  }
  if (schema.enum && !schema.enum.some(allowed => canonicalJson(allowed) === canonicalJson(value))) {
    ctx.problems.push({ path, value, rule: `must be one of ${schema.enum.map(v => JSON.stringify(v)).join(', ')}` });
  }
  if (typeof value === 'string') checkString(value, schema, path, ctx);
  else if (typeof value === 'number') checkNumber(value, schema, path, ctx);
  else if (Array.isArray(value)) checkArray(value, schema, path, ctx);
  else if (typeof value === 'object') checkProperties(value as Record<string, unknown>, schema, path, ctx, embedded || !!schema['x-kubernetes-embedded-resource']);
  checkCombinators(value, schema, path, ctx);
  checkCelRules(value, schema, path, ctx);
  return value;
}

function deref(schema: StructuralSchema, ctx: CheckContext): StructuralSchema {
  return schema.$ref ? ctx.resolve(schema.$ref) : schema;
}

function expected(schema: StructuralSchema): string {
  if (schema['x-kubernetes-int-or-string']) return 'an integer or a string';
  return schema.type ? `of type ${schema.type}` : 'a value';
}

function typeViolation(schema: StructuralSchema, value: unknown): string | undefined {
  if (schema.format === 'quantity' && schema['x-kubernetes-int-or-string']) {
    // resource.Quantity decodes from strings and from any JSON number ("0.5" or 0.5).
    return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? undefined : 'must be a quantity: a string or a number';
  }
  if (schema['x-kubernetes-int-or-string']) {
    return Number.isInteger(value) || typeof value === 'string' ? undefined : 'must be an integer or a string';
  }
  switch (schema.type) {
    case 'object': return isPlainObject(value) ? undefined : 'must be of type object';
    case 'array': return Array.isArray(value) ? undefined : 'must be of type array';
    case 'string': return typeof value === 'string' ? undefined : 'must be of type string';
    case 'boolean': return typeof value === 'boolean' ? undefined : 'must be of type boolean';
    case 'integer': return Number.isInteger(value) ? undefined : 'must be of type integer';
    case 'number': return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be of type number';
    default: return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkString(value: string, schema: StructuralSchema, path: string, ctx: CheckContext): void {
  const length = schema.minLength !== undefined || schema.maxLength !== undefined ? [...value].length : 0;
  if (schema.minLength !== undefined && length < schema.minLength) {
    ctx.problems.push({ path, value, rule: `must be at least ${schema.minLength} characters long` });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    ctx.problems.push({ path, value, rule: `must be at most ${schema.maxLength} characters long` });
  }
  if (schema.pattern !== undefined) {
    const regex = compiledPattern(schema.pattern);
    if (regex && !regex.test(value)) ctx.problems.push({ path, value, rule: `must match the pattern ${JSON.stringify(schema.pattern)}` });
  }
  const format = formatViolation(schema.format, value);
  if (format) ctx.problems.push({ path, value, rule: format });
}

/** Compiles a schema's (RE2) pattern once; patterns JavaScript cannot read are not checked. */
function compiledPattern(pattern: string): RegExp | undefined {
  if (!patterns.has(pattern)) {
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = undefined;
    }
    patterns.set(pattern, regex);
  }
  return patterns.get(pattern);
}

function checkNumber(value: number, schema: StructuralSchema, path: string, ctx: CheckContext): void {
  if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
    ctx.problems.push({ path, value, rule: `must be ${schema.exclusiveMinimum ? 'greater than' : 'at least'} ${schema.minimum}` });
  }
  if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
    ctx.problems.push({ path, value, rule: `must be ${schema.exclusiveMaximum ? 'less than' : 'at most'} ${schema.maximum}` });
  }
  if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0) {
    ctx.problems.push({ path, value, rule: `must be a multiple of ${schema.multipleOf}` });
  }
  const format = formatViolation(schema.format, value);
  if (format) ctx.problems.push({ path, value, rule: format });
}

function checkArray(value: unknown[], schema: StructuralSchema, path: string, ctx: CheckContext): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    ctx.problems.push({ path, value, rule: `must have at least ${schema.minItems} items` });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    ctx.problems.push({ path, value, rule: `must have at most ${schema.maxItems} items` });
  }
  if (schema.items) {
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null && ctx.builtIn) continue;
      value[i] = checkValue(value[i], schema.items, itemPath(path, i), ctx);
    }
  }
  checkListType(value, schema, path, ctx);
}

/** `x-kubernetes-list-type: set | map` and `uniqueItems`: no two items (or map keys) alike. */
function checkListType(value: unknown[], schema: StructuralSchema, path: string, ctx: CheckContext): void {
  const listType = schema['x-kubernetes-list-type'];
  const mapKeys = schema['x-kubernetes-list-map-keys'];
  const identity = listType === 'map' && mapKeys
    ? (item: any) => canonicalJson(mapKeys.map(k => item?.[k] ?? null))
    : listType === 'set' || schema.uniqueItems ? (item: unknown) => canonicalJson(item) : undefined;
  if (!identity) return;
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const id = identity(item);
    if (seen.has(id)) {
      const what = listType === 'map' ? `an item with the same ${mapKeys!.join(', ')}` : 'the same item';
      ctx.problems.push({ path: itemPath(path, i), value: item, rule: `duplicate: the list holds ${what} twice` });
    }
    seen.add(id);
  });
}

function checkProperties(value: Record<string, unknown>, schema: StructuralSchema, path: string, ctx: CheckContext, embedded: boolean): void {
  const properties = schema.properties ?? {};
  const additional = schema.additionalProperties;
  const preserveUnknown = !!schema['x-kubernetes-preserve-unknown-fields'] || additional === true;

  // Normalize first, as the API server does before it validates: drop nulls, then apply defaults.
  // (A field the schema does not know is reported even when null: strict decoding rejects it.)
  for (const key of Object.keys(value)) {
    const fieldSchema = fieldSchemaOf(key, properties, additional, embedded, ctx);
    if (value[key] === null && fieldSchema && !deref(fieldSchema, ctx).nullable) delete value[key];
  }
  for (const [key, fieldSchema] of Object.entries(properties)) {
    if (value[key] === undefined && fieldSchema.default !== undefined) value[key] = structuredClone(fieldSchema.default);
  }

  for (const key of Object.keys(value)) {
    const fieldSchema = fieldSchemaOf(key, properties, additional, embedded, ctx);
    if (fieldSchema === ctx.objectMeta) {
      // ObjectMeta is a built-in type wherever it is: null means absent there.
      value[key] = checkValue(value[key], fieldSchema, childPath(path, key), { ...ctx, builtIn: true });
    } else if (fieldSchema) {
      value[key] = checkValue(value[key], fieldSchema, childPath(path, key), ctx);
    } else if (!preserveUnknown) {
      // The value is not repeated: a misspelled field may hold anything, a password included.
      ctx.problems.push({ path: childPath(path, key), value: value[key], hideValue: true, rule: 'unknown field: the schema has no such field' });
    }
  }

  for (const key of schema.required ?? []) {
    if (value[key] === undefined) ctx.problems.push({ path: childPath(path, key), value: undefined, rule: 'required field is missing' });
  }
  const count = Object.keys(value).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    ctx.problems.push({ path, value, rule: `must have at least ${schema.minProperties} fields` });
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    ctx.problems.push({ path, value, rule: `must have at most ${schema.maxProperties} fields` });
  }
}

const EMBEDDED_STRING: StructuralSchema = { type: 'string' };

function fieldSchemaOf(
  key: string,
  properties: Record<string, StructuralSchema>,
  additional: StructuralSchema | boolean | undefined,
  embedded: boolean,
  ctx: CheckContext,
): StructuralSchema | undefined {
  if (embedded) {
    // The API server validates the metadata of a resource itself, whatever the schema says of it.
    if (key === 'metadata') return ctx.objectMeta;
    if ((key === 'apiVersion' || key === 'kind') && !properties[key]) return EMBEDDED_STRING;
  }
  return properties[key] ?? (typeof additional === 'object' ? additional : undefined);
}

/** `allOf`, `anyOf`, `oneOf`, `not`: value validations on the same value, never defaulting. */
function checkCombinators(value: unknown, schema: StructuralSchema, path: string, ctx: CheckContext): void {
  const passes = (branch: StructuralSchema) => {
    const scratch: CheckContext = { ...ctx, problems: [], cel: { evaluated: 0, transitionSkipped: 0, unsupportedSkipped: 0 } };
    checkValue(structuredClone(value), { ...branch, default: undefined }, path, scratch);
    return scratch.problems.length === 0;
  };
  for (const branch of schema.allOf ?? []) {
    if (!passes(branch)) ctx.problems.push({ path, value, rule: `must match every schema of allOf (${describeBranch(branch)})` });
  }
  if (schema.anyOf && !schema['x-kubernetes-int-or-string'] && !schema.anyOf.some(passes)) {
    ctx.problems.push({ path, value, rule: `must match at least one of ${schema.anyOf.map(describeBranch).join(' | ')}` });
  }
  if (schema.oneOf && schema.oneOf.filter(passes).length !== 1) {
    ctx.problems.push({ path, value, rule: `must match exactly one of ${schema.oneOf.map(describeBranch).join(' | ')}` });
  }
  if (schema.not && passes(schema.not)) {
    ctx.problems.push({ path, value, rule: `must not match ${describeBranch(schema.not)}` });
  }
}

function describeBranch(schema: StructuralSchema): string {
  const { description: _description, ...rest } = schema as any;
  const text = JSON.stringify(rest);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

function checkCelRules(value: unknown, schema: StructuralSchema, path: string, ctx: CheckContext): void {
  const rules = schema['x-kubernetes-validations'];
  if (!rules || rules.length === 0) return;
  const self = toCelValue(value, schema, ctx);
  for (const rule of rules) {
    const failure = CelRules.check(rule, self, ctx.cel);
    if (failure) {
      const rulePath = rule.fieldPath ? `${path}${rule.fieldPath.startsWith('[') ? '' : '.'}${rule.fieldPath.replace(/^\./, '')}` : path;
      ctx.problems.push({ path: rulePath.replace(/^\./, ''), value, rule: failure });
    }
  }
}

/**
 * CEL's view of a value: integers are `int` (BigInt), the rest as JSON decodes it. Lists and maps
 * are rebuilt in this realm: the CEL library refuses an Array of another one (`instanceof`), such
 * as structuredClone makes under jest.
 */
function toCelValue(value: unknown, schemaOrRef: StructuralSchema | undefined, ctx: CheckContext): unknown {
  const schema = schemaOrRef ? deref(schemaOrRef, ctx) : undefined;
  if (typeof value === 'number') {
    return Number.isInteger(value) && schema?.type !== 'number' ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return Array.from(value, item => toCelValue(item, schema?.items, ctx));
  if (isPlainObject(value)) {
    const additional = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) result[key] = toCelValue(field, schema?.properties?.[key] ?? additional, ctx);
    return result;
  }
  return value;
}
