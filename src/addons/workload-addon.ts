import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { checkCluster } from './check-cluster';
import { ClusterResourceSetAddon, ClusterResourceSetAddonOptions } from './cluster-resource-set-addon';

/** Props of every add-on of a cluster. */
export interface WorkloadAddonProps extends ClusterResourceSetAddonOptions {
  /** The cluster the add-on serves. */
  readonly cluster: ICapiCluster;
}

/** A ClusterRoleBinding of the workload cluster, granting a ClusterRole to a ServiceAccount. */
export interface ClusterRoleBindingOptions {
  /** Name of the binding. */
  readonly name: string;
  /** The ClusterRole: the add-on's own, or one such as `cluster-admin`. */
  readonly clusterRole: string;
  /** The ServiceAccount granted the role. */
  readonly serviceAccount: string;
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
}

/** The options every add-on takes, beside its own. */
const COMMON_PROP_NAMES = ['cluster', 'name', 'strategy'];

/**
 * What every add-on of a cluster does alike: check its props (the cluster, and no misspelled
 * prop), describe its objects of the workload cluster in a chart of their own, give their
 * ServiceAccounts roles, and deliver the chart with a ClusterResourceSet. An add-on adds only
 * what is its own.
 */
export abstract class WorkloadAddon extends Construct {
  /** The cluster the add-on serves. */
  public readonly cluster: ICapiCluster;

  /** The add-on's objects of the workload cluster, delivered by {@link deliver}. */
  protected readonly workload: Chart;

  /**
   * @param propsName the name of the props interface, for errors
   * @param ownPropNames the add-on's own props, beside cluster, name and strategy
   */
  protected constructor(scope: Construct, id: string, props: WorkloadAddonProps, propsName: string, ownPropNames: string[]) {
    super(scope, id);
    const errors = new InputErrors(this);
    if (errors.checkPropNames(propsName, props, [...COMMON_PROP_NAMES, ...ownPropNames])) checkCluster(errors, props.cluster);
    errors.throwIfAny();
    this.cluster = props.cluster;
    this.workload = ClusterResourceSetAddon.workloadChart();
  }

  /**
   * Delivers the workload chart with a ClusterResourceSet named `name` (default
   * `<cluster>-<defaultName>`), followed by resource-set Secrets that exist in the cluster's
   * namespace.
   */
  protected deliver(options: ClusterResourceSetAddonOptions, defaultName: string, existingSecrets: string[] = []): ClusterResourceSetAddon {
    const addon = new ClusterResourceSetAddon(this, 'ClusterResourceSet', {
      cluster: this.cluster,
      name: options.name ?? `${this.cluster.name}-${defaultName}`,
      strategy: options.strategy,
    });
    addon.addChart(this.workload);
    existingSecrets.forEach(name => addon.addExistingSecret(name));
    return addon;
  }

  /** A ClusterRole of the workload cluster. */
  protected addClusterRole(id: string, name: string, rules: k8s.PolicyRule[]): void {
    new k8s.KubeClusterRole(this.workload, id, { metadata: { name }, rules });
  }

  /** Binds a ClusterRole of the workload cluster to a ServiceAccount. */
  protected bindClusterRole(id: string, binding: ClusterRoleBindingOptions): void {
    new k8s.KubeClusterRoleBinding(this.workload, id, {
      metadata: { name: binding.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: binding.clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: binding.serviceAccount, namespace: binding.namespace }],
    });
  }

  /** A ServiceAccount of the workload cluster. */
  protected addServiceAccount(id: string, name: string, namespace: string): void {
    new k8s.KubeServiceAccount(this.workload, id, { metadata: { name, namespace } });
  }
}
