import { Duration } from 'cdk8s';
import { Flavor } from './flavor';
import { InputErrors } from './input-errors';
import { KubeletSettings } from './kubelet-options';
import { formatLabels, formatTaints } from './kubelet-registration';
import { rootDiskGiB } from './machine/machine-rules';
import { MachineOptions } from './machine-options';
import { NodeTaint } from './node-taint';

/**
 * The cluster-autoscaler `clusterapi` provider's annotations on a MachineDeployment
 * (kubernetes/autoscaler cluster-autoscaler/cloudprovider/clusterapi/README.md).
 */
export const MIN_SIZE_ANNOTATION = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size';
export const MAX_SIZE_ANNOTATION = 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size';
const CAPACITY = 'capacity.cluster-autoscaler.kubernetes.io';
/** Per-pool overrides of the autoscaler's flags (its clusterapi README, "Per-NodeGroup autoscaling options"). */
const OPTIONS = 'cluster.x-k8s.io/autoscaling-options-';

/** The per-pool autoscaling options a pool sets, as the autoscaler reads them; problems recorded against `autoscaling.*`. */
export function autoscalingOptionAnnotations(errors: InputErrors, options: {
  scaleDownUtilizationThreshold?: number;
  scaleDownGpuUtilizationThreshold?: number;
  scaleDownUnneededTime?: Duration;
  scaleDownUnreadyTime?: Duration;
  maxNodeProvisionTime?: Duration;
}): { [key: string]: string } {
  const annotations: { [key: string]: string } = {};
  for (const [field, key] of [['scaleDownUtilizationThreshold', 'scaledownutilizationthreshold'], ['scaleDownGpuUtilizationThreshold', 'scaledowngpuutilizationthreshold']] as const) {
    const value = options[field];
    if (value === undefined) continue;
    if (errors.check(typeof value === 'number' && value >= 0 && value <= 1, `autoscaling.${field}`, value, 'must be a share from 0 to 1')) {
      annotations[`${OPTIONS}${key}`] = String(value);
    }
  }
  for (const [field, key] of [
    ['scaleDownUnneededTime', 'scaledownunneededtime'], ['scaleDownUnreadyTime', 'scaledownunreadytime'], ['maxNodeProvisionTime', 'maxnodeprovisiontime'],
  ] as const) {
    const value = options[field];
    if (value === undefined) continue;
    const seconds = value instanceof Duration ? value.toMilliseconds() / 1000 : NaN;
    if (errors.check(Number.isInteger(seconds) && seconds > 0, `autoscaling.${field}`, value instanceof Duration ? `${value.toMilliseconds()} ms` : value,
      'must be a Duration of whole, positive seconds')) {
      // A Go duration, as the autoscaler parses it: "10m0s".
      annotations[`${OPTIONS}${key}`] = `${Math.floor(seconds / 60)}m${seconds % 60}s`;
    }
  }
  return annotations;
}

/**
 * The scale-from-zero capacity annotations, derived from the flavor so they never disagree with
 * it, and the pool's labels and taints, so that pods selecting them trigger a scale-up from zero.
 * The `ephemeral-disk` capacity is the size of the node's root file system: the root volume's
 * when the machines boot from one (`machine.rootVolume`), else the flavor's disk. The kubelet's
 * CPU reservations come off the CPUs, its memory reservations and eviction threshold off the
 * memory; its `maxPods` is announced.
 */
export function capacityAnnotations(flavor: Flavor, labels: { [key: string]: string }, taints: NodeTaint[],
  machine?: MachineOptions, kubelet?: KubeletSettings): { [key: string]: string } {
  const capacity = flavor.capacity;
  const annotations: { [key: string]: string } = {};
  if (capacity) {
    // Less what the kubelet keeps for the system (a quantity: "3500m" for 4 vCPUs less 500m).
    const cpuMillis = capacity.vcpus * 1000 - (kubelet?.reservedCpuMillis ?? 0);
    annotations[`${CAPACITY}/cpu`] = cpuMillis % 1000 === 0 ? String(cpuMillis / 1000) : `${cpuMillis}m`;
    // What the node really offers, not the flavor's RAM (see Flavor.nodeMemoryMiB).
    annotations[`${CAPACITY}/memory`] = mebibytesQuantity(podMemoryMiB(flavor.nodeMemoryMiB!, kubelet));
    const disk = rootDiskGiB(flavor, machine);
    if (disk !== undefined) annotations[`${CAPACITY}/ephemeral-disk`] = `${disk}Gi`;
    if (capacity.gpus) {
      annotations[`${CAPACITY}/gpu-count`] = String(capacity.gpus);
      if (capacity.gpuType) annotations[`${CAPACITY}/gpu-type`] = capacity.gpuType;
    }
  }
  if (kubelet?.maxPods !== undefined) annotations[`${CAPACITY}/maxPods`] = String(kubelet.maxPods);
  const labelText = formatLabels(labels);
  if (labelText) annotations[`${CAPACITY}/labels`] = labelText;
  if (taints.length > 0) annotations[`${CAPACITY}/taints`] = formatTaints(taints);
  return annotations;
}

/**
 * The memory pods get on a node: what it offers (the kubelet's default eviction threshold already
 * off) less the kubelet's reservations and a larger eviction threshold.
 */
export function podMemoryMiB(nodeMemoryMiB: number, kubelet?: KubeletSettings): number {
  if (!kubelet) return nodeMemoryMiB;
  const percent = kubelet.evictionMemoryPercent !== undefined ? Math.ceil((nodeMemoryMiB * kubelet.evictionMemoryPercent) / 100) : 0;
  return nodeMemoryMiB - kubelet.reservedMemoryMiB - percent;
}

/** 8192 → `8Gi`, 1536 → `1536Mi`: a Kubernetes quantity of mebibytes. */
function mebibytesQuantity(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
