/**
 * Helpers for the Go templates of ClusterClass patches (`valueFrom.template`): CAPI renders them
 * with text/template and sprig's hermetic functions, then reads the result as YAML
 * (cluster-api, core/reconcilers/topology/cluster/patches/inline/json_patch_generator.go).
 */

/** Text the template writes as is: every `{{` is printed by an action of its own. */
export function goTemplateLiteral(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/** A YAML list item, on one line (JSON is YAML), written as is by the template. */
export function literalListItem(item: unknown): string {
  return `- ${goTemplateLiteral(JSON.stringify(item))}`;
}

/**
 * A YAML template nested under keys: `a:\n  b:\n    <template indented>`. Action lines start
 * with `{{-`, which trims the indentation before them, so only the YAML lines move.
 */
export function nestedYamlTemplate(keys: string[], template: string): string {
  return keys.reduceRight((inner, key) => `${key}:\n${inner.split('\n').map(line => (line ? `  ${line}` : line)).join('\n')}`, template);
}
