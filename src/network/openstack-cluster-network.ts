import { BoundCloudCredentials, identityRefOf } from '../cloud-credentials';
import { InputErrors } from '../input-errors';
import { isIpv4Address, Ipv4Network, parseIpv4Cidr } from '../ipv4';
import { MachineImage } from '../machine-image';
import { ManagedSecurityGroup, SecurityGroupRule } from '../security-group-rule';
import { checkFlavor, checkImage } from '../shared-rules';
import { API_SERVER_OPTION_NAMES, ApiServerOptions, HEALTH_MONITOR_NAMES } from './api-server';
import { BASTION_OPTION_NAMES, BastionOptions } from './bastion';
import { CapoFeature, missingCapoFeature } from './capo-features';
import {
  ClusterNetwork, DEFAULT_MANAGED_NODE_CIDR, EXISTING_NETWORK_PROPS, ExistingClusterNetwork, ExistingNetworkProps,
  MANAGED_NETWORK_PROPS, ManagedNetworkProps,
} from './cluster-network';
import { NetworkReference, RouterReference, SubnetReference } from './references';
import { UpstreamVersions } from '../validation/upstream-versions';

/**
 * The props of OpenStackCapiClusterProps this module reads, under the same names: the cluster
 * passes its props object as is. Values may come from untyped code: they are checked first.
 */
export interface ClusterNetworkInputs {
  readonly network?: ClusterNetwork;
  /** Legacy: the node CIDR of the default managed network (checked by the cluster for its shape). */
  readonly nodeCidr?: string;
  /** Legacy: the DNS servers of the default managed network (checked by the cluster). */
  readonly dnsNameservers?: string[];
  /** Checked by the cluster (a UUID). */
  readonly externalNetworkId?: string;
  /** Checked by the cluster (a boolean). */
  readonly apiServerLoadBalancer?: boolean;
  readonly apiServer?: ApiServerOptions;
  /** Checked by the cluster (a boolean). */
  readonly allowAllInClusterTraffic?: boolean;
  /** CAPO allNodesSecurityGroupRules; each rule is checked by the cluster. */
  readonly securityGroupRules?: SecurityGroupRule[];
  readonly controlPlaneSecurityGroupRules?: SecurityGroupRule[];
  readonly workerSecurityGroupRules?: SecurityGroupRule[];
  readonly bastion?: BastionOptions;
  readonly controlPlaneAvailabilityZones?: string[];
  readonly controlPlaneOmitAvailabilityZone?: boolean;
  /** The cluster's image: the bastion's default. */
  readonly image?: MachineImage;
  /** The cluster's key pair: the bastion's default. */
  readonly sshKeyName?: string;
}

/** What the cluster has resolved already. */
export interface ClusterNetworkContext {
  /** The number of control plane machines (default applied). */
  readonly controlPlaneReplicas: number;
  /** The management cluster's releases (default applied). */
  readonly upstreamVersions: UpstreamVersions;
}

/** The cluster's network, checked, and what the rest of the cluster needs to know of it. */
export interface ClusterNetworkPlan {
  /** CIDR of the node subnet when known (always, for a network CAPO creates). */
  readonly nodeCidr?: string;
  /** The prop the node CIDR came from, for messages: `nodeCidr`, `network.cidr` or `network.nodeCidr`. */
  readonly nodeCidrProp: string;
  /** The node subnet, parsed, when known and valid: for overlap and size checks. */
  readonly nodeNetwork?: Ipv4Network;
  /** Whether CAPO creates the network. */
  readonly networkCreatedByCapo: boolean;
  /** The MTU of the network CAPO creates, when set (`ClusterNetwork.managed({ mtu })`). */
  readonly mtu?: number;
  /** Whether the API server sits behind a load balancer. */
  readonly apiServerLoadBalancer: boolean;
  /** The port of the API server endpoint: the kube-apiservers must listen on it. */
  readonly apiServerPort: number;
  /** Servers on the node subnet besides the machines: 1 with an enabled bastion. */
  readonly extraServers: number;
  /** The OpenStackCluster spec fields of the network, the API exposure, security groups, bastion, zones and credentials. */
  spec(credentials: BoundCloudCredentials): { [field: string]: any };
}

const DEFAULT_API_SERVER_PORT = 6443;

/** CAPO's health monitor defaults (pkg/cloud/services/loadbalancer/loadbalancer.go), taken where a field is 0. */
const MONITOR_DEFAULTS: { [field: string]: number } = { delaySeconds: 10, timeoutSeconds: 5, maxRetries: 5, maxRetriesDown: 3 };

/**
 * Checks the cluster's network, API server exposure, security group, bastion and control plane
 * zone props, recording every problem in `errors` (props named as the cluster names them), and
 * plans the OpenStackCluster spec fields they control. Call `errors.throwIfAny()` before using
 * the plan's spec.
 */
export function planClusterNetwork(errors: InputErrors, props: ClusterNetworkInputs, context: ClusterNetworkContext): ClusterNetworkPlan {
  const before = errors.lines.length;
  checkShapes(errors, props);
  const lb = props.apiServerLoadBalancer ?? true;
  if (errors.lines.length > before) {
    return { nodeCidrProp: 'nodeCidr', networkCreatedByCapo: true, apiServerLoadBalancer: lb, apiServerPort: DEFAULT_API_SERVER_PORT, extraServers: 0, spec: () => ({}) };
  }

  const net = checkNetwork(errors, props);
  const bastion = props.bastion;
  const bastionEnabled = bastion !== undefined && bastion.enabled !== false;
  const api = checkApiServer(errors, props, net, lb, context.upstreamVersions);
  checkSecurityGroups(errors, props, bastionEnabled);
  if (bastion) checkBastion(errors, props, bastion, net.disableExternalNetwork);
  checkControlPlaneZones(errors, props, context.controlPlaneReplicas);

  return {
    nodeCidr: net.nodeCidr,
    nodeCidrProp: net.nodeCidrProp,
    nodeNetwork: net.nodeNetwork,
    networkCreatedByCapo: net.managed !== undefined,
    mtu: net.managed?.mtu,
    apiServerLoadBalancer: lb,
    apiServerPort: props.apiServer?.port ?? DEFAULT_API_SERVER_PORT,
    extraServers: bastionEnabled ? 1 : 0,
    spec: credentials => ({
      ...api.spec(),
      ...net.spec(),
      externalNetwork: props.externalNetworkId ? { id: props.externalNetworkId } : undefined,
      identityRef: identityRefOf(credentials),
      managedSecurityGroups: {
        allowAllInClusterTraffic: props.allowAllInClusterTraffic ?? true,
        allNodesSecurityGroupRules: rulesSpec(props.securityGroupRules),
        controlPlaneNodesSecurityGroupRules: rulesSpec(props.controlPlaneSecurityGroupRules),
        workerNodesSecurityGroupRules: rulesSpec(props.workerSecurityGroupRules),
      },
      bastion: bastion ? {
        enabled: bastionEnabled,
        availabilityZone: bastion.availabilityZone,
        floatingIP: bastion.floatingIp,
        spec: {
          flavor: bastion.flavor.name,
          image: (bastion.image ?? props.image)?._toSpec(),
          sshKeyName: bastion.sshKeyName ?? props.sshKeyName,
        },
      } : undefined,
      controlPlaneAvailabilityZones: props.controlPlaneAvailabilityZones?.length ? [...props.controlPlaneAvailabilityZones] : undefined,
      controlPlaneOmitAvailabilityZone: props.controlPlaneOmitAvailabilityZone === true ? true : undefined,
    }),
  };
}

function rulesSpec(rules: SecurityGroupRule[] | undefined): any[] | undefined {
  return rules?.length ? rules.map(rule => rule._toSpec()) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Shapes: props from untyped code may be anything.

const isString = (v: unknown) => typeof v === 'string';
const isObject = (v: unknown): v is { [key: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkShapes(errors: InputErrors, props: ClusterNetworkInputs): void {
  if (props.network !== undefined) {
    errors.check(props.network instanceof ClusterNetwork, 'network', props.network,
      'must be a ClusterNetwork (ClusterNetwork.managed or ClusterNetwork.existing)');
  }
  checkStruct(errors, 'apiServer', 'ApiServerOptions', props.apiServer, API_SERVER_OPTION_NAMES);
  checkStruct(errors, 'bastion', 'BastionOptions', props.bastion, BASTION_OPTION_NAMES);
  if (isObject(props.apiServer)) checkStruct(errors, 'apiServer.healthMonitor', 'ApiServerHealthMonitor', props.apiServer.healthMonitor, HEALTH_MONITOR_NAMES);
  for (const prop of ['controlPlaneSecurityGroupRules', 'workerSecurityGroupRules'] as const) {
    errors.checkList(prop, props[prop], r => r instanceof SecurityGroupRule, 'SecurityGroupRule (e.g. SecurityGroupRule.custom)');
  }
  errors.checkList('controlPlaneAvailabilityZones', props.controlPlaneAvailabilityZones, isString, 'availability zone names');
  errors.checkBoolean('controlPlaneOmitAvailabilityZone', props.controlPlaneOmitAvailabilityZone);
}

/** An optional struct: an object whose every key is a known prop. */
function checkStruct(errors: InputErrors, prop: string, type: string, value: unknown, known: string[]): void {
  if (value !== undefined) errors.checkPropNames(type, value, known, prop);
}

// ---------------------------------------------------------------------------------------------
// The node network.

interface CheckedNetwork {
  readonly managed?: ManagedNetworkProps;
  readonly existing?: ExistingNetworkProps;
  readonly nodeCidr?: string;
  readonly nodeCidrProp: string;
  readonly nodeNetwork?: Ipv4Network;
  readonly disableExternalNetwork: boolean;
  readonly router?: RouterReference;
  /** The spec fields, built only once every prop is known valid. */
  readonly spec: () => { [field: string]: any };
}

function checkNetwork(errors: InputErrors, props: ClusterNetworkInputs): CheckedNetwork {
  if (props.network === undefined) {
    // Today's default: the network CAPO creates, from the legacy props (the cluster checks them).
    const cidr = props.nodeCidr ?? DEFAULT_MANAGED_NODE_CIDR;
    return {
      managed: { cidr, dnsNameservers: props.dnsNameservers },
      nodeCidr: cidr,
      nodeCidrProp: 'nodeCidr',
      nodeNetwork: parseCidr(errors, 'nodeCidr', cidr),
      disableExternalNetwork: false,
      spec: () => ({
        managedSubnets: [{ cidr, dnsNameservers: props.dnsNameservers?.length ? [...props.dnsNameservers] : undefined }],
      }),
    };
  }
  for (const prop of ['nodeCidr', 'dnsNameservers'] as const) {
    errors.check(props[prop] === undefined, prop, props[prop],
      `conflicts with network: give it to ClusterNetwork.managed({ ${prop === 'nodeCidr' ? 'cidr' : prop} })`
      + (prop === 'nodeCidr' ? ' (or ClusterNetwork.existing({ nodeCidr }))' : ''));
  }
  return props.network instanceof ExistingClusterNetwork
    ? checkExistingNetwork(errors, props.network._props)
    : checkManagedNetwork(errors, props.network._props as ManagedNetworkProps);
}

function checkManagedNetwork(errors: InputErrors, managed: ManagedNetworkProps): CheckedNetwork {
  const m = managed as ManagedNetworkProps & { [key: string]: unknown };
  if (!errors.check(isObject(m), 'network', m, 'must be ClusterNetwork.managed({ cidr, dnsNameservers, mtu, router })')) {
    return { nodeCidrProp: 'network.cidr', disableExternalNetwork: false, spec: () => ({}) };
  }
  if ('disableExternalNetwork' in m) {
    errors.add('network.disableExternalNetwork', m.disableExternalNetwork,
      'is only for ClusterNetwork.existing: a network CAPO creates without an external network has no router, so nothing can reach it: '
      + 'not the management cluster (the API server has no floating IP), not the bastion (it has no floating IP either), not the internet');
  }
  checkStruct(errors, 'network', 'ManagedNetworkProps', Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'disableExternalNetwork')), MANAGED_NETWORK_PROPS);
  const cidr = m.cidr ?? DEFAULT_MANAGED_NODE_CIDR;
  const nodeNetwork = errors.check(isString(cidr), 'network.cidr', cidr, 'must be a string') ? parseCidr(errors, 'network.cidr', cidr) : undefined;
  if (errors.checkList('network.dnsNameservers', m.dnsNameservers, isString, 'IPv4 address strings')) {
    (m.dnsNameservers ?? []).forEach((server, i) => errors.check(isIpv4Address(server), `network.dnsNameservers[${i}]`, server, 'must be an IPv4 address'));
  }
  if (m.mtu !== undefined) {
    errors.check(Number.isInteger(m.mtu) && m.mtu >= 68, 'network.mtu', m.mtu, 'must be an integer of at least 68 (the smallest IPv4 MTU, Neutron\'s minimum)');
  }
  checkReference(errors, 'network.router', m.router, RouterReference, 'RouterReference (RouterReference.fromId, fromName or fromFilter)');
  return {
    managed: m,
    nodeCidr: cidr,
    nodeCidrProp: 'network.cidr',
    nodeNetwork,
    disableExternalNetwork: false,
    router: m.router,
    spec: () => ({
      managedSubnets: [{ cidr, dnsNameservers: m.dnsNameservers?.length ? [...m.dnsNameservers] : undefined }],
      networkMTU: m.mtu,
      router: m.router?._toSpec(),
    }),
  };
}

function checkExistingNetwork(errors: InputErrors, existing: ExistingNetworkProps): CheckedNetwork {
  const e = existing as ExistingNetworkProps & { [key: string]: unknown };
  if (!errors.check(isObject(e), 'network', e, 'must be ClusterNetwork.existing({ network, subnets, router, nodeCidr })')) {
    return { nodeCidrProp: 'network.nodeCidr', disableExternalNetwork: false, spec: () => ({}) };
  }
  checkStruct(errors, 'network', 'ExistingNetworkProps', e, EXISTING_NETWORK_PROPS);
  checkReference(errors, 'network.network', e.network, NetworkReference, 'NetworkReference (NetworkReference.fromId, fromName or fromFilter)');
  checkReference(errors, 'network.router', e.router, RouterReference, 'RouterReference (RouterReference.fromId, fromName or fromFilter)');
  const subnets = e.subnets ?? [];
  if (errors.checkList('network.subnets', e.subnets, s => s instanceof SubnetReference, 'SubnetReference (SubnetReference.fromId, fromName or fromFilter)')) {
    subnets.forEach((subnet, i) => checkReference(errors, `network.subnets[${i}]`, subnet, SubnetReference, ''));
    // CAPO `subnets`: "There can be zero, one, or two subnets. If 2 subnets are specified, one must be IPv4 and the other IPv6."
    if (errors.check(subnets.length <= 2, 'network.subnets', subnets.length, 'must hold at most 2 subnets (one IPv4, one IPv6): CAPO uses no more')) {
      const versions = subnets.map(s => s._ipVersion);
      errors.check(!(subnets.length === 2 && versions[0] !== undefined && versions[0] === versions[1]), 'network.subnets[1]', `IPv${versions[1]}`,
        'must be of the other IP version than network.subnets[0]: CAPO takes two subnets only as one IPv4 and one IPv6');
    }
  }
  errors.check(e.network !== undefined || subnets.length > 0, 'network.network', undefined,
    'must be set, or at least one subnet: CAPO must know which existing network the nodes use');
  errors.checkBoolean('network.disableExternalNetwork', e.disableExternalNetwork);
  let nodeNetwork: Ipv4Network | undefined;
  if (e.nodeCidr !== undefined && errors.check(isString(e.nodeCidr), 'network.nodeCidr', e.nodeCidr, 'must be a string')) {
    nodeNetwork = parseCidr(errors, 'network.nodeCidr', e.nodeCidr);
  }
  const disableExternalNetwork = e.disableExternalNetwork === true;
  return {
    existing: e,
    nodeCidr: e.nodeCidr,
    nodeCidrProp: 'network.nodeCidr',
    nodeNetwork,
    disableExternalNetwork,
    router: e.router,
    spec: () => ({
      network: e.network?._toSpec(),
      subnets: subnets.length ? subnets.map(s => s._toSpec()) : undefined,
      router: e.router?._toSpec(),
      disableExternalNetwork: disableExternalNetwork ? true : undefined,
    }),
  };
}

function checkReference(errors: InputErrors, prop: string, value: unknown,
  type: typeof NetworkReference | typeof SubnetReference | typeof RouterReference, rule: string): void {
  if (value === undefined) return;
  if (rule && !errors.check(value instanceof type, prop, value, `must be a ${rule}`)) return;
  for (const [field, v, problem] of (value as NetworkReference)._problems()) errors.add(`${prop}.${field}`, v, problem);
}

function parseCidr(errors: InputErrors, prop: string, cidr: string): Ipv4Network | undefined {
  const parsed = parseIpv4Cidr(cidr);
  if (typeof parsed === 'string') {
    errors.add(prop, cidr, parsed);
    return undefined;
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// The API server's exposure.

function checkApiServer(errors: InputErrors, props: ClusterNetworkInputs, net: CheckedNetwork, lb: boolean,
  versions: UpstreamVersions): { spec: () => { [field: string]: any } } {
  const a: ApiServerOptions = props.apiServer ?? {};
  const management = addressList(errors, 'apiServer.managementClusterCidrs', a.managementClusterCidrs);
  const allowed = addressList(errors, 'apiServer.allowedCidrs', a.allowedCidrs);
  const allowedCidrs = [...new Set([...management, ...allowed])];

  if (!lb) {
    const lbOnly = ['managementClusterCidrs', 'allowedCidrs', 'loadBalancerProvider', 'loadBalancerFlavor', 'loadBalancerAvailabilityZone', 'healthMonitor'] as const;
    for (const prop of lbOnly.filter(p => a[p] !== undefined)) {
      errors.add(`apiServer.${prop}`, a[prop], 'applies to the API server load balancer, which apiServerLoadBalancer: false turns off');
    }
  }
  if (allowed.length > 0 && management.length === 0) {
    errors.add('apiServer.allowedCidrs', a.allowedCidrs,
      'leaves out the management cluster, which must reach the API server to create and run the cluster: name its egress address or CIDR '
      + 'in apiServer.managementClusterCidrs (CAPO adds the node subnets, the cluster router\'s external addresses and the bastion\'s, not the management cluster\'s)');
  }

  const provider = a.loadBalancerProvider;
  if (provider !== undefined && errors.check(isString(provider) && /^[a-z0-9][a-z0-9_.-]*$/.test(provider), 'apiServer.loadBalancerProvider', provider,
    'must be an Octavia provider name in lower case, e.g. "amphora" or "ovn" (CAPO falls back to the default provider, with only a warning event, when no provider has the name)')) {
    // CAPO keeps allowed CIDRs only where Octavia supports VIP ACLs: never with the ovn provider
    // (pkg/utils/openstack/loadbalancer.go, IsOctaviaFeatureSupported(OctaviaFeatureVIPACL)); it then
    // creates the listener without them.
    errors.check(!(provider === 'ovn' && allowedCidrs.length > 0), 'apiServer.loadBalancerProvider', provider,
      'cannot restrict who reaches the API server: CAPO drops allowedCidrs / managementClusterCidrs for the ovn provider (Octavia VIP ACLs are amphora-only), '
      + 'leaving the API server open to all: use "amphora", or leave the lists out and restrict access otherwise');
  }
  for (const prop of ['loadBalancerFlavor', 'loadBalancerAvailabilityZone'] as const) {
    if (a[prop] !== undefined) errors.check(isString(a[prop]) && a[prop]!.trim() !== '', `apiServer.${prop}`, a[prop], 'must be a non-empty name');
  }

  const monitor = a.healthMonitor;
  if (monitor !== undefined) {
    const missing = missingCapoFeature(versions, CapoFeature.LOAD_BALANCER_MONITOR);
    if (missing) errors.add('apiServer.healthMonitor', monitor, missing);
    const ranges: { [field: string]: [number, number | undefined] } = {
      delaySeconds: [1, undefined], timeoutSeconds: [1, undefined], maxRetries: [1, 10], maxRetriesDown: [1, 10],
    };
    for (const [field, [min, max]] of Object.entries(ranges)) {
      const value = (monitor as any)[field];
      if (value === undefined) continue;
      if (value === 0) {
        errors.add(`apiServer.healthMonitor.${field}`, 0, `is read by CAPO as unset: it takes its default, ${MONITOR_DEFAULTS[field]}`);
        continue;
      }
      errors.check(Number.isInteger(value) && value >= min && (max === undefined || value <= max), `apiServer.healthMonitor.${field}`, value,
        max === undefined ? `must be a whole number of seconds, at least ${min}` : `must be an integer from ${min} to ${max}`);
    }
  }

  errors.checkBoolean('apiServer.disableFloatingIp', a.disableFloatingIp);
  if (net.disableExternalNetwork) {
    // OpenStackCluster CEL: "disableAPIServerFloatingIP cannot be false when disableExternalNetwork is true".
    errors.check(a.disableFloatingIp !== false, 'apiServer.disableFloatingIp', false,
      'must not be false with network.disableExternalNetwork: there is no external network to take a floating IP from');
    errors.check(props.externalNetworkId === undefined, 'externalNetworkId', props.externalNetworkId,
      'is ignored with network.disableExternalNetwork: leave it out');
  }
  const noFloatingIp = a.disableFloatingIp ?? net.disableExternalNetwork;

  if (a.floatingIp !== undefined && errors.check(isIpv4Address(a.floatingIp), 'apiServer.floatingIp', a.floatingIp, 'must be an IPv4 address')) {
    errors.check(!noFloatingIp, 'apiServer.floatingIp', a.floatingIp, net.disableExternalNetwork
      ? 'cannot be used with network.disableExternalNetwork: there is no external network to take it from'
      : 'cannot be used with apiServer.disableFloatingIp: choose one');
  }

  if (a.fixedIp !== undefined && errors.check(isIpv4Address(a.fixedIp), 'apiServer.fixedIp', a.fixedIp, 'must be an IPv4 address')) {
    if (!lb && !noFloatingIp) {
      errors.add('apiServer.fixedIp', a.fixedIp, 'is ignored by CAPO without a load balancer while the API server has a floating IP (attached to a control plane machine): leave it out');
    }
    const subnet = net.nodeNetwork;
    if (subnet) errors.check(isUsableHost(a.fixedIp, subnet), 'apiServer.fixedIp', a.fixedIp, `must be a host address of the node subnet ${net.nodeCidrProp} (${subnet.cidr})`);
  }
  if (!lb && noFloatingIp && a.fixedIp === undefined) {
    errors.add('apiServer.disableFloatingIp', true,
      'needs apiServer.fixedIp without a load balancer: CAPO makes it the endpoint, a VIP you keep on the control plane machines yourself (kube-vip, keepalived)');
  }
  if (noFloatingIp && net.managed && !net.router) {
    errors.add('apiServer.disableFloatingIp', true,
      'leaves the API server unreachable: its VIP would be on the network CAPO creates, which only CAPO\'s new router joins '
      + '(CAPO book, "Disabling the API server floating IP"): use ClusterNetwork.existing with a network the management cluster reaches, '
      + 'or give ClusterNetwork.managed the router of the management cluster\'s network');
  }
  if (allowedCidrs.length > 0 && lb && net.existing && !net.router && !noFloatingIp) {
    errors.add('network.router', undefined,
      'must name the existing network\'s router when the API server has allowedCidrs: the nodes reach its floating IP from the router\'s external address, '
      + 'which CAPO allows only for a router it knows');
  }

  if (a.port !== undefined) {
    errors.check(Number.isInteger(a.port) && a.port >= 1 && a.port <= 65535, 'apiServer.port', a.port, 'must be an integer port 1-65535');
  }

  return {
    spec: () => ({
      apiServerLoadBalancer: lb ? {
        enabled: true,
        allowedCIDRs: allowedCidrs.length ? allowedCidrs : undefined,
        provider: a.loadBalancerProvider,
        flavor: a.loadBalancerFlavor,
        availabilityZone: a.loadBalancerAvailabilityZone,
        monitor: monitor ? {
          delay: monitor.delaySeconds,
          timeout: monitor.timeoutSeconds,
          maxRetries: monitor.maxRetries,
          maxRetriesDown: monitor.maxRetriesDown,
        } : undefined,
      } : { enabled: false },
      apiServerFixedIP: a.fixedIp,
      apiServerFloatingIP: a.floatingIp,
      disableAPIServerFloatingIP: noFloatingIp ? true : undefined,
      apiServerPort: a.port,
    }),
  };
}

/**
 * A list of IPv4 addresses or CIDRs (CAPO keeps only IPv4 ones, dropping others with a warning
 * event: getCanonicalAllowedCIDRs); returns the valid entries.
 */
function addressList(errors: InputErrors, prop: string, list: string[] | undefined): string[] {
  if (!errors.checkList(prop, list, isString, 'IPv4 addresses or CIDRs (strings)')) return [];
  const valid: string[] = [];
  (list ?? []).forEach((entry, i) => {
    if (entry.includes('/')) {
      const parsed = parseIpv4Cidr(entry);
      if (typeof parsed === 'string') errors.add(`${prop}[${i}]`, entry, parsed);
      else valid.push(entry);
    } else if (errors.check(isIpv4Address(entry), `${prop}[${i}]`, entry, 'must be an IPv4 address or CIDR')) {
      valid.push(entry);
    }
  });
  return valid;
}

/** Whether the address is in the subnet and neither its network nor its broadcast address. */
function isUsableHost(address: string, subnet: Ipv4Network): boolean {
  const value = ipv4Number(address);
  const base = ipv4Number(subnet.address.toString());
  const size = 2 ** (32 - subnet.prefixLength);
  return value > base && value < base + size - 1;
}

function ipv4Number(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

// ---------------------------------------------------------------------------------------------
// Security groups, bastion, control plane zones.

function checkSecurityGroups(errors: InputErrors, props: ClusterNetworkInputs, bastionEnabled: boolean): void {
  for (const prop of ['controlPlaneSecurityGroupRules', 'workerSecurityGroupRules'] as const) {
    const names = new Set<string>();
    for (const [i, rule] of (props[prop] ?? []).entries()) {
      for (const [field, value, problem] of rule._problems()) errors.add(`${prop}[${i}].${field}`, value, problem);
      errors.check(!names.has(rule.props.name), `${prop}[${i}].name`, rule.props.name, 'must be unique');
      names.add(rule.props.name);
    }
  }
  if (bastionEnabled) return;
  for (const prop of ['securityGroupRules', 'controlPlaneSecurityGroupRules', 'workerSecurityGroupRules'] as const) {
    for (const [i, rule] of (props[prop] ?? []).entries()) {
      const groups = rule instanceof SecurityGroupRule ? rule.props.remoteManagedGroups ?? [] : [];
      errors.check(!groups.includes(ManagedSecurityGroup.BASTION), `${prop}[${i}].remoteManagedGroups`, groups,
        'names the bastion\'s security group, which exists only with an enabled bastion: CAPO fails '
        + '("remoteManagedGroups: bastion is not a valid remote managed security group")');
    }
  }
}

function checkBastion(errors: InputErrors, props: ClusterNetworkInputs, bastion: BastionOptions, disableExternalNetwork: boolean): void {
  errors.checkBoolean('bastion.enabled', bastion.enabled);
  checkFlavor(errors, 'bastion.flavor', bastion.flavor);
  if (bastion.image !== undefined) checkImage(errors, 'bastion.image', bastion.image);
  else errors.check(props.image !== undefined, 'bastion.image', undefined, 'must be set: the cluster has no image to default to');
  const sshKeyName = bastion.sshKeyName ?? props.sshKeyName;
  if (bastion.sshKeyName !== undefined) {
    // Nova key pair names are one line of printable characters, at most 255 (as the cluster's sshKeyName).
    errors.check(isString(bastion.sshKeyName) && /^[\x20-\x7e]{1,255}$/.test(bastion.sshKeyName), 'bastion.sshKeyName', bastion.sshKeyName,
      'must be a Nova key pair name: one line of printable characters, at most 255');
  }
  errors.check(sshKeyName !== undefined, 'bastion.sshKeyName', undefined,
    'must be set (or the cluster\'s sshKeyName): a bastion is an SSH jump host, reachable only with a key pair');
  if (bastion.floatingIp !== undefined && errors.check(isIpv4Address(bastion.floatingIp), 'bastion.floatingIp', bastion.floatingIp, 'must be an IPv4 address')) {
    // OpenStackCluster CEL: "bastion floating IP cannot be set when disableExternalNetwork is true".
    errors.check(!disableExternalNetwork, 'bastion.floatingIp', bastion.floatingIp,
      'cannot be used with network.disableExternalNetwork: there is no external network to take it from; the bastion is reached on the network itself');
  }
  if (bastion.availabilityZone !== undefined) {
    errors.check(isString(bastion.availabilityZone) && bastion.availabilityZone.trim() !== '', 'bastion.availabilityZone', bastion.availabilityZone, 'must be a non-empty name');
  }
}

/**
 * With a list of zones, KCP spreads the control plane evenly over them (it places each new machine
 * in the zone with the fewest), so the fullest zone holds ceil(n / zones) machines. etcd keeps its
 * quorum, floor(n / 2) + 1 members, after losing a zone only if the other zones still hold a
 * quorum: n - ceil(n / zones) > n / 2, i.e. no zone holds half the members or more.
 */
function checkControlPlaneZones(errors: InputErrors, props: ClusterNetworkInputs, replicas: number): void {
  const zones = props.controlPlaneAvailabilityZones ?? [];
  const valid = zones.map((zone, i) =>
    errors.check(zone.trim() !== '', `controlPlaneAvailabilityZones[${i}]`, zone, 'must be a non-empty availability zone name')
    && errors.check(zones.indexOf(zone) === i, `controlPlaneAvailabilityZones[${i}]`, zone, 'must be unique (a list-type set)'));
  if (props.controlPlaneOmitAvailabilityZone === true && zones.length > 0) {
    errors.add('controlPlaneOmitAvailabilityZone', true, 'is ignored by CAPO when controlPlaneAvailabilityZones is set: choose one');
  }
  const count = zones.length;
  if (!valid.every(Boolean) || count < 2 || !Number.isInteger(replicas) || replicas < 2) return;
  const fullest = Math.ceil(replicas / count);
  const quorum = Math.floor(replicas / 2) + 1;
  if (replicas - fullest >= quorum) return;
  errors.add('controlPlaneAvailabilityZones', zones,
    `cannot keep etcd's quorum when a zone fails: ${replicas} control plane machines spread evenly over ${count} zones put ${fullest} in one, `
    + `and losing it leaves ${replicas - fullest} of ${replicas} members, below the quorum of ${quorum}: list at least 3 zones (over 2 zones, one of them always holds a majority)`);
}
