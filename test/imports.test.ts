import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { generateImports } from '../scripts/import-crds';
import { IMPORTED_CRD_FILES } from '../scripts/imported-crds';
import { capi, capo } from '../src';

const ROOT = path.join(__dirname, '..');

describe('generated CRD classes', () => {
  test('src/imports/ is what `npx projen import` generates from imports/', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'imports-'));
    await generateImports(outdir);
    const committed = path.join(ROOT, 'src', 'imports');
    expect(fs.readdirSync(committed).sort()).toEqual(fs.readdirSync(outdir).sort());
    for (const file of fs.readdirSync(outdir)) {
      const fresh = fs.readFileSync(path.join(outdir, file), 'utf8');
      // A failure here means src/imports/ is stale: run `npx projen import`.
      expect(fs.readFileSync(path.join(committed, file), 'utf8') === fresh).toBe(true);
    }
    fs.rmSync(outdir, { recursive: true });
  });

  // cdk8s import names the first listed version without suffix; CAPI v1.10 lists v1alpha3 first,
  // which the API server no longer serves.
  const served = new Map<string, Set<string>>();
  for (const file of IMPORTED_CRD_FILES) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
      const crd = doc.toJSON();
      served.set(`${crd.spec.group}/${crd.spec.names.kind}`,
        new Set(crd.spec.versions.filter((v: any) => v.served).map((v: any) => v.name)));
    }
  }
  const classes = [...Object.values(capi), ...Object.values(capo)]
    .filter((c: any) => typeof c === 'function' && c.GVK)
    .map((c: any) => c.GVK as { apiVersion: string; kind: string });

  test('every imported kind is generated', () => {
    expect(classes.map(gvk => `${gvk.apiVersion.split('/')[0]}/${gvk.kind}`).sort()).toEqual([...served.keys()].sort());
  });

  test.each(classes.map(gvk => [`${gvk.kind} (${gvk.apiVersion})`, gvk] as const))('%s emits a served apiVersion', (_name, gvk) => {
    const [group, version] = gvk.apiVersion.split('/');
    expect(version).toBe('v1beta1');
    expect(served.get(`${group}/${gvk.kind}`)?.has(version)).toBe(true);
  });
});
