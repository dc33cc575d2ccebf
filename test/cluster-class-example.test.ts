import { Testing } from 'cdk8s';
import { ClusterClassExample } from '../examples/cluster-class/clusters';
import { CapiTesting, SchemaValidator, UpstreamVersions } from '../src';
import { errorOf } from './fixtures';

describe('the ClusterClass example', () => {
  test.each([UpstreamVersions.CAPI_1_13_CAPO_0_14, UpstreamVersions.CAPI_1_14_CAPO_0_14].map(v => [v.toString(), v] as const))(
    'one class and three clusters, valid with %s', (_name, upstreamVersions) => {
      const chart = new ClusterClassExample(Testing.app(), 'cluster-class', { upstreamVersions });
      const objects = CapiTesting.synth(chart);
      expect(new SchemaValidator({ versions: upstreamVersions }).validate(objects)).toEqual([]);
      const clusters = objects.filter(o => o.kind === 'Cluster');
      expect(clusters.map(c => [c.metadata.name, c.spec.topology.version, c.spec.topology.controlPlane.replicas])).toEqual([
        ['dev', 'v1.33.2', 1], ['staging', 'v1.32.4', 3], ['prod', 'v1.32.4', 3],
      ]);
      // Only what the topology does not own: no control plane, pool or machine template of a cluster.
      expect(objects.filter(o => ['KubeadmControlPlane', 'MachineDeployment', 'OpenStackCluster'].includes(o.kind))).toEqual([]);
      expect(objects.filter(o => o.kind === 'ClusterClass')).toHaveLength(1);
    });

  test('refused for CAPI v1.10 (v1beta1): ClusterClass is written in v1beta2 only', () => {
    expect(errorOf(() => new ClusterClassExample(Testing.app(), 'cluster-class', { upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12 })))
      .toMatch(/cluster.upstreamVersions = "CAPI v1.10.5 \+ CAPO v0.12.4": must serve CAPI v1beta2/);
  });
});
