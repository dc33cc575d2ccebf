import { Flavor } from './flavor';
import { formatLabels, formatTaints } from './kubelet-registration';
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
 */
export function capacityAnnotations(flavor: Flavor, labels: { [key: string]: string }, taints: NodeTaint[]): { [key: string]: string } {
  const capacity = flavor.capacity;
  const annotations: { [key: string]: string } = {};
  if (capacity) {
    annotations[`${CAPACITY}/cpu`] = String(capacity.vcpus);
    // What the node really offers, not the flavor's RAM (see Flavor.nodeMemoryMiB).
    annotations[`${CAPACITY}/memory`] = mebibytesQuantity(flavor.nodeMemoryMiB!);
    if (capacity.diskGiB !== undefined) annotations[`${CAPACITY}/ephemeral-disk`] = `${capacity.diskGiB}Gi`;
    if (capacity.gpus) {
      annotations[`${CAPACITY}/gpu-count`] = String(capacity.gpus);
      if (capacity.gpuType) annotations[`${CAPACITY}/gpu-type`] = capacity.gpuType;
    }
  }
  const labelText = formatLabels(labels);
  if (labelText) annotations[`${CAPACITY}/labels`] = labelText;
  if (taints.length > 0) annotations[`${CAPACITY}/taints`] = formatTaints(taints);
  return annotations;
}

/** 8192 → `8Gi`, 1536 → `1536Mi`: a Kubernetes quantity of mebibytes. */
function mebibytesQuantity(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
