import type { ICapiCluster } from '../cluster-contract';
import { parseIpv4Cidr } from '../ipv4';
import { ManagedSecurityGroup, SecurityGroupDirection, SecurityGroupRule } from '../security-group-rule';

/** Traffic a CNI sends between the cluster's nodes: IP protocols (names or numbers) and a port. */
export interface NodeTrafficNeed {
  readonly protocols: string[];
  readonly port?: number;
}

/**
 * Whether a rule of the nodes' security group lets the traffic in from every node: ingress, the
 * protocol and port, and a remote that holds all nodes (both managed groups, a prefix holding the
 * node subnet, or none: from anywhere in Neutron).
 */
export function allowsNodeTraffic(rule: SecurityGroupRule, traffic: NodeTrafficNeed, cluster: ICapiCluster): boolean {
  const p = rule.props;
  if ((p.direction ?? SecurityGroupDirection.INGRESS) !== SecurityGroupDirection.INGRESS) return false;
  if (p.protocol !== undefined && !traffic.protocols.includes(p.protocol)) return false;
  if (traffic.port !== undefined && p.portRangeMin !== undefined
    && !(p.portRangeMin <= traffic.port && traffic.port <= (p.portRangeMax ?? p.portRangeMin))) return false;
  if (p.remoteManagedGroups?.length) {
    return p.remoteManagedGroups.includes(ManagedSecurityGroup.CONTROL_PLANE) && p.remoteManagedGroups.includes(ManagedSecurityGroup.WORKER);
  }
  if (p.remoteIpPrefix !== undefined) return containsNodeSubnet(p.remoteIpPrefix, cluster);
  return true;
}

/** Whether a prefix holds the cluster's node subnet (unknown for an existing network without a CIDR: no). */
function containsNodeSubnet(prefix: string, cluster: ICapiCluster): boolean {
  const outer = parseIpv4Cidr(prefix);
  const inner = cluster.nodeCidr === undefined ? 'unknown' : parseIpv4Cidr(cluster.nodeCidr);
  return typeof outer !== 'string' && typeof inner !== 'string'
    && inner.prefixLength >= outer.prefixLength && inner.address.match(outer.address, outer.prefixLength);
}
