import { NEUTRON_PROTOCOL_NAMES } from '../security-group-rule';
import { valuesAt } from './field-values';
import { parseApiVersion } from './kind-schema';
import { Problem } from './problem';

/** CAPO's rule lists of managed security groups (OpenStackCluster `spec.managedSecurityGroups`). */
const RULE_LISTS = ['allNodesSecurityGroupRules', 'controlPlaneNodesSecurityGroupRules', 'workerNodesSecurityGroupRules'];

/** `group/Kind` → where its managed security groups are. */
const MANAGED_SECURITY_GROUPS: Record<string, string> = {
  'infrastructure.cluster.x-k8s.io/OpenStackCluster': 'spec.managedSecurityGroups',
  'infrastructure.cluster.x-k8s.io/OpenStackClusterTemplate': 'spec.template.spec.managedSecurityGroups',
};

const RULE = `must be a Neutron protocol name (${NEUTRON_PROTOCOL_NAMES.join(', ')}) or a number 0-255`;

/**
 * The security group rules whose protocol Neutron refuses: it takes a protocol name of its list,
 * in any case, or a number 0-255 (neutron/extensions/securitygroup.py, convert_protocol). CAPO
 * passes the protocol through, so a typo fails only when CAPO creates the rule.
 */
export function securityGroupProtocolProblems(manifest: any): Problem[] {
  if (typeof manifest.apiVersion !== 'string') return [];
  const groups = MANAGED_SECURITY_GROUPS[`${parseApiVersion(manifest.apiVersion).group}/${manifest.kind}`];
  if (!groups) return [];
  return RULE_LISTS.flatMap(list => valuesAt(manifest, `${groups}.${list}[*].protocol`))
    .filter(({ value }) => typeof value === 'string' && !isNeutronProtocol(value))
    .map(({ path, value }) => ({ path, value, rule: RULE }));
}

function isNeutronProtocol(protocol: string): boolean {
  if (/^\d{1,3}$/.test(protocol)) return Number(protocol) <= 255;
  return NEUTRON_PROTOCOL_NAMES.includes(protocol.toLowerCase());
}
