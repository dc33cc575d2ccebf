import { Construct } from 'constructs';
import type { ICapiCluster } from '../cluster-contract';
import { DELETE_PROTECTION } from '../gitops-annotations';
import { InputErrors } from '../input-errors';
import { DEFAULT_CALICO_VERSION } from './calico-bootstrap-job';
import { checkCalicoNetwork } from './calico-network';
import { CalicoNetworkOptions } from './calico-options';
import { checkCluster } from './check-cluster';
import { checkExtraValues, mergeValues } from './extra-values';
import { HelmChartProxy, HelmOptions, HelmReconcileStrategy, HelmValues } from './helm-chart-proxy';
import { claimClusterCni } from './one-cni';
import { SystemPriorityClass } from './pod-placement';

/** Calico's Helm repository, holding the `tigera-operator` chart (Calico docs, "Install Calico", Helm). */
export const CALICO_HELM_REPOSITORY = 'https://docs.tigera.io/calico/charts';

/** Options of a {@link CalicoOperator}. */
export interface CalicoOperatorOptions extends CalicoNetworkOptions {
  /**
   * The `tigera-operator` chart version: a Calico release, `vX.Y.Z`. The chart pins the operator's
   * image, and the operator pins Calico's.
   * @default "v3.30.2" (the release the bootstrap Job installs)
   */
  readonly version?: string;
  /**
   * More chart values, merged over those this construct sets (objects merge, other values
   * replace), e.g. `{ goldmane: { enabled: false }, whisker: { enabled: false } }`; the
   * `installation` values set from the props cannot be overridden here.
   * @default - none
   */
  readonly extraValues?: { [key: string]: any };
  /**
   * Name of the HelmChartProxy.
   * @default "<cluster>-calico"
   */
  readonly name?: string;
  /**
   * How CAAPH reconciles the release.
   * @default HelmReconcileStrategy.CONTINUOUS
   */
  readonly reconcileStrategy?: HelmReconcileStrategy;
  /**
   * Flags of the Helm operations.
   * @default - CAAPH's
   */
  readonly options?: HelmOptions;
}

/** Props of a {@link CalicoOperator}. */
export interface CalicoOperatorProps extends CalicoOperatorOptions {
  /** The cluster whose pod network Calico provides. */
  readonly cluster: ICapiCluster;
}

const PROP_NAMES = ['cluster', 'encapsulation', 'mtu', 'imageRegistry', 'blockSize', 'version', 'extraValues', 'name', 'reconcileStrategy', 'options'];
/** Values the props set, as paths: extraValues may not set them. */
const MANAGED_VALUES = ['installation.cni', 'installation.calicoNetwork', 'installation.registry', 'tigeraOperator.registry'];

/**
 * Calico installed by its operator (Tigera operator), from the `tigera-operator` Helm chart
 * through a {@link HelmChartProxy}: CAAPH must run in the management cluster. The alternative to
 * {@link CalicoBootstrapJob} for teams that prefer the operator: it upgrades Calico when `version`
 * changes (the Job installs once), and configures Calico through its `Installation` resource,
 * here the chart's `installation` values: one IP pool per pod CIDR with the encapsulation, block
 * size and NAT for traffic leaving the cluster, the MTU, and the images' registry.
 *
 * Same checks as the Job: the encapsulation against the security group rules and the ports'
 * allowed address pairs, the MTU against the network's, the block size against the pod CIDRs.
 * A cluster has one CNI: synth fails when it also has the Job or Cilium.
 *
 * The operator pod is `system-cluster-critical` (nothing runs before the CNI); it tolerates every
 * taint (the chart's default), so it starts on the first control plane node.
 */
export class CalicoOperator extends Construct {
  /** The cluster whose pod network Calico provides. */
  public readonly cluster: ICapiCluster;
  /** The CNI's name, for messages. */
  public readonly cniName = 'Calico (operator)';
  /** The HelmChartProxy installing the operator and its Installation. */
  public readonly helmChartProxy: HelmChartProxy;
  /** The chart version. */
  public readonly version: string;
  /** The chart values this construct sets, before `extraValues`. */
  public readonly values: { [key: string]: any };

  constructor(scope: Construct, id: string, props: CalicoOperatorProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    if (errors.checkPropNames('CalicoOperatorProps', props, PROP_NAMES)) checkCluster(errors, props.cluster);
    errors.throwIfAny();
    const cluster = props.cluster;
    this.cluster = cluster;

    this.version = props.version ?? DEFAULT_CALICO_VERSION;
    errors.check(typeof this.version === 'string' && /^v\d+\.\d+\.\d+$/.test(this.version), 'version', this.version,
      'must be a Calico release "vX.Y.Z", e.g. "v3.30.2"');
    const network = checkCalicoNetwork(errors, cluster, props);
    const extra = checkExtraValues(errors, props.extraValues, MANAGED_VALUES, 'CalicoOperator: use its props (encapsulation, mtu, blockSize, imageRegistry)');
    errors.throwIfAny();

    const { encapsulation, mode, mtu, blockSize, imageRegistry } = network!;
    this.values = {
      installation: {
        cni: { type: 'Calico' },
        calicoNetwork: {
          bgp: mode.bgp ? 'Enabled' : 'Disabled',
          ...(mtu ? { mtu } : {}),
          ipPools: cluster.podCidrs.map((cidr, i) => ({
            name: i === 0 ? 'default-ipv4-ippool' : `ipv4-ippool-${i}`,
            cidr,
            encapsulation,
            natOutgoing: 'Enabled',
            nodeSelector: 'all()',
            ...(blockSize ? { blockSize } : {}),
          })),
        },
        // The operator's registry ends with "/" (Installation API, `registry`).
        ...(imageRegistry ? { registry: `${imageRegistry}/` } : {}),
      },
      ...(imageRegistry ? { tigeraOperator: { registry: imageRegistry } } : {}),
      priorityClassName: SystemPriorityClass.CLUSTER_CRITICAL,
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
    };

    this.helmChartProxy = new HelmChartProxy(this, 'HelmChartProxy', {
      cluster,
      name: props.name ?? `${cluster.name}-calico`,
      repoUrl: CALICO_HELM_REPOSITORY,
      chartName: 'tigera-operator',
      version: this.version,
      releaseName: 'calico',
      namespace: 'tigera-operator',
      values: HelmValues.fromObject(mergeValues(this.values, extra)),
      reconcileStrategy: props.reconcileStrategy,
      options: props.options,
    });
    // Deleting the HelmChartProxy uninstalls the release: a GitOps prune would take the pod network away.
    for (const [key, value] of Object.entries(DELETE_PROTECTION)) this.helmChartProxy.apiObject.metadata.addAnnotation(key, value);

    claimClusterCni(this);
  }
}
