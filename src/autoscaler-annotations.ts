import { Flavor } from './flavor';
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

/**
 * The scale-from-zero capacity annotations, derived from the flavor so they never disagree with
 * it, and the pool's labels and taints, so that pods selecting them trigger a scale-up from zero.
 * The `ephemeral-disk` capacity is the size of the node's root file system: the root volume's
 * when the machines boot from one (`machine.rootVolume`), else the flavor's disk. The kubelet's
 * reservations and eviction threshold come off the memory; its `maxPods` is announced.
 */
export function capacityAnnotations(flavor: Flavor, labels: { [key: string]: string }, taints: NodeTaint[],
  machine?: MachineOptions, kubelet?: KubeletSettings): { [key: string]: string } {
  const capacity = flavor.capacity;
  const annotations: { [key: string]: string } = {};
  if (capacity) {
    annotations[`${CAPACITY}/cpu`] = String(capacity.vcpus);
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
