import { exampleManifests, findKind, VALIDATORS } from './fixtures';

/** Fields that hold CIDRs or IP addresses, which the CRDs type as plain strings. */

const [validator] = VALIDATORS;

function errorsAfter(kind: string, change: (object: any) => void): string[] {
  const manifests = exampleManifests(validator.versions);
  change(findKind(manifests, kind));
  return validator.validate(manifests);
}

test('Cluster pod and service CIDR blocks must be CIDRs', () => {
  expect(errorsAfter('Cluster', c => {
    c.spec.clusterNetwork.pods.cidrBlocks = ['192.168.0.0/16', '192.168.0.0'];
    c.spec.clusterNetwork.services = { cidrBlocks: ['10.96.0.0/33', 'fd00::/108'] };
  })).toEqual([
    'Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.clusterNetwork.pods.cidrBlocks[1] = "192.168.0.0": must be a CIDR such as "10.0.0.0/16" (an address and a prefix length)',
    'Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.clusterNetwork.services.cidrBlocks[0] = "10.96.0.0/33": must be a CIDR such as "10.0.0.0/16" (an address and a prefix length)',
  ]);
});

test('OpenStackCluster subnets, allocation pools, API server addresses and rule prefixes', () => {
  expect(errorsAfter('OpenStackCluster', o => {
    o.spec.managedSubnets = [{ cidr: '10.6.0.0/24x', allocationPools: [{ start: '10.6.0.10', end: '10.6.0.300' }] }];
    o.spec.apiServerFloatingIP = 'not-an-ip';
    o.spec.managedSecurityGroups.allNodesSecurityGroupRules = [
      { name: 'a', direction: 'ingress', remoteIPPrefix: '203.0.113.7' }, // a bare address: Neutron takes it as /32
      { name: 'b', direction: 'ingress', remoteIPPrefix: '203.0.113.0/24' },
      { name: 'c', direction: 'ingress', remoteIPPrefix: '203.0.113.0/' },
    ];
  })).toEqual([
    'OpenStackCluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.managedSubnets[0].cidr = "10.6.0.0/24x": must be a CIDR such as "10.0.0.0/16" (an address and a prefix length)',
    'OpenStackCluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.managedSubnets[0].allocationPools[0].end = "10.6.0.300": must be an IP address',
    'OpenStackCluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.managedSecurityGroups.allNodesSecurityGroupRules[2].remoteIPPrefix = "203.0.113.0/": must be a CIDR or an IP address',
    'OpenStackCluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.apiServerFloatingIP = "not-an-ip": must be an IP address',
  ]);
});

test('the API server load balancer\'s allowed CIDRs, in a cluster template too', () => {
  const template = {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'OpenStackClusterTemplate',
    metadata: { name: 't', namespace: 'ns' },
    spec: { template: { spec: { identityRef: { name: 'creds', cloudName: 'openstack' }, apiServerLoadBalancer: { enabled: true, allowedCIDRs: ['192.0.2.0/24', '192.0.2.1', '192.0.2.0/24/24'] } } } },
  };
  for (const v of VALIDATORS) {
    expect(v.validate([template])).toEqual([
      'OpenStackClusterTemplate/ns/t: spec.template.spec.apiServerLoadBalancer.allowedCIDRs[2] = "192.0.2.0/24/24": must be a CIDR or an IP address',
    ]);
  }
});

test('valid IPv4 and IPv6 values pass', () => {
  expect(errorsAfter('Cluster', c => {
    c.spec.clusterNetwork.pods.cidrBlocks = ['192.168.0.0/16', 'fd00:10:244::/56'];
    c.spec.clusterNetwork.services = { cidrBlocks: ['10.96.0.0/12'] };
  })).toEqual([]);
  expect(errorsAfter('OpenStackCluster', o => {
    o.spec.apiServerFixedIP = '2001:db8::10';
    o.spec.managedSubnets = [{ cidr: '10.6.0.0/24', allocationPools: [{ start: '10.6.0.10', end: '10.6.0.200' }] }];
  })).toEqual([]);
});
