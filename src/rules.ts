/**
 * Syntax rules of Kubernetes names, labels and taints (k8s.io/apimachinery validation), shared by
 * every construct that checks its props.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const DNS1123_LABEL_RULE =
  'must be a DNS-1123 label: at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit';

/** A DNS-1123 label: the rule for namespaces and for names that become host names. */
export function isDns1123Label(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value);
}

/** A DNS-1123 subdomain: the rule for most object names. */
export function isDns1123Subdomain(value: string): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** A label or annotation key: an optional DNS-1123 subdomain prefix and a qualified name. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a key has at most one "/"';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) {
    return 'the key prefix must be a DNS-1123 subdomain';
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return 'the key name must be 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
    return 'a label value must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

export function isUuid(value: string): boolean {
  return typeof value === 'string' && UUID.test(value);
}
