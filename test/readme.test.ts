import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The README's quick start runs as written and writes what the README says. */
test('the README quick start synthesizes a cluster with two pools and its add-ons', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const quickStart = readme.split('## Quick start')[1].match(/```ts\n([\s\S]*?)```/)![1];
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  // A module beside the tests, so that `cdk8s-capi-openstack` resolves as for every test.
  const file = path.join(__dirname, `.readme-quick-start-${process.pid}.ts`);
  fs.writeFileSync(file, quickStart);
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => require(file));
  } finally {
    process.env.CDK8S_OUTDIR = previous;
    fs.rmSync(file);
  }
  const files = fs.readdirSync(path.join(outdir, 'prod'));
  expect(files).toContain('kustomization.yaml');
  expect(files.filter(f => f.startsWith('machinedeployment-'))).toEqual(['machinedeployment-prod-general-worker.yaml', 'machinedeployment-prod-gpu-worker.yaml']);
  expect(files.filter(f => f.startsWith('clusterresourceset-')).sort()).toEqual(['clusterresourceset-prod-calico.yaml', 'clusterresourceset-prod-cloud-provider-openstack.yaml']);
  expect(files).toContain('deployment-prod-cluster-autoscaler.yaml');
});
