/**
 * The part of Go's text/template (with sprig's `quote`) that ClusterClass patch templates use, to
 * render them in tests as CAPI does (cluster-api core/reconcilers/topology/cluster/patches/inline/
 * json_patch_generator.go: text/template, sprig's hermetic functions, the variables as JSON
 * decodes them). Fields, string literals, pipelines, `if`/`else`/`range`/`end` (not `else if`), the `{{-`/`-}}`
 * trim markers, and the functions quote, eq, ne, not, len. Anything else throws, so a template
 * this cannot render is noticed rather than mis-rendered.
 */

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'print'; pipeline: string }
  | { kind: 'if'; pipeline: string; then: Node[]; else: Node[] }
  | { kind: 'range'; pipeline: string; body: Node[]; else: Node[] };

export function renderGoTemplate(template: string, data: unknown): string {
  const tokens = tokenize(template);
  let at = 0;
  const parse = (stop: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (at < tokens.length) {
      const token = tokens[at++];
      if (token.text !== undefined) {
        nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      const action = token.action!;
      const keyword = action.split(/\s+/)[0];
      if (stop.includes(keyword)) return { nodes, end: action };
      if (keyword === 'if' || keyword === 'range') {
        const body = parse(['else', 'end']);
        let otherwise: Node[] = [];
        if (body.end !== 'end') {
          if (body.end !== 'else') throw new Error(`unsupported action {{ ${body.end} }}`);
          otherwise = parse(['end']).nodes;
        }
        const pipeline = action.slice(keyword.length).trim();
        nodes.push(keyword === 'if' ? { kind: 'if', pipeline, then: body.nodes, else: otherwise } : { kind: 'range', pipeline, body: body.nodes, else: otherwise });
        continue;
      }
      if (['else', 'end', 'with', 'define', 'template', 'block'].includes(keyword)) throw new Error(`unsupported or misplaced action {{ ${action} }}`);
      nodes.push({ kind: 'print', pipeline: action });
    }
    if (stop.length > 0) throw new Error(`template ends before {{ ${stop.join(' / ')} }}`);
    return { nodes, end: '' };
  };
  return execute(parse([]).nodes, data);
}

interface Token { text?: string; action?: string }

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      tokens.push({ text: rest });
      break;
    }
    let text = rest.slice(0, open);
    const trimLeft = rest.startsWith('{{- ', open);
    if (trimLeft) text = text.replace(/\s+$/, '');
    const close = closingBraces(rest, open + 2);
    let action = rest.slice(open + (trimLeft ? 3 : 2), close);
    const trimRight = action.endsWith(' -');
    if (trimRight) action = action.slice(0, -2);
    if (text) tokens.push({ text });
    tokens.push({ action: action.trim() });
    rest = rest.slice(close + 2);
    if (trimRight) rest = rest.replace(/^\s+/, '');
  }
  return tokens;
}

/** The `}}` closing an action, past any string literal holding braces. */
function closingBraces(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (text.startsWith('}}', i)) {
      return i;
    }
  }
  throw new Error('unclosed action');
}

function execute(nodes: Node[], dot: unknown): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text': out += node.text; break;
      case 'print': out += printed(evaluatePipeline(node.pipeline, dot)); break;
      case 'if': out += execute(truthy(evaluatePipeline(node.pipeline, dot)) ? node.then : node.else, dot); break;
      case 'range': {
        const list = evaluatePipeline(node.pipeline, dot);
        if (list !== null && list !== undefined && !Array.isArray(list)) throw new Error(`range over a non-list: ${node.pipeline}`);
        const items = (list ?? []) as unknown[];
        out += items.length ? items.map(item => execute(node.body, item)).join('') : execute(node.else, dot);
        break;
      }
    }
  }
  return out;
}

/** Go's `if`: false, 0, nil and empty strings, lists and maps are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === 0n || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function printed(value: unknown): string {
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'object') throw new Error('printing a map or a list is not supported');
  if (typeof value === 'number') return goFloat(value);
  return String(value);
}

/**
 * Go's `%v` of a float64 (every number of the variables, decoded from JSON): the shortest digits,
 * as `%e` with a two-digit exponent when the exponent is below -4 or at least 6 (strconv 'g').
 */
function goFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value < 0 ? '-Inf' : '+Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent >= -4 && exponent < 6) return String(value);
  const [mantissa, power] = value.toExponential().split('e');
  return `${mantissa}e${power[0]}${power.slice(1).padStart(2, '0')}`;
}

/** Go's eq and ne compare values of one basic kind: a float64 variable with an integer literal is an error. */
function comparable(a: unknown, b: unknown): void {
  const kind = (v: unknown) => (typeof v === 'bigint' ? 'int' : typeof v === 'number' ? 'float' : typeof v);
  if ((kind(a) === 'int' || kind(a) === 'float') && (kind(b) === 'int' || kind(b) === 'float') && kind(a) !== kind(b)) {
    throw new Error('incompatible types for comparison');
  }
}

function evaluatePipeline(pipeline: string, dot: unknown): unknown {
  const commands = splitOutside(pipeline, '|');
  let value: unknown;
  commands.forEach((command, i) => {
    const args = splitArguments(command.trim());
    if (i > 0) args.push({ piped: value });
    value = evaluateCommand(args, dot);
  });
  return value;
}

type Argument = string | { piped: unknown };

function evaluateCommand(args: Argument[], dot: unknown): unknown {
  const [head, ...rest] = args;
  const values = () => rest.map(arg => (typeof arg === 'string' ? evaluateTerm(arg, dot) : arg.piped));
  if (typeof head !== 'string') throw new Error('a pipeline cannot start with a piped value');
  switch (head) {
    case 'quote': return values().filter(v => v !== null && v !== undefined).map(v => goQuote(String(v))).join(' ');
    case 'eq': { const [a, ...others] = values(); others.forEach(b => comparable(a, b)); return others.some(b => a === b); }
    case 'ne': { const [a, b] = values(); comparable(a, b); return a !== b; }
    case 'not': return !truthy(values()[0]);
    case 'len': { const v = values()[0] as any; return BigInt(Array.isArray(v) || typeof v === 'string' ? v.length : Object.keys(v ?? {}).length); }
    default:
      if (rest.length > 0) throw new Error(`unsupported function ${head}`);
      return evaluateTerm(head, dot);
  }
}

function evaluateTerm(term: string, dot: unknown): unknown {
  if (term.startsWith('(')) return evaluatePipeline(term.slice(1, -1), dot);
  if (term.startsWith('"')) return JSON.parse(term);
  if (term === 'true' || term === 'false') return term === 'true';
  // Integer constants are Go ints, others float64.
  if (/^-?\d+$/.test(term)) return BigInt(term);
  if (/^-?\d+\.\d+$/.test(term)) return Number(term);
  if (term === '.') return dot;
  if (!term.startsWith('.')) throw new Error(`unsupported term ${term}`);
  let value: any = dot;
  for (const field of term.slice(1).split('.')) {
    // Go: a field of a missing map entry is an error ("nil pointer evaluating interface {}.x").
    if (value === null || value === undefined) throw new Error(`nil pointer evaluating interface {}.${field}`);
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`can't evaluate field ${field} in ${typeof value}`);
    value = value[field];
  }
  return value;
}

function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      current += text.slice(i, end + 1);
      i = end;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function splitArguments(command: string): Argument[] {
  const args: string[] = [];
  let i = 0;
  while (i < command.length) {
    if (/\s/.test(command[i])) { i++; continue; }
    let end = i;
    if (command[i] === '"') {
      end = stringEnd(command, i) + 1;
    } else if (command[i] === '(') {
      let depth = 0;
      for (; end < command.length; end++) {
        if (command[end] === '(') depth++;
        if (command[end] === ')' && --depth === 0) break;
      }
      end++;
    } else {
      while (end < command.length && !/\s/.test(command[end])) end++;
    }
    args.push(command.slice(i, end));
    i = end;
  }
  return args;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  throw new Error('unterminated string');
}

/** Go's `%q` of a string: escapes for `"`, `\` and characters that are not printable. */
export function goQuote(text: string): string {
  const named: { [c: string]: string } = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (named[c]) out += named[c];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u.test(c)) out += code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}
