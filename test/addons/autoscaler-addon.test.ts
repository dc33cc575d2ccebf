import { Duration, Testing } from 'cdk8s';
import { AutoscalerAddon, AutoscalerAddonOptions, AutoscalerPlacement } from '../../src/addons';
import { OpenStackCapiClusterProps } from '../../src/openstack-capi-cluster';
import { clusterChart } from '../fixtures';
import { deliveredObjects, errorOf, only, upstreamObjects } from './helpers';

const upstream = upstreamObjects(
  'autoscaler/cluster-autoscaler-1.32.7/cluster-autoscaler/cloudprovider/clusterapi/examples/deployment.yaml',
  { '${AUTOSCALER_NS}': 'kube-system', '${AUTOSCALER_IMAGE}': 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.7' },
);

function autoscaler(options: AutoscalerAddonOptions = {}, cluster: Partial<OpenStackCapiClusterProps> = {}) {
  const { chart, cluster: c } = clusterChart({ namespace: 'clusters', ...cluster });
  const addon = new AutoscalerAddon(chart, 'Autoscaler', { cluster: c, ...options });
  return { addon, manifests: Testing.synth(chart) };
}

const WORKLOAD: AutoscalerAddonOptions = {
  placement: AutoscalerPlacement.WORKLOAD_CLUSTER,
  managementKubeconfig: { secretName: 'management-kubeconfig', resourceSetSecretName: 'demo-autoscaler-kubeconfig' },
};

describe('AutoscalerAddon in the management cluster (default)', () => {
  const { addon, manifests } = autoscaler();

  test('a Deployment in the cluster\'s namespace, reading the workload cluster through <cluster>-kubeconfig', () => {
    const deployment = only(manifests, 'Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'demo-cluster-autoscaler', namespace: 'clusters' });
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('demo-cluster-autoscaler');
    expect(pod.volumes).toEqual([{ name: 'kubeconfig', secret: { secretName: 'demo-kubeconfig', items: [{ key: 'value', path: 'value' }] } }]);
    const container = pod.containers[0];
    expect(container.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.7');
    expect(container.command).toEqual(['/cluster-autoscaler']);
    expect(container.args).toEqual([
      '--cloud-provider=clusterapi',
      '--kubeconfig=/etc/kubernetes/kubeconfig/value',
      '--clusterapi-cloud-config-authoritative',
      '--node-group-auto-discovery=clusterapi:namespace=clusters,clusterName=demo',
      '--expander=least-waste',
      '--scale-down-unneeded-time=10m',
      '--scale-down-delay-after-add=10m',
    ]);
    expect(container.volumeMounts).toEqual([{ name: 'kubeconfig', mountPath: '/etc/kubernetes/kubeconfig', readOnly: true }]);
    // The pinned autoscalers read v1beta1 (served by every pinned CAPI release): with v1beta2, they
    // cannot find the machine template when scaling from zero (kubernetes/autoscaler#8330).
    expect(container.env).toEqual([{ name: 'CAPI_VERSION', value: 'v1beta1' }]);
    // Requests, no limit (a memory limit would kill it as the cluster grows).
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '300Mi' } });
    // In the management cluster its placement is the management cluster's business.
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.priorityClassName).toBeUndefined();
    expect(addon.addon).toBeUndefined();
    expect(manifests.filter(m => m.kind === 'ClusterResourceSet')).toEqual([]);
  });

  test('least privilege: a namespaced Role with the upstream management rules, plus reading machine templates', () => {
    expect(manifests.filter(m => m.kind.startsWith('Cluster') && m.kind !== 'Cluster')).toEqual([]);
    const role = only(manifests, 'Role');
    expect(role.metadata).toEqual({ name: 'demo-cluster-autoscaler', namespace: 'clusters' });
    expect(role.rules).toEqual([
      ...only(upstream, 'ClusterRole', 'cluster-autoscaler-management').rules,
      { apiGroups: ['infrastructure.cluster.x-k8s.io'], resources: ['openstackmachinetemplates'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(only(manifests, 'RoleBinding')).toMatchObject({
      metadata: { name: 'demo-cluster-autoscaler', namespace: 'clusters' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'demo-cluster-autoscaler' },
      subjects: [{ kind: 'ServiceAccount', name: 'demo-cluster-autoscaler', namespace: 'clusters' }],
    });
    expect(only(manifests, 'ServiceAccount').metadata).toEqual({ name: 'demo-cluster-autoscaler', namespace: 'clusters' });
  });

  test('expander, timings and extra args are props', () => {
    const { addon: custom } = autoscaler({
      expander: 'priority,least-waste',
      scaleDownUnneededTime: Duration.minutes(5),
      scaleDownDelayAfterAdd: Duration.seconds(90),
      extraArgs: ['--balance-similar-node-groups'],
    });
    expect(custom.args).toEqual(expect.arrayContaining([
      '--expander=priority,least-waste', '--scale-down-unneeded-time=5m', '--scale-down-delay-after-add=90s', '--balance-similar-node-groups',
    ]));
  });

  test('image per Kubernetes minor', () => {
    expect(autoscaler({}, { kubernetesVersion: 'v1.33.2' }).addon.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6');
    expect(autoscaler({}, { kubernetesVersion: 'v1.31.0' }).addon.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.31.1');
  });
});

describe('AutoscalerAddon in the workload cluster', () => {
  const { addon, manifests } = autoscaler(WORKLOAD);
  const objects = deliveredObjects(manifests, 'demo-cluster-autoscaler').map(d => d.object);

  test('delivered by the ClusterResourceSet "cluster-autoscaler-openstack", with the kubeconfig Secret you create', () => {
    expect(addon.addon?.resources).toEqual([
      { kind: 'ConfigMap', name: 'demo-cluster-autoscaler' },
      { kind: 'Secret', name: 'demo-autoscaler-kubeconfig' },
    ]);
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    expect(objects.map(o => o.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment']);
  });

  test('the upstream workload objects: ServiceAccount, ClusterRole and its binding', () => {
    for (const [kind, name] of [['ServiceAccount', 'cluster-autoscaler'], ['ClusterRole', 'cluster-autoscaler-workload'], ['ClusterRoleBinding', 'cluster-autoscaler-workload']]) {
      expect(only(objects, kind, name)).toEqual(only(upstream, kind, name));
    }
  });

  test('the upstream Deployment, with the management kubeconfig and this cluster\'s node groups', () => {
    const expected = only(upstream, 'Deployment');
    const actual = only(objects, 'Deployment');
    expect(actual.metadata).toEqual(expected.metadata);
    expect(actual.spec.selector).toEqual(expected.spec.selector);
    const pod = actual.spec.template.spec;
    const expectedPod = expected.spec.template.spec;
    expect(pod.serviceAccountName).toBe(expectedPod.serviceAccountName);
    expect(pod.tolerations).toEqual(expectedPod.tolerations);
    expect(pod.terminationGracePeriodSeconds).toBe(expectedPod.terminationGracePeriodSeconds);
    expect(pod.containers[0]).toMatchObject({ ...expectedPod.containers[0], args: expect.any(Array) });
    expect(pod.containers[0].args).toEqual([
      ...expectedPod.containers[0].args,
      '--cloud-config=/etc/kubernetes/kubeconfig/value',
      '--node-group-auto-discovery=clusterapi:namespace=clusters,clusterName=demo',
      '--expander=least-waste',
      '--scale-down-unneeded-time=10m',
      '--scale-down-delay-after-add=10m',
    ]);
    expect(pod.volumes).toEqual([{ name: 'kubeconfig', secret: { secretName: 'management-kubeconfig', items: [{ key: 'value', path: 'value' }] } }]);
    expect(pod.containers[0].env).toEqual([{ name: 'CAPI_VERSION', value: 'v1beta1' }]);
    // On a control plane node: on a worker, its kube-system pod would keep that pool from scaling to zero.
    expect(pod.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    expect(pod.priorityClassName).toBe('system-cluster-critical');
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '300Mi' } });
  });

  test('the management-cluster Role for the kubeconfig\'s identity is in the output too', () => {
    expect(only(manifests, 'Role').metadata.namespace).toBe('clusters');
    expect(addon.managementServiceAccountName).toBe('demo-cluster-autoscaler');
  });
});

describe('AutoscalerAddon refuses', () => {
  test('a workload placement without a kubeconfig, and a kubeconfig without it', () => {
    const { chart, cluster } = clusterChart();
    expect(errorOf(() => new AutoscalerAddon(chart, 'A', { cluster, placement: AutoscalerPlacement.WORKLOAD_CLUSTER })))
      .toMatch(/test\/A: managementKubeconfig = undefined: is required with AutoscalerPlacement.WORKLOAD_CLUSTER/);
    expect(errorOf(() => new AutoscalerAddon(chart, 'B', { cluster, managementKubeconfig: { secretName: 'x' } })))
      .toMatch(/test\/B: managementKubeconfig = \{"secretName":"x"\}: is used only with AutoscalerPlacement.WORKLOAD_CLUSTER/);
  });

  test('unknown expanders, bad timings and flags, unpinned images, a minor without a known image', () => {
    const { chart, cluster } = clusterChart();
    const message = errorOf(() => new AutoscalerAddon(chart, 'A', {
      cluster,
      expander: 'cheapest',
      scaleDownUnneededTime: Duration.millis(1500),
      image: 'registry.k8s.io/autoscaling/cluster-autoscaler',
      extraArgs: ['v=4'],
    }));
    expect(message).toMatch(/image = "registry.k8s.io\/autoscaling\/cluster-autoscaler": must be pinned to a version/);
    expect(message).toMatch(/expander = "cheapest": must be one or more of random, most-pods, least-waste/);
    expect(message).toMatch(/scaleDownUnneededTime = "1500 ms": must be a whole, positive number of seconds/);
    expect(message).toMatch(/extraArgs\[0\] = "v=4": must be flags/);
    const old = clusterChart({ kubernetesVersion: 'v1.34.1' });
    expect(errorOf(() => new AutoscalerAddon(old.chart, 'A', { cluster: old.cluster })))
      .toMatch(/image = undefined: has no known cluster-autoscaler image for Kubernetes 1.34 \(known: 1.31, 1.32, 1.33\)/);
  });
});
