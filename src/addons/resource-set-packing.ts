import { MOVE_LABEL } from '../cloud-credentials';
import { rememberWrittenPayload } from '../validation/cluster-resource-set-payloads';
import { toYaml } from '../yaml-output';

/**
 * How workload-cluster objects become the data of ClusterResourceSet ConfigMaps and Secrets.
 *
 * - One object per data key. CAPI applies the keys of one ConfigMap in sorted order, so each key
 *   starts with the rank of its kind: namespaces and CRDs, then ServiceAccounts and RBAC, then
 *   configuration, then workloads.
 * - A ConfigMap or Secret applied with client-side `kubectl apply` (as a GitOps sync of the
 *   management output does) is copied into its `last-applied-configuration` annotation, and
 *   annotations are limited to 262,144 bytes in total: that is the size budget of each one.
 */

/** The most bytes a ConfigMap or Secret may take, counted as kubectl counts its annotation. */
export const RESOURCE_SET_SIZE_LIMIT = 262_144;

/** The annotation that counts against the limit, with the object serialized in its value. */
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** The Secret type a ClusterResourceSet accepts. */
export const RESOURCE_SET_SECRET_TYPE = 'addons.cluster.x-k8s.io/resource-set';

const KIND_RANKS = new Map<string, number>(Object.entries({
  Namespace: 0,
  CustomResourceDefinition: 1,
  PriorityClass: 2,
  ServiceAccount: 3,
  ClusterRole: 4,
  Role: 4,
  ClusterRoleBinding: 5,
  RoleBinding: 5,
  Secret: 6,
  ConfigMap: 6,
  StorageClass: 6,
  Service: 7,
}));
const DEFAULT_RANK = 8;

/** One workload-cluster object, serialized under its data key. */
export interface ResourceSetEntry {
  /** The data key: sortable, unique within the add-on. */
  readonly key: string;
  /** `Kind/namespace/name`, for messages. */
  readonly id: string;
  /** The object as YAML. */
  readonly text: string;
  /** Whether it belongs in a Secret (it is one). */
  readonly secret: boolean;
}

/** A ConfigMap or Secret to create: its data, in key order. */
export interface ResourceSetBin {
  readonly secret: boolean;
  readonly entries: ResourceSetEntry[];
}

/** Why a manifest cannot be delivered, or undefined. */
export function manifestProblem(manifest: any): string | undefined {
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) return 'must be a Kubernetes object';
  if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') return 'must have apiVersion and kind';
  if (typeof manifest.metadata?.name !== 'string' || manifest.metadata.name === '') return 'must have metadata.name';
  return undefined;
}

/** The entry of a valid manifest. */
export function toEntry(manifest: any): ResourceSetEntry {
  const kind: string = manifest.kind;
  const namespace: string | undefined = manifest.metadata.namespace;
  const name: string = manifest.metadata.name;
  const rank = KIND_RANKS.get(kind) ?? DEFAULT_RANK;
  const key = [String(rank), kind, namespace, name].filter(Boolean).join('-')
    .toLowerCase().replace(/[^-._a-z0-9]/g, '-').slice(0, 248) + '.yaml';
  const text = toYaml(manifest);
  rememberWrittenPayload(text, manifest);
  return {
    key,
    id: [kind, namespace, name].filter(Boolean).join('/'),
    text,
    secret: kind === 'Secret' && manifest.apiVersion === 'v1',
  };
}

/** The ConfigMap (or Secret) manifest holding the entries, as the management cluster stores it. */
export function resourceSetManifest(name: string, namespace: string, bin: ResourceSetBin): any {
  const data: { [key: string]: string } = {};
  for (const entry of bin.entries) {
    data[entry.key] = bin.secret ? Buffer.from(entry.text, 'utf8').toString('base64') : entry.text;
  }
  return bin.secret
    ? { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels: { ...MOVE_LABEL } }, type: RESOURCE_SET_SECRET_TYPE, data }
    : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

/** Bytes the object takes in its last-applied-configuration annotation (compact JSON, newline). */
export function appliedSize(manifest: any): number {
  return LAST_APPLIED_ANNOTATION.length + Buffer.byteLength(JSON.stringify(manifest), 'utf8') + 1;
}

/**
 * Packs entries, in key order, into as few ConfigMaps (and Secrets, for Secret objects) as the
 * size limit allows: each bin takes the next entries while they fit, so the bins, listed in order,
 * keep the global key order. Entries too large on their own are returned as `oversized`, with
 * their size in a bin of their own.
 *
 * Linear: the serialized data object is `{"k1":"v1","k2":"v2"}`, so a bin's size is its size when
 * empty plus, per entry, the entry's `"key":"value"` and a comma between entries.
 */
export function packEntries(entries: ResourceSetEntry[], name: string, namespace: string): {
  bins: ResourceSetBin[]; oversized: Array<{ entry: ResourceSetEntry; size: number }>;
} {
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const bins: ResourceSetBin[] = [];
  const oversized: Array<{ entry: ResourceSetEntry; size: number }> = [];
  for (const secret of [false, true]) {
    const emptySize = appliedSize(resourceSetManifest(name, namespace, { secret, entries: [] }));
    let current: ResourceSetBin | undefined;
    let currentSize = 0;
    for (const entry of sorted.filter(e => e.secret === secret)) {
      const value = secret ? Buffer.from(entry.text, 'utf8').toString('base64') : entry.text;
      const entrySize = Buffer.byteLength(`${JSON.stringify(entry.key)}:${JSON.stringify(value)}`, 'utf8');
      if (emptySize + entrySize > RESOURCE_SET_SIZE_LIMIT) {
        oversized.push({ entry, size: emptySize + entrySize });
      } else if (current && currentSize + 1 + entrySize <= RESOURCE_SET_SIZE_LIMIT) {
        current.entries.push(entry);
        currentSize += 1 + entrySize;
      } else {
        current = { secret, entries: [entry] };
        currentSize = emptySize + entrySize;
        bins.push(current);
      }
    }
  }
  return { bins, oversized };
}
