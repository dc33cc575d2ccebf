import { InputErrors } from './input-errors';
import { KUBERNETES_VERSION_RULE, parseKubernetesVersion } from './kubernetes-version';
import { UpstreamVersions } from './validation/upstream-versions';

/**
 * The Kubernetes minors a CAPI release supports for workload clusters, from the "Kubernetes
 * version support" section of each release's notes (kubernetes-sigs/cluster-api releases; the
 * CAPI book's "Cluster API and Kubernetes version support" table). A cluster outside its pair's
 * range is refused: KCP and the kubeadm bootstrap provider of that release do not know how to
 * create or upgrade it.
 */
const WORKLOAD_MINORS: { [clusterApi: string]: { min: number; max: number } } = {
  'v1.10.5': { min: 27, max: 33 },
  'v1.13.5': { min: 30, max: 36 },
  'v1.14.0': { min: 31, max: 36 },
};

/** The range as text, e.g. `v1.27.x to v1.33.x`, or undefined when the pair is not in the table. */
export function workloadRange(versions: UpstreamVersions): { min: number; max: number } | undefined {
  return WORKLOAD_MINORS[versions.clusterApi];
}

/** Why a workload cluster of this minor (1.x) is not supported by the pair, or undefined. */
export function workloadVersionProblem(versions: UpstreamVersions, minor: number): string | undefined {
  const range = workloadRange(versions);
  if (!range || (minor >= range.min && minor <= range.max)) return undefined;
  return `is not supported for workload clusters by CAPI ${versions.clusterApi} (v1.${range.min}.x to v1.${range.max}.x, its release notes): `
    + 'choose a version in that range or other upstreamVersions';
}

/** Checks a workload cluster's Kubernetes version: a release version, of a minor the pair supports. */
export function checkWorkloadKubernetesVersion(errors: InputErrors, prop: string, version: string, versions: UpstreamVersions): void {
  const parsed = parseKubernetesVersion(version);
  if (errors.check(parsed !== undefined, prop, version, KUBERNETES_VERSION_RULE)) {
    const problem = workloadVersionProblem(versions, parsed!.minor);
    errors.check(problem === undefined, prop, version, problem ?? '');
  }
}
