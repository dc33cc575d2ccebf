import { Chart, Testing } from 'cdk8s';
import {
  CalicoBootstrapJob, CapiTesting, ClusterApiOperatorOptions, Flavor, HostedControlPlaneCluster, KamajiDataStore, MachineImage, MetricsServer,
  OpenStackCapiCluster, OpenStackCloudControllerManager, SchemaValidator, SecurityGroupRule, Tenant, UpstreamVersions,
} from '../src';
import { deliveredObjects } from './addons/helpers';
import { errorOf, MINIMAL_CLUSTER_PROPS } from './fixtures';
import { kamajiTenantVersionProblem } from '../src/kamaji-versions';

function promoted(options: ClusterApiOperatorOptions = {}, upstreamVersions = UpstreamVersions.DEFAULT, kubernetesVersion = 'v1.33.2') {
  const chart = new Chart(Testing.app(), 'mothership');
  const cluster = new OpenStackCapiCluster(chart, 'seed', {
    ...MINIMAL_CLUSTER_PROPS,
    upstreamVersions,
    kubernetesVersion,
    image: MachineImage.fromName(`ubuntu-2404-kube-${kubernetesVersion}`),
    securityGroupRules: SecurityGroupRule.calico(),
  });
  const capi = cluster.addClusterApi(options);
  const manifests = CapiTesting.synth(chart);
  return { chart, cluster, capi, manifests, providers: deliveredObjects(manifests, 'seed-cluster-api-providers').map(d => d.object) };
}

describe('cluster.addClusterApi(): promote a cluster to management', () => {
  test.each(UpstreamVersions.all().map(v => [v.toString(), v] as const))('the providers agree with the pair %s', (_name, pair) => {
    const { providers, manifests } = promoted({}, pair);
    const version = (kind: string, name: string) => providers.find(p => p.kind === kind && p.metadata.name === name)?.spec.version;
    expect(version('CoreProvider', 'cluster-api')).toBe(pair.clusterApi);
    expect(version('BootstrapProvider', 'kubeadm')).toBe(pair.clusterApi);
    expect(version('ControlPlaneProvider', 'kubeadm')).toBe(pair.clusterApi);
    expect(version('InfrastructureProvider', 'openstack')).toBe(pair.openStackProvider);
    expect(version('AddonProvider', 'helm')).toBe(pair.clusterApiVersion === 'v1beta2' ? 'v0.6.4' : 'v0.4.2');
    expect(providers.find(p => p.kind === 'CoreProvider').spec.manager.featureGates).toEqual({ ClusterTopology: true });
    // Valid against the operator's CRDs (v0.28.0), carried objects included.
    expect(new SchemaValidator({ versions: pair }).validate(manifests)).toEqual([]);
  });

  test('cert-manager and the operator by CAAPH, pinned; the providers re-applied when the pair changes (Reconcile)', () => {
    const { manifests } = promoted();
    const charts = manifests.filter(m => m.kind === 'HelmChartProxy').map(m => [m.spec.chartName, m.spec.version, m.spec.namespace]);
    expect(charts).toEqual([['cert-manager', 'v1.18.2', 'cert-manager'], ['cluster-api-operator', '0.28.0', 'capi-operator-system']]);
    expect(manifests.find(m => m.kind === 'ClusterResourceSet' && m.metadata.name === 'seed-cluster-api-providers').spec.strategy).toBe('Reconcile');
  });

  test('Kamaji\'s control plane provider on request; refused with the v1beta1 pair', () => {
    expect(promoted({ kamaji: true }).capi.providers['ControlPlaneProvider/kamaji']).toBe('v0.20.0');
    expect(promoted().capi.providers['ControlPlaneProvider/kamaji']).toBeUndefined();
    expect(errorOf(() => promoted({ kamaji: true }, UpstreamVersions.CAPI_1_10_CAPO_0_12)))
      .toMatch(/kamaji = true: needs a pair serving CAPI v1beta2: the Kamaji control plane provider v0.20 builds on CAPI v1.13/);
  });

  test('Kamaji runs on a management cluster of v1.33 or later (Kamaji\'s versioning docs)', () => {
    expect(errorOf(() => promoted({ kamaji: true }, UpstreamVersions.DEFAULT, 'v1.32.4')))
      .toMatch(/kamaji = "cluster seed on v1.32.4": must be v1.33 or later to run Kamaji 26.8.2-edge/);
    // Without Kamaji, any version the pair supports.
    expect(promoted({}, UpstreamVersions.DEFAULT, 'v1.32.4').capi.providers['CoreProvider/cluster-api']).toBe('v1.14.0');
  });

  test('Kamaji\'s range of hosted control plane versions: v1.30 to its kubeadm\'s v1.36', () => {
    expect([29, 30, 36, 37].map(minor => kamajiTenantVersionProblem(minor) === undefined)).toEqual([false, true, true, false]);
    expect(kamajiTenantVersionProblem(37)).toMatch(/not supported by Kamaji 26.8.2-edge for hosted control planes \(v1.30.x to v1.36.x/);
  });
});

describe('Tenant', () => {
  function tenants() {
    const chart = new Chart(Testing.app(), 'grandmothership');
    const blue = new Tenant(chart, 'Blue', { name: 'blue', identitySecretName: 'blue-clouds', adminGroups: ['oidc:blue-admins'] });
    const green = new Tenant(chart, 'Green', { name: 'green', identitySecretName: 'green-clouds', maxClusters: 2 });
    return { chart, blue, green };
  }

  test('a namespace, an identity admitting it only, quotas and namespaced RBAC, valid', () => {
    const { chart } = tenants();
    const objects = CapiTesting.synth(chart);
    const identity = objects.find(o => o.kind === 'OpenStackClusterIdentity' && o.metadata.name === 'tenant-blue');
    expect(identity.spec.namespaceSelector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['blue'] }]);
    expect(identity.spec.secretRef).toEqual({ name: 'blue-clouds', namespace: 'capo-system' });
    const quota = objects.find(o => o.kind === 'ResourceQuota' && o.metadata.namespace === 'green');
    expect(quota.spec.hard).toEqual({ 'count/clusters.cluster.x-k8s.io': 2, 'count/kamajicontrolplanes.controlplane.cluster.x-k8s.io': 5 });
    const admins = objects.find(o => o.kind === 'RoleBinding');
    expect(admins).toMatchObject({ metadata: { namespace: 'blue' }, roleRef: { kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'Group', name: 'oidc:blue-admins' }] });
    expect(objects.filter(o => o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('tenants cannot use each other\'s credentials: refused at synth', () => {
    const { chart, blue, green } = tenants();
    const worker = { flavor: Flavor.named('m1.large'), replicas: 1 };
    new OpenStackCapiCluster(chart, 'blue-dev', { ...MINIMAL_CLUSTER_PROPS, name: 'blue-dev', namespace: 'blue', createNamespace: false, credentials: blue.credentials() })
      .addNodePool('w', worker);
    new OpenStackCapiCluster(chart, 'green-dev', { ...MINIMAL_CLUSTER_PROPS, name: 'green-dev', namespace: 'green', createNamespace: false, credentials: blue.credentials() });
    expect(blue.node.validate()).toEqual([
      'grandmothership/green-dev: cluster "green-dev" in namespace "green" uses the credentials of tenant "blue" (OpenStackClusterIdentity tenant-blue, which admits namespace "blue" only): use its own tenant\'s credentials',
    ]);
    expect(green.node.validate()).toEqual([]);
    expect(() => CapiTesting.synth(chart)).toThrow(/uses the credentials of tenant "blue"/);
  });
});

describe('HostedControlPlaneCluster (Kamaji)', () => {
  function hosted(upstreamVersions = UpstreamVersions.DEFAULT) {
    const chart = new Chart(Testing.app(), 'grandmothership');
    const tenant = new Tenant(chart, 'Blue', { name: 'blue', identitySecretName: 'blue-clouds' });
    const dataStore = new KamajiDataStore(chart, 'Etcd', { name: 'default', endpoints: ['etcd-0.etcd.kamaji-system.svc:2379'], secretName: 'etcd-certs' });
    const cluster = new HostedControlPlaneCluster(chart, 'blue-dev', {
      name: 'blue-dev',
      namespace: tenant.name,
      kubernetesVersion: 'v1.32.4',
      dataStore,
      credentials: tenant.credentials(),
      upstreamVersions,
      image: MachineImage.fromName('ubuntu-2404-kube-v1.32.4'),
      nodeCidr: '10.40.1.0/24',
      externalNetworkId: '6c90b532-7ba0-418a-a276-5ae55060b5b0',
      securityGroupRules: SecurityGroupRule.calico(),
    });
    cluster.addNodePool('workers', { flavor: Flavor.of('m1.large', { vcpus: 4, memoryMiB: 8192, diskGiB: 40 }), autoscaling: { minSize: 0, maxSize: 5 } });
    new CalicoBootstrapJob(chart, 'Calico', { cluster, name: 'blue-dev-calico' });
    new OpenStackCloudControllerManager(chart, 'Ccm', { cluster, name: 'blue-dev-cloud-provider-openstack' });
    new MetricsServer(chart, 'MetricsServer', { cluster, name: 'blue-dev-metrics-server', replicas: 2 });
    return { chart, cluster };
  }

  test('Cluster + KamajiControlPlane + OpenStackCluster without an API server load balancer, workers autoscaled, valid against Kamaji\'s CRDs', () => {
    const { chart } = hosted();
    const objects = CapiTesting.synth(chart);
    const cluster = objects.find(o => o.kind === 'Cluster');
    expect(cluster.spec.controlPlaneRef).toEqual({ apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KamajiControlPlane', name: 'blue-dev-control-plane' });
    const kcp = objects.find(o => o.kind === 'KamajiControlPlane');
    expect(kcp.spec).toMatchObject({ dataStoreName: 'default', version: 'v1.32.4', network: { serviceType: 'LoadBalancer' } });
    const osc = objects.find(o => o.kind === 'OpenStackCluster');
    expect(osc.spec).toMatchObject({ apiServerLoadBalancer: { enabled: false }, disableAPIServerFloatingIP: true, identityRef: { type: 'ClusterIdentity', name: 'tenant-blue' } });
    expect(objects.find(o => o.kind === 'MachineDeployment').spec.clusterName).toBe('blue-dev');
    expect(objects.filter(o => o.kind === 'KubeadmControlPlane')).toEqual([]);
    // Every kind has its pinned schema: CAPI's, CAPO's, the Kamaji provider's, Kamaji's.
    const validator = new SchemaValidator({ versions: UpstreamVersions.DEFAULT });
    const withoutSchema = objects.filter(o => validator.validateObjects([o]).objectsWithoutSchema > 0);
    expect(withoutSchema.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    const broken = { ...kcp, spec: { ...kcp.spec, dataStoreName: 7 } };
    expect(new SchemaValidator({ versions: UpstreamVersions.DEFAULT }).validate([broken]).join('\n')).toMatch(/spec.dataStoreName = 7: must be of type string/);
    const store = objects.find(o => o.kind === 'DataStore');
    expect(store.spec.tlsConfig.clientCertificate.privateKey).toEqual({ secretReference: { name: 'etcd-certs', namespace: 'kamaji-system', keyPath: 'tls.key' } });
  });

  test('no control plane nodes: the add-ons\' controllers run on the workers', () => {
    const { chart } = hosted();
    const manifests = Testing.synth(chart);
    const ccm = deliveredObjects(manifests, 'blue-dev-cloud-provider-openstack').map(d => d.object).find(o => o.kind === 'DaemonSet');
    expect(ccm.spec.template.spec.nodeSelector).toBeUndefined();
    expect(ccm.spec.template.spec.tolerations).toContainEqual({ key: 'node.cluster.x-k8s.io/uninitialized', effect: 'NoSchedule' });
    const metrics = deliveredObjects(manifests, 'blue-dev-metrics-server').map(d => d.object).find(o => o.kind === 'Deployment');
    expect(metrics.spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  test('refused with the v1beta1 pair', () => {
    expect(errorOf(() => hosted(UpstreamVersions.CAPI_1_10_CAPO_0_12))).toMatch(/upstreamVersions = "CAPI v1.10.5 \+ CAPO v0.12.4": must serve CAPI v1beta2/);
  });
});

describe('management details', () => {
  test('ClusterTopology is on for the kubeadm control plane manager too (its webhook refuses KubeadmControlPlaneTemplates otherwise)', () => {
    const { providers } = promoted();
    const gates = (kind: string, name: string) => providers.find(p => p.kind === kind && p.metadata.name === name).spec.manager?.featureGates;
    expect(gates('ControlPlaneProvider', 'kubeadm')).toEqual({ ClusterTopology: true });
    expect(gates('BootstrapProvider', 'kubeadm')).toBeUndefined();
  });

  test('tenant admins get the cluster kinds in their namespace (the built-in admin role lacks them); hosted clusters are checked too', () => {
    const chart = new Chart(Testing.app(), 'g');
    const blue = new Tenant(chart, 'Blue', { name: 'blue', identitySecretName: 'blue-clouds', adminGroups: ['oidc:blue'] });
    new Tenant(chart, 'Green', { name: 'green', identitySecretName: 'green-clouds', adminGroups: ['oidc:green'] });
    const objects = CapiTesting.synth(chart);
    const role = objects.filter(o => o.kind === 'ClusterRole');
    expect(role).toHaveLength(1);
    expect(role[0].rules[0].apiGroups).toEqual(expect.arrayContaining(['cluster.x-k8s.io', 'infrastructure.cluster.x-k8s.io', 'controlplane.cluster.x-k8s.io']));
    expect(objects.filter(o => o.kind === 'RoleBinding' && o.roleRef.name === 'tenant-cluster-admin').map(o => o.metadata.namespace)).toEqual(['blue', 'green']);
    const store = new KamajiDataStore(chart, 'Etcd', { name: 'default', endpoints: ['etcd:2379'], secretName: 'etcd' });
    new HostedControlPlaneCluster(chart, 'red', {
      name: 'red', namespace: 'red', kubernetesVersion: 'v1.32.4', dataStore: store, credentials: blue.credentials(), image: MachineImage.fromName('x'),
    });
    expect(blue.node.validate().join('\n')).toMatch(/cluster "red" in namespace "red" uses the credentials of tenant "blue"/);
  });

  test('a missing class or data store is a clear error, not a stack trace', () => {
    const chart = new Chart(Testing.app(), 'g');
    expect(errorOf(() => new HostedControlPlaneCluster(chart, 'x', { name: 'x', namespace: 'x', kubernetesVersion: 'v1.32.4', dataStore: undefined as any, image: MachineImage.fromName('x') })))
      .toMatch(/x: dataStore = undefined: must be a KamajiDataStore/);
  });
});
