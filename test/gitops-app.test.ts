import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { MINIMAL_CLUSTER_PROPS, readTree } from './fixtures';
import { CapiUbuntuOpenStack } from '../examples/capi-ubuntu-openstack/cluster';
import { GitOpsApp, IManifestValidator, OpenStackCapiCluster } from '../src';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-app-'));
}

function synthExample(outdir: string, customize: (app: GitOpsApp, chart: Chart) => void = () => {}, validators: IManifestValidator[] = []) {
  const app = new GitOpsApp({ outdir, validators });
  const chart = new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
  customize(app, chart);
  app.synth();
}

describe('GitOpsApp', () => {
  test('one folder per chart, one file per object, kustomizations listing them in apply order', () => {
    const outdir = path.join(tempDir(), 'dist');
    synthExample(outdir);
    const tree = readTree(outdir);
    expect(tree['kustomization.yaml']).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - capi-ubuntu-openstack\n');
    const listed = tree['capi-ubuntu-openstack/kustomization.yaml'].split('\n').filter(l => l.startsWith('  - ')).map(l => l.slice(4));
    expect(listed[0]).toBe('namespace-capi-ubuntu-openstack.yaml');
    expect(listed.sort()).toEqual(Object.keys(tree).filter(f => f.startsWith('capi-ubuntu-openstack/') && !f.endsWith('kustomization.yaml'))
      .map(f => f.slice('capi-ubuntu-openstack/'.length)).sort());
    expect(tree['capi-ubuntu-openstack/cluster-capi-ubuntu-openstack.yaml']).toMatch(/^apiVersion: cluster.x-k8s.io\/v1beta2\nkind: Cluster\n/);
  });

  test('the same code synthesizes byte-identical output, run after run', () => {
    const first = path.join(tempDir(), 'dist');
    const second = path.join(tempDir(), 'dist');
    synthExample(first);
    synthExample(second);
    synthExample(second); // over its own previous output
    expect(readTree(second)).toEqual(readTree(first));
  });

  test('a failed synth reports every error and leaves the previous output exactly as it was', () => {
    const outdir = path.join(tempDir(), 'dist');
    synthExample(outdir);
    const before = readTree(outdir);
    const entriesBefore = fs.readdirSync(path.dirname(outdir)).sort();

    expect(() => synthExample(outdir, (_app, chart) => {
      chart.node.addValidation({ validate: () => ['first problem', 'second problem'] });
    })).toThrow(/2 invalid input errors:\n {2}- capi-ubuntu-openstack: first problem\n {2}- capi-ubuntu-openstack: second problem/);
    expect(readTree(outdir)).toEqual(before);

    const rejectAll: IManifestValidator = { validate: manifests => manifests.map(m => `${m.kind}/${m.metadata.name}: rejected`) };
    expect(() => synthExample(outdir, () => {}, [rejectAll])).toThrow(/invalid input errors:\n {2}- Namespace\/capi-ubuntu-openstack: rejected/);
    expect(readTree(outdir)).toEqual(before);
    // no staging folders left behind
    expect(fs.readdirSync(path.dirname(outdir)).sort()).toEqual(entriesBefore);
  });

  test('a failure while building constructs writes nothing either', () => {
    const outdir = path.join(tempDir(), 'dist');
    synthExample(outdir);
    const before = readTree(outdir);
    expect(() => synthExample(outdir, (_app, chart) => {
      (chart as CapiUbuntuOpenStack).cluster.addNodePool('small', { flavor: (chart as CapiUbuntuOpenStack).cluster.nodePools[0].machineTemplate as any });
    })).toThrow(/capi-ubuntu-openstack\/Cluster: addNodePool id = "small": must be unique within cluster "capi-ubuntu-openstack": capi-ubuntu-openstack\/Cluster\/small exists already/);
    expect(readTree(outdir)).toEqual(before);
  });
});

describe('GitOpsApp with several clusters', () => {
  function twoClusters(namespace: string | undefined, addonNames: [string?, string?] = []) {
    const app = new GitOpsApp({ outdir: path.join(tempDir(), 'dist') });
    for (const [i, name] of ['east', 'west'].entries()) {
      const chart = new Chart(app, name);
      const cluster = new OpenStackCapiCluster(chart, name, { ...MINIMAL_CLUSTER_PROPS, namespace });
      cluster.addCalico(addonNames[i] ? { name: addonNames[i] } : {});
    }
    return app;
  }

  test('clusters sharing a namespace: one Namespace, add-ons named apart', () => {
    const manifests = twoClusters('clusters').synthManifests().flatMap(c => c.manifests);
    expect(manifests.filter(m => m.kind === 'Namespace').map(m => m.metadata.name)).toEqual(['clusters']);
    expect(manifests.filter(m => m.kind === 'ClusterResourceSet').map(m => m.metadata.name)).toEqual(['east-calico', 'west-calico']);
  });

  test('the same object written twice is an error naming both places', () => {
    expect(() => twoClusters('clusters', ['calico', 'calico']).synth()).toThrow(
      /west: ClusterResourceSet\/clusters\/calico is also written by east: give the objects distinct names/);
  });

  test('file names stay unique when a chart has the same kind and name in two namespaces', () => {
    const app = new GitOpsApp({ outdir: path.join(tempDir(), 'dist'), validateSchemas: false });
    const chart = new Chart(app, 'shared');
    new OpenStackCapiCluster(chart, 'a', { ...MINIMAL_CLUSTER_PROPS, name: 'same', namespace: 'team-a' });
    new OpenStackCapiCluster(chart, 'b', { ...MINIMAL_CLUSTER_PROPS, name: 'same', namespace: 'team-b' });
    app.synth();
    const files = fs.readdirSync(path.join(app.outdir, 'shared'));
    expect(files).toEqual(expect.arrayContaining(['cluster-same-team-a.yaml', 'cluster-same-team-b.yaml']));
  });
});

describe('GitOpsApp output folder', () => {
  /** Runs `body` as under `cdk8s synth`, which sets CDK8S_OUTDIR to its own folder (and empties it first). */
  function underCdk8sSynth<T>(cliOutdir: string, body: () => T): T {
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = cliOutdir;
    try {
      return body();
    } finally {
      if (previous === undefined) delete process.env.CDK8S_OUTDIR; else process.env.CDK8S_OUTDIR = previous;
    }
  }

  /** What `body` writes to stderr, one string per write. */
  function stderrOf(body: () => void): string[] {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      body();
      return write.mock.calls.map(call => String(call[0]));
    } finally {
      write.mockRestore();
    }
  }

  test('is gitops/ by default, never the folder of `cdk8s synth` (CDK8S_OUTDIR)', () => {
    underCdk8sSynth('dist', () => {
      expect(new GitOpsApp().outdir).toBe('gitops');
      expect(new GitOpsApp({ outdir: 'clusters' }).outdir).toBe('clusters');
    });
  });

  test('under `cdk8s synth`, the command\'s folder gets one file per chart; the app says where its output went', () => {
    const dir = tempDir();
    const stderr = stderrOf(() => underCdk8sSynth(path.join(dir, 'dist'), () => synthExample(path.join(dir, 'gitops'))));
    const written = readTree(path.join(dir, 'gitops'));
    expect(stderr).toEqual([`GitOpsApp: wrote ${Object.keys(written).length} files to ${path.join(dir, 'gitops')}${path.sep}\n`]);
    expect(fs.readdirSync(path.join(dir, 'dist'))).toEqual(['capi-ubuntu-openstack.k8s.yaml']);
    const objects = Object.keys(written).filter(f => f.startsWith('capi-ubuntu-openstack/') && !f.endsWith('kustomization.yaml'));
    expect(fs.readFileSync(path.join(dir, 'dist', 'capi-ubuntu-openstack.k8s.yaml'), 'utf8').split(/^---$/m)).toHaveLength(objects.length);
  });

  test('an outdir that is also the folder of `cdk8s synth` is warned about: the command deletes it before every run', () => {
    const dir = path.join(tempDir(), 'dist');
    const stderr = stderrOf(() => underCdk8sSynth(dir, () => synthExample(dir)));
    expect(stderr[0]).toMatch(/^\[warning\] GitOpsApp: outdir ".*dist" is also the output folder of `cdk8s synth`, which deletes it before every run/);
    expect(fs.readdirSync(dir)).toEqual(['capi-ubuntu-openstack', 'kustomization.yaml']);
  });
});
