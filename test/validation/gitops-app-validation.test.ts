import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import { CapiUbuntuOpenStack } from '../../examples/capi-ubuntu-openstack/cluster';
import { GitOpsApp } from '../../src';
import { SchemaValidator } from '../../src/validation';

describe('GitOpsApp with a SchemaValidator', () => {
  test('a valid app synthesizes', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validated-')), 'dist');
    const app = new GitOpsApp({ outdir, validators: [new SchemaValidator()] });
    new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
    app.synth();
    expect(fs.existsSync(path.join(outdir, 'kustomization.yaml'))).toBe(true);
  });

  test('synth fails with every error at once, and writes nothing', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'validated-')), 'dist');
    const app = new GitOpsApp({ outdir, validators: [new SchemaValidator()] });
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
