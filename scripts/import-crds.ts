/**
 * Regenerates the typed CRD classes in `src/imports/` from the pinned upstream CRD files in
 * `imports/` — no network. Each CRD is first reduced to its served versions: `cdk8s import` names
 * the first listed version without a suffix, and CAPI v1.10 lists the unserved v1alpha3 first.
 *
 * Run with `npx projen import`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { IMPORTED_CRD_FILES } from './imported-crds';

// cdk8s-cli's importer is the code behind `cdk8s import`; its package does not export the module
// path, so it is loaded from the installed package folder. Called directly it needs no network
// and skips the CLI's upgrade check.
const CDK8S_CLI = path.dirname(require.resolve('cdk8s-cli/package.json'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ImportCustomResourceDefinition } = require(path.join(CDK8S_CLI, 'lib', 'import', 'crd'));

const ROOT = path.join(__dirname, '..');

function servedVersionsOnly(file: string): any[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return parseAllDocuments(text).map(doc => {
    const crd = doc.toJSON();
    crd.spec.versions = crd.spec.versions.filter((v: any) => v.served);
    return crd;
  });
}

/** Writes the generated classes into `outdir`, replacing what it held. */
export async function generateImports(outdir: string): Promise<void> {
  const crds = IMPORTED_CRD_FILES.flatMap(servedVersionsOnly);
  fs.rmSync(outdir, { recursive: true, force: true });
  const importer = new ImportCustomResourceDefinition(crds.map(crd => stringify(crd)).join('---\n'));
  const log = console.log;
  console.log = () => {}; // the importer prints every group and kind it writes
  try {
    await importer.import({ outdir, targetLanguage: 'typescript' });
  } finally {
    console.log = log;
  }
}

if (require.main === module) {
  generateImports(path.join(ROOT, 'src', 'imports')).catch(err => {
    console.error(err);
    process.exit(1);
  });
}
