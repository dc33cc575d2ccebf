import { CelProgram, celEnvironment } from './cel-library';
import { CelRuleSpec } from './structural-schema';

/** Counts of what happened to the CEL rules met while checking objects. */
export interface CelCounts {
  evaluated: number;
  /** Rules reading `oldSelf`: they compare an update with the stored object, so cannot apply. */
  transitionSkipped: number;
  /** Rules the CEL library cannot parse or type (e.g. Kubernetes-only functions). */
  unsupportedSkipped: number;
}

type Compiled = { program: CelProgram; message?: CelProgram } | { unsupported: string };

const TRANSITION_RULE = /\boldSelf\b/;

/**
 * The CRDs' `x-kubernetes-validations` rules, each compiled once on first use and shared by
 * every validator.
 */
export class CelRules {
  /**
   * Evaluates one rule against `self`; returns the message of a failed rule, or undefined.
   * @param self the value, converted for CEL (see toCelValue)
   */
  public static check(spec: CelRuleSpec, self: unknown, counts: CelCounts): string | undefined {
    if (TRANSITION_RULE.test(spec.rule)) {
      counts.transitionSkipped++;
      return undefined;
    }
    const compiled = compiledRule(spec);
    if ('unsupported' in compiled) {
      counts.unsupportedSkipped++;
      return undefined;
    }
    counts.evaluated++;
    let result: unknown;
    try {
      result = compiled.program({ self });
    } catch (error: any) {
      if (error?.code === 'no_matching_overload') {
        counts.evaluated--;
        counts.unsupportedSkipped++;
        return undefined;
      }
      return `CEL rule ${JSON.stringify(spec.rule)} cannot be evaluated: ${firstLine(error)}`;
    }
    if (result === true) return undefined;
    return `${CelRules.message(spec, compiled.message, self)} (CEL rule ${JSON.stringify(spec.rule)})`;
  }

  private static message(spec: CelRuleSpec, messageProgram: CelProgram | undefined, self: unknown): string {
    if (messageProgram) {
      try {
        const message = messageProgram({ self });
        if (typeof message === 'string' && message) return message;
      } catch {
        // falls back to the static message, as the API server does
      }
    }
    return spec.message ?? 'failed rule';
  }

}

const compiledRules = new Map<string, Compiled>();

function compiledRule(spec: CelRuleSpec): Compiled {
  const key = `${spec.rule}\u0000${spec.messageExpression ?? ''}`;
  let compiled = compiledRules.get(key);
  if (!compiled) {
    compiled = compileRule(spec);
    compiledRules.set(key, compiled);
  }
  return compiled;
}

function compileRule(spec: CelRuleSpec): Compiled {
  const env = celEnvironment();
  let program: CelProgram;
  try {
    program = env.parse(spec.rule);
    const typed = program.check();
    if (!typed.valid) return { unsupported: typed.error?.message ?? 'type error' };
  } catch (error) {
    return { unsupported: firstLine(error) };
  }
  let message: CelProgram | undefined;
  if (spec.messageExpression) {
    try {
      message = env.parse(spec.messageExpression);
    } catch {
      message = undefined;
    }
  }
  return { program, message };
}

function firstLine(error: unknown): string {
  return String((error as any)?.message ?? error).split('\n')[0];
}
