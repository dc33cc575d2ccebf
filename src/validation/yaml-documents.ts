import { parseAllDocuments } from 'yaml';

/** The objects of a multi-document YAML text, `List` kinds expanded, and its syntax errors. */
export interface YamlObjects {
  /** Each object with its document's position (1-based) in the text. */
  readonly objects: { readonly manifest: any; readonly document: number }[];
  readonly errors: string[];
}

/**
 * Reads YAML as kubectl does: YAML 1.1, where `yes` and `off` are booleans, but without the
 * timestamp and base-60 types (kubectl keeps `2024-01-01` and `12:30` as strings).
 */
const YAML_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: any[]) => tags.filter(t => t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'),
};

export function parseYamlObjects(text: string): YamlObjects {
  const objects: { manifest: any; document: number }[] = [];
  const errors: string[] = [];
  parseAllDocuments(text, YAML_OPTIONS).forEach((document, i) => {
    if (document.errors.length > 0) {
      errors.push(...document.errors.map(e => `document ${i + 1}: ${e.message.split('\n')[0]}`));
      return;
    }
    let value: any;
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      // e.g. an alias bomb: reported like a syntax error, not thrown
      errors.push(`document ${i + 1}: ${(e as Error).message.split('\n')[0]}`);
      return;
    }
    if (value === null || value === undefined) return;
    // A JSON list of objects (which CAPI also applies element by element), a List kind, or one object.
    const items = Array.isArray(value) ? value : isList(value) ? value.items : [value];
    for (const manifest of items) objects.push({ manifest, document: i + 1 });
  });
  return { objects, errors };
}

function isList(value: any): value is { items: unknown[] } {
  return typeof value?.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items);
}
