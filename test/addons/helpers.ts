import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

export const IMPORTS = path.join(__dirname, '..', '..', 'imports');

/** The documents of a YAML text, with `kind: List` flattened into its items. */
export function parseObjects(text: string): any[] {
  return parseAllDocuments(text)
    .map(d => d.toJSON())
    .filter(Boolean)
    .flatMap(o => (o.kind === 'List' ? o.items : [o]));
}

/** The objects of an upstream file copied under imports/. */
export function upstreamObjects(relativePath: string, substitutions: { [placeholder: string]: string } = {}): any[] {
  let text = fs.readFileSync(path.join(IMPORTS, relativePath), 'utf8');
  for (const [placeholder, value] of Object.entries(substitutions)) text = text.split(placeholder).join(value);
  return parseObjects(text);
}

export interface DeliveredObject {
  /** The ConfigMap or Secret holding it. */
  readonly resource: string;
  /** Its data key. */
  readonly key: string;
  /** The object. */
  readonly object: any;
}

/**
 * The workload-cluster objects a ClusterResourceSet delivers, parsed back from its ConfigMaps and
 * Secrets, in the order CAPI applies them: resources as listed, keys sorted within each.
 */
export function deliveredObjects(manifests: any[], clusterResourceSetName: string): DeliveredObject[] {
  const crs = manifests.find(m => m.kind === 'ClusterResourceSet' && m.metadata.name === clusterResourceSetName);
  if (!crs) throw new Error(`no ClusterResourceSet ${clusterResourceSetName}`);
  return (crs.spec.resources ?? []).flatMap((ref: any) => {
    const resource = manifests.find(m => m.kind === ref.kind && m.metadata.name === ref.name && m.metadata.namespace === crs.metadata.namespace);
    if (!resource) return []; // created out of band
    return Object.keys(resource.data).sort().flatMap(key => {
      const text = ref.kind === 'Secret' ? Buffer.from(resource.data[key], 'base64').toString('utf8') : resource.data[key];
      return parseObjects(text).map(object => ({ resource: `${ref.kind}/${ref.name}`, key, object }));
    });
  });
}

/** The one object of a kind (and name) among objects. */
export function only(objects: any[], kind: string, name?: string): any {
  const found = objects.filter(o => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

export { errorOf } from '../fixtures';
