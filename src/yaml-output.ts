import { Yaml } from 'cdk8s';
import { Document } from 'yaml';
import { stringifyString } from 'yaml/util';

/**
 * YAML text of plain JSON data, byte for byte what cdk8s's `Yaml.stringify` writes (the `yaml`
 * library, YAML 1.1 schema, no line folding), several times faster on the large outputs of a fleet.
 *
 * The library builds a node tree of the whole document before it writes; this walks the JSON and
 * writes block maps and sequences as the library's stringifyPair and stringifyCollection do
 * (2-space indentation, sequences indented under their key, `{}` and `[]` for empty ones). Every
 * string goes through the library's own `stringifyString` (from `yaml/util`), which decides
 * between plain, quoted and block styles; the decisions for one-line strings are remembered.
 * Anything else (undefined, non-JSON values, keys over 1024 characters, an object met twice) is
 * left to `Yaml.stringify`.
 * A property test compares both on random and on every example's objects.
 */
export function toYaml(value: unknown): string {
  try {
    return `${node(value, '')}\n`;
  } catch (e) {
    if (e !== NOT_PLAIN_JSON) throw e;
    return Yaml.stringify(value);
  } finally {
    seen.clear();
  }
}

// The maps and lists of the document being written: the library writes one met twice as an
// anchor and its aliases, which is left to it.
const seen = new Set<object>();

const NOT_PLAIN_JSON = new Error('not plain JSON');
const INDENT_STEP = '  ';
// The options cdk8s passes (lineWidth 0, YAML 1.1) over the library's defaults, as its
// createStringifyContext merges them; the string tag adds actualString.
const OPTIONS = {
  blockQuote: true,
  defaultKeyType: null,
  defaultStringType: 'PLAIN',
  doubleQuotedAsJSON: false,
  doubleQuotedMinMultiLineLength: 40,
  lineWidth: 0,
  minContentWidth: 20,
  singleQuote: null,
};
const DOC = new Document(null, { version: '1.1' });
const MAX_IMPLICIT_KEY = 1024;

const valueStrings = new Map<string, string>();
const keyStrings = new Map<string, string>();
const MEMO_LIMIT = 100_000;

function scalarString(text: string, indent: string, implicitKey: boolean): string {
  // The YAML 1.1 merge key's tag claims the string "<<" and writes it plain (getTagObject).
  if (text === '<<') return text;
  // One-line strings do not depend on the indentation, except those a document marker starts.
  const memo = !text.includes('\n') && !/^(%|---|\.\.\.)/.test(text) ? (implicitKey ? keyStrings : valueStrings) : undefined;
  const known = memo?.get(text);
  if (known !== undefined) return known;
  const ctx: any = { actualString: true, doc: DOC, indent, indentStep: INDENT_STEP, implicitKey, inFlow: null, options: OPTIONS };
  const written = stringifyString({ value: text } as any, ctx);
  if (memo) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, written);
  }
  return written;
}

/** The node as stringify() writes it in a context of indentation `indent`. */
function node(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'string': return scalarString(value, indent, false);
    case 'boolean': return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
      return Object.is(value, -0) ? '-0' : Number.isInteger(value) ? String(value) : JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      if (seen.has(value)) throw NOT_PLAIN_JSON;
      seen.add(value);
      if (Array.isArray(value)) return sequence(value, indent);
      if (!isPlainObject(value)) throw NOT_PLAIN_JSON;
      return map(value as Record<string, unknown>, indent);
    default:
      throw NOT_PLAIN_JSON;
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function sequence(items: unknown[], indent: string): string {
  if (items.length === 0) return '[]';
  const itemIndent = indent + INDENT_STEP;
  let text = '';
  for (let i = 0; i < items.length; i++) {
    if (items[i] === undefined) throw NOT_PLAIN_JSON;
    text += `${i === 0 ? '' : `\n${indent}`}- ${node(items[i], itemIndent)}`;
  }
  return text;
}

function map(object: Record<string, unknown>, indent: string): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return '{}';
  const pairIndent = indent + INDENT_STEP;
  let text = '';
  for (let i = 0; i < keys.length; i++) {
    const value = object[keys[i]];
    if (value === undefined) throw NOT_PLAIN_JSON;
    const key = scalarString(keys[i], pairIndent, true);
    if (key.length > MAX_IMPLICIT_KEY) throw NOT_PLAIN_JSON;
    const written = node(value, pairIndent);
    // A non-empty collection starts on the next line; a scalar or an empty one after a space.
    const collection = typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
    text += `${i === 0 ? '' : `\n${indent}`}${key}:${collection ? `\n${pairIndent}` : written === '' || written[0] === '\n' ? '' : ' '}${written}`;
  }
  return text;
}
