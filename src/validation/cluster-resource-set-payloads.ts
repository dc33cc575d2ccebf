import { formatProblem } from './problem';
import { parseYamlObjects, YamlObjects } from './yaml-documents';

/** An object to check, and where it came from when that is not the list itself. */
export interface SourcedObject {
  readonly manifest: any;
  /** E.g. `in ConfigMap/ns/addons data["ccm.yaml"] document 2`. */
  readonly origin?: string;
}

/**
 * The objects that ClusterResourceSets of the list would apply to workload clusters: each data
 * value of each ConfigMap they reference (same namespace) is multi-document YAML. ConfigMaps not
 * in the list (created out of band) are not looked for.
 */
export function clusterResourceSetPayloads(manifests: any[]): { objects: SourcedObject[]; errors: string[] } {
  const configMaps = new Map<string, any>();
  for (const manifest of manifests) {
    if (manifest?.kind === 'ConfigMap' && manifest.apiVersion === 'v1') configMaps.set(key(manifest.metadata?.namespace, manifest.metadata?.name), manifest);
  }
  const objects: SourcedObject[] = [];
  const errors: string[] = [];
  const done = new Set<any>();
  for (const crs of manifests) {
    if (crs?.kind !== 'ClusterResourceSet' || !String(crs.apiVersion).startsWith('addons.cluster.x-k8s.io/')) continue;
    for (const resource of Array.isArray(crs.spec?.resources) ? crs.spec.resources : []) {
      if (resource?.kind !== 'ConfigMap') continue;
      const configMap = configMaps.get(key(crs.metadata?.namespace, resource.name));
      if (!configMap || done.has(configMap)) continue;
      done.add(configMap);
      for (const [dataKey, text] of Object.entries(configMap.data ?? {})) {
        if (typeof text !== 'string') continue;
        const where = `in ConfigMap/${configMap.metadata?.namespace ?? ''}/${configMap.metadata?.name} data[${JSON.stringify(dataKey)}]`;
        const parsed = parsedPayload(text);
        for (const error of parsed.errors) {
          errors.push(formatProblem(configMap, undefined, { path: `data[${JSON.stringify(dataKey)}]`, value: text, rule: `a ClusterResourceSet resource must be YAML: ${error}` }));
        }
        for (const { manifest, document } of parsed.objects) objects.push({ manifest, origin: `${where} document ${document}` });
      }
    }
  }
  return { objects, errors };
}

/**
 * Payloads parsed before, by their text: the same add-ons come back at every synth, and parsing
 * them dominates the time a check takes. The objects are never changed by the checks.
 */
const payloadCache = new Map<string, YamlObjects>();
const PAYLOAD_CACHE_SIZE = 128;

function parsedPayload(text: string): YamlObjects {
  let parsed = payloadCache.get(text);
  if (!parsed) {
    parsed = parseYamlObjects(text);
    if (payloadCache.size >= PAYLOAD_CACHE_SIZE) payloadCache.delete(payloadCache.keys().next().value!);
    payloadCache.set(text, parsed);
  }
  return parsed;
}

function key(namespace: unknown, name: unknown): string {
  return `${namespace ?? ''}/${name}`;
}
