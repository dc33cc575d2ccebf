import { Testing } from 'cdk8s';
import {
  ClusterNetwork, CloudCredentials, Flavor, NetworkReference, OpenStackClusterIdentity, RouterReference, SchemaValidator, UpstreamVersions,
} from '../../src';
import { clusterChart, errorOf, objectOf } from '../fixtures';

describe('wired into OpenStackCapiCluster', () => {
  test('everything set: valid, and the fields where CAPO reads them', () => {
    const { chart } = clusterChart({
      network: ClusterNetwork.existing({ network: NetworkReference.fromName('k8s'), router: RouterReference.fromName('r'), nodeCidr: '10.8.0.0/22' }),
      apiServer: { managementClusterCidrs: ['203.0.113.10'], allowedCidrs: ['198.51.100.0/24'], healthMonitor: { delaySeconds: 5 }, fixedIp: '10.8.0.10' },
      bastion: { flavor: Flavor.named('m1.small') },
      sshKeyName: 'ops',
      controlPlaneAvailabilityZones: ['a', 'b', 'c'],
      credentials: CloudCredentials.fromClusterIdentity('prod'),
    });
    new OpenStackClusterIdentity(chart, 'prod', { secretName: 's', secretNamespace: 'capo-system', allowedNamespaces: ['demo'] });
    const manifests = Testing.synth(chart);
    const spec = objectOf(manifests, 'OpenStackCluster').spec;
    expect(spec.identityRef).toEqual({ type: 'ClusterIdentity', name: 'prod', cloudName: 'openstack' });
    expect(spec.network).toEqual({ filter: { name: 'k8s' } });
    expect(spec.apiServerLoadBalancer.allowedCIDRs).toEqual(['203.0.113.10', '198.51.100.0/24']);
    expect(spec.bastion.spec.sshKeyName).toBe('ops');
    expect(new SchemaValidator({ versions: UpstreamVersions.CAPI_1_14_CAPO_0_14 }).validate(manifests)).toEqual([]);
  });

  test('refusals come through the cluster', () => {
    expect(errorOf(() => clusterChart({ apiServer: { allowedCidrs: ['198.51.100.0/24'] } })))
      .toMatch(/test\/demo: apiServer.allowedCidrs = \["198.51.100.0\/24"\]: leaves out the management cluster/);
    expect(errorOf(() => clusterChart({ network: ClusterNetwork.managed({ cidr: '192.168.1.0/24' }) })))
      .toMatch(/test\/demo: network.cidr = "192.168.1.0\/24": must not overlap podCidrs\[0\]/);
    expect(errorOf(() => clusterChart({ credentials: CloudCredentials.fromClusterIdentity('prod'), upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12 })))
      .toMatch(/credentials = .*needs CAPO v0.14/);
    const { chart: small } = clusterChart({ network: ClusterNetwork.managed({ cidr: '10.6.0.0/29' }), bastion: { flavor: Flavor.named('m1.small') }, sshKeyName: 'k' });
    expect(() => Testing.synth(small)).toThrow(/network.cidr = "10.6.0.0\/29": has 8 addresses.*8 addresses Neutron and Octavia reserve \(and the bastion\)/);
  });
});
