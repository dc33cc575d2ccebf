import { Testing } from 'cdk8s';
import { exampleManifests, findKind, VALIDATORS } from './fixtures';
import { CapiUbuntuOpenStack } from '../../examples/capi-ubuntu-openstack/cluster';
import { SchemaValidator, UpstreamVersions } from '../../src/validation';

const validator = new SchemaValidator();

/** The errors found when `change` is applied to the first object of `kind` in the example. */
function errorsAfter(kind: string, change: (object: any) => void, v: SchemaValidator = validator): string[] {
  const manifests = exampleManifests();
  change(findKind(manifests, kind));
  return v.validate(manifests);
}

describe('the example', () => {
  test.each(UpstreamVersions.all().map(v => [v.toString(), v]))('written for %s, validates against it', (_name, versions) => {
    const report = new SchemaValidator({ versions }).validateObjects(exampleManifests(versions));
    expect(report.errors).toEqual([]);
    expect(report.objectsChecked).toBeGreaterThan(exampleManifests(versions).length); // ClusterResourceSet payloads too
    expect(report.objectsWithoutSchema).toBe(0);
    expect(report.celRulesEvaluated).toBeGreaterThan(0);
    expect(report.transitionRulesSkipped).toBeGreaterThan(0);
  });

  test('in v1beta1 (CAPI v1.10.5\'s), also validates against the newer pairs, which still serve v1beta1', () => {
    for (const versions of [UpstreamVersions.CAPI_1_13_CAPO_0_14, UpstreamVersions.CAPI_1_14_CAPO_0_14]) {
      expect(new SchemaValidator({ versions }).validate(exampleManifests(UpstreamVersions.CAPI_1_10_CAPO_0_12))).toEqual([]);
    }
  });

  test('in v1beta2 is refused by CAPI v1.10.5, which does not serve it', () => {
    expect(new SchemaValidator({ versions: UpstreamVersions.CAPI_1_10_CAPO_0_12 }).validate(exampleManifests()))
      .toContain('Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack: apiVersion = "cluster.x-k8s.io/v1beta2": '
        + 'Cluster is served as cluster.x-k8s.io/v1beta1 by CAPI v1.10.5 + CAPO v0.12.4, not as cluster.x-k8s.io/v1beta2');
  });
});

test('validateChart checks a chart\'s objects', () => {
  const app = Testing.app();
  new CapiUbuntuOpenStack(app, 'x');
  const report = SchemaValidator.validateChart(app.charts[0], { versions: UpstreamVersions.CAPI_1_13_CAPO_0_14 });
  expect(report.errors).toEqual([]);
  expect(report.objectsChecked).toBeGreaterThan(10);
});

describe('each rule is enforced', () => {
  test('a field the schema does not know', () => {
    expect(errorsAfter('MachineDeployment', md => md.spec.replicass = 2)).toEqual([
      'MachineDeployment/capi-ubuntu-openstack/capi-ubuntu-openstack-normal-worker: spec.replicass = <not shown>: unknown field: the schema has no such field',
    ]);
  });

  test('a field of the wrong type', () => {
    expect(errorsAfter('Cluster', c => c.spec.paused = 'yes')).toEqual([
      'Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.paused = "yes": must be of type boolean',
    ]);
  });

  test('a required field missing', () => {
    expect(errorsAfter('MachineDeployment', md => delete md.spec.clusterName)).toContainEqual(
      'MachineDeployment/capi-ubuntu-openstack/capi-ubuntu-openstack-normal-worker: spec.clusterName = undefined: required field is missing',
    );
  });

  test('a value outside an enum', () => {
    expect(errorsAfter('ClusterResourceSet', crs => crs.spec.strategy = 'Sometimes')).toEqual([
      'ClusterResourceSet/capi-ubuntu-openstack/calico: spec.strategy = "Sometimes": must be one of "ApplyOnce", "Reconcile"',
    ]);
  });

  test('a pattern', () => {
    const errors = errorsAfter('MachineDeployment', md => md.spec.template.spec.readinessGates = [{ conditionType: 'not a condition!' }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^MachineDeployment\/.*: spec\.template\.spec\.readinessGates\[0\]\.conditionType = "not a condition!": must match the pattern/);
  });

  test('minimum and maximum', () => {
    const errors = errorsAfter('OpenStackMachineTemplate', t => t.spec.template.spec.rootVolume = { sizeGiB: 0 });
    expect(errors).toEqual([expect.stringMatching(/^OpenStackMachineTemplate\/.*: spec\.template\.spec\.rootVolume\.sizeGiB = 0: must be at least 1$/)]);
  });

  test('a CEL rule', () => {
    const errors = errorsAfter('OpenStackMachineTemplate', t => delete t.spec.template.spec.flavor);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^OpenStackMachineTemplate\/capi-ubuntu-openstack\/.*: spec\.template\.spec = \{.*\}: .*\(CEL rule "\(has\(self\.flavor\) \|\| has\(self\.flavorID\)\)"\)$/);
  });

  test('a name that is not a DNS-1123 subdomain', () => {
    expect(errorsAfter('Cluster', c => c.metadata.name = 'My_Cluster')).toContainEqual(
      'Cluster/capi-ubuntu-openstack/My_Cluster: metadata.name = "My_Cluster": must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit',
    );
  });

  test('a namespace that is not a DNS-1123 label', () => {
    expect(errorsAfter('Cluster', c => c.metadata.namespace = 'a.b').join('\n')).toMatch(/metadata\.namespace = "a\.b": must be a DNS-1123 label/);
  });

  test('label keys and values', () => {
    const errors = errorsAfter('Cluster', c => c.metadata.labels = { 'bad key!': 'ok', 'good': 'bad value!' });
    expect(errors).toEqual([
      'Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack: metadata.labels["bad key!"] = "bad key!": invalid label key: the key name must be 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
      'Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack: metadata.labels.good = "bad value!": a label value must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    ]);
  });

  test('annotations over 256 KiB', () => {
    const errors = errorsAfter('ConfigMap', cm => cm.metadata.annotations = { big: 'x'.repeat(262_142) });
    expect(errors).toEqual([
      'ConfigMap/capi-ubuntu-openstack/calico: metadata.annotations = "262145 bytes": annotations must total at most 262144 bytes (keys and values)',
    ]);
  });

  test('an object over 1 MiB', () => {
    const errors = errorsAfter('ConfigMap', cm => cm.data = { ...cm.data, 'padding.yaml': '#'.repeat(1_048_576) });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^ConfigMap\/capi-ubuntu-openstack\/calico: <object> = "\d+ bytes": an object must be at most 1048576 bytes/);
  });

  test('a built-in kind against the Kubernetes schema', () => {
    const errors = errorsAfter('ServiceAccount', sa => {
      sa.automountServiceAccountToken = 'no';
      sa.secrets = [{ nam: 'x' }];
    });
    expect(errors).toEqual([
      'ServiceAccount/capi-ubuntu-openstack/capi-ubuntu-openstack-cluster-autoscaler: automountServiceAccountToken = "no": must be of type boolean',
      'ServiceAccount/capi-ubuntu-openstack/capi-ubuntu-openstack-cluster-autoscaler: secrets[0].nam = <not shown>: unknown field: the schema has no such field',
    ]);
  });

  test('an object carried in a ClusterResourceSet ConfigMap', () => {
    const manifests = [
      { apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSet', metadata: { name: 'addons', namespace: 'ns' }, spec: { clusterSelector: {}, resources: [{ kind: 'ConfigMap', name: 'addons' }] } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'addons', namespace: 'ns' },
        data: { 'addon.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: kube-system}\nspec:\n  selector: {}\n  template:\n    spec:\n      containers: [{name: web, imagePullPolicy: Always, imag: nginx}]\n' },
      },
    ];
    const report = validator.validateObjects(manifests);
    expect(report.errors).toEqual([
      'Deployment/kube-system/web (in ConfigMap/ns/addons data["addon.yaml"] document 2): spec.template.spec.containers[0].imag = <not shown>: unknown field: the schema has no such field',
    ]);
    expect(report.objectsChecked).toBe(4);
  });

  test('ClusterResourceSet ConfigMap data that is not YAML', () => {
    const manifests = [
      { apiVersion: 'addons.cluster.x-k8s.io/v1beta1', kind: 'ClusterResourceSet', metadata: { name: 'a', namespace: 'ns' }, spec: { clusterSelector: {}, resources: [{ kind: 'ConfigMap', name: 'a' }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' }, data: { 'a.yaml': 'key: [unclosed' } },
    ];
    expect(validator.validate(manifests)).toEqual([expect.stringMatching(/^ConfigMap\/ns\/a: data\["a\.yaml"\] = "key: \[unclosed": a ClusterResourceSet resource must be YAML: document 1: /)]);
  });

  test('an apiVersion the pinned CRDs do not serve', () => {
    expect(errorsAfter('Cluster', c => c.apiVersion = 'cluster.x-k8s.io/v1alpha3')).toEqual([
      'Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack: apiVersion = "cluster.x-k8s.io/v1alpha3": Cluster is served as '
        + 'cluster.x-k8s.io/v1beta1, cluster.x-k8s.io/v1beta2 by CAPI v1.14.0 + CAPO v0.14.7, not as cluster.x-k8s.io/v1alpha3',
    ]);
    expect(errorsAfter('Role', r => r.apiVersion = 'rbac.authorization.k8s.io/v1beta1')).toHaveLength(1);
  });

  test('Secret values are never printed', () => {
    const errors = validator.validate([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'not base64 hunter2!' }, stringData: { token: 42 } }]);
    expect(errors).toEqual([
      'Secret/s: data.password = <redacted>: must be in format "byte"',
      'Secret/s: stringData.token = <redacted>: must be of type string',
    ]);
  });
});

describe('as the API server normalizes first', () => {
  test('null is dropped where a field is not nullable, and defaults are applied', () => {
    expect(errorsAfter('ClusterResourceSet', crs => crs.spec.strategy = null)).toEqual([]);
    expect(errorsAfter('Cluster', c => c.spec.paused = null)).toEqual([]);
  });

  test('null in a built-in kind, or in any object\'s metadata, means absent', () => {
    expect(errorsAfter('ServiceAccount', sa => sa.metadata.annotations = null)).toEqual([]);
    expect(errorsAfter('Cluster', c => c.metadata.creationTimestamp = null)).toEqual([]);
  });

  test('quantities are strings or numbers', () => {
    const deployment = (limits: any) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: {}, template: { spec: { containers: [{ name: 'web', resources: { limits } }] } } },
    });
    expect(validator.validate([deployment({ cpu: 0.5, memory: '1Gi' })])).toEqual([]);
    expect(validator.validate([deployment({ cpu: true })])).toEqual([
      'Deployment/web: spec.template.spec.containers[0].resources.limits.cpu = true: must be a quantity: a string or a number',
    ]);
  });

  test('the caller\'s objects are not changed', () => {
    const manifests = exampleManifests();
    findKind(manifests, 'ClusterResourceSet').spec.strategy = null;
    validator.validate(manifests);
    expect(findKind(manifests, 'ClusterResourceSet').spec.strategy).toBeNull();
  });
});

describe('kinds without a pinned schema', () => {
  test('are counted, checked by the object rules only', () => {
    const report = validator.validateObjects([
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'app' }, spec: { anything: true } },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'Bad_Name' } },
    ]);
    expect(report.objectsWithoutSchema).toBe(2);
    expect(report.errors).toEqual([expect.stringMatching(/^ServiceMonitor\/Bad_Name: metadata\.name = "Bad_Name": must be a DNS-1123 subdomain/)]);
  });

  test('Argo CD\'s and Flux\'s kinds have their pinned CRDs, with every pair', () => {
    for (const versions of UpstreamVersions.all()) {
      const report = new SchemaValidator({ versions }).validateObjects([
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'app' }, spec: { anything: true } },
        { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k' }, spec: { interval: 'often', prune: true } },
        { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'g' }, spec: { interval: '1m', url: 'https://x' } },
      ]);
      expect(report.objectsWithoutSchema).toBe(0);
      expect(report.errors.join('\n')).toMatch(/Application\/app: spec\.anything[^]*spec\.destination[^]*Kustomization\/k: spec\.interval = "often"[^]*spec\.sourceRef/);
    }
  });
});

describe('version pairs', () => {
  test('CAPI v1.13.5 checks the v1beta2 objects the library writes for it', () => {
    expect(VALIDATORS[1].versions).toBe(UpstreamVersions.CAPI_1_13_CAPO_0_14);
    expect(errorsAfter('Cluster', c => c.spec.paused = 'yes', VALIDATORS[1])).toEqual([
      'Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.paused = "yes": must be of type boolean',
    ]);
  });

  test('are chosen by CAPI version', () => {
    expect(UpstreamVersions.fromClusterApiVersion('1.13')).toBe(UpstreamVersions.CAPI_1_13_CAPO_0_14);
    expect(UpstreamVersions.fromClusterApiVersion('v1.10.5')).toBe(UpstreamVersions.CAPI_1_10_CAPO_0_12);
    expect(UpstreamVersions.fromClusterApiVersion('v1.14.0')).toBe(UpstreamVersions.DEFAULT);
    expect(() => UpstreamVersions.fromClusterApiVersion('1.9')).toThrow(/no pinned upstream versions for CAPI "1.9"/);
  });
});
