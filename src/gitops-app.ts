import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, IResolver } from 'cdk8s';
import { chartObjects, duplicateObjects, validateByUpstreamVersions, validateConstructs } from './chart-validation';
import { DELIVERY_STAGES, DeliveryStage, stageOf } from './delivery-stages';
import { GitOpsDelivery } from './gitops-delivery';
import { formatErrors } from './input-errors';
import { IManifestValidator } from './manifest-validator';
import { SchemaValidator } from './validation/schema-validator';
import { UpstreamVersions } from './validation/upstream-versions';
import { toYaml } from './yaml-output';

/** Where a {@link GitOpsApp} writes, unless given an `outdir`. */
const DEFAULT_OUTDIR = 'gitops';

/**
 * Props of a {@link GitOpsApp}. Not cdk8s's `AppProps`: the output folder is not the one of the
 * `cdk8s synth` command, and the output is always one file per object.
 */
export interface GitOpsAppProps {
  /**
   * The GitOps folder, replaced all or nothing on every synth. Never taken from `CDK8S_OUTDIR`
   * (as a plain cdk8s `App` does): that is the folder of the `cdk8s synth` command, which deletes
   * it before it runs the app, and which gets one file per chart instead.
   * @default "gitops"
   */
  readonly outdir?: string;

  /**
   * Extension of the files of the `cdk8s synth` command's folder (one per chart).
   * @default ".k8s.yaml"
   */
  readonly outputFileExtension?: string;

  /**
   * Resolvers of property values, as for a cdk8s `App`.
   * @default - none
   */
  readonly resolvers?: IResolver[];

  /**
   * Checks every synthesized object must pass before anything is written, in addition to the
   * schema validation of `validateSchemas`.
   * @default - none
   */
  readonly validators?: IManifestValidator[];

  /**
   * Validate every object against the upstream schemas before writing: the objects of each
   * cluster against the pinned pair of its `upstreamVersions` (the CRDs its management cluster
   * serves), other objects against `UpstreamVersions.DEFAULT`.
   * @default true
   */
  readonly validateSchemas?: boolean;

  /**
   * The GitOps tool that delivers the output, e.g. `GitOpsDelivery.argoCd({ repoUrl })`: its
   * Applications or Kustomizations are written to a folder of their own, validated against the
   * tool's pinned CRDs, and each chart's folder is split into stages applied in order
   * (`1-base`, `2-templates`, `3-cluster`).
   * @default - none: one folder per chart, for any tool
   */
  readonly delivery?: GitOpsDelivery;
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
 * The GitOps folder is `gitops/` unless given an `outdir`, never the output folder of the
 * `cdk8s synth` command (`dist/` by default), which the command deletes before it runs the app:
 * under the command, that folder gets the classic one file per chart.
 */
export class GitOpsApp extends App {
  /** The GitOps tool that delivers the output, when given. */
  public readonly delivery?: GitOpsDelivery;
  private readonly validators: IManifestValidator[];
  private readonly validateSchemas: boolean;

  constructor(props: GitOpsAppProps = {}) {
    super({ outdir: props.outdir ?? DEFAULT_OUTDIR, outputFileExtension: props.outputFileExtension, resolvers: props.resolvers });
    this.validators = props.validators ?? [];
    this.validateSchemas = props.validateSchemas ?? true;
    this.delivery = props.delivery;
  }

  /** Validates the app and returns each chart's objects, without writing anything. */
  public synthManifests(): ChartManifests[] {
    const constructErrors = validateConstructs(this);
    if (constructErrors.length > 0) throw new Error(formatErrors(constructErrors));

    // Each object rendered once: the output and the validation read the same JSON.
    // cdk8s orders the charts by their dependencies each time `charts` is read: once is enough.
    const appCharts = this.charts;
    const rendered = appCharts.map(chart => chartObjects(chart).map(object => ({ object, json: object.toJson() })));
    if (this.delivery?._syncWaves) rendered.flat().forEach(r => addSyncWave(r.json));
    const charts = appCharts.map((chart, i) => ({ folder: chartFolder(chart), manifests: rendered[i].map(r => r.json) }));
    const folders = new Set<string>();
    for (const chart of charts) {
      if (folders.has(chart.folder)) throw new Error(`two charts would write to folder "${chart.folder}": give them distinct ids`);
      folders.add(chart.folder);
    }

    const all = charts.flatMap(c => c.manifests);
    const duplicates = duplicateObjects(charts);
    if (duplicates.length > 0) throw new Error(formatErrors(duplicates));
    const problems = [
      ...(this.validateSchemas ? validateByUpstreamVersions(rendered.flat()) : []),
      ...this.validators.flatMap(v => v.validate(all)),
    ];
    if (problems.length > 0) throw new Error(formatErrors(problems));
    return charts;
  }

  /**
   * Validates, then replaces the output directory with the new manifests in one step.
   *
   * Prints one line saying where, to stderr: the `cdk8s synth` command discards the app's stdout.
   */
  public synth(): void {
    // `cdk8s synth` runs the app with its own output folder, which it empties first.
    const cliOutdir = process.env.CDK8S_OUTDIR;
    const sharesCliOutdir = !!cliOutdir && path.resolve(cliOutdir) === path.resolve(this.outdir);
    if (sharesCliOutdir) {
      process.stderr.write(`[warning] GitOpsApp: outdir "${this.outdir}" is also the output folder of \`cdk8s synth\`, which `
        + 'deletes it before every run, so a failed synth leaves it empty: give GitOpsApp another outdir (by default "gitops")\n');
    }

    const files = new Map<string, string>();
    const charts = this.synthManifests();
    const staged: Array<{ folder: string; stages: DeliveryStage[] }> = [];
    for (const chart of charts) {
      const names = fileNames(chart.manifests);
      if (!this.delivery) {
        for (const [i, manifest] of chart.manifests.entries()) files.set(path.join(chart.folder, names[i]), toYaml(manifest));
        files.set(path.join(chart.folder, 'kustomization.yaml'), kustomization(names));
        continue;
      }
      const stages = DELIVERY_STAGES.filter(stage => chart.manifests.some(m => stageOf(m) === stage));
      for (const stage of stages) {
        const inStage = chart.manifests.map((m, i) => ({ m, name: names[i] })).filter(({ m }) => stageOf(m) === stage);
        for (const { m, name } of inStage) files.set(path.join(chart.folder, stage.folder, name), toYaml(m));
        files.set(path.join(chart.folder, stage.folder, 'kustomization.yaml'), kustomization(inStage.map(({ name }) => name)));
      }
      files.set(path.join(chart.folder, 'kustomization.yaml'), kustomization(stages.map(stage => stage.folder)));
      staged.push({ folder: chart.folder, stages });
    }
    files.set('kustomization.yaml', kustomization(charts.map(c => c.folder)));

    // The delivery's objects are checked before anything is written.
    const delivery = this.delivery ? planDelivery(this.delivery, this.outdir, staged) : undefined;
    replaceDirectory(this.outdir, files);
    process.stderr.write(`GitOpsApp: wrote ${files.size} files to ${displayPath(this.outdir)}${path.sep}\n`);
    if (delivery) {
      replaceDirectory(delivery.outdir, delivery.files);
      process.stderr.write(`GitOpsApp: wrote ${delivery.files.size} ${this.delivery!.tool} files to ${displayPath(delivery.outdir)}${path.sep}\n`);
    }

    // The command's folder gets the classic one file per chart.
    if (cliOutdir && !sharesCliOutdir) {
      fs.mkdirSync(cliOutdir, { recursive: true });
      for (const chart of charts) {
        fs.writeFileSync(path.join(cliOutdir, `${chart.folder}${this.outputFileExtension}`), chart.manifests.map(toYaml).join('---\n'));
      }
    }
  }
}

/** The delivery's objects, validated, as files (one per object, and a kustomization). */
function planDelivery(delivery: GitOpsDelivery, outdir: string, charts: Array<{ folder: string; stages: DeliveryStage[] }>) {
  const plan = delivery._plan(outdir, charts);
  const problems = [...plan.problems, ...new SchemaValidator({ versions: UpstreamVersions.DEFAULT }).validate(plan.objects)];
  if (problems.length > 0) throw new Error(formatErrors(problems));
  if (path.resolve(plan.outdir) === path.resolve(outdir)) throw new Error(`GitOpsDelivery: its outdir ${plan.outdir} is the GitOpsApp's output folder: give it another`);
  const names = fileNames(plan.objects);
  const files = new Map<string, string>(plan.objects.map((object, i) => [names[i], toYaml(object)]));
  files.set('kustomization.yaml', kustomization(names));
  return { outdir: plan.outdir, files };
}

/** Argo CD applies lower waves first and waits for them to be healthy. */
function addSyncWave(manifest: any): void {
  manifest.metadata = manifest.metadata ?? {};
  manifest.metadata.annotations = { ...manifest.metadata.annotations, 'argocd.argoproj.io/sync-wave': String(stageOf(manifest).wave) };
}

/** The folder relative to the working directory when it is below it, absolute otherwise. */
function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), path.resolve(dir));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(dir);
}

function chartFolder(chart: Chart): string {
  return chart.node.path.split('/').filter(Boolean).join('-') || 'default';
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
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources });
}

/**
 * Writes the files into a staging folder beside `dir`, then swaps it in with renames: readers see
 * the old output or the new one, never a mix, and a failure leaves the old one in place. A file
 * whose content is unchanged is the previous file, hard-linked: its modification time stays, so
 * an unchanged synth touches nothing that tools watching mtimes would see.
 */
function replaceDirectory(dir: string, files: Map<string, string>): void {
  const target = path.resolve(dir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.staging-`));
  const hadOutput = fs.existsSync(target);
  const folders = new Set<string>();
  try {
    for (const [file, content] of files) {
      const folder = path.dirname(path.join(staging, file));
      if (!folders.has(folder)) {
        fs.mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      const next = path.join(staging, file);
      if (!hadOutput || !linkIfUnchanged(path.join(target, file), next, content)) fs.writeFileSync(next, content);
    }
    const previous = hadOutput ? `${staging}.previous` : undefined;
    if (previous) fs.renameSync(target, previous);
    fs.renameSync(staging, target);
    if (previous) fs.rmSync(previous, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Hard-links `previous` to `next` when it holds exactly `content`; false otherwise. */
function linkIfUnchanged(previous: string, next: string, content: string): boolean {
  try {
    const stat = fs.statSync(previous, { throwIfNoEntry: false });
    if (!stat || !stat.isFile() || stat.size !== Buffer.byteLength(content) || fs.readFileSync(previous, 'utf8') !== content) return false;
    fs.linkSync(previous, next);
    return true;
  } catch {
    return false;
  }
}
