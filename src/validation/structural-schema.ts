/** One CEL rule of a schema node (`x-kubernetes-validations`). */
export interface CelRuleSpec {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
}

/**
 * A node of an OpenAPI v3 structural schema, as found in a CRD's `openAPIV3Schema` or in the
 * Kubernetes schemas (where `$ref` names another definition of the same catalog).
 */
export interface StructuralSchema {
  readonly '$ref'?: string;
  readonly 'type'?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly 'properties'?: Record<string, StructuralSchema>;
  readonly 'additionalProperties'?: StructuralSchema | boolean;
  readonly 'items'?: StructuralSchema;
  readonly 'required'?: string[];
  readonly 'enum'?: unknown[];
  readonly 'pattern'?: string;
  readonly 'format'?: string;
  readonly 'minimum'?: number;
  readonly 'maximum'?: number;
  readonly 'exclusiveMinimum'?: boolean;
  readonly 'exclusiveMaximum'?: boolean;
  readonly 'multipleOf'?: number;
  readonly 'minLength'?: number;
  readonly 'maxLength'?: number;
  readonly 'minItems'?: number;
  readonly 'maxItems'?: number;
  readonly 'uniqueItems'?: boolean;
  readonly 'minProperties'?: number;
  readonly 'maxProperties'?: number;
  readonly 'nullable'?: boolean;
  readonly 'default'?: unknown;
  readonly 'allOf'?: StructuralSchema[];
  readonly 'anyOf'?: StructuralSchema[];
  readonly 'oneOf'?: StructuralSchema[];
  readonly 'not'?: StructuralSchema;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: string[];
  readonly 'x-kubernetes-validations'?: CelRuleSpec[];
}
