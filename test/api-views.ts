import { UpstreamVersions } from '../src';

/**
 * Views of synthesized objects that read the same with every API version, for tests that must
 * hold with every renderer (v1beta1 refs carry `apiVersion` and kubeadm args are maps; v1beta2
 * refs carry `apiGroup` and args are lists of `{name, value}`).
 */

/** Every pinned pair, as `describe.each` rows. */
export const PAIRS: Array<[string, UpstreamVersions]> = UpstreamVersions.all().map(v => [v.toString(), v]);

/** kubeadm arguments as a map, from either form; undefined when absent. */
export function args(value: unknown): { [name: string]: string } | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return Object.fromEntries(value.map(({ name, value: v }) => [name, v]));
  return value as { [name: string]: string };
}

/** A reference as `{group, kind, name}`, from either form. */
export function ref(value: any): { group: string; kind: string; name: string } {
  return { group: value.apiGroup ?? String(value.apiVersion).split('/')[0], kind: value.kind, name: value.name };
}

/** The KubeadmControlPlane's infrastructure ref (under `machineTemplate.spec` in v1beta2). */
export function controlPlaneInfrastructureRef(kcp: any): any {
  return kcp.spec.machineTemplate.spec?.infrastructureRef ?? kcp.spec.machineTemplate.infrastructureRef;
}

/** The API version a pair writes a Cluster API group in, e.g. `cluster.x-k8s.io/v1beta2`. */
export function capiApiVersion(group: string, versions: UpstreamVersions): string {
  return `${group}/${versions.clusterApiVersion}`;
}
