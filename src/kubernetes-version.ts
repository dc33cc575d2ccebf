import * as semver from 'semver';

/** The form every Kubernetes version prop takes, e.g. `v1.32.4`. */
export const KUBERNETES_VERSION_RULE = 'must be a Kubernetes release version "vX.Y.Z", e.g. "v1.32.4"';

/**
 * The kubelet version skew policy (kubernetes.io/releases/version-skew-policy): a kubelet may be up
 * to three minor versions older than the API server, and never newer.
 */
export const MAX_KUBELET_MINOR_SKEW = 3;

/** Parses `vX.Y.Z`; undefined when the text is not a plain release version. */
export function parseKubernetesVersion(version: string): semver.SemVer | undefined {
  if (typeof version !== 'string' || !/^v\d+\.\d+\.\d+$/.test(version)) return undefined;
  return semver.parse(version) ?? undefined;
}

/**
 * Why a node version may not join a control plane of another version, or undefined when the skew
 * policy allows it. Both versions must already parse.
 */
export function kubeletSkewProblem(controlPlane: string, node: string): string | undefined {
  const cp = parseKubernetesVersion(controlPlane)!;
  const kubelet = parseKubernetesVersion(node)!;
  if (semver.gt(kubelet, cp)) {
    return `must not be newer than the control plane's ${controlPlane} (version skew policy)`;
  }
  if (cp.major !== kubelet.major || cp.minor - kubelet.minor > MAX_KUBELET_MINOR_SKEW) {
    return `must be at most ${MAX_KUBELET_MINOR_SKEW} minor versions older than the control plane's ${controlPlane} (version skew policy)`;
  }
  return undefined;
}

/** `v1.32.4` → `1.32`: the minor release add-on images are matched to. */
export function kubernetesMinor(version: string): string {
  const v = parseKubernetesVersion(version);
  if (!v) throw new Error(`not a Kubernetes version: ${version}`);
  return `${v.major}.${v.minor}`;
}
