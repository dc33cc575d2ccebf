import { Construct } from 'constructs';
import type { ICapiCluster } from '../cluster-contract';
import { DELETE_PROTECTION } from '../gitops-annotations';
import { InputErrors } from '../input-errors';
import { Ipv4Network, parseIpv4Cidr } from '../ipv4';
import { kubernetesMinor, parseKubernetesVersion } from '../kubernetes-version';
import { ManagedSecurityGroup, SecurityGroupRule } from '../security-group-rule';
import { checkCluster } from './check-cluster';
import { checkExtraValues, mergeValues } from './extra-values';
import { HelmChartProxy, HelmOptions, HelmReconcileStrategy, HelmValues } from './helm-chart-proxy';
import { allowsNodeTraffic } from './node-traffic';
import { claimClusterCni } from './one-cni';

/**
 * The Cilium chart version installed by default, by Kubernetes minor: Cilium 1.18 is e2e tested
 * with Kubernetes 1.30 to 1.33 (Cilium's `Documentation/network/kubernetes/compatibility.rst` at
 * v1.18.14). Other minors need `version`.
 */
export const CILIUM_VERSIONS: { [minor: string]: string } = {
  '1.30': '1.18.14',
  '1.31': '1.18.14',
  '1.32': '1.18.14',
  '1.33': '1.18.14',
};

/** Cilium's Helm repository. */
export const CILIUM_HELM_REPOSITORY = 'https://helm.cilium.io';

/** How Cilium gives pods their addresses (chart value `ipam.mode`). */
export enum CiliumIpamMode {
  /**
   * From each node's `spec.podCIDR`, which kube-controller-manager allocates from the cluster's
   * pod CIDR (kubeadm turns on `--allocate-node-cidrs` when the pod subnet is set, as Cluster API
   * does from the Cluster's `clusterNetwork.pods`): one /24 per node.
   */
  KUBERNETES = 'kubernetes',
  /** From Cilium's own pool, set to the cluster's pod CIDRs (`ipam.operator.clusterPoolIPv4PodCIDRList`). */
  CLUSTER_POOL = 'cluster-pool',
}

/** How Cilium carries pod traffic between nodes (chart values `routingMode: tunnel`, `tunnelProtocol`). */
export enum CiliumTunnelProtocol {
  /** VXLAN on UDP 8472, Linux's default VXLAN port (Cilium docs, "System Requirements", firewall rules). */
  VXLAN = 'vxlan',
  /** Geneve on UDP 6081. */
  GENEVE = 'geneve',
}

/** The UDP port of each tunnel protocol. */
const TUNNEL_PORTS: { [protocol: string]: number } = {
  [CiliumTunnelProtocol.VXLAN]: 8472,
  [CiliumTunnelProtocol.GENEVE]: 6081,
};

/** Options of a {@link CiliumCni}. */
export interface CiliumCniOptions {
  /**
   * The Cilium chart version, exact (e.g. `"1.18.14"`).
   * @default - the release supporting the cluster's Kubernetes minor (`CILIUM_VERSIONS`)
   */
  readonly version?: string;
  /**
   * How pods get their addresses.
   * @default CiliumIpamMode.KUBERNETES
   */
  readonly ipamMode?: CiliumIpamMode;
  /**
   * With `CiliumIpamMode.CLUSTER_POOL`: the prefix length of each node's share of the pod CIDRs.
   * @default 24
   */
  readonly clusterPoolMaskSize?: number;
  /**
   * The tunnel between nodes. The cluster's security group rules must let it through (unless
   * `allowAllInClusterTraffic`): see {@link CiliumCni.securityGroupRules}.
   * @default CiliumTunnelProtocol.VXLAN
   */
  readonly tunnelProtocol?: CiliumTunnelProtocol;
  /**
   * Replace kube-proxy with Cilium's eBPF service handling (`kubeProxyReplacement: "true"`).
   * Cilium then reaches the API server at the cluster's control plane endpoint (values
   * `k8sServiceHost`/`k8sServicePort`, templated by CAAPH from the Cluster). kubeadm still
   * installs kube-proxy: remove its DaemonSet (or skip kubeadm's `addon/kube-proxy` phase).
   * @default false
   */
  readonly kubeProxyReplacement?: boolean;
  /**
   * More chart values, merged over those this construct sets (objects merge, other values
   * replace); the values set from the props above cannot be overridden here.
   * @default - none
   */
  readonly extraValues?: { [key: string]: any };
  /**
   * Name of the HelmChartProxy.
   * @default "<cluster>-cilium"
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

/** Props of a {@link CiliumCni}. */
export interface CiliumCniProps extends CiliumCniOptions {
  /** The cluster whose pod network Cilium provides. */
  readonly cluster: ICapiCluster;
}

const PROP_NAMES = ['cluster', 'version', 'ipamMode', 'clusterPoolMaskSize', 'tunnelProtocol', 'kubeProxyReplacement', 'extraValues',
  'name', 'reconcileStrategy', 'options'];
/** Values the props set, as paths: extraValues may not set them. */
const MANAGED_VALUES = ['ipam.mode', 'ipam.operator.clusterPoolIPv4PodCIDRList', 'ipam.operator.clusterPoolIPv4MaskSize', 'routingMode',
  'tunnelProtocol', 'tunnelPort', 'kubeProxyReplacement', 'k8sServiceHost', 'k8sServicePort'];

/**
 * Cilium as the cluster's CNI, installed by CAAPH from Cilium's Helm chart
 * (`https://helm.cilium.io`, chart `cilium`, release `cilium` in `kube-system`) through a
 * {@link HelmChartProxy}: CAAPH must run in the management cluster. The chart (CRDs included) is
 * too large for a ClusterResourceSet, and CAAPH upgrades it when `version` changes.
 *
 * It replaces Calico: a cluster has one CNI, and synth fails when the cluster also has a
 * CalicoBootstrapJob. Pods get addresses from the cluster's pod CIDRs (`ipamMode`); traffic
 * between nodes is tunnelled (VXLAN on UDP 8472 by default), which the cluster's security group
 * rules must allow unless `allowAllInClusterTraffic`: add {@link CiliumCni.securityGroupRules}.
 * kube-proxy stays unless `kubeProxyReplacement`.
 */
export class CiliumCni extends Construct {
  /**
   * Security group rules for Cilium between all nodes: the tunnel (required), and cilium-health's
   * TCP 4240 and ICMP (recommended: without them Cilium works but reports no node health).
   * Cilium docs, "System Requirements", "Firewall Rules".
   * @param tunnelProtocol the tunnel (default VXLAN)
   */
  public static securityGroupRules(tunnelProtocol: CiliumTunnelProtocol = CiliumTunnelProtocol.VXLAN): SecurityGroupRule[] {
    const port = TUNNEL_PORTS[tunnelProtocol] ?? TUNNEL_PORTS[CiliumTunnelProtocol.VXLAN];
    const remoteManagedGroups = [ManagedSecurityGroup.CONTROL_PLANE, ManagedSecurityGroup.WORKER];
    const name = tunnelProtocol === CiliumTunnelProtocol.GENEVE ? 'Geneve' : 'VXLAN';
    return [
      SecurityGroupRule.custom({
        name: `${name} (cilium)`, description: `Cilium ${name} overlay`, protocol: 'udp', portRangeMin: port, portRangeMax: port, remoteManagedGroups,
      }),
      SecurityGroupRule.custom({
        name: 'Health checks (cilium)', description: 'cilium-health', protocol: 'tcp', portRangeMin: 4240, portRangeMax: 4240, remoteManagedGroups,
      }),
      SecurityGroupRule.custom({ name: 'ICMP (cilium)', description: 'cilium-health ping', protocol: 'icmp', remoteManagedGroups }),
    ];
  }

  /** The cluster whose pod network Cilium provides. */
  public readonly cluster: ICapiCluster;
  /** The CNI's name, for messages. */
  public readonly cniName = 'Cilium';
  /** The HelmChartProxy installing Cilium. */
  public readonly helmChartProxy: HelmChartProxy;
  /** The Cilium chart version. */
  public readonly version: string;
  /** The tunnel between nodes. */
  public readonly tunnelProtocol: CiliumTunnelProtocol;
  /** The chart values: CAAPH's `valuesTemplate`. */
  public readonly valuesTemplate: string;

  constructor(scope: Construct, id: string, props: CiliumCniProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    if (errors.checkPropNames('CiliumCniProps', props, PROP_NAMES)) checkCluster(errors, props.cluster);
    errors.throwIfAny();
    const cluster = props.cluster;

    this.version = props.version ?? defaultVersion(errors, cluster.kubernetesVersion);
    const ipamMode = props.ipamMode ?? CiliumIpamMode.KUBERNETES;
    errors.check(Object.values(CiliumIpamMode).includes(ipamMode), 'ipamMode', ipamMode, 'must be a CiliumIpamMode');
    const maskSize = props.clusterPoolMaskSize ?? 24;
    if (props.clusterPoolMaskSize !== undefined) {
      errors.check(ipamMode === CiliumIpamMode.CLUSTER_POOL, 'clusterPoolMaskSize', props.clusterPoolMaskSize, 'applies to ipamMode CiliumIpamMode.CLUSTER_POOL only');
    }
    const podCidrs = cluster.podCidrs.map(cidr => parseIpv4Cidr(cidr)).filter((n): n is Ipv4Network => typeof n !== 'string');
    if (ipamMode === CiliumIpamMode.CLUSTER_POOL) {
      const largest = Math.min(32, ...podCidrs.map(n => n.prefixLength));
      errors.check(Number.isInteger(maskSize) && maskSize > largest && maskSize <= 30, 'clusterPoolMaskSize', maskSize,
        `must be an integer from ${largest + 1} to 30: a node's share of the pod CIDRs (${cluster.podCidrs.join(', ')})`);
    }
    this.tunnelProtocol = props.tunnelProtocol ?? CiliumTunnelProtocol.VXLAN;
    if (errors.check(Object.values(CiliumTunnelProtocol).includes(this.tunnelProtocol), 'tunnelProtocol', this.tunnelProtocol,
      'must be a CiliumTunnelProtocol (VXLAN or GENEVE)')) {
      checkSecurityGroupRules(errors, cluster, this.tunnelProtocol);
    }
    errors.checkBoolean('kubeProxyReplacement', props.kubeProxyReplacement);
    const kubeProxyReplacement = props.kubeProxyReplacement ?? false;
    const extra = checkExtraValues(errors, props.extraValues, MANAGED_VALUES,
      'CiliumCni: use its props (ipamMode, clusterPoolMaskSize, tunnelProtocol, kubeProxyReplacement)');
    errors.throwIfAny();

    const values: { [key: string]: any } = {
      ipam: ipamMode === CiliumIpamMode.CLUSTER_POOL
        ? { mode: ipamMode, operator: { clusterPoolIPv4PodCIDRList: [...cluster.podCidrs], clusterPoolIPv4MaskSize: maskSize } }
        : { mode: ipamMode },
      routingMode: 'tunnel',
      tunnelProtocol: this.tunnelProtocol,
      tunnelPort: TUNNEL_PORTS[this.tunnelProtocol],
      kubeProxyReplacement: String(kubeProxyReplacement),
    };
    let template = HelmValues.fromObject(mergeValues(values, extra)).valuesTemplate;
    if (kubeProxyReplacement) {
      // Without kube-proxy, the kubernetes Service cannot route: Cilium needs the API server's own address.
      template += 'k8sServiceHost: "{{ .Cluster.spec.controlPlaneEndpoint.host }}"\nk8sServicePort: {{ .Cluster.spec.controlPlaneEndpoint.port }}\n';
    }
    this.valuesTemplate = template;
    this.cluster = cluster;

    this.helmChartProxy = new HelmChartProxy(this, 'HelmChartProxy', {
      cluster,
      name: props.name ?? `${cluster.name}-cilium`,
      repoUrl: CILIUM_HELM_REPOSITORY,
      chartName: 'cilium',
      version: this.version,
      releaseName: 'cilium',
      namespace: 'kube-system',
      values: HelmValues.fromTemplate(template),
      reconcileStrategy: props.reconcileStrategy,
      options: props.options,
    });

    // Deleting the HelmChartProxy uninstalls the release: a GitOps prune would take the pod network away.
    for (const [key, value] of Object.entries(DELETE_PROTECTION)) this.helmChartProxy.apiObject.metadata.addAnnotation(key, value);

    claimClusterCni(this);
  }
}

function defaultVersion(errors: InputErrors, kubernetesVersion: string): string {
  if (!parseKubernetesVersion(kubernetesVersion)) return '';
  const minor = kubernetesMinor(kubernetesVersion);
  const version = CILIUM_VERSIONS[minor];
  errors.check(version !== undefined, 'version', undefined,
    `has no default for Kubernetes ${minor} (known: ${Object.keys(CILIUM_VERSIONS).join(', ')}): set it to a Cilium release that supports ${minor}`);
  return version ?? '';
}

/**
 * Refuses a tunnel the cluster's security groups block, as CalicoBootstrapJob does for Calico's
 * encapsulation: `allowAllInClusterTraffic` lets everything through between the nodes; otherwise an
 * ingress rule from every node must allow the tunnel's UDP port.
 */
function checkSecurityGroupRules(errors: InputErrors, cluster: ICapiCluster, protocol: CiliumTunnelProtocol): void {
  if (cluster.allowAllInClusterTraffic) return;
  const port = TUNNEL_PORTS[protocol];
  const allowed = (cluster.securityGroupRules ?? []).some(rule => allowsNodeTraffic(rule, { protocols: ['udp', '17'], port }, cluster));
  errors.check(allowed, 'tunnelProtocol', protocol,
    `needs ${protocol === CiliumTunnelProtocol.GENEVE ? 'Geneve' : 'VXLAN'} (UDP ${port}) between all nodes, which the cluster's security group rules do not allow `
    + `(allowAllInClusterTraffic is false): add CiliumCni.securityGroupRules(${protocol === CiliumTunnelProtocol.GENEVE ? 'CiliumTunnelProtocol.GENEVE' : ''}) `
    + 'to the cluster\'s securityGroupRules');
}

