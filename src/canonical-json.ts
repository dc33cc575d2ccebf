import { createHash } from 'crypto';

/** JSON with object keys sorted at every level: equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]]))
      : v,
  );
}

/** A short, stable hash of a value's content, for names that must change when the content does. */
export function shortHash(value: unknown, length = 8): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}
