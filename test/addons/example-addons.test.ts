import { Testing } from 'cdk8s';
import { deliveredObjects, imagesOf } from './helpers';
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
    const text = JSON.stringify(manifests);
    for (const pattern of [/password/i, /application_credential_secret/i, /PRIVATE KEY/, /client-key-data/, /\btoken:\s*\S/]) {
      expect(text).not.toMatch(pattern);
    }
  });

  test('every image is pinned, none is pulled Always', () => {
    const images = imagesOf([...manifests, ...delivered]);
    expect(images.length).toBeGreaterThanOrEqual(4);
    for (const { where, image, pullPolicy } of images) {
      expect(`${where} ${image}`).toMatch(/ \S+:(v?\d+\.\d+\.\d+)$/);
      expect(`${where} ${pullPolicy}`).not.toMatch(/Always$/);
    }
  });
});
