/**
 * The pinned CRD files the typed classes in `src/imports/` are generated from (paths relative to
 * the repository root). The default version pair: CAPI v1.10.5 and CAPO v0.12.4.
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
