import { CelCounts, CelRules } from '../../src/validation/cel-rules';
import { KubernetesCatalog } from '../../src/validation/kubernetes-catalog';
import { Problem } from '../../src/validation/problem';
import { checkObject } from '../../src/validation/schema-check';
import { StructuralSchema } from '../../src/validation/structural-schema';

/** The structural-schema semantics, on small schemas of their own. */

const kubernetes = KubernetesCatalog.of('v1.32.0');

function check(object: any, spec: StructuralSchema): { problems: Problem[]; object: any; cel: CelCounts } {
  const problems: Problem[] = [];
  const cel = { evaluated: 0, transitionSkipped: 0, unsupportedSkipped: 0 };
  const copy = structuredClone(object);
  checkObject(copy, { type: 'object', properties: { spec } }, {
    problems, cel, builtIn: false, objectMeta: kubernetes.objectMeta, resolve: ref => kubernetes.resolve(ref),
  });
  return { problems, object: copy, cel };
}

const rules = (problems: Problem[]) => problems.map(p => `${p.path}: ${p.rule}`);

test('defaults are applied, nested ones too, after null is dropped', () => {
  const spec: StructuralSchema = {
    type: 'object',
    properties: {
      strategy: { type: 'string', default: 'ApplyOnce' },
      nested: { type: 'object', default: {}, properties: { size: { type: 'integer', default: 3 } } },
    },
    required: ['strategy'],
  };
  const { problems, object } = check({ spec: { strategy: null } }, spec);
  expect(problems).toEqual([]);
  expect(object.spec).toEqual({ strategy: 'ApplyOnce', nested: { size: 3 } });
});

test('nullable fields keep null; others in lists are refused', () => {
  const spec: StructuralSchema = { type: 'object', properties: { a: { type: 'string', nullable: true }, b: { type: 'array', items: { type: 'string' } } } };
  expect(rules(check({ spec: { a: null, b: ['x', null] } }, spec).problems)).toEqual(['spec.b[1]: must not be null (of type string)']);
});

test('int-or-string takes integers and strings only', () => {
  const spec: StructuralSchema = { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true, 'anyOf': [{ type: 'integer' }, { type: 'string' }] } } };
  expect(check({ spec: { port: 80 } }, spec).problems).toEqual([]);
  expect(check({ spec: { port: 'http' } }, spec).problems).toEqual([]);
  expect(rules(check({ spec: { port: 1.5 } }, spec).problems)).toEqual(['spec.port: must be an integer or a string']);
});

test('x-kubernetes-preserve-unknown-fields keeps fields the schema does not list', () => {
  const spec: StructuralSchema = { 'type': 'object', 'properties': { known: { type: 'string' } }, 'x-kubernetes-preserve-unknown-fields': true };
  expect(check({ spec: { known: 'a', other: { deep: 1 } } }, spec).problems).toEqual([]);
  expect(rules(check({ spec: { known: 1 } }, spec).problems)).toEqual(['spec.known: must be of type string']);
});

test('an embedded resource has apiVersion, kind and a checked metadata', () => {
  const spec: StructuralSchema = { 'type': 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true };
  expect(check({ spec: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: {} } }, spec).problems).toEqual([]);
  expect(rules(check({ spec: { metadata: { nmae: 'a', labels: { a: 1 } } } }, spec).problems)).toEqual([
    'spec.metadata.nmae: unknown field: the schema has no such field',
    'spec.metadata.labels.a: must be of type string',
  ]);
});

test('lengths, item and property counts, list-type uniqueness', () => {
  const spec: StructuralSchema = {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 2, maxLength: 3 },
      tags: { 'type': 'array', 'maxItems': 2, 'items': { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      ports: { 'type': 'array', 'items': { type: 'object', properties: { name: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
      labels: { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1 },
    },
  };
  expect(rules(check({ spec: { name: 'a', tags: ['x', 'x', 'y'], ports: [{ name: 'p' }, { name: 'p' }], labels: {} } }, spec).problems)).toEqual([
    'spec.name: must be at least 2 characters long',
    'spec.tags: must have at most 2 items',
    'spec.tags[1]: duplicate: the list holds the same item twice',
    'spec.ports[1]: duplicate: the list holds an item with the same name twice',
    'spec.labels: must have at least 1 fields',
  ]);
});

test('formats', () => {
  const spec: StructuralSchema = { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, n: { type: 'integer', format: 'int32' }, ip: { type: 'string', format: 'ipv4' } } };
  expect(rules(check({ spec: { id: 'nope', n: 2 ** 31, ip: '10.0.0.256' } }, spec).problems)).toEqual([
    'spec.id: must be in format "uuid"',
    'spec.n: must fit format "int32" (-2147483648 to 2147483647)',
    'spec.ip: must be in format "ipv4"',
  ]);
});

describe('CEL rules', () => {
  const counts = () => ({ evaluated: 0, transitionSkipped: 0, unsupportedSkipped: 0 });

  test('see integers as int, defaults applied, and report their message', () => {
    const spec: StructuralSchema = {
      'type': 'object',
      'properties': { min: { type: 'integer' }, max: { type: 'integer', default: 10 } },
      'x-kubernetes-validations': [{ rule: 'self.min <= self.max && self.max < 100', message: 'min must not exceed max' }],
    };
    const ok = check({ spec: { min: 3 } }, spec);
    expect(ok.problems).toEqual([]);
    expect(ok.cel.evaluated).toBe(1);
    expect(rules(check({ spec: { min: 11 } }, spec).problems)).toEqual(['spec: min must not exceed max (CEL rule "self.min <= self.max && self.max < 100")']);
  });

  test('see lists of objects, even made in another realm (structuredClone\'s under jest)', () => {
    const spec: StructuralSchema = {
      'type': 'array',
      'items': { type: 'object', properties: { name: { type: 'string' } } },
      'x-kubernetes-validations': [{ rule: 'self.all(x, self.exists_one(y, x.name == y.name))', message: 'names must be unique' }],
    };
    expect(check({ spec: [{ name: 'a' }, { name: 'b' }] }, spec).problems).toEqual([]);
    expect(rules(check({ spec: [{ name: 'a' }, { name: 'a' }] }, spec).problems)).toEqual([
      'spec: names must be unique (CEL rule "self.all(x, self.exists_one(y, x.name == y.name))")',
    ]);
  });

  test('transition rules are skipped and counted', () => {
    const c = counts();
    expect(CelRules.check({ rule: 'self == oldSelf' }, 'a', c)).toBeUndefined();
    expect(c).toEqual({ evaluated: 0, transitionSkipped: 1, unsupportedSkipped: 0 });
  });

  test('rules the library cannot parse or type are skipped and counted, not thrown', () => {
    const c = counts();
    expect(CelRules.check({ rule: 'isURL(self)' }, 'a', c)).toBeUndefined();
    expect(CelRules.check({ rule: 'self ==' }, 'a', c)).toBeUndefined();
    expect(c).toEqual({ evaluated: 0, transitionSkipped: 0, unsupportedSkipped: 2 });
  });

  test('a rule that fails to evaluate is reported', () => {
    expect(CelRules.check({ rule: 'self.missing == 1' }, {}, counts())).toMatch(/^CEL rule "self.missing == 1" cannot be evaluated: /);
  });

  test('the rules found in the pinned CRDs all evaluate', () => {
    const c = counts();
    const list = [{ name: 'a' }, { name: 'b' }];
    expect(CelRules.check({ rule: 'self.all(x, self.exists_one(y, x.name == y.name))' }, list, c)).toBeUndefined();
    expect(CelRules.check({ rule: '[has(self.layout),has(self.diskLayout)].filter(x,x==true).size() == 1' }, { layout: 'a' }, c)).toBeUndefined();
    expect(CelRules.check({ rule: '!(self in [\'Ready\',\'Available\'])' }, 'Ready', c)).toMatch(/failed rule/);
    expect(CelRules.check({ rule: 'self.matches(\'^(Linux|[0-9A-Fa-f]{8})$\')' }, 'Linux', c)).toBeUndefined();
    expect(c.evaluated).toBe(4);
  });
});
