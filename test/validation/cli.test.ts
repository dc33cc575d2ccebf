import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { exampleManifests, findKind } from './fixtures';
import { main } from '../../src/validation/cli';
import { UpstreamVersions } from '../../src/validation/upstream-versions';

/** Writes files into a new temporary folder; returns its path. */
function folderWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capi-validate-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function run(...args: string[]): { code: number; lines: string[] } {
  return runWithStdin(() => { throw new Error('stdin read'); }, ...args);
}

function runWithStdin(readStdin: () => string, ...args: string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = main(args, line => lines.push(line), readStdin);
  return { code, lines };
}

/** The example as `kubectl`-ready files: one multi-document file, a kustomization beside it. */
function exampleFolder(change: (manifests: any[]) => void = () => {}, upstreamVersions?: UpstreamVersions): string {
  const manifests = exampleManifests(upstreamVersions);
  change(manifests);
  return folderWith({
    'cluster/all.yaml': Yaml.stringify(...manifests),
    'cluster/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [all.yaml, missing.yaml]\n',
  });
}

describe('capi-validate', () => {
  test('valid objects: exit 0 and a summary line', () => {
    const dir = exampleFolder();
    const { code, lines } = run(dir);
    expect(code).toBe(0);
    // The default pair is the newest, CAPI v1.14.0 + CAPO v0.14.7.
    expect(lines).toEqual([expect.stringMatching(/^capi-validate: \d+ objects, 0 errors \(CAPI v1\.14\.0 \+ CAPO v0\.14\.7\)$/)]);
  });

  test('invalid objects: exit 1, one line per error naming the file, then the summary', () => {
    const dir = exampleFolder(manifests => {
      findKind(manifests, 'Cluster').spec.paused = 'yes';
      findKind(manifests, 'MachineDeployment').spec.replicass = 1;
    });
    const { code, lines } = run(path.join(dir, 'cluster'));
    expect(code).toBe(1);
    const file = path.join(dir, 'cluster', 'all.yaml');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^Cluster/capi-ubuntu-openstack/capi-ubuntu-openstack \\(${escape(file)} document \\d+\\): spec\\.paused = "yes": must be of type boolean$`)),
      expect.stringMatching(/^MachineDeployment\/.*: spec\.replicass = <not shown>: unknown field/),
      expect.stringMatching(/^capi-validate: \d+ objects, 2 errors/),
    ]);
  });

  test('--capi and --all-versions choose the version pairs', () => {
    // v1beta1, served by every pinned pair.
    const dir = exampleFolder(manifests => findKind(manifests, 'Cluster').spec.paused = 'yes', UpstreamVersions.CAPI_1_10_CAPO_0_12);
    const newest = run('--capi', '1.13', dir);
    expect(newest.code).toBe(1);
    expect(newest.lines[newest.lines.length - 1]).toMatch(/1 error \(CAPI v1\.13\.5 \+ CAPO v0\.14\.7\)$/);
    const v114 = run('--capi', 'v1.14.0', dir);
    expect(v114.lines[v114.lines.length - 1]).toMatch(/1 error \(CAPI v1\.14\.0 \+ CAPO v0\.14\.7\)$/);
    const all = run('--all-versions', dir);
    expect(all.lines.filter(l => l.includes('spec.paused'))).toEqual([
      expect.stringMatching(/^\[CAPI v1\.10\.5 \+ CAPO v0\.12\.4\] Cluster\//),
      expect.stringMatching(/^\[CAPI v1\.13\.5 \+ CAPO v0\.14\.7\] Cluster\//),
      expect.stringMatching(/^\[CAPI v1\.14\.0 \+ CAPO v0\.14\.7\] Cluster\//),
    ]);
    expect(all.lines[all.lines.length - 1]).toMatch(/, 3 errors \(CAPI v1\.10\.5 \+ CAPO v0\.12\.4; CAPI v1\.13\.5 \+ CAPO v0\.14\.7; CAPI v1\.14\.0 \+ CAPO v0\.14\.7\)$/);
  });

  test('YAML syntax errors and missing paths are errors', () => {
    const dir = folderWith({ 'broken.yml': 'kind: [' });
    const { code, lines } = run(dir, path.join(dir, 'nothing-here'));
    expect(code).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/broken\.yml: not valid YAML: document 1: /));
    expect(lines).toContainEqual(expect.stringMatching(/nothing-here: no such file or folder$/));
    expect(lines[lines.length - 1]).toMatch(/^capi-validate: 0 objects, 2 errors/);
  });

  test('documents that are not API objects are skipped: Helm values, kustomize files', () => {
    const dir = folderWith({
      'values.yaml': 'replicaCount: 1\n',
      'components/component.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {enabled: yes}\n',
    });
    const { code, lines } = run(dir);
    expect(code).toBe(1);
    expect(lines).toEqual([
      // kubectl reads YAML 1.1, where `yes` is a boolean.
      expect.stringMatching(/^ConfigMap\/a \(.*cm\.yaml document 1\): data\.enabled = true: must be of type string$/),
      expect.stringMatching(/^capi-validate: 1 object, 1 error, 2 other YAML documents skipped \(/),
    ]);
  });

  test('"-" reads standard input, once, beside files', () => {
    let reads = 0;
    const stdin = () => {
      reads++;
      return 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {enabled: yes}\n';
    };
    const dir = folderWith({ 'ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' });
    expect(runWithStdin(stdin, '-', dir, '-')).toEqual({
      code: 1,
      lines: [
        'ConfigMap/a (<stdin> document 1): data.enabled = true: must be of type string',
        'capi-validate: 2 objects, 1 error (CAPI v1.14.0 + CAPO v0.14.7)',
      ],
    });
    expect(reads).toBe(1);
    expect(runWithStdin(() => '', '-')).toEqual({ code: 2, lines: ['capi-validate: no Kubernetes objects found in <stdin>'] });
  });

  test('the summary counts in the singular and the plural', () => {
    const one = folderWith({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\nreplicaCount: 1\n',
    });
    expect(run(one).lines).toEqual(['capi-validate: 2 objects, 0 errors, 1 object of a kind without a pinned schema (names and labels checked only), 1 other YAML document skipped (CAPI v1.14.0 + CAPO v0.14.7)']);
    const two = folderWith({ 'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: v}\n' });
    expect(run(two).lines).toEqual(['capi-validate: 2 objects, 0 errors, 2 objects of kinds without a pinned schema (names and labels checked only) (CAPI v1.14.0 + CAPO v0.14.7)']);
  });

  test('usage errors exit 2', () => {
    expect(run().code).toBe(2);
    expect(run('--capi', '0.1', '.').code).toBe(2);
    expect(run('--nope', '.').code).toBe(2);
    expect(run('--help').code).toBe(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
