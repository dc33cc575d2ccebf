import { formatViolation } from './formats';
import { formatProblem } from './problem';
import { parseYamlObjects, YamlObjects } from './yaml-documents';

/** An object to check, and where it came from when that is not the list itself. */
export interface SourcedObject {
  readonly manifest: any;
  /** E.g. `in ConfigMap/ns/addons data["ccm.yaml"] document 2`. */
  readonly origin?: string;
  /** It came out of a Secret: none of its values is ever shown (its identity is). */
  readonly secret?: boolean;
}

/**
 * The only Secret type a ClusterResourceSet applies (CAPI exp/addons/api/v1beta1
 * clusterresourceset_types.go, ClusterResourceSetSecretType; the controller refuses others).
 */
const RESOURCE_SET_SECRET_TYPE = 'addons.cluster.x-k8s.io/resource-set';

/**
 * The objects that ClusterResourceSets of the list would apply to workload clusters: each data
 * value of each ConfigMap or Secret they reference (same namespace) is multi-document YAML or
 * JSON; a Secret's values are base64-decoded first, as CAPI's normalizeData does
 * (exp/addons/internal/controllers/clusterresourceset_helpers.go). ConfigMaps and Secrets not in
 * the list (created out of band) are not looked for.
 */
export function clusterResourceSetPayloads(manifests: any[]): { objects: SourcedObject[]; errors: string[] } {
  const resources = new Map<string, any>();
  for (const manifest of manifests) {
    if ((manifest?.kind === 'ConfigMap' || manifest?.kind === 'Secret') && manifest.apiVersion === 'v1') {
      resources.set(key(manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name), manifest);
    }
  }
  const objects: SourcedObject[] = [];
  const errors: string[] = [];
  const done = new Set<any>();
  for (const crs of manifests) {
    if (crs?.kind !== 'ClusterResourceSet' || !String(crs.apiVersion).startsWith('addons.cluster.x-k8s.io/')) continue;
    for (const resource of Array.isArray(crs.spec?.resources) ? crs.spec.resources : []) {
      const found = resources.get(key(resource?.kind, crs.metadata?.namespace, resource?.name));
      if (!found || done.has(found)) continue;
      done.add(found);
      const secret = found.kind === 'Secret';
      if (secret && found.type !== RESOURCE_SET_SECRET_TYPE) {
        errors.push(formatProblem(found, undefined, {
          path: 'type',
          value: found.type,
          rule: `a Secret listed by a ClusterResourceSet must have type "${RESOURCE_SET_SECRET_TYPE}" (ClusterResourceSet/${crs.metadata?.namespace ?? ''}/${crs.metadata?.name})`,
        }));
        continue;
      }
      for (const [dataKey, text] of Object.entries(secret ? decodedSecretData(found) : asRecord(found.data))) {
        if (typeof text !== 'string') continue;
        const field = `data[${JSON.stringify(dataKey)}]`;
        const where = `in ${found.kind}/${found.metadata?.namespace ?? ''}/${found.metadata?.name} ${field}`;
        // Secret values are not kept in the cache beyond the check.
        const parsed = secret ? parseYamlObjects(text) : parsedPayload(text);
        for (const error of parsed.errors) {
          // The parser's message may quote the text: of a Secret, only the document is named.
          const detail = secret ? `${error.match(/^document \d+/)?.[0]} is not (the parser's message is not shown: the data is secret)` : error;
          errors.push(formatProblem(found, undefined, { path: field, value: text, rule: `a ClusterResourceSet resource must be YAML: ${detail}` }));
        }
        for (const { manifest, document } of parsed.objects) objects.push({ manifest, origin: `${where} document ${document}`, secret });
      }
    }
  }
  return { objects, errors };
}

/**
 * A Secret's data as the API server stores it: `stringData` merged over the base64-decoded
 * `data`. Values that are not base64 are left out (the Secret's own schema check reports them).
 */
function decodedSecretData(secret: any): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [dataKey, value] of Object.entries(asRecord(secret.data))) {
    if (typeof value === 'string' && !formatViolation('byte', value)) decoded[dataKey] = Buffer.from(value, 'base64').toString('utf8');
  }
  return { ...decoded, ...asRecord(secret.stringData) };
}

/**
 * Payloads parsed before, by their text: the same add-ons come back at every synth, and parsing
 * them dominates the time a check takes. The objects are never changed by the checks.
 */
const payloadCache = new Map<string, YamlObjects>();
const PAYLOAD_CACHE_SIZE = 128;

/**
 * Payloads this library wrote itself from objects it holds (ClusterResourceSetAddon's entries):
 * their check reads those objects instead of parsing the text back, which `toYaml` writes so that
 * it parses to them (test/yaml-output.test.ts). Bounded like the cache, for long-lived processes.
 */
const writtenPayloads = new Map<string, YamlObjects>();
const WRITTEN_PAYLOADS_LIMIT = 50_000;

/**
 * Remembers that `text` is the YAML of `manifest`, one object, when it reads back as that object;
 * true when it does. Not remembered, so parsed as any payload: a List kind (the reader expands
 * it), a "<<" key (written as YAML 1.1's merge key), and a block scalar kept with its trailing
 * lines (`|+`: the library writes whitespace-only lines it reads back shorter). A property test
 * checks that every text remembered reads back as its object.
 */
export function rememberWrittenPayload(text: string, manifest: any): boolean {
  const list = typeof manifest?.kind === 'string' && manifest.kind.endsWith('List') && Array.isArray(manifest.items);
  if (list || Array.isArray(manifest) || text.includes('<<') || /\|\d?\+\n/.test(text)) return false;
  if (writtenPayloads.size >= WRITTEN_PAYLOADS_LIMIT) writtenPayloads.delete(writtenPayloads.keys().next().value!);
  writtenPayloads.set(text, { objects: [{ manifest, document: 1 }], errors: [] });
  return true;
}

function parsedPayload(text: string): YamlObjects {
  const written = writtenPayloads.get(text);
  if (written) return written;
  let parsed = payloadCache.get(text);
  if (!parsed) {
    parsed = parseYamlObjects(text);
    if (payloadCache.size >= PAYLOAD_CACHE_SIZE) payloadCache.delete(payloadCache.keys().next().value!);
    payloadCache.set(text, parsed);
  }
  return parsed;
}

/** A map field's entries; none when it is not a map (its schema check reports that). */
function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function key(kind: unknown, namespace: unknown, name: unknown): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}
