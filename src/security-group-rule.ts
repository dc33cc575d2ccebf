import { parseIpv4Cidr } from './ipv4';

/** Direction of traffic a security group rule allows. */
export enum SecurityGroupDirection {
  INGRESS = 'ingress',
  EGRESS = 'egress',
}

/** The security groups CAPO manages for a cluster, as rule remotes. */
export enum ManagedSecurityGroup {
  CONTROL_PLANE = 'controlplane',
  WORKER = 'worker',
  BASTION = 'bastion',
}

/**
 * A rule of a security group CAPO manages for the cluster: the one of all nodes (CAPO
 * `allNodesSecurityGroupRules`), of the control plane (`controlPlaneNodesSecurityGroupRules`) or of
 * the workers (`workerNodesSecurityGroupRules`).
 */
export interface SecurityGroupRuleProps {
  /** Rule name, unique within its list (CAPO identifies rules by name; it is not sent to OpenStack). */
  readonly name: string;
  /**
   * Rule description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Traffic direction.
   * @default SecurityGroupDirection.INGRESS
   */
  readonly direction?: SecurityGroupDirection;
  /**
   * Neutron protocol: a name (`tcp`, `udp`, `icmp`, ...) or an IP protocol number 0-255 (`"4"`
   * is IP-in-IP).
   * @default - any protocol
   */
  readonly protocol?: string;
  /**
   * First port of the range (tcp, udp, sctp).
   * @default - all ports
   */
  readonly portRangeMin?: number;
  /**
   * Last port of the range.
   * @default - portRangeMin
   */
  readonly portRangeMax?: number;
  /**
   * Managed groups whose members may send this traffic. `ManagedSecurityGroup.BASTION` exists
   * only while the cluster has an enabled bastion.
   * @default - none (use remoteIpPrefix)
   */
  readonly remoteManagedGroups?: ManagedSecurityGroup[];
  /**
   * An IPv4 prefix that may send this traffic.
   * @default - none
   */
  readonly remoteIpPrefix?: string;
}

/** Protocol names Neutron accepts for security group rules. */
export const NEUTRON_PROTOCOL_NAMES = [
  'ah', 'dccp', 'egp', 'esp', 'gre', 'icmp', 'icmpv6', 'igmp', 'ipip', 'ipv6-encap', 'ipv6-frag',
  'ipv6-icmp', 'ipv6-nonxt', 'ipv6-opts', 'ipv6-route', 'ospf', 'pgm', 'rsvp', 'sctp', 'tcp', 'udp',
  'udplite', 'vrrp',
];

/** Protocols whose rules may name ports. */
const PROTOCOLS_WITH_PORTS = ['tcp', 'udp', 'sctp', 'udplite', 'dccp', '6', '17', '132', '136', '33'];

const BETWEEN_ALL_NODES = [ManagedSecurityGroup.CONTROL_PLANE, ManagedSecurityGroup.WORKER];

/**
 * A security group rule for the nodes of a cluster (all of them, the control plane's or the
 * workers'), with ready-made rules for Calico.
 */
export class SecurityGroupRule {
  /** A rule of your own. */
  public static custom(props: SecurityGroupRuleProps): SecurityGroupRule {
    return new SecurityGroupRule(props);
  }

  /** Calico BGP between all nodes: TCP 179. */
  public static calicoBgp(): SecurityGroupRule {
    return new SecurityGroupRule({
      name: 'BGP (Calico)',
      description: 'Created by cluster-api-provider-openstack - BGP (calico)',
      protocol: 'tcp',
      portRangeMin: 179,
      portRangeMax: 179,
      remoteManagedGroups: BETWEEN_ALL_NODES,
    });
  }

  /** Calico IP-in-IP encapsulation between all nodes: IP protocol 4. */
  public static calicoIpInIp(): SecurityGroupRule {
    return new SecurityGroupRule({
      name: 'IP-in-IP (calico)',
      description: 'Created by cluster-api-provider-openstack - IP-in-IP (calico)',
      protocol: '4',
      remoteManagedGroups: BETWEEN_ALL_NODES,
    });
  }

  /**
   * Calico VXLAN encapsulation between all nodes: UDP 4789. For `CalicoBootstrapJob` with
   * `encapsulation: CalicoEncapsulation.VXLAN`; the default, IP-in-IP, needs `calico()`.
   */
  public static calicoVxlan(): SecurityGroupRule {
    return new SecurityGroupRule({
      name: 'VXLAN (calico)',
      description: 'Created by cluster-api-provider-openstack - VXLAN (calico)',
      protocol: 'udp',
      portRangeMin: 4789,
      portRangeMax: 4789,
      remoteManagedGroups: BETWEEN_ALL_NODES,
    });
  }

  /** The rules Calico needs in its default mode (BGP with IP-in-IP), as in the reference cluster. */
  public static calico(): SecurityGroupRule[] {
    return [SecurityGroupRule.calicoBgp(), SecurityGroupRule.calicoIpInIp()];
  }

  private constructor(
    /** The rule's settings. */
    public readonly props: SecurityGroupRuleProps,
  ) {}

  /**
   * The problems of this rule, as `[field, value, rule]` triples.
   * @internal
   */
  public _problems(): Array<[string, unknown, string]> {
    const p = this.props;
    const problems: Array<[string, unknown, string]> = [];
    if (typeof p.name !== 'string' || p.name.length === 0) {
      problems.push(['name', p.name, 'must be a non-empty string']);
    }
    if (p.protocol !== undefined && !isNeutronProtocol(p.protocol)) {
      problems.push(['protocol', p.protocol, `must be a protocol name (${NEUTRON_PROTOCOL_NAMES.join(', ')}) or a number 0-255`]);
    }
    for (const field of ['portRangeMin', 'portRangeMax'] as const) {
      const port = p[field];
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
        problems.push([field, port, 'must be an integer port 0-65535']);
      }
    }
    if (p.portRangeMin !== undefined && p.portRangeMax !== undefined && p.portRangeMin > p.portRangeMax) {
      problems.push(['portRangeMin', p.portRangeMin, `must not exceed portRangeMax (${p.portRangeMax})`]);
    }
    if (p.portRangeMax !== undefined && p.portRangeMin === undefined) {
      problems.push(['portRangeMax', p.portRangeMax, 'needs portRangeMin']);
    }
    if (p.portRangeMin !== undefined && !PROTOCOLS_WITH_PORTS.includes(String(p.protocol))) {
      problems.push(['protocol', p.protocol, `must be one of ${PROTOCOLS_WITH_PORTS.join(', ')} when a port range is given`]);
    }
    if (p.remoteIpPrefix !== undefined) {
      const parsed = parseIpv4Cidr(p.remoteIpPrefix);
      if (typeof parsed === 'string') problems.push(['remoteIpPrefix', p.remoteIpPrefix, parsed]);
      if (p.remoteManagedGroups?.length) {
        problems.push(['remoteIpPrefix', p.remoteIpPrefix, 'cannot be combined with remoteManagedGroups: a rule has one remote']);
      }
    }
    return problems;
  }

  /**
   * The rule as an item of CAPO's `allNodesSecurityGroupRules`, `controlPlaneNodesSecurityGroupRules`
   * or `workerNodesSecurityGroupRules` (CAPO `SecurityGroupRuleSpec`: `remoteIPPrefix`, not
   * `remoteIpPrefix`; the API server would drop a misspelled field, opening the rule to any source).
   * @internal
   */
  public _toSpec(): any {
    const p = this.props;
    return {
      name: p.name,
      description: p.description,
      direction: p.direction ?? SecurityGroupDirection.INGRESS,
      etherType: 'IPv4',
      protocol: p.protocol,
      portRangeMin: p.portRangeMin,
      portRangeMax: p.portRangeMax ?? p.portRangeMin,
      remoteManagedGroups: p.remoteManagedGroups ? [...p.remoteManagedGroups] : undefined,
      remoteIPPrefix: p.remoteIpPrefix,
    };
  }
}

function isNeutronProtocol(protocol: string): boolean {
  if (typeof protocol !== 'string') return false;
  if (/^\d+$/.test(protocol)) return Number(protocol) <= 255;
  return NEUTRON_PROTOCOL_NAMES.includes(protocol);
}
