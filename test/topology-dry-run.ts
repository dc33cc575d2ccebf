import { parse as parseYaml } from 'yaml';
import { renderGoTemplate } from './go-template';

/** A topology cluster's templates after the class's patches, as CAPI's topology controller computes them. */
export interface PatchedTopology {
  readonly infrastructureCluster: any;
  readonly controlPlane: any;
  readonly controlPlaneMachine: any;
  /** By the topology's MachineDeployment name. */
  readonly workers: { [name: string]: { bootstrap: any; infrastructure: any } };
}

/**
 * Applies a ClusterClass's inline patches to its templates for one Cluster of the output, as
 * CAPI does (cluster-api core/reconcilers/topology/cluster/patches: patches in order, `enabledIf`
 * rendered per template, variables with their schema defaults, per-MachineDeployment overrides,
 * `builtin` variables; JSON patches applied by RFC 6902, which needs each field's parent).
 */
export function dryRunTopology(objects: any[], clusterName: string): PatchedTopology {
  const cluster = objects.find(o => o.kind === 'Cluster' && o.metadata.name === clusterName);
  if (!cluster?.spec?.topology) throw new Error(`no topology Cluster ${clusterName}`);
  const topology = cluster.spec.topology;
  const cc = objects.find(o => o.kind === 'ClusterClass' && o.metadata.name === topology.classRef.name);
  const byRef = (ref: any) => {
    const found = objects.find(o => o.kind === ref.kind && o.apiVersion === ref.apiVersion && o.metadata.name === ref.name);
    if (!found) throw new Error(`the class references ${ref.kind} ${ref.name}, which is not in the output`);
    return structuredClone(found);
  };
  const defaults = Object.fromEntries(cc.spec.variables
    .filter((v: any) => v.schema.openAPIV3Schema.default !== undefined)
    .map((v: any) => [v.name, v.schema.openAPIV3Schema.default]));
  const clusterBuiltin = {
    cluster: {
      name: cluster.metadata.name, namespace: cluster.metadata.namespace, topology: { version: topology.version, class: topology.classRef.name },
    },
    controlPlane: { version: topology.version, replicas: topology.controlPlane?.replicas },
  };
  const clusterVariables = { ...defaults, ...valuesOf(topology.variables), builtin: clusterBuiltin };

  const result: PatchedTopology = {
    infrastructureCluster: byRef(cc.spec.infrastructure.templateRef),
    controlPlane: byRef(cc.spec.controlPlane.templateRef),
    controlPlaneMachine: byRef(cc.spec.controlPlane.machineInfrastructure.templateRef),
    workers: {},
  };
  const pools = (topology.workers?.machineDeployments ?? []).map((md: any) => {
    const workerClass = cc.spec.workers.machineDeployments.find((w: any) => w.class === md.class);
    const variables = {
      ...clusterVariables,
      ...valuesOf(md.variables?.overrides),
      builtin: { ...clusterBuiltin, machineDeployment: { version: topology.version, class: md.class, topologyName: md.name, replicas: md.replicas } },
    };
    result.workers[md.name] = { bootstrap: byRef(workerClass.bootstrap.templateRef), infrastructure: byRef(workerClass.infrastructure.templateRef) };
    return { md, variables };
  });

  for (const patch of cc.spec.patches ?? []) {
    // The definitions whose selector picks the template, applied when enabledIf renders true.
    const apply = (template: any, variables: any, picks: (matchResources: any) => boolean) => {
      const definitions = patch.definitions.filter((d: any) => picks(d.selector.matchResources ?? {})
        && d.selector.kind === template.kind && d.selector.apiVersion === template.apiVersion);
      if (definitions.length === 0) return;
      if (patch.enabledIf !== undefined && renderGoTemplate(patch.enabledIf, variables).trim() !== 'true') return;
      for (const definition of definitions) {
        for (const jsonPatch of definition.jsonPatches) applyJsonPatch(template, jsonPatch, variables, patch.name);
      }
    };
    apply(result.infrastructureCluster, clusterVariables, m => m.infrastructureCluster);
    apply(result.controlPlane, clusterVariables, m => m.controlPlane);
    apply(result.controlPlaneMachine, clusterVariables, m => m.controlPlane);
    for (const { md, variables } of pools) {
      const picks = (m: any) => m.machineDeploymentClass?.names?.includes(md.class);
      apply(result.workers[md.name].bootstrap, variables, picks);
      apply(result.workers[md.name].infrastructure, variables, picks);
    }
  }
  return result;
}

function valuesOf(list: Array<{ name: string; value: unknown }> | undefined): { [name: string]: unknown } {
  return Object.fromEntries((list ?? []).map(v => [v.name, v.value]));
}

/** One JSON patch operation (add or replace), by RFC 6902, with CAPI's value sources. */
function applyJsonPatch(document: any, jsonPatch: any, variables: any, patchName: string): void {
  const from = jsonPatch.valueFrom;
  const value = jsonPatch.value !== undefined ? jsonPatch.value
    : from.variable !== undefined ? from.variable.split('.').reduce((v: any, k: string) => v?.[k], variables)
    // sigs.k8s.io/yaml reads YAML 1.1 (go-yaml v2).
      : parseYaml(renderGoTemplate(from.template, variables), { version: '1.1' });
  const segments = String(jsonPatch.path).split('/').slice(1).map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segments.pop()!;
  let parent = document;
  for (const segment of segments) {
    parent = parent?.[segment];
    if (parent === null || typeof parent !== 'object') {
      throw new Error(`patch ${patchName}: add operation does not apply: doc is missing path: "${jsonPatch.path}"`);
    }
  }
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index > parent.length) throw new Error(`patch ${patchName}: index ${last} out of range at ${jsonPatch.path}`);
    if (jsonPatch.op === 'replace') parent[index] = value;
    else parent.splice(index, 0, value);
  } else {
    if (jsonPatch.op === 'replace' && !(last in parent)) throw new Error(`patch ${patchName}: replace of a missing field ${jsonPatch.path}`);
    parent[last] = value;
  }
}
