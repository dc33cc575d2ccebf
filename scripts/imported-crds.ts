/**
 * The pinned CRD files the typed classes in `src/imports/` are generated from (paths relative to
 * the repository root), as sets: each set is generated into its own folder, one file per API group.
 */
export interface ImportedCrdSet {
  /** The folder the set is written to, relative to `src/imports/` ('' for `src/imports/` itself). */
  readonly outdir: string;
  /**
   * The one version of each CRD to generate, named without suffix. Unset: every served version,
   * the first listed one without suffix.
   */
  readonly version?: string;
  readonly files: string[];
}

/**
 * The default version pair, CAPI v1.10.5 and CAPO v0.12.4, in their served v1beta1 (the `capi` and
 * `capo` namespaces).
 */
export const IMPORTED_CRD_FILES = [
  'imports/cluster-api/v1.10.5/config/crd/bases/cluster.x-k8s.io_clusters.yaml',
  'imports/cluster-api/v1.10.5/config/crd/bases/cluster.x-k8s.io_machinedeployments.yaml',
  'imports/cluster-api/v1.10.5/config/crd/bases/cluster.x-k8s.io_machinehealthchecks.yaml',
  'imports/cluster-api/v1.10.5/config/crd/bases/addons.cluster.x-k8s.io_clusterresourcesets.yaml',
  'imports/cluster-api/v1.10.5/controlplane/kubeadm/config/crd/bases/controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml',
  'imports/cluster-api/v1.10.5/bootstrap/kubeadm/config/crd/bases/bootstrap.cluster.x-k8s.io_kubeadmconfigtemplates.yaml',
  'imports/cluster-api-provider-openstack/v0.12.4/config/crd/bases/infrastructure.cluster.x-k8s.io_openstackclusters.yaml',
  'imports/cluster-api-provider-openstack/v0.12.4/config/crd/bases/infrastructure.cluster.x-k8s.io_openstackmachinetemplates.yaml',
];

/**
 * CAPI v1.14.0 in v1beta2, its storage version (the `capiV1beta2` namespace). CAPI v1.14.0 keeps
 * its core CRDs in `core/config/crd/bases/`, as upstream does.
 */
export const IMPORTED_CAPI_V1BETA2_FILES = [
  'imports/cluster-api/v1.14.0/core/config/crd/bases/cluster.x-k8s.io_clusters.yaml',
  'imports/cluster-api/v1.14.0/core/config/crd/bases/cluster.x-k8s.io_clusterclasses.yaml',
  'imports/cluster-api/v1.14.0/core/config/crd/bases/cluster.x-k8s.io_machinedeployments.yaml',
  'imports/cluster-api/v1.14.0/core/config/crd/bases/cluster.x-k8s.io_machinehealthchecks.yaml',
  'imports/cluster-api/v1.14.0/core/config/crd/bases/cluster.x-k8s.io_machinedrainrules.yaml',
  'imports/cluster-api/v1.14.0/core/config/crd/bases/addons.cluster.x-k8s.io_clusterresourcesets.yaml',
  'imports/cluster-api/v1.14.0/controlplane/kubeadm/config/crd/bases/controlplane.cluster.x-k8s.io_kubeadmcontrolplanes.yaml',
  'imports/cluster-api/v1.14.0/controlplane/kubeadm/config/crd/bases/controlplane.cluster.x-k8s.io_kubeadmcontrolplanetemplates.yaml',
  'imports/cluster-api/v1.14.0/bootstrap/kubeadm/config/crd/bases/bootstrap.cluster.x-k8s.io_kubeadmconfigtemplates.yaml',
];

export const IMPORTED_CRD_SETS: ImportedCrdSet[] = [
  { outdir: '', files: IMPORTED_CRD_FILES },
  { outdir: 'v1beta2', version: 'v1beta2', files: IMPORTED_CAPI_V1BETA2_FILES },
];
