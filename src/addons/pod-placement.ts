import { k8s } from 'cdk8s-plus-30';

/**
 * Where a cluster-wide controller of an add-on runs in the workload cluster: on a control plane
 * node, tolerating its taint. A `kube-system` pod on a worker keeps that worker from being
 * removed (cluster-autoscaler FAQ, "What types of pods can prevent CA from removing a node?"),
 * so its pool could never scale down to zero; and once every pool is at zero, a controller
 * allowed only on workers would wait, Pending, for a node that nothing starts for it.
 * Control plane nodes always exist and carry `node-role.kubernetes.io/control-plane` (kubeadm).
 */
export const ON_CONTROL_PLANE_NODES: Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations'> = {
  nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
  tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
};

/**
 * Where a cluster's controllers run: on its control plane nodes, or, for a cluster whose control
 * plane is hosted elsewhere (no control plane nodes), anywhere on the workers.
 */
export function controllerPlacement(cluster: { readonly controlPlaneReplicas: number }): Pick<k8s.PodSpec, 'nodeSelector' | 'tolerations'> {
  return cluster.controlPlaneReplicas > 0 ? ON_CONTROL_PLANE_NODES : {};
}

/**
 * Requests of a container: what the scheduler reserves for it (Kubernetes docs, "Resource
 * Management for Pods and Containers"). No limits: a memory limit kills a controller whose use
 * grows with the cluster, a CPU limit throttles it.
 */
export function requests(cpu: string, memory: string): k8s.ResourceRequirements {
  return { requests: { cpu: k8s.Quantity.fromString(cpu), memory: k8s.Quantity.fromString(memory) } };
}

/**
 * Priority classes Kubernetes creates in every cluster (docs, "Guaranteed Scheduling For Critical
 * Add-On Pods"): scheduled first and preempted last.
 */
export enum SystemPriorityClass {
  /** A controller the cluster needs: CNI installer, cloud controller manager, CSI controller. */
  CLUSTER_CRITICAL = 'system-cluster-critical',
  /** A per-node agent without which the node cannot serve its pods, e.g. the CSI node plugin. */
  NODE_CRITICAL = 'system-node-critical',
}
