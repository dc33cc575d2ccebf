import { Chart } from 'cdk8s';
import type { IManifestValidator } from '../manifest-validator';
import { ManifestChecker } from './manifest-checker';
import { UpstreamVersions } from './upstream-versions';

/** Props of a {@link SchemaValidator}. */
export interface SchemaValidatorProps {
  /**
   * The upstream releases whose API schemas objects are checked against.
   * @default UpstreamVersions.DEFAULT (CAPI v1.10.5 + CAPO v0.12.4)
   */
  readonly versions?: UpstreamVersions;
}

/** What validating a list of objects found, with the work it took. */
export interface ValidationReport {
  /** One line per problem: object (kind/namespace/name), field path, value and rule. Empty when all are valid. */
  readonly errors: string[];
  /** Objects checked, including those ClusterResourceSet ConfigMaps and Secrets carry. */
  readonly objectsChecked: number;
  /** Objects of kinds no pinned schema describes (checked by the object rules only). */
  readonly objectsWithoutSchema: number;
  /** CEL rules (`x-kubernetes-validations`) evaluated. */
  readonly celRulesEvaluated: number;
  /** CEL transition rules (reading `oldSelf`) skipped: they only apply to updates. */
  readonly transitionRulesSkipped: number;
  /** CEL rules skipped because they use functions the CEL library lacks. */
  readonly celRulesUnsupported: number;
}

/**
 * Checks objects as the API server would before storing them: against the pinned CRDs of CAPI and
 * CAPO (structural schema with defaults, unknown fields, CEL rules) and the Kubernetes schemas of
 * built-in kinds, plus the rules of names, labels, annotations and sizes. Objects carried in the
 * ConfigMaps and Secrets of ClusterResourceSets are checked too.
 *
 * Schemas are read and compiled once per process, on first use of each kind.
 */
export class SchemaValidator implements IManifestValidator {
  /** Validates the objects of a chart. */
  public static validateChart(chart: Chart, props: SchemaValidatorProps = {}): ValidationReport {
    return new SchemaValidator(props).validateObjects(chart.toJson());
  }

  /** The upstream releases checked against. */
  public readonly versions: UpstreamVersions;

  constructor(props: SchemaValidatorProps = {}) {
    this.versions = props.versions ?? UpstreamVersions.DEFAULT;
  }

  /** Validates the objects; returns one line per problem, none when they are all valid. */
  public validate(manifests: any[]): string[] {
    return this.validateObjects(manifests).errors;
  }

  /** Validates the objects; returns the problems and counts of the work done. */
  public validateObjects(manifests: any[]): ValidationReport {
    const outcome = ManifestChecker.of(this.versions).check(manifests.map(manifest => ({ manifest })));
    return {
      errors: outcome.errors,
      objectsChecked: outcome.objectsChecked,
      objectsWithoutSchema: outcome.objectsWithoutSchema,
      celRulesEvaluated: outcome.cel.evaluated,
      transitionRulesSkipped: outcome.cel.transitionSkipped,
      celRulesUnsupported: outcome.cel.unsupportedSkipped,
    };
  }
}
