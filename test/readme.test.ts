import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLUSTER_AUTOSCALER_IMAGES, KUBECTL_IMAGES, OPENSTACK_CCM_IMAGES } from '../src/addons/image-versions';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The README's quick start runs as written and writes what the README says, where it says. */
test('the README quick start synthesizes a cluster with two pools and its add-ons, into the folder its comment names', () => {
  const quickStart = README.split('## Quick start')[1].match(/```ts\n([\s\S]*?)```/)![1];
  const claimed = quickStart.match(/new GitOpsApp\(\);\s*\/\/ writes (\S+)\/<chart>\//);
  if (!claimed) throw new Error('the quick start should say where `new GitOpsApp()` writes: "// writes <folder>/<chart>/..."');
  // GitOpsApp writes below the working directory, as in a new app.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  // A module beside the tests, so that `cdk8s-capi-openstack` resolves as for every test.
  const file = path.join(__dirname, `.readme-quick-start-${process.pid}.ts`);
  fs.writeFileSync(file, quickStart);
  const previous = process.cwd();
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    process.chdir(cwd);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => require(file));
  } finally {
    process.chdir(previous);
    stderr.mockRestore();
    fs.rmSync(file);
  }
  const files = fs.readdirSync(path.join(cwd, claimed[1], 'prod'));
  expect(files).toContain('kustomization.yaml');
  expect(files.filter(f => f.startsWith('machinedeployment-'))).toEqual(['machinedeployment-prod-general-worker.yaml', 'machinedeployment-prod-gpu-worker.yaml']);
  expect(files.filter(f => f.startsWith('clusterresourceset-')).sort()).toEqual(['clusterresourceset-prod-calico.yaml', 'clusterresourceset-prod-cloud-provider-openstack.yaml']);
  expect(files).toContain('deployment-prod-cluster-autoscaler.yaml');
});

test('the Kubernetes minors the README says are known are those of every add-on\'s image table', () => {
  const sentence = README.match(/Kubernetes\s+minor\s+\(([^)]*?)\s+are\s+known/);
  if (!sentence) throw new Error('the README should list the known Kubernetes minors: "Kubernetes minor (1.x, 1.y and 1.z are known"');
  const listed = sentence[1].match(/\d+\.\d+/g)!;
  const tables = [KUBECTL_IMAGES, CLUSTER_AUTOSCALER_IMAGES, OPENSTACK_CCM_IMAGES];
  const everyAddon = Object.keys(OPENSTACK_CCM_IMAGES).filter(minor => tables.every(table => minor in table));
  expect(listed).toEqual(everyAddon);
});

test('the image versions of the README\'s upstream table are those the add-ons pin', () => {
  for (const [component, table] of [['cloud-provider-openstack', OPENSTACK_CCM_IMAGES], ['cluster-autoscaler', CLUSTER_AUTOSCALER_IMAGES]] as const) {
    const row = README.split('\n').find(line => line.startsWith(`| ${component} `));
    const [, version, minor] = row?.match(/\(v(\d+\.\d+\.\d+) for (\d+\.\d+)\)/) ?? [];
    expect({ component, image: table[minor] }).toEqual({ component, image: expect.stringMatching(new RegExp(`:v${version}$`)) });
  }
});
