/** The part of @marcbachmann/cel-js this package uses. */
export interface CelProgram {
  (context: Record<string, unknown>): unknown;
  check(): { valid: boolean; error?: { message: string } };
}

export interface CelEnvironment {
  parse(expression: string): CelProgram;
}

interface CelModule {
  Environment: new (options: Record<string, unknown>) => CelEnvironment;
}

let environment: CelEnvironment | undefined;
let loadError: string | undefined;

/**
 * The CEL environment rules are evaluated in: variables are dynamically typed, as a schema-less
 * `self` needs. The library ships ES modules only, which Node.js >= 20.19 loads with require();
 * on an older Node.js the error is thrown by each parse, so rules count as unsupported.
 */
export function celEnvironment(): CelEnvironment {
  if (!environment) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const cel: CelModule = require('@marcbachmann/cel-js');
      environment = new cel.Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
    } catch (error) {
      loadError = `the CEL library cannot be loaded: ${(error as Error).message}`;
      environment = { parse: () => { throw new Error(loadError); } };
    }
  }
  return environment;
}
