import { ApiObject, Lazy } from 'cdk8s';

/** The label every cluster carries, and add-ons select it by. */
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';

/**
 * Longest name of an object that machines are named after (KubeadmControlPlane, MachineDeployment):
 * CAPI appends up to 12 characters (`-<machineset>-<machine>`) and the machine name becomes the
 * server's host name, a DNS label of at most 63 characters.
 */
export const MAX_MACHINE_OWNER_NAME_LENGTH = 51;

/**
 * A reference to another object, as CAPI's `*Ref` fields take it. The name is read when the app
 * synthesizes: a template's name follows its spec as finally rendered (see rendered-name.ts).
 */
export function objectReference(target: ApiObject) {
  return { apiVersion: target.apiVersion, kind: target.kind, name: Lazy.any({ produce: () => target.name }) as string };
}
