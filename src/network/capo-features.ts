import { UpstreamVersions } from '../validation/upstream-versions';

/**
 * OpenStackCluster API fields (and kinds) CAPO v0.14 has and CAPO v0.12 lacks, as their CRDs show
 * (imports/cluster-api-provider-openstack/<version>/config/crd/bases/): a pair with CAPO v0.12
 * would refuse them (unknown field) or, for `type`, drop it and read the identity as a Secret.
 */
export enum CapoFeature {
  /** `OpenStackCluster.spec.apiServerLoadBalancer.monitor`. */
  LOAD_BALANCER_MONITOR = 'apiServerLoadBalancer.monitor',
  /** `OpenStackCluster.spec.identityRef.type` (`ClusterIdentity`). */
  IDENTITY_REF_TYPE = 'identityRef.type',
  /** The kind `OpenStackClusterIdentity` (`infrastructure.cluster.x-k8s.io/v1alpha1`). */
  CLUSTER_IDENTITY_KIND = 'OpenStackClusterIdentity',
}

/** Why the pair's CAPO lacks the feature, or undefined when it has it. */
export function missingCapoFeature(versions: UpstreamVersions, feature: CapoFeature): string | undefined {
  if (!versions.openStackProvider.startsWith('v0.12.')) return undefined;
  const what = feature === CapoFeature.CLUSTER_IDENTITY_KIND ? 'OpenStackClusterIdentity kind' : `OpenStackCluster field spec.${feature}`;
  return `needs CAPO v0.14: ${versions} has no ${what} (its pinned CRDs)`;
}
