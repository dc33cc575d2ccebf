import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { PersistentVolumeReclaimPolicy } from 'cdk8s-plus-30';
import { load as loadYaml } from 'js-yaml';
import { CinderCsiDriver, CinderCsiDriverOptions, VolumeBindingMode, VolumeSnapshotDeletionPolicy } from '../../src/addons';
import { CINDER_CSI_PLUGIN_IMAGES, CINDER_CSI_SIDECAR_IMAGES, imagePinProblem } from '../../src/addons/image-versions';
import { CloudCredentials } from '../../src/cloud-credentials';
import { OpenStackCapiClusterProps } from '../../src/openstack-capi-cluster';
import { SchemaValidator, UpstreamVersions } from '../../src/validation';
import { workloadRange } from '../../src/workload-kubernetes-versions';
import { clusterChart, WORKER_FLAVOR } from '../fixtures';
import { deliveredObjects, errorOf, IMPORTS, only, upstreamObjects } from './helpers';

const UPSTREAM = 'cloud-provider-openstack/v1.32.0/manifests/cinder-csi-plugin';
const UPSTREAM_1_31 = 'cloud-provider-openstack/v1.31.4/manifests/cinder-csi-plugin';
const SNAPSHOTTER = 'external-snapshotter/v8.6.0';

function csi(options: CinderCsiDriverOptions = {}, cluster: Partial<OpenStackCapiClusterProps> = {}) {
  const { chart, cluster: c } = clusterChart(cluster);
  const addon = new CinderCsiDriver(chart, 'Csi', { cluster: c, ...options });
  const manifests = Testing.synth(chart);
  return { addon, chart, cluster: c, manifests, objects: deliveredObjects(manifests, 'demo-cinder-csi').map(d => d.object) };
}

/** Runs `build` with console.warn silenced (inline credentials warn). */
function quietly<T>(build: () => T): T {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return build();
  } finally {
    warn.mockRestore();
  }
}

const upstream = [
  ...upstreamObjects(`${UPSTREAM}/cinder-csi-controllerplugin-rbac.yaml`),
  ...upstreamObjects(`${UPSTREAM}/cinder-csi-nodeplugin-rbac.yaml`),
  ...upstreamObjects(`${UPSTREAM}/csi-cinder-driver.yaml`),
  ...upstreamObjects(`${UPSTREAM}/cinder-csi-controllerplugin.yaml`),
  ...upstreamObjects(`${UPSTREAM}/cinder-csi-nodeplugin.yaml`),
];
const key = (o: any) => `${o.kind}/${o.metadata.name}`;

/**
 * An upstream workload (controller Deployment or node DaemonSet) with the add-on's named
 * differences applied: images of the cluster's minor, CLUSTER_NAME, no `Always` pull, the Secret of
 * its own, `serviceAccountName` for the deprecated `serviceAccount`, `emptyDir: {}` for `emptyDir:`.
 */
function withDifferences(workload: any, images: { [container: string]: string }): any {
  const expected = structuredClone(workload);
  const pod = expected.spec.template.spec;
  pod.serviceAccountName = pod.serviceAccount;
  delete pod.serviceAccount;
  for (const container of pod.containers) {
    container.image = images[container.name];
    if (container.imagePullPolicy === 'Always') container.imagePullPolicy = 'IfNotPresent';
    const clusterName = container.env?.find((e: any) => e.name === 'CLUSTER_NAME');
    if (clusterName) clusterName.value = 'demo';
  }
  for (const volume of pod.volumes) {
    if (volume.secret?.secretName === 'cloud-config') volume.secret.secretName = 'cinder-csi-cloud-config';
    if ('emptyDir' in volume && volume.emptyDir === null) volume.emptyDir = {};
  }
  // Placement, priority and requests: no pool kept from scaling to zero, critical pods first.
  for (const container of pod.containers) {
    container.resources = container.name === 'cinder-csi-plugin'
      ? { requests: { cpu: '20m', memory: '64Mi' } }
      : { requests: { cpu: '10m', memory: '32Mi' } };
  }
  if (workload.kind === 'Deployment') {
    pod.nodeSelector = { 'node-role.kubernetes.io/control-plane': '' };
    pod.tolerations = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];
    pod.priorityClassName = 'system-cluster-critical';
  } else {
    pod.priorityClassName = 'system-node-critical';
  }
  return expected;
}

function imagesOf(minor: string, plugin = CINDER_CSI_PLUGIN_IMAGES[minor]): { [container: string]: string } {
  const s = CINDER_CSI_SIDECAR_IMAGES[minor];
  return {
    'csi-attacher': s.attacher,
    'csi-provisioner': s.provisioner,
    'csi-snapshotter': s.snapshotter,
    'csi-resizer': s.resizer,
    'liveness-probe': s.livenessProbe,
    'node-driver-registrar': s.nodeDriverRegistrar,
    'cinder-csi-plugin': plugin,
  };
}

describe('CinderCsiDriver: the upstream objects', () => {
  test('same kinds and names as upstream, plus the StorageClasses', () => {
    const { objects } = csi();
    expect(objects.filter(o => o.kind !== 'StorageClass').map(key).sort()).toEqual(upstream.map(key).sort());
    expect(objects.filter(o => o.kind === 'StorageClass').map(key)).toEqual(['StorageClass/csi-cinder-sc-delete', 'StorageClass/csi-cinder-sc-retain']);
  });

  test.each(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'CSIDriver'])('every %s is the upstream one', kind => {
    const { objects } = csi();
    const expected = upstream.filter(o => o.kind === kind);
    expect(expected.length).toBeGreaterThan(0);
    for (const object of expected) expect(only(objects, kind, object.metadata.name)).toEqual(object);
  });

  test('the controller Deployment and node DaemonSet are upstream\'s, but for the named differences (Kubernetes 1.32)', () => {
    const { objects, addon } = csi();
    const images = imagesOf('1.32');
    expect(images['cinder-csi-plugin']).toBe('registry.k8s.io/provider-os/cinder-csi-plugin:v1.32.1');
    expect(addon.image).toBe(images['cinder-csi-plugin']);
    for (const kind of ['Deployment', 'DaemonSet']) {
      expect(only(objects, kind)).toEqual(withDifferences(only(upstream, kind), images));
    }
    // What the differences are, in so many words.
    const controller = only(objects, 'Deployment').spec.template.spec;
    expect(controller.containers.find((c: any) => c.name === 'csi-snapshotter').imagePullPolicy).toBe('IfNotPresent');
    expect(only(upstream, 'Deployment').spec.template.spec.containers.find((c: any) => c.name === 'csi-snapshotter').imagePullPolicy).toBe('Always');
    expect(controller.volumes.find((v: any) => v.secret).secret.secretName).toBe('cinder-csi-cloud-config');
  });

  test('Kubernetes 1.33: upstream v1.33.1 differs from v1.32.0 only in the plugin tag, so v1.32.0 is the reference', () => {
    const { objects } = csi({}, { kubernetesVersion: 'v1.33.2' });
    const images = imagesOf('1.33');
    expect(images['cinder-csi-plugin']).toBe('registry.k8s.io/provider-os/cinder-csi-plugin:v1.33.1');
    for (const kind of ['Deployment', 'DaemonSet']) {
      expect(only(objects, kind)).toEqual(withDifferences(only(upstream, kind), images));
    }
  });

  test('Kubernetes 1.31: the workloads of upstream v1.31.4 (older sidecars, no --pvc-annotations nor --provide-controller-service=false)', () => {
    const { objects } = csi({}, { kubernetesVersion: 'v1.31.9' });
    const images = imagesOf('1.31');
    expect(images['cinder-csi-plugin']).toBe('registry.k8s.io/provider-os/cinder-csi-plugin:v1.31.4');
    expect(only(objects, 'Deployment')).toEqual(withDifferences(only(upstreamObjects(`${UPSTREAM_1_31}/cinder-csi-controllerplugin.yaml`), 'Deployment'), images));
    expect(only(objects, 'DaemonSet')).toEqual(withDifferences(only(upstreamObjects(`${UPSTREAM_1_31}/cinder-csi-nodeplugin.yaml`), 'DaemonSet'), images));
    // The RBAC is v1.32's for every minor: a superset of v1.31's (the provisioner may also patch PVs).
    expect(only(objects, 'ClusterRole', 'csi-provisioner-role')).toEqual(only(upstream, 'ClusterRole', 'csi-provisioner-role'));
  });
});

describe('CinderCsiDriver: images', () => {
  test('every minor has a pinned plugin of its own release and pinned sidecars', () => {
    expect(Object.keys(CINDER_CSI_PLUGIN_IMAGES).sort()).toEqual(['1.31', '1.32', '1.33']);
    expect(Object.keys(CINDER_CSI_SIDECAR_IMAGES).sort()).toEqual(Object.keys(CINDER_CSI_PLUGIN_IMAGES).sort());
    for (const minor of Object.keys(CINDER_CSI_PLUGIN_IMAGES)) {
      const images = imagesOf(minor);
      for (const image of Object.values(images)) expect([image, imagePinProblem(image)]).toEqual([image, undefined]);
      expect(images['cinder-csi-plugin']).toMatch(new RegExp(`^registry\\.k8s\\.io/provider-os/cinder-csi-plugin:v${minor.replace('.', '\\.')}\\.\\d+$`));
      // The add-on runs them, and nothing is always pulled.
      const { objects } = csi({}, { kubernetesVersion: `v${minor}.1` });
      const containers = ['Deployment', 'DaemonSet'].flatMap(kind => only(objects, kind).spec.template.spec.containers);
      expect(Object.fromEntries(containers.map((c: any) => [c.name, c.image]))).toEqual(images);
      expect(containers.filter((c: any) => c.imagePullPolicy === 'Always')).toEqual([]);
    }
  });

  test('an image given is used (sidecars still follow the minor); unpinned images and unknown minors are refused', () => {
    const { objects, addon } = csi({ image: 'mirror.example.com/cinder-csi-plugin:v1.32.1' });
    expect(addon.image).toBe('mirror.example.com/cinder-csi-plugin:v1.32.1');
    expect(only(objects, 'DaemonSet').spec.template.spec.containers.map((c: any) => c.image))
      .toEqual([imagesOf('1.32')['node-driver-registrar'], imagesOf('1.32')['liveness-probe'], 'mirror.example.com/cinder-csi-plugin:v1.32.1']);
    const { chart, cluster } = clusterChart();
    expect(errorOf(() => new CinderCsiDriver(chart, 'Csi', { cluster, image: 'cinder-csi-plugin:latest' })))
      .toMatch(/test\/Csi: image = "cinder-csi-plugin:latest": must be pinned to a version/);
    const newer = clusterChart({ kubernetesVersion: 'v1.34.1' });
    expect(errorOf(() => new CinderCsiDriver(newer.chart, 'Csi', { cluster: newer.cluster })))
      .toMatch(/image = undefined: has no known Cinder CSI plugin image for Kubernetes 1.34 \(known: 1.31, 1.32, 1.33\)/);
    // With an image given for a minor the tables lack, the newest release's sidecars and flags.
    const given = new CinderCsiDriver(newer.chart, 'Given', { cluster: newer.cluster, image: 'registry.k8s.io/provider-os/cinder-csi-plugin:v1.34.1' });
    const daemonSet = only(deliveredObjects(Testing.synth(newer.chart), 'demo-cinder-csi').map(d => d.object), 'DaemonSet');
    expect(given.image).toBe('registry.k8s.io/provider-os/cinder-csi-plugin:v1.34.1');
    expect(daemonSet.spec.template.spec.containers[0].image).toBe(CINDER_CSI_SIDECAR_IMAGES['1.33'].nodeDriverRegistrar);
  });
});

describe('CinderCsiDriver: cloud config, as the CCM\'s', () => {
  const cloudsYaml = 'clouds:\n  openstack:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n      application_credential_secret: s3cr3t\n';

  test('cloud.conf reads clouds.yaml beside it; no [LoadBalancer] (the CCM\'s business)', () => {
    expect(csi().addon.cloudConf).toBe('[Global]\nuse-clouds=true\nclouds-file=/etc/config/clouds.yaml\ncloud=openstack\n');
    expect(csi({}, { credentials: CloudCredentials.fromSecretName('creds', { cloudName: 'prod' }) }).addon.cloudConf).toContain('\ncloud=prod\n');
    expect(csi({ ignoreVolumeAz: true }).addon.cloudConf).toBe(
      '[Global]\nuse-clouds=true\nclouds-file=/etc/config/clouds.yaml\ncloud=openstack\n\n[BlockStorage]\nignore-volume-az=true\n');
  });

  test('credentials by reference (default): no Secret in the output, the ClusterResourceSet lists the one you create', () => {
    const { manifests, addon } = csi();
    expect(manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    expect(addon.cloudConfigSecretName).toBe('demo-cinder-csi-cloud-config');
    expect(only(manifests, 'ClusterResourceSet').spec.resources).toEqual([
      { kind: 'ConfigMap', name: 'demo-cinder-csi' },
      { kind: 'Secret', name: 'demo-cinder-csi-cloud-config' },
    ]);
    expect(csi({ cloudConfigSecretName: 'shared-cloud-config' }).addon.cloudConfigSecretName).toBe('shared-cloud-config');
    const { chart, cluster } = clusterChart();
    expect(errorOf(() => new CinderCsiDriver(chart, 'Csi', { cluster, cloudConfigSecretName: 'Not_A_Name' })))
      .toMatch(/cloudConfigSecretName = "Not_A_Name": must be a DNS-1123 subdomain/);
  });

  test('inline credentials: the Secret the plugins mount is generated, in a resource-set Secret, with a warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { manifests, objects, addon } = csi({}, { credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml }) });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/test\/Csi: clouds.yaml is written into a ClusterResourceSet Secret \(kube-system\/cinder-csi-cloud-config\)/));
    warn.mockRestore();
    expect(addon.cloudConfigSecretName).toBeUndefined();
    expect(only(manifests, 'Secret', 'demo-cinder-csi-secret').type).toBe('addons.cluster.x-k8s.io/resource-set');
    const secret = only(objects, 'Secret', 'cinder-csi-cloud-config');
    expect(secret.metadata.namespace).toBe('kube-system');
    expect(Buffer.from(secret.data['cloud.conf'], 'base64').toString()).toBe(addon.cloudConf);
    expect(Buffer.from(secret.data['clouds.yaml'], 'base64').toString()).toBe(cloudsYaml);
    expect(secret.data.cacert).toBeUndefined();
    expect(JSON.stringify(manifests.filter(m => m.kind === 'ConfigMap'))).not.toContain('s3cr3t');
    // Both plugins mount it, at the directory cloud.conf names.
    for (const kind of ['Deployment', 'DaemonSet']) {
      const pod = only(objects, kind).spec.template.spec;
      expect(pod.volumes.find((v: any) => v.name === 'secret-cinderplugin').secret.secretName).toBe('cinder-csi-cloud-config');
      expect(pod.containers.find((c: any) => c.name === 'cinder-csi-plugin').volumeMounts)
        .toContainEqual({ name: 'secret-cinderplugin', mountPath: '/etc/config', readOnly: true });
    }
  });

  test('a private CA: ca-file points at the cacert key, generated inline, expected of your Secret by reference', () => {
    const cacert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const inline = quietly(() => csi({}, { credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml, cacert }) }));
    expect(Buffer.from(only(inline.objects, 'Secret', 'cinder-csi-cloud-config').data.cacert, 'base64').toString()).toBe(cacert);
    expect(inline.addon.cloudConf).toContain('\nca-file=/etc/config/cacert\n');
    const byReference = csi({}, { credentials: CloudCredentials.fromSecretName('creds', { privateCa: true }) });
    expect(byReference.addon.cloudConf).toContain('\nca-file=/etc/config/cacert\n');
    expect(byReference.manifests.filter(m => m.kind === 'Secret')).toEqual([]);
    expect(csi({}, { credentials: CloudCredentials.fromSecretName('creds') }).addon.cloudConf).not.toContain('ca-file');
  });
});

describe('CinderCsiDriver: StorageClasses', () => {
  const classes = (objects: any[]) => objects.filter(o => o.kind === 'StorageClass');

  test('by default csi-cinder-sc-delete (the default) and csi-cinder-sc-retain: expandable, bound with their first pod', () => {
    const { objects, addon } = csi();
    expect(classes(objects)).toEqual([
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'csi-cinder-sc-delete', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        provisioner: 'cinder.csi.openstack.org',
        reclaimPolicy: 'Delete',
        allowVolumeExpansion: true,
        volumeBindingMode: 'WaitForFirstConsumer',
      },
      {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: 'csi-cinder-sc-retain' },
        provisioner: 'cinder.csi.openstack.org',
        reclaimPolicy: 'Retain',
        allowVolumeExpansion: true,
        volumeBindingMode: 'WaitForFirstConsumer',
      },
    ]);
    expect(addon.storageClassNames).toEqual(['csi-cinder-sc-delete', 'csi-cinder-sc-retain']);
    expect(addon.defaultStorageClassName).toBe('csi-cinder-sc-delete');
  });

  test('typed fields: volume type, zone, reclaim policy, expansion, default, binding mode; an empty list makes none', () => {
    const { objects, addon } = csi({
      storageClasses: [
        { name: 'ssd', volumeType: 'ceph-ssd', availabilityZone: 'az-1', reclaimPolicy: PersistentVolumeReclaimPolicy.RETAIN, allowVolumeExpansion: false, isDefault: true },
        { name: 'hdd', volumeType: '__DEFAULT__', volumeBindingMode: VolumeBindingMode.IMMEDIATE },
      ],
    });
    const ssd = only(objects, 'StorageClass', 'ssd');
    const hdd = only(objects, 'StorageClass', 'hdd');
    expect(ssd).toMatchObject({
      metadata: { name: 'ssd', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      parameters: { type: 'ceph-ssd', availability: 'az-1' },
      reclaimPolicy: 'Retain',
      allowVolumeExpansion: false,
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    expect(hdd).toMatchObject({ metadata: { name: 'hdd' }, parameters: { type: '__DEFAULT__' }, reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    expect(hdd.metadata.annotations).toBeUndefined();
    expect(addon.defaultStorageClassName).toBe('ssd');
    const none = csi({ storageClasses: [] });
    expect(classes(none.objects)).toEqual([]);
    expect(none.addon.defaultStorageClassName).toBeUndefined();
  });

  test('refused: two defaults, a name twice, bad names, blank types and zones, unknown policies, misspelled props, strings for booleans', () => {
    const { chart, cluster } = clusterChart();
    const build = (options: CinderCsiDriverOptions) => () => new CinderCsiDriver(chart, `Csi${Math.random()}`.replace('.', ''), { cluster, ...options });
    expect(errorOf(build({ storageClasses: [{ name: 'a', isDefault: true }, { name: 'b', isDefault: true }] })))
      .toMatch(/storageClasses = \["a","b"\]: must mark at most one StorageClass isDefault/);
    expect(errorOf(build({ storageClasses: [{ name: 'a' }, { name: 'a' }] }))).toMatch(/storageClasses\[1\]\.name = "a": must be unique among the StorageClasses/);
    const message = errorOf(build({
      storageClasses: [
        { name: 'Fast_SSD' },
        { name: 'b', volumeType: ' ' },
        { name: 'c', availabilityZone: 'zone one' },
        { name: 'd', reclaimPolicy: 'Recycle' as any, volumeBindingMode: 'Later' as any },
        { name: 'e', isDefault: 'true' as any, allowVolumeExpansion: 'yes' as any },
        { name: 'f', volumeTyp: 'ssd' } as any,
      ],
    }));
    expect(message).toMatch(/storageClasses\[0\]\.name = "Fast_SSD": must be a DNS-1123 subdomain/);
    expect(message).toMatch(/storageClasses\[1\]\.volumeType = " ": must name a Cinder volume type/);
    expect(message).toMatch(/storageClasses\[2\]\.availabilityZone = "zone one": must be usable as the node label topology.cinder.csi.openstack.org\/zone/);
    expect(message).toMatch(/storageClasses\[3\]\.reclaimPolicy = "Recycle": must be a PersistentVolumeReclaimPolicy/);
    expect(message).toMatch(/storageClasses\[3\]\.volumeBindingMode = "Later": must be a VolumeBindingMode/);
    expect(message).toMatch(/storageClasses\[4\]\.allowVolumeExpansion = "yes": must be true or false/);
    expect(message).toMatch(/storageClasses\[4\]\.isDefault = "true": must be true or false/);
    expect(message).toMatch(/storageClasses\[5\]\.volumeTyp = "ssd": is not a prop of CinderStorageClassOptions \(did you mean "volumeType"\?\)/);
    expect(errorOf(build({ storageClass: [] } as any))).toMatch(/storageClass = \[\]: is not a prop of CinderCsiDriverOptions \(did you mean "storageClasses"\?\)/);
    // With ignoreVolumeAz the zone is Cinder's only, not a node label.
    expect(() => build({ ignoreVolumeAz: true, storageClasses: [{ name: 'c', availabilityZone: 'zone one' }] })()).not.toThrow();
  });
});

describe('CinderCsiDriver: a StorageClass\'s zone and the pools\' zones agree', () => {
  const zoned = { storageClasses: [{ name: 'az1-ssd', availabilityZone: 'az-1', isDefault: true }] };
  const problems = (scope: { node: { validate(): string[] } }) => scope.node.validate();

  test('a pool in another zone is refused at synth time, naming both, even when it is added after the driver', () => {
    const { chart, cluster } = clusterChart();
    const driver = new CinderCsiDriver(chart, 'Csi', { cluster, ...zoned });
    cluster.addNodePool('same', { flavor: WORKER_FLAVOR, failureDomain: 'az-1' });
    cluster.addNodePool('anywhere', { flavor: WORKER_FLAVOR }); // no zone: nothing to compare
    expect(problems(driver)).toEqual([]);
    cluster.addNodePool('other', { flavor: WORKER_FLAVOR, failureDomain: 'az-2' });
    expect(problems(driver)).toEqual([
      'test/Csi: storageClasses[0].availabilityZone = "az-1": StorageClass "az1-ssd" creates its volumes in availability zone "az-1", '
      + 'but node pool "other" (test/demo/other) runs in availability zone "az-2", where its pods could not attach them. '
      + 'Put the pool in "az-1", or leave availabilityZone unset: volumes are then created in the zone of the node their first pod runs on '
      + '(or set ignoreVolumeAz when Cinder\'s zones are not Nova\'s)',
    ]);
  });

  test('pools in several zones go with a StorageClass without zone; ignoreVolumeAz turns the check off', () => {
    const { chart, cluster } = clusterChart();
    const topologyAware = new CinderCsiDriver(chart, 'Csi', { cluster });
    const decoupled = new CinderCsiDriver(chart, 'Decoupled', { cluster, name: 'demo-decoupled', ignoreVolumeAz: true, ...zoned });
    cluster.addNodePoolsPerZone('general', ['az-1', 'az-2', 'az-3'], { flavor: WORKER_FLAVOR });
    expect(problems(topologyAware)).toEqual([]);
    expect(problems(decoupled)).toEqual([]);
  });

  test('the refusal stops the synthesis of the app', () => {
    const { chart, cluster } = clusterChart();
    new CinderCsiDriver(chart, 'Csi', { cluster, ...zoned });
    cluster.addNodePool('other', { flavor: WORKER_FLAVOR, failureDomain: 'az-2' });
    expect(() => (chart.node.root as App).synth()).toThrow(/node pool "other" \(test\/demo\/other\) runs in availability zone "az-2"/);
  });
});

describe('CinderCsiDriver: volume snapshots (optional)', () => {
  const snapshotter = [
    'client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml',
    'client/config/crd/snapshot.storage.k8s.io_volumesnapshotcontents.yaml',
    'client/config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml',
    'deploy/kubernetes/snapshot-controller/rbac-snapshot-controller.yaml',
    'deploy/kubernetes/snapshot-controller/setup-snapshot-controller.yaml',
  ].flatMap(file => upstreamObjects(`${SNAPSHOTTER}/${file}`));

  test('off by default: no CRD, no snapshot controller, no VolumeSnapshotClass', () => {
    const { objects, addon } = csi();
    expect(objects.filter(o => /Snapshot|CustomResourceDefinition/.test(o.kind) || o.metadata.name.startsWith('snapshot-controller'))).toEqual([]);
    expect(addon.volumeSnapshotClassName).toBeUndefined();
  });

  test('the VolumeSnapshot CRDs and the snapshot controller of external-snapshotter v8.6.0 (placed on the control plane), and a VolumeSnapshotClass', () => {
    const { objects, addon, manifests } = csi({ volumeSnapshots: {} });
    for (const expected of snapshotter.filter(o => o.kind !== 'Deployment')) {
      expect(only(objects, expected.kind, expected.metadata.name)).toEqual(expected);
    }
    // The controller is upstream's, placed on the control plane nodes as a critical controller, with requests.
    const controller = structuredClone(only(snapshotter, 'Deployment'));
    Object.assign(controller.spec.template.spec, {
      nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      priorityClassName: 'system-cluster-critical',
    });
    controller.spec.template.spec.containers[0].resources = { requests: { cpu: '10m', memory: '64Mi' } };
    expect(only(objects, 'Deployment', 'snapshot-controller')).toEqual(controller);
    expect(snapshotter.map(o => o.kind).sort()).toEqual([
      'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition',
      'Deployment', 'Role', 'RoleBinding', 'ServiceAccount',
    ]);
    expect(addon.volumeSnapshotClassName).toBe('csi-cinder-snapclass');
    expect(only(objects, 'VolumeSnapshotClass')).toEqual({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: { name: 'csi-cinder-snapclass', annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } },
      driver: 'cinder.csi.openstack.org',
      deletionPolicy: 'Delete',
      parameters: { 'force-create': 'false' },
    });
    // CAPI applies the CRDs before the VolumeSnapshotClass (keys in sorted order, one ConfigMap).
    const delivered = deliveredObjects(manifests, 'demo-cinder-csi');
    const at = (kind: string) => delivered.findIndex(d => d.object.kind === kind);
    expect(at('CustomResourceDefinition')).toBeLessThan(at('VolumeSnapshotClass'));
    expect(new Set(delivered.map(d => d.resource))).toEqual(new Set(['ConfigMap/demo-cinder-csi']));
  });

  test('options; with installSnapshotController false, the class only', () => {
    const { objects, addon } = csi({
      volumeSnapshots: { className: 'keep', deletionPolicy: VolumeSnapshotDeletionPolicy.RETAIN, isDefault: false, forceCreate: true, installSnapshotController: false },
    });
    expect(objects.filter(o => o.kind === 'CustomResourceDefinition' || o.metadata.name === 'snapshot-controller')).toEqual([]);
    expect(only(objects, 'VolumeSnapshotClass')).toEqual({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: { name: 'keep' },
      driver: 'cinder.csi.openstack.org',
      deletionPolicy: 'Retain',
      parameters: { 'force-create': 'true' },
    });
    expect(addon.volumeSnapshotClassName).toBe('keep');
    const { chart, cluster } = clusterChart();
    expect(errorOf(() => new CinderCsiDriver(chart, 'Csi', { cluster, volumeSnapshots: { deletionPolicy: 'Forget' as any, installSnapshotControler: false } as any })))
      .toMatch(/volumeSnapshots.installSnapshotControler = false: is not a prop of CinderVolumeSnapshotOptions \(did you mean "installSnapshotController"\?\)\n  - test\/Csi: volumeSnapshots.deletionPolicy = "Forget": must be a VolumeSnapshotDeletionPolicy/);
  });

  test('the VolumeSnapshotClass is valid against its CRD\'s schema', () => {
    const crd: any = loadYaml(fs.readFileSync(path.join(IMPORTS, SNAPSHOTTER, 'client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml'), 'utf8'));
    const schema = crd.spec.versions.find((v: any) => v.name === 'v1' && v.served).schema.openAPIV3Schema;
    for (const options of [{}, { deletionPolicy: VolumeSnapshotDeletionPolicy.RETAIN, forceCreate: true }]) {
      const snapshotClass = only(csi({ volumeSnapshots: options }).objects, 'VolumeSnapshotClass');
      expect(snapshotClass.apiVersion).toBe(`${crd.spec.group}/v1`);
      expect(Object.keys(snapshotClass).filter(k => !(k in schema.properties))).toEqual([]);
      expect(schema.required.filter((k: string) => !(k in snapshotClass))).toEqual([]);
      expect(schema.properties.deletionPolicy.enum).toContain(snapshotClass.deletionPolicy);
      expect(Object.values(snapshotClass.parameters).every(v => typeof v === 'string')).toBe(true);
    }
  });
});

describe('CinderCsiDriver: the delivered objects are valid Kubernetes objects', () => {
  const cases = UpstreamVersions.all().flatMap(versions => Object.keys(CINDER_CSI_PLUGIN_IMAGES)
    .filter(minor => {
      const range = workloadRange(versions);
      const m = Number(minor.split('.')[1]);
      return !range || (m >= range.min && m <= range.max);
    })
    .map(minor => [String(versions), minor, versions] as const));

  test('every pinned pair has cases, and the check sees inside the ClusterResourceSet (it can fail)', () => {
    expect(new Set(cases.map(([pair]) => pair)).size).toBe(UpstreamVersions.all().length);
    const { manifests } = csi();
    const configMap = only(manifests, 'ConfigMap', 'demo-cinder-csi');
    const scKey = Object.keys(configMap.data).find(k => k.includes('storageclass-csi-cinder-sc-delete'))!;
    configMap.data[scKey] = configMap.data[scKey].replace('allowVolumeExpansion: true', 'allowVolumeExpansion: maybe');
    expect(new SchemaValidator().validate(manifests)).toEqual([expect.stringMatching(/StorageClass\/csi-cinder-sc-delete.*allowVolumeExpansion.*maybe/)]);
  });

  test.each(cases)('%s, Kubernetes %s', (_pair, minor, versions) => {
    const { manifests } = quietly(() => csi({
      volumeSnapshots: {},
      storageClasses: [
        { name: 'ssd', volumeType: 'ssd', availabilityZone: 'az-1', isDefault: true, reclaimPolicy: PersistentVolumeReclaimPolicy.RETAIN },
        { name: 'immediate', volumeBindingMode: VolumeBindingMode.IMMEDIATE, allowVolumeExpansion: false },
      ],
    }, {
      kubernetesVersion: `v${minor}.1`,
      upstreamVersions: versions,
      credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml: 'clouds: {openstack: {}}\n', cacert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }),
    }));
    const report = new SchemaValidator({ versions }).validateObjects(manifests);
    expect(report.errors).toEqual([]);
    // The ClusterResourceSet, its ConfigMap and Secret, and the objects they carry (Secret included).
    const delivered = deliveredObjects(manifests, 'demo-cinder-csi');
    expect(delivered.some(d => d.object.kind === 'Secret')).toBe(true);
    expect(report.objectsChecked).toBeGreaterThanOrEqual(manifests.length + delivered.length);
    // Only the VolumeSnapshotClass has no pinned schema (checked against its CRD above).
    expect(report.objectsWithoutSchema).toBeLessThanOrEqual(1);
  });
});
