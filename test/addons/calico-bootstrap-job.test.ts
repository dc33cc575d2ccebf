import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { CALICO_APPLY_SCRIPT, CalicoBootstrapJob, CalicoBootstrapJobOptions } from '../../src/addons';
import { OpenStackCapiClusterProps } from '../../src/openstack-capi-cluster';
import { clusterChart } from '../fixtures';
import { deliveredObjects, errorOf, IMPORTS, only, parseObjects } from './helpers';

function calico(options: CalicoBootstrapJobOptions = {}, cluster: Partial<OpenStackCapiClusterProps> = {}) {
  const { chart, cluster: c } = clusterChart(cluster);
  const job = new CalicoBootstrapJob(chart, 'Calico', { cluster: c, ...options });
  const manifests = Testing.synth(chart);
  return { job, manifests, objects: deliveredObjects(manifests, 'demo-calico').map(d => d.object) };
}

/**
 * Runs the Job's script with `curl` serving the real calico.yaml and `kubectl` recording what it
 * applies (or failing); returns the exit status and the applied objects.
 */
function runApplyScript(podCidr: string, kubectlExit = 0, manifest = path.join(IMPORTS, 'calico/v3.30.2/manifests/calico.yaml')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calico-job-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'curl'), `#!/bin/sh\nwhile [ "$1" != "-o" ]; do shift; done\ncp "${manifest}" "$2"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'kubectl'),
    `#!/bin/sh\necho "$@" > "${dir}/kubectl-args"\nwhile [ "$1" != "-f" ]; do shift; done\ncp "$2" "${dir}/applied.yaml"\nexit ${kubectlExit}\n`, { mode: 0o755 });
  // The script writes /tmp/calico.yaml: run it with /tmp mapped to a private folder.
  const script = CALICO_APPLY_SCRIPT.split('/tmp/').join(`${dir}/`);
  const result = spawnSync('/bin/sh', ['-c', script], {
    env: { PATH: `${bin}:${process.env.PATH}`, CALICO_MANIFEST_URL: 'https://example.invalid/calico.yaml', CALICO_IPV4POOL_CIDR: podCidr },
    encoding: 'utf8',
  });
  const applied = fs.existsSync(path.join(dir, 'applied.yaml')) ? parseObjects(fs.readFileSync(path.join(dir, 'applied.yaml'), 'utf8')) : [];
  const args = fs.existsSync(path.join(dir, 'kubectl-args')) ? fs.readFileSync(path.join(dir, 'kubectl-args'), 'utf8').trim() : '';
  return { status: result.status, stderr: result.stderr, applied, args };
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

  test('the Job runs on the host network, tolerates a fresh control plane node, waits for the API server, retries a bounded number of times', () => {
    const job = only(calico().objects, 'Job');
    expect(job.metadata.namespace).toBe('kube-system');
    expect(job.spec).toMatchObject({ backoffLimit: 6, completions: 1, parallelism: 1 });
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
    expect(env.CALICO_IPV4POOL_CIDR).toBe('192.168.0.0/16');
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
    const { status, applied, args, stderr } = runApplyScript('10.244.0.0/16');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(args).toMatch(/^apply --server-side --force-conflicts/);
    expect(applied).toHaveLength(39);
    const node = only(applied, 'DaemonSet', 'calico-node').spec.template.spec.containers.find((c: any) => c.name === 'calico-node');
    expect(node.env).toContainEqual({ name: 'CALICO_IPV4POOL_CIDR', value: '10.244.0.0/16' });
  });

  test('the script exits non-zero when the apply fails (the Job retries) or the manifest has no CALICO_IPV4POOL_CIDR', () => {
    expect(runApplyScript('10.244.0.0/16', 1).status).not.toBe(0);
    const other = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calico-other-')), 'calico.yaml');
    fs.writeFileSync(other, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const result = runApplyScript('10.244.0.0/16', 0, other);
    expect(result.status).not.toBe(0);
    expect(result.args).toBe('');
  });

  test('a mirror URL for air-gapped sites, and another Calico version', () => {
    const url = 'https://mirror.example.com/calico/v3.29.4/calico.yaml';
    const env = only(calico({ calicoVersion: 'v3.29.4', manifestUrl: url }).objects, 'Job').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CALICO_MANIFEST_URL', value: url });
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
    const old = clusterChart({ kubernetesVersion: 'v1.27.3' });
    expect(errorOf(() => new CalicoBootstrapJob(old.chart, 'Calico', { cluster: old.cluster })))
      .toMatch(/kubectlImage = undefined: has no known kubectl image for Kubernetes 1.27 \(known: .*\): set the image prop/);
    expect(() => new CalicoBootstrapJob(old.chart, 'Calico2', { cluster: old.cluster, kubectlImage: 'docker.io/alpine/k8s:1.27.16' })).not.toThrow();
  });
});

test('sh, sed and grep are available to run the script', () => {
  expect(execFileSync('/bin/sh', ['-c', 'command -v sed grep'], { encoding: 'utf8' })).toMatch(/sed/);
});
