import { isDns1123Label, isDns1123Subdomain, labelKeyProblem, labelValueProblem } from '../rules';
import { childPath } from './object-path';
import { Problem } from './problem';

/** The most bytes the annotations of one object may hold (keys and values). */
export const MAX_ANNOTATIONS_BYTES = 262_144;
/** The most bytes one object may take, serialized (etcd's request limit). */
export const MAX_OBJECT_BYTES = 1_048_576;

/** Kinds whose names must be DNS-1123 labels (they become host names or label values). */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);
/** Kinds whose names only need to be a path segment. */
const PATH_SEGMENT_NAMED_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/**
 * Rules of every object that no schema states: apimachinery's checks of names, namespaces, labels
 * and annotations, and the size limits of the API server and etcd.
 */
export function objectRuleProblems(manifest: any): Problem[] {
  const problems: Problem[] = [];
  const metadata = manifest?.metadata;
  if (typeof manifest?.apiVersion !== 'string' || !manifest.apiVersion) {
    problems.push({ path: 'apiVersion', value: manifest?.apiVersion, rule: 'required field is missing' });
  }
  if (typeof manifest?.kind !== 'string' || !manifest.kind) {
    problems.push({ path: 'kind', value: manifest?.kind, rule: 'required field is missing' });
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    problems.push({ path: 'metadata', value: metadata, rule: 'required field is missing' });
    return problems;
  }
  checkName(manifest.kind, metadata, problems);
  if (metadata.namespace !== undefined && metadata.namespace !== null && !isDns1123Label(metadata.namespace)) {
    problems.push({ path: 'metadata.namespace', value: metadata.namespace, rule: 'must be a DNS-1123 label: at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit' });
  }
  checkLabels(metadata.labels, problems);
  checkAnnotations(metadata.annotations, problems);
  const bytes = Buffer.byteLength(JSON.stringify(manifest));
  if (bytes > MAX_OBJECT_BYTES) {
    problems.push({ path: '', value: `${bytes} bytes`, rule: `an object must be at most ${MAX_OBJECT_BYTES} bytes (1 MiB) serialized, the most etcd stores` });
  }
  return problems;
}

function checkName(kind: unknown, metadata: any, problems: Problem[]): void {
  const name = metadata.name;
  if (name === undefined || name === null || name === '') {
    if (!metadata.generateName) problems.push({ path: 'metadata.name', value: name, rule: 'required field is missing' });
    return;
  }
  if (typeof name !== 'string') return; // the schema reports the type
  if (typeof kind === 'string' && PATH_SEGMENT_NAMED_KINDS.has(kind)) {
    if (name === '.' || name === '..' || /[/%]/.test(name)) {
      problems.push({ path: 'metadata.name', value: name, rule: 'must be a path segment: not "." or "..", without "/" or "%"' });
    }
  } else if (typeof kind === 'string' && LABEL_NAMED_KINDS.has(kind)) {
    if (!isDns1123Label(name)) {
      problems.push({ path: 'metadata.name', value: name, rule: 'must be a DNS-1123 label: at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit' });
    }
  } else if (!isDns1123Subdomain(name)) {
    problems.push({ path: 'metadata.name', value: name, rule: 'must be a DNS-1123 subdomain: at most 253 lower-case letters, digits, "-" or ".", starting and ending with a letter or digit' });
  }
}

function checkLabels(labels: unknown, problems: Problem[]): void {
  if (typeof labels !== 'object' || labels === null) return;
  for (const [key, value] of Object.entries(labels)) {
    const path = childPath('metadata.labels', key);
    const keyRule = labelKeyProblem(key);
    if (keyRule) problems.push({ path, value: key, rule: `invalid label key: ${keyRule}` });
    if (typeof value === 'string') {
      const valueRule = labelValueProblem(value);
      if (valueRule) problems.push({ path, value, rule: valueRule });
    }
  }
}

function checkAnnotations(annotations: unknown, problems: Problem[]): void {
  if (typeof annotations !== 'object' || annotations === null) return;
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    const keyRule = labelKeyProblem(key.toLowerCase());
    if (keyRule) problems.push({ path: childPath('metadata.annotations', key), value: key, rule: `invalid annotation key: ${keyRule}` });
    bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) {
    problems.push({ path: 'metadata.annotations', value: `${bytes} bytes`, rule: `annotations must total at most ${MAX_ANNOTATIONS_BYTES} bytes (keys and values)` });
  }
}
