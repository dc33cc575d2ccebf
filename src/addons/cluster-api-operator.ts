import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { InputErrors } from '../input-errors';
import { kamajiManagementVersionProblem } from '../kamaji-versions';
import { parseKubernetesVersion } from '../kubernetes-version';
import { AddonStrategy, ClusterResourceSetAddon, ClusterResourceSetAddonOptions } from './cluster-resource-set-addon';
import { HelmChartProxy, HelmValues } from './helm-chart-proxy';
import { WorkloadAddon, WorkloadAddonProps } from './workload-addon';
import { UpstreamVersions } from '../validation/upstream-versions';

/** The cluster-api-operator chart installed by default (kubernetes-sigs/cluster-api-operator, CRDs v0.28.0 pinned here). */
export const CLUSTER_API_OPERATOR_CHART_VERSION = '0.28.0';
/** cert-manager, the operator's prerequisite (it serves the providers' webhooks' certificates). */
export const CERT_MANAGER_CHART_VERSION = 'v1.18.2';

/** The provider releases the operator installs, matching a pair: what the promoted cluster serves. */
interface ProviderVersions {
  readonly clusterApi: string;
  readonly openStack: string;
  /** CAAPH: v0.5+ implement the v1beta2 contract (CAPI v1.11+), v0.4 the v1beta1 one. */
  readonly helm: string;
  /** The Kamaji control plane provider: v0.20 builds on CAPI v1.13 (v1beta2 contract). */
  readonly kamaji?: string;
}

function providerVersions(pair: UpstreamVersions): ProviderVersions {
  return {
    clusterApi: pair.clusterApi,
    openStack: pair.openStackProvider,
    helm: pair.clusterApiVersion === 'v1beta2' ? 'v0.6.4' : 'v0.4.2',
    kamaji: pair.clusterApiVersion === 'v1beta2' ? 'v0.20.0' : undefined,
  };
}

/** Options of a {@link ClusterApiOperator}. */
export interface ClusterApiOperatorOptions extends ClusterResourceSetAddonOptions {
  /**
   * The Cluster API and OpenStack provider releases the promoted cluster runs: the pair its own
   * clusters will be written for.
   * @default - the cluster's own `upstreamVersions`
   */
  readonly upstreamVersions?: UpstreamVersions;
  /**
   * Feature gates of the core and kubeadm control plane providers (CAPI's `--feature-gates`).
   * @default { ClusterTopology: true } (ClusterClass, as the seed's management cluster has it)
   */
  readonly featureGates?: { [gate: string]: boolean };
  /**
   * Install the Kamaji control plane provider too, for hosted control planes. Kamaji itself (its
   * controller and a DataStore) must run in the promoted cluster: install its chart with
   * `cluster.addHelmChart()`.
   * @default false
   */
  readonly kamaji?: boolean;
}

/** Props of a {@link ClusterApiOperator}. */
export interface ClusterApiOperatorProps extends ClusterApiOperatorOptions, WorkloadAddonProps {}

/** A provider the operator installs: its kind, name and namespace (clusterctl's defaults). */
const PROVIDERS: Array<{ kind: string; name: string; namespace: string; version: keyof ProviderVersions; gates?: boolean }> = [
  { kind: 'CoreProvider', name: 'cluster-api', namespace: 'capi-system', version: 'clusterApi', gates: true },
  { kind: 'BootstrapProvider', name: 'kubeadm', namespace: 'capi-kubeadm-bootstrap-system', version: 'clusterApi' },
  { kind: 'ControlPlaneProvider', name: 'kubeadm', namespace: 'capi-kubeadm-control-plane-system', version: 'clusterApi', gates: true },
  { kind: 'InfrastructureProvider', name: 'openstack', namespace: 'capo-system', version: 'openStack' },
  { kind: 'AddonProvider', name: 'helm', namespace: 'caaph-system', version: 'helm' },
];
const KAMAJI_PROVIDER = { kind: 'ControlPlaneProvider', name: 'kamaji', namespace: 'kamaji-system', version: 'kamaji' as const, gates: false };

/**
 * Promotes a workload cluster to a Cluster API management cluster, declaratively: cert-manager
 * and the cluster-api-operator are installed by CAAPH from their Helm charts (pinned), and the
 * operator's providers (core, kubeadm bootstrap and control plane, OpenStack, Helm add-ons, and
 * optionally Kamaji), each pinned to the release of the chosen pair, are delivered to the cluster
 * by a ClusterResourceSet (`Reconcile`: a new pair upgrades them). The operator then installs the
 * providers as `clusterctl init` would.
 *
 * Charts rather than manifests: the operator's and cert-manager's manifests carry their CRDs (too
 * large for a ClusterResourceSet), and CAAPH upgrades a chart when its version changes. The
 * provider objects need the operator's CRDs: until CAAPH has installed the chart, applying them
 * fails and CAPI retries.
 *
 * CAPO v0.12 and later also need ORC (the OpenStack Resource Controller) in the management
 * cluster (CAPO book, "Getting started"): install it as the CAPO book says, e.g. with
 * `cluster.addAddon()` or by hand, before moving clusters there.
 */
export class ClusterApiOperator extends WorkloadAddon {
  /** The ClusterResourceSet delivering the providers. */
  public readonly addon: ClusterResourceSetAddon;
  /** The HelmChartProxies of cert-manager and the operator. */
  public readonly certManager: HelmChartProxy;
  public readonly operator: HelmChartProxy;
  /** The provider objects, by `<kind>/<name>`, with their versions. */
  public readonly providers: { [kindAndName: string]: string } = {};

  constructor(scope: Construct, id: string, props: ClusterApiOperatorProps) {
    super(scope, id, props, 'ClusterApiOperatorOptions', ['upstreamVersions', 'featureGates', 'kamaji']);
    const errors = new InputErrors(this);
    const pair = props.upstreamVersions ?? props.cluster.upstreamVersions;
    const versions = providerVersions(pair);
    errors.checkBoolean('kamaji', props.kamaji);
    errors.check(!props.kamaji || versions.kamaji !== undefined, 'kamaji', props.kamaji,
      `needs a pair serving CAPI v1beta2: the Kamaji control plane provider v0.20 builds on CAPI v1.13 (its go.mod), not ${pair}`);
    const managementVersion = parseKubernetesVersion(props.cluster.kubernetesVersion);
    if (props.kamaji && managementVersion) {
      const problem = kamajiManagementVersionProblem(managementVersion.minor);
      errors.check(problem === undefined, 'kamaji', `cluster ${props.cluster.name} on ${props.cluster.kubernetesVersion}`, problem ?? '');
    }
    const gates = props.featureGates ?? { ClusterTopology: true };
    for (const [gate, on] of Object.entries(gates)) {
      errors.check(/^[A-Z][A-Za-z0-9]*$/.test(gate) && typeof on === 'boolean', `featureGates.${gate}`, on, 'must be a gate name (CamelCase) set to true or false');
    }
    errors.throwIfAny();

    const cluster = props.cluster;
    this.certManager = new HelmChartProxy(this, 'CertManager', {
      cluster,
      name: `${cluster.name}-cert-manager`,
      repoUrl: 'https://charts.jetstack.io',
      chartName: 'cert-manager',
      version: CERT_MANAGER_CHART_VERSION,
      releaseName: 'cert-manager',
      namespace: 'cert-manager',
      values: HelmValues.fromObject({ crds: { enabled: true } }),
    });
    this.operator = new HelmChartProxy(this, 'Operator', {
      cluster,
      name: `${cluster.name}-cluster-api-operator`,
      repoUrl: 'https://kubernetes-sigs.github.io/cluster-api-operator',
      chartName: 'cluster-api-operator',
      version: CLUSTER_API_OPERATOR_CHART_VERSION,
      releaseName: 'capi-operator',
      namespace: 'capi-operator-system',
    });

    const providers = [...PROVIDERS, ...(props.kamaji ? [KAMAJI_PROVIDER] : [])];
    for (const namespace of [...new Set(providers.map(p => p.namespace))]) {
      new ApiObject(this.workload, `Namespace-${namespace}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    }
    for (const p of providers) {
      const version = versions[p.version]!;
      this.providers[`${p.kind}/${p.name}`] = version;
      new ApiObject(this.workload, `${p.kind}-${p.name}`, {
        apiVersion: 'operator.cluster.x-k8s.io/v1alpha2',
        kind: p.kind,
        metadata: { name: p.name, namespace: p.namespace },
        // The core and the kubeadm control plane managers each take the gates: KCP's webhook refuses
        // KubeadmControlPlaneTemplates without ClusterTopology (clusterctl's CLUSTER_TOPOLOGY sets both).
        spec: { version, ...(p.gates ? { manager: { featureGates: { ...gates } } } : {}) },
      });
    }
    this.addon = this.deliver({ ...props, strategy: props.strategy ?? AddonStrategy.RECONCILE }, 'cluster-api-providers');
  }
}
