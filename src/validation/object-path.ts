/** A field path as users read it: `spec.template.spec.containers[0].image`, `metadata.labels["a/b"]`. */
export function childPath(parent: string, key: string): string {
  const segment = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? key : JSON.stringify(key);
  if (segment !== key) return `${parent}[${segment}]`;
  return parent ? `${parent}.${segment}` : segment;
}

export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** A path found inside a value, read from a prefix: `values` + `[0].name` or `a.b`. */
export function pathUnder(prefix: string, path: string): string {
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
