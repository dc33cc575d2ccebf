import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { parseIpv4Cidr } from '../ipv4';
import { CalicoEncapsulation, CalicoNetworkOptions } from './calico-options';
import { allowsNodeTraffic } from './node-traffic';

/** Traffic Calico sends between nodes, and the ready-made rule allowing it. */
interface NodeTraffic {
  readonly what: string;
  readonly protocols: string[];
  readonly port?: number;
  readonly rule: string;
}

const BGP: NodeTraffic = { what: 'BGP (TCP 179)', protocols: ['tcp', '6'], port: 179, rule: 'SecurityGroupRule.calicoBgp()' };
const IP_IN_IP: NodeTraffic = { what: 'IP-in-IP (IP protocol 4)', protocols: ['4', 'ipip'], rule: 'SecurityGroupRule.calicoIpInIp()' };
const VXLAN: NodeTraffic = { what: 'VXLAN (UDP 4789)', protocols: ['udp', '17'], port: 4789, rule: 'SecurityGroupRule.calicoVxlan()' };

/** What an encapsulation is made of in Calico's manifests and on the wire. */
export interface CalicoModeFacts {
  /** The upstream manifest (`manifests/` of projectcalico/calico). */
  readonly manifest: string;
  /** calico-node's `CALICO_IPV4POOL_IPIP` and `CALICO_IPV4POOL_VXLAN`. */
  readonly ipip: string;
  readonly vxlan: string;
  /** Whether Calico runs BGP (the manifest's `calico_backend: bird`). */
  readonly bgp: boolean;
  /** What must pass between the nodes (Calico docs, "Network requirements"). */
  readonly traffic: NodeTraffic[];
  /** Bytes of each packet the encapsulation takes (Calico docs, "Configure MTU"). */
  readonly overhead: number;
  /** Whether pod addresses leave the nodes' ports unencapsulated. */
  readonly unencapsulated: boolean;
}

export const CALICO_MODES: { [encapsulation: string]: CalicoModeFacts } = {
  [CalicoEncapsulation.IP_IN_IP]: { manifest: 'calico.yaml', ipip: 'Always', vxlan: 'Never', bgp: true, traffic: [BGP, IP_IN_IP], overhead: 20, unencapsulated: false },
  [CalicoEncapsulation.IP_IN_IP_CROSS_SUBNET]: { manifest: 'calico.yaml', ipip: 'CrossSubnet', vxlan: 'Never', bgp: true, traffic: [BGP, IP_IN_IP], overhead: 20, unencapsulated: true },
  [CalicoEncapsulation.VXLAN]: { manifest: 'calico-vxlan.yaml', ipip: 'Never', vxlan: 'Always', bgp: false, traffic: [VXLAN], overhead: 50, unencapsulated: false },
  [CalicoEncapsulation.VXLAN_CROSS_SUBNET]: { manifest: 'calico-vxlan.yaml', ipip: 'Never', vxlan: 'CrossSubnet', bgp: false, traffic: [VXLAN], overhead: 50, unencapsulated: true },
  [CalicoEncapsulation.NONE]: { manifest: 'calico.yaml', ipip: 'Never', vxlan: 'Never', bgp: true, traffic: [BGP], overhead: 0, unencapsulated: true },
};

/** The checked Calico network options, with the MTU resolved (0: Calico detects it). */
export interface CalicoNetwork {
  readonly encapsulation: CalicoEncapsulation;
  readonly mode: CalicoModeFacts;
  readonly mtu: number;
  readonly imageRegistry?: string;
  readonly blockSize?: number;
}

/** A registry host (with an optional port) and path, as image references name them. */
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/**
 * Checks Calico's network options against the cluster: the encapsulation against the security
 * group rules and the ports' address pairs, the MTU against the network's, the block size
 * against the pod CIDR. Returns undefined when the encapsulation is unknown.
 */
export function checkCalicoNetwork(errors: InputErrors, cluster: ICapiCluster, options: CalicoNetworkOptions): CalicoNetwork | undefined {
  const encapsulation = options.encapsulation ?? CalicoEncapsulation.IP_IN_IP;
  const mode = CALICO_MODES[encapsulation];
  if (!errors.check(mode !== undefined, 'encapsulation', encapsulation,
    `must be a CalicoEncapsulation (${Object.keys(CalicoEncapsulation).join(', ')})`)) return undefined;

  checkSecurityGroupRules(errors, cluster, encapsulation, mode);
  errors.check(!mode.unencapsulated || cluster.podCidrsAllowedOnPorts, 'encapsulation', encapsulation,
    'sends pod traffic between nodes unencapsulated, which Neutron\'s port security drops: set the cluster\'s podCidrsAllowedOnPorts '
    + '(allowed address pairs for the pod CIDRs), or choose IP_IN_IP or VXLAN');

  const largest = cluster.networkMtu === undefined ? undefined : cluster.networkMtu - mode.overhead;
  const mtu = options.mtu ?? largest ?? 0;
  if (options.mtu !== undefined) {
    // 576: the IPv4 datagram every host must accept (RFC 791); 9000: jumbo frames.
    if (errors.check(Number.isInteger(mtu) && mtu >= 576 && mtu <= 9000, 'mtu', options.mtu, 'must be an integer from 576 to 9000')) {
      errors.check(largest === undefined || mtu <= largest, 'mtu', options.mtu,
        `must be at most the network's MTU (${cluster.networkMtu}) less ${encapsulation}'s overhead of ${mode.overhead} bytes: ${largest}`);
    }
  }

  const registry = options.imageRegistry;
  if (registry !== undefined) {
    errors.check(typeof registry === 'string' && REGISTRY.test(registry), 'imageRegistry', registry,
      'must be a registry host with an optional port and path, without scheme, tag or trailing "/", e.g. "registry.example.com/mirror"');
  }

  const blockSize = options.blockSize;
  if (blockSize !== undefined && errors.check(Number.isInteger(blockSize) && blockSize >= 20 && blockSize <= 32, 'blockSize', blockSize,
    'must be an integer from 20 to 32 (an IPv4 block\'s prefix length)')) {
    for (const cidr of cluster.podCidrs) {
      const pool = parseIpv4Cidr(cidr);
      if (typeof pool === 'string') continue;
      errors.check(blockSize >= pool.prefixLength, 'blockSize', blockSize, `must be no shorter than the pod CIDR ${cidr}'s prefix (/${pool.prefixLength})`);
    }
  }
  return { encapsulation, mode, mtu, imageRegistry: registry, blockSize };
}

/**
 * Refuses an encapsulation the cluster's security groups block. `allowAllInClusterTraffic` lets
 * everything through between control plane and worker nodes (CAPO `getSGControlPlaneAllowAll` /
 * `getSGWorkerAllowAll`, pkg/cloud/services/networking/securitygroups_rules.go); otherwise an
 * ingress rule from every node must allow each kind of traffic.
 */
function checkSecurityGroupRules(errors: InputErrors, cluster: ICapiCluster, encapsulation: CalicoEncapsulation, mode: CalicoModeFacts): void {
  if (cluster.allowAllInClusterTraffic) return;
  const rules = cluster.securityGroupRules ?? [];
  const missing = mode.traffic.filter(traffic => !rules.some(rule => allowsNodeTraffic(rule, traffic, cluster)));
  errors.check(missing.length === 0, 'encapsulation', encapsulation,
    `needs ${missing.map(t => t.what).join(' and ')} between all nodes, which the cluster's security group rules do not allow `
    + `(allowAllInClusterTraffic is false): add ${missing.map(t => t.rule).join(' and ')} to the cluster's securityGroupRules`);
}
