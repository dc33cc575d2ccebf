import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { readTree } from './fixtures';
import { CapiUbuntuOpenStack } from '../examples/capi-ubuntu-openstack/cluster';
import { GitOpsApp, GitOpsDelivery, SchemaValidator, UpstreamVersions } from '../src';

/** The example, delivered by the given tool, from a repository folder; returns both trees. */
function deliver(delivery: GitOpsDelivery) {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-'));
  const cwd = process.cwd();
  process.chdir(repo);
  try {
    const app = new GitOpsApp({ outdir: 'gitops/clusters', delivery });
    new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
    app.synth();
    return { repo, app, output: readTree(path.join(repo, 'gitops/clusters')) };
  } finally {
    process.chdir(cwd);
  }
}

const objectsIn = (tree: Record<string, string>) => Object.entries(tree).filter(([f]) => !f.endsWith('kustomization.yaml')).map(([f, text]) => ({ file: f, object: parseYaml(text) }));

describe('GitOpsDelivery', () => {
  test('Argo CD: an Application per chart, automated, pruning last, validated against Argo CD v3.5.1\'s CRD', () => {
    const { repo, output } = deliver(GitOpsDelivery.argoCd({ repoUrl: 'https://git.example.com/platform/clusters.git', targetRevision: 'main' }));
    const argo = readTree(path.join(repo, 'gitops/clusters-argocd'));
    expect(Object.keys(argo).sort()).toEqual(['application-capi-ubuntu-openstack.yaml', 'kustomization.yaml']);
    const application = parseYaml(argo['application-capi-ubuntu-openstack.yaml']);
    expect(application).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'capi-ubuntu-openstack', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://git.example.com/platform/clusters.git', targetRevision: 'main', path: 'gitops/clusters/capi-ubuntu-openstack' },
        destination: { server: 'https://kubernetes.default.svc' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['PruneLast=true'],
          retry: { limit: 10, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } },
        },
      },
    });
    expect(new SchemaValidator({ versions: UpstreamVersions.DEFAULT }).validate([application])).toEqual([]);
    // The Application's path is a kustomization of the stages, in order.
    expect(parseYaml(output['capi-ubuntu-openstack/kustomization.yaml']).resources).toEqual(['1-base', '2-templates', '3-cluster']);
    // Sync waves by stage: namespace first, then templates and the add-ons' ConfigMaps, then the cluster.
    const waves = Object.fromEntries(objectsIn(output).map(({ object }) => [`${object.kind}/${object.metadata.name}`, object.metadata.annotations['argocd.argoproj.io/sync-wave']]));
    expect(waves['Namespace/capi-ubuntu-openstack']).toBe('-1');
    expect(Object.entries(waves).filter(([k]) => k.startsWith('OpenStackMachineTemplate/') || k.startsWith('ConfigMap/')).map(([, w]) => w)).toEqual(expect.arrayContaining(['0']));
    expect(new Set(Object.entries(waves).filter(([k]) => /^(OpenStackMachineTemplate|KubeadmConfigTemplate|ConfigMap)\//.test(k)).map(([, w]) => w))).toEqual(new Set(['0']));
    for (const kind of ['Cluster', 'OpenStackCluster', 'KubeadmControlPlane', 'MachineDeployment', 'ClusterResourceSet']) {
      expect(new Set(Object.entries(waves).filter(([k]) => k.startsWith(`${kind}/`)).map(([, w]) => w))).toEqual(new Set(['1']));
    }
    // Every object sits in the folder of its stage.
    for (const { file, object } of objectsIn(output)) {
      const stage = file.split('/')[1];
      expect([object.kind, stage]).toEqual([object.kind, { '-1': '1-base', '0': '2-templates', '1': '3-cluster' }[object.metadata.annotations['argocd.argoproj.io/sync-wave'] as string]]);
    }
  });

  test('Flux: a GitRepository and a Kustomization per stage, each depending on the previous, validated against Flux\'s CRDs', () => {
    const { repo, output } = deliver(GitOpsDelivery.flux({
      repoUrl: 'ssh://git@git.example.com/platform/clusters.git', secretName: 'clusters-deploy-key', interval: Duration.minutes(5),
    }));
    const flux = readTree(path.join(repo, 'gitops/clusters-flux'));
    const objects = Object.entries(flux).filter(([f]) => f !== 'kustomization.yaml').map(([, text]) => parseYaml(text));
    expect(new SchemaValidator({ versions: UpstreamVersions.DEFAULT }).validate(objects)).toEqual([]);
    const source = objects.find(o => o.kind === 'GitRepository');
    expect(source).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'capi-clusters', namespace: 'flux-system' },
      spec: { interval: '5m', url: 'ssh://git@git.example.com/platform/clusters.git', ref: { branch: 'main' }, secretRef: { name: 'clusters-deploy-key' } },
    });
    const kustomizations = objects.filter(o => o.kind === 'Kustomization').sort((a, b) => a.spec.path.localeCompare(b.spec.path));
    expect(kustomizations.map(k => [k.metadata.name, k.spec.path, k.spec.dependsOn?.[0]?.name])).toEqual([
      ['capi-ubuntu-openstack-base', './gitops/clusters/capi-ubuntu-openstack/1-base', undefined],
      ['capi-ubuntu-openstack-templates', './gitops/clusters/capi-ubuntu-openstack/2-templates', 'capi-ubuntu-openstack-base'],
      ['capi-ubuntu-openstack-cluster', './gitops/clusters/capi-ubuntu-openstack/3-cluster', 'capi-ubuntu-openstack-templates'],
    ]);
    for (const k of kustomizations) expect(k.spec).toMatchObject({ prune: true, interval: '5m', sourceRef: { kind: 'GitRepository', name: 'capi-clusters' } });
    // Each path holds a kustomization of its stage's files; no Argo CD sync waves for Flux.
    for (const k of kustomizations) {
      const folder = k.spec.path.slice('./gitops/clusters/'.length);
      const listed = parseYaml(output[`${folder}/kustomization.yaml`]).resources;
      expect(listed.length).toBeGreaterThan(0);
      for (const file of listed) expect(output[`${folder}/${file}`]).toBeDefined();
    }
    expect(Object.values(output).some(text => text.includes('sync-wave'))).toBe(false);
    // Hashed templates and credentials still say Flux must not prune them.
    const templates = objectsIn(output).filter(({ object }) => object.kind === 'OpenStackMachineTemplate');
    for (const { object } of templates) expect(object.metadata.annotations['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
  });

  test('bad delivery options fail the synth, naming the option, and write nothing', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-bad-'));
    const app = new GitOpsApp({ outdir: path.join(repo, 'out'), delivery: GitOpsDelivery.flux({ repoUrl: 'git.example.com/clusters', repoPath: '../elsewhere' }) });
    new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
    expect(() => app.synth()).toThrow(/GitOpsDelivery.flux: repoUrl = "git.example.com\/clusters": must be an http\(s\):\/\/ or ssh:\/\/ URL[^]*GitOpsDelivery.flux: repoPath = "..\/elsewhere": must be a path inside the repository/);
    expect(fs.readdirSync(repo)).toEqual([]);
  });
});

describe('GitOpsApp: an unchanged synth rewrites no file', () => {
  test('modification times stay; a changed file gets a new one', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mtime-')), 'gitops');
    const synth = () => {
      const app = new GitOpsApp({ outdir });
      new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
      app.synth();
    };
    synth();
    const mtimes = (dir: string) => Object.fromEntries(Object.keys(readTree(dir)).map(f => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
    const before = mtimes(outdir);
    const past = new Date(Date.now() - 3600_000);
    for (const f of Object.keys(before)) fs.utimesSync(path.join(outdir, f), past, past);
    const aged = mtimes(outdir);
    synth();
    expect(mtimes(outdir)).toEqual(aged);
    // A file whose content differs is written anew.
    const file = Object.keys(aged).find(f => f.includes('cluster-capi-ubuntu-openstack.yaml'))!;
    fs.appendFileSync(path.join(outdir, file), '# edited by hand\n');
    fs.utimesSync(path.join(outdir, file), past, past);
    synth();
    expect(fs.statSync(path.join(outdir, file)).mtimeMs).toBeGreaterThan(aged[file]);
    expect(fs.readFileSync(path.join(outdir, file), 'utf8')).not.toContain('edited by hand');
  });
});
