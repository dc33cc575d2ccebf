import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { autoscalingOptionAnnotations, capacityAnnotations, MAX_SIZE_ANNOTATION, MIN_SIZE_ANNOTATION } from './autoscaler-annotations';
import { bootstrapTemplateFor } from './bootstrap-templates';
import { rendererFor } from './capi-api';
import { ICapiCluster } from './cluster-contract';
import { Flavor } from './flavor';
import { MachineHealthCheckOptions, resolveHealthCheck } from './health-check';
import { InputErrors } from './input-errors';
import { resolveNodeBootstrap, NodeBootstrapOptions } from './kubeadm-options';
import { KubeletOptions, resolveKubelet } from './kubelet-options';
import { kubeletLabelProblem, kubeletNodeRegistration } from './kubelet-registration';
import { kubeletSkewProblem, KUBERNETES_VERSION_RULE, parseKubernetesVersion } from './kubernetes-version';
import { checkMachineOptions, POOL_MACHINE_PROPS } from './machine/machine-rules';
import { DEPLOYMENT_NAME_LABEL, machineHealthCheck } from './machine-health-check';
import { MachineImage } from './machine-image';
import { MachineOptions, ServerGroup } from './machine-options';
import { openStackMachineTemplate } from './machine-template';
import { CLUSTER_NAME_LABEL } from './naming';
import { NodeTaint, TaintEffect } from './node-taint';
import { RegistryMirror, registryMirrorFiles } from './registry-mirrors';
import { NodeDeletionOptions, NodePoolRolloutOptions, resolveDeletion, resolvePoolRollout } from './rollout-options';
import { labelKeyProblem, labelValueProblem } from './rules';
import { checkFlavor, checkImage, checkLabels, checkMachineOwnerName } from './shared-rules';

/** Size limits the cluster-autoscaler keeps a pool within. */
export interface NodePoolAutoscaling {
  /** Fewest nodes; 0 lets the pool scale from zero (the flavor's capacity must then be known). */
  readonly minSize: number;
  /** Most nodes. */
  readonly maxSize: number;

  /**
   * Below this share of its CPU and memory requested, a node of the pool may be removed
   * (overrides the autoscaler's `--scale-down-utilization-threshold`), from 0 to 1.
   * @default - the autoscaler's: 0.5
   */
  readonly scaleDownUtilizationThreshold?: number;

  /**
   * The same for GPU nodes, by their GPU requests (`--scale-down-gpu-utilization-threshold`).
   * @default - the autoscaler's: 0.5
   */
  readonly scaleDownGpuUtilizationThreshold?: number;

  /**
   * How long a node of the pool must be unneeded before removal (`--scale-down-unneeded-time`).
   * @default - the autoscaler's setting
   */
  readonly scaleDownUnneededTime?: Duration;

  /**
   * How long an unready node of the pool must be unneeded before removal (`--scale-down-unready-time`).
   * @default - the autoscaler's setting
   */
  readonly scaleDownUnreadyTime?: Duration;

  /**
   * How long a new node of the pool may take to register before the autoscaler gives up on it
   * (`--max-node-provision-time`): raise it for flavors that boot slowly (GPUs, large volumes).
   * @default - the autoscaler's: 15 minutes
   */
  readonly maxNodeProvisionTime?: Duration;
}

/** Options of a node pool, for `OpenStackCapiCluster.addNodePool`. */
export interface NodePoolOptions {
  /**
   * The pool's name; objects are named `<cluster>-<pool>-worker`.
   * @default - the construct id
   */
  readonly name?: string;

  /** Flavor of the pool's servers. Give its capacity (`Flavor.of`) to scale from zero. */
  readonly flavor: Flavor;

  /**
   * What the pool's servers are made of besides flavor and image: a root volume (required with a
   * flavor without a local disk; its size is the ephemeral disk announced to the autoscaler),
   * extra disks, a server group, metadata, ports and security groups.
   * @default - servers boot from the flavor's disk, with one port on the cluster's network
   */
  readonly machine?: MachineOptions;

  /**
   * Image of the pool's servers.
   * @default - the cluster's image
   */
  readonly image?: MachineImage;

  /**
   * Nova key pair of the pool's servers.
   * @default - the cluster's
   */
  readonly sshKeyName?: string;

  /**
   * Availability zone of the pool's servers, e.g. `nova`.
   * @default - none: Nova schedules
   */
  readonly failureDomain?: string;

  /**
   * Let the cluster-autoscaler size the pool between these limits.
   * @default - fixed size: `replicas`
   */
  readonly autoscaling?: NodePoolAutoscaling;

  /**
   * Number of nodes of a fixed-size pool. Refused with `autoscaling`: the autoscaler owns the size,
   * and CAPI starts the pool at `minSize`.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Labels the nodes register with (kubelet `--node-labels`); also announced to the autoscaler.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Taints the nodes register with; also announced to the autoscaler.
   * @default - none
   */
  readonly taints?: NodeTaint[];

  /**
   * Kubernetes version of the pool. Its minor must be the control plane's: CAPI's MachineSet
   * preflight check `KubeadmVersionSkew` (on by default since CAPI v1.9) blocks new machines of a
   * kubeadm pool whose minor differs, so such a pool could not scale up nor replace a machine.
   * @default - the cluster's version
   */
  readonly kubernetesVersion?: string;

  /**
   * Accept a pool one to three minors behind the control plane, for the window of an upgrade:
   * the pool keeps its machines, but gets no new ones (scale-ups and remediation are blocked by
   * the `KubeadmVersionSkew` preflight check) until it is upgraded. Synth prints a warning.
   * @default false
   */
  readonly allowMinorVersionSkew?: boolean;

  /**
   * The pool's MachineHealthCheck: a machine whose node stays not Ready is replaced.
   * @default - on: not Ready for 5 minutes, or no node after 10; at most max(1, 40% of the
   * pool's smallest non-zero size) machines remediated at once
   */
  readonly healthCheck?: MachineHealthCheckOptions;

  /**
   * How the pool replaces its machines when its templates change, and which go first when it shrinks.
   * @default - CAPI's defaults: a rolling update one machine above the size, removing random machines
   */
  readonly rollout?: NodePoolRolloutOptions;

  /**
   * How long CAPI waits on a node while it deletes one of the pool's machines.
   * @default - CAPI's defaults: no limit on draining nor on volume detachment
   */
  readonly deletion?: NodeDeletionOptions;

  /**
   * Files, commands and NTP servers of the pool's nodes, around `kubeadm join`.
   * @default - none
   */
  readonly bootstrap?: NodeBootstrapOptions;

  /**
   * Kubelet settings of the pool's nodes: max pods, reservations, eviction thresholds, feature
   * gates, flags. The autoscaler's capacity annotations follow them.
   * @default - the kubelet's defaults
   */
  readonly kubelet?: KubeletOptions;

  /**
   * Registry mirrors of the pool's nodes, besides the cluster's (`registryMirrors`).
   * @default - the cluster's only
   */
  readonly registryMirrors?: RegistryMirror[];
}

/** Every option of {@link NodePoolProps}: any other key is a misspelling. */
const NODE_POOL_PROP_NAMES = [
  'cluster', 'name', 'flavor', 'image', 'sshKeyName', 'failureDomain', 'autoscaling', 'replicas', 'labels', 'taints',
  'kubernetesVersion', 'allowMinorVersionSkew', 'healthCheck', 'rollout', 'deletion', 'machine', 'bootstrap',
  'kubelet', 'registryMirrors',
] as const;
// Fails to compile when an option is added to the interface but not to the list.
const ALL_NODE_POOL_PROPS_LISTED: Record<Exclude<keyof NodePoolProps, typeof NODE_POOL_PROP_NAMES[number]>, never> = {};
void ALL_NODE_POOL_PROPS_LISTED;

/**
 * The node label cluster-autoscaler's clusterapi provider recognises GPU nodes by
 * (cluster-autoscaler/cloudprovider/clusterapi/README.md, "Special note on GPU instances"): without
 * it, the autoscaler takes a new GPU node for one without GPUs until the device plugin reports
 * them, and scales up again.
 */
export const GPU_ACCELERATOR_LABEL = 'cluster-api/accelerator';

/** Props of a {@link NodePool}. */
export interface NodePoolProps extends NodePoolOptions {
  /** The cluster the pool belongs to. */
  readonly cluster: ICapiCluster;
}

/** The valid pools of each cluster, in the order they were created. */
const poolsByCluster = new WeakMap<ICapiCluster, NodePool[]>();

/**
 * A pool of worker nodes: a `MachineDeployment`, its `OpenStackMachineTemplate`, and the
 * `KubeadmConfigTemplate` it boots with (shared with the pools that register alike).
 */
export class NodePool extends Construct {
  /** The pools of a cluster, in the order they were created. */
  public static of(cluster: ICapiCluster): NodePool[] {
    return [...(poolsByCluster.get(cluster) ?? [])];
  }

  /** The pool's name. */
  public readonly name: string;
  /** The cluster the pool belongs to. */
  public readonly cluster: ICapiCluster;
  /** Kubernetes version of the pool's nodes. */
  public readonly kubernetesVersion: string;
  /** The `MachineDeployment` object, in the API version of the cluster's `upstreamVersions`. */
  public readonly machineDeployment: ApiObject;
  /** The pool's `OpenStackMachineTemplate`. */
  public readonly machineTemplate: ApiObject;
  /** The `KubeadmConfigTemplate` the pool's nodes boot with (shared with pools that register alike). */
  public readonly bootstrapTemplate: ApiObject;
  /** The most machines the pool runs: its autoscaling maximum, or its replicas. */
  public readonly maxReplicas: number;
  /** The most machines the pool has at once: `maxReplicas` and, while it rolls, its surge. */
  public readonly maxMachines: number;
  /** The server group of the pool's servers, when it has one. */
  public readonly serverGroup?: ServerGroup;
  /** The labels the nodes register with (the pool's, and the GPU label for GPU flavors). */
  public readonly nodeLabels: { [key: string]: string };
  /** The pool's `MachineHealthCheck`, unless health checks are off. */
  public readonly machineHealthCheck?: ApiObject;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    errors.checkPropNames('NodePoolOptions', props, NODE_POOL_PROP_NAMES);
    errors.throwIfAny();
    const cluster = props.cluster;
    this.cluster = cluster;
    this.name = props.name ?? id;
    this.kubernetesVersion = props.kubernetesVersion ?? cluster.kubernetesVersion;
    const labels = props.labels ?? {};
    const taints = props.taints ?? [];

    errors.checkStringMap('labels', props.labels);
    errors.checkBoolean('allowMinorVersionSkew', props.allowMinorVersionSkew);
    errors.checkList('taints', props.taints, t => typeof t === 'object' && t !== null, 'taints ({ key, value, effect })');
    if (props.autoscaling !== undefined) {
      errors.check(typeof props.autoscaling === 'object' && props.autoscaling !== null, 'autoscaling', props.autoscaling, 'must be { minSize, maxSize }');
    }
    errors.throwIfAny();
    checkNodePoolProps(errors, this, props, labels, taints);
    const healthCheck = resolveHealthCheck(errors, 'healthCheck', props.healthCheck,
      props.autoscaling ? props.autoscaling : { minSize: props.replicas ?? 1, maxSize: props.replicas ?? 1 });
    const rollout = resolvePoolRollout(errors, 'rollout', props.rollout);
    const deletion = resolveDeletion(errors, 'deletion', props.deletion);
    const userConfig = resolveNodeBootstrap(errors, 'bootstrap', props.bootstrap);
    // The cluster's registry mirrors were checked by the cluster; a registry the pool mirrors
    // too would get two hosts.toml files.
    const mirrorFiles = [
      ...registryMirrorFiles(new InputErrors(this), 'registryMirrors', cluster.registryMirrors),
      ...registryMirrorFiles(errors, 'registryMirrors', props.registryMirrors),
    ];
    for (const mirror of props.registryMirrors ?? []) {
      errors.check(!cluster.registryMirrors.some(m => m.registry === mirror?.registry), 'registryMirrors', mirror?.registry,
        'is mirrored by the cluster already');
    }
    const nodeConfig = mirrorFiles.length > 0 ? { ...userConfig, files: [...(userConfig?.files ?? []), ...mirrorFiles] } : userConfig;
    const kubelet = resolveKubelet(errors, 'kubelet', props.kubelet);
    const autoscalingOptions = props.autoscaling ? autoscalingOptionAnnotations(errors, props.autoscaling) : {};
    if (props.autoscaling) {
      errors.checkPropNames('NodePoolAutoscaling', props.autoscaling, [
        'minSize', 'maxSize', 'scaleDownUtilizationThreshold', 'scaleDownGpuUtilizationThreshold', 'scaleDownUnneededTime',
        'scaleDownUnreadyTime', 'maxNodeProvisionTime',
      ], 'autoscaling');
    }
    const clash = NodePool.of(cluster).find(p => p.name === this.name);
    errors.check(!clash, 'name', this.name, `must be unique within cluster "${cluster.name}": ${clash?.node.path} has it already`);
    errors.throwIfAny();
    // Only a valid pool is part of the cluster: after a refused one, the app may go on without it.
    poolsByCluster.set(cluster, [...NodePool.of(cluster), this]);

    this.maxReplicas = props.autoscaling?.maxSize ?? props.replicas ?? 1;
    const surge = rollout?.strategy === 'OnDelete' ? 0 : rollout?.maxSurge ?? 1;
    this.maxMachines = this.maxReplicas + surge;
    this.serverGroup = props.machine?.serverGroup;
    this.nodeLabels = { ...gpuLabel(props.flavor), ...labels };
    const skewed = props.kubernetesVersion !== undefined && minorOf(props.kubernetesVersion) !== minorOf(cluster.kubernetesVersion);
    if (skewed && props.allowMinorVersionSkew) {
      console.warn(`[warning] ${this.node.path}: pool "${this.name}" runs Kubernetes ${props.kubernetesVersion} beside a `
        + `${cluster.kubernetesVersion} control plane: CAPI's KubeadmVersionSkew preflight check blocks its scale-ups and `
        + 'machine replacements until the pool is upgraded to the control plane\'s minor.');
    }

    const baseName = `${cluster.name}-${this.name}-worker`;
    this.machineTemplate = openStackMachineTemplate(this, 'MachineTemplate', cluster, baseName, {
      flavor: props.flavor,
      image: props.image ?? cluster.image,
      sshKeyName: props.sshKeyName ?? cluster.sshKeyName,
      machine: props.machine,
    });
    this.bootstrapTemplate = bootstrapTemplateFor(this, cluster, this.name,
      kubeletNodeRegistration({ nodeName: cluster.nodeName, labels: this.nodeLabels, taints, extraArgs: kubelet.args }), nodeConfig);

    const autoscaling = props.autoscaling;
    this.machineDeployment = rendererFor(cluster.upstreamVersions).machineDeployment(this, 'MachineDeployment', {
      metadata: {
        name: baseName,
        namespace: cluster.namespace,
        labels: { [CLUSTER_NAME_LABEL]: cluster.name },
        annotations: autoscaling ? {
          [MIN_SIZE_ANNOTATION]: String(autoscaling.minSize),
          [MAX_SIZE_ANNOTATION]: String(autoscaling.maxSize),
          ...autoscalingOptions,
          ...capacityAnnotations(props.flavor, this.nodeLabels, taints, props.machine, kubelet),
        } : undefined,
      },
      clusterName: cluster.name,
      // With autoscaling the autoscaler owns the size (replicas is refused): a replicas field
      // re-applied by GitOps would fight it. CAPI starts the pool at minSize.
      replicas: autoscaling ? undefined : props.replicas ?? 1,
      version: this.kubernetesVersion,
      failureDomain: props.failureDomain,
      bootstrapTemplate: this.bootstrapTemplate,
      machineTemplate: this.machineTemplate,
      rollout,
      deletion,
    });

    if (healthCheck) {
      this.machineHealthCheck = machineHealthCheck(this, cluster, { name: baseName, namespace: cluster.namespace },
        { [DEPLOYMENT_NAME_LABEL]: baseName }, healthCheck);
    }
  }
}

function checkNodePoolProps(
  errors: InputErrors, pool: NodePool, props: NodePoolProps,
  labels: { [key: string]: string }, taints: NodeTaint[],
): void {
  const cluster = props.cluster;
  checkMachineOwnerName(errors, 'name', pool.name, `${cluster.name}-${pool.name}-worker`);
  // A cluster restricted to some zones (e.g. those its network and storage serve) keeps its pools there too.
  const zones = cluster.controlPlaneAvailabilityZones;
  if (zones?.length && props.failureDomain !== undefined) {
    errors.check(zones.includes(props.failureDomain), 'failureDomain', props.failureDomain,
      `must be one of the availability zones the cluster is restricted to (controlPlaneAvailabilityZones: ${zones.join(', ')})`);
  }
  checkFlavor(errors, 'flavor', props.flavor);
  checkMachineOptions(errors, POOL_MACHINE_PROPS, props.machine, props.flavor);
  if (props.image !== undefined) checkImage(errors, 'image', props.image);

  const isCount = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (props.replicas !== undefined) errors.check(isCount(props.replicas), 'replicas', props.replicas, 'must be a whole number (0 or more)');
  const a = props.autoscaling;
  if (a) {
    const minOk = errors.check(isCount(a.minSize), 'autoscaling.minSize', a.minSize, 'must be a whole number (0 or more)');
    const maxOk = errors.check(isCount(a.maxSize) && a.maxSize > 0, 'autoscaling.maxSize', a.maxSize, 'must be a positive whole number');
    if (minOk && maxOk) {
      errors.check(a.minSize <= a.maxSize, 'autoscaling.minSize', a.minSize, `must not exceed autoscaling.maxSize (${a.maxSize})`);
      errors.check(props.replicas === undefined, 'replicas', props.replicas,
        'must be unset with autoscaling: the autoscaler owns the size, and a replicas field re-applied by GitOps after '
        + 'each scale event would fight it (CAPI starts the pool at autoscaling.minSize)');
      if (a.minSize === 0 && props.flavor instanceof Flavor) {
        errors.check(props.flavor.capacity !== undefined, 'flavor', props.flavor.name,
          'must state its vCPUs and memory (Flavor.of) for the autoscaler to scale the pool from zero');
      }
    }
  }

  if (props.kubernetesVersion !== undefined) {
    if (errors.check(parseKubernetesVersion(props.kubernetesVersion) !== undefined, 'kubernetesVersion', props.kubernetesVersion, KUBERNETES_VERSION_RULE)
      && parseKubernetesVersion(cluster.kubernetesVersion)) {
      const skew = kubeletSkewProblem(cluster.kubernetesVersion, props.kubernetesVersion);
      if (skew) {errors.add('kubernetesVersion', props.kubernetesVersion, skew);} else if (!props.allowMinorVersionSkew && minorOf(props.kubernetesVersion) !== minorOf(cluster.kubernetesVersion)) {
        errors.add('kubernetesVersion', props.kubernetesVersion, `must have the control plane's minor (${cluster.kubernetesVersion}): `
          + 'CAPI\'s KubeadmVersionSkew preflight check blocks new machines of a kubeadm pool on another minor, so the pool '
          + 'could never scale up nor replace a machine. Set allowMinorVersionSkew for the window of an upgrade');
      }
    }
  }

  checkLabels(errors, 'labels', labels, kubeletLabelProblem);
  const effects = Object.values(TaintEffect) as string[];
  taints.forEach((taint, i) => {
    const keyProblem = labelKeyProblem(taint?.key ?? '');
    if (keyProblem) errors.add(`taints[${i}].key`, taint?.key, keyProblem);
    if (taint?.value !== undefined) {
      const valueProblem = labelValueProblem(taint.value);
      if (valueProblem) errors.add(`taints[${i}].value`, taint.value, valueProblem);
    }
    errors.check(effects.includes(taint?.effect), `taints[${i}].effect`, taint?.effect, `must be one of ${effects.join(', ')}`);
  });
}

function minorOf(version: string): string {
  const v = parseKubernetesVersion(version);
  return v ? `${v.major}.${v.minor}` : version;
}

/** `cluster-api/accelerator=<gpu type>` for a flavor with GPUs, the type made a valid label value. */
function gpuLabel(flavor: Flavor): { [key: string]: string } {
  const capacity = flavor.capacity;
  if (!capacity?.gpus) return {};
  const value = (capacity.gpuType ?? 'gpu').replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63);
  return { [GPU_ACCELERATOR_LABEL]: value || 'gpu' };
}
