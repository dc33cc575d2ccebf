import { Testing } from 'cdk8s';
import { OpenStackCloudControllerManager, OpenStackCloudControllerManagerOptions } from '../../src/addons';
import { CloudCredentials } from '../../src/cloud-credentials';
import { OpenStackCapiClusterProps } from '../../src/openstack-capi-cluster';
import { clusterChart } from '../fixtures';
import { deliveredObjects, errorOf, only, upstreamObjects } from './helpers';

const UPSTREAM = 'cloud-provider-openstack/v1.32.0/manifests/controller-manager';
const NETWORK_ID = '6c90b532-7ba0-418a-a276-5ae55060b5b0';

function ccm(options: OpenStackCloudControllerManagerOptions = {}, cluster: Partial<OpenStackCapiClusterProps> = {}) {
  const { chart, cluster: c } = clusterChart({ externalNetworkId: NETWORK_ID, ...cluster });
  const addon = new OpenStackCloudControllerManager(chart, 'Ccm', { cluster: c, ...options });
  const manifests = Testing.synth(chart);
  return { addon, manifests, objects: deliveredObjects(manifests, 'demo-cloud-provider-openstack').map(d => d.object) };
}

const upstream = [
  ...upstreamObjects(`${UPSTREAM}/openstack-cloud-controller-manager-ds.yaml`),
  ...upstreamObjects(`${UPSTREAM}/cloud-controller-manager-roles.yaml`),
  ...upstreamObjects(`${UPSTREAM}/cloud-controller-manager-role-bindings.yaml`),
];

describe('OpenStackCloudControllerManager', () => {
  test('the upstream objects: same kinds and names', () => {
    const key = (o: any) => `${o.kind}/${o.metadata.name}`;
    expect(ccm().objects.map(key).sort()).toEqual(upstream.map(key).sort());
  });

  test.each(['ClusterRole', 'ClusterRoleBinding', 'ServiceAccount'])('every %s is the upstream one', kind => {
    const { objects } = ccm();
    for (const expected of upstream.filter(o => o.kind === kind)) {
      expect(only(objects, kind, expected.metadata.name)).toEqual(expected);
    }
  });

  test('the DaemonSet is the upstream one, but for the pinned image of the cluster\'s minor, the cluster name, its priority class and memory request', () => {
    const { objects, addon } = ccm();
    const expected = only(upstream, 'DaemonSet');
    const container = expected.spec.template.spec.containers[0];
    container.image = 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.32.1';
    container.env.find((e: any) => e.name === 'CLUSTER_NAME').value = 'demo';
    // A critical controller: nodes stay uninitialized without it (upstream sets no priority class).
    expect(expected.spec.template.spec.priorityClassName).toBeUndefined();
    expected.spec.template.spec.priorityClassName = 'system-cluster-critical';
    // Upstream requests CPU only: a memory request reserves room for it too.
    expect(container.resources).toEqual({ requests: { cpu: '200m' } });
    container.resources.requests.memory = '100Mi';
    expect(only(objects, 'DaemonSet')).toEqual(expected);
    expect(addon.image).toBe(container.image);
    // Tolerations: a fresh control plane node, still uninitialized.
    expect(expected.spec.template.spec.tolerations.map((t: any) => t.key)).toEqual(expect.arrayContaining([
      'node.cloudprovider.kubernetes.io/uninitialized', 'node-role.kubernetes.io/control-plane',
    ]));
  });

  test('image per Kubernetes minor, or given', () => {
    expect(ccm({}, { kubernetesVersion: 'v1.33.1' }).addon.image).toBe('registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.33.1');
    expect(ccm({ image: 'mirror.example.com/ccm:v1.32.1' }).addon.image).toBe('mirror.example.com/ccm:v1.32.1');
  });

  test('cloud.conf reads clouds.yaml beside it and takes floating IPs from the cluster\'s external network', () => {
    expect(ccm().addon.cloudConf).toBe([
      '[Global]',
      'use-clouds=true',
      'clouds-file=/etc/config/clouds.yaml',
      'cloud=openstack',
      '',
      '[LoadBalancer]',
      `floating-network-id=${NETWORK_ID}`,
      '',
    ].join('\n'));
    const subnet = '9c018814-f2a8-45dd-9679-5400d49b333a';
    expect(ccm({ loadBalancerSubnetId: subnet }).addon.cloudConf).toContain(`[LoadBalancer]\nsubnet-id=${subnet}\nfloating-network-id=${NETWORK_ID}\n`);
    expect(ccm({}, { externalNetworkId: undefined }).addon.cloudConf).not.toContain('[LoadBalancer]');
  });

  test('credentials by reference (default): no Secret in the output, the ClusterResourceSet lists the one you create', () => {
    const { manifests, addon } = ccm();
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    expect(addon.cloudConfigSecretName).toBe('demo-cloud-controller-manager');
    expect(only(manifests, 'ClusterResourceSet').spec.resources).toEqual([
      { kind: 'ConfigMap', name: 'demo-cloud-provider-openstack' },
      { kind: 'Secret', name: 'demo-cloud-controller-manager' },
    ]);
    expect(ccm({ cloudConfigSecretName: 'my-ccm-config' }).addon.cloudConfigSecretName).toBe('my-ccm-config');
  });

  test('inline credentials: the cloud-config Secret is generated, in a resource-set Secret', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const cloudsYaml = 'clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_secret: s3cr3t\n';
    const { manifests, objects, addon } = ccm({}, { credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml }) });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/test\/Ccm: clouds.yaml is written into a ClusterResourceSet Secret/));
    warn.mockRestore();
    expect(addon.cloudConfigSecretName).toBeUndefined();
    expect(only(manifests, 'Secret', 'demo-cloud-provider-openstack-secret').type).toBe('addons.cluster.x-k8s.io/resource-set');
    const secret = only(objects, 'Secret', 'cloud-config');
    expect(secret.metadata.namespace).toBe('kube-system');
    expect(Buffer.from(secret.data['cloud.conf'], 'base64').toString()).toBe(addon.cloudConf);
    expect(Buffer.from(secret.data['clouds.yaml'], 'base64').toString()).toBe(cloudsYaml);
    expect(JSON.stringify(manifests.filter(m => m.kind === 'ConfigMap'))).not.toContain('s3cr3t');
    expect(secret.data.cacert).toBeUndefined();
    expect(addon.cloudConf).not.toContain('ca-file');
  });

  test('inline credentials with a private CA: the CCM trusts it too', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const cacert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const { objects, addon } = ccm({}, { credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml: 'clouds: {openstack: {}}\n', cacert }) });
    warn.mockRestore();
    const secret = only(objects, 'Secret', 'cloud-config');
    expect(Buffer.from(secret.data.cacert, 'base64').toString()).toBe(cacert);
    expect(addon.cloudConf).toContain('\nca-file=/etc/config/cacert\n');
  });

  test('credentials by reference with a private CA: cloud.conf points at the cacert key the resource-set Secret must carry', () => {
    const withCa = ccm({}, { credentials: CloudCredentials.fromSecretName('creds', { privateCa: true }) });
    expect(withCa.addon.cloudConf).toContain('\nca-file=/etc/config/cacert\n');
    expect(withCa.manifests.filter(m => m.kind === 'Secret')).toEqual([]); // nothing secret in the output
    expect(ccm({}, { credentials: CloudCredentials.fromSecretName('creds') }).addon.cloudConf).not.toContain('ca-file');
  });

  test('refuses a bad subnet id, an unpinned image, a minor without a known image', () => {
    const { chart, cluster } = clusterChart();
    expect(errorOf(() => new OpenStackCloudControllerManager(chart, 'Ccm', { cluster, loadBalancerSubnetId: 'private', image: 'ccm' })))
      .toMatch(/test\/Ccm: image = "ccm": must be pinned to a version[^\n]*\n  - test\/Ccm: loadBalancerSubnetId = "private": must be a subnet UUID/);
    const old = clusterChart({ kubernetesVersion: 'v1.34.1' });
    expect(errorOf(() => new OpenStackCloudControllerManager(old.chart, 'Ccm', { cluster: old.cluster })))
      .toMatch(/image = undefined: has no known cloud controller manager image for Kubernetes 1.34/);
  });
});
