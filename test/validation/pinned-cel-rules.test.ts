import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { celEnvironment } from '../../src/validation/cel-library';
import { IMPORTS_FOLDER } from '../../src/validation/imports-folder';
import { CelRuleSpec } from '../../src/validation/structural-schema';
import { UpstreamVersions } from '../../src/validation/upstream-versions';

/** Every CEL rule of every served version of the pinned CRDs compiles with the CEL library. */

function* celRules(node: any): Generator<CelRuleSpec> {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, child] of Object.entries(node)) {
    if (key === 'x-kubernetes-validations' && Array.isArray(child)) yield* child;
    else yield* celRules(child);
  }
}

function crdFiles(folder: string): string[] {
  return fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.yaml') && f.split(path.sep).includes('crd'))
    .map(f => path.join(folder, f));
}

const folders = [...new Set(UpstreamVersions.all().flatMap(v => [
  path.join(IMPORTS_FOLDER, 'cluster-api', v.clusterApi),
  path.join(IMPORTS_FOLDER, 'cluster-api-provider-openstack', v.openStackProvider),
]))];

test.each(folders.map(f => [path.relative(IMPORTS_FOLDER, f), f]))('%s', (_name, folder) => {
  const failures: string[] = [];
  let count = 0;
  for (const file of crdFiles(folder)) {
    const crd: any = load(fs.readFileSync(file, 'utf8'));
    for (const version of crd.spec.versions.filter((v: any) => v.served)) {
      for (const rule of celRules(version.schema?.openAPIV3Schema)) {
        count++;
        const checked = celEnvironment().parse(rule.rule).check();
        if (!checked.valid) failures.push(`${crd.spec.names.kind} ${version.name}: ${rule.rule}: ${checked.error?.message}`);
        if (rule.messageExpression) celEnvironment().parse(rule.messageExpression);
      }
    }
  }
  expect(failures).toEqual([]);
  expect(count).toBeGreaterThan(0);
});
