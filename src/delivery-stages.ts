/**
 * The order a GitOps tool applies a cluster's objects in, one folder each when the output is
 * delivered by Argo CD or Flux: what everything else needs (namespace, credentials, RBAC), then
 * what is referenced (templates, the add-ons' ConfigMaps, classes), then the cluster and the
 * objects that act (Cluster, OpenStackCluster, control plane, MachineDeployments, health checks,
 * ClusterResourceSets, HelmChartProxies...). CAPI would converge in any order, but an object
 * applied before what it references fails its first reconcile and reports errors until it exists.
 */
export interface DeliveryStage {
  /** Folder of the stage inside a chart's folder; the number orders them. */
  readonly folder: string;
  /** Flux Kustomization suffix and README name. */
  readonly name: string;
  /** Argo CD sync wave (`argocd.argoproj.io/sync-wave`). */
  readonly wave: number;
}

export const BASE_STAGE: DeliveryStage = { folder: '1-base', name: 'base', wave: -1 };
export const TEMPLATES_STAGE: DeliveryStage = { folder: '2-templates', name: 'templates', wave: 0 };
export const CLUSTER_STAGE: DeliveryStage = { folder: '3-cluster', name: 'cluster', wave: 1 };
export const DELIVERY_STAGES = [BASE_STAGE, TEMPLATES_STAGE, CLUSTER_STAGE];

const BASE_KINDS = new Set([
  'Namespace', 'Secret', 'OpenStackClusterIdentity', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding',
  'ResourceQuota', 'DataStore',
]);

/** The stage of an object, by its kind. */
export function stageOf(manifest: { kind?: unknown }): DeliveryStage {
  const kind = String(manifest.kind);
  if (BASE_KINDS.has(kind)) return BASE_STAGE;
  if (kind === 'ConfigMap' || kind === 'ClusterClass' || kind.endsWith('Template')) return TEMPLATES_STAGE;
  return CLUSTER_STAGE;
}
