import { InputErrors } from '../input-errors';

/**
 * Checks a chart add-on's `extraValues`: an object of plain JSON values that sets none of the
 * `managed` paths (values the add-on's props set; `hint` names those props). Returns a copy.
 */
export function checkExtraValues(errors: InputErrors, extra: unknown, managed: string[], hint: string): { [key: string]: any } {
  if (extra === undefined) return {};
  let copy: any;
  try {
    copy = JSON.parse(JSON.stringify(extra));
  } catch {
    copy = undefined;
  }
  if (!errors.check(typeof copy === 'object' && copy !== null && !Array.isArray(copy), 'extraValues', extra, 'must be an object of plain JSON values')) return {};
  for (const path of managed) {
    const value = path.split('.').reduce((object: any, key) => (typeof object === 'object' && object !== null ? object[key] : undefined), copy);
    errors.check(value === undefined, `extraValues.${path}`, value, `is set by ${hint}`);
  }
  return copy;
}

/** `over` merged into `base`: objects merge, other values replace. */
export function mergeValues(base: { [key: string]: any }, over: { [key: string]: any }): { [key: string]: any } {
  const result = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = result[key];
    const bothObjects = [current, value].every(v => typeof v === 'object' && v !== null && !Array.isArray(v));
    result[key] = bothObjects ? mergeValues(current, value) : value;
  }
  return result;
}
