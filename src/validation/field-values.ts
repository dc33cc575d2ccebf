import { childPath, itemPath } from './object-path';

/** A value found in an object, with its path as messages print it (`spec.rules[0].cidr`). */
export interface FieldValue {
  readonly path: string;
  readonly value: unknown;
}

/**
 * The values at a path pattern such as `spec.rules[*].cidr`, where `[*]` stands for every item of
 * a list. Parts that are absent or of another type yield nothing: the schema check reports those.
 */
export function valuesAt(root: unknown, pattern: string): FieldValue[] {
  let found: FieldValue[] = [{ path: '', value: root }];
  for (const token of pattern.match(/\[\*\]|[^.[\]]+/g) ?? []) {
    found = found.flatMap(({ path, value }): FieldValue[] => {
      if (token === '[*]') return Array.isArray(value) ? value.map((item, i) => ({ path: itemPath(path, i), value: item })) : [];
      const field = isPlainObject(value) ? value[token] : undefined;
      return field === undefined || field === null ? [] : [{ path: childPath(path, token), value: field }];
    });
  }
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
