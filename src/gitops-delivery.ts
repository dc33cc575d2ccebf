import * as path from 'path';
import { Duration } from 'cdk8s';
import { DeliveryStage } from './delivery-stages';
import { isDns1123Subdomain } from './rules';

/** Options of {@link GitOpsDelivery.argoCd}. */
export interface ArgoCdDeliveryOptions {
  /** URL of the Git repository holding the output, as Argo CD knows it (`argocd repo list`). */
  readonly repoUrl: string;
  /**
   * The branch, tag or commit Argo CD follows.
   * @default "HEAD"
   */
  readonly targetRevision?: string;
  /**
   * Path of the GitOpsApp's output folder inside the repository.
   * @default - the output folder, relative to the working directory of the synth
   */
  readonly repoPath?: string;
  /**
   * The folder the Applications are written to (with a `kustomization.yaml`): apply it once to the
   * cluster Argo CD runs in (`kubectl apply -k <folder>`), or point an app-of-apps at it.
   * @default "<output folder>-argocd"
   */
  readonly outdir?: string;
  /**
   * Namespace of the Applications: Argo CD's.
   * @default "argocd"
   */
  readonly namespace?: string;
  /**
   * Argo CD project of the Applications.
   * @default "default"
   */
  readonly project?: string;
  /**
   * The management cluster, as Argo CD names it.
   * @default "https://kubernetes.default.svc" (Argo CD runs in the management cluster)
   */
  readonly destinationServer?: string;
}

/** Options of {@link GitOpsDelivery.flux}. */
export interface FluxDeliveryOptions {
  /** URL of the Git repository holding the output (`https://...` or `ssh://...`). */
  readonly repoUrl: string;
  /**
   * The branch Flux follows.
   * @default "main"
   */
  readonly branch?: string;
  /**
   * Path of the GitOpsApp's output folder inside the repository.
   * @default - the output folder, relative to the working directory of the synth
   */
  readonly repoPath?: string;
  /**
   * The folder the GitRepository and Kustomizations are written to (with a `kustomization.yaml`):
   * commit it where Flux reconciles from (e.g. `clusters/<management cluster>/`), or apply it once.
   * @default "<output folder>-flux"
   */
  readonly outdir?: string;
  /**
   * Namespace of the Flux objects.
   * @default "flux-system"
   */
  readonly namespace?: string;
  /**
   * Name of the GitRepository.
   * @default "capi-clusters"
   */
  readonly sourceName?: string;
  /**
   * A Secret in `namespace` with the repository's credentials (`flux create secret git`).
   * @default - none: a public repository
   */
  readonly secretName?: string;
  /**
   * How often Flux fetches the repository and reconciles each Kustomization.
   * @default Duration.minutes(10)
   */
  readonly interval?: Duration;
}

/** A chart folder of the output and the stages it has objects in. */
interface DeliveredChartFolder {
  readonly folder: string;
  readonly stages: DeliveryStage[];
}

/** The objects a delivery writes, where, and whether objects carry Argo CD sync waves. */
interface DeliveryPlan {
  readonly outdir: string;
  readonly objects: any[];
  readonly problems: string[];
}

/**
 * How a GitOps tool picks up a {@link GitOpsApp}'s output: the Argo CD Applications or the Flux
 * GitRepository and Kustomizations that deliver it to the management cluster, written to a folder
 * of their own. With a delivery, each chart's folder is split into stages (`1-base`,
 * `2-templates`, `3-cluster`: namespace, credentials and RBAC; templates and the add-ons'
 * ConfigMaps; the cluster and what acts on it), applied in that order: Argo CD by sync waves in
 * one Application per chart, Flux by one Kustomization per stage, each depending on the previous.
 */
export abstract class GitOpsDelivery {
  /**
   * One Argo CD `Application` per chart folder, automated with prune and self-heal; the objects
   * carry sync waves by stage; old hashed templates and credentials are pruned last, if ever
   * (`PruneLast=true`; they carry `Prune=false` themselves).
   */
  public static argoCd(options: ArgoCdDeliveryOptions): GitOpsDelivery {
    return new ArgoCdDelivery(options);
  }

  /**
   * A Flux `GitRepository` and, per chart folder, one `Kustomization` per stage with `dependsOn`
   * the previous stage and `prune: true` (objects that must survive say so themselves).
   */
  public static flux(options: FluxDeliveryOptions): GitOpsDelivery {
    return new FluxDelivery(options);
  }

  /** The name of the tool, for messages. */
  public abstract readonly tool: string;

  /** Whether the objects carry Argo CD sync waves. @internal */
  public abstract readonly _syncWaves: boolean;

  /** @internal */
  public abstract _plan(outdir: string, charts: DeliveredChartFolder[]): DeliveryPlan;
}

/** The repository path of the output folder, as a relative POSIX path. */
function repoPathOf(given: string | undefined, outdir: string, problems: string[]): string {
  if (given !== undefined) {
    const clean = given.replace(/^\.\//, '').replace(/\/+$/, '');
    if (clean.startsWith('/') || clean.split('/').includes('..')) problems.push(`repoPath = "${given}": must be a path inside the repository, relative to its root`);
    return clean;
  }
  const relative = path.relative(process.cwd(), path.resolve(outdir));
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    problems.push(`repoPath: the output folder ${outdir} is outside the working directory: give its path inside the repository`);
  }
  return relative.split(path.sep).join('/');
}

/** An object name from a chart folder: lower case, DNS-1123. */
function objectName(name: string, what: string, problems: string[]): string {
  const lower = name.toLowerCase();
  if (!isDns1123Subdomain(lower) || lower.length > 63) problems.push(`${what} "${lower}" (from chart folder "${name}") is not a valid name: give the chart a lower-case id of at most 63 characters`);
  return lower;
}

class ArgoCdDelivery extends GitOpsDelivery {
  public readonly tool = 'Argo CD';
  public readonly _syncWaves = true;

  constructor(private readonly options: ArgoCdDeliveryOptions) {
    super();
  }

  public _plan(outdir: string, charts: DeliveredChartFolder[]): DeliveryPlan {
    const o = this.options;
    const problems: string[] = [];
    if (typeof o.repoUrl !== 'string' || o.repoUrl === '') problems.push('GitOpsDelivery.argoCd: repoUrl must be the repository\'s URL');
    const repoPath = repoPathOf(o.repoPath, outdir, problems);
    const objects = charts.map(chart => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: objectName(chart.folder, 'Application', problems), namespace: o.namespace ?? 'argocd' },
      spec: {
        project: o.project ?? 'default',
        source: { repoURL: o.repoUrl, targetRevision: o.targetRevision ?? 'HEAD', path: [repoPath, chart.folder].filter(Boolean).join('/') },
        destination: { server: o.destinationServer ?? 'https://kubernetes.default.svc' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          // Removed objects go last, once the new ones are synced and healthy.
          syncOptions: ['PruneLast=true'],
          retry: { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
        },
      },
    }));
    return { outdir: o.outdir ?? `${outdir}-argocd`, objects, problems: problems.map(p => `GitOpsDelivery.argoCd: ${p}`) };
  }
}

class FluxDelivery extends GitOpsDelivery {
  public readonly tool = 'Flux';
  public readonly _syncWaves = false;

  constructor(private readonly options: FluxDeliveryOptions) {
    super();
  }

  public _plan(outdir: string, charts: DeliveredChartFolder[]): DeliveryPlan {
    const o = this.options;
    const problems: string[] = [];
    if (typeof o.repoUrl !== 'string' || !/^(https?|ssh):\/\//.test(o.repoUrl)) problems.push(`repoUrl = "${o.repoUrl}": must be an http(s):// or ssh:// URL (Flux GitRepository)`);
    const repoPath = repoPathOf(o.repoPath, outdir, problems);
    const namespace = o.namespace ?? 'flux-system';
    const sourceName = o.sourceName ?? 'capi-clusters';
    const interval = fluxDuration(o.interval ?? Duration.minutes(10));
    const source = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: sourceName, namespace },
      spec: { interval, url: o.repoUrl, ref: { branch: o.branch ?? 'main' }, ...(o.secretName ? { secretRef: { name: o.secretName } } : {}) },
    };
    const kustomizations = charts.flatMap(chart => chart.stages.map((stage, i) => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: objectName(`${chart.folder}-${stage.name}`, 'Kustomization', problems), namespace },
      spec: {
        interval,
        path: `./${[repoPath, chart.folder, stage.folder].filter(Boolean).join('/')}`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: sourceName },
        ...(i > 0 ? { dependsOn: [{ name: `${chart.folder}-${chart.stages[i - 1].name}`.toLowerCase() }] } : {}),
      },
    })));
    return { outdir: o.outdir ?? `${outdir}-flux`, objects: [source, ...kustomizations], problems: problems.map(p => `GitOpsDelivery.flux: ${p}`) };
  }
}

/** A Flux duration: whole hours, minutes and seconds (`1h30m`). */
function fluxDuration(duration: Duration): string {
  const seconds = duration.toSeconds();
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || seconds === 0 ? `${s}s` : ''}`;
}
