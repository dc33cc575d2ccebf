import { exampleManifests, findKind, VALIDATORS } from './fixtures';

/** Security group rule protocols, which Neutron checks and CAPO's CRD does not. */

function errorsAfter(change: (spec: any) => void): string[] {
  const manifests = exampleManifests(VALIDATORS[0].versions);
  change(findKind(manifests, 'OpenStackCluster').spec);
  return VALIDATORS[0].validate(manifests);
}

const RULE = 'must be a Neutron protocol name (ah, dccp, egp, esp, gre, icmp, icmpv6, igmp, ipip, ipv6-encap, ipv6-frag, ipv6-icmp, ipv6-nonxt, ipv6-opts, ipv6-route, ospf, pgm, rsvp, sctp, tcp, udp, udplite, vrrp) or a number 0-255';

test('a typo or a number over 255 is refused, in every rule list', () => {
  expect(errorsAfter(spec => {
    spec.managedSecurityGroups.allNodesSecurityGroupRules[0].protocol = 'tpc';
    spec.managedSecurityGroups.controlPlaneNodesSecurityGroupRules = [{ name: 'x', direction: 'ingress', protocol: '256' }];
    spec.managedSecurityGroups.workerNodesSecurityGroupRules = [{ name: 'y', direction: 'egress', protocol: 'any thing' }];
  })).toEqual([
    `OpenStackCluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.managedSecurityGroups.allNodesSecurityGroupRules[0].protocol = "tpc": ${RULE}`,
    `OpenStackCluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.managedSecurityGroups.controlPlaneNodesSecurityGroupRules[0].protocol = "256": ${RULE}`,
    `OpenStackCluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.managedSecurityGroups.workerNodesSecurityGroupRules[0].protocol = "any thing": ${RULE}`,
  ]);
});

test('names in any case and numbers 0-255 pass (Neutron lower-cases names)', () => {
  expect(errorsAfter(spec => {
    const rules = spec.managedSecurityGroups.allNodesSecurityGroupRules;
    rules[0].protocol = 'TCP';
    rules.push({ name: 'vrrp', direction: 'ingress', protocol: '112' }, { name: 'icmp', direction: 'ingress', protocol: 'ipv6-icmp' });
  })).toEqual([]);
});

test('in an OpenStackClusterTemplate too, against every pinned pair', () => {
  const template = {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'OpenStackClusterTemplate',
    metadata: { name: 't', namespace: 'ns' },
    spec: { template: { spec: { identityRef: { name: 'creds', cloudName: 'openstack' }, managedSecurityGroups: { allNodesSecurityGroupRules: [{ name: 'a', direction: 'ingress', protocol: 'udpp' }] } } } },
  };
  for (const v of VALIDATORS) {
    expect(v.validate([template])).toEqual([`OpenStackClusterTemplate/ns/t: spec.template.spec.managedSecurityGroups.allNodesSecurityGroupRules[0].protocol = "udpp": ${RULE}`]);
  }
});
