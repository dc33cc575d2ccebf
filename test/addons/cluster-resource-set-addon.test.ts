import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import { deliveredObjects, errorOf, IMPORTS, only, parseObjects } from './helpers';
import { AddonStrategy, ClusterResourceSetAddon } from '../../src/addons';
import { appliedSize } from '../../src/addons/resource-set-packing';
import { OpenStackCapiCluster } from '../../src/openstack-capi-cluster';
import { SchemaValidator } from '../../src/validation';
import { clusterChart, MINIMAL_CLUSTER_PROPS } from '../fixtures';

const LIMIT = 262_144;

/** A user's own add-on, described with cdk8s-plus: a Deployment using a ServiceAccount with RBAC. */
function helloChart(): Chart {
  const chart = ClusterResourceSetAddon.workloadChart('hello');
  const sa = new kplus.ServiceAccount(chart, 'Sa', { metadata: { name: 'hello' } });
  const role = new kplus.ClusterRole(chart, 'Reader', { metadata: { name: 'hello-reader' } });
  role.allowRead(kplus.ApiResource.PODS);
  new kplus.ClusterRoleBinding(chart, 'Binding', { metadata: { name: 'hello-reader' }, role }).addSubjects(sa);
  new kplus.Deployment(chart, 'Web', {
    metadata: { name: 'hello' },
    serviceAccount: sa,
    containers: [{ image: 'registry.example.com/hello:1.0.0', portNumber: 8080 }],
  });
  return chart;
}

/** A ConfigMap object of about `bytes` bytes. */
function bulky(name: string, bytes: number): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'kube-system' }, data: { blob: 'x'.repeat(bytes) } };
}

describe('ClusterResourceSetAddon', () => {
  test('delivers cdk8s-plus objects through a ClusterResourceSet selecting the cluster', () => {
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'Hello', { cluster });
    addon.addChart(helloChart());
    const manifests = Testing.synth(chart);

    const crs = only(manifests, 'ClusterResourceSet');
    expect(crs.apiVersion).toBe('addons.cluster.x-k8s.io/v1beta2'); // the default pair's API version
    expect(crs.metadata).toEqual({ name: 'demo-hello', namespace: 'demo' });
    expect(crs.spec).toEqual({
      clusterSelector: { matchLabels: cluster.selectorLabels },
      resources: [{ kind: 'ConfigMap', name: 'demo-hello' }],
      strategy: 'ApplyOnce',
    });
    const clusterObject = only(manifests, 'Cluster');
    for (const [k, v] of Object.entries(crs.spec.clusterSelector.matchLabels)) expect(clusterObject.metadata.labels[k]).toBe(v);
    expect(only(manifests, 'ConfigMap', 'demo-hello').metadata.namespace).toBe('demo');

    const delivered = deliveredObjects(manifests, 'demo-hello');
    expect(delivered.map(d => d.object.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment']);
    expect(only(delivered.map(d => d.object), 'Deployment').spec.template.spec.serviceAccountName).toBe('hello');
  });

  test('workload objects are not objects of the management output', () => {
    const { chart, cluster } = clusterChart();
    new ClusterResourceSetAddon(chart, 'Hello', { cluster }).addChart(helloChart());
    const kinds = Testing.synth(chart).map(m => m.kind);
    for (const kind of ['Deployment', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']) expect(kinds).not.toContain(kind);
  });

  test('keys are named so that sorted order applies ServiceAccounts and RBAC before workloads', () => {
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'Hello', { cluster });
    // Declared in the "wrong" order on purpose.
    addon.addManifests([
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'agent' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'agent' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'agent', namespace: 'kube-system' } },
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'agents.example.com' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'agents' } },
    ]);
    const data = only(Testing.synth(chart), 'ConfigMap', 'demo-hello').data;
    const keys = Object.keys(data).sort();
    expect(keys.map(k => parseObjects(data[k])[0].kind)).toEqual([
      'Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'DaemonSet',
    ]);
    expect(keys).toContain('3-serviceaccount-kube-system-agent.yaml');
  });

  test('the objects it carries are validated from the objects it wrote, with the same findings as parsing the YAML', () => {
    const { chart, cluster } = clusterChart();
    new ClusterResourceSetAddon(chart, 'Hello', { cluster }).addManifests([
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system' }, spec: { replicas: 'two' } },
    ]);
    const manifests = Testing.synth(chart);
    const written = new SchemaValidator().validate(manifests);
    expect(written).toContain('DaemonSet/kube-system/agent (in ConfigMap/demo/demo-hello data["8-daemonset-kube-system-agent.yaml"] document 1): '
      + 'spec.selector = undefined: required field is missing');
    // The same text, not written by this process (one space more), is parsed: the same findings.
    const copy = JSON.parse(JSON.stringify(manifests));
    const configMap = copy.find((m: any) => m.kind === 'ConfigMap');
    for (const key of Object.keys(configMap.data)) configMap.data[key] = ` ${configMap.data[key].replace(/\n/g, '\n ')}`;
    expect(new SchemaValidator().validate(copy)).toEqual(written);
  });

  test('strategy Reconcile and a name of its own', () => {
    const { chart, cluster } = clusterChart();
    new ClusterResourceSetAddon(chart, 'Hello', { cluster, name: 'hello-world', strategy: AddonStrategy.RECONCILE }).addChart(helloChart());
    const crs = only(Testing.synth(chart), 'ClusterResourceSet');
    expect(crs.metadata.name).toBe('hello-world');
    expect(crs.spec.strategy).toBe('Reconcile');
  });

  test('works with a plain cdk8s App', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'crs-addon-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'mgmt');
    const cluster = new OpenStackCapiCluster(chart, 'demo', MINIMAL_CLUSTER_PROPS);
    new ClusterResourceSetAddon(chart, 'Hello', { cluster }).addChart(helloChart());
    app.synth();
    const objects = parseObjects(fs.readFileSync(path.join(outdir, 'mgmt.k8s.yaml'), 'utf8'));
    expect(deliveredObjects(objects, 'demo-hello').map(d => d.object.kind)).toContain('Deployment');
    expect(objects.map(o => o.kind)).not.toContain('Deployment');
  });

  test('Secret objects go to Secrets of type addons.cluster.x-k8s.io/resource-set, listed after the ConfigMaps', () => {
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'Hello', { cluster });
    const workload = ClusterResourceSetAddon.workloadChart('kube-system');
    new kplus.Secret(workload, 'Token', { metadata: { name: 'token' }, stringData: { token: 's3cr3t' } });
    new kplus.ConfigMap(workload, 'Settings', { metadata: { name: 'settings' }, data: { mode: 'fast' } });
    addon.addChart(workload);
    const manifests = Testing.synth(chart);
    expect(only(manifests, 'ClusterResourceSet').spec.resources).toEqual([
      { kind: 'ConfigMap', name: 'demo-hello' },
      { kind: 'Secret', name: 'demo-hello-secret' },
    ]);
    const secret = only(manifests, 'Secret', 'demo-hello-secret');
    expect(secret.type).toBe('addons.cluster.x-k8s.io/resource-set');
    // clusterctl move takes it along when the cluster moves to another management cluster.
    expect(secret.metadata.labels).toEqual({ 'clusterctl.cluster.x-k8s.io/move': 'true' });
    expect(JSON.stringify(only(manifests, 'ConfigMap', 'demo-hello'))).not.toContain('s3cr3t');
    const delivered = deliveredObjects(manifests, 'demo-hello');
    expect(delivered.find(d => d.object.kind === 'Secret')).toMatchObject({ resource: 'Secret/demo-hello-secret' });
  });

  test('lists ConfigMaps and Secrets created out of band, in order', () => {
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'Hello', { cluster });
    addon.addExistingSecret('hello-credentials');
    addon.addChart(helloChart());
    addon.addExistingConfigMap('hello-extra');
    expect(addon.resources).toEqual([
      { kind: 'Secret', name: 'hello-credentials' },
      { kind: 'ConfigMap', name: 'demo-hello' },
      { kind: 'ConfigMap', name: 'hello-extra' },
    ]);
    expect(Testing.synth(chart).filter(m => m.kind === 'Secret')).toEqual([]);
  });

  test('splits objects that do not fit in one ConfigMap over several, keeping the order', () => {
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'Big', { cluster });
    addon.addManifests([bulky('c', 100_000), bulky('a', 100_000), bulky('b', 100_000), bulky('d', 10_000)]);
    const manifests = Testing.synth(chart);
    expect(addon.resources).toEqual([{ kind: 'ConfigMap', name: 'demo-big' }, { kind: 'ConfigMap', name: 'demo-big-2' }]);
    for (const cm of manifests.filter(m => m.kind === 'ConfigMap')) {
      expect(Buffer.byteLength(JSON.stringify(cm))).toBeLessThanOrEqual(LIMIT);
    }
    expect(deliveredObjects(manifests, 'demo-big').map(d => `${d.resource} ${d.object.metadata.name}`)).toEqual([
      'ConfigMap/demo-big a', 'ConfigMap/demo-big b', 'ConfigMap/demo-big-2 c', 'ConfigMap/demo-big-2 d',
    ]);
  });

  test('the real calico.yaml, as objects, is split into ConfigMaps within the limit', () => {
    const calico = parseObjects(fs.readFileSync(path.join(IMPORTS, 'calico/v3.30.2/manifests/calico.yaml'), 'utf8'));
    expect(calico).toHaveLength(39);
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'CalicoObjects', { cluster, name: 'calico-objects' });
    addon.addManifests(calico);
    const manifests = Testing.synth(chart);
    const configMaps = manifests.filter(m => m.kind === 'ConfigMap' && m.metadata.name.startsWith('calico-objects'));
    expect(configMaps.length).toBeGreaterThan(2);
    for (const cm of configMaps) expect(Buffer.byteLength(JSON.stringify(cm))).toBeLessThanOrEqual(LIMIT);
    // Packed tightly, as kubectl measures: each ConfigMap fits, and would not with the next one's first key.
    for (let i = 0; i + 1 < configMaps.length; i++) {
      expect(appliedSize(configMaps[i])).toBeLessThanOrEqual(LIMIT);
      const [firstKey] = Object.keys(configMaps[i + 1].data).sort();
      const grown = { ...configMaps[i], data: { ...configMaps[i].data, [firstKey]: configMaps[i + 1].data[firstKey] } };
      expect(appliedSize(grown)).toBeGreaterThan(LIMIT);
    }
    const delivered = deliveredObjects(manifests, 'calico-objects').map(d => d.object);
    expect(delivered).toHaveLength(39);
    // CRDs first, then RBAC, then the workloads.
    const kinds = delivered.map(o => o.kind);
    expect(kinds.lastIndexOf('CustomResourceDefinition')).toBeLessThan(kinds.indexOf('ServiceAccount'));
    expect(kinds.lastIndexOf('ClusterRoleBinding')).toBeLessThan(kinds.indexOf('DaemonSet'));
  });

  test('size guard: an object too large for any ConfigMap is an error naming the add-on, the object, its size and the remedy', () => {
    // What the post tried first: the whole calico.yaml in one ConfigMap.
    const calicoText = fs.readFileSync(path.join(IMPORTS, 'calico/v3.30.2/manifests/calico.yaml'), 'utf8');
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'Calico', { cluster, name: 'calico-install' });
    const message = errorOf(() => addon.addManifests([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'calico-install', namespace: 'kube-system' }, data: { 'calico.yaml': calicoText } },
    ]));
    expect(message).toMatch(/^1 invalid input error:\n  - test\/Calico: object ConfigMap\/kube-system\/calico-install = "5\d\d,\d{3} bytes": does not fit in a ConfigMap or Secret of add-on "calico-install": each must stay within 262,144 bytes/);
    expect(message).toMatch(/Split the object into smaller ones, or install it from inside the workload cluster with a Job that downloads and applies it \(as CalicoBootstrapJob does for Calico\)$/);
    expect(message.split('\n')).toHaveLength(2);
  });

  test('refuses a chart of the management app: its objects would be applied there', () => {
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'Hello', { cluster });
    const inManagement = new Chart(chart.node.root as App, 'other');
    expect(errorOf(() => addon.addChart(inManagement))).toMatch(
      /test\/Hello: addChart\(chart\) = "other": must not belong to the management app .*ClusterResourceSetAddon.workloadChart\(\)/);
  });

  test('a chart changed after addChart fails validation', () => {
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'Hello', { cluster });
    const workload = helloChart();
    addon.addChart(workload);
    expect(addon.node.validate()).toEqual([]);
    new ApiObject(workload, 'Late', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    expect(addon.node.validate()).toEqual([expect.stringMatching(/test\/Hello: chart "workload" changed after addChart\(\)/)]);
  });

  test('an add-on that delivers nothing fails validation', () => {
    const { chart, cluster } = clusterChart();
    const addon = new ClusterResourceSetAddon(chart, 'Empty', { cluster });
    expect(addon.node.validate()).toEqual(['test/Empty: add-on "demo-empty" delivers nothing: add objects with addChart() or addManifests()']);
  });

  test('refuses bad names, objects without a name, and duplicate objects', () => {
    const { chart, cluster } = clusterChart();
    expect(errorOf(() => new ClusterResourceSetAddon(chart, 'Bad', { cluster, name: 'Not_A_Name' })))
      .toMatch(/test\/Bad: name = "Not_A_Name": must be a DNS-1123 subdomain/);
    const addon = new ClusterResourceSetAddon(chart, 'Hello', { cluster });
    expect(errorOf(() => addon.addManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }])))
      .toMatch(/test\/Hello: objects\[0\] = "ConfigMap": must have metadata.name/);
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', namespace: 'x' } };
    addon.addManifests([sa]);
    expect(errorOf(() => addon.addManifests([sa]))).toMatch(/object ServiceAccount\/x\/a = "3-serviceaccount-x-a.yaml": has the same data key/);
  });
});
