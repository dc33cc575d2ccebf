import { IConstruct } from 'constructs';

/**
 * Collects the problems found in a construct's props and reports them together, one line each:
 * the construct path, the prop, the offending value and the rule it breaks.
 *
 * Constructs check their props in the constructor (`throwIfAny`); state that `addXxx()` can still
 * change is checked at synth time through `node.addValidation(errors.validation())`.
 */
export class InputErrors {
  private readonly messages: string[] = [];

  constructor(private readonly scope: IConstruct) {}

  /** Records that `prop` holds `value`, which breaks `rule`. */
  public add(prop: string, value: unknown, rule: string): void {
    this.messages.push(`${this.scope.node.path}: ${prop} = ${describeValue(value)}: ${rule}`);
  }

  /** Records the problem unless `ok` holds; returns `ok`. */
  public check(ok: boolean, prop: string, value: unknown, rule: string): boolean {
    if (!ok) this.add(prop, value, rule);
    return ok;
  }

  /**
   * Records the problem unless `value` is undefined or a list whose every item passes `isItem`;
   * returns whether it is.
   */
  public checkList(prop: string, value: unknown, isItem: (item: unknown) => boolean, itemRule: string): boolean {
    if (value === undefined) return true;
    if (!Array.isArray(value)) return this.check(false, prop, value, `must be a list of ${itemRule}`);
    return value.map((item, i) => this.check(isItem(item), `${prop}[${i}]`, item, `must be ${itemRule}`)).every(Boolean);
  }

  /** Records the problem unless `value` is undefined or a map of strings to strings. */
  public checkStringMap(prop: string, value: unknown): boolean {
    if (value === undefined) return true;
    const ok = typeof value === 'object' && value !== null && !Array.isArray(value)
      && Object.values(value).every(v => typeof v === 'string');
    return this.check(ok, prop, value, 'must map strings to strings');
  }

  /**
   * Records the problem unless `value` is undefined or a boolean: from untyped callers, the string
   * "false" would otherwise read as true.
   */
  public checkBoolean(prop: string, value: unknown): boolean {
    return value === undefined || this.check(typeof value === 'boolean', prop, value, 'must be true or false (a boolean, not a string)');
  }

  /**
   * Checks a props object from an untyped caller: that it is an object, and that every key is a
   * known prop (a misspelled prop would otherwise be ignored silently). Returns whether it is an
   * object at all. For a nested struct, `path` is the prop holding it: its keys are reported as
   * `<path>.<key>`.
   */
  public checkPropNames(what: string, props: unknown, known: readonly string[], path?: string): boolean {
    const isObject = typeof props === 'object' && props !== null && !Array.isArray(props);
    if (!this.check(isObject, path ?? what, props, path ? `must be an object (${what})` : 'must be an object of props')) return false;
    for (const key of Object.keys(props as object)) {
      if (known.includes(key)) continue;
      const near = closestName(key, known);
      this.add(path ? `${path}.${key}` : key, (props as any)[key], `is not a prop of ${what}${near ? ` (did you mean "${near}"?)` : ''}`);
    }
    return true;
  }

  public get empty(): boolean {
    return this.messages.length === 0;
  }

  public get lines(): string[] {
    return [...this.messages];
  }

  /** Throws one error listing every recorded problem, if there is any. */
  public throwIfAny(): void {
    if (this.messages.length > 0) {
      throw new Error(formatErrors(this.messages));
    }
  }
}

/** The message of the error thrown for a list of input problems. */
export function formatErrors(messages: string[]): string {
  const noun = messages.length === 1 ? 'error' : 'errors';
  return `${messages.length} invalid input ${noun}:\n` + messages.map(m => `  - ${m}`).join('\n');
}

/**
 * Text that looks like a credential: a PEM private key, or a `password:`/`secret=`-style entry (as
 * in clouds.yaml). Error messages show `<redacted>` instead: a value given to the wrong prop may
 * be secret.
 */
const SECRET_LOOKING = /-----BEGIN [A-Z ]*PRIVATE KEY-----|\b(password|passwd|secret|token|application_credential_secret)["']?\s*[:=]/i;

/** A short, one-line rendering of a prop value for error messages; secret-looking text redacted. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (looksSecret(value)) return '"<redacted>"';
  if (typeof value === 'string') return JSON.stringify(value.length > 120 ? value.slice(0, 100) + `... (${value.length} characters)` : value);
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? json.slice(0, 117) + '...' : json;
  } catch {
    return String(value);
  }
}

function looksSecret(value: unknown): boolean {
  if (typeof value === 'string') return SECRET_LOOKING.test(value);
  if (typeof value !== 'object' || value === null) return false;
  try {
    return SECRET_LOOKING.test(JSON.stringify(value));
  } catch {
    return false;
  }
}

/** The known name closest to a misspelled one (at most 2 edits away, or differing in case only). */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
