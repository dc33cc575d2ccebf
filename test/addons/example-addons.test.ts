import { Testing } from 'cdk8s';
import { findSecretMaterial } from '../output-scan';
import { deliveredObjects } from './helpers';
import { CapiUbuntuOpenStack } from '../../examples/capi-ubuntu-openstack/cluster';

describe('the example\'s add-ons', () => {
  const app = Testing.app();
  const chart = new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
  const manifests = Testing.synth(chart);
  const resourceSets = manifests.filter(m => m.kind === 'ClusterResourceSet');
  const delivered = resourceSets.flatMap(crs => deliveredObjects(manifests, crs.metadata.name).map(d => d.object));

  test('the post\'s three ClusterResourceSets, selecting the cluster', () => {
    expect(resourceSets.map(crs => crs.metadata.name).sort()).toEqual(['calico', 'cloud-provider-openstack', 'cluster-autoscaler-openstack']);
    for (const crs of resourceSets) {
      expect(crs.metadata.namespace).toBe('capi-ubuntu-openstack');
      expect(crs.spec.clusterSelector.matchLabels).toEqual({ 'cluster.x-k8s.io/cluster-name': 'capi-ubuntu-openstack' });
    }
  });

  test('Calico\'s pool is the cluster\'s pod CIDR', () => {
    const job = delivered.find(o => o.kind === 'Job');
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'CALICO_IPV4POOL_CIDR', value: '192.168.0.0/16' });
  });

  test('constructs validate', () => {
    expect(app.node.findAll().flatMap(c => c.node.validate())).toEqual([]);
  });

  test('no secret in the output: no Secret objects, nothing secret-looking, even inside the ConfigMaps', () => {
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    expect(delivered.filter(o => o.kind === 'Secret')).toEqual([]);
    expect(findSecretMaterial(manifests)).toEqual([]);
  });

});
