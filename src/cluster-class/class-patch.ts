/** What a ClusterClass patch changes. */
export enum ClassPatchTarget {
  /** The KubeadmControlPlaneTemplate (kubeadm configuration of the control plane). */
  CONTROL_PLANE = 'controlPlane',
  /** The control plane's OpenStackMachineTemplate. */
  CONTROL_PLANE_MACHINE = 'controlPlaneMachine',
  /** The OpenStackClusterTemplate (network, API server, security groups, credentials). */
  INFRASTRUCTURE_CLUSTER = 'infrastructureCluster',
  /** The workers' OpenStackMachineTemplates. */
  WORKER_MACHINE = 'workerMachine',
  /** The workers' KubeadmConfigTemplates. */
  WORKER_BOOTSTRAP = 'workerBootstrap',
}

/** A patch of a ClusterClass: sets one field of a template from a variable (or a Go template of variables). */
export interface ClusterClassPatchOptions {
  /** The patch's name, unique in the class. */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /** The template it changes. */
  readonly target: ClassPatchTarget;
  /**
   * JSON pointer of the field in the template, starting with `/spec/template/spec/`. CAPI applies
   * it as a JSON patch `add` (RFC 6902): the field's parent must be in the template (or be added
   * by an earlier patch), which is checked at synth time.
   */
  readonly path: string;
  /** The variable whose value the field takes. Give this or `template`. @default - none */
  readonly variable?: string;
  /** A Go template of the variables (`{{ .imageName }}`) giving the value as YAML. @default - none */
  readonly template?: string;
  /** With `variable`: apply only when the cluster sets it. @default true */
  readonly onlyIfSet?: boolean;
  /**
   * A Go template of the variables that renders `true` when the patch applies, e.g.
   * `{{ if .bastion }}{{ .bastion.enabled }}{{ end }}`; replaces `onlyIfSet`.
   * @default - from `onlyIfSet`
   */
  readonly enabledIf?: string;
  /** With WORKER_* targets: the worker classes it applies to. @default - every worker class */
  readonly workerClasses?: string[];
}

/** The kind each target selects, as the ClusterClass patch selectors name them. */
export const PATCH_TARGET_KINDS: { [target: string]: { apiVersion: string; kind: string } } = {
  [ClassPatchTarget.CONTROL_PLANE]: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlaneTemplate' },
  [ClassPatchTarget.CONTROL_PLANE_MACHINE]: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachineTemplate' },
  [ClassPatchTarget.INFRASTRUCTURE_CLUSTER]: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackClusterTemplate' },
  [ClassPatchTarget.WORKER_MACHINE]: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachineTemplate' },
  [ClassPatchTarget.WORKER_BOOTSTRAP]: { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2', kind: 'KubeadmConfigTemplate' },
};

/** Whether a target is one of the worker classes' templates. */
export function isWorkerTarget(target: ClassPatchTarget): boolean {
  return target === ClassPatchTarget.WORKER_MACHINE || target === ClassPatchTarget.WORKER_BOOTSTRAP;
}
