import { Chart, Testing } from 'cdk8s';
import { Flavor, MachineImage } from '../../src';
import { AutoscalerPlacement, CILIUM_VERSIONS, CiliumCni, METRICS_SERVER_IMAGES } from '../../src/addons';
import {
  CINDER_CSI_PLUGIN_IMAGES, CLUSTER_AUTOSCALER_IMAGES, KUBECTL_IMAGES, OPENSTACK_CCM_IMAGES,
} from '../../src/addons/image-versions';
import { OpenStackCapiCluster, OpenStackCapiClusterProps } from '../../src/openstack-capi-cluster';
import { SecurityGroupRule } from '../../src/security-group-rule';
import { SchemaValidator, UpstreamVersions } from '../../src/validation';
import { allObjects, findImages, unpinnedReason } from '../output-scan';
import { deliveredObjects } from './helpers';

/** The Kubernetes minors every add-on has pinned images (or charts) for. */
const TABLES = [KUBECTL_IMAGES, OPENSTACK_CCM_IMAGES, CLUSTER_AUTOSCALER_IMAGES, CINDER_CSI_PLUGIN_IMAGES, METRICS_SERVER_IMAGES, CILIUM_VERSIONS];
const SUPPORTED_MINORS = Object.keys(KUBECTL_IMAGES).filter(minor => TABLES.every(table => table[minor] !== undefined)).sort();

/** A cluster of the minor with every add-on: the Calico Job, or Calico's operator, or Cilium as its CNI. */
function clusterWithEveryAddon(chart: Chart, minor: string, cni: 'job' | 'operator' | 'cilium'): OpenStackCapiCluster {
  const name = `${cni}-${minor.replace('.', '-')}`;
  const props: OpenStackCapiClusterProps = {
    name,
    kubernetesVersion: `v${minor}.4`,
    controlPlaneFlavor: Flavor.named('m1.large'),
    image: MachineImage.fromName(`ubuntu-2404-kube-v${minor}.4`),
    securityGroupRules: [...SecurityGroupRule.calico(), ...CiliumCni.securityGroupRules()],
  };
  const cluster = new OpenStackCapiCluster(chart, name, props);
  cluster.addNodePool('workers', { flavor: Flavor.of('m1.xlarge', { vcpus: 4, memoryMiB: 8192, diskGiB: 40 }), autoscaling: { minSize: 0, maxSize: 5 } });
  if (cni === 'job') cluster.addCalico();
  if (cni === 'operator') cluster.addCalicoOperator();
  if (cni === 'cilium') cluster.addCilium();
  cluster.addCloudControllerManager();
  cluster.addCinderCsi({ volumeSnapshots: {} });
  cluster.addMetricsServer({ replicas: 2 });
  cluster.addAutoscaler(cni === 'job' ? {} : { placement: AutoscalerPlacement.WORKLOAD_CLUSTER, managementKubeconfig: { secretName: `${name}-mgmt` } });
  return cluster;
}

/** Pod specs of workload-cluster objects, with where they are. */
function podsOf(objects: any[]): Array<{ where: string; kind: string; namespace?: string; pod: any }> {
  return objects.filter(o => o.spec?.template?.spec?.containers).map(o => ({
    where: `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`, kind: o.kind, namespace: o.metadata.namespace, pod: o.spec.template.spec,
  }));
}

test('the supported minors: every add-on has a pinned image for each', () => {
  expect(SUPPORTED_MINORS).toEqual(['1.31', '1.32', '1.33']);
});

describe.each(SUPPORTED_MINORS)('every add-on on Kubernetes %s', minor => {
  const chart = Testing.chart();
  const clusters = (['job', 'operator', 'cilium'] as const).map(cni => clusterWithEveryAddon(chart, minor, cni));
  const manifests = Testing.synth(chart);
  const delivered = manifests.filter(m => m.kind === 'ClusterResourceSet').flatMap(crs => deliveredObjects(manifests, crs.metadata.name).map(d => d.object));

  test('the output and the objects it carries validate against the CRDs and the Kubernetes schemas, each CNI alone', () => {
    expect(chart.node.findAll().flatMap(c => c.node.validate())).toEqual([]);
    for (const versions of [UpstreamVersions.CAPI_1_13_CAPO_0_14, UpstreamVersions.CAPI_1_14_CAPO_0_14]) {
      expect(new SchemaValidator({ versions }).validate(manifests.map(m => m))).toEqual([]);
    }
    expect(clusters.every(c => c.upstreamVersions === UpstreamVersions.CAPI_1_14_CAPO_0_14)).toBe(true);
    // The carried objects are checked too: a wrong type inside a ClusterResourceSet's ConfigMap is found.
    const broken = manifests.map(m => (m.kind === 'ConfigMap' && m.metadata.name.endsWith('-metrics-server')
      ? { ...m, data: Object.fromEntries(Object.entries(m.data).map(([k, v]) => [k, String(v).replace('replicas: 2', 'replicas: two')])) } : m));
    expect(new SchemaValidator({ versions: UpstreamVersions.CAPI_1_14_CAPO_0_14 }).validate(broken).join('\n')).toMatch(/replicas = "two"/);
    // The kinds carried to the workload cluster: nothing left out.
    expect(new Set(delivered.map(o => o.kind))).toEqual(new Set([
      'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Job', 'DaemonSet', 'Deployment', 'Service', 'APIService',
      'PodDisruptionBudget', 'CSIDriver', 'StorageClass', 'CustomResourceDefinition', 'VolumeSnapshotClass',
    ]));
  });

  test('no moving image tag anywhere, images of the cluster\'s minor', () => {
    const images = findImages(manifests);
    expect(images.length).toBeGreaterThan(20);
    expect(images.filter(i => unpinnedReason(i.image) !== undefined)).toEqual([]);
    expect(images.filter(i => i.pullPolicy === 'Always')).toEqual([]);
    for (const table of [KUBECTL_IMAGES, OPENSTACK_CCM_IMAGES, CLUSTER_AUTOSCALER_IMAGES, CINDER_CSI_PLUGIN_IMAGES, METRICS_SERVER_IMAGES]) {
      expect(images.map(i => i.image)).toContain(table[minor]);
    }
    // Charts are pinned to exact versions too.
    for (const proxy of manifests.filter(m => m.kind === 'HelmChartProxy')) expect(proxy.spec.version).toMatch(/^v?\d+\.\d+\.\d+$/);
  });

  test('every workload has CPU and memory requests and a priority class', () => {
    const pods = podsOf(delivered);
    expect(pods.length).toBeGreaterThan(8);
    for (const { where, pod } of pods) {
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect([where, container.name, Object.keys(container.resources?.requests ?? {}).sort()]).toEqual([where, container.name, ['cpu', 'memory']]);
      }
      expect([where, pod.priorityClassName]).toEqual([where, expect.stringMatching(/^system-(cluster|node)-critical$/)]);
    }
  });

  test('no controller keeps a pool from scaling to zero: Deployments on control plane nodes, tolerating their taint', () => {
    for (const { where, kind, pod } of podsOf(delivered).filter(p => p.kind === 'Deployment')) {
      expect([where, kind, pod.nodeSelector?.['node-role.kubernetes.io/control-plane']]).toEqual([where, kind, '']);
      expect([where, pod.tolerations.some((t: any) => t.key === 'node-role.kubernetes.io/control-plane' && t.effect === 'NoSchedule')])
        .toEqual([where, true]);
    }
  });

  test('the whole output, carried objects included, is byte-identical on a second synth', () => {
    const again = Testing.chart();
    (['job', 'operator', 'cilium'] as const).forEach(cni => clusterWithEveryAddon(again, minor, cni));
    expect(JSON.stringify(allObjects(Testing.synth(again)))).toBe(JSON.stringify(allObjects(manifests)));
  });
});
