import { parseYamlObjects } from '../validation/yaml-documents';

/** A reference between two objects of the output, as drawn. */
interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** Selected by labels rather than named. */
  readonly bySelector?: boolean;
}

const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;
const keyOf = (o: any) => key(o.kind, o.metadata?.namespace, o.metadata?.name);
const nameOf = (ref: any): string | undefined => (typeof ref === 'object' && ref !== null ? ref.name : undefined);

/**
 * The objects of a cluster's output and their references as a Mermaid flowchart: Cluster →
 * OpenStackCluster and control plane → machine templates; pools → their templates; health
 * checks → what they watch; ClusterResourceSets → the ConfigMaps and Secrets they deliver →
 * the kinds those carry; HelmChartProxies → the clusters they select; credentials. Refs are read
 * in both v1beta1 and v1beta2 layouts.
 */
export function mermaidDiagram(objects: any[]): string {
  const nodes = new Map<string, { id: string; label: string }>();
  const edges: Edge[] = [];
  const node = (k: string, label: string) => {
    if (!nodes.has(k)) nodes.set(k, { id: `n${nodes.size + 1}`, label });
    return k;
  };
  const shown = objects.filter(o => o?.kind && o.kind !== 'Namespace');
  for (const o of shown) node(keyOf(o), `${o.kind}<br/>${o.metadata?.name}`);
  const ref = (o: any, kind: string, name: string | undefined, label: string, bySelector = false) => {
    if (!name) return;
    const target = key(kind, o.metadata?.namespace, name);
    edges.push({ from: keyOf(o), to: node(target, `${kind}<br/>${name}`), label, bySelector });
  };
  const clustersIn = (namespace: string | undefined) => shown.filter(o => o.kind === 'Cluster' && o.metadata?.namespace === namespace);

  for (const o of shown) {
    const spec = o.spec ?? {};
    switch (o.kind) {
      case 'Cluster':
        if (spec.topology) ref(o, 'ClusterClass', spec.topology.classRef?.name, 'class');
        ref(o, 'OpenStackCluster', nameOf(spec.infrastructureRef), 'infrastructure');
        ref(o, nameOf(spec.controlPlaneRef) ? spec.controlPlaneRef.kind : 'KubeadmControlPlane', nameOf(spec.controlPlaneRef), 'control plane');
        break;
      case 'OpenStackCluster':
        if (spec.identityRef?.type === 'ClusterIdentity') {
          edges.push({ from: keyOf(o), to: node(key('OpenStackClusterIdentity', undefined, spec.identityRef.name), `OpenStackClusterIdentity<br/>${spec.identityRef.name}`), label: 'credentials' });
        } else {
          ref(o, 'Secret', spec.identityRef?.name, 'credentials');
        }
        break;
      case 'ClusterClass': {
        const slots: Array<[any, string]> = [
          [spec.controlPlane?.templateRef, 'control plane'], [spec.controlPlane?.machineInfrastructure?.templateRef, 'control plane machines'],
          [spec.infrastructure?.templateRef, 'infrastructure'],
          ...(spec.workers?.machineDeployments ?? []).flatMap((md: any) => [
            [md.infrastructure?.templateRef, `${md.class} machines`], [md.bootstrap?.templateRef, `${md.class} bootstrap`],
          ] as Array<[any, string]>),
        ];
        for (const [templateRef, label] of slots) if (templateRef) ref(o, templateRef.kind, templateRef.name, label);
        break;
      }
      case 'KamajiControlPlane':
        if (spec.dataStoreName) {
          edges.push({ from: keyOf(o), to: node(key('DataStore', undefined, spec.dataStoreName), `DataStore<br/>${spec.dataStoreName}`), label: 'state' });
        }
        break;
      case 'KubeadmControlPlane':
        ref(o, 'OpenStackMachineTemplate', nameOf(spec.machineTemplate?.spec?.infrastructureRef) ?? nameOf(spec.machineTemplate?.infrastructureRef), 'machines');
        break;
      case 'MachineDeployment':
        for (const c of clustersIn(o.metadata?.namespace).filter(candidate => candidate.metadata.name === spec.clusterName)) {
          edges.push({ from: keyOf(c), to: keyOf(o), label: 'pool' });
        }
        ref(o, 'OpenStackMachineTemplate', nameOf(spec.template?.spec?.infrastructureRef), 'machines');
        ref(o, 'KubeadmConfigTemplate', nameOf(spec.template?.spec?.bootstrap?.configRef), 'bootstrap');
        break;
      case 'MachineHealthCheck': {
        const labels = spec.selector?.matchLabels ?? {};
        const pool = labels['cluster.x-k8s.io/deployment-name'];
        const target = pool
          ? shown.find(t => t.kind === 'MachineDeployment' && t.metadata?.name === pool && t.metadata?.namespace === o.metadata?.namespace)
          : labels['cluster.x-k8s.io/control-plane-name'] !== undefined
            ? shown.find(t => t.kind === 'KubeadmControlPlane' && t.metadata?.name === labels['cluster.x-k8s.io/control-plane-name']
              && t.metadata?.namespace === o.metadata?.namespace)
            : undefined;
        if (target) edges.push({ from: keyOf(o), to: keyOf(target), label: 'health', bySelector: true });
        break;
      }
      case 'ClusterResourceSet':
      case 'HelmChartProxy': {
        const selector = spec.clusterSelector?.matchLabels ?? {};
        const selects = (candidate: any) => Object.entries(selector).every(([k, v]) => candidate.metadata?.labels?.[k] === v);
        for (const c of clustersIn(o.metadata?.namespace).filter(selects)) {
          edges.push({ from: keyOf(o), to: keyOf(c), label: o.kind === 'HelmChartProxy' ? `chart ${spec.chartName}` : 'add-ons', bySelector: true });
        }
        for (const resource of spec.resources ?? []) ref(o, resource.kind, resource.name, 'delivers');
        break;
      }
      case 'ConfigMap':
      case 'Secret': {
        const carried = carriedKinds(o);
        if (carried.length > 0) {
          const k = `${keyOf(o)}#carried`;
          edges.push({ from: keyOf(o), to: node(k, carried.join('<br/>')), label: 'carries' });
        }
        break;
      }
      default:
    }
  }

  const lines = ['flowchart LR'];
  for (const { id, label } of nodes.values()) lines.push(`  ${id}["${label.replace(/"/g, '#quot;')}"]`);
  for (const e of edges) {
    const [from, to] = [nodes.get(e.from)!.id, nodes.get(e.to)!.id];
    lines.push(`  ${from} ${e.bySelector ? '-.' : '--'} ${e.label} ${e.bySelector ? '.->' : '-->'} ${to}`);
  }
  return lines.join('\n') + '\n';
}

/** The kinds the payload of an add-on's ConfigMap or resource-set Secret carries, with counts. */
function carriedKinds(o: any): string[] {
  if (o.kind === 'Secret' && o.type !== 'addons.cluster.x-k8s.io/resource-set') return [];
  const counts = new Map<string, number>();
  for (const value of Object.values(o.data ?? {})) {
    const text = o.kind === 'Secret' ? Buffer.from(String(value), 'base64').toString('utf8') : String(value);
    for (const { manifest } of parseYamlObjects(text).objects) {
      if (manifest?.kind) counts.set(manifest.kind, (counts.get(manifest.kind) ?? 0) + 1);
    }
  }
  return [...counts].map(([kind, n]) => (n > 1 ? `${n} × ${kind}` : kind));
}
