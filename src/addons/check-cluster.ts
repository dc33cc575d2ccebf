import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';

/**
 * Checks that an add-on's `cluster` prop is a cluster. Duck-typed rather than `instanceof`: an app
 * may load this library twice (e.g. compiled and from source), and clusters of both copies work.
 */
export function checkCluster(errors: InputErrors, cluster: ICapiCluster): void {
  const ok = !!cluster && typeof cluster === 'object' && typeof cluster.name === 'string' && typeof cluster.namespace === 'string'
    && typeof cluster.kubernetesVersion === 'string' && !!cluster.selectorLabels && Array.isArray(cluster.podCidrs);
  errors.check(ok, 'cluster', ok ? undefined : String(cluster), 'must be a cluster (an ICapiCluster such as OpenStackCapiCluster)');
}
