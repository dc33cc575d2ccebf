import * as ipaddr from 'ipaddr.js';
import { valuesAt } from './field-values';
import { parseApiVersion } from './kind-schema';
import { Problem } from './problem';

type AddressKind = 'cidr' | 'ip' | 'ip-or-cidr';

/**
 * CAPO's OpenStackCluster spec fields that hold addresses (infrastructure.cluster.x-k8s.io
 * v1beta1, api/v1beta1/openstackcluster_types.go); its CRD types them as plain strings.
 */
const OPENSTACK_CLUSTER_SPEC: [string, AddressKind][] = [
  // Neutron's subnet `cidr` (neutron-lib validate_subnet) and allocation pool bounds (IPs).
  ['managedSubnets[*].cidr', 'cidr'],
  ['managedSubnets[*].allocationPools[*].start', 'ip'],
  ['managedSubnets[*].allocationPools[*].end', 'ip'],
  // Neutron's `remote_ip_prefix` takes a CIDR or an address (neutron/extensions/securitygroup.py,
  // convert_ip_prefix_to_cidr).
  ['managedSecurityGroups.allNodesSecurityGroupRules[*].remoteIPPrefix', 'ip-or-cidr'],
  ['managedSecurityGroups.controlPlaneNodesSecurityGroupRules[*].remoteIPPrefix', 'ip-or-cidr'],
  ['managedSecurityGroups.workerNodesSecurityGroupRules[*].remoteIPPrefix', 'ip-or-cidr'],
  // CAPO drops, with only a warning event, entries that are neither a CIDR nor an address
  // (pkg/cloud/services/loadbalancer/loadbalancer.go, getCanonicalAllowedCIDRs).
  ['apiServerLoadBalancer.allowedCIDRs[*]', 'ip-or-cidr'],
  // The load balancer's VIP and the floating IP CAPO looks up or creates by address.
  ['apiServerFixedIP', 'ip'],
  ['apiServerFloatingIP', 'ip'],
];

/** `group/Kind` → the paths of its address fields, whatever the version. */
const ADDRESS_FIELDS: Record<string, [string, AddressKind][]> = {
  // CAPI's Cluster webhook parses each block with net.ParseCIDR (internal/webhooks/cluster.go).
  'cluster.x-k8s.io/Cluster': [
    ['spec.clusterNetwork.pods.cidrBlocks[*]', 'cidr'],
    ['spec.clusterNetwork.services.cidrBlocks[*]', 'cidr'],
  ],
  'infrastructure.cluster.x-k8s.io/OpenStackCluster': OPENSTACK_CLUSTER_SPEC.map(([p, k]) => [`spec.${p}`, k]),
  'infrastructure.cluster.x-k8s.io/OpenStackClusterTemplate': OPENSTACK_CLUSTER_SPEC.map(([p, k]) => [`spec.template.spec.${p}`, k]),
};

const RULES: Record<AddressKind, { test: (value: string) => boolean; rule: string }> = {
  'cidr': { test: isCidr, rule: 'must be a CIDR such as "10.0.0.0/16" (an address and a prefix length)' },
  'ip': { test: isIp, rule: 'must be an IP address' },
  'ip-or-cidr': { test: v => isIp(v) || isCidr(v), rule: 'must be a CIDR or an IP address' },
};

/** The problems of the fields of an object that must hold a CIDR or an IP address. */
export function addressFieldProblems(manifest: any): Problem[] {
  if (typeof manifest.apiVersion !== 'string') return [];
  const fields = ADDRESS_FIELDS[`${parseApiVersion(manifest.apiVersion).group}/${manifest.kind}`] ?? [];
  return fields.flatMap(([pattern, kind]) => valuesAt(manifest, pattern)
    .filter(({ value }) => typeof value === 'string' && !RULES[kind].test(value))
    .map(({ path, value }) => ({ path, value, rule: RULES[kind].rule })));
}

/** An IPv4 address in four decimal parts, or an IPv6 address without a zone, as Go's net.ParseIP. */
function isIp(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value) || (ipaddr.IPv6.isValid(value) && !value.includes('%'));
}

/** An address and a prefix length in range, as Go's net.ParseCIDR. */
function isCidr(value: string): boolean {
  return ipaddr.IPv4.isValidCIDRFourPartDecimal(value) || (ipaddr.IPv6.isValidCIDR(value) && !value.includes('%'));
}
