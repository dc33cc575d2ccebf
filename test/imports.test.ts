import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { generateImports } from '../scripts/import-crds';
import { IMPORTED_CRD_SETS, ImportedCrdSet } from '../scripts/imported-crds';
import { capi, capo } from '../src';
import { V1beta2Renderer } from '../src/capi-api/v1beta2-renderer';
import * as capiV1beta2 from '../src/imports/v1beta2';

const ROOT = path.join(__dirname, '..');

/** Every file under `dir`, as paths relative to it. */
function files(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

describe('generated CRD classes', () => {
  test('src/imports/ is what `npx projen import` generates from imports/', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'imports-'));
    try {
      await generateImports(outdir);
      const committed = path.join(ROOT, 'src', 'imports');
      expect(files(committed)).toEqual(files(outdir));
      for (const file of files(outdir)) {
        const fresh = fs.readFileSync(path.join(outdir, file), 'utf8');
        // A failure here means src/imports/ is stale: run `npx projen import`.
        expect([file, fs.readFileSync(path.join(committed, file), 'utf8') === fresh]).toEqual([file, true]);
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  // The namespace each set of generated classes is exported as, and the one API version its
  // classes must all emit: `cdk8s import` names the first listed version without suffix (CAPI
  // v1.10 lists v1alpha3 first, which the API server no longer serves).
  const namespaces: Array<{ set: ImportedCrdSet; modules: object[]; version: string }> = [
    { set: IMPORTED_CRD_SETS.find(s => s.outdir === '')!, modules: [capi, capo], version: 'v1beta1' },
    { set: IMPORTED_CRD_SETS.find(s => s.outdir === 'v1beta2')!, modules: [capiV1beta2], version: 'v1beta2' },
  ];

  test('every set of generated classes is exported and checked', () => {
    expect(namespaces.map(n => n.set)).toEqual(IMPORTED_CRD_SETS);
  });

  describe.each(namespaces.map(n => [n.set.outdir || 'src/imports/', n] as const))('%s', (_dir, { set, modules, version }) => {
    // group/kind → the versions the pinned CRD serves
    const served = new Map<string, Set<string>>();
    for (const file of set.files) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
        const crd = doc.toJSON();
        served.set(`${crd.spec.group}/${crd.spec.names.kind}`,
          new Set(crd.spec.versions.filter((v: any) => v.served).map((v: any) => v.name)));
      }
    }
    const classes = modules.flatMap(m => Object.values(m))
      .filter((c: any) => typeof c === 'function' && c.GVK)
      .map((c: any) => c.GVK as { apiVersion: string; kind: string });

    test('every imported kind is generated, once', () => {
      expect(classes.map(gvk => `${gvk.apiVersion.split('/')[0]}/${gvk.kind}`).sort()).toEqual([...served.keys()].sort());
    });

    test.each(classes.map(gvk => [`${gvk.kind} (${gvk.apiVersion})`, gvk] as const))(`%s emits a served ${version}`, (_name, gvk) => {
      const [group, apiVersion] = gvk.apiVersion.split('/');
      expect(apiVersion).toBe(version);
      expect(served.get(`${group}/${gvk.kind}`)?.has(apiVersion)).toBe(true);
    });
  });

  test('the v1beta2 classes cover what the library writes and what ClusterClass support needs', () => {
    const kinds = Object.values(capiV1beta2).filter((c: any) => typeof c === 'function' && c.GVK).map((c: any) => c.GVK.kind);
    expect(kinds.sort()).toEqual([
      'Cluster', 'ClusterClass', 'ClusterResourceSet', 'KubeadmConfigTemplate', 'KubeadmControlPlane',
      'KubeadmControlPlaneTemplate', 'MachineDeployment', 'MachineDrainRule', 'MachineHealthCheck',
    ]);
  });

  test('the v1beta2 renderer writes its objects with the generated v1beta2 classes, resolved at synth time', () => {
    const chart = Testing.chart();
    const renderer = new V1beta2Renderer();
    const metadata = { name: 'a', namespace: 'ns' };
    const nodeRegistration = { name: 'n', kubeletExtraArgs: { 'cloud-provider': 'external' } };
    const machineTemplate = new capo.OpenStackMachineTemplate(chart, 'omt', { metadata: { name: 'omt' } });
    const infrastructure = new capo.OpenStackCluster(chart, 'oc', { metadata: { name: 'oc' } });
    const kcp = renderer.kubeadmControlPlane(chart, 'kcp', {
      metadata, replicas: 1, version: 'v1.32.0', controllerManagerExtraArgs: {}, nodeRegistration, machineTemplate,
    });
    const kct = renderer.kubeadmConfigTemplate(chart, 'kct', { metadata, nodeRegistration });
    const cluster = renderer.cluster(chart, 'cluster', {
      metadata, podCidrs: ['192.168.0.0/16'], serviceDomain: 'cluster.local', controlPlane: kcp, infrastructure,
    });
    const md = renderer.machineDeployment(chart, 'md', {
      metadata, clusterName: 'a', version: 'v1.32.0', bootstrapTemplate: kct, machineTemplate,
    });
    const resources: Array<{ kind: 'ConfigMap' | 'Secret'; name: string }> = [];
    const crs = renderer.clusterResourceSet(chart, 'crs', { metadata, clusterSelector: { a: 'b' }, resources, strategy: 'ApplyOnce' });
    expect(kcp).toBeInstanceOf(capiV1beta2.KubeadmControlPlane);
    expect(kct).toBeInstanceOf(capiV1beta2.KubeadmConfigTemplate);
    expect(cluster).toBeInstanceOf(capiV1beta2.Cluster);
    expect(md).toBeInstanceOf(capiV1beta2.MachineDeployment);
    expect(crs).toBeInstanceOf(capiV1beta2.ClusterResourceSet);

    // A template renamed after its spec (template-names.ts) is referred to by its final name, and
    // resources added after the ClusterResourceSet was created are listed.
    Object.defineProperty(machineTemplate, 'name', { get: () => 'omt-1234abcd' });
    resources.push({ kind: 'Secret', name: 'later' });
    expect(md.toJson().spec.template.spec.infrastructureRef).toEqual(
      { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: 'omt-1234abcd' });
    expect(kcp.toJson().spec.machineTemplate.spec.infrastructureRef.name).toBe('omt-1234abcd');
    expect(kct.toJson().spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs)
      .toEqual([{ name: 'cloud-provider', value: 'external' }]);
    expect(crs.toJson().spec.resources).toEqual([{ kind: 'Secret', name: 'later' }]);
  });
});
