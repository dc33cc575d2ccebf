/** Options every ClusterClass variable takes. */
export interface ClassVariableOptions {
  /**
   * Whether every cluster of the class must set it.
   * @default false
   */
  readonly required?: boolean;
  /**
   * What it is for, shown to users of the class (`kubectl explain`-like tools, the ClusterClass).
   * @default - none
   */
  readonly description?: string;
}

/** Options of a string variable. */
export interface StringVariableOptions extends ClassVariableOptions {
  /** @default - none */
  readonly default?: string;
  /** A regular expression (RE2, as Kubernetes validates) the value must match. @default - any */
  readonly pattern?: string;
  /** The allowed values. @default - any */
  readonly enum?: string[];
  /** Longest value. @default - no limit */
  readonly maxLength?: number;
}

/** Options of an integer variable. */
export interface IntegerVariableOptions extends ClassVariableOptions {
  /** @default - none */
  readonly default?: number;
  /** @default - no minimum */
  readonly minimum?: number;
  /** @default - no maximum */
  readonly maximum?: number;
}

/** Options of a boolean variable. */
export interface BooleanVariableOptions extends ClassVariableOptions {
  /** @default - none */
  readonly default?: boolean;
}

/** Options of a list-of-strings variable. */
export interface StringListVariableOptions extends ClassVariableOptions {
  /** @default - none */
  readonly default?: string[];
  /** A regular expression each item must match. @default - any */
  readonly itemPattern?: string;
  /** Most items. @default - no limit */
  readonly maxItems?: number;
}

/**
 * A variable of a ClusterClass: a typed value each cluster of the class sets in its topology
 * (`spec.topology.variables`), checked by CAPI against the variable's OpenAPI v3 schema, and by
 * this library at synth time against the same schema. The schema is written from the typed
 * options; `fromSchema` takes one as is.
 */
export class ClusterClassVariable {
  /** A string. */
  public static string(name: string, options: StringVariableOptions = {}): ClusterClassVariable {
    return new ClusterClassVariable(name, options, {
      type: 'string', default: options.default, pattern: options.pattern, enum: options.enum, maxLength: options.maxLength,
    });
  }

  /** An integer. */
  public static integer(name: string, options: IntegerVariableOptions = {}): ClusterClassVariable {
    return new ClusterClassVariable(name, options, { type: 'integer', default: options.default, minimum: options.minimum, maximum: options.maximum });
  }

  /** A boolean. */
  public static boolean(name: string, options: BooleanVariableOptions = {}): ClusterClassVariable {
    return new ClusterClassVariable(name, options, { type: 'boolean', default: options.default });
  }

  /** A list of strings. */
  public static stringList(name: string, options: StringListVariableOptions = {}): ClusterClassVariable {
    return new ClusterClassVariable(name, options, {
      type: 'array', default: options.default, maxItems: options.maxItems, items: { type: 'string', pattern: options.itemPattern },
    });
  }

  /** Any OpenAPI v3 schema, as a CRD writes one (`x-kubernetes-validations` CEL rules included). */
  public static fromSchema(name: string, schema: { [key: string]: any }, options: ClassVariableOptions = {}): ClusterClassVariable {
    return new ClusterClassVariable(name, options, schema);
  }

  /** The variable's name. */
  public readonly name: string;
  /** Whether clusters must set it. */
  public readonly required: boolean;
  /** The variable's OpenAPI v3 schema. */
  public readonly schema: { [key: string]: any };

  private constructor(name: string, options: ClassVariableOptions, schema: { [key: string]: any }) {
    this.name = name;
    this.required = options.required ?? false;
    this.schema = withoutUndefined({ ...schema, description: options.description });
  }

  /** The ClusterClass `spec.variables` entry. @internal */
  public _toSpec(): any {
    return { name: this.name, required: this.required, schema: { openAPIV3Schema: this.schema } };
  }
}

function withoutUndefined(value: any): any {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
}
