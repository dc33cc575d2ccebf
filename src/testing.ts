import { Chart, Yaml } from 'cdk8s';
import { chartObjects, duplicateObjects, validateByUpstreamVersions, validateConstructs } from './chart-validation';
import { PRUNE_PROTECTION } from './gitops-annotations';
import { formatErrors } from './input-errors';

/** Options of {@link CapiTesting}. */
export interface CapiTestingOptions {
  /**
   * Check the chart as `GitOpsApp` does before writing: every construct's validation, then every
   * object against the upstream schemas of its cluster's `upstreamVersions`.
   * @default true
   */
  readonly validate?: boolean;

  /**
   * Replace the spec hash that ends the names of hashed templates and of Calico's bootstrap Job
   * (`prod-control-plane-1a2b3c4d`) with `<hash>`, everywhere it appears. A snapshot then shows
   * a spec change as the change itself, not as a new name on top of it; the name's change is the
   * consequence (a rollout), tested apart if needed.
   * @default false
   */
  readonly normalizeHashes?: boolean;
}

/** A name ending with the 8-hex-digit hash of a spec. */
const HASHED_NAME = /^(.+)-[0-9a-f]{8}$/;
const PRUNE_KEY = Object.keys(PRUNE_PROTECTION)[0];

/**
 * Helpers for a team's tests of its blueprints: synthesize a chart as `GitOpsApp` would, with
 * validation on, and get its objects or stable YAML for `toMatchSnapshot()`.
 *
 * ```ts
 * test('prod', () => {
 *   const chart = new TeamCluster(Testing.app(), 'prod', { size: 'large' });
 *   expect(CapiTesting.yaml(chart, { normalizeHashes: true })).toMatchSnapshot();
 * });
 * ```
 *
 * A chart that does not validate throws one error listing every problem, each naming the
 * construct, the field, the value and the rule.
 */
export class CapiTesting {
  /** The chart's objects, as plain JSON, in apply order. */
  public static synth(chart: Chart, options: CapiTestingOptions = {}): any[] {
    const objects = chartObjects(chart).map(object => ({ object, json: object.toJson() }));
    if (options.validate ?? true) {
      const problems = validateConstructs(chart);
      if (problems.length === 0) problems.push(...duplicateObjects([{ folder: chart.node.path, manifests: objects.map(o => o.json) }]));
      if (problems.length === 0) problems.push(...validateByUpstreamVersions(objects));
      if (problems.length > 0) throw new Error(`CapiTesting: chart ${chart.node.path} does not validate:\n${formatErrors(problems)}`);
    }
    const manifests = objects.map(o => o.json);
    return options.normalizeHashes ? JSON.parse(normalize(JSON.stringify(manifests), hashedNames(manifests))) : manifests;
  }

  /** The chart's objects as one YAML stream, byte-identical for the same code. */
  public static yaml(chart: Chart, options: CapiTestingOptions = {}): string {
    return Yaml.stringify(...CapiTesting.synth(chart, options));
  }

  private constructor() {}
}

/**
 * The names that end with a spec hash: templates marked as hashed (they carry the prune
 * protection only when hashing is on) and the Jobs the add-ons' ConfigMaps carry.
 */
function hashedNames(manifests: any[]): string[] {
  const names = manifests
    .filter(m => String(m.kind).endsWith('Template') && m.metadata?.annotations?.[PRUNE_KEY] !== undefined)
    .map(m => String(m.metadata.name));
  for (const m of manifests.filter(o => o.kind === 'ConfigMap')) {
    for (const text of Object.values(m.data ?? {})) {
      for (const match of String(text).matchAll(/^kind: Job\nmetadata:\n {2}name: (\S+)$/gm)) names.push(match[1]);
    }
  }
  return names.filter(name => HASHED_NAME.test(name));
}

function normalize(text: string, names: string[]): string {
  let result = text;
  for (const name of names) result = result.split(name).join(`${name.replace(HASHED_NAME, '$1')}-<hash>`);
  return result;
}
