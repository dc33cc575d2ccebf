import { ApiObject } from 'cdk8s';

/**
 * The version-neutral description of each Cluster API object the library writes. Constructs build
 * these from their props, checked once; a renderer per API version turns them into objects
 * (`capi-renderer.ts`). Names of other objects are given as the objects themselves: a renderer
 * knows how its version refers to them.
 */

/** Name, namespace, labels and annotations of an object. */
export interface ObjectMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
}

/** Command line arguments of a component, name to value (kubeadm `extraArgs`). */
export type ComponentArgs = { [name: string]: string };

/** A taint a node registers with. */
export interface TaintModel {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** How a node registers with kubeadm. */
export interface NodeRegistrationModel {
  readonly name: string;
  readonly kubeletExtraArgs: ComponentArgs;
  /** Left out when empty: an explicit empty list would also drop kubeadm's default taints. */
  readonly taints?: TaintModel[];
}

/** A file kubeadm's cloud-init writes on a node: content inline, or from a Secret of the management cluster. */
export interface KubeadmFileModel {
  readonly path: string;
  readonly content?: string;
  readonly contentFromSecret?: { readonly name: string; readonly key: string };
  readonly owner?: string;
  readonly permissions?: string;
}

/** What a node's cloud-init does around kubeadm: the same fields in v1beta1 and v1beta2. */
export interface NodeConfigModel {
  readonly files?: KubeadmFileModel[];
  readonly preKubeadmCommands?: string[];
  readonly postKubeadmCommands?: string[];
  readonly ntpServers?: string[];
  readonly users?: Array<{ readonly name: string; readonly sshAuthorizedKeys: string[]; readonly sudo?: string; readonly groups?: string }>;
  /** cloud-init `disk_setup`/`fs_setup`, as CAPI's `diskSetup` (partitions, filesystems). */
  readonly diskSetup?: { readonly partitions?: any[]; readonly filesystems?: any[] };
  /** cloud-init `mounts`: each `[device, mount point, ...options]`. */
  readonly mounts?: string[][];
}

/** A host path mounted into the API server's static pod (kubeadm `extraVolumes`). */
export interface HostPathVolumeModel {
  readonly name: string;
  readonly hostPath: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  readonly pathType?: string;
}

export interface ClusterModel {
  readonly metadata: ObjectMetadata;
  readonly podCidrs: string[];
  readonly serviceCidrs?: string[];
  readonly serviceDomain: string;
  readonly controlPlane: ApiObject;
  readonly infrastructure: ApiObject;
}

/** How long CAPI waits on a node while it deletes a machine, in seconds; unset: CAPI's defaults. */
export interface DeletionModel {
  readonly nodeDrainTimeoutSeconds?: number;
  readonly nodeVolumeDetachTimeoutSeconds?: number;
  readonly nodeDeletionTimeoutSeconds?: number;
}

export interface ControlPlaneModel {
  readonly metadata: ObjectMetadata;
  readonly replicas: number;
  readonly version: string;
  readonly controllerManagerExtraArgs: ComponentArgs;
  readonly apiServerExtraArgs?: ComponentArgs;
  readonly apiServerExtraVolumes?: HostPathVolumeModel[];
  readonly schedulerExtraArgs?: ComponentArgs;
  readonly etcdExtraArgs?: ComponentArgs;
  /** etcd's data directory, when not kubeadm's `/var/lib/etcd`. */
  readonly etcdDataDir?: string;
  readonly nodeConfig?: NodeConfigModel;
  readonly nodeRegistration: NodeRegistrationModel;
  /** The port each API server listens on, when not kubeadm's 6443 (kubeadm `localAPIEndpoint.bindPort`). */
  readonly apiServerBindPort?: number;
  readonly machineTemplate: ApiObject;
  /** Unset when none was asked for (the blog post's control plane has none). */
  readonly rollout?: {
    readonly maxSurge?: number;
    readonly certificatesExpiryDays?: number;
  };
  readonly remediation?: { readonly maxRetry?: number; readonly retryPeriodSeconds?: number; readonly minHealthyPeriodSeconds?: number };
  readonly deletion?: DeletionModel;
}

/** A pool's rollout. */
export interface MachineDeploymentRolloutModel {
  readonly strategy: string;
  readonly maxSurge?: number;
  readonly maxUnavailable?: number;
  readonly deletionOrder?: string;
  readonly minReadySeconds?: number;
}

export interface BootstrapTemplateModel {
  readonly metadata: ObjectMetadata;
  readonly nodeRegistration: NodeRegistrationModel;
  readonly nodeConfig?: NodeConfigModel;
}

export interface MachineDeploymentModel {
  readonly metadata: ObjectMetadata;
  readonly clusterName: string;
  /** Unset for an autoscaled pool: the autoscaler owns the size. */
  readonly replicas?: number;
  readonly version: string;
  readonly failureDomain?: string;
  readonly bootstrapTemplate: ApiObject;
  readonly machineTemplate: ApiObject;
  readonly rollout?: MachineDeploymentRolloutModel;
  readonly deletion?: DeletionModel;
}

/** A ConfigMap or Secret a ClusterResourceSet lists. */
export interface ResourceSetResourceModel {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
}

export interface ClusterResourceSetModel {
  readonly metadata: ObjectMetadata;
  readonly clusterSelector: { [key: string]: string };
  /** Read when the app synthesizes: resources may be added after the object is created. */
  readonly resources: ResourceSetResourceModel[];
  readonly strategy: string;
}

/** A MachineHealthCheck: machines matching the selector whose node is unhealthy get replaced. */
export interface MachineHealthCheckModel {
  readonly metadata: ObjectMetadata;
  readonly clusterName: string;
  readonly selector: { [key: string]: string };
  readonly nodeStartupTimeoutSeconds: number;
  /** Node conditions that make a machine unhealthy once they last this long. */
  readonly unhealthyNodeConditions: Array<{ readonly type: string; readonly status: string; readonly timeoutSeconds: number }>;
  /** The most unhealthy machines remediated (a count or "N%"), or a range "[min-max]". */
  readonly maxUnhealthy?: number | string;
  readonly unhealthyRange?: string;
}

/** A MachineDrainRule: how the pods it selects are drained from the machines it selects. */
export interface MachineDrainRuleModel {
  readonly metadata: ObjectMetadata;
  readonly behavior: string;
  readonly order?: number;
  /** Each entry selects machines by their labels and their cluster's labels. */
  readonly machines: Array<{ readonly selector?: { [key: string]: string }; readonly clusterSelector: { [key: string]: string } }>;
  readonly pods?: Array<{ readonly selector?: { [key: string]: string }; readonly namespaceSelector?: { [key: string]: string } }>;
}
