import { NodeRegistrationModel } from './capi-api/models';
import { NodeTaint } from './node-taint';

/**
 * The kubeadm `nodeRegistration` every node of the cluster uses: kubelet with the external
 * (OpenStack) cloud provider and its provider id, so the cloud controller manager can initialize
 * the node, plus the pool's labels and taints.
 */
export function kubeletNodeRegistration(options: {
  nodeName: string;
  labels?: { [key: string]: string };
  taints?: NodeTaint[];
  /** More kubelet flags (from a pool's kubelet settings): never the library's own. */
  extraArgs?: { [key: string]: string };
}): NodeRegistrationModel {
  const kubeletExtraArgs: { [key: string]: string } = {
    'cloud-provider': 'external',
    'provider-id': "openstack:///'{{ instance_id }}'",
    ...options.extraArgs,
  };
  const labels = formatLabels(options.labels ?? {});
  if (labels) kubeletExtraArgs['node-labels'] = labels;
  return {
    kubeletExtraArgs,
    name: options.nodeName,
    // Left out when empty: an explicit empty list would also drop kubeadm's default taints.
    taints: options.taints?.length
      ? options.taints.map(t => ({ key: t.key, value: t.value, effect: t.effect }))
      : undefined,
  };
}

/** `{b: "2", a: "1"}` → `a=1,b=2`: labels in the form kubelet and the autoscaler read. */
export function formatLabels(labels: { [key: string]: string }): string {
  return Object.keys(labels).sort().map(k => `${k}=${labels[k]}`).join(',');
}

/** Taints as `key=value:Effect,...`, the form of the autoscaler's capacity annotation. */
export function formatTaints(taints: NodeTaint[]): string {
  return taints.map(t => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`).join(',');
}

/**
 * Label prefixes kubelet may not set on its own node (NodeRestriction admission), except for
 * the allowed keys and namespaces below.
 */
const RESTRICTED_LABEL_DOMAINS = ['kubernetes.io', 'k8s.io'];
const ALLOWED_KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];
const ALLOWED_KUBELET_LABELS = [
  'beta.kubernetes.io/arch', 'beta.kubernetes.io/instance-type', 'beta.kubernetes.io/os',
  'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone',
  'kubernetes.io/arch', 'kubernetes.io/hostname', 'kubernetes.io/os',
  'node.kubernetes.io/instance-type', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
];

/** Why kubelet may not register with this label, or undefined when it may. */
export function kubeletLabelProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return undefined;
  const prefix = key.slice(0, slash);
  const inDomain = (d: string) => prefix === d || prefix.endsWith(`.${d}`);
  if (!RESTRICTED_LABEL_DOMAINS.some(inDomain)) return undefined;
  if (ALLOWED_KUBELET_LABELS.includes(key) || ALLOWED_KUBELET_LABEL_NAMESPACES.some(inDomain)) return undefined;
  return 'kubelet may not set labels under kubernetes.io or k8s.io (NodeRestriction) except the node.kubernetes.io and kubelet.kubernetes.io namespaces and well-known labels';
}
