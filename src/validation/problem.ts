import { describeValue } from '../input-errors';

/** What a check found wrong at one field of an object. */
export interface Problem {
  /** Field path inside the object, e.g. `spec.replicas`; empty for the object itself. */
  readonly path: string;
  readonly value: unknown;
  readonly rule: string;
  /** The value is not repeated in the message (e.g. that of an unknown field: it may be anything). */
  readonly hideValue?: boolean;
}

/** `kind/namespace/name` (or `kind/name` for cluster-scoped objects), as in kubectl's messages. */
export function objectId(manifest: any): string {
  const kind = typeof manifest?.kind === 'string' ? manifest.kind : '<no kind>';
  const name = typeof manifest?.metadata?.name === 'string' ? manifest.metadata.name : '<no name>';
  const namespace = manifest?.metadata?.namespace;
  return typeof namespace === 'string' && namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/**
 * One line: the object, where it came from, the field path, the value and the rule.
 * @param inSecret the object came out of a Secret: its values are secret, whatever its kind
 */
export function formatProblem(manifest: any, origin: string | undefined, problem: Problem, inSecret = false): string {
  const where = origin ? `${objectId(manifest)} (${origin})` : objectId(manifest);
  const value = problem.hideValue ? '<not shown>'
    : mayBeSecret(manifest, problem.path, inSecret) ? '<redacted>' : describeValue(problem.value);
  const field = problem.path || '<object>';
  return `${where}: ${field} = ${value}: ${problem.rule}`.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Field names that say they hold credentials, anywhere (e.g. a kubeadm file's `contents`). */
const SECRET_FIELDS = new Set(['password', 'passwd', 'secret', 'token', 'credentials', 'credential', 'content', 'contents',
  'kubeconfig', 'privatekey', 'private_key', 'private-key', 'key', 'client-key-data', 'cacert']);

function fieldName(path: string): string {
  return (path.split('.').pop() ?? '').replace(/\[.*$/, '').toLowerCase();
}

/**
 * Whether the value at the path may be secret: anything of a Secret (or of an object carried in
 * one) but its identity, and fields named like credentials. Such values are never printed.
 */
function mayBeSecret(manifest: any, path: string, inSecret: boolean): boolean {
  if ((inSecret || manifest?.kind === 'Secret') && path !== '' && !/^(metadata|type|apiVersion|kind|immutable)\b/.test(path)) return true;
  const name = fieldName(path);
  return SECRET_FIELDS.has(name) || name.endsWith('password') || name.endsWith('secret');
}
