import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, AppProps, Chart, DependencyGraph, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { formatErrors } from './input-errors';
import { SchemaValidator } from './validation/schema-validator';

/** Checks synthesized objects, e.g. against the upstream API schemas. */
export interface IManifestValidator {
  /**
   * Returns one line per problem found in the objects; none when they are all valid.
   * @param manifests the objects, as plain JSON
   */
  validate(manifests: any[]): string[];
}

/** Props of a {@link GitOpsApp}. */
export interface GitOpsAppProps extends AppProps {
  /**
   * Checks every synthesized object must pass before anything is written.
   * @default [new SchemaValidator()] - the pinned upstream schemas (CAPI v1.10.5, CAPO v0.12.4, Kubernetes v1.32), unless validateSchemas is false
   */
  readonly validators?: IManifestValidator[];

  /**
   * Validate every object against the upstream schemas before writing (the default validators).
   * @default true
   */
  readonly validateSchemas?: boolean;
}

/** The objects of one chart, as synthesized. */
export interface ChartManifests {
  /** The folder the chart is written to, below the output directory. */
  readonly folder: string;
  /** The chart's objects, as plain JSON, in apply order. */
  readonly manifests: any[];
}

/**
 * A cdk8s App that validates its objects against the upstream APIs, then writes its output for
 * GitOps tools, all or nothing:
 *
 * ```
 * <outdir>/kustomization.yaml          lists the chart folders
 * <outdir>/<chart>/kustomization.yaml  lists the chart's files
 * <outdir>/<chart>/<kind>-<name>.yaml  one object per file
 * ```
 *
 * `kubectl apply -k <outdir>/<chart>`, an Argo CD Application or a Flux Kustomization can consume
 * a chart folder (or the whole output) as is. Construct validations and the `validators` run first,
 * with every error reported at once; the output folder is then replaced in one rename, so a failed
 * synth leaves the previous output exactly as it was.
 *
 * The `cdk8s synth` command deletes its output folder before it runs the app: give this app an
 * explicit `outdir` and the command another `output` folder (as the example's `cdk8s.yaml` does),
 * so that a failed synth cannot leave the GitOps folder empty.
 */
export class GitOpsApp extends App {
  private readonly validators: IManifestValidator[];

  constructor(props: GitOpsAppProps = {}) {
    super(props);
    this.validators = props.validators ?? (props.validateSchemas === false ? [] : [new SchemaValidator()]);
  }

  /** Validates the app and returns each chart's objects, without writing anything. */
  public synthManifests(): ChartManifests[] {
    const constructErrors = validateConstructs(this);
    if (constructErrors.length > 0) throw new Error(formatErrors(constructErrors));

    const charts = this.charts.map(chart => ({ folder: chartFolder(chart), manifests: chartObjects(chart) }));
    const folders = new Set<string>();
    for (const chart of charts) {
      if (folders.has(chart.folder)) throw new Error(`two charts would write to folder "${chart.folder}": give them distinct ids`);
      folders.add(chart.folder);
    }

    const all = charts.flatMap(c => c.manifests);
    const duplicates = duplicateObjects(charts);
    if (duplicates.length > 0) throw new Error(formatErrors(duplicates));
    const problems = this.validators.flatMap(v => v.validate(all));
    if (problems.length > 0) throw new Error(formatErrors(problems));
    return charts;
  }

  /** Validates, then replaces the output directory with the new manifests in one step. */
  public synth(): void {
    const files = new Map<string, string>();
    const charts = this.synthManifests();
    for (const chart of charts) {
      const names = fileNames(chart.manifests);
      for (const [i, manifest] of chart.manifests.entries()) {
        files.set(path.join(chart.folder, names[i]), Yaml.stringify(manifest));
      }
      files.set(path.join(chart.folder, 'kustomization.yaml'), kustomization(names));
    }
    files.set('kustomization.yaml', kustomization(charts.map(c => c.folder)));
    replaceDirectory(this.outdir, files);

    // Under `cdk8s synth`, which empties its output folder before running the app, that folder
    // also gets the classic one file per chart (the GitOps folder is given as an explicit outdir).
    const cliOutdir = process.env.CDK8S_OUTDIR;
    if (cliOutdir && path.resolve(cliOutdir) !== path.resolve(this.outdir)) {
      fs.mkdirSync(cliOutdir, { recursive: true });
      for (const chart of charts) {
        fs.writeFileSync(path.join(cliOutdir, `${chart.folder}${this.outputFileExtension}`), Yaml.stringify(...chart.manifests));
      }
    }
  }
}

function validateConstructs(app: App): string[] {
  const errors: string[] = [];
  for (const construct of app.node.findAll()) {
    for (const error of construct.node.validate()) {
      errors.push(error.startsWith(construct.node.path) ? error : `${construct.node.path}: ${error}`);
    }
  }
  return errors;
}

/** The chart's own objects (not those of nested charts), dependencies first. */
function chartObjects(chart: Chart): any[] {
  return new DependencyGraph(chart.node).topology()
    .filter((c: IConstruct): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)
    .map(o => o.toJson());
}

function chartFolder(chart: Chart): string {
  return chart.node.path.split('/').filter(Boolean).join('-') || 'default';
}

/**
 * The same object written twice — e.g. by two clusters sharing a namespace — would be applied
 * twice, the second copy silently winning: an error naming both places.
 */
function duplicateObjects(charts: ChartManifests[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const chart of charts) {
    for (const manifest of chart.manifests) {
      const group = String(manifest.apiVersion).includes('/') ? String(manifest.apiVersion).split('/')[0] : 'core';
      const id = `${manifest.kind}/${manifest.metadata?.namespace ? `${manifest.metadata.namespace}/` : ''}${manifest.metadata?.name}`;
      const first = seen.get(`${group} ${id}`);
      if (first !== undefined) {
        problems.push(`${chart.folder}: ${id} is also written by ${first}: give the objects distinct names (two clusters sharing a namespace: name their add-ons apart)`);
      } else {
        seen.set(`${group} ${id}`, chart.folder);
      }
    }
  }
  return problems;
}

/** `<kind>-<name>.yaml`, with the namespace added where a chart has that kind and name twice. */
function fileNames(manifests: any[]): string[] {
  const base = (m: any) => `${String(m.kind).toLowerCase()}-${m.metadata?.name}`;
  const counts = new Map<string, number>();
  for (const m of manifests) counts.set(base(m), (counts.get(base(m)) ?? 0) + 1);
  return manifests.map(m => {
    const unique = counts.get(base(m))! > 1 && m.metadata?.namespace ? `${base(m)}-${m.metadata.namespace}` : base(m);
    return `${unique.replace(/[^0-9a-zA-Z-_.]/g, '')}.yaml`;
  });
}

function kustomization(resources: string[]): string {
  return Yaml.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
}

/**
 * Writes the files into a staging folder beside `dir`, then swaps it in with renames: readers see
 * the old output or the new one, never a mix, and a failure leaves the old one in place.
 */
function replaceDirectory(dir: string, files: Map<string, string>): void {
  const target = path.resolve(dir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.staging-`));
  try {
    for (const [file, content] of files) {
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.writeFileSync(path.join(staging, file), content);
    }
    const previous = fs.existsSync(target) ? `${staging}.previous` : undefined;
    if (previous) fs.renameSync(target, previous);
    fs.renameSync(staging, target);
    if (previous) fs.rmSync(previous, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
