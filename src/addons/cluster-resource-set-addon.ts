import { ApiObject, App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { rendererFor } from '../capi-api';
import { ResourceSetResourceModel } from '../capi-api/models';
import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { checkCluster } from './check-cluster';
import { isDns1123Subdomain } from '../rules';
import {
  manifestProblem, packEntries, RESOURCE_SET_SIZE_LIMIT, resourceSetManifest, ResourceSetEntry, toEntry,
} from './resource-set-packing';

/** How a ClusterResourceSet applies its resources to the workload cluster. */
export enum AddonStrategy {
  /** Apply each resource once, when the cluster first matches; later changes are not applied. */
  APPLY_ONCE = 'ApplyOnce',
  /** Re-apply a resource whenever its content changes (objects are never deleted). */
  RECONCILE = 'Reconcile',
}

/** Options of any add-on delivered by a ClusterResourceSet. */
export interface ClusterResourceSetAddonOptions {
  /**
   * Name of the ClusterResourceSet, and the prefix of its ConfigMaps and Secrets.
   * @default - "<cluster>-" followed by the add-on's default ("calico", "cloud-provider-openstack",
   * "cluster-autoscaler") or, for a ClusterResourceSetAddon, the construct id in lower case: unique
   * when several clusters share a namespace
   */
  readonly name?: string;

  /**
   * How the ClusterResourceSet applies the objects. Immutable once the ClusterResourceSet exists.
   * @default AddonStrategy.APPLY_ONCE
   */
  readonly strategy?: AddonStrategy;
}

/** Props of a {@link ClusterResourceSetAddon}. */
export interface ClusterResourceSetAddonProps extends ClusterResourceSetAddonOptions {
  /** The cluster the objects are delivered to. */
  readonly cluster: ICapiCluster;
}

/** A ConfigMap or Secret a ClusterResourceSet lists. */
export interface ResourceSetResource {
  /** `ConfigMap` or `Secret`. */
  readonly kind: string;
  /** Its name, in the cluster's namespace. */
  readonly name: string;
}

/**
 * Delivers objects to a workload cluster through a `ClusterResourceSet` in the cluster's
 * namespace, selecting the cluster by its labels.
 *
 * Describe the objects with cdk8s (cdk8s-plus or the `k8s` classes) in a chart made by
 * {@link ClusterResourceSetAddon.workloadChart}: it belongs to an app of its own, so its objects
 * never reach the management cluster's output. Then hand the chart to {@link addChart}.
 *
 * Design: the ConfigMaps are computed when objects are added, not at synth time. Constructs cannot
 * be added while an app synthesizes, and how many ConfigMaps an add-on needs depends on the size
 * of its objects; rendering on `addChart` gives the exact number, lets the size guard throw right
 * away (also under `Testing.synth`, which runs no validation), and a validation catches a chart
 * changed after it was added.
 *
 * Each object is one data key; keys sort by kind (namespaces and CRDs, ServiceAccounts and RBAC,
 * configuration, workloads), and CAPI applies the keys of a ConfigMap in sorted order. Objects that
 * do not fit in one ConfigMap of at most 262,144 bytes are spread over several, listed in order;
 * an object larger than that on its own is an error. `Secret` objects go to Secrets of type
 * `addons.cluster.x-k8s.io/resource-set`, listed after the ConfigMaps of the same call (so their
 * namespace exists; pods that mount them wait for them).
 */
export class ClusterResourceSetAddon extends Construct {
  /**
   * A chart for objects of the workload cluster: detached from the management app, so its
   * objects appear only inside the add-on's ConfigMaps.
   * @param namespace default namespace of the chart's objects (default: none)
   */
  public static workloadChart(namespace?: string): Chart {
    return new Chart(new App(), 'workload', { namespace });
  }

  /** Name of the ClusterResourceSet. */
  public readonly name: string;
  /** Namespace of the ClusterResourceSet, its ConfigMaps and Secrets: the cluster's. */
  public readonly namespace: string;
  /** The strategy of the ClusterResourceSet. */
  public readonly strategy: AddonStrategy;
  /** The `ClusterResourceSet` object, in the API version of the cluster's `upstreamVersions`. */
  public readonly clusterResourceSet: ApiObject;

  // Read by the ClusterResourceSet at synth time: the array is shared, not copied.
  private readonly resourceList: ResourceSetResourceModel[] = [];
  private readonly keys = new Map<string, string>();
  private readonly addedCharts: Array<{ chart: Chart; json: string }> = [];
  private configMapCount = 0;
  private secretCount = 0;

  constructor(scope: Construct, id: string, props: ClusterResourceSetAddonProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    checkCluster(errors, props.cluster);
    errors.throwIfAny();

    this.name = props.name ?? `${props.cluster.name}-${id.toLowerCase()}`;
    this.namespace = props.cluster.namespace;
    this.strategy = props.strategy ?? AddonStrategy.APPLY_ONCE;
    // Room for the longest generated name, "<name>-secret-NNN".
    errors.check(isDns1123Subdomain(this.name) && this.name.length <= 253 - 11, 'name', this.name,
      'must be a DNS-1123 subdomain of at most 242 characters: lower-case letters, digits, "-" and "."');
    errors.check(Object.values(AddonStrategy).includes(this.strategy), 'strategy', this.strategy, 'must be an AddonStrategy');
    errors.throwIfAny();

    this.clusterResourceSet = rendererFor(props.cluster.upstreamVersions).clusterResourceSet(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      clusterSelector: props.cluster.selectorLabels,
      resources: this.resourceList,
      strategy: this.strategy,
    });

    this.node.addValidation({
      validate: () => [
        ...(this.resourceList.length === 0 ? [`${this.node.path}: add-on "${this.name}" delivers nothing: add objects with addChart() or addManifests()`] : []),
        ...this.changedCharts(),
      ],
    });
  }

  /** The ConfigMaps and Secrets the ClusterResourceSet lists, in apply order. */
  public get resources(): ResourceSetResource[] {
    return this.resourceList.map(r => ({ kind: r.kind, name: r.name }));
  }

  /**
   * Delivers the objects of a chart made by {@link ClusterResourceSetAddon.workloadChart}.
   * The chart is rendered now: add it once its objects are complete.
   */
  public addChart(chart: Chart): void {
    const errors = new InputErrors(this);
    if (!(chart instanceof Chart)) {
      errors.add('addChart(chart)', String(chart), 'must be a cdk8s Chart');
    } else if (chart.node.root === this.node.root) {
      errors.add('addChart(chart)', chart.node.path,
        'must not belong to the management app (its objects would be applied there too): create it with ClusterResourceSetAddon.workloadChart()');
    }
    errors.throwIfAny();
    const manifests = chart.toJson();
    this.deliver(manifests, errors);
    // cdk8s sorts keys when rendering, so the same objects always render to the same JSON text.
    this.addedCharts.push({ chart, json: JSON.stringify(manifests) });
  }

  /**
   * Delivers objects given as plain JSON (e.g. parsed from an upstream YAML file).
   * @param manifests Kubernetes objects
   */
  public addManifests(manifests: any[]): void {
    const errors = new InputErrors(this);
    errors.check(Array.isArray(manifests), 'addManifests(manifests)', manifests, 'must be an array of Kubernetes objects');
    errors.throwIfAny();
    let copy: any[] = [];
    try {
      copy = JSON.parse(JSON.stringify(manifests));
    } catch (e) {
      errors.add('addManifests(manifests)', '<objects>', `must be plain JSON data (${(e as Error).message.split('\n')[0]})`);
    }
    errors.throwIfAny();
    this.deliver(copy, errors);
  }

  /**
   * Lists a ConfigMap that exists in the cluster's namespace (created out of band) in the
   * ClusterResourceSet, after the resources added so far.
   */
  public addExistingConfigMap(name: string): void {
    this.addExisting('ConfigMap', name);
  }

  /**
   * Lists a Secret of type `addons.cluster.x-k8s.io/resource-set` that exists in the cluster's
   * namespace (created out of band, so its content stays out of the output) in the
   * ClusterResourceSet, after the resources added so far.
   */
  public addExistingSecret(name: string): void {
    this.addExisting('Secret', name);
  }

  private addExisting(kind: ResourceSetResourceModel['kind'], name: string): void {
    const errors = new InputErrors(this);
    errors.check(isDns1123Subdomain(name), `addExisting${kind}(name)`, name, 'must be a DNS-1123 subdomain');
    errors.check(!this.resourceList.some(r => r.kind === kind && r.name === name), `addExisting${kind}(name)`, name, 'is listed already');
    errors.throwIfAny();
    this.resourceList.push({ kind, name });
  }

  private deliver(manifests: any[], errors: InputErrors): void {
    const entries: ResourceSetEntry[] = [];
    manifests.forEach((manifest, i) => {
      const problem = manifestProblem(manifest);
      if (problem) {
        errors.add(`objects[${i}]`, manifest?.kind ?? manifest, problem);
        return;
      }
      const entry = toEntry(manifest);
      const clash = this.keys.get(entry.key);
      if (clash) errors.add(`object ${entry.id}`, entry.key, `has the same data key as ${clash}: give the objects distinct names`);
      this.keys.set(entry.key, entry.id);
      entries.push(entry);
    });
    errors.throwIfAny();

    // Sized with the longest name a bin can get, so any bin name fits.
    const { bins, oversized } = packEntries(entries, `${this.name}-secret-999`, this.namespace);
    for (const { entry, size } of oversized) {
      errors.add(`object ${entry.id}`, `${size.toLocaleString('en-US')} bytes`,
        `does not fit in a ConfigMap or Secret of add-on "${this.name}": each must stay within `
        + `${RESOURCE_SET_SIZE_LIMIT.toLocaleString('en-US')} bytes (kubectl's last-applied-configuration annotation). `
        + 'Split the object into smaller ones, or install it from inside the workload cluster with a Job '
        + 'that downloads and applies it (as CalicoBootstrapJob does for Calico)');
    }
    errors.throwIfAny();

    for (const bin of bins) {
      const name = bin.secret
        ? (++this.secretCount === 1 ? `${this.name}-secret` : `${this.name}-secret-${this.secretCount}`)
        : (++this.configMapCount === 1 ? this.name : `${this.name}-${this.configMapCount}`);
      const manifest = resourceSetManifest(name, this.namespace, bin);
      const id = bin.secret ? `Secret-${name}` : `ConfigMap-${name}`;
      if (bin.secret) {
        new k8s.KubeSecret(this, id, { metadata: manifest.metadata, type: manifest.type, data: manifest.data });
      } else {
        new k8s.KubeConfigMap(this, id, { metadata: manifest.metadata, data: manifest.data });
      }
      this.resourceList.push({ kind: bin.secret ? 'Secret' : 'ConfigMap', name });
    }
  }

  private changedCharts(): string[] {
    return this.addedCharts
      .filter(({ chart, json }) => JSON.stringify(chart.toJson()) !== json)
      .map(({ chart }) => `${this.node.path}: chart "${chart.node.path}" changed after addChart(): `
        + 'its objects were rendered when it was added; add the chart once its objects are complete');
  }
}
