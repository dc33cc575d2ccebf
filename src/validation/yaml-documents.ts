import { parseAllDocuments } from 'yaml';

/** The objects of a multi-document YAML text, `List` kinds expanded, and its syntax errors. */
export interface YamlObjects {
  /** Each object with its document's position (1-based) in the text. */
  readonly objects: { readonly manifest: any; readonly document: number }[];
  readonly errors: string[];
}

/** Reads YAML as kubectl does: YAML 1.1, where `yes` and `off` are booleans. */
export function parseYamlObjects(text: string): YamlObjects {
  const objects: { manifest: any; document: number }[] = [];
  const errors: string[] = [];
  parseAllDocuments(text, { version: '1.1' }).forEach((document, i) => {
    if (document.errors.length > 0) {
      errors.push(...document.errors.map(e => `document ${i + 1}: ${e.message.split('\n')[0]}`));
      return;
    }
    const value = document.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    const items = isList(value) ? value.items : [value];
    for (const manifest of items) objects.push({ manifest, document: i + 1 });
  });
  return { objects, errors };
}

function isList(value: any): value is { items: unknown[] } {
  return typeof value?.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
}
