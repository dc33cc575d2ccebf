import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { k8s, PersistentVolumeReclaimPolicy } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { kubernetesMinor, parseKubernetesVersion } from '../kubernetes-version';
import { NodePool } from '../node-pool';
import { isDns1123Subdomain, labelValueProblem } from '../rules';
import { addInlineCloudConfigSecret, CLOUD_CONFIG_DIR, cloudConf, userCloudConfigSecretName } from './cloud-conf';
import { ClusterResourceSetAddon, ClusterResourceSetAddonOptions } from './cluster-resource-set-addon';
import { CINDER_CSI_PLUGIN_IMAGES, CINDER_CSI_SIDECAR_IMAGES, CsiSidecarImages, resolveImage } from './image-versions';
import { controllerPlacement, requests, SystemPriorityClass } from './pod-placement';
import { WorkloadAddon } from './workload-addon';
import { IMPORTS_FOLDER } from '../validation/imports-folder';

/** When a PersistentVolumeClaim of a StorageClass gets its volume. */
export enum VolumeBindingMode {
  /**
   * Once a pod using the claim is scheduled: the volume is created in that pod's availability
   * zone (Cinder CSI reports each node's zone as a topology key). The right mode when nodes sit in
   * several zones.
   */
  WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer',
  /** As soon as the claim exists, before any pod uses it: the volume's zone ignores the pod's. */
  IMMEDIATE = 'Immediate',
}

/** What happens to a VolumeSnapshot's Cinder snapshot when the VolumeSnapshot is deleted. */
export enum VolumeSnapshotDeletionPolicy {
  /** The Cinder snapshot is deleted with it. */
  DELETE = 'Delete',
  /** The Cinder snapshot is kept (with its VolumeSnapshotContent). */
  RETAIN = 'Retain',
}

/** A StorageClass of Cinder volumes. */
export interface CinderStorageClassOptions {
  /** Name of the StorageClass. */
  readonly name: string;

  /**
   * Cinder volume type of the volumes (`openstack volume type list`), parameter `type`.
   * @default - the cloud's default volume type
   */
  readonly volumeType?: string;

  /**
   * Availability zone of the volumes, parameter `availability`. Every node pool with a
   * `failureDomain` must then sit in this zone: a pod on a node of another zone could not attach
   * the volume (refused at synth time, unless `ignoreVolumeAz`).
   * @default - with `WAIT_FOR_FIRST_CONSUMER`, the zone of the node the first pod using the volume
   * runs on (topology-aware provisioning): the choice for pools in several zones
   */
  readonly availabilityZone?: string;

  /**
   * What becomes of a volume when its claim is deleted.
   * @default PersistentVolumeReclaimPolicy.DELETE
   */
  readonly reclaimPolicy?: PersistentVolumeReclaimPolicy;

  /**
   * Whether claims may grow (`kubectl edit pvc`): Cinder extends the volume, and the file system
   * grows with it.
   * @default true
   */
  readonly allowVolumeExpansion?: boolean;

  /**
   * Whether this is the cluster's default StorageClass (annotation
   * `storageclass.kubernetes.io/is-default-class`), used by claims that name none. At most one
   * StorageClass may be the default.
   * @default false
   */
  readonly isDefault?: boolean;

  /**
   * When a claim gets its volume.
   * @default VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER
   */
  readonly volumeBindingMode?: VolumeBindingMode;
}

/** Volume snapshots of Cinder volumes: a VolumeSnapshotClass, and what it needs. */
export interface CinderVolumeSnapshotOptions {
  /**
   * Name of the VolumeSnapshotClass.
   * @default "csi-cinder-snapclass"
   */
  readonly className?: string;

  /**
   * What happens to the Cinder snapshot when its VolumeSnapshot is deleted.
   * @default VolumeSnapshotDeletionPolicy.DELETE
   */
  readonly deletionPolicy?: VolumeSnapshotDeletionPolicy;

  /**
   * Whether this is the cluster's default VolumeSnapshotClass for the Cinder driver (annotation
   * `snapshot.storage.kubernetes.io/is-default-class`).
   * @default true
   */
  readonly isDefault?: boolean;

  /**
   * Snapshot volumes that are attached to a server (Cinder `force-create`): the snapshot is then
   * only crash-consistent.
   * @default false
   */
  readonly forceCreate?: boolean;

  /**
   * Install the VolumeSnapshot CRDs and the snapshot controller (kubernetes-csi/external-snapshotter
   * v8.6.0: `client/config/crd/` and `deploy/kubernetes/snapshot-controller/`). A cluster runs one
   * snapshot controller for all CSI drivers: set false when it has them already.
   * @default true
   */
  readonly installSnapshotController?: boolean;
}

/** Options of a {@link CinderCsiDriver}. */
export interface CinderCsiDriverOptions extends ClusterResourceSetAddonOptions {
  /**
   * Image of the Cinder CSI plugin. The CSI sidecars follow the cluster's Kubernetes minor.
   * @default - the cloud-provider-openstack release of the cluster's Kubernetes minor, pinned
   */
  readonly image?: string;

  /**
   * With credentials by reference (`CloudCredentials.fromSecretName` or `fromClusterIdentity`):
   * name of the Secret of type `addons.cluster.x-k8s.io/resource-set`, in the cluster's namespace,
   * that you create and that holds the workload cluster's `kube-system/cinder-csi-cloud-config`
   * Secret (see the README): keys `cloud.conf` (see {@link CinderCsiDriver.cloudConf}),
   * `clouds.yaml`, and `cacert` when the credentials name a private CA (`privateCa`).
   * Unused with inline credentials: that Secret is then generated.
   * @default "<cluster>-cinder-csi-cloud-config"
   */
  readonly cloudConfigSecretName?: string;

  /**
   * The StorageClasses of Cinder volumes. An empty list creates none.
   * @default - `csi-cinder-sc-delete` (the default StorageClass) and `csi-cinder-sc-retain`, both of
   * the default volume type, expandable, bound when their first pod is scheduled
   */
  readonly storageClasses?: CinderStorageClassOptions[];

  /**
   * Cinder's availability zones are not Nova's (`[BlockStorage] ignore-volume-az`): a volume's zone
   * then says nothing of where pods may use it, and StorageClass zones are not checked against the
   * pools' zones.
   * @default false
   */
  readonly ignoreVolumeAz?: boolean;

  /**
   * Volume snapshots: a VolumeSnapshotClass of the Cinder driver and, by default, the VolumeSnapshot
   * CRDs and the snapshot controller. Pass `{}` for the defaults.
   * @default - none: the controller's `csi-snapshotter` sidecar runs, but no VolumeSnapshot can be made
   */
  readonly volumeSnapshots?: CinderVolumeSnapshotOptions;
}

/** Props of a {@link CinderCsiDriver}. */
export interface CinderCsiDriverProps extends CinderCsiDriverOptions {
  /** The cluster to run the Cinder CSI driver in. */
  readonly cluster: ICapiCluster;
}

const NAMESPACE = 'kube-system';
/** The driver's name, the StorageClasses' provisioner. */
const DRIVER = 'cinder.csi.openstack.org';
/** Upstream's `cloud-config`, renamed: see the class documentation. */
const CLOUD_CONFIG_SECRET = 'cinder-csi-cloud-config';
const DEFAULT_STORAGE_CLASSES: CinderStorageClassOptions[] = [
  { name: 'csi-cinder-sc-delete', isDefault: true },
  { name: 'csi-cinder-sc-retain', reclaimPolicy: PersistentVolumeReclaimPolicy.RETAIN },
];
const STORAGE_CLASS_PROPS = ['name', 'volumeType', 'availabilityZone', 'reclaimPolicy', 'allowVolumeExpansion', 'isDefault', 'volumeBindingMode'];
const SNAPSHOT_PROPS = ['className', 'deletionPolicy', 'isDefault', 'forceCreate', 'installSnapshotController'];

/**
 * The Cinder CSI driver of cloud-provider-openstack (`manifests/cinder-csi-plugin/`): the
 * controller plugin (a Deployment with the attacher, provisioner, snapshotter, resizer and
 * liveness-probe sidecars), the node plugin (a DaemonSet on every node), the `CSIDriver`, their
 * ServiceAccounts and RBAC, and typed StorageClasses; optionally the VolumeSnapshot CRDs, the
 * snapshot controller and a VolumeSnapshotClass (kubernetes-csi/external-snapshotter v8.6.0).
 * Delivered by a ClusterResourceSet.
 *
 * Credentials are those of the cluster, as for the cloud controller manager: the plugins read
 * `kube-system/cinder-csi-cloud-config` (`cloud.conf`, which points at `clouds.yaml` in the same
 * Secret, and at `cacert` with a private CA). With inline credentials that Secret is generated (the
 * output then holds credentials); with credentials by reference, the ClusterResourceSet lists a
 * resource-set Secret you create (`cloudConfigSecretName`) with the `cloud.conf` of
 * {@link cloudConf}.
 *
 * Differences from the upstream manifests, each on purpose:
 * - the images follow the cluster's Kubernetes minor (plugin and sidecars as the matching
 *   cloud-provider-openstack release pins them), and the `csi-snapshotter` sidecar is pulled
 *   `IfNotPresent` (upstream: `Always`);
 * - `CLUSTER_NAME` is the cluster's name (upstream: "kubernetes"), so that the volumes of two
 *   clusters in one project carry distinct `cinder.csi.openstack.org/cluster` metadata;
 * - the Secret is `cinder-csi-cloud-config` (upstream: `cloud-config`, the name the CCM reads too):
 *   two ClusterResourceSets writing one Secret with different content would fight (strategy
 *   Reconcile) or leave it to whichever applies first (ApplyOnce);
 * - the pods name their ServiceAccount with `serviceAccountName` (upstream: the deprecated alias
 *   `serviceAccount`), and the socket volume is `emptyDir: {}` (upstream: `emptyDir:` with no value,
 *   which the API server defaults to the same);
 * - the controller plugin and the snapshot controller run on the control plane nodes as
 *   `system-cluster-critical` (upstream: on any node, no priority), so that no worker pool is
 *   kept from scaling down to zero (see `controllerPlacement`; anywhere when the control plane is hosted); the node plugin is
 *   `system-node-critical`; every container requests CPU and memory (upstream: nothing).
 */
export class CinderCsiDriver extends WorkloadAddon {
  /** The ClusterResourceSet delivering the driver. */
  public readonly addon: ClusterResourceSetAddon;
  /** The image of the Cinder CSI plugin. */
  public readonly image: string;
  /** The `cloud.conf` the plugins read (nothing secret: it points at `clouds.yaml`). */
  public readonly cloudConf: string;
  /** With credentials by reference: the resource-set Secret to create; undefined otherwise. */
  public readonly cloudConfigSecretName?: string;
  /** The names of the StorageClasses, in the order given. */
  public readonly storageClassNames: string[];
  /** The default StorageClass, when one is marked default. */
  public readonly defaultStorageClassName?: string;
  /** The VolumeSnapshotClass, with `volumeSnapshots`. */
  public readonly volumeSnapshotClassName?: string;

  private readonly storageClasses: CinderStorageClassOptions[];
  private readonly ignoreVolumeAz: boolean;

  constructor(scope: Construct, id: string, props: CinderCsiDriverProps) {
    super(scope, id, props, 'CinderCsiDriverOptions',
      ['image', 'cloudConfigSecretName', 'storageClasses', 'ignoreVolumeAz', 'volumeSnapshots']);
    const errors = new InputErrors(this);
    const cluster = props.cluster;

    this.image = resolveImage(errors, 'image', props.image, CINDER_CSI_PLUGIN_IMAGES, cluster.kubernetesVersion, 'Cinder CSI plugin');
    const release = releaseOf(cluster.kubernetesVersion);
    errors.checkBoolean('ignoreVolumeAz', props.ignoreVolumeAz);
    this.ignoreVolumeAz = props.ignoreVolumeAz === true;
    this.storageClasses = checkStorageClasses(errors, props.storageClasses ?? DEFAULT_STORAGE_CLASSES, this.ignoreVolumeAz);
    const snapshots = checkSnapshots(errors, props.volumeSnapshots);
    this.cloudConfigSecretName = userCloudConfigSecretName(errors, cluster, props.cloudConfigSecretName, `${cluster.name}-cinder-csi-cloud-config`);
    errors.throwIfAny();

    this.storageClassNames = this.storageClasses.map(sc => sc.name);
    this.defaultStorageClassName = this.storageClasses.find(sc => sc.isDefault)?.name;
    // The CCM's cloud.conf without [LoadBalancer].
    this.cloudConf = cloudConf({
      cloudName: cluster.credentials.cloudName,
      caFile: cluster.credentials.privateCa,
      sections: { BlockStorage: this.ignoreVolumeAz ? ['ignore-volume-az=true'] : [] },
    });

    // manifests/cinder-csi-plugin/cinder-csi-controllerplugin-rbac.yaml
    this.addServiceAccount('ControllerServiceAccount', CONTROLLER_SA, NAMESPACE);
    for (const [role, rules] of Object.entries(CONTROLLER_ROLES)) {
      this.addClusterRole(`${role}Role`, `csi-${role}-role`, rules);
      this.bindClusterRole(`${role}Binding`, { name: `csi-${role}-binding`, clusterRole: `csi-${role}-role`, serviceAccount: CONTROLLER_SA, namespace: NAMESPACE });
    }
    // manifests/cinder-csi-plugin/cinder-csi-nodeplugin-rbac.yaml
    this.addServiceAccount('NodeServiceAccount', NODE_SA, NAMESPACE);
    this.addClusterRole('NodePluginRole', 'csi-nodeplugin-role', NODE_PLUGIN_RULES);
    this.bindClusterRole('NodePluginBinding', { name: 'csi-nodeplugin-binding', clusterRole: 'csi-nodeplugin-role', serviceAccount: NODE_SA, namespace: NAMESPACE });

    // manifests/cinder-csi-plugin/csi-cinder-driver.yaml
    new k8s.KubeCsiDriver(this.workload, 'CsiDriver', {
      metadata: { name: DRIVER },
      spec: { attachRequired: true, podInfoOnMount: true, volumeLifecycleModes: ['Persistent', 'Ephemeral'] },
    });
    addControllerPlugin(this.workload, this.image, release, cluster.name, controllerPlacement(cluster));
    addNodePlugin(this.workload, this.image, release);
    this.storageClasses.forEach((sc, i) => storageClass(this.workload, `StorageClass${i}`, sc));

    if (snapshots) {
      this.volumeSnapshotClassName = snapshots.className ?? 'csi-cinder-snapclass';
      if (snapshots.installSnapshotController ?? true) {
        for (const file of SNAPSHOTTER_FILES) {
          upstreamObjects(file).map(o => placeSnapshotController(o, controllerPlacement(cluster)))
            .forEach(o => new ApiObject(this.workload, `${o.kind}-${o.metadata.namespace ?? ''}-${o.metadata.name}`, o));
        }
      }
      new ApiObject(this.workload, 'VolumeSnapshotClass', {
        apiVersion: 'snapshot.storage.k8s.io/v1',
        kind: 'VolumeSnapshotClass',
        metadata: {
          name: this.volumeSnapshotClassName,
          annotations: (snapshots.isDefault ?? true) ? { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } : undefined,
        },
        driver: DRIVER,
        deletionPolicy: snapshots.deletionPolicy ?? VolumeSnapshotDeletionPolicy.DELETE,
        parameters: { 'force-create': String(snapshots.forceCreate ?? false) },
      });
    }

    addInlineCloudConfigSecret(this, this.workload, cluster, CLOUD_CONFIG_SECRET, this.cloudConf);
    this.addon = this.deliver(props, 'cinder-csi', this.cloudConfigSecretName ? [this.cloudConfigSecretName] : []);

    // Pools may be added after the driver: their zones are compared at synth time.
    this.node.addValidation({ validate: () => this.zoneProblems() });
  }

  /** A StorageClass kept to one zone, while a pool of the cluster runs in another. */
  private zoneProblems(): string[] {
    if (this.ignoreVolumeAz) return [];
    const errors = new InputErrors(this);
    const pools = NodePool.of(this.cluster).map(pool => ({ pool, zone: poolZone(pool) }));
    this.storageClasses.forEach((sc, i) => {
      if (sc.availabilityZone === undefined) return;
      for (const { pool, zone } of pools) {
        if (zone === undefined || zone === sc.availabilityZone) continue;
        errors.add(`storageClasses[${i}].availabilityZone`, sc.availabilityZone,
          `StorageClass "${sc.name}" creates its volumes in availability zone "${sc.availabilityZone}", but node pool "${pool.name}" `
          + `(${pool.node.path}) runs in availability zone "${zone}", where its pods could not attach them. Put the pool in `
          + `"${sc.availabilityZone}", or leave availabilityZone unset: volumes are then created in the zone of the node their first pod `
          + 'runs on (or set ignoreVolumeAz when Cinder\'s zones are not Nova\'s)');
      }
    });
    return errors.lines;
  }
}

/** The availability zone of a pool's machines, when it has one. */
function poolZone(pool: NodePool): string | undefined {
  const zone = pool.machineDeployment.toJson()?.spec?.template?.spec?.failureDomain;
  return typeof zone === 'string' ? zone : undefined;
}

/** What a cloud-provider-openstack release of a Kubernetes minor runs: its sidecars, and flags. */
interface CinderCsiRelease {
  readonly sidecars: CsiSidecarImages;
  /** v1.32 added `--pvc-annotations` (controller) and runs the node plugin without the controller service. */
  readonly sinceV132: boolean;
}

/**
 * The release of the cluster's minor; for a minor the tables do not know (only with an `image`
 * given), the newest known: the CSI sidecars support a wide range of Kubernetes versions.
 */
function releaseOf(kubernetesVersion: string): CinderCsiRelease {
  const minors = Object.keys(CINDER_CSI_SIDECAR_IMAGES).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  const minor = parseKubernetesVersion(kubernetesVersion) ? kubernetesMinor(kubernetesVersion) : minors[minors.length - 1];
  const known = minor in CINDER_CSI_SIDECAR_IMAGES ? minor : minors[minors.length - 1];
  return { sidecars: CINDER_CSI_SIDECAR_IMAGES[known], sinceV132: Number(known.split('.')[1]) >= 32 };
}

function checkStorageClasses(errors: InputErrors, value: CinderStorageClassOptions[], ignoreVolumeAz: boolean): CinderStorageClassOptions[] {
  if (!errors.check(Array.isArray(value), 'storageClasses', value, 'must be a list of CinderStorageClassOptions')) return [];
  const seen = new Set<string>();
  value.forEach((sc, i) => {
    const prop = `storageClasses[${i}]`;
    if (!errors.checkPropNames('CinderStorageClassOptions', sc, STORAGE_CLASS_PROPS, prop)) return;
    if (errors.check(typeof sc.name === 'string' && isDns1123Subdomain(sc.name), `${prop}.name`, sc.name,
      'must be a DNS-1123 subdomain: lower-case letters, digits, "-" and "."')) {
      errors.check(!seen.has(sc.name), `${prop}.name`, sc.name, 'must be unique among the StorageClasses');
      seen.add(sc.name);
    }
    if (sc.volumeType !== undefined) {
      errors.check(typeof sc.volumeType === 'string' && sc.volumeType.trim() !== '' && sc.volumeType.trim() === sc.volumeType,
        `${prop}.volumeType`, sc.volumeType, 'must name a Cinder volume type (no surrounding spaces)');
    }
    if (sc.availabilityZone !== undefined) {
      const zone = sc.availabilityZone;
      const named = typeof zone === 'string' && zone.trim() !== '' && zone.trim() === zone;
      // Unless Cinder's zones are not Nova's, the zone is a node label value too: the plugin
      // reports each node's zone as topology.cinder.csi.openstack.org/zone.
      const problem = !named ? 'must name an availability zone (not empty, no surrounding spaces)'
        : ignoreVolumeAz || !labelValueProblem(zone) ? undefined
          : `must be usable as the node label topology.cinder.csi.openstack.org/zone: ${labelValueProblem(zone)}`;
      errors.check(!problem, `${prop}.availabilityZone`, zone, problem ?? '');
    }
    if (sc.reclaimPolicy !== undefined) {
      errors.check(Object.values(PersistentVolumeReclaimPolicy).includes(sc.reclaimPolicy), `${prop}.reclaimPolicy`, sc.reclaimPolicy,
        'must be a PersistentVolumeReclaimPolicy (DELETE or RETAIN)');
    }
    if (sc.volumeBindingMode !== undefined) {
      errors.check(Object.values(VolumeBindingMode).includes(sc.volumeBindingMode), `${prop}.volumeBindingMode`, sc.volumeBindingMode,
        'must be a VolumeBindingMode');
    }
    errors.checkBoolean(`${prop}.allowVolumeExpansion`, sc.allowVolumeExpansion);
    errors.checkBoolean(`${prop}.isDefault`, sc.isDefault);
  });
  const defaults = value.filter(sc => sc?.isDefault === true).map(sc => sc.name);
  errors.check(defaults.length <= 1, 'storageClasses', defaults,
    'must mark at most one StorageClass isDefault: with several defaults, a claim that names no StorageClass gets the newest one');
  return value;
}

function checkSnapshots(errors: InputErrors, value: CinderVolumeSnapshotOptions | undefined): CinderVolumeSnapshotOptions | undefined {
  if (value === undefined) return undefined;
  if (!errors.checkPropNames('CinderVolumeSnapshotOptions', value, SNAPSHOT_PROPS, 'volumeSnapshots')) return undefined;
  if (value.className !== undefined) {
    errors.check(typeof value.className === 'string' && isDns1123Subdomain(value.className), 'volumeSnapshots.className', value.className,
      'must be a DNS-1123 subdomain');
  }
  if (value.deletionPolicy !== undefined) {
    errors.check(Object.values(VolumeSnapshotDeletionPolicy).includes(value.deletionPolicy), 'volumeSnapshots.deletionPolicy',
      value.deletionPolicy, 'must be a VolumeSnapshotDeletionPolicy');
  }
  errors.checkBoolean('volumeSnapshots.isDefault', value.isDefault);
  errors.checkBoolean('volumeSnapshots.forceCreate', value.forceCreate);
  errors.checkBoolean('volumeSnapshots.installSnapshotController', value.installSnapshotController);
  return value;
}

function storageClass(scope: Construct, id: string, sc: CinderStorageClassOptions): void {
  const parameters: { [key: string]: string } = {
    ...(sc.volumeType !== undefined ? { type: sc.volumeType } : {}),
    ...(sc.availabilityZone !== undefined ? { availability: sc.availabilityZone } : {}),
  };
  new k8s.KubeStorageClass(scope, id, {
    metadata: {
      name: sc.name,
      annotations: sc.isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : undefined,
    },
    provisioner: DRIVER,
    parameters: Object.keys(parameters).length > 0 ? parameters : undefined,
    reclaimPolicy: sc.reclaimPolicy ?? PersistentVolumeReclaimPolicy.DELETE,
    allowVolumeExpansion: sc.allowVolumeExpansion ?? true,
    volumeBindingMode: sc.volumeBindingMode ?? VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER,
  });
}

const CONTROLLER_SA = 'csi-cinder-controller-sa';
const NODE_SA = 'csi-cinder-node-sa';
const core = '';
const storage = 'storage.k8s.io';
const snapshot = 'snapshot.storage.k8s.io';
const leases: k8s.PolicyRule = { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'watch', 'list', 'delete', 'update', 'create'] };
const eventsWritten: k8s.PolicyRule = { apiGroups: [core], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] };

/** The controller's ClusterRoles `csi-<role>-role`, upstream (v1.32: csi-provisioner v5 patches PVs). */
const CONTROLLER_ROLES: { [role: string]: k8s.PolicyRule[] } = {
  attacher: [
    { apiGroups: [core], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: [storage], resources: ['csinodes'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [storage], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: [storage], resources: ['volumeattachments/status'], verbs: ['patch'] },
    leases,
  ],
  provisioner: [
    { apiGroups: [core], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'delete', 'patch'] },
    { apiGroups: [core], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
    { apiGroups: [storage], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [core], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [storage], resources: ['csinodes'], verbs: ['get', 'list', 'watch'] },
    eventsWritten,
    { apiGroups: [snapshot], resources: ['volumesnapshots'], verbs: ['get', 'list'] },
    { apiGroups: [snapshot], resources: ['volumesnapshotcontents'], verbs: ['get', 'list'] },
    { apiGroups: [storage], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch'] },
    leases,
  ],
  snapshotter: [
    eventsWritten,
    { apiGroups: [snapshot], resources: ['volumesnapshotclasses'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [snapshot], resources: ['volumesnapshotcontents'], verbs: ['create', 'get', 'list', 'watch', 'update', 'delete', 'patch'] },
    { apiGroups: [snapshot], resources: ['volumesnapshotcontents/status'], verbs: ['update', 'patch'] },
    leases,
  ],
  resizer: [
    { apiGroups: [core], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: [core], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [core], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [core], resources: ['persistentvolumeclaims/status'], verbs: ['patch'] },
    eventsWritten,
    leases,
  ],
};

const NODE_PLUGIN_RULES: k8s.PolicyRule[] = [
  { apiGroups: [core], resources: ['events'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
];

const SOCKET = '/var/lib/csi/sockets/pluginproxy/';
const addressEnv = (value: string): k8s.EnvVar[] => [{ name: 'ADDRESS', value }];
const healthz = (timeoutSeconds: number, periodSeconds: number): Partial<k8s.Container> => ({
  ports: [{ containerPort: 9808, name: 'healthz', protocol: 'TCP' }],
  livenessProbe: {
    failureThreshold: 5,
    httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('healthz') },
    initialDelaySeconds: 10,
    timeoutSeconds,
    periodSeconds,
  },
});
const cloudConfigVolume: k8s.Volume = { name: 'secret-cinderplugin', secret: { secretName: CLOUD_CONFIG_SECRET } };
const cloudConfigMount: k8s.VolumeMount = { name: 'secret-cinderplugin', mountPath: CLOUD_CONFIG_DIR, readOnly: true };

/** manifests/cinder-csi-plugin/cinder-csi-controllerplugin.yaml */
/**
 * Requests of the CSI containers (upstream sets none): small, so that the scheduler reserves room
 * for what a sidecar or the plugin holds at rest; no limits (see `requests`).
 */
const SIDECAR_REQUESTS = requests('10m', '32Mi');
const PLUGIN_REQUESTS = requests('20m', '64Mi');

function addControllerPlugin(scope: Construct, image: string, release: CinderCsiRelease, clusterName: string,
  placement: Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations'>): void {
  const labels = { app: 'csi-cinder-controllerplugin' };
  const socketMount: k8s.VolumeMount = { name: 'socket-dir', mountPath: SOCKET };
  const sidecar = (name: string, sidecarImage: string, args: string[]): k8s.Container => ({
    name,
    image: sidecarImage,
    args: ['--csi-address=$(ADDRESS)', ...args],
    env: addressEnv(`${SOCKET}csi.sock`),
    imagePullPolicy: 'IfNotPresent',
    resources: SIDECAR_REQUESTS,
    volumeMounts: [socketMount],
  });
  const s = release.sidecars;
  new k8s.KubeDeployment(scope, 'ControllerPlugin', {
    metadata: { name: 'csi-cinder-controllerplugin', namespace: NAMESPACE },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: CONTROLLER_SA,
          ...placement,
          priorityClassName: SystemPriorityClass.CLUSTER_CRITICAL,
          containers: [
            sidecar('csi-attacher', s.attacher, ['--timeout=3m', '--leader-election=true', '--default-fstype=ext4']),
            sidecar('csi-provisioner', s.provisioner, [
              '--timeout=3m', '--default-fstype=ext4', '--feature-gates=Topology=true', '--extra-create-metadata', '--leader-election=true',
            ]),
            sidecar('csi-snapshotter', s.snapshotter, ['--timeout=3m', '--extra-create-metadata', '--leader-election=true']),
            sidecar('csi-resizer', s.resizer, ['--timeout=3m', '--handle-volume-inuse-error=false', '--leader-election=true']),
            {
              name: 'liveness-probe',
              image: s.livenessProbe,
              args: ['--csi-address=$(ADDRESS)'],
              env: addressEnv(`${SOCKET}csi.sock`),
              resources: SIDECAR_REQUESTS,
              volumeMounts: [socketMount],
            },
            {
              name: 'cinder-csi-plugin',
              image,
              args: [
                '/bin/cinder-csi-plugin',
                '--endpoint=$(CSI_ENDPOINT)',
                '--cloud-config=$(CLOUD_CONFIG)',
                '--cluster=$(CLUSTER_NAME)',
                ...(release.sinceV132 ? ['--pvc-annotations'] : []),
                '--v=1',
              ],
              env: [
                { name: 'CSI_ENDPOINT', value: 'unix://csi/csi.sock' },
                { name: 'CLOUD_CONFIG', value: `${CLOUD_CONFIG_DIR}/cloud.conf` },
                { name: 'CLUSTER_NAME', value: clusterName },
              ],
              imagePullPolicy: 'IfNotPresent',
              resources: PLUGIN_REQUESTS,
              ...healthz(10, 60),
              volumeMounts: [{ name: 'socket-dir', mountPath: '/csi' }, cloudConfigMount],
            },
          ],
          volumes: [{ name: 'socket-dir', emptyDir: {} }, cloudConfigVolume],
        },
      },
    },
  });
}

/** manifests/cinder-csi-plugin/cinder-csi-nodeplugin.yaml */
function addNodePlugin(scope: Construct, image: string, release: CinderCsiRelease): void {
  const labels = { app: 'csi-cinder-nodeplugin' };
  const socketMount: k8s.VolumeMount = { name: 'socket-dir', mountPath: '/csi' };
  const hostPath = (name: string, hostDir: string, type: string): k8s.Volume => ({ name, hostPath: { path: hostDir, type } });
  new k8s.KubeDaemonSet(scope, 'NodePlugin', {
    metadata: { name: 'csi-cinder-nodeplugin', namespace: NAMESPACE },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          // Every node, whatever its taints: pods anywhere may mount volumes.
          tolerations: [{ operator: 'Exists' }],
          // Pods on the node cannot mount their volumes without it.
          priorityClassName: SystemPriorityClass.NODE_CRITICAL,
          serviceAccountName: NODE_SA,
          hostNetwork: true,
          containers: [
            {
              name: 'node-driver-registrar',
              image: release.sidecars.nodeDriverRegistrar,
              args: ['--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)'],
              env: [
                ...addressEnv('/csi/csi.sock'),
                { name: 'DRIVER_REG_SOCK_PATH', value: `/var/lib/kubelet/plugins/${DRIVER}/csi.sock` },
                { name: 'KUBE_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              ],
              imagePullPolicy: 'IfNotPresent',
              resources: SIDECAR_REQUESTS,
              volumeMounts: [socketMount, { name: 'registration-dir', mountPath: '/registration' }],
            },
            {
              name: 'liveness-probe',
              image: release.sidecars.livenessProbe,
              args: ['--csi-address=/csi/csi.sock'],
              resources: SIDECAR_REQUESTS,
              volumeMounts: [socketMount],
            },
            {
              name: 'cinder-csi-plugin',
              securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] }, allowPrivilegeEscalation: true },
              image,
              args: [
                '/bin/cinder-csi-plugin',
                '--endpoint=$(CSI_ENDPOINT)',
                ...(release.sinceV132 ? ['--provide-controller-service=false'] : []),
                '--cloud-config=$(CLOUD_CONFIG)',
                '--v=1',
              ],
              env: [
                { name: 'CSI_ENDPOINT', value: 'unix://csi/csi.sock' },
                { name: 'CLOUD_CONFIG', value: `${CLOUD_CONFIG_DIR}/cloud.conf` },
              ],
              imagePullPolicy: 'IfNotPresent',
              resources: PLUGIN_REQUESTS,
              ...healthz(3, 10),
              volumeMounts: [
                socketMount,
                { name: 'kubelet-dir', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' },
                { name: 'pods-probe-dir', mountPath: '/dev', mountPropagation: 'HostToContainer' },
                cloudConfigMount,
              ],
            },
          ],
          volumes: [
            hostPath('socket-dir', `/var/lib/kubelet/plugins/${DRIVER}`, 'DirectoryOrCreate'),
            hostPath('registration-dir', '/var/lib/kubelet/plugins_registry/', 'Directory'),
            hostPath('kubelet-dir', '/var/lib/kubelet', 'Directory'),
            hostPath('pods-probe-dir', '/dev', 'Directory'),
            cloudConfigVolume,
          ],
        },
      },
    },
  });
}

/** kubernetes-csi/external-snapshotter v8.6.0, delivered unchanged (its CRDs are too large to restate). */
const SNAPSHOTTER_FILES = [
  'client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml',
  'client/config/crd/snapshot.storage.k8s.io_volumesnapshotcontents.yaml',
  'client/config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml',
  'deploy/kubernetes/snapshot-controller/rbac-snapshot-controller.yaml',
  'deploy/kubernetes/snapshot-controller/setup-snapshot-controller.yaml',
];

/**
 * The snapshot controller's Deployment, placed as the CSI controller: on control plane nodes, as
 * a critical controller, with requests (upstream: anywhere, none). Other objects unchanged.
 */
function placeSnapshotController(o: any, placement: Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations'>): any {
  if (o.kind !== 'Deployment') return o;
  const pod = o.spec.template.spec;
  return {
    ...o,
    spec: {
      ...o.spec,
      template: {
        ...o.spec.template,
        spec: {
          ...pod,
          ...placement,
          priorityClassName: SystemPriorityClass.CLUSTER_CRITICAL,
          containers: pod.containers.map((c: any) => ({ ...c, resources: { requests: { cpu: '10m', memory: '64Mi' } } })),
        },
      },
    },
  };
}

/** The objects of an upstream file of external-snapshotter v8.6.0, shipped in the package's imports/. */
function upstreamObjects(file: string): any[] {
  const text = fs.readFileSync(path.join(IMPORTS_FOLDER, 'external-snapshotter', 'v8.6.0', file), 'utf8');
  return parseAllDocuments(text).map(d => d.toJSON()).filter(o => o !== null && o !== undefined);
}
