/** A field path as users read it: `spec.template.spec.containers[0].image`, `metadata.labels["a/b"]`. */
export function childPath(parent: string, key: string): string {
  const segment = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? key : JSON.stringify(key);
  if (segment !== key) return `${parent}[${segment}]`;
  return parent ? `${parent}.${segment}` : segment;
}

export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
