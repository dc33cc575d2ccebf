import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { METRICS_SERVER_IMAGES, MetricsServer, MetricsServerOptions } from '../../src/addons';
import { imagePinProblem } from '../../src/addons/image-versions';
import { OpenStackCapiClusterProps } from '../../src/openstack-capi-cluster';
import { SchemaValidator, UpstreamVersions } from '../../src/validation';
import { clusterChart } from '../fixtures';
import { findImages } from '../output-scan';
import { deliveredObjects, errorOf, IMPORTS, only, upstreamObjects } from './helpers';

const UPSTREAM = 'metrics-server/v0.9.0';
const MANIFESTS = `${UPSTREAM}/manifests`;

function metricsServer(options: MetricsServerOptions = {}, cluster: Partial<OpenStackCapiClusterProps> = {}) {
  const { chart, cluster: c } = clusterChart(cluster);
  const addon = new MetricsServer(chart, 'MetricsServer', { cluster: c, ...options });
  const manifests = Testing.synth(chart);
  return { addon, manifests, objects: deliveredObjects(manifests, 'demo-metrics-server').map(d => d.object) };
}

function kustomization(folder: string): any {
  return parseYaml(fs.readFileSync(path.join(IMPORTS, MANIFESTS, folder, 'kustomization.yaml'), 'utf8'));
}

/** A strategic merge patch without directives: maps merge, anything else replaces. */
function mergePatch(target: any, patch: any): any {
  if (typeof target !== 'object' || target === null || Array.isArray(target) || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result = { ...target };
  for (const [key, value] of Object.entries(patch)) result[key] = mergePatch(target[key], value);
  return result;
}

/**
 * What `kustomize build manifests/overlays/release` (or `release-ha-1.21+`) writes, built from the
 * upstream files as kustomize reads them: the base's resources with its `commonLabels` (on every
 * object, the Deployment's selector and pod template, the Service's selector), the release
 * component's image, and for HA the high-availability component's PodDisruptionBudget and
 * Deployment patch, the PDB moved to the apiVersion of `high-availability-1.21+`.
 */
function upstreamRelease(ha: boolean): any[] {
  const overlay = kustomization(ha ? 'overlays/release-ha-1.21+' : 'overlays/release');
  expect(overlay.components).toEqual(ha
    ? ['../../components/high-availability-1.21+', '../../components/release']
    : ['../../components/release']);
  const base = kustomization('base');
  const labels = base.commonLabels;
  const objects = (base.resources as string[]).flatMap(file => upstreamObjects(`${MANIFESTS}/base/${file}`)).map(o => {
    const object = mergePatch(o, { metadata: { labels } });
    if (object.kind === 'Deployment') {
      return mergePatch(object, { spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } });
    }
    if (object.kind === 'Service') return mergePatch(object, { spec: { selector: labels } });
    return object;
  });

  const [image] = kustomization('components/release').images;
  for (const container of only(objects, 'Deployment').spec.template.spec.containers) {
    if (container.image.startsWith(`${image.name}:`)) container.image = `${image.newName}:${image.newTag}`;
  }
  if (!ha) return objects;

  const haComponent = kustomization('components/high-availability');
  expect(kustomization('components/high-availability-1.21+').components).toEqual(['../high-availability']);
  const added = (haComponent.resources as string[]).flatMap(file => upstreamObjects(`${MANIFESTS}/components/high-availability/${file}`));
  const [patch] = (haComponent.patchesStrategicMerge as string[]).flatMap(file => upstreamObjects(`${MANIFESTS}/components/high-availability/${file}`));
  const [versionPatch] = parseYaml(fs.readFileSync(path.join(IMPORTS, MANIFESTS, 'components/high-availability-1.21+/patch-pdb-version.yaml'), 'utf8'));
  expect(versionPatch).toMatchObject({ op: 'replace', path: '/apiVersion' });
  return [
    ...objects.map(o => (o.kind === 'Deployment' ? mergePatch(o, { spec: patch.spec }) : o)),
    ...added.map(o => (o.kind === 'PodDisruptionBudget' ? { ...o, apiVersion: versionPatch.value } : o)),
  ];
}

const key = (o: any) => `${o.kind}/${o.metadata.name}`;

/** Upstream's Deployment placed on the control plane nodes (upstream: any Linux node), so that no pool is kept from scaling to zero. */
function onControlPlane(deployment: any): any {
  const pod = deployment.spec.template.spec;
  expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  pod.nodeSelector['node-role.kubernetes.io/control-plane'] = '';
  pod.tolerations = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];
  return deployment;
}

describe('MetricsServer', () => {
  test('the upstream release objects: same kinds and names', () => {
    expect(metricsServer().objects.map(key).sort()).toEqual(upstreamRelease(false).map(key).sort());
  });

  test('every object but the Deployment is the upstream one', () => {
    const { objects } = metricsServer();
    for (const expected of upstreamRelease(false).filter(o => o.kind !== 'Deployment')) {
      expect([key(expected), only(objects, expected.kind, expected.metadata.name)]).toEqual([key(expected), expected]);
    }
  });

  test('the Deployment is upstream\'s, with --kubelet-insecure-tls added and the image of the cluster\'s minor', () => {
    const expected = onControlPlane(only(upstreamRelease(false), 'Deployment'));
    const container = expected.spec.template.spec.containers[0];
    container.args.push('--kubelet-insecure-tls');

    // Kubernetes 1.34+: the release image of components/release, v0.9.0.
    const newest = metricsServer({}, { kubernetesVersion: 'v1.34.1' });
    expect(container.image).toBe('registry.k8s.io/metrics-server/metrics-server:v0.9.0');
    expect(only(newest.objects, 'Deployment')).toEqual(expected);
    expect(newest.addon.image).toBe(container.image);

    // Kubernetes 1.31 to 1.33, which v0.9.x does not support: v0.8.1, whose manifests are the same.
    container.image = 'registry.k8s.io/metrics-server/metrics-server:v0.8.1';
    expect(only(metricsServer().objects, 'Deployment')).toEqual(expected);
  });

  test('the image pins follow the compatibility matrix of metrics-server\'s README', () => {
    const readme = fs.readFileSync(path.join(IMPORTS, UPSTREAM, 'README.md'), 'utf8');
    expect(readme).toMatch(/^0\.9\.x +\| `metrics\.k8s\.io\/v1beta1` +\| 1\.34\+$/m);
    expect(readme).toMatch(/^0\.8\.x +\| `metrics\.k8s\.io\/v1beta1` +\| 1\.31\+$/m);
    for (const [minor, image] of Object.entries(METRICS_SERVER_IMAGES)) {
      expect([minor, image]).toEqual([minor, `registry.k8s.io/metrics-server/metrics-server:${Number(minor.split('.')[1]) >= 34 ? 'v0.9.0' : 'v0.8.1'}`]);
    }
  });

  test('the kubelet TLS setting: insecure by default, as kubeadm\'s self-signed kubelet certificates need; verified on request', () => {
    // metrics-server's README names the flag for kubelets whose certificate the cluster CA did not sign.
    expect(fs.readFileSync(path.join(IMPORTS, UPSTREAM, 'README.md'), 'utf8'))
      .toContain('Kubelet certificate needs to be signed by cluster Certificate Authority (or disable certificate validation by passing `--kubelet-insecure-tls` to Metrics Server)');
    const args = (o: MetricsServerOptions) => only(metricsServer(o).objects, 'Deployment').spec.template.spec.containers[0].args;
    expect(args({})).toContain('--kubelet-insecure-tls');
    expect(args({ kubeletInsecureTls: false })).not.toContain('--kubelet-insecure-tls');
    expect(args({ kubeletInsecureTls: false })).toEqual(only(upstreamRelease(false), 'Deployment').spec.template.spec.containers[0].args);
  });

  test('replicas: 2 applies upstream\'s high-availability-1.21+ component (PodDisruptionBudget, anti-affinity)', () => {
    const { objects, addon } = metricsServer({ replicas: 2 });
    expect(addon.replicas).toBe(2);
    const upstream = upstreamRelease(true);
    expect(objects.map(key).sort()).toEqual(upstream.map(key).sort());
    for (const expected of upstream.filter(o => o.kind !== 'Deployment')) expect(only(objects, expected.kind, expected.metadata.name)).toEqual(expected);
    const expected = onControlPlane(only(upstream, 'Deployment'));
    const container = expected.spec.template.spec.containers[0];
    container.args.push('--kubelet-insecure-tls');
    container.image = addon.image;
    expect(only(objects, 'Deployment')).toEqual(expected);
    expect(only(objects, 'PodDisruptionBudget').apiVersion).toBe('policy/v1');
    expect(only(metricsServer({ replicas: 3 }).objects, 'Deployment').spec.replicas).toBe(3);
  });

  test('extraArgs replace upstream flags in place and follow them otherwise', () => {
    const { addon } = metricsServer({ extraArgs: { 'metric-resolution': '30s', 'v': '2', 'kubelet-preferred-address-types': 'InternalIP' } });
    expect(addon.args).toEqual([
      '--cert-dir=/tmp',
      '--secure-port=10250',
      '--kubelet-preferred-address-types=InternalIP',
      '--kubelet-use-node-status-port',
      '--metric-resolution=30s',
      '--kubelet-insecure-tls',
      '--v=2',
    ]);
  });

  test('delivered by a ClusterResourceSet in the cluster\'s namespace, selecting the cluster', () => {
    const { manifests, addon } = metricsServer({}, { namespace: 'clusters' });
    const crs = only(manifests, 'ClusterResourceSet');
    expect(crs.metadata).toMatchObject({ name: 'demo-metrics-server', namespace: 'clusters' });
    expect(crs.spec.clusterSelector).toEqual({ matchLabels: addon.cluster.selectorLabels });
  });

  test('no moving image tag reaches the output, whatever the minor', () => {
    for (const kubernetesVersion of ['v1.31.2', 'v1.32.4', 'v1.33.1', 'v1.34.1', 'v1.36.0']) {
      const { manifests } = metricsServer({}, { kubernetesVersion });
      const images = findImages(manifests);
      expect(images.length).toBe(1);
      for (const { image, pullPolicy } of images) {
        expect([image, imagePinProblem(image)]).toEqual([image, undefined]);
        expect(image).not.toMatch(/staging|:master$|:latest$/);
        expect(pullPolicy).toBe('IfNotPresent');
      }
      expect(JSON.stringify(manifests)).not.toContain('k8s-staging-metrics-server');
    }
  });

  test.each(UpstreamVersions.all().map(v => [v.toString(), v] as const))('the output validates with %s', (_name, upstreamVersions) => {
    for (const options of [{}, { replicas: 2 }]) {
      const { manifests } = metricsServer(options, { upstreamVersions });
      expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
    }
  });

  test('refuses an unpinned image, bad replicas, reserved or malformed flags, a minor without a known image', () => {
    const { chart, cluster } = clusterChart();
    expect(errorOf(() => new MetricsServer(chart, 'A', { cluster, image: 'gcr.io/k8s-staging-metrics-server/metrics-server:master' })))
      .toMatch(/test\/A: image = "gcr.io\/k8s-staging-metrics-server\/metrics-server:master": must be pinned to a version: tag ":master" names no version/);
    expect(errorOf(() => new MetricsServer(chart, 'B', { cluster, image: 'registry.k8s.io/metrics-server/metrics-server' })))
      .toMatch(/image = .*must be pinned to a version/);
    expect(errorOf(() => new MetricsServer(chart, 'C', { cluster, replicas: 0 }))).toMatch(/replicas = 0: must be an integer from 1 to 10/);
    // Each replica on a control plane node of its own: no more than there are.
    const single = clusterChart({ controlPlaneReplicas: 1, apiServerLoadBalancer: false });
    expect(errorOf(() => new MetricsServer(single.chart, 'TwoReplicas', { cluster: single.cluster, replicas: 2 })))
      .toMatch(/replicas = 2: must not exceed the cluster's 1 control plane machines: each replica runs on a control plane node of its own/);
    expect(new MetricsServer(chart, 'ThreeReplicas', { cluster, replicas: 3 }).replicas).toBe(3);
    expect(errorOf(() => new MetricsServer(chart, 'D', { cluster, extraArgs: { 'kubelet-insecure-tls': 'true', 'secure-port': '4443', '--v': '2' } })))
      .toMatch(/extraArgs.kubelet-insecure-tls = "true": is set by the add-on: set kubeletInsecureTls instead[^]*extraArgs.secure-port = "4443"[^]*extraArgs.--v = "2": must name a flag without its leading dashes/);
    expect(errorOf(() => new MetricsServer(chart, 'E', { cluster, kubeletInsecureTls: 'false' as any }))).toMatch(/kubeletInsecureTls = "false": must be true or false/);
    expect(errorOf(() => new MetricsServer(chart, 'F', { cluster, replica: 2 } as any))).toMatch(/replica = 2: is not a prop of MetricsServerOptions \(did you mean "replicas"\?\)/);
    const old = clusterChart({ kubernetesVersion: 'v1.30.4', upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12 });
    expect(errorOf(() => new MetricsServer(old.chart, 'G', { cluster: old.cluster }))).toMatch(/image = undefined: has no known metrics-server image for Kubernetes 1.30/);
    expect(new MetricsServer(old.chart, 'H', { cluster: old.cluster, image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2' }).image)
      .toBe('registry.k8s.io/metrics-server/metrics-server:v0.7.2');
  });
});
