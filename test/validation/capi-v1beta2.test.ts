import { SchemaValidator, UpstreamVersions } from '../../src/validation';

/**
 * CAPI v1beta2 objects, shaped as CAPO v0.14.7's templates/cluster-template.yaml writes them (CAPI
 * v1beta2 beside CAPO v1beta1), with its variables filled.
 */

const ns = 'demo';
const kubeletArgs = [{ name: 'cloud-provider', value: 'external' }, { name: 'provider-id', value: 'openstack:///\'{{ instance_id }}\'' }];
const nodeRegistration = { kubeletExtraArgs: kubeletArgs, name: '{{ local_hostname }}' };

function v1beta2Cluster(): any[] {
  return [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: 'c', namespace: ns, labels: { cni: 'calico' } },
      spec: {
        clusterNetwork: { pods: { cidrBlocks: ['192.168.0.0/16'] }, serviceDomain: 'cluster.local' },
        controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: 'c-control-plane' },
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackCluster', name: 'c' },
      },
    },
    {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmControlPlane',
      metadata: { name: 'c-control-plane', namespace: ns },
      spec: {
        kubeadmConfigSpec: {
          clusterConfiguration: { controllerManager: { extraArgs: [{ name: 'cloud-provider', value: 'external' }] } },
          initConfiguration: { nodeRegistration },
          joinConfiguration: { nodeRegistration },
        },
        machineTemplate: { spec: { infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'c-control-plane' } } },
        replicas: 3,
        version: 'v1.32.4',
      },
    },
    {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'MachineDeployment',
      metadata: { name: 'c-md-0', namespace: ns },
      spec: {
        clusterName: 'c',
        replicas: 2,
        selector: { matchLabels: null },
        template: {
          spec: {
            bootstrap: { configRef: { apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: 'c-md-0' } },
            clusterName: 'c',
            failureDomain: 'nova',
            infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'c-md-0' },
            version: 'v1.32.4',
          },
        },
      },
    },
    {
      apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2',
      kind: 'KubeadmConfigTemplate',
      metadata: { name: 'c-md-0', namespace: ns },
      spec: { template: { spec: { joinConfiguration: { nodeRegistration } } } },
    },
    {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSet',
      metadata: { name: 'calico', namespace: ns },
      spec: { clusterSelector: { matchLabels: { cni: 'calico' } }, resources: [{ kind: 'ConfigMap', name: 'calico' }], strategy: 'Reconcile' },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'calico', namespace: ns },
      data: { 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: calico-system}\n' },
    },
  ];
}

const byKind = (manifests: any[], kind: string) => manifests.find(m => m.kind === kind);
const pairs = [UpstreamVersions.CAPI_1_13_CAPO_0_14, UpstreamVersions.CAPI_1_14_CAPO_0_14];

describe.each(pairs.map(v => [v.toString(), new SchemaValidator({ versions: v })]))('against %s', (_name, validator) => {
  test('v1beta2 Cluster, KubeadmControlPlane, MachineDeployment, KubeadmConfigTemplate and ClusterResourceSet validate', () => {
    const report = validator.validateObjects(v1beta2Cluster());
    expect(report.errors).toEqual([]);
    expect(report.objectsChecked).toBe(7);
    expect(report.objectsWithoutSchema).toBe(0);
    expect(report.celRulesEvaluated).toBeGreaterThan(0);
    expect(report.celRulesUnsupported).toBe(0);
  });

  test('v1beta1 shapes in v1beta2 objects are refused: extraArgs as a map, refs with apiVersion', () => {
    const manifests = v1beta2Cluster();
    byKind(manifests, 'KubeadmControlPlane').spec.kubeadmConfigSpec.clusterConfiguration.controllerManager.extraArgs = { 'cloud-provider': 'external' };
    byKind(manifests, 'Cluster').spec.controlPlaneRef.apiVersion = 'controlplane.cluster.x-k8s.io/v1beta2';
    expect(validator.validate(manifests)).toEqual([
      'Cluster/demo/c: spec.controlPlaneRef.apiVersion = <not shown>: unknown field: the schema has no such field',
      'KubeadmControlPlane/demo/c-control-plane: spec.kubeadmConfigSpec.clusterConfiguration.controllerManager.extraArgs = {"cloud-provider":"external"}: must be of type array',
    ]);
  });

  test('the v1beta2 CEL rules run: an argument given twice, a partition with two layouts', () => {
    const manifests = v1beta2Cluster();
    const template = byKind(manifests, 'KubeadmConfigTemplate').spec.template.spec;
    template.joinConfiguration.nodeRegistration = { kubeletExtraArgs: [...kubeletArgs, { name: 'cloud-provider', value: 'openstack' }] };
    template.diskSetup = { partitions: [{ device: '/dev/vdb', layout: true, diskLayout: [{ percentage: 100 }] }] };
    const errors = validator.validate(manifests);
    expect(errors).toEqual([
      expect.stringMatching(/^KubeadmConfigTemplate\/demo\/c-md-0: spec\.template\.spec\.joinConfiguration\.nodeRegistration\.kubeletExtraArgs = .*: kubeletExtraArgs name must be unique \(CEL rule "self\.all\(x, self\.exists_one\(y, x\.name == y\.name\)\)"\)$/),
      expect.stringMatching(/^KubeadmConfigTemplate\/demo\/c-md-0: spec\.template\.spec\.diskSetup\.partitions\[0\] = .*: exactly one of the fields in \[layout diskLayout\] must be set \(CEL rule .*\)$/),
    ]);
  });
});

test('CAPI v1.10.5 does not serve v1beta2', () => {
  const errors = new SchemaValidator({ versions: UpstreamVersions.CAPI_1_10_CAPO_0_12 }).validate(v1beta2Cluster());
  expect(errors).toContain('Cluster/demo/c: apiVersion = "cluster.x-k8s.io/v1beta2": Cluster is served as cluster.x-k8s.io/v1beta1 by CAPI v1.10.5 + CAPO v0.12.4, not as cluster.x-k8s.io/v1beta2');
});

test('CAPI v1.14 is chosen by its version and is not the default', () => {
  expect(UpstreamVersions.fromClusterApiVersion('1.14')).toBe(UpstreamVersions.CAPI_1_14_CAPO_0_14);
  expect(UpstreamVersions.fromClusterApiVersion('v1.14.0')).toBe(UpstreamVersions.CAPI_1_14_CAPO_0_14);
  expect(UpstreamVersions.all()).toContain(UpstreamVersions.CAPI_1_14_CAPO_0_14);
  expect(UpstreamVersions.DEFAULT).toBe(UpstreamVersions.CAPI_1_14_CAPO_0_14);
});
