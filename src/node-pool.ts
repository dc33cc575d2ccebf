import { Construct } from 'constructs';
import { capacityAnnotations, MAX_SIZE_ANNOTATION, MIN_SIZE_ANNOTATION } from './autoscaler-annotations';
import * as capi from './capi';
import { Flavor } from './flavor';
import * as capo from './imports/infrastructure.cluster.x-k8s.io';
import { InputErrors } from './input-errors';
import { kubeletLabelProblem, kubeletNodeRegistration } from './kubelet-registration';
import { kubeletSkewProblem, KUBERNETES_VERSION_RULE, parseKubernetesVersion } from './kubernetes-version';
import { MachineImage } from './machine-image';
import { CLUSTER_NAME_LABEL, MAX_MACHINE_OWNER_NAME_LENGTH, objectReference } from './naming';
import { NodeTaint, TaintEffect } from './node-taint';
import { OpenStackCapiCluster } from './openstack-capi-cluster';
import { DNS1123_LABEL_RULE, isDns1123Label, labelKeyProblem, labelValueProblem } from './rules';

/** Size limits the cluster-autoscaler keeps a pool within. */
export interface NodePoolAutoscaling {
  /** Fewest nodes; 0 lets the pool scale from zero (the flavor's capacity must then be known). */
  readonly minSize: number;
  /** Most nodes. */
  readonly maxSize: number;
}

/** Options of a node pool, for {@link OpenStackCapiCluster.addNodePool}. */
export interface NodePoolOptions {
  /**
   * The pool's name; objects are named `<cluster>-<pool>-worker`.
   * @default - the construct id
   */
  readonly name?: string;

  /** Flavor of the pool's servers. Give its capacity (`Flavor.of`) to scale from zero. */
  readonly flavor: Flavor;

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
   * Number of nodes. With `autoscaling`, the initial size (the autoscaler owns it afterwards).
   * @default - 1 without autoscaling; unset with autoscaling (CAPI starts at minSize)
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
   * Kubernetes version of the pool; at most three minor versions older than the control plane.
   * @default - the cluster's version
   */
  readonly kubernetesVersion?: string;
}

/** Props of a {@link NodePool}. */
export interface NodePoolProps extends NodePoolOptions {
  /** The cluster the pool belongs to. */
  readonly cluster: OpenStackCapiCluster;
}

/**
 * A pool of worker nodes: a `MachineDeployment`, its `OpenStackMachineTemplate`, and the
 * `KubeadmConfigTemplate` it boots with (shared with the pools that register alike).
 */
export class NodePool extends Construct {
  /** The pool's name. */
  public readonly name: string;
  /** The cluster the pool belongs to. */
  public readonly cluster: OpenStackCapiCluster;
  /** Kubernetes version of the pool's nodes. */
  public readonly kubernetesVersion: string;
  /** The `MachineDeployment` object. */
  public readonly machineDeployment: capi.MachineDeployment;
  /** The pool's `OpenStackMachineTemplate`. */
  public readonly machineTemplate: capo.OpenStackMachineTemplate;
  /** The `KubeadmConfigTemplate` the pool's nodes boot with. */
  public readonly bootstrapTemplate: capi.KubeadmConfigTemplate;

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    const cluster = props.cluster;
    this.cluster = cluster;
    this.name = props.name ?? id;
    this.kubernetesVersion = props.kubernetesVersion ?? cluster.kubernetesVersion;
    const labels = props.labels ?? {};
    const taints = props.taints ?? [];

    errors.checkStringMap('labels', props.labels);
    errors.checkList('taints', props.taints, t => typeof t === 'object' && t !== null, 'taints ({ key, value, effect })');
    if (props.autoscaling !== undefined) {
      errors.check(typeof props.autoscaling === 'object' && props.autoscaling !== null, 'autoscaling', props.autoscaling, 'must be { minSize, maxSize }');
    }
    errors.throwIfAny();
    checkNodePoolProps(errors, this, props, labels, taints);
    cluster._registerNodePool(this, errors);
    errors.throwIfAny();

    const baseName = `${cluster.name}-${this.name}-worker`;
    this.machineTemplate = cluster._addMachineTemplate(this, 'MachineTemplate', baseName, {
      flavor: props.flavor,
      image: props.image ?? cluster.image,
      sshKeyName: props.sshKeyName ?? cluster.sshKeyName,
    });
    this.bootstrapTemplate = cluster._bootstrapTemplateFor(this.name,
      kubeletNodeRegistration({ nodeName: cluster.nodeName, labels, taints }));

    const autoscaling = props.autoscaling;
    this.machineDeployment = new capi.MachineDeployment(this, 'MachineDeployment', {
      metadata: {
        name: baseName,
        namespace: cluster.namespace,
        labels: { [CLUSTER_NAME_LABEL]: cluster.name },
        annotations: autoscaling ? {
          [MIN_SIZE_ANNOTATION]: String(autoscaling.minSize),
          [MAX_SIZE_ANNOTATION]: String(autoscaling.maxSize),
          ...capacityAnnotations(props.flavor, labels, taints),
        } : undefined,
      },
      spec: {
        clusterName: cluster.name,
        // With autoscaling the autoscaler owns the size: a replicas field re-applied by GitOps
        // would fight it. CAPI starts the pool at minSize.
        replicas: autoscaling ? props.replicas : props.replicas ?? 1,
        selector: { matchLabels: {} },
        template: {
          spec: {
            bootstrap: { configRef: objectReference(this.bootstrapTemplate) },
            clusterName: cluster.name,
            failureDomain: props.failureDomain,
            infrastructureRef: objectReference(this.machineTemplate),
            version: this.kubernetesVersion,
          },
        },
      },
    });
  }
}

function checkNodePoolProps(
  errors: InputErrors, pool: NodePool, props: NodePoolProps,
  labels: { [key: string]: string }, taints: NodeTaint[],
): void {
  const cluster = props.cluster;
  if (errors.check(isDns1123Label(pool.name), 'name', pool.name, DNS1123_LABEL_RULE)) {
    const machineDeploymentName = `${cluster.name}-${pool.name}-worker`;
    errors.check(machineDeploymentName.length <= MAX_MACHINE_OWNER_NAME_LENGTH, 'name', pool.name,
      `is too long: "${machineDeploymentName}" must be at most ${MAX_MACHINE_OWNER_NAME_LENGTH} characters so machine host names fit in 63`);
  }

  if (errors.check(props.flavor instanceof Flavor, 'flavor', props.flavor, 'must be a Flavor (Flavor.of or Flavor.named)')) {
    for (const [field, value, rule] of props.flavor._problems()) errors.add(`flavor.${field}`, value, rule);
  }
  if (props.image !== undefined) {
    errors.check(props.image instanceof MachineImage, 'image', props.image, 'must be a MachineImage');
  }

  const isCount = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (props.replicas !== undefined) errors.check(isCount(props.replicas), 'replicas', props.replicas, 'must be a whole number (0 or more)');
  const a = props.autoscaling;
  if (a) {
    const minOk = errors.check(isCount(a.minSize), 'autoscaling.minSize', a.minSize, 'must be a whole number (0 or more)');
    const maxOk = errors.check(isCount(a.maxSize) && a.maxSize > 0, 'autoscaling.maxSize', a.maxSize, 'must be a positive whole number');
    if (minOk && maxOk) {
      errors.check(a.minSize <= a.maxSize, 'autoscaling.minSize', a.minSize, `must not exceed autoscaling.maxSize (${a.maxSize})`);
      if (props.replicas !== undefined && isCount(props.replicas)) {
        errors.check(props.replicas >= a.minSize && props.replicas <= a.maxSize, 'replicas', props.replicas,
          `must lie within autoscaling.minSize..maxSize (${a.minSize}..${a.maxSize})`);
      }
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
      if (skew) errors.add('kubernetesVersion', props.kubernetesVersion, skew);
    }
  }

  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? kubeletLabelProblem(key);
    if (problem) errors.add(`labels["${key}"]`, key, problem);
    const valueProblem = labelValueProblem(value);
    if (valueProblem) errors.add(`labels["${key}"]`, value, valueProblem);
  }
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
