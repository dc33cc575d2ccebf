import * as fs from 'fs';
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { parse as parseYaml } from 'yaml';
import { canonicalJson } from './canonical-json';
import { ICapiCluster, isCapiCluster } from './cluster-contract';
import { InputErrors } from './input-errors';
import { overlaps, parseIpv4Cidr } from './ipv4';
import { OpenStackCapiCluster } from './openstack-capi-cluster';
import { isDns1123Label } from './rules';
import { pathUnder } from './validation/object-path';
import { checkValueAgainstSchema } from './validation/schema-check';

/** One cluster of a fleet's inventory. */
export interface FleetEntry {
  /** The entry's name, unique in the fleet: the id of the construct its blueprint builds. */
  readonly name: string;
  /**
   * The tenant the cluster belongs to: clusters of different tenants share no namespace and no
   * cluster identity.
   * @default - the fleet's own (one tenant)
   */
  readonly tenant?: string;
  /**
   * The blueprint's parameters for this cluster, checked against the fleet's `valuesSchema`.
   * @default {}
   */
  readonly values?: { [key: string]: any };
}

/** Builds one cluster of a fleet from its inventory entry. */
export interface IFleetBlueprint {
  /**
   * Adds the cluster for `entry` below `scope`, typically a chart of its own with `entry.name` as
   * its id, and returns it. It must hold one or more `OpenStackCapiCluster`s.
   */
  instantiate(scope: Construct, entry: FleetEntry): IConstruct;
}

/** Props of a {@link Fleet}. */
export interface FleetProps {
  /** What each entry becomes. */
  readonly blueprint: IFleetBlueprint;
  /**
   * The inventory, in code; or read it from a file with `Fleet.loadInventory()`.
   */
  readonly entries: FleetEntry[];
  /**
   * OpenAPI v3 schema of an entry's `values`, as a CRD writes one (`type`, `properties`,
   * `required`, `enum`, `pattern`, `x-kubernetes-validations` CEL rules...): each entry is checked
   * against it before any cluster is built, every error naming the entry.
   * @default - values are not checked (the blueprint checks them)
   */
  readonly valuesSchema?: { [key: string]: any };
  /**
   * Where the entries came from, for messages (e.g. the inventory file).
   * @default "entries"
   */
  readonly source?: string;
}

/**
 * Many clusters from one blueprint and an inventory, with the checks that span clusters: unique
 * entry and cluster names, one namespace per cluster, node subnets that do not overlap where
 * clusters share a Neutron network or router (Neutron refuses overlapping subnets on one router),
 * distinct pre-allocated API server floating IPs, and credentials that stay with their tenant
 * (an `OpenStackClusterIdentity` defined in the app must admit each namespace that uses it, and
 * serve one tenant). Cross-cluster problems fail the synth, all listed at once.
 */
export class Fleet extends Construct {
  /**
   * Reads an inventory file, YAML or JSON: `clusters:` a list of entries (`name`, optional
   * `tenant`, `values`). Errors name the file and the entry.
   */
  public static loadInventory(file: string): FleetEntry[] {
    let document: any;
    try {
      document = parseYaml(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`Fleet inventory ${file}: cannot be read as YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    const clusters = document?.clusters;
    if (!Array.isArray(clusters)) throw new Error(`Fleet inventory ${file}: must be an object with a list "clusters" of entries ({ name, tenant, values })`);
    return clusters as FleetEntry[];
  }

  /** The entries, as checked. */
  public readonly entries: FleetEntry[];
  /** The built constructs, by entry name. */
  public readonly members: { [name: string]: IConstruct } = {};

  constructor(scope: Construct, id: string, props: FleetProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    const source = props.source ?? 'entries';
    if (!errors.check(Array.isArray(props.entries), 'entries', props.entries, 'must be a list of FleetEntry')) errors.throwIfAny();
    const names = new Set<string>();
    props.entries.forEach((entry, i) => {
      const where = `${source}[${i}]${typeof entry?.name === 'string' ? ` (${entry.name})` : ''}`;
      if (!errors.check(typeof entry === 'object' && entry !== null && !Array.isArray(entry), where, entry, 'must be an entry { name, tenant, values }')) return;
      const unknown = Object.keys(entry).filter(key => !['name', 'tenant', 'values'].includes(key));
      errors.check(unknown.length === 0, `${where}.${unknown[0]}`, (entry as any)[unknown[0]], 'is not a field of an entry (name, tenant, values)');
      if (errors.check(typeof entry.name === 'string' && isDns1123Label(entry.name), `${where}.name`, entry.name, 'must be a DNS-1123 label')) {
        errors.check(!names.has(entry.name), `${where}.name`, entry.name, 'is the name of another entry: names are unique in a fleet');
        names.add(entry.name);
      }
      if (entry.tenant !== undefined) errors.check(typeof entry.tenant === 'string' && isDns1123Label(entry.tenant), `${where}.tenant`, entry.tenant, 'must be a DNS-1123 label');
      const values = entry.values ?? {};
      if (errors.check(typeof values === 'object' && values !== null && !Array.isArray(values), `${where}.values`, values, 'must be an object')
        && props.valuesSchema) {
        for (const problem of checkValueAgainstSchema(values, props.valuesSchema)) {
          errors.add(pathUnder(`${where}.values`, problem.path), problem.value, problem.rule);
        }
      }
    });
    errors.throwIfAny();

    this.entries = props.entries;
    for (const entry of this.entries) this.members[entry.name] = props.blueprint.instantiate(this, entry);
    this.node.addValidation({ validate: () => this.crossClusterProblems() });
  }

  /** Every problem that spans clusters: what no single cluster can see. */
  private crossClusterProblems(): string[] {
    // Any cluster construct keeping the contract: plain, topology or hosted.
    const clusters = this.entries.flatMap(entry => this.members[entry.name].node.findAll()
      .filter((c): c is ICapiCluster => isCapiCluster(c))
      .map(cluster => ({ entry, cluster, spec: openStackClusterSpec(cluster) })));
    const problems: string[] = [];
    const at = (c: { entry: FleetEntry; cluster: ICapiCluster }) => `${c.entry.name} (${c.cluster.node.path})`;
    for (const entry of this.entries) {
      if (!clusters.some(c => c.entry === entry)) problems.push(`${this.node.path}: entry ${entry.name}: its blueprint built no cluster (OpenStackCapiCluster, OpenStackTopologyCluster, HostedControlPlaneCluster)`);
    }

    // Grouped by what they must not share: linear in the fleet's size, pairs only within a group.
    type Member = typeof clusters[number];
    const groups = (keyOf: (c: Member) => string | undefined) => {
      const byKey = new Map<string, Member[]>();
      for (const c of clusters) {
        const k = keyOf(c);
        if (k !== undefined) byKey.set(k, [...byKey.get(k) ?? [], c]);
      }
      return [...byKey.values()].filter(members => members.length > 1);
    };
    const pairs = (members: Member[], each: (a: Member, b: Member, pair: string) => void) => members.forEach((a, i) => members.slice(i + 1)
      .forEach(b => each(a, b, `${this.node.path}: ${at(a)} and ${at(b)}`)));

    for (const same of groups(c => c.cluster.name)) {
      pairs(same, (a, _b, pair) => problems.push(`${pair}: both are named cluster "${a.cluster.name}": cluster names are unique in a fleet`));
    }
    // A plain cluster owns its namespace; topology clusters share their class's, hosted ones their tenant's.
    for (const same of groups(c => (c.cluster instanceof OpenStackCapiCluster ? c.cluster.namespace : undefined))) {
      pairs(same, (a, _b, pair) => problems.push(`${pair}: share namespace "${a.cluster.namespace}": give each cluster its own (its credentials and add-ons live there)`));
    }
    for (const [what, field] of [['network', 'network'], ['router', 'router']] as const) {
      for (const shared of groups(c => (c.spec[field] === undefined ? undefined : canonicalJson(c.spec[field])))) {
        pairs(shared, (a, b, pair) => {
          if (what === 'router' && a.spec.network !== undefined && canonicalJson(a.spec.network) === canonicalJson(b.spec.network)) return; // said for the network
          if (a.cluster.nodeCidr && b.cluster.nodeCidr && overlap(a.cluster.nodeCidr, b.cluster.nodeCidr)) {
            problems.push(`${pair}: node subnets ${a.cluster.nodeCidr} and ${b.cluster.nodeCidr} overlap on a shared ${what} `
              + `(${canonicalJson(a.spec[field])}): Neutron refuses overlapping subnets there; give each cluster its own range`);
          }
        });
      }
    }
    for (const same of groups(c => c.spec.apiServerFloatingIP)) {
      pairs(same, (a, _b, pair) => problems.push(`${pair}: both take the API server floating IP ${a.spec.apiServerFloatingIP}: a floating IP serves one load balancer`));
    }
    for (const same of groups(c => c.cluster.credentials.clusterIdentityName)) {
      pairs(same, (a, b, pair) => {
        if (a.entry.tenant === b.entry.tenant) return;
        problems.push(`${pair}: tenants ${a.entry.tenant ?? '(none)'} and ${b.entry.tenant ?? '(none)'} both use the OpenStackClusterIdentity `
          + `"${a.cluster.credentials.clusterIdentityName}": each tenant spends its own credentials; give each tenant an identity of its own`);
      });
    }

    const all = this.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const identities = new Map(all.filter(o => o.kind === 'OpenStackClusterIdentity').map(o => [o.name, o.toJson().spec?.namespaceSelector]));
    const namespaceLabels = new Map(all.filter(o => o.kind === 'Namespace').map(o => [o.name, o.toJson().metadata?.labels ?? {}]));
    for (const c of clusters) {
      const name = c.cluster.credentials.clusterIdentityName;
      if (name === undefined || !identities.has(name)) continue;
      const selector = identities.get(name);
      // Kubernetes labels every namespace with its name.
      const labels = { ...namespaceLabels.get(c.cluster.namespace), 'kubernetes.io/metadata.name': c.cluster.namespace };
      if (!admits(selector, labels)) {
        problems.push(`${this.node.path}: ${at(c)}: the OpenStackClusterIdentity "${name}" does not admit namespace "${c.cluster.namespace}" `
          + `(namespaceSelector ${canonicalJson(selector)}): CAPO would refuse the cluster; add the namespace to its allowedNamespaces`);
      }
    }
    return problems;
  }
}

function overlap(a: string, b: string): boolean {
  const x = parseIpv4Cidr(a);
  const y = parseIpv4Cidr(b);
  return typeof x !== 'string' && typeof y !== 'string' && overlaps(x, y);
}

/** Whether a label selector (matchLabels, matchExpressions In/NotIn/Exists/DoesNotExist) admits the labels. */
function admits(selector: any, labels: { [key: string]: string }): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e: any) => {
    const has = labels[e.key] !== undefined;
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
  return byLabels && byExpressions;
}

/** The OpenStackCluster spec of a cluster that writes one (plain and hosted clusters); {} otherwise. */
function openStackClusterSpec(cluster: ICapiCluster): any {
  const object = (cluster as { openStackCluster?: ApiObject }).openStackCluster;
  return object?.toJson().spec ?? {};
}
