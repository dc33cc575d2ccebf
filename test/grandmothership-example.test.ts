import { Testing } from 'cdk8s';
import { Mothership, Tenants } from '../examples/grandmothership/clusters';
import { CapiTesting, UpstreamVersions } from '../src';
import { deliveredObjects } from './addons/helpers';

describe('the grandmothership example', () => {
  test('level 1: the seed\'s cluster, promoted: providers at the pair\'s releases, Kamaji\'s included, all valid', () => {
    const chart = new Mothership(Testing.app(), 'grandmothership');
    const manifests = CapiTesting.synth(chart);
    const providers = deliveredObjects(manifests, 'grandmothership-cluster-api-providers').map(d => d.object).filter(o => o.apiVersion.startsWith('operator.'));
    const pair = UpstreamVersions.DEFAULT;
    expect(providers.map(p => [p.kind, p.metadata.name, p.spec.version]).sort()).toEqual([
      ['CoreProvider', 'cluster-api', pair.clusterApi],
      ['BootstrapProvider', 'kubeadm', pair.clusterApi],
      ['ControlPlaneProvider', 'kubeadm', pair.clusterApi],
      ['InfrastructureProvider', 'openstack', pair.openStackProvider],
      ['AddonProvider', 'helm', 'v0.6.4'],
      ['ControlPlaneProvider', 'kamaji', 'v0.20.0'],
    ].sort());
    expect(manifests.filter(m => m.kind === 'HelmChartProxy').map(m => m.spec.chartName)).toEqual(['cert-manager', 'cluster-api-operator']);
  });

  test('level 2: two tenants, each a hosted control plane cluster with an autoscaled pool, on its own credentials, all valid', () => {
    const chart = new Tenants(Testing.app(), 'tenants');
    const objects = CapiTesting.synth(chart);
    expect(objects.filter(o => o.kind === 'KamajiControlPlane').map(o => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'blue/blue-prod-control-plane', 'green/green-prod-control-plane',
    ]);
    for (const tenant of ['blue', 'green']) {
      const osc = objects.find(o => o.kind === 'OpenStackCluster' && o.metadata.namespace === tenant);
      expect(osc.spec.identityRef).toEqual({ type: 'ClusterIdentity', name: `tenant-${tenant}`, cloudName: 'openstack' });
      const identity = objects.find(o => o.kind === 'OpenStackClusterIdentity' && o.metadata.name === `tenant-${tenant}`);
      expect(identity.spec.namespaceSelector.matchExpressions[0].values).toEqual([tenant]);
      const pool = objects.find(o => o.kind === 'MachineDeployment' && o.metadata.namespace === tenant);
      expect(pool.metadata.annotations['cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size']).toBe('1');
    }
  });

  test('deterministic: byte-identical on a second synth', () => {
    const yaml = () => CapiTesting.yaml(new Tenants(Testing.app(), 'tenants')) + CapiTesting.yaml(new Mothership(Testing.app(), 'grandmothership'));
    expect(yaml()).toBe(yaml());
  });
});
