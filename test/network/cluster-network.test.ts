import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { load as loadYaml } from 'js-yaml';
import {
  BoundCloudCredentials, CloudCredentials, Flavor, MachineImage, ManagedSecurityGroup, OpenStackClusterIdentity, SchemaValidator,
  SecurityGroupRule, UpstreamVersions,
} from '../../src';
import { InputErrors } from '../../src/input-errors';
import { ClusterNetwork, NetworkReference, RouterReference, SubnetReference } from '../../src/network';
import { CapoFeature, missingCapoFeature } from '../../src/network/capo-features';
import { ClusterNetworkInputs, planClusterNetwork } from '../../src/network/openstack-cluster-network';
import { errorOf } from '../fixtures';

/**
 * The network and API exposure of a cluster, through the function the cluster calls: every field
 * lands where CAPO reads it, every refusal is one line naming the construct path, the prop, the
 * value and the rule, and the output validates against the pinned schemas.
 */

const IMAGE = MachineImage.fromName('ubuntu-2404-kube-v1.33.1');
const SECRET: BoundCloudCredentials = { secretName: 'demo-cloud-config', cloudName: 'openstack', privateCa: false };
const UUID = ['6c90b532-7ba0-418a-a276-5ae55060b5b0', '0686143b-f0a7-481a-86f5-cc1f8ccde692', 'ec3d2b5b-5bc9-4d5c-bbb0-7f2c0a6a1e51'];
const CAPO_0_12 = UpstreamVersions.CAPI_1_10_CAPO_0_12;

interface Run { readonly errors: string[]; readonly plan: ReturnType<typeof planClusterNetwork>; readonly scope: Construct; readonly chart: Chart }

function run(props: Partial<ClusterNetworkInputs>, replicas = 3, upstreamVersions = UpstreamVersions.DEFAULT): Run {
  const chart = Testing.chart();
  const scope = new Construct(chart, 'demo');
  const errors = new InputErrors(scope);
  const plan = planClusterNetwork(errors, { image: IMAGE, sshKeyName: 'ops', ...props }, { controlPlaneReplicas: replicas, upstreamVersions });
  return { errors: errors.lines, plan, scope, chart };
}

/** The synthesized OpenStackCluster (undefined fields dropped, as cdk8s writes it). */
function openStackCluster(props: Partial<ClusterNetworkInputs>, credentials = SECRET, replicas = 3, versions = UpstreamVersions.DEFAULT): any {
  const { errors, plan, scope, chart } = run(props, replicas, versions);
  expect(errors).toEqual([]);
  new ApiObject(scope, 'OpenStackCluster', {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'OpenStackCluster',
    metadata: { name: 'demo', namespace: 'demo' },
    spec: plan.spec(credentials),
  });
  return Testing.synth(chart).find(o => o.kind === 'OpenStackCluster');
}

/** Everything set, with a network CAPO creates. */
const EVERYTHING_MANAGED: Partial<ClusterNetworkInputs> = {
  network: ClusterNetwork.managed({ cidr: '10.8.0.0/22', dnsNameservers: ['9.9.9.9'], mtu: 1450, router: RouterReference.fromId(UUID[2]) }),
  externalNetworkId: UUID[0],
  apiServer: {
    managementClusterCidrs: ['203.0.113.10'],
    allowedCidrs: ['198.51.100.0/24'],
    loadBalancerProvider: 'amphora',
    loadBalancerFlavor: 'ha',
    loadBalancerAvailabilityZone: 'az-b',
    healthMonitor: { delaySeconds: 5, timeoutSeconds: 3, maxRetries: 2, maxRetriesDown: 2 },
    fixedIp: '10.8.0.10',
    floatingIp: '192.0.2.15',
    port: 443,
  },
  allowAllInClusterTraffic: false,
  securityGroupRules: SecurityGroupRule.calico(),
  controlPlaneSecurityGroupRules: [SecurityGroupRule.custom({ name: 'etcd metrics', protocol: 'tcp', portRangeMin: 2381, remoteIpPrefix: '10.20.0.0/16' })],
  workerSecurityGroupRules: [SecurityGroupRule.custom({
    name: 'node ports', protocol: 'tcp', portRangeMin: 30000, portRangeMax: 32767, remoteManagedGroups: [ManagedSecurityGroup.BASTION],
  })],
  bastion: { flavor: Flavor.named('m1.small'), floatingIp: '192.0.2.16', availabilityZone: 'az-a' },
  controlPlaneAvailabilityZones: ['az-a', 'az-b', 'az-c'],
};

/** Everything set, with an existing network. */
const EVERYTHING_EXISTING: Partial<ClusterNetworkInputs> = {
  ...EVERYTHING_MANAGED,
  network: ClusterNetwork.existing({
    network: NetworkReference.fromFilter({ name: 'k8s', tags: ['prod'], projectId: 'a1b2' }),
    subnets: [SubnetReference.fromFilter({ cidr: '10.8.0.0/22', ipVersion: 4 }), SubnetReference.fromName('k8s-v6')],
    router: RouterReference.fromName('k8s-router'),
    nodeCidr: '10.8.0.0/22',
  }),
};

describe('the OpenStackCluster spec fields, where CAPO reads them', () => {
  test('without the new props, the spec is today\'s, field for field', () => {
    expect(openStackCluster({}).spec).toEqual({
      apiServerLoadBalancer: { enabled: true },
      identityRef: { cloudName: 'openstack', name: 'demo-cloud-config' },
      managedSecurityGroups: { allowAllInClusterTraffic: true },
      managedSubnets: [{ cidr: '10.6.0.0/24' }],
    });
    expect(openStackCluster({
      apiServerLoadBalancer: false,
      externalNetworkId: UUID[0],
      nodeCidr: '10.8.0.0/24',
      dnsNameservers: ['1.1.1.1'],
      allowAllInClusterTraffic: false,
      securityGroupRules: SecurityGroupRule.calico(),
    }, SECRET, 1).spec).toEqual({
      apiServerLoadBalancer: { enabled: false },
      externalNetwork: { id: UUID[0] },
      identityRef: { cloudName: 'openstack', name: 'demo-cloud-config' },
      managedSecurityGroups: { allowAllInClusterTraffic: false, allNodesSecurityGroupRules: SecurityGroupRule.calico().map(r => r._toSpec()) },
      managedSubnets: [{ cidr: '10.8.0.0/24', dnsNameservers: ['1.1.1.1'] }],
    });
  });

  test('a network CAPO creates: subnet, DNS, MTU, existing router', () => {
    const spec = openStackCluster({
      network: ClusterNetwork.managed({ cidr: '10.8.0.0/22', dnsNameservers: ['9.9.9.9'], mtu: 1450, router: RouterReference.fromId(UUID[2]) }),
    }).spec;
    expect(spec.managedSubnets).toEqual([{ cidr: '10.8.0.0/22', dnsNameservers: ['9.9.9.9'] }]);
    expect(spec.networkMTU).toBe(1450);
    expect(spec.router).toEqual({ id: UUID[2] });
    expect(spec.network).toBeUndefined();
    expect(openStackCluster({ network: ClusterNetwork.managed() }).spec.managedSubnets).toEqual([{ cidr: '10.6.0.0/24' }]);
  });

  test('an existing network: network, subnets and router by id or filter; no managed subnet; the node CIDR only for checks', () => {
    const spec = openStackCluster({ network: (EVERYTHING_EXISTING.network) }).spec;
    expect(spec.managedSubnets).toBeUndefined();
    expect(spec.networkMTU).toBeUndefined();
    expect(spec.network).toEqual({ filter: { name: 'k8s', tags: ['prod'], projectID: 'a1b2' } });
    expect(spec.subnets).toEqual([{ filter: { cidr: '10.8.0.0/22', ipVersion: 4 } }, { filter: { name: 'k8s-v6' } }]);
    expect(spec.router).toEqual({ filter: { name: 'k8s-router' } });
    expect(JSON.stringify(spec)).not.toContain('nodeCidr');
    const byIdNetwork = ClusterNetwork.existing({ network: NetworkReference.fromId(UUID[1]), subnets: [SubnetReference.fromId(UUID[2])] });
    const byId = openStackCluster({ network: byIdNetwork }).spec;
    expect([byId.network, byId.subnets, byId.router]).toEqual([{ id: UUID[1] }, [{ id: UUID[2] }], undefined]);
    expect(run({ network: EVERYTHING_EXISTING.network }).plan).toMatchObject({ nodeCidr: '10.8.0.0/22', nodeCidrProp: 'network.nodeCidr', networkCreatedByCapo: false });
    expect(run({ network: ClusterNetwork.existing({ network: NetworkReference.fromName('k8s') }) }).plan.nodeCidr).toBeUndefined();
  });

  test('an existing network without an external network: no floating IP for the API server (CAPO\'s CEL rule)', () => {
    const spec = openStackCluster({ network: ClusterNetwork.existing({ network: NetworkReference.fromName('provider'), disableExternalNetwork: true }) }).spec;
    expect([spec.disableExternalNetwork, spec.disableAPIServerFloatingIP, spec.externalNetwork]).toEqual([true, true, undefined]);
  });

  test('the API server: allowed CIDRs (management cluster first), Octavia provider, flavor, zone, monitor, addresses, port', () => {
    const spec = openStackCluster(EVERYTHING_MANAGED).spec;
    expect(spec.apiServerLoadBalancer).toEqual({
      enabled: true,
      allowedCIDRs: ['203.0.113.10', '198.51.100.0/24'],
      provider: 'amphora',
      flavor: 'ha',
      availabilityZone: 'az-b',
      monitor: { delay: 5, timeout: 3, maxRetries: 2, maxRetriesDown: 2 },
    });
    expect([spec.apiServerFixedIP, spec.apiServerFloatingIP, spec.apiServerPort, spec.disableAPIServerFloatingIP]).toEqual(['10.8.0.10', '192.0.2.15', 443, undefined]);
    expect(run(EVERYTHING_MANAGED).plan.apiServerPort).toBe(443);
    expect(run({}).plan.apiServerPort).toBe(6443);
    // The management cluster alone: only it and the cluster's own addresses reach the API server.
    expect(openStackCluster({ apiServer: { managementClusterCidrs: ['203.0.113.0/28', '203.0.113.0/28'] } }).spec.apiServerLoadBalancer.allowedCIDRs)
      .toEqual(['203.0.113.0/28']);
    const noFip = openStackCluster({ apiServer: { disableFloatingIp: true }, network: ClusterNetwork.existing({ network: NetworkReference.fromName('mgmt') }) }).spec;
    expect(noFip.disableAPIServerFloatingIP).toBe(true);
  });

  test('security group rules per role', () => {
    const groups = openStackCluster(EVERYTHING_MANAGED).spec.managedSecurityGroups;
    expect(groups.allowAllInClusterTraffic).toBe(false);
    expect(groups.allNodesSecurityGroupRules.map((r: any) => r.name)).toEqual(['BGP (Calico)', 'IP-in-IP (calico)']);
    expect(groups.controlPlaneNodesSecurityGroupRules).toEqual([{
      name: 'etcd metrics', direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: 2381, portRangeMax: 2381, remoteIPPrefix: '10.20.0.0/16',
    }]);
    expect(groups.workerNodesSecurityGroupRules).toEqual([{
      name: 'node ports', direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: 30000, portRangeMax: 32767, remoteManagedGroups: ['bastion'],
    }]);
  });

  test('the bastion: off unless given; flavor, image and key pair (the cluster\'s by default), floating IP, zone', () => {
    expect(openStackCluster({}).spec.bastion).toBeUndefined();
    expect(openStackCluster(EVERYTHING_MANAGED).spec.bastion).toEqual({
      enabled: true,
      availabilityZone: 'az-a',
      floatingIP: '192.0.2.16',
      spec: { flavor: 'm1.small', image: { filter: { name: 'ubuntu-2404-kube-v1.33.1' } }, sshKeyName: 'ops' },
    });
    const own = openStackCluster({ bastion: { flavor: Flavor.named('m1.small'), image: MachineImage.fromId(UUID[1]), sshKeyName: 'admins', enabled: false } }).spec.bastion;
    expect(own).toEqual({ enabled: false, spec: { flavor: 'm1.small', image: { id: UUID[1] }, sshKeyName: 'admins' } });
    expect(run(EVERYTHING_MANAGED).plan.extraServers).toBe(1);
    expect(run({ bastion: { flavor: Flavor.named('m1.small'), enabled: false } }).plan.extraServers).toBe(0);
  });

  test('control plane availability zones', () => {
    expect(openStackCluster(EVERYTHING_MANAGED).spec.controlPlaneAvailabilityZones).toEqual(['az-a', 'az-b', 'az-c']);
    expect(openStackCluster({ controlPlaneOmitAvailabilityZone: true }).spec.controlPlaneOmitAvailabilityZone).toBe(true);
    expect(openStackCluster({ controlPlaneOmitAvailabilityZone: false }).spec.controlPlaneOmitAvailabilityZone).toBeUndefined();
  });

  test('credentials through a cluster identity: identityRef type ClusterIdentity', () => {
    const scope = new Construct(Testing.chart(), 'demo');
    const bound = CloudCredentials.fromClusterIdentity('production-openstack', { cloudName: 'prod' })._bind(scope, { clusterName: 'demo', namespace: 'team-a' });
    expect(bound).toEqual({ secretName: 'production-openstack', clusterIdentityName: 'production-openstack', cloudName: 'prod', privateCa: false });
    expect(openStackCluster({}, bound).spec.identityRef).toEqual({ type: 'ClusterIdentity', name: 'production-openstack', cloudName: 'prod' });
    expect(CloudCredentials.fromClusterIdentity('x').inline).toBe(false);
  });

  test('OpenStackClusterIdentity: cluster-scoped, its Secret elsewhere, the namespaces that may use it, protected from GitOps deletion', () => {
    const chart = Testing.chart();
    const identity = new OpenStackClusterIdentity(chart, 'production-openstack', {
      secretName: 'openstack-credentials', secretNamespace: 'capo-system', allowedNamespaces: ['team-a', 'team-b'], allowedNamespaceLabels: { tier: 'prod' },
    });
    const [object] = Testing.synth(chart);
    expect(object).toEqual({
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1',
      kind: 'OpenStackClusterIdentity',
      metadata: { name: 'production-openstack', annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
      spec: {
        secretRef: { name: 'openstack-credentials', namespace: 'capo-system' },
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a', 'team-b'] }],
          matchLabels: { tier: 'prod' },
        },
      },
    });
    const bound = identity.credentials({ cloudName: 'prod' })._bind(new Construct(chart, 'c'), { clusterName: 'c', namespace: 'team-a' });
    expect(bound.clusterIdentityName).toBe('production-openstack');
    const open = Testing.chart();
    new OpenStackClusterIdentity(open, 'shared', { secretName: 's', secretNamespace: 'capo-system', allowAllNamespaces: true });
    expect(Testing.synth(open)[0].spec).toEqual({ secretRef: { name: 's', namespace: 'capo-system' } });
  });
});

describe('valid against the pinned schemas', () => {
  test('everything set validates against CAPI v1.14.0 + CAPO v0.14.7, with either network, and the cluster identity', () => {
    const validator = new SchemaValidator({ versions: UpstreamVersions.CAPI_1_14_CAPO_0_14 });
    const identity = { type: 'ClusterIdentity', name: 'production-openstack', cloudName: 'prod' };
    const scope = new Construct(Testing.chart(), 'demo');
    const bound = CloudCredentials.fromClusterIdentity('production-openstack', { cloudName: 'prod' })._bind(scope, { clusterName: 'demo', namespace: 'demo' });
    const managed = openStackCluster(EVERYTHING_MANAGED, bound);
    const existing = openStackCluster(EVERYTHING_EXISTING, bound);
    const provider = openStackCluster({
      ...EVERYTHING_EXISTING,
      externalNetworkId: undefined,
      apiServer: { ...EVERYTHING_MANAGED.apiServer, floatingIp: undefined, disableFloatingIp: true },
      bastion: { ...EVERYTHING_MANAGED.bastion!, floatingIp: undefined },
      network: ClusterNetwork.existing({ network: NetworkReference.fromId(UUID[1]), disableExternalNetwork: true, nodeCidr: '10.8.0.0/22' }),
    }, bound);
    expect(managed.spec.identityRef).toEqual(identity);
    const chart = Testing.chart();
    new OpenStackClusterIdentity(chart, 'production-openstack', { secretName: 'openstack-credentials', secretNamespace: 'capo-system', allowedNamespaces: ['demo'] });
    const objects = [managed, { ...existing, metadata: { name: 'demo2', namespace: 'demo' } }, { ...provider, metadata: { name: 'demo3', namespace: 'demo' } }, ...Testing.synth(chart)];
    const report = validator.validateObjects(objects);
    expect(report.errors).toEqual([]);
    expect(report.objectsWithoutSchema).toBe(0);
    // The identity's schema is applied: a Secret reference without its namespace is refused.
    const identityWithoutNamespace = structuredClone(objects[3]);
    delete identityWithoutNamespace.spec.secretRef.namespace;
    expect(validator.validate([identityWithoutNamespace]).join('\n')).toMatch(/secretRef/);
  });

  test('everything CAPO v0.12.4 has validates against CAPI v1.10.5 + CAPO v0.12.4; the fields it lacks would not', () => {
    const validator = new SchemaValidator({ versions: CAPO_0_12 });
    const props = { ...EVERYTHING_EXISTING, apiServer: { ...EVERYTHING_MANAGED.apiServer, healthMonitor: undefined } };
    const object = openStackCluster(props, SECRET, 3, CAPO_0_12);
    expect(validator.validate([object])).toEqual([]);
    const withMonitor = structuredClone(object);
    withMonitor.spec.apiServerLoadBalancer.monitor = { delay: 5 };
    expect(validator.validate([withMonitor]).join('\n')).toMatch(/apiServerLoadBalancer\.monitor/);
    const withIdentityType = structuredClone(object);
    withIdentityType.spec.identityRef.type = 'ClusterIdentity';
    expect(validator.validate([withIdentityType]).join('\n')).toMatch(/identityRef\.type/);
  });

  test('the CAPO v0.14 feature table matches the pinned CRDs of every pair', () => {
    const imports = path.join(__dirname, '..', '..', 'imports', 'cluster-api-provider-openstack');
    for (const versions of UpstreamVersions.all()) {
      const bases = path.join(imports, versions.openStackProvider, 'config', 'crd', 'bases');
      const crd = loadYaml(fs.readFileSync(path.join(bases, 'infrastructure.cluster.x-k8s.io_openstackclusters.yaml'), 'utf8')) as any;
      const spec = crd.spec.versions.find((v: any) => v.name === 'v1beta1').schema.openAPIV3Schema.properties.spec.properties;
      const has: Record<CapoFeature, boolean> = {
        [CapoFeature.LOAD_BALANCER_MONITOR]: spec.apiServerLoadBalancer.properties.monitor !== undefined,
        [CapoFeature.IDENTITY_REF_TYPE]: spec.identityRef.properties.type !== undefined,
        [CapoFeature.CLUSTER_IDENTITY_KIND]: fs.existsSync(path.join(bases, 'infrastructure.cluster.x-k8s.io_openstackclusteridentities.yaml')),
      };
      for (const feature of Object.values(CapoFeature)) {
        const pair = versions.toString();
        expect([pair, feature, missingCapoFeature(versions, feature) === undefined]).toEqual([pair, feature, has[feature]]);
      }
    }
  });
});

describe('etcd quorum over control plane zones', () => {
  // KCP puts each new machine in the zone with the fewest: the fullest zone holds ceil(n / zones).
  test.each([
    [3, 2, false], [5, 2, false], [7, 2, false],
    [3, 3, true], [5, 3, true], [7, 3, true], [3, 4, true], [5, 4, true], [9, 5, true],
    [3, 1, true], [1, 2, true],
  ])('%i machines over %i zones: accepted %s', (replicas, zones, accepted) => {
    const { errors } = run({ controlPlaneAvailabilityZones: Array.from({ length: zones }, (_, i) => `az-${i}`) }, replicas);
    expect(errors.length === 0).toBe(accepted);
  });
});

const VALID_BASTION = { flavor: Flavor.named('m1.small') };
const EXISTING = ClusterNetwork.existing({ network: NetworkReference.fromName('k8s') });

const REFUSALS: Array<[string, Partial<ClusterNetworkInputs>, RegExp, number?, UpstreamVersions?]> = [
  // The network.
  ['a network that is not a ClusterNetwork', { network: { cidr: '10.0.0.0/24' } as any },
    /^test\/demo: network = \{"cidr":"10.0.0.0\/24"\}: must be a ClusterNetwork \(ClusterNetwork.managed or ClusterNetwork.existing\)$/],
  ['the legacy nodeCidr beside network', { network: ClusterNetwork.managed(), nodeCidr: '10.0.0.0/24' },
    /^test\/demo: nodeCidr = "10.0.0.0\/24": conflicts with network: give it to ClusterNetwork.managed\(\{ cidr \}\)/],
  ['the legacy dnsNameservers beside network', { network: EXISTING, dnsNameservers: ['1.1.1.1'] },
    /^test\/demo: dnsNameservers = \["1.1.1.1"\]: conflicts with network/],
  ['a legacy node CIDR with host bits', { nodeCidr: '10.6.0.1/24' }, /^test\/demo: nodeCidr = "10.6.0.1\/24": must be a network address: host bits are set/],
  ['a managed CIDR that is IPv6', { network: ClusterNetwork.managed({ cidr: 'fd00::/64' }) }, /^test\/demo: network.cidr = "fd00::\/64": must be an IPv4 CIDR/],
  ['a managed DNS server that is a name', { network: ClusterNetwork.managed({ dnsNameservers: ['dns.google'] }) },
    /^test\/demo: network.dnsNameservers\[0\] = "dns.google": must be an IPv4 address$/],
  ['an MTU below IPv4\'s minimum', { network: ClusterNetwork.managed({ mtu: 60 }) }, /^test\/demo: network.mtu = 60: must be an integer of at least 68/],
  ['a router id that is not a UUID', { network: ClusterNetwork.managed({ router: RouterReference.fromId('r1') }) },
    /^test\/demo: network.router.id = "r1": must be a UUID/],
  ['a misspelled managed prop', { network: ClusterNetwork.managed({ dns: ['1.1.1.1'] } as any) },
    /^test\/demo: network.dns = \["1.1.1.1"\]: is not a prop of ManagedNetworkProps$/],
  ['a network CAPO creates without an external network (no bastion nor API server could be reached)',
    { network: ClusterNetwork.managed({ disableExternalNetwork: true } as any), bastion: VALID_BASTION },
    /^test\/demo: network.disableExternalNetwork = true: is only for ClusterNetwork.existing: a network CAPO creates without an external network has no router, so nothing can reach it: not the management cluster .*, not the bastion/],
  ['an empty network filter', { network: ClusterNetwork.existing({ network: NetworkReference.fromFilter({}) }) },
    /^test\/demo: network.network.filter = \{\}: must set at least one field: an empty filter matches every resource$/],
  ['a misspelled filter field', { network: ClusterNetwork.existing({ network: NetworkReference.fromFilter({ nmae: 'k8s' } as any) }) },
    /^test\/demo: network.network.filter.nmae = "k8s": is not a field of NeutronFilter/],
  ['an existing network named by nothing', { network: ClusterNetwork.existing({}) },
    /^test\/demo: network.network = undefined: must be set, or at least one subnet/],
  ['three subnets', { network: ClusterNetwork.existing({ subnets: ['a', 'b', 'c'].map(n => SubnetReference.fromName(n)) }) },
    /^test\/demo: network.subnets = 3: must hold at most 2 subnets \(one IPv4, one IPv6\)/],
  ['two IPv4 subnets', { network: ClusterNetwork.existing({ subnets: [SubnetReference.fromFilter({ cidr: '10.0.0.0/24' }), SubnetReference.fromFilter({ ipVersion: 4, name: 'b' })] }) },
    /^test\/demo: network.subnets\[1\] = "IPv4": must be of the other IP version than network.subnets\[0\]/],
  ['a subnet that is not a SubnetReference', { network: ClusterNetwork.existing({ subnets: ['k8s'] as any }) },
    /^test\/demo: network.subnets\[0\] = "k8s": must be SubnetReference/],
  ['a misspelled existing prop', { network: ClusterNetwork.existing({ network: NetworkReference.fromName('k8s'), subnet: [] } as any) },
    /^test\/demo: network.subnet = \[\]: is not a prop of ExistingNetworkProps \(did you mean "subnets"\?\)$/],
  ['an existing node CIDR with host bits', { network: ClusterNetwork.existing({ network: NetworkReference.fromName('k8s'), nodeCidr: '10.0.0.5/24' }) },
    /^test\/demo: network.nodeCidr = "10.0.0.5\/24": must be a network address/],
  // No external network.
  ['an external network id with the external network disabled',
    { externalNetworkId: UUID[0], network: ClusterNetwork.existing({ network: NetworkReference.fromName('p'), disableExternalNetwork: true }) },
    /^test\/demo: externalNetworkId = "6c90b532-7ba0-418a-a276-5ae55060b5b0": is ignored with network.disableExternalNetwork/],
  ['an API server floating IP asked for without an external network',
    { apiServer: { disableFloatingIp: false }, network: ClusterNetwork.existing({ network: NetworkReference.fromName('p'), disableExternalNetwork: true }) },
    /^test\/demo: apiServer.disableFloatingIp = false: must not be false with network.disableExternalNetwork/],
  ['a given API server floating IP without an external network',
    { apiServer: { floatingIp: '192.0.2.1' }, network: ClusterNetwork.existing({ network: NetworkReference.fromName('p'), disableExternalNetwork: true }) },
    /^test\/demo: apiServer.floatingIp = "192.0.2.1": cannot be used with network.disableExternalNetwork/],
  ['a bastion floating IP without an external network',
    { bastion: { ...VALID_BASTION, floatingIp: '192.0.2.2' }, network: ClusterNetwork.existing({ network: NetworkReference.fromName('p'), disableExternalNetwork: true }) },
    /^test\/demo: bastion.floatingIp = "192.0.2.2": cannot be used with network.disableExternalNetwork: there is no external network to take it from/],
  // Who reaches the API server.
  ['allowed CIDRs that leave out the management cluster', { apiServer: { allowedCidrs: ['198.51.100.0/24'] } },
    /^test\/demo: apiServer.allowedCidrs = \["198.51.100.0\/24"\]: leaves out the management cluster, .* name its egress address or CIDR in apiServer.managementClusterCidrs/],
  ['an IPv6 allowed CIDR (CAPO drops it)', { apiServer: { managementClusterCidrs: ['203.0.113.1'], allowedCidrs: ['2001:db8::/32'] } },
    /^test\/demo: apiServer.allowedCidrs\[0\] = "2001:db8::\/32": must be an IPv4 CIDR \(only IPv4 is supported here\)$/],
  ['a management address that is a host name', { apiServer: { managementClusterCidrs: ['mgmt.example.com'] } },
    /^test\/demo: apiServer.managementClusterCidrs\[0\] = "mgmt.example.com": must be an IPv4 address or CIDR$/],
  ['allowed CIDRs with the ovn provider, which ignores them', { apiServer: { managementClusterCidrs: ['203.0.113.1'], loadBalancerProvider: 'ovn' } },
    /^test\/demo: apiServer.loadBalancerProvider = "ovn": cannot restrict who reaches the API server: CAPO drops allowedCidrs \/ managementClusterCidrs for the ovn provider/],
  ['a provider name in upper case', { apiServer: { loadBalancerProvider: 'OVN' } },
    /^test\/demo: apiServer.loadBalancerProvider = "OVN": must be an Octavia provider name in lower case/],
  ['load balancer settings without a load balancer', { apiServerLoadBalancer: false, apiServer: { loadBalancerFlavor: 'ha' } },
    /^test\/demo: apiServer.loadBalancerFlavor = "ha": applies to the API server load balancer, which apiServerLoadBalancer: false turns off$/, 1],
  ['a floating IP both given and disabled', { network: EXISTING, apiServer: { floatingIp: '192.0.2.1', disableFloatingIp: true } },
    /^test\/demo: apiServer.floatingIp = "192.0.2.1": cannot be used with apiServer.disableFloatingIp: choose one$/],
  ['a fixed IP outside the node subnet', { apiServer: { fixedIp: '10.7.0.5' } },
    /^test\/demo: apiServer.fixedIp = "10.7.0.5": must be a host address of the node subnet nodeCidr \(10.6.0.0\/24\)$/],
  ['a fixed IP that is the subnet\'s broadcast address', { network: ClusterNetwork.managed({ cidr: '10.8.0.0/22' }), apiServer: { fixedIp: '10.8.3.255' } },
    /^test\/demo: apiServer.fixedIp = "10.8.3.255": must be a host address of the node subnet network.cidr \(10.8.0.0\/22\)$/],
  ['a fixed IP CAPO ignores (no load balancer, a floating IP)', { apiServerLoadBalancer: false, apiServer: { fixedIp: '10.6.0.5' } },
    /^test\/demo: apiServer.fixedIp = "10.6.0.5": is ignored by CAPO without a load balancer while the API server has a floating IP/, 1],
  ['no load balancer, no floating IP, no fixed IP', { apiServerLoadBalancer: false, network: EXISTING, apiServer: { disableFloatingIp: true } },
    /^test\/demo: apiServer.disableFloatingIp = true: needs apiServer.fixedIp without a load balancer/, 1],
  ['no floating IP on a network CAPO creates', { apiServer: { disableFloatingIp: true } },
    /^test\/demo: apiServer.disableFloatingIp = true: leaves the API server unreachable: its VIP would be on the network CAPO creates/],
  ['allowed CIDRs on an existing network whose router CAPO does not know', { network: EXISTING, apiServer: { managementClusterCidrs: ['203.0.113.1'] } },
    /^test\/demo: network.router = undefined: must name the existing network's router when the API server has allowedCidrs: the nodes reach its floating IP from the router's external address/],
  ['port 0', { apiServer: { port: 0 } }, /^test\/demo: apiServer.port = 0: must be an integer port 1-65535$/],
  ['a monitor field of 0, which CAPO reads as unset', { apiServer: { healthMonitor: { delaySeconds: 0 } } },
    /^test\/demo: apiServer.healthMonitor.delaySeconds = 0: is read by CAPO as unset: it takes its default, 10$/],
  ['a monitor with too many retries', { apiServer: { healthMonitor: { maxRetries: 11 } } },
    /^test\/demo: apiServer.healthMonitor.maxRetries = 11: must be an integer from 1 to 10$/],
  ['a monitor on a CAPO that has none', { apiServer: { healthMonitor: { delaySeconds: 5 } } },
    /^test\/demo: apiServer.healthMonitor = \{"delaySeconds":5\}: needs CAPO v0.14: CAPI v1.10.5 \+ CAPO v0.12.4 has no OpenStackCluster field spec.apiServerLoadBalancer.monitor \(its pinned CRDs\)$/, 3, CAPO_0_12],
  ['a misspelled API server prop', { apiServer: { alowedCidrs: ['10.0.0.0/8'] } as any },
    /^test\/demo: apiServer.alowedCidrs = \["10.0.0.0\/8"\]: is not a prop of ApiServerOptions \(did you mean "allowedCidrs"\?\)$/],
  // Security groups.
  ['two control plane rules of one name', { controlPlaneSecurityGroupRules: [SecurityGroupRule.calicoBgp(), SecurityGroupRule.calicoBgp()] },
    /^test\/demo: controlPlaneSecurityGroupRules\[1\].name = "BGP \(Calico\)": must be unique$/],
  ['a worker rule with a bad port', { workerSecurityGroupRules: [SecurityGroupRule.custom({ name: 'x', protocol: 'udp', portRangeMin: 70000 })] },
    /^test\/demo: workerSecurityGroupRules\[0\].portRangeMin = 70000: must be an integer port 0-65535$/],
  ['a rule list that is not of rules', { workerSecurityGroupRules: [{ name: 'x' }] as any },
    /^test\/demo: workerSecurityGroupRules\[0\] = \{"name":"x"\}: must be SecurityGroupRule/],
  ['a rule from the bastion without a bastion', { securityGroupRules: [SecurityGroupRule.custom({ name: 'ssh', protocol: 'tcp', portRangeMin: 22, remoteManagedGroups: [ManagedSecurityGroup.BASTION] })] },
    /^test\/demo: securityGroupRules\[0\].remoteManagedGroups = \["bastion"\]: names the bastion's security group, which exists only with an enabled bastion/],
  // The bastion.
  ['a bastion without a key pair', { bastion: VALID_BASTION, sshKeyName: undefined },
    /^test\/demo: bastion.sshKeyName = undefined: must be set \(or the cluster's sshKeyName\): a bastion is an SSH jump host/],
  ['a bastion floating IP that is not an address', { bastion: { ...VALID_BASTION, floatingIp: 'fip-1' } }, /^test\/demo: bastion.floatingIp = "fip-1": must be an IPv4 address$/],
  ['a bastion flavor given as a string', { bastion: { flavor: 'm1.small' as any } }, /^test\/demo: bastion.flavor = "m1.small": must be a Flavor/],
  ['a misspelled bastion prop', { bastion: { ...VALID_BASTION, floatingIP: '192.0.2.3' } as any },
    /^test\/demo: bastion.floatingIP = "192.0.2.3": is not a prop of BastionOptions \(did you mean "floatingIp"\?\)$/],
  // Control plane zones.
  ['3 control plane machines over 2 zones', { controlPlaneAvailabilityZones: ['az-a', 'az-b'] },
    /^test\/demo: controlPlaneAvailabilityZones = \["az-a","az-b"\]: cannot keep etcd's quorum when a zone fails: 3 control plane machines spread evenly over 2 zones put 2 in one, and losing it leaves 1 of 3 members, below the quorum of 2: list at least 3 zones/],
  ['a zone listed twice', { controlPlaneAvailabilityZones: ['az-a', 'az-b', 'az-a'] }, /^test\/demo: controlPlaneAvailabilityZones\[2\] = "az-a": must be unique \(a list-type set\)$/],
  ['omitting the zone while listing zones', { controlPlaneAvailabilityZones: ['az-a', 'az-b', 'az-c'], controlPlaneOmitAvailabilityZone: true },
    /^test\/demo: controlPlaneOmitAvailabilityZone = true: is ignored by CAPO when controlPlaneAvailabilityZones is set: choose one$/],
  ['the string "true" for omitting the zone', { controlPlaneOmitAvailabilityZone: 'true' as any },
    /^test\/demo: controlPlaneOmitAvailabilityZone = "true": must be true or false \(a boolean, not a string\)$/],
];

describe('refused, with one line naming the construct path, the prop, the value and the rule', () => {
  test.each(REFUSALS)('%s', (_name, props, expected, replicas = 3, versions = UpstreamVersions.DEFAULT) => {
    const { errors } = run(props, replicas, versions);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });

  test('every refusal of the table is a different rule', () => {
    expect(new Set(REFUSALS.map(([, , expected]) => expected.source)).size).toBe(REFUSALS.length);
  });

  test('credentials from a cluster identity with a CAPO that reads every identityRef as a Secret', () => {
    const scope = new Construct(Testing.chart(), 'demo');
    const message = errorOf(() => CloudCredentials.fromClusterIdentity('production-openstack')._bind(scope, { clusterName: 'demo', namespace: 'demo', upstreamVersions: CAPO_0_12 }));
    expect(message).toBe('1 invalid input error:\n  - test/demo: credentials = "CloudCredentials.fromClusterIdentity(\\"production-openstack\\")": '
      + 'needs CAPO v0.14: CAPI v1.10.5 + CAPO v0.12.4 has no OpenStackCluster field spec.identityRef.type (its pinned CRDs): '
      + 'CAPO would read "production-openstack" as a Secret. Use CloudCredentials.fromSecretName');
  });

  test('a cluster identity name that is not an object name, and misspelled options', () => {
    const scope = new Construct(Testing.chart(), 'demo');
    expect(errorOf(() => CloudCredentials.fromClusterIdentity('Prod_Identity')._bind(scope, { clusterName: 'demo', namespace: 'demo' })))
      .toMatch(/test\/demo: credentials.clusterIdentityName = "Prod_Identity": must name an OpenStackClusterIdentity: a DNS-1123 subdomain/);
    expect(errorOf(() => CloudCredentials.fromClusterIdentity('prod', { cloudname: 'x' } as any)._bind(scope, { clusterName: 'demo', namespace: 'demo' })))
      .toMatch(/test\/demo: cloudname = "x": is not a prop of ClusterIdentityCredentialsOptions \(did you mean "cloudName"\?\)/);
  });

  test.each([
    ['on a CAPO without the kind', { secretName: 's', secretNamespace: 'capo-system', allowAllNamespaces: true, upstreamVersions: CAPO_0_12 },
      /test\/p: upstreamVersions = "CAPI v1.10.5 \+ CAPO v0.12.4": needs CAPO v0.14: CAPI v1.10.5 \+ CAPO v0.12.4 has no OpenStackClusterIdentity kind \(its pinned CRDs\)/],
    ['without saying which namespaces may use it', { secretName: 's', secretNamespace: 'capo-system' },
      /test\/p: allowedNamespaces = undefined: must be set \(or allowedNamespaceLabels, or allowAllNamespaces: true\): say which namespaces may spend these credentials/],
    ['every namespace and a list', { secretName: 's', secretNamespace: 'capo-system', allowAllNamespaces: true, allowedNamespaces: ['a'] },
      /test\/p: allowAllNamespaces = true: contradicts allowedNamespaces \/ allowedNamespaceLabels: choose one/],
    ['an empty namespace list', { secretName: 's', secretNamespace: 'capo-system', allowedNamespaces: [] },
      /test\/p: allowedNamespaces = \[\]: must name at least one namespace/],
    ['a Secret namespace that is not a namespace name', { secretName: 's', secretNamespace: 'CAPO', allowAllNamespaces: true },
      /test\/p: secretNamespace = "CAPO": must be a DNS-1123 label/],
  ])('OpenStackClusterIdentity %s', (_name, props, expected) => {
    const message = errorOf(() => new OpenStackClusterIdentity(Testing.chart(), 'p', props as any));
    expect(message).toMatch(/^1 invalid input error:\n/);
    expect(message).toMatch(expected);
  });
});
