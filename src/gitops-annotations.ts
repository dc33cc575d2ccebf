/**
 * Annotations that tell GitOps tools to keep an object they would otherwise delete.
 *
 * - `PRUNE_PROTECTION`: hashed templates. A changed spec gives a template a new name; the old
 *   template is still referenced by the machines being replaced, so it must outlive the sync
 *   that removes it from Git. CAPI garbage-collects nothing here: clean up old templates once the
 *   rollout is done.
 * - `DELETE_PROTECTION`: the cloud credentials Secret. CAPO needs it to delete the cluster's
 *   servers, networks and load balancers; deleted together with the cluster, it would leave them
 *   behind in OpenStack.
 */
export const PRUNE_PROTECTION: { [key: string]: string } = {
  'argocd.argoproj.io/sync-options': 'Prune=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};

export const DELETE_PROTECTION: { [key: string]: string } = {
  'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
  'kustomize.toolkit.fluxcd.io/prune': 'disabled',
};
