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

/** A short, one-line rendering of a prop value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 120 ? value.slice(0, 100) + `... (${value.length} characters)` : value);
  try {
    const json = JSON.stringify(value);
    return json.length > 120 ? json.slice(0, 117) + '...' : json;
  } catch {
    return String(value);
  }
}
