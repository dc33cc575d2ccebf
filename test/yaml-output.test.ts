import * as fs from 'fs';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { ClusterClassExample } from '../examples/cluster-class/clusters';
import { Mothership, Tenants } from '../examples/grandmothership/clusters';
import { CapiTesting } from '../src';
import { rememberWrittenPayload } from '../src/validation/cluster-resource-set-payloads';
import { parseYamlObjects } from '../src/validation/yaml-documents';
import { toYaml } from '../src/yaml-output';

// Strings that take every path of the library's choice of style: YAML 1.1 look-alikes of other
// types, indicators, document markers, block scalars with each chomping, control characters.
const TRICKY = [
  '', ' ', 'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'true', '0755', '0x1F', '1:20', '1_000', '.5', '1e3', '.inf', '-.Inf', '.NaN',
  '2026-11-25', '2026-11-25T10:00:00Z', '<<', '=', '-', '?', '- a', '? a', ': a', 'a: b', 'a #b', '#a', '&a', '*a', '!a', '|', '>', "'a'", '"a"',
  "it's", 'say "hi"', 'both \' and "', '%YAML', '---', '--- a', '...', 'a\n---\nb', '%x\ny', '[a]', '{a}', 'a,b', '@a', '`a', 'a:', 'a ',
  ' a', '\ta', 'a\tb', 'line\n', 'line', 'a\nb', 'a\nb\n', 'a\nb\n\n', '\n', '\n\n', '  lead\nx', '\nlead', 'x\n  indented\ny', 'trail \nx',
  'x\n ', 'ü ñ 漢字', '\u0007bell', '\u001b[0m', 'a\u2028b', '\u00a0', 'a\r\nb', 'x'.repeat(1100), `${'y'.repeat(50)}\n${'z'.repeat(50)}`,
  'http://example.com/a?b=c#d', '10.0.0.0/24', 'v1.32.4', '{{ local_hostname }}', "openstack:///'{{ instance_id }}'",
];

const keyArb = fc.oneof(fc.constantFrom(...TRICKY.filter(k => k.length < 1000)), fc.string({ maxLength: 8 }));
const stringArb = fc.oneof(fc.constantFrom(...TRICKY), fc.string(), fc.string({ unit: 'grapheme' }),
  fc.array(fc.constantFrom('a', ' ', '\n', '#', ':', '-', '\t', "'", '"', '|'), { maxLength: 12 }).map(parts => parts.join('')));
const { json } = fc.letrec(tie => ({
  json: fc.oneof({ depthSize: 'small' },
    stringArb, fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(keyArb, tie('json'), { maxKeys: 4 })),
}));

describe('toYaml', () => {
  test('writes what cdk8s\'s Yaml.stringify writes, for any JSON value', () => {
    fc.assert(fc.property(json, value => {
      expect(toYaml(value)).toBe(Yaml.stringify(value));
    }), { numRuns: 3000 });
  });

  test.each(TRICKY.map(s => [JSON.stringify(s).slice(0, 40), s]))('the string %s as a value, a key and a list item, at every depth', (_name, s) => {
    for (const value of [s, { [s]: s }, [s], { a: { b: [{ [s]: [s, { c: s }] }] } }]) {
      expect(toYaml(value)).toBe(Yaml.stringify(value));
      // The library writes some bare top-level block scalars it cannot read back: objects only.
      // ("<<" as a key is YAML 1.1's merge key, as the library writes it.)
      if (typeof value === 'object' && s !== '<<') expect(parse(toYaml(value), { version: '1.1' })).toEqual(value);
    }
  });

  test('every example\'s objects are written byte for byte as before', () => {
    const app = Testing.app();
    const charts = [new ClusterClassExample(app, 'cluster-class'), new Mothership(app, 'mothership'), new Tenants(app, 'tenants')];
    const objects = charts.flatMap(chart => CapiTesting.synth(chart));
    const golden = fs.readFileSync(path.join(__dirname, 'golden', 'blog-post-cluster.yaml'), 'utf8');
    for (const object of [...objects, ...golden.split(/^---$/m).map(d => parse(d)).filter(Boolean)]) {
      expect(toYaml(object)).toBe(Yaml.stringify(object));
    }
    expect(objects.length).toBeGreaterThan(50);
  });

  test('an add-on payload remembered as written reads back as its object (else it is parsed)', () => {
    const pieces = ['a', ' ', '\n', '#', ':', '-', '\t', "'", '"', '|', '\uFEFF', '\u2028', '\u0085', '---', '...', '%', '\r', '<<'];
    const text = fc.oneof(stringArb, fc.array(fc.constantFrom(...pieces), { maxLength: 10 }).map(p => p.join('')));
    let remembered = 0;
    fc.assert(fc.property(fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 }), json), { minKeys: 1, maxKeys: 3 }), data => {
      const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'kube-system' }, data };
      const written = toYaml(manifest);
      if (!rememberWrittenPayload(written, manifest)) return;
      remembered++;
      const read = parseYamlObjects(written);
      expect(read.errors).toEqual([]);
      expect(read.objects.map(o => o.manifest)).toEqual([manifest]);
    }), { numRuns: 3000 });
    expect(remembered).toBeGreaterThan(1000);
    // Whitespace-only lines in a kept block scalar read back shorter: parsed, not remembered.
    const kept = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: ' \n' } };
    expect(rememberWrittenPayload(toYaml(kept), kept)).toBe(false);
  });

  test('values that are not plain JSON are left to Yaml.stringify', () => {
    const shared = { name: 'twice' };
    for (const value of [{ a: undefined, b: 1 }, [1, undefined], { d: new Date(0) }, { ['k'.repeat(1100)]: 1 }, { x: shared, y: [shared] }]) {
      expect(toYaml(value)).toBe(Yaml.stringify(value));
    }
  });
});
