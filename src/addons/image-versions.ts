import { InputErrors } from '../input-errors';
import { kubernetesMinor, parseKubernetesVersion } from '../kubernetes-version';

/**
 * Images whose version must follow the workload cluster's Kubernetes minor, one pinned tag per
 * minor. Every tag below is a published release; add a row when a new minor is supported.
 */
export const KUBECTL_IMAGES: { [minor: string]: string } = {
  // alpine/k8s (github.com/alpine-docker/k8s): kubectl with a shell and curl, tagged per
  // Kubernetes patch release.
  '1.30': 'docker.io/alpine/k8s:1.30.14',
  '1.31': 'docker.io/alpine/k8s:1.31.13',
  '1.32': 'docker.io/alpine/k8s:1.32.13',
  '1.33': 'docker.io/alpine/k8s:1.33.13',
};

/** cluster-autoscaler: its minor must match the cluster's (kubernetes/autoscaler FAQ). */
export const CLUSTER_AUTOSCALER_IMAGES: { [minor: string]: string } = {
  1.31: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.31.1',
  1.32: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.7',
  1.33: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6',
};

/** The OpenStack cloud controller manager: cloud-provider-openstack releases follow Kubernetes minors. */
export const OPENSTACK_CCM_IMAGES: { [minor: string]: string } = {
  1.31: 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.31.3',
  1.32: 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.32.1',
  1.33: 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.33.1',
};

/**
 * The image for the cluster's Kubernetes minor, or a problem: the rule to report when the minor is
 * not in the table. Returns undefined image for an unparsable version (the cluster reports that).
 */
export function imageForMinor(table: { [minor: string]: string }, kubernetesVersion: string, what: string,
  prop = 'image'): { image?: string; problem?: string } {
  if (!parseKubernetesVersion(kubernetesVersion)) return {};
  const minor = kubernetesMinor(kubernetesVersion);
  const image = table[minor];
  if (image) return { image };
  return {
    problem: `has no known ${what} image for Kubernetes ${minor} (known: ${Object.keys(table).join(', ')}): set ${prop} to a pinned image built for ${minor}`,
  };
}

/**
 * The image an add-on runs: the one given, which must be pinned, or the table's for the cluster's
 * Kubernetes minor, which must exist. Problems are recorded against `prop`.
 */
export function resolveImage(errors: InputErrors, prop: string, given: string | undefined,
  table: { [minor: string]: string }, kubernetesVersion: string, what: string): string {
  if (given !== undefined) {
    const problem = imagePinProblem(given);
    if (problem) errors.add(prop, given, problem);
    return given;
  }
  const { image, problem } = imageForMinor(table, kubernetesVersion, what, prop);
  if (problem) errors.add(prop, undefined, problem);
  return image ?? '';
}

/** Why an image reference is not pinned to a version, or undefined when it is. */
export function imagePinProblem(image: string): string | undefined {
  if (typeof image !== 'string' || image.trim() !== image || image === '') return 'must be an image reference';
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'must be pinned to a version: add a tag (e.g. ":v1.32.1") or a digest ("@sha256:...")';
  const tag = lastSegment.slice(colon + 1);
  if (tag === '' || tag === 'latest') return 'must be pinned to a version, not to the moving tag "latest"';
  // "stable", "main", "edge"... move like latest: a version tag has a number in it.
  if (!/\d/.test(tag)) return `must be pinned to a version: tag ":${tag}" names no version`;
  return undefined;
}

/**
 * The Cinder CSI plugin: one image per cloud-provider-openstack release, whose minor follows
 * Kubernetes' (the newest patch release of each, as the CCM's).
 */
export const CINDER_CSI_PLUGIN_IMAGES: { [minor: string]: string } = {
  1.31: 'registry.k8s.io/provider-os/cinder-csi-plugin:v1.31.4',
  1.32: 'registry.k8s.io/provider-os/cinder-csi-plugin:v1.32.1',
  1.33: 'registry.k8s.io/provider-os/cinder-csi-plugin:v1.33.1',
};

/** The CSI sidecars of the Cinder CSI plugin's pods. */
export interface CsiSidecarImages {
  readonly attacher: string;
  readonly provisioner: string;
  readonly snapshotter: string;
  readonly resizer: string;
  readonly livenessProbe: string;
  readonly nodeDriverRegistrar: string;
}

/** The sidecars cloud-provider-openstack v1.32.x and v1.33.x pin (`manifests/cinder-csi-plugin/`). */
const CSI_SIDECARS_1_32: CsiSidecarImages = {
  attacher: 'registry.k8s.io/sig-storage/csi-attacher:v4.7.0',
  provisioner: 'registry.k8s.io/sig-storage/csi-provisioner:v5.1.0',
  snapshotter: 'registry.k8s.io/sig-storage/csi-snapshotter:v8.1.0',
  resizer: 'registry.k8s.io/sig-storage/csi-resizer:v1.12.0',
  livenessProbe: 'registry.k8s.io/sig-storage/livenessprobe:v2.14.0',
  nodeDriverRegistrar: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.12.0',
};

/**
 * The CSI sidecars each cloud-provider-openstack release pins in its `manifests/cinder-csi-plugin/`
 * (v1.31.4, v1.32.1, v1.33.1): they follow the plugin's release, not the image given to the add-on.
 */
export const CINDER_CSI_SIDECAR_IMAGES: { [minor: string]: CsiSidecarImages } = {
  1.31: {
    attacher: 'registry.k8s.io/sig-storage/csi-attacher:v4.4.2',
    provisioner: 'registry.k8s.io/sig-storage/csi-provisioner:v3.6.2',
    snapshotter: 'registry.k8s.io/sig-storage/csi-snapshotter:v6.3.2',
    resizer: 'registry.k8s.io/sig-storage/csi-resizer:v1.9.2',
    livenessProbe: 'registry.k8s.io/sig-storage/livenessprobe:v2.11.0',
    nodeDriverRegistrar: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.9.2',
  },
  1.32: CSI_SIDECARS_1_32,
  1.33: CSI_SIDECARS_1_32,
};
