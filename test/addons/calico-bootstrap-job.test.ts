import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { deliveredObjects, errorOf, IMPORTS, only, parseObjects } from './helpers';
import {
  CALICO_APPLY_SCRIPT, CALICO_MANIFEST_DIGESTS, CalicoBootstrapJob, CalicoBootstrapJobOptions, CalicoEncapsulation,
} from '../../src/addons';
import { Flavor } from '../../src/flavor';
import { MachinePort } from '../../src/machine-options';
import { ClusterNetwork, NetworkReference } from '../../src/network';
import { OpenStackCapiClusterProps } from '../../src/openstack-capi-cluster';
import { ManagedSecurityGroup, SecurityGroupRule } from '../../src/security-group-rule';
import { SchemaValidator } from '../../src/validation';
import { clusterChart } from '../fixtures';

function calico(options: CalicoBootstrapJobOptions = {}, cluster: Partial<OpenStackCapiClusterProps> = {}) {
  const { chart, cluster: c } = clusterChart(cluster);
  const job = new CalicoBootstrapJob(chart, 'Calico', { cluster: c, ...options });
  const manifests = Testing.synth(chart);
  return { job, manifests, objects: deliveredObjects(manifests, 'demo-calico').map(d => d.object) };
}

const CALICO_YAML = path.join(IMPORTS, 'calico/v3.30.2/manifests/calico.yaml');
const CALICO_VXLAN_YAML = path.join(IMPORTS, 'calico/v3.30.2/manifests/calico-vxlan.yaml');

function sha256Of(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

interface ScriptRun {
  /** The Job whose environment the script runs with, and its cluster. */
  readonly job?: CalicoBootstrapJobOptions;
  readonly cluster?: Partial<OpenStackCapiClusterProps>;
  /** The file `curl` serves: by default the Job's upstream manifest. */
  readonly manifest?: string;
  /** The sha256 the Job expects. */
  readonly sha256?: string;
  readonly podCidr?: string;
  /** Exit status of `kubectl apply` and of `kubectl delete`. */
  readonly applyExit?: number;
  readonly deleteExit?: number;
}

/**
 * Runs the Job's script with `curl` serving a real upstream manifest and `kubectl` recording its
 * calls and what it applies (or failing); `sleep` returns at once. Returns the exit status, the
 * kubectl calls in order, and the applied file as text and objects.
 */
function runApplyScript(run: ScriptRun = {}) {
  const job = calico(run.job, run.cluster);
  const container = only(job.objects, 'Job').spec.template.spec.containers[0];
  const jobEnv = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
  const manifest = run.manifest ?? path.join(IMPORTS, 'calico/v3.30.2/manifests', path.basename(job.job.manifestUrl));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-job-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'curl'), `#!/bin/sh\nwhile [ "$1" != "-o" ]; do shift; done\ncp "${manifest}" "$2"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'kubectl'), [
    '#!/bin/sh',
    `echo "$*" >> "${dir}/kubectl-calls"`,
    'case "$1" in',
    `  apply) while [ "$1" != "-f" ]; do shift; done; cp "$2" "${dir}/applied.yaml"; exit ${run.applyExit ?? 0} ;;`,
    `  delete) exit ${run.deleteExit ?? 0} ;;`,
    'esac',
    '',
  ].join('\n'), { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'sleep'), '#!/bin/sh\n', { mode: 0o755 });
  // The script writes /tmp/calico.yaml: run it with /tmp mapped to a private folder.
  const script = CALICO_APPLY_SCRIPT.split('/tmp/').join(`${dir}/`);
  const result = spawnSync('/bin/sh', ['-c', script], {
    env: {
      ...jobEnv,
      PATH: `${bin}:${process.env.PATH}`,
      CALICO_MANIFEST_URL: 'https://example.invalid/calico.yaml',
      CALICO_MANIFEST_SHA256: run.sha256 ?? sha256Of(manifest),
      CALICO_IPV4POOL_CIDR: run.podCidr ?? '10.244.0.0/16',
    },
    encoding: 'utf8',
  });
  const read = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8') : '');
  const text = read('applied.yaml');
  const calls = read('kubectl-calls').split('\n').filter(Boolean);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, text, applied: text ? parseObjects(text) : [] };
}

/** The env of calico-node in applied objects, by name. */
function calicoNodeEnv(applied: any[]): { [name: string]: string } {
  const node = only(applied, 'DaemonSet', 'calico-node').spec.template.spec.containers.find((c: any) => c.name === 'calico-node');
  return Object.fromEntries(node.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
}

/** The lines of `after` that differ from `before` (same line count expected), as "old => new". */
function changedLines(before: string, after: string): string[] {
  const [a, b] = [before.split('\n'), after.split('\n')];
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [`${line.trim()} => ${b[i].trim()}`]));
}

/** A cluster whose nodes talk only through the given rules. */
function closedCluster(rules: SecurityGroupRule[], overrides: Partial<OpenStackCapiClusterProps> = {}) {
  return clusterChart({ allowAllInClusterTraffic: false, securityGroupRules: rules, ...overrides });
}

describe('CalicoBootstrapJob', () => {
  test('the post\'s ServiceAccount, ClusterRoleBinding and Job, in that order, in a ClusterResourceSet "<cluster>-calico"', () => {
    const { objects, manifests } = calico();
    expect(objects.map(o => o.kind)).toEqual(['ServiceAccount', 'ClusterRoleBinding', 'Job']);
    expect(only(manifests, 'ClusterResourceSet').spec.strategy).toBe('ApplyOnce');
    expect(only(objects, 'ServiceAccount').metadata).toEqual({ name: 'calico-bootstrap', namespace: 'kube-system' });
    expect(only(objects, 'ClusterRoleBinding')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'calico-bootstrap', namespace: 'kube-system' }],
    });
  });

  test('keeps everything the post\'s Job relies on; the differences are deliberate', () => {
    const post = parseObjects(fs.readFileSync(path.join(__dirname, '..', 'golden', 'blog-post-calico-job.yaml'), 'utf8'));
    const { objects } = calico();
    const [postJob, job] = [only(post, 'Job'), only(objects, 'Job')];
    // The same kinds, in the same order, with the same permissions.
    expect(objects.map(o => o.kind)).toEqual(post.map(o => o.kind));
    expect(only(objects, 'ClusterRoleBinding').roleRef).toEqual(only(post, 'ClusterRoleBinding').roleRef);
    expect(job.metadata.namespace).toBe(postJob.metadata.namespace);
    expect(job.spec).toMatchObject({ completions: postJob.spec.completions, parallelism: postJob.spec.parallelism });
    const [postPod, pod] = [postJob.spec.template.spec, job.spec.template.spec];
    expect(pod).toMatchObject({ restartPolicy: postPod.restartPolicy, hostNetwork: postPod.hostNetwork });
    expect(pod.serviceAccountName).toBe(only(objects, 'ServiceAccount').metadata.name);
    expect(pod.tolerations).toEqual(expect.arrayContaining(postPod.tolerations));
    expect(pod.initContainers.map((c: any) => c.name)).toHaveLength(postPod.initContainers.length);
    // Deliberate differences: a pinned image with a shell, curl and kubectl of the cluster's minor
    // (the post's bitnami/kubectl:latest is unpinned), a Job name with a hash of its spec (the pod
    // template is immutable), more retries (the API server may take a while), the first-node taints
    // tolerated too, and an apply that fails the Job when it fails (the post ignores its exit code).
    expect(postPod.containers[0].image).toBe('bitnami/kubectl:latest');
    expect(pod.containers[0].image).toMatch(/^docker\.io\/alpine\/k8s:1\.32\.\d+$/);
    expect(job.metadata.name).toMatch(/^calico-bootstrap-[0-9a-f]{8}$/);
    expect(job.spec.backoffLimit).toBeGreaterThan(postJob.spec.backoffLimit);
    expect(pod.containers[0].command.join(' ')).toMatch(/set -eu/);
  });

  test('the Job runs on the host network, tolerates a fresh control plane node, waits for the API server, retries for over an hour', () => {
    const job = only(calico().objects, 'Job');
    expect(job.metadata.namespace).toBe('kube-system');
    expect(job.spec).toMatchObject({ backoffLimit: 20, completions: 1, parallelism: 1 });
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({ serviceAccountName: 'calico-bootstrap', restartPolicy: 'OnFailure', hostNetwork: true });
    expect(pod.tolerations).toEqual(expect.arrayContaining([
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Exists', effect: 'NoSchedule' },
    ]));
    expect(pod.initContainers).toHaveLength(1);
    expect(pod.initContainers[0].command.join(' ')).toMatch(/until kubectl get --raw=\/readyz/);
    expect(pod.containers[0].command.join(' ')).toMatch(/kubectl apply .* -f \/tmp\/calico.yaml/);
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.CALICO_MANIFEST_URL).toBe('https://raw.githubusercontent.com/projectcalico/calico/v3.30.2/manifests/calico.yaml');
    expect(env.CALICO_MANIFEST_SHA256).toBe(sha256Of(CALICO_YAML));
    expect(env.CALICO_IPV4POOL_CIDR).toBe('192.168.0.0/16');
  });

  test('the default backoffLimit covers over an hour of back-off (kubelet restarts: 10 s doubling, capped at 5 minutes)', () => {
    const limit = only(calico().objects, 'Job').spec.backoffLimit;
    const backOff = (cap: number) => Array.from({ length: limit }, (_, i) => Math.min(10 * 2 ** i, cap)).reduce((a, b) => a + b, 0);
    expect(backOff(300)).toBeGreaterThanOrEqual(3600); // restartPolicy OnFailure: the kubelet's back-off
    expect(backOff(360)).toBeGreaterThanOrEqual(3600); // the Job controller's, for recreated pods
    expect(backOff(300) / 60).toBeCloseTo(80, 0);
  });

  test('a pinned kubectl of the cluster\'s minor, with a shell (alpine/k8s)', () => {
    const { objects, job } = calico({}, { kubernetesVersion: 'v1.31.2' });
    expect(job.kubectlImage).toMatch(/^docker\.io\/alpine\/k8s:1\.31\.\d+$/);
    for (const c of [...only(objects, 'Job').spec.template.spec.initContainers, ...only(objects, 'Job').spec.template.spec.containers]) {
      expect(c.image).toBe(job.kubectlImage);
      expect(c.imagePullPolicy).toBe('IfNotPresent');
    }
    expect(calico().job.kubectlImage).toMatch(/^docker\.io\/alpine\/k8s:1\.32\.\d+$/);
  });

  test('the Job\'s name carries a hash of its spec', () => {
    const a = calico().job.jobName;
    expect(a).toMatch(/^calico-bootstrap-[0-9a-f]{8}$/);
    expect(calico().job.jobName).toBe(a);
    expect(calico({}, { podCidrs: ['10.244.0.0/16'] }).job.jobName).not.toBe(a);
    expect(calico({ backoffLimit: 3 }).job.jobName).not.toBe(a);
  });

  test('the script sets Calico\'s IPv4 pool to the cluster\'s pod CIDR in the real calico.yaml, and applies it server-side', () => {
    const { status, applied, calls, stderr, text } = runApplyScript();
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(calls[0]).toMatch(/^apply --server-side --force-conflicts/);
    expect(applied).toHaveLength(39);
    expect(calicoNodeEnv(applied)).toMatchObject({ CALICO_IPV4POOL_CIDR: '10.244.0.0/16', CALICO_IPV4POOL_IPIP: 'Always', CALICO_IPV4POOL_VXLAN: 'Never' });
    // Nothing else changes: the two commented lines are uncommented.
    expect(changedLines(fs.readFileSync(CALICO_YAML, 'utf8'), text)).toEqual([
      '# - name: CALICO_IPV4POOL_CIDR => - name: CALICO_IPV4POOL_CIDR',
      '#   value: "192.168.0.0/16" => value: "10.244.0.0/16"',
    ]);
  });

  test('the script sets the pool of the real calico-vxlan.yaml too, with VXLAN Always instead of CrossSubnet', () => {
    const { status, applied, stderr, text } = runApplyScript({
      job: { encapsulation: CalicoEncapsulation.VXLAN },
      cluster: { securityGroupRules: [SecurityGroupRule.calicoVxlan()] },
    });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(applied).toHaveLength(39);
    expect(only(applied, 'ConfigMap', 'calico-config').data.calico_backend).toBe('vxlan');
    expect(calicoNodeEnv(applied)).toMatchObject({ CALICO_IPV4POOL_CIDR: '10.244.0.0/16', CALICO_IPV4POOL_IPIP: 'Never', CALICO_IPV4POOL_VXLAN: 'Always' });
    expect(changedLines(fs.readFileSync(CALICO_VXLAN_YAML, 'utf8'), text)).toEqual([
      'value: "CrossSubnet" => value: "Always"',
      '# - name: CALICO_IPV4POOL_CIDR => - name: CALICO_IPV4POOL_CIDR',
      '#   value: "192.168.0.0/16" => value: "10.244.0.0/16"',
    ]);
    // The IPv6 pool (not enabled by these manifests) keeps upstream's CrossSubnet.
    expect(calicoNodeEnv(applied).CALICO_IPV6POOL_VXLAN).toBe('CrossSubnet');
  });

  test('the script exits non-zero when the apply fails (the Job retries) or the manifest has no CALICO_IPV4POOL_CIDR', () => {
    expect(runApplyScript({ applyExit: 1 }).status).not.toBe(0);
    const other = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calico-other-')), 'calico.yaml');
    fs.writeFileSync(other, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const result = runApplyScript({ manifest: other });
    expect(result.status).not.toBe(0);
    expect(result.calls).toEqual([]);
  });

  test('the script refuses a manifest whose sha256 is not the pinned one, naming both, and applies nothing', () => {
    // calico-vxlan.yaml served where calico.yaml is expected.
    const result = runApplyScript({ manifest: CALICO_VXLAN_YAML, sha256: sha256Of(CALICO_YAML) });
    expect(result.status).not.toBe(0);
    expect(result.calls).toEqual([]);
    expect(result.stderr.trim()).toBe(
      `sha256 mismatch for https://example.invalid/calico.yaml: expected ${sha256Of(CALICO_YAML)}, got ${sha256Of(CALICO_VXLAN_YAML)}`);
    // One changed byte is enough.
    const tampered = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calico-tampered-')), 'calico.yaml');
    fs.writeFileSync(tampered, fs.readFileSync(CALICO_YAML, 'utf8').replace('docker.io/calico/node:v3.30.2', 'docker.io/calico/node:v3.30.3'));
    expect(runApplyScript({ manifest: tampered, sha256: sha256Of(CALICO_YAML) }).status).not.toBe(0);
  });

  test('the script drops its cluster-admin binding only after a successful apply, and a failed delete does not fail the Job', () => {
    const ok = runApplyScript();
    expect(ok.calls).toEqual([
      'apply --server-side --force-conflicts --field-manager=calico-bootstrap -f ' + ok.calls[0].split(' -f ')[1],
      'delete clusterrolebinding calico-bootstrap --ignore-not-found',
    ]);
    // The name deleted is the one the ClusterResourceSet delivers.
    expect(only(calico().objects, 'ClusterRoleBinding').metadata.name).toBe('calico-bootstrap');
    // A failed apply keeps the binding: the retry still has its permissions.
    const failed = runApplyScript({ applyExit: 1 });
    expect(failed.calls.filter(c => c.startsWith('delete'))).toEqual([]);
    // Calico is applied: a delete that keeps failing is retried, then only warned about; a retry of
    // the whole Job would find no permission left if the binding was in fact gone.
    const undeleted = runApplyScript({ deleteExit: 1 });
    expect(undeleted.status).toBe(0);
    expect(undeleted.calls.filter(c => c.startsWith('delete'))).toHaveLength(5);
    expect(undeleted.stderr).toMatch(/warning: could not delete ClusterRoleBinding calico-bootstrap: delete it by hand/);
  });

  test('a mirror of the upstream file keeps the pinned sha256; another version or a modified file needs manifestSha256', () => {
    const mirror = calico({ manifestUrl: 'https://mirror.example.com/calico/v3.30.2/calico.yaml' }).job;
    expect(mirror.manifestSha256).toBe(sha256Of(CALICO_YAML));
    const url = 'https://mirror.example.com/calico/v3.29.4/calico.yaml';
    const sha = 'a'.repeat(64);
    const env = only(calico({ calicoVersion: 'v3.29.4', manifestUrl: url, manifestSha256: sha }).objects, 'Job').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CALICO_MANIFEST_URL', value: url });
    expect(env).toContainEqual({ name: 'CALICO_MANIFEST_SHA256', value: sha });
    // A mirror serving a modified v3.30.2 file (e.g. images moved to a local registry).
    expect(calico({ manifestUrl: 'https://mirror.example.com/calico/v3.30.2/calico.yaml', manifestSha256: sha }).job.manifestSha256).toBe(sha);
    expect(calico({ manifestSha256: sha256Of(CALICO_YAML) }).job.jobName).toBe(calico().job.jobName);
  });

  test('the pinned sha256 table matches the byte-exact upstream files in imports/calico/', () => {
    const entries = Object.entries(CALICO_MANIFEST_DIGESTS)
      .flatMap(([version, files]) => Object.entries(files).map(([file, sha]) => [version, file, sha]));
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const [version, file, sha] of entries) {
      expect([version, file, sha256Of(path.join(IMPORTS, 'calico', version, 'manifests', file))]).toEqual([version, file, sha]);
    }
    // Every copied manifest is in the table.
    for (const version of fs.readdirSync(path.join(IMPORTS, 'calico'))) {
      for (const file of fs.readdirSync(path.join(IMPORTS, 'calico', version, 'manifests'))) {
        expect(CALICO_MANIFEST_DIGESTS[version]?.[file]).toBe(sha256Of(path.join(IMPORTS, 'calico', version, 'manifests', file)));
      }
    }
  });

  test('VXLAN installs calico-vxlan.yaml with its own pinned sha256', () => {
    const { job, objects } = calico({ encapsulation: CalicoEncapsulation.VXLAN });
    expect(job.encapsulation).toBe(CalicoEncapsulation.VXLAN);
    expect(job.manifestUrl).toBe('https://raw.githubusercontent.com/projectcalico/calico/v3.30.2/manifests/calico-vxlan.yaml');
    const env = only(objects, 'Job').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CALICO_MANIFEST_SHA256', value: sha256Of(CALICO_VXLAN_YAML) });
    expect(job.jobName).not.toBe(calico().job.jobName);
    expect(calico().job.encapsulation).toBe(CalicoEncapsulation.IP_IN_IP);
  });

  test('the encapsulation must get through the cluster\'s security groups', () => {
    // allowAllInClusterTraffic (the default) lets everything through between nodes.
    expect(() => calico({ encapsulation: CalicoEncapsulation.VXLAN })).not.toThrow();
    const build = (encapsulation: CalicoEncapsulation, rules: SecurityGroupRule[], overrides: Partial<OpenStackCapiClusterProps> = {}) => {
      const { chart, cluster } = closedCluster(rules, overrides);
      return () => new CalicoBootstrapJob(chart, 'Calico', { cluster, encapsulation });
    };
    expect(build(CalicoEncapsulation.IP_IN_IP, SecurityGroupRule.calico())).not.toThrow();
    expect(build(CalicoEncapsulation.VXLAN, [SecurityGroupRule.calicoVxlan()])).not.toThrow();
    expect(errorOf(build(CalicoEncapsulation.VXLAN, SecurityGroupRule.calico()))).toBe('1 invalid input error:\n  - test/Calico: encapsulation = "VXLAN": '
      + 'needs VXLAN (UDP 4789) between all nodes, which the cluster\'s security group rules do not allow (allowAllInClusterTraffic is false): '
      + 'add SecurityGroupRule.calicoVxlan() to the cluster\'s securityGroupRules');
    expect(errorOf(build(CalicoEncapsulation.IP_IN_IP, [SecurityGroupRule.calicoVxlan()])))
      .toMatch(/test\/Calico: encapsulation = "IPIP": needs BGP \(TCP 179\) and IP-in-IP \(IP protocol 4\) between all nodes, .*: add SecurityGroupRule.calicoBgp\(\) and SecurityGroupRule.calicoIpInIp\(\) to the cluster's securityGroupRules$/);
    expect(errorOf(build(CalicoEncapsulation.IP_IN_IP, [SecurityGroupRule.calicoBgp()]))).toMatch(/needs IP-in-IP \(IP protocol 4\) between all nodes.*add SecurityGroupRule.calicoIpInIp\(\) to/);
    // Rules of one's own count when they let the traffic in from every node.
    const custom = (props: Partial<Parameters<typeof SecurityGroupRule.custom>[0]>) => SecurityGroupRule.custom({ name: 'vxlan', ...props });
    const fromNodes = [ManagedSecurityGroup.CONTROL_PLANE, ManagedSecurityGroup.WORKER];
    expect(build(CalicoEncapsulation.VXLAN, [custom({ protocol: '17', portRangeMin: 4000, portRangeMax: 5000, remoteManagedGroups: fromNodes })])).not.toThrow();
    expect(build(CalicoEncapsulation.VXLAN, [custom({ protocol: 'udp', portRangeMin: 4789, remoteIpPrefix: '10.6.0.0/16' })])).not.toThrow();
    expect(build(CalicoEncapsulation.VXLAN, [custom({ remoteManagedGroups: fromNodes })])).not.toThrow();
    expect(build(CalicoEncapsulation.IP_IN_IP, [custom({ protocol: 'ipip' }), SecurityGroupRule.calicoBgp()])).not.toThrow();
    // ... and not otherwise: wrong port, only the workers, a prefix that misses the node subnet.
    expect(build(CalicoEncapsulation.VXLAN, [custom({ protocol: 'udp', portRangeMin: 8472, remoteManagedGroups: fromNodes })])).toThrow(/encapsulation = "VXLAN"/);
    expect(build(CalicoEncapsulation.VXLAN, [custom({ protocol: 'udp', portRangeMin: 4789, remoteManagedGroups: [ManagedSecurityGroup.WORKER] })])).toThrow(/encapsulation/);
    expect(build(CalicoEncapsulation.VXLAN, [custom({ protocol: 'udp', portRangeMin: 4789, remoteIpPrefix: '10.7.0.0/24' })])).toThrow(/encapsulation/);
    expect(build(CalicoEncapsulation.VXLAN, [custom({ protocol: 'tcp', portRangeMin: 4789, remoteManagedGroups: fromNodes })])).toThrow(/encapsulation/);
  });

  test('refuses unpinned URLs and images, bad versions and retries, and a minor without a known kubectl', () => {
    const { chart, cluster } = clusterChart();
    const message = errorOf(() => new CalicoBootstrapJob(chart, 'Calico', {
      cluster,
      calicoVersion: '3.30',
      manifestUrl: 'https://raw.githubusercontent.com/projectcalico/calico/master/manifests/calico.yaml',
      kubectlImage: 'bitnami/kubectl:latest',
      backoffLimit: -1,
    }));
    expect(message).toMatch(/test\/Calico: calicoVersion = "3.30": must be a Calico release "vX.Y.Z"/);
    expect(message).toMatch(/test\/Calico: manifestUrl = ".*\/master\/manifests\/calico.yaml": must be pinned: a segment of its path must be the Calico version/);
    expect(message).toMatch(/test\/Calico: kubectlImage = "bitnami\/kubectl:latest": must be pinned to a version, not to the moving tag "latest"/);
    const { chart: c2, cluster: cl2 } = clusterChart();
    expect(errorOf(() => new CalicoBootstrapJob(c2, 'Calico', { cluster: cl2, manifestUrl: 'https://x/latest/calico.yaml?v=v3.30.2', kubectlImage: 'alpine/k8s:stable' })))
      .toMatch(/manifestUrl = "https:\/\/x\/latest\/calico.yaml\?v=v3.30.2": must be an http\(s\) URL without query[^\n]*\n {2}- test\/Calico: kubectlImage = "alpine\/k8s:stable": must be pinned to a version: tag ":stable" names no version/);
    expect(message).toMatch(/test\/Calico: backoffLimit = -1: must be an integer from 0 to 100/);
    const old = clusterChart({ kubernetesVersion: 'v1.34.1' });
    expect(errorOf(() => new CalicoBootstrapJob(old.chart, 'Calico', { cluster: old.cluster })))
      .toMatch(/kubectlImage = undefined: has no known kubectl image for Kubernetes 1.34 \(known: .*\): set kubectlImage to a pinned image built for 1.34/);
    expect(() => new CalicoBootstrapJob(old.chart, 'Calico2', { cluster: old.cluster, kubectlImage: 'docker.io/alpine/k8s:1.34.1' })).not.toThrow();
  });

  test('refuses a missing, malformed or contradicting manifestSha256, an unknown encapsulation and a mirror of the other manifest', () => {
    const refusal = (options: CalicoBootstrapJobOptions) => {
      const { chart, cluster } = clusterChart();
      return errorOf(() => new CalicoBootstrapJob(chart, 'Calico', { cluster, ...options }));
    };
    expect(refusal({ calicoVersion: 'v3.29.4', manifestUrl: 'https://mirror.example.com/calico/v3.29.4/calico.yaml' }))
      .toMatch(/test\/Calico: manifestSha256 = undefined: is required for calico.yaml of Calico v3.29.4: its sha256 is known for v3.30.2 only; give the sha256 of the file manifestUrl serves$/);
    expect(refusal({ manifestSha256: 'ABC' })).toMatch(/test\/Calico: manifestSha256 = "ABC": must be a sha256: 64 lower-case hex digits$/);
    expect(refusal({ manifestSha256: 'b'.repeat(64) })).toMatch(
      /test\/Calico: manifestSha256 = "b{64}": differs from the sha256 of upstream calico.yaml v3.30.2 \(76f763d9[0-9a-f]{56}\), which the default URL serves: remove it, or set manifestUrl to the mirror serving your file$/);
    expect(refusal({ encapsulation: 'GENEVE' as CalicoEncapsulation }))
      .toMatch(/test\/Calico: encapsulation = "GENEVE": must be a CalicoEncapsulation \(IP_IN_IP, IP_IN_IP_CROSS_SUBNET, VXLAN, VXLAN_CROSS_SUBNET, NONE\)$/);
    expect(refusal({ encapsulation: CalicoEncapsulation.VXLAN, manifestUrl: 'https://mirror.example.com/calico/v3.30.2/calico.yaml' }))
      .toMatch(/test\/Calico: manifestUrl = "https:\/\/mirror.example.com\/calico\/v3.30.2\/calico.yaml": must serve calico-vxlan.yaml for encapsulation VXLAN, not calico.yaml$/);
  });
});

test('sh, sed, grep, sha256sum and cut are available to run the script', () => {
  expect(execFileSync('/bin/sh', ['-c', 'for c in sed grep sha256sum cut; do command -v $c; done'], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(4);
});

test('the Job is scheduled first (system-cluster-critical) and requests little', () => {
  const pod = only(calico().objects, 'Job').spec.template.spec;
  expect(pod.priorityClassName).toBe('system-cluster-critical');
  for (const container of [...pod.initContainers, ...pod.containers]) {
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' } });
  }
});

describe('CalicoBootstrapJob: network options, run against the real manifests', () => {
  const ALL_TRAFFIC = { securityGroupRules: [...SecurityGroupRule.calico(), SecurityGroupRule.calicoVxlan()], podCidrsAllowedOnPorts: true };

  test.each([
    [CalicoEncapsulation.IP_IN_IP, 'calico.yaml', 'Always', 'Never', []],
    [CalicoEncapsulation.IP_IN_IP_CROSS_SUBNET, 'calico.yaml', 'CrossSubnet', 'Never', ['value: "Always" => value: "CrossSubnet"']],
    [CalicoEncapsulation.VXLAN, 'calico-vxlan.yaml', 'Never', 'Always', ['value: "CrossSubnet" => value: "Always"']],
    [CalicoEncapsulation.VXLAN_CROSS_SUBNET, 'calico-vxlan.yaml', 'Never', 'CrossSubnet', []],
    [CalicoEncapsulation.NONE, 'calico.yaml', 'Never', 'Never', ['value: "Always" => value: "Never"']],
  ])('%s: %s with IP-in-IP %s and VXLAN %s on the pool, nothing else changed', (encapsulation, file, ipip, vxlan, changes) => {
    const { status, stderr, applied, text } = runApplyScript({ job: { encapsulation }, cluster: ALL_TRAFFIC });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(calicoNodeEnv(applied)).toMatchObject({ CALICO_IPV4POOL_IPIP: ipip, CALICO_IPV4POOL_VXLAN: vxlan, CALICO_IPV4POOL_CIDR: '10.244.0.0/16' });
    expect(changedLines(fs.readFileSync(path.join(IMPORTS, 'calico/v3.30.2/manifests', file), 'utf8'), text)).toEqual([
      ...changes,
      '# - name: CALICO_IPV4POOL_CIDR => - name: CALICO_IPV4POOL_CIDR',
      '#   value: "192.168.0.0/16" => value: "10.244.0.0/16"',
    ]);
  });

  test('the unencapsulated modes need the pod CIDRs as allowed address pairs of the ports, and then the machines have them', () => {
    const { chart, cluster } = clusterChart({ securityGroupRules: SecurityGroupRule.calico() });
    for (const encapsulation of [CalicoEncapsulation.NONE, CalicoEncapsulation.IP_IN_IP_CROSS_SUBNET]) {
      expect(errorOf(() => new CalicoBootstrapJob(chart, encapsulation, { cluster, encapsulation }))).toMatch(new RegExp(
        `test/${encapsulation}: encapsulation = "${encapsulation}": sends pod traffic between nodes unencapsulated, which Neutron's port security drops: `
        + 'set the cluster\'s podCidrsAllowedOnPorts'));
    }
    const allowed = clusterChart({ securityGroupRules: SecurityGroupRule.calico(), podCidrsAllowedOnPorts: true, podCidrs: ['10.244.0.0/16'] });
    allowed.cluster.addNodePool('workers', { flavor: Flavor.named('m1.large'), replicas: 1 });
    allowed.cluster.addCalico({ encapsulation: CalicoEncapsulation.NONE });
    const manifests = Testing.synth(allowed.chart);
    const templates = manifests.filter(m => m.kind === 'OpenStackMachineTemplate');
    expect(templates).toHaveLength(2);
    for (const template of templates) {
      expect(template.spec.template.spec.ports).toEqual([{ allowedAddressPairs: [{ ipAddress: '10.244.0.0/16' }] }]);
    }
    expect(new SchemaValidator({ versions: allowed.cluster.upstreamVersions }).validate(manifests)).toEqual([]);
    // Given ports: only the one on the cluster's network gets them.
    const ported = clusterChart({
      podCidrsAllowedOnPorts: true,
      controlPlaneMachine: { ports: [MachinePort.clusterNetwork({ description: 'nodes' }), MachinePort.onNetwork(NetworkReference.fromName('storage'))] },
    });
    const cp = Testing.synth(ported.chart).find(m => m.kind === 'OpenStackMachineTemplate');
    expect(cp.spec.template.spec.ports).toEqual([
      { description: 'nodes', allowedAddressPairs: [{ ipAddress: '192.168.0.0/16' }] },
      { network: { filter: { name: 'storage' } } },
    ]);
  });

  test('the MTU follows the network\'s, less the encapsulation\'s overhead; Calico detects it otherwise', () => {
    const mtuOf = (job: CalicoBootstrapJobOptions, cluster: Partial<OpenStackCapiClusterProps>) => {
      const run = runApplyScript({ job, cluster: { ...ALL_TRAFFIC, ...cluster } });
      expect(run.status).toBe(0);
      return only(run.applied, 'ConfigMap', 'calico-config').data.veth_mtu;
    };
    const network = ClusterNetwork.managed({ mtu: 1450 });
    expect(mtuOf({}, { network })).toBe('1430');
    expect(mtuOf({ encapsulation: CalicoEncapsulation.VXLAN }, { network })).toBe('1400');
    expect(mtuOf({ encapsulation: CalicoEncapsulation.NONE }, { network })).toBe('1450');
    expect(mtuOf({ mtu: 1300 }, { network })).toBe('1300');
    // Unknown network MTU: upstream's "0", auto-detection, and no variable in the Job.
    expect(mtuOf({}, {})).toBe('0');
    expect(only(calico().objects, 'Job').spec.template.spec.containers[0].env.map((e: any) => e.name)).not.toContain('CALICO_VETH_MTU');
    const { chart, cluster } = clusterChart({ ...ALL_TRAFFIC, network });
    expect(errorOf(() => new CalicoBootstrapJob(chart, 'TooLarge', { cluster, encapsulation: CalicoEncapsulation.VXLAN, mtu: 1450 })))
      .toMatch(/TooLarge: mtu = 1450: must be at most the network's MTU \(1450\) less VXLAN's overhead of 50 bytes: 1400$/);
    expect(errorOf(() => new CalicoBootstrapJob(chart, 'Tiny', { cluster, mtu: 100 }))).toMatch(/Tiny: mtu = 100: must be an integer from 576 to 9000$/);
  });

  test('block size: a CALICO_IPV4POOL_BLOCK_SIZE line after the pool\'s CIDR, within the pod CIDR\'s prefix', () => {
    const run = runApplyScript({ job: { blockSize: 24 } });
    expect(run.stderr).toBe('');
    expect(calicoNodeEnv(run.applied)).toMatchObject({ CALICO_IPV4POOL_CIDR: '10.244.0.0/16', CALICO_IPV4POOL_BLOCK_SIZE: '24' });
    const lines = run.text.split('\n');
    const at = lines.findIndex(line => line.trim() === '- name: CALICO_IPV4POOL_BLOCK_SIZE');
    expect(lines.slice(at - 2, at + 2).map(line => line.trim())).toEqual([
      '- name: CALICO_IPV4POOL_CIDR', 'value: "10.244.0.0/16"', '- name: CALICO_IPV4POOL_BLOCK_SIZE', 'value: "24"',
    ]);
    // Same indentation as its neighbours.
    expect(lines[at].indexOf('-')).toBe(lines[at - 2].indexOf('-'));
    const { chart, cluster } = clusterChart({ podCidrs: ['10.244.0.0/16'] });
    expect(errorOf(() => new CalicoBootstrapJob(chart, 'Short', { cluster, blockSize: 12 }))).toMatch(/Short: blockSize = 12: must be an integer from 20 to 32/);
    const small = clusterChart({ podCidrs: ['10.244.0.0/22'] });
    expect(errorOf(() => new CalicoBootstrapJob(small.chart, 'Wide', { cluster: small.cluster, blockSize: 20 })))
      .toMatch(/Wide: blockSize = 20: must be no shorter than the pod CIDR 10.244.0.0\/22's prefix \(\/22\)$/);
  });

  test('air-gapped: every image from the registry given, nothing from docker.io', () => {
    const run = runApplyScript({ job: { imageRegistry: 'registry.example.com:5000/mirror' } });
    expect(run.stderr).toBe('');
    const images = run.text.split('\n').filter(line => /^\s*image: /.test(line)).map(line => line.trim().slice('image: '.length));
    expect(images).toHaveLength(5);
    for (const image of images) expect(image).toMatch(/^registry\.example\.com:5000\/mirror\/calico\/(cni|node|kube-controllers):v3\.30\.2$/);
    const { chart, cluster } = clusterChart();
    for (const registry of ['https://registry.example.com', 'registry.example.com/', 'registry.example.com/calico:v1', 'a|b']) {
      expect(errorOf(() => new CalicoBootstrapJob(chart, `R${registry.length}`, { cluster, imageRegistry: registry })))
        .toMatch(/imageRegistry = .*: must be a registry host with an optional port and path, without scheme, tag or trailing "\/"/);
    }
  });
});
