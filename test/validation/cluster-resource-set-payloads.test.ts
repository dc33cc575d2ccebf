import { SchemaValidator } from '../../src/validation';

/** The objects ClusterResourceSets carry in ConfigMaps and Secrets are checked like any other. */

const validator = new SchemaValidator();
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function crs(...resources: { kind: string; name: string }[]): any {
  return {
    apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
    kind: 'ClusterResourceSet',
    metadata: { name: 'addons', namespace: 'ns' },
    spec: { clusterSelector: {}, resources },
  };
}

function resourceSetSecret(fields: Record<string, unknown>): any {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'ns' }, type: 'addons.cluster.x-k8s.io/resource-set', ...fields };
}

/** A Secret of the workload cluster with a misspelled field, and a Deployment with a wrong type. */
const PAYLOAD = [
  'apiVersion: v1\nkind: Secret\nmetadata: {name: cloud-config, namespace: kube-system}\nstringdata: {password: hunter2}\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: kube-system}\nspec:\n  replicas: "two"\n  selector: {}\n  template:\n    spec:\n      containers: [{name: web, image: "nginx:1.27", env: [{name: TOKEN, value: 42}]}]\n',
].join('---\n');

describe('a Secret of type addons.cluster.x-k8s.io/resource-set', () => {
  test('its base64 data values are decoded and their objects checked, values never shown', () => {
    const report = validator.validateObjects([crs({ kind: 'Secret', name: 'creds' }), resourceSetSecret({ data: { 'addon.yaml': base64(PAYLOAD) } })]);
    expect(report.errors).toEqual([
      'Secret/kube-system/cloud-config (in Secret/ns/creds data["addon.yaml"] document 1): stringdata = <not shown>: unknown field: the schema has no such field',
      'Deployment/kube-system/web (in Secret/ns/creds data["addon.yaml"] document 2): spec.replicas = <redacted>: must be of type integer',
      'Deployment/kube-system/web (in Secret/ns/creds data["addon.yaml"] document 2): spec.template.spec.containers[0].env[0].value = <redacted>: must be of type string',
    ]);
    expect(report.objectsChecked).toBe(4);
    expect(report.errors.join('\n')).not.toMatch(/hunter2|two|42/);
  });

  test('stringData is read as the API server stores it: merged into data', () => {
    const errors = validator.validate([crs({ kind: 'Secret', name: 'creds' }), resourceSetSecret({ stringData: { 'addon.json': '[{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"n": 1}}]' } })]);
    expect(errors).toEqual(['ConfigMap/a (in Secret/ns/creds data["addon.json"] document 1): data.n = <redacted>: must be of type string']);
  });

  test('data that is not YAML is reported without its text', () => {
    const errors = validator.validate([crs({ kind: 'Secret', name: 'creds' }), resourceSetSecret({ data: { 'a.yaml': base64('password: [unclosed') } })]);
    expect(errors).toEqual([
      'Secret/ns/creds: data["a.yaml"] = <redacted>: a ClusterResourceSet resource must be YAML: document 1 is not (the parser\'s message is not shown: the data is secret)',
    ]);
    expect(errors.join('\n')).not.toContain('unclosed');
  });

  test('a valid payload validates', () => {
    const payload = 'apiVersion: v1\nkind: Secret\nmetadata: {name: cloud-config, namespace: kube-system}\nstringData: {cloud.conf: "[Global]"}\n';
    expect(validator.validateObjects([crs({ kind: 'Secret', name: 'creds' }), resourceSetSecret({ data: { 'a.yaml': base64(payload) } })]))
      .toMatchObject({ errors: [], objectsChecked: 3 });
  });
});

test('a Secret of another type is refused, as CAPI refuses to apply it', () => {
  const secret = { ...resourceSetSecret({ data: { 'a.yaml': base64('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n') } }), type: 'Opaque' };
  expect(validator.validate([crs({ kind: 'Secret', name: 'creds' }), secret])).toEqual([
    'Secret/ns/creds: type = "Opaque": a Secret listed by a ClusterResourceSet must have type "addons.cluster.x-k8s.io/resource-set" (ClusterResourceSet/ns/addons)',
  ]);
});

test('a ConfigMap\'s values are shown as before', () => {
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'addons', namespace: 'ns' }, data: { 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {count: 1}\n' } };
  expect(validator.validate([crs({ kind: 'ConfigMap', name: 'addons' }), configMap])).toEqual([
    'ConfigMap/a (in ConfigMap/ns/addons data["a.yaml"] document 1): data.count = 1: must be of type string',
  ]);
});
