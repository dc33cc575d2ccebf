import * as fs from 'fs';
import * as path from 'path';
import { SourcedObject } from './cluster-resource-set-payloads';
import { ManifestChecker } from './manifest-checker';
import { UpstreamVersions } from './upstream-versions';
import { parseYamlObjects } from './yaml-documents';

const USAGE = `usage: capi-validate [--capi VERSION]... [--all-versions] PATH...

Validates the Kubernetes objects in YAML files (or folders of them, kustomization.yaml files
skipped; - reads standard input) against the pinned upstream API schemas: CAPI and CAPO CRDs,
Kubernetes built-in kinds. Prints one line per error and a summary; exits 1 if any object is
invalid, 2 on a usage error or when no object is found, 3 when it could not complete.

  --capi VERSION   the CAPI release of the version pair to check against (${UpstreamVersions.all().map(v => `${v.clusterApi} with CAPO ${v.openStackProvider}`).join(', ')});
                   default ${UpstreamVersions.DEFAULT.clusterApi}; repeat to check several
  --all-versions   check against every pinned version pair`;

const SKIPPED_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** The path that stands for standard input, and its name in messages. */
const STDIN = '-';
const STDIN_NAME = '<stdin>';

class UsageError extends Error {}

/**
 * Runs the command line; returns the exit code.
 * @param args the arguments after the program name
 * @param print receives each output line
 * @param readStdin returns all of standard input (read once, when a path is `-`)
 */
export function main(
  args: string[],
  print: (line: string) => void = line => console.log(line),
  readStdin: () => string = () => fs.readFileSync(0, 'utf8'),
): number {
  if (args.includes('--help') || args.includes('-h')) {
    print(USAGE);
    return 0;
  }
  let options: { versions: UpstreamVersions[]; paths: string[] };
  try {
    options = parseArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    print(`capi-validate: ${error.message}`);
    print(USAGE);
    return 2;
  }
  if (options.paths.length === 0) {
    print(USAGE);
    return 2;
  }

  const errors: string[] = [];
  const objects: SourcedObject[] = [];
  let skipped = 0;
  const files = options.paths.flatMap(p => p === STDIN ? [STDIN] : yamlFiles(p, errors))
    .filter((file, i, all) => file !== STDIN || all.indexOf(STDIN) === i); // standard input is read once
  for (const file of files) {
    const name = file === STDIN ? STDIN_NAME : file;
    const parsed = parseYamlObjects(file === STDIN ? readStdin() : fs.readFileSync(file, 'utf8'));
    errors.push(...parsed.errors.map(e => `${name}: not valid YAML: ${e}`));
    for (const { manifest, document } of parsed.objects) {
      if (isKubernetesObject(manifest)) objects.push({ manifest, origin: `${name} document ${document}` });
      else skipped++;
    }
  }

  if (objects.length === 0 && errors.length === 0) {
    print(`capi-validate: no Kubernetes objects found in ${options.paths.map(p => p === STDIN ? STDIN_NAME : p).join(', ')}`);
    return 2;
  }

  let checked = 0;
  let withoutSchema = 0;
  let celUnsupported = 0;
  for (const versions of options.versions) {
    const outcome = ManifestChecker.of(versions).check(objects);
    checked = outcome.objectsChecked;
    withoutSchema = Math.max(withoutSchema, outcome.objectsWithoutSchema);
    celUnsupported = Math.max(celUnsupported, outcome.cel.unsupportedSkipped);
    const prefix = options.versions.length > 1 ? `[${versions}] ` : '';
    errors.push(...outcome.errors.map(e => prefix + e));
  }
  errors.forEach(e => print(e));
  const notes = [
    ...(withoutSchema > 0 ? [`${count(withoutSchema, 'object of a kind', 'objects of kinds')} without a pinned schema (names and labels checked only)`] : []),
    ...(celUnsupported > 0 ? [`${count(celUnsupported, 'CEL rule')} not evaluated`] : []),
    ...(skipped > 0 ? [`${count(skipped, 'other YAML document')} skipped`] : []),
  ].map(note => `, ${note}`).join('');
  print(`capi-validate: ${count(checked, 'object')}, ${count(errors.length, 'error')}${notes} (${options.versions.join('; ')})`);
  return errors.length > 0 ? 1 : 0;
}

/** E.g. `1 object`, `2 objects`. */
function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

function parseArguments(args: string[]): { versions: UpstreamVersions[]; paths: string[] } {
  const versions: UpstreamVersions[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--capi') {
      if (i + 1 >= args.length) throw new UsageError('--capi needs a version');
      versions.push(pinnedPair(args[++i]));
    } else if (arg.startsWith('--capi=')) {
      versions.push(pinnedPair(arg.slice('--capi='.length)));
    } else if (arg === '--all-versions') {
      versions.push(...UpstreamVersions.all());
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      paths.push(arg);
    }
  }
  return { versions: versions.length > 0 ? [...new Set(versions)] : [UpstreamVersions.DEFAULT], paths };
}

function pinnedPair(clusterApiVersion: string): UpstreamVersions {
  if (!/^v?\d+\.\d+(\.\d+)?$/.test(clusterApiVersion)) {
    throw new UsageError(`--capi takes a CAPI release such as v1.13.5 or 1.13, not ${JSON.stringify(clusterApiVersion)}`);
  }
  try {
    return UpstreamVersions.fromClusterApiVersion(clusterApiVersion);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Whether a YAML document is an object for the API server: it has an apiVersion or a kind (one
 * missing is an error the checks report), and is not a kustomize file (Kustomization, Component).
 * Other documents (Helm values, Chart.yaml without kind) are skipped.
 */
function isKubernetesObject(document: any): boolean {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return false;
  if (document.apiVersion === undefined && document.kind === undefined) return false;
  return !String(document.apiVersion).startsWith('kustomize.config.k8s.io/');
}

/** The YAML files at a path: the file itself, or those below a folder (sorted, hidden ones skipped). */
function yamlFiles(target: string, errors: string[]): string[] {
  if (!fs.existsSync(target)) {
    errors.push(`${target}: no such file or folder`);
    return [];
  }
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs.readdirSync(target, { withFileTypes: true })
    .filter(entry => !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const full = path.join(target, entry.name);
      if (entry.isDirectory()) return yamlFiles(full, errors);
      return /\.ya?ml$/.test(entry.name) && !SKIPPED_FILES.has(entry.name) ? [full] : [];
    });
}

/** Runs when the module is the program (bin/capi-validate requires it). */
export function run(): void {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    // Not a verdict on the objects: a distinct exit code, one line.
    console.error(`capi-validate: could not complete: ${(error as Error).message}`);
    process.exitCode = 3;
  }
}
