import * as semver from 'semver';
import { canonicalJson } from '../canonical-json';
import { PRUNE_PROTECTION } from '../gitops-annotations';

/** What will happen to one cluster's objects (grouped by namespace) when the new output is applied. */
export interface NamespacePlan {
  readonly namespace: string;
  /** The Cluster objects of the namespace, new or old. */
  readonly clusters: string[];
  /** Machines replaced: the control plane and pools that roll. */
  readonly rollouts: string[];
  /** Other changes: new or deleted clusters, scaling, add-ons, objects created. */
  readonly changes: string[];
  /** Edits the API server or a provider's webhook refuses: the sync fails on them. */
  readonly rejected: string[];
  /** Objects that leave the output: deleted by the GitOps tool, or kept by their prune protection. */
  readonly pruned: string[];
}

/** The whole plan. */
export interface Plan {
  readonly namespaces: NamespacePlan[];
}

const CLUSTER_SCOPED = '(cluster-scoped)';
const PRUNE_KEYS = Object.entries(PRUNE_PROTECTION);

/** kind/name within a namespace. */
function key(o: any): string {
  return `${o.kind}/${o.metadata?.name}`;
}

function group(o: any): string {
  return o.metadata?.namespace ?? (o.kind === 'Namespace' ? o.metadata?.name : CLUSTER_SCOPED);
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const at = (o: any, path: string): any => path.split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), o);

/** The name an object refers to at one of the paths (v1beta2 and v1beta1 layouts). */
function refName(o: any, ...paths: string[]): string | undefined {
  for (const p of paths) {
    const name = at(o, p);
    if (name !== undefined) return name;
  }
  return undefined;
}

/**
 * Compares two outputs (objects as read from YAML): what CAPI, its providers and the GitOps tool
 * will do. Rollouts follow CAPI's rules: a KubeadmControlPlane rolls its machines when its
 * version, machine template or kubeadm configuration changes; a MachineDeployment when anything
 * in `spec.template.spec` changes (version, templates, failure domain). Rejections follow the
 * providers' webhooks: CAPO's OpenStackMachineTemplate spec is immutable, and of an
 * OpenStackCluster's spec only the identity, bastion, security group rules, allowed CIDRs and
 * health monitor, availability zones and subnets' DNS servers may change
 * (cluster-api-provider-openstack `pkg/webhooks/openstackcluster_webhook.go`); a
 * ClusterResourceSet's strategy and selector, a HelmChartProxy's reconcile strategy and a
 * MachineDeployment's selector and cluster are immutable.
 */
export function planChanges(previous: any[], next: any[]): Plan {
  const namespaces = [...new Set([...previous, ...next].map(group))].sort();
  return {
    namespaces: namespaces.map(ns => planNamespace(ns, previous.filter(o => group(o) === ns), next.filter(o => group(o) === ns)))
      .filter(p => p.rollouts.length + p.changes.length + p.rejected.length + p.pruned.length > 0),
  };
}

function planNamespace(namespace: string, previous: any[], next: any[]): NamespacePlan {
  const before = new Map(previous.map(o => [key(o), o]));
  const after = new Map(next.map(o => [key(o), o]));
  const rollouts: string[] = [];
  const changes: string[] = [];
  const rejected: string[] = [];
  const pruned: string[] = [];
  const clusters = [...new Set([...previous, ...next].filter(o => o.kind === 'Cluster').map(o => o.metadata.name))].sort();

  for (const [k, o] of after) {
    const old = before.get(k);
    if (!old) {
      if (o.kind === 'Cluster') changes.push(`new cluster ${o.metadata.name}: created`);
      else if (!String(o.kind).endsWith('Template')) changes.push(`${k}: created`);
      continue;
    }
    if (same(old, o)) continue;
    describeChange(old, o, { rollouts, changes, rejected, before, after });
  }
  for (const [k, o] of before) {
    if (after.has(k)) continue;
    const protectedFromPrune = PRUNE_KEYS.some(([annotation, value]) => o.metadata?.annotations?.[annotation] === value);
    if (o.kind === 'Cluster') changes.push(`cluster ${o.metadata.name}: deleted, with its machines and OpenStack resources`);
    pruned.push(protectedFromPrune
      ? `${k}: kept (prune protection): ${String(o.kind).endsWith('Template') ? 'delete it once no machine uses it' : 'delete it by hand when it is no longer needed'}`
      : `${k}: deleted by the GitOps tool`);
  }
  return { namespace, clusters, rollouts, changes, rejected, pruned };
}

interface Findings {
  readonly rollouts: string[];
  readonly changes: string[];
  readonly rejected: string[];
  /** The namespace's objects before and after, by `kind/name`. */
  readonly before: Map<string, any>;
  readonly after: Map<string, any>;
}

function describeChange(old: any, o: any, f: Findings): void {
  const k = key(o);
  switch (o.kind) {
    case 'KubeadmControlPlane': {
      const reasons: string[] = [];
      if (old.spec?.version !== o.spec?.version) reasons.push(`version ${old.spec?.version} → ${o.spec?.version}`);
      const skip = versionChangeProblem(old.spec?.version, o.spec?.version, { downgrade: false });
      if (skip) f.rejected.push(`${k}: ${skip} (CAPI's KubeadmControlPlane webhook)`);
      const template = (x: any) => refName(x, 'spec.machineTemplate.spec.infrastructureRef.name', 'spec.machineTemplate.infrastructureRef.name');
      if (template(old) !== template(o)) reasons.push(`machine template ${template(old)} → ${template(o)}`);
      if (!same(old.spec?.kubeadmConfigSpec, o.spec?.kubeadmConfigSpec)) reasons.push('kubeadm configuration');
      if (!same(old.spec?.rollout?.after, o.spec?.rollout?.after) || !same(old.spec?.rolloutAfter, o.spec?.rolloutAfter)) reasons.push('rollout.after');
      if (reasons.length > 0) f.rollouts.push(`control plane ${o.metadata.name} rolls: ${o.spec?.replicas ?? 1} machines, one at a time (${reasons.join('; ')})`);
      if (old.spec?.replicas !== o.spec?.replicas) f.changes.push(`control plane ${o.metadata.name}: ${old.spec?.replicas} → ${o.spec?.replicas} machines`);
      if (reasons.length === 0 && old.spec?.replicas === o.spec?.replicas) f.changes.push(`${k}: changed in place (no rollout)`);
      return;
    }
    case 'MachineDeployment': {
      for (const field of ['spec.clusterName', 'spec.selector']) {
        if (!same(at(old, field), at(o, field))) f.rejected.push(`${k}: ${field} is immutable (CAPI's MachineDeployment webhook): delete and recreate the pool`);
      }
      const reasons = templateSpecChanges(old.spec?.template?.spec, o.spec?.template?.spec);
      if (reasons.length > 0) {
        const max = o.metadata?.annotations?.['cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size'];
        const size = o.spec?.replicas !== undefined ? `${o.spec.replicas} machines` : max !== undefined ? `up to ${max} machines (autoscaled)` : 'its machines';
        f.rollouts.push(`pool ${o.metadata.name} rolls: ${size} (${reasons.join('; ')})`);
      }
      if (old.spec?.replicas !== o.spec?.replicas) f.changes.push(`pool ${o.metadata.name}: ${old.spec?.replicas ?? 'autoscaled'} → ${o.spec?.replicas ?? 'autoscaled'} machines`);
      if (reasons.length === 0 && old.spec?.replicas === o.spec?.replicas) f.changes.push(`${k}: changed in place (no rollout)`);
      return;
    }
    case 'OpenStackMachineTemplate':
      if (!same(old.spec, o.spec)) f.rejected.push(`${k}: spec is immutable (CAPO's webhook): a changed template needs a new name (templateHashing)`);
      return;
    case 'OpenStackCluster': {
      const fields = immutableOpenStackClusterChanges(old.spec ?? {}, o.spec ?? {});
      if (fields.length > 0) {
        f.rejected.push(`${k}: ${fields.join(', ')} cannot change once the cluster exists (CAPO's OpenStackCluster webhook): create a new cluster instead`);
      } else {
        f.changes.push(`${k}: updated (security groups, allowed CIDRs, bastion or zones)`);
      }
      return;
    }
    case 'ClusterResourceSet':
      for (const field of ['spec.strategy', 'spec.clusterSelector']) {
        if (!same(at(old, field), at(o, field))) f.rejected.push(`${k}: ${field} is immutable (CAPI): delete the ClusterResourceSet first, or give it a new name`);
      }
      if (!same(old.spec?.resources, o.spec?.resources)) f.changes.push(`${k}: its resources change: ${applyNote(o)}`);
      return;
    case 'ConfigMap':
    case 'Secret':
      f.changes.push(`${k}: content changed${o.type === 'addons.cluster.x-k8s.io/resource-set' || o.kind === 'ConfigMap' ? ' (add-on payload: re-applied only by a Reconcile ClusterResourceSet; ApplyOnce ignores it for existing clusters)' : ''}`);
      return;
    case 'KamajiControlPlane': {
      const problem = versionChangeProblem(old.spec?.version, o.spec?.version, { downgrade: 'minor' });
      // The provider hands the version to Kamaji's TenantControlPlane, whose webhook refuses it (internal/webhook/handlers/tcp_version.go).
      if (problem) f.rejected.push(`${k}: ${problem} (Kamaji's TenantControlPlane webhook: the hosted control plane stays on ${old.spec?.version})`);
      else if (old.spec?.version !== o.spec?.version) f.changes.push(`hosted control plane ${o.metadata.name} upgrades ${old.spec?.version} → ${o.spec?.version}: its pods roll, no machines`);
      if (!same({ ...old.spec, version: undefined }, { ...o.spec, version: undefined })) f.changes.push(`${k}: updated`);
      return;
    }
    case 'HelmChartProxy':
      if (!same(old.spec?.reconcileStrategy, o.spec?.reconcileStrategy)) f.rejected.push(`${k}: spec.reconcileStrategy is immutable (CAAPH)`);
      f.changes.push(`${k}: ${o.spec?.reconcileStrategy === 'InstallOnce' ? 'ignored for installed releases (InstallOnce)' : `CAAPH upgrades the release${old.spec?.version !== o.spec?.version ? ` (${old.spec?.version} → ${o.spec?.version})` : ''}`}`);
      return;
    case 'Cluster':
      if (o.spec?.topology || old.spec?.topology) {
        describeTopologyChange(old, o, f);
        return;
      }
      for (const ref of ['controlPlaneRef', 'infrastructureRef']) {
        if (!same(at(old, `spec.${ref}`), at(o, `spec.${ref}`))) f.rejected.push(`${k}: spec.${ref} cannot change (CAPI's Cluster webhook)`);
      }
      if (!same(old.spec?.clusterNetwork, o.spec?.clusterNetwork)) f.rejected.push(`${k}: spec.clusterNetwork: pod and service networks cannot change on a running cluster (kubeadm)`);
      return;
    case 'ClusterClass': {
      // A new OpenStackClusterTemplate reaches every cluster's OpenStackCluster, mostly immutable.
      const infra = (cc: any, objects: Map<string, any>) => objects.get(`OpenStackClusterTemplate/${cc.spec?.infrastructure?.templateRef?.name}`);
      const [was, is] = [infra(old, f.before), infra(o, f.after)];
      if (was && is) {
        const fields = immutableOpenStackClusterChanges(was.spec?.template?.spec ?? {}, is.spec?.template?.spec ?? {});
        if (fields.length > 0) {
          f.rejected.push(`ClusterClass ${o.metadata.name}: its OpenStackClusterTemplate changes ${fields.join(', ')}, which the OpenStackClusters of its clusters cannot change (CAPO's webhook)`);
        }
      }
      const refs = (cc: any) => canonicalJson([cc.spec?.controlPlane, cc.spec?.infrastructure, cc.spec?.workers]);
      f.rollouts.push(refs(old) !== refs(o)
        ? `ClusterClass ${o.metadata.name} names other templates: every cluster of the class rolls the machines whose templates changed`
        : `ClusterClass ${o.metadata.name}: variables or patches change: clusters of the class roll where the patched templates change`);
      return;
    }
    default:
      f.changes.push(`${k}: updated`);
  }
}

/** A topology cluster: CAPI's topology controller upgrades the control plane first, then the pools. */
function describeTopologyChange(old: any, o: any, f: Findings): void {
  const [a, b] = [old.spec?.topology ?? {}, o.spec?.topology ?? {}];
  const name = o.metadata.name;
  if (!same(a.classRef, b.classRef)) f.changes.push(`cluster ${name}: moves to ClusterClass ${b.classRef?.name} (a rebase: what differs rolls)`);
  const pools = (t: any) => new Map<string, any>((t.workers?.machineDeployments ?? []).map((md: any) => [md.name, md]));
  const [before, after] = [pools(a), pools(b)];
  const versionProblem = versionChangeProblem(a.version, b.version, { downgrade: true });
  if (versionProblem) f.rejected.push(`cluster ${name}: spec.topology.version ${versionProblem} (CAPI's Cluster webhook)`);
  if (a.version !== b.version) {
    f.rollouts.push(`cluster ${name} upgrades ${a.version} → ${b.version}: the control plane's ${b.controlPlane?.replicas ?? 1} machines first, then every pool (${[...after.keys()].join(', ') || 'none'})`);
  }
  if (a.controlPlane?.replicas !== b.controlPlane?.replicas) f.changes.push(`cluster ${name}: control plane ${a.controlPlane?.replicas} → ${b.controlPlane?.replicas} machines`);
  for (const [pool, md] of after) {
    const was = before.get(pool);
    if (!was) {
      f.changes.push(`cluster ${name}: new pool ${pool} (class ${md.class})`);
      continue;
    }
    if (was.class !== md.class || was.failureDomain !== md.failureDomain) f.rollouts.push(`cluster ${name}: pool ${pool} rolls (class or failure domain changed)`);
    if (was.replicas !== md.replicas) f.changes.push(`cluster ${name}: pool ${pool}: ${was.replicas ?? 'autoscaled'} → ${md.replicas ?? 'autoscaled'} machines`);
    if (!same(was.variables, md.variables)) f.rollouts.push(`cluster ${name}: pool ${pool}: its variables change: it rolls if they patch its templates`);
  }
  for (const pool of before.keys()) if (!after.has(pool)) f.changes.push(`cluster ${name}: pool ${pool} deleted, with its machines`);
  const value = (t: any, variable: string) => (t.variables ?? []).find((v: any) => v.name === variable)?.value;
  // The OpenStackCluster's subnet cannot change (CAPO's webhook), nor the pod and service networks.
  if (!same(value(a, 'nodeCidr'), value(b, 'nodeCidr'))) {
    f.rejected.push(`cluster ${name}: variable nodeCidr ${value(a, 'nodeCidr')} → ${value(b, 'nodeCidr')}: the OpenStackCluster's subnet cannot change (CAPO's webhook)`);
  }
  if (!same(old.spec?.clusterNetwork, o.spec?.clusterNetwork)) {
    f.rejected.push(`cluster ${name}: spec.clusterNetwork: pod and service networks cannot change on a running cluster (kubeadm)`);
  }
  if (!same(a.variables, b.variables)) f.rollouts.push(`cluster ${name}: variables change: machines roll where they patch the templates`);
}

/**
 * Why a control plane's version change is refused: more than one minor at a time (CAPI's
 * KubeadmControlPlane and Cluster webhooks, Kamaji's), or, where `downgrade` is refused, a lower
 * version (CAPI's Cluster webhook for topologies) or a lower minor (Kamaji's TenantControlPlane
 * webhook, internal/webhook/handlers/tcp_version.go, which sets the patch to 0 before comparing).
 */
function versionChangeProblem(from: unknown, to: unknown, options: { downgrade: boolean | 'minor' }): string | undefined {
  const [a, b] = [semver.coerce(String(from ?? '')), semver.coerce(String(to ?? ''))];
  if (!a || !b || from === to) return undefined;
  // Kamaji compares minors only (it sets the patch to 0 first); CAPI's Cluster webhook whole versions.
  const lower = options.downgrade === 'minor' ? b.major < a.major || (b.major === a.major && b.minor < a.minor) : options.downgrade && semver.lt(b, a);
  if (lower) return `${from} → ${to} is a downgrade, which is refused`;
  if (b.major > a.major || b.minor > a.minor + 1) return `${from} → ${to} skips a minor version: upgrade one minor at a time`;
  return undefined;
}

/** Why a MachineDeployment's machine template changed, in CAPI's terms; empty when only in-place fields did. */
function templateSpecChanges(old: any = {}, next: any = {}): string[] {
  const reasons: string[] = [];
  if (old.version !== next.version) reasons.push(`version ${old.version} → ${next.version}`);
  const infra = (s: any) => s.infrastructureRef?.name;
  const bootstrap = (s: any) => s.bootstrap?.configRef?.name;
  if (infra(old) !== infra(next)) reasons.push(`machine template ${infra(old)} → ${infra(next)}`);
  if (bootstrap(old) !== bootstrap(next)) reasons.push(`bootstrap template ${bootstrap(old)} → ${bootstrap(next)}`);
  if (old.failureDomain !== next.failureDomain) reasons.push(`failure domain ${old.failureDomain} → ${next.failureDomain}`);
  // Drain, deletion and readiness settings are propagated to existing machines in place (CAPI).
  const rest = (s: any) => {
    const {
      version, infrastructureRef, bootstrap: b, failureDomain, deletion, nodeDrainTimeout, nodeVolumeDetachTimeout, nodeDeletionTimeout,
      nodeDrainTimeoutSeconds, nodeVolumeDetachTimeoutSeconds, nodeDeletionTimeoutSeconds, readinessGates, minReadySeconds, ...others
    } = s;
    void [version, infrastructureRef, b, failureDomain, deletion, nodeDrainTimeout, nodeVolumeDetachTimeout, nodeDeletionTimeout,
      nodeDrainTimeoutSeconds, nodeVolumeDetachTimeoutSeconds, nodeDeletionTimeoutSeconds, readinessGates, minReadySeconds];
    return others;
  };
  if (!same(rest(old), rest(next))) reasons.push('machine spec');
  return reasons;
}

/** The OpenStackCluster spec fields (v1beta1) CAPO's webhook lets change. */
const MUTABLE_OPENSTACK_CLUSTER_FIELDS = ['identityRef', 'bastion', 'controlPlaneAvailabilityZones', 'controlPlaneOmitAvailabilityZone'];

function immutableOpenStackClusterChanges(old: any, next: any): string[] {
  const strip = (spec: any) => {
    const copy = JSON.parse(JSON.stringify(spec));
    for (const field of MUTABLE_OPENSTACK_CLUSTER_FIELDS) delete copy[field];
    if (copy.managedSecurityGroups) {
      for (const rules of ['allNodesSecurityGroupRules', 'controlPlaneNodesSecurityGroupRules', 'workerNodesSecurityGroupRules', 'allowAllInClusterTraffic']) {
        delete copy.managedSecurityGroups[rules];
      }
    }
    if (copy.apiServerLoadBalancer) {
      delete copy.apiServerLoadBalancer.allowedCIDRs;
      delete copy.apiServerLoadBalancer.monitor;
    }
    for (const subnet of copy.managedSubnets ?? []) delete subnet.dnsNameservers;
    return copy;
  };
  const [a, b] = [strip(old), strip(next)];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(field => !same(a[field], b[field])).sort().map(field => `spec.${field}`);
}

function applyNote(crs: any): string {
  return crs.spec?.strategy === 'Reconcile' ? 'applied again to every selected cluster' : 'applied to clusters that have not had them (ApplyOnce)';
}

/** The plan as Markdown, fit for a pull-request comment. */
export function planMarkdown(plan: Plan): string {
  if (plan.namespaces.length === 0) return '### capi-plan: no change\n';
  const count = (f: (p: NamespacePlan) => string[]) => plan.namespaces.reduce((n, p) => n + f(p).length, 0);
  const lines = [`### capi-plan: ${plan.namespaces.length} namespace${plan.namespaces.length === 1 ? '' : 's'} changed, `
    + `${count(p => p.rollouts)} rollout${count(p => p.rollouts) === 1 ? '' : 's'}, ${count(p => p.rejected)} rejected edit${count(p => p.rejected) === 1 ? '' : 's'}`, ''];
  for (const p of plan.namespaces) {
    lines.push(`#### ${p.namespace}${p.clusters.length ? ` (cluster${p.clusters.length === 1 ? '' : 's'} ${p.clusters.join(', ')})` : ''}`, '');
    const section = (title: string, items: string[]) => {
      if (items.length === 0) return;
      lines.push(`**${title}**`, '', ...items.map(i => `- ${i}`), '');
    };
    section('Rejected: the sync will fail', p.rejected);
    section('Machines replaced', p.rollouts);
    section('Changes', p.changes);
    section('Leaving the output', p.pruned);
  }
  return lines.join('\n');
}
