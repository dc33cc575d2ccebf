import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { CapiUbuntuOpenStack } from '../../examples/capi-ubuntu-openstack/cluster';
import { GitOpsApp, OpenStackCapiCluster } from '../../src';
import { SchemaValidator, UpstreamVersions } from '../../src/validation';
import { MINIMAL_CLUSTER_PROPS } from '../fixtures';

describe('GitOpsApp with a SchemaValidator', () => {
  test('a valid app synthesizes', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validated-')), 'dist');
    const app = new GitOpsApp({ outdir, validators: [new SchemaValidator()] });
    new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
    app.synth();
    expect(fs.existsSync(path.join(outdir, 'kustomization.yaml'))).toBe(true);
  });

  test('each cluster\'s objects are validated against its own pair', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validated-')), 'dist');
    // A v1beta2 object of one's own beside a cluster's objects: CAPI v1.14 serves v1beta2, CAPI v1.10 does not.
    const addV1beta2Object = (cluster: OpenStackCapiCluster) => new ApiObject(cluster, 'Extra', {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta2',
      kind: 'ClusterResourceSet',
      metadata: { name: `${cluster.name}-extra`, namespace: cluster.namespace },
      spec: { clusterSelector: { matchLabels: cluster.selectorLabels }, resources: [{ kind: 'ConfigMap', name: 'extra' }] },
    });
    const build = (alsoOld: boolean) => {
      const app = new GitOpsApp({ outdir });
      const chart = new Chart(app, 'clusters');
      const old = new OpenStackCapiCluster(chart, 'old', { ...MINIMAL_CLUSTER_PROPS, upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12 });
      const newer = new OpenStackCapiCluster(chart, 'new', { ...MINIMAL_CLUSTER_PROPS, upstreamVersions: UpstreamVersions.CAPI_1_14_CAPO_0_14 });
      addV1beta2Object(newer);
      if (alsoOld) addV1beta2Object(old);
      return app;
    };
    expect(() => build(false).synth()).not.toThrow();
    expect(() => build(true).synth()).toThrow(
      /^1 invalid input error:\n {2}- ClusterResourceSet\/old\/old-extra: apiVersion = "addons.cluster.x-k8s.io\/v1beta2": .* by CAPI v1.10.5 \+ CAPO v0.12.4/);
  });

  test('synth fails with every error at once, and writes nothing', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validated-')), 'dist');
    const app = new GitOpsApp({ outdir });
    const chart = new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
    ApiObject.of(chart.cluster.clusterObject).addJsonPatch(JsonPatch.add('/spec/paused', 'yes'));
    new ApiObject(chart, 'Settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { replicas: 3 } });

    expect(() => app.synth()).toThrow([
      '2 invalid input errors:',
      '  - Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack: spec.paused = "yes": must be of type boolean',
      '  - ConfigMap/default/settings: data.replicas = 3: must be of type string',
    ].join('\n'));
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
