import { addressFieldProblems } from './address-fields';
import { CelCounts } from './cel-rules';
import { clusterResourceSetPayloads, SourcedObject } from './cluster-resource-set-payloads';
import { CrdCatalog } from './crd-catalog';
import { KindLookup, parseApiVersion } from './kind-schema';
import { KubernetesCatalog } from './kubernetes-catalog';
import { objectRuleProblems } from './object-rules';
import { formatProblem, Problem } from './problem';
import { checkObject } from './schema-check';
import { securityGroupProtocolProblems } from './security-group-protocols';
import { UpstreamVersions } from './upstream-versions';

/** What checking a list of objects found, and how much work it took. */
export interface CheckOutcome {
  readonly errors: string[];
  readonly objectsChecked: number;
  readonly objectsWithoutSchema: number;
  readonly cel: CelCounts;
}

/**
 * Checks objects against the schemas of one version pair. One checker per pair is shared by
 * every validator, so each schema is read and each CEL rule compiled once per process.
 */
export class ManifestChecker {
  public static of(versions: UpstreamVersions): ManifestChecker {
    let checker = checkers.get(versions);
    if (!checker) {
      checker = new ManifestChecker(versions);
      checkers.set(versions, checker);
    }
    return checker;
  }

  private readonly crds: CrdCatalog;
  private readonly kubernetes: KubernetesCatalog;

  private constructor(private readonly versions: UpstreamVersions) {
    this.crds = new CrdCatalog(versions);
    this.kubernetes = KubernetesCatalog.of(versions.kubernetes);
  }

  /** Checks the objects, then those their ClusterResourceSets carry in ConfigMaps and Secrets. */
  public check(objects: SourcedObject[]): CheckOutcome {
    const cel: CelCounts = { evaluated: 0, transitionSkipped: 0, unsupportedSkipped: 0 };
    const payloads = clusterResourceSetPayloads(objects.map(o => o.manifest));
    const all = [...objects, ...payloads.objects];
    const errors = [...payloads.errors];
    let objectsWithoutSchema = 0;
    for (const { manifest, origin, secret } of all) {
      const { problems, hasSchema } = this.checkOne(manifest, cel);
      if (!hasSchema) objectsWithoutSchema++;
      errors.push(...problems.map(p => formatProblem(manifest, origin, p, secret)));
    }
    return { errors, objectsChecked: all.length, objectsWithoutSchema, cel };
  }

  private checkOne(manifest: any, cel: CelCounts): { problems: Problem[]; hasSchema: boolean } {
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
      return { problems: [{ path: '', value: manifest, rule: 'a manifest must be an object' }], hasSchema: false };
    }
    const problems = objectRuleProblems(manifest);
    const found = this.lookup(manifest.apiVersion, manifest.kind);
    if (found === undefined && typeof manifest.apiVersion === 'string' && this.crds.ownsGroup(parseApiVersion(manifest.apiVersion).group)) {
      // The API server answers "no matches for kind": the pinned CRDs of this group are complete.
      problems.push({ path: 'kind', value: manifest.kind, rule: `is not a kind of ${parseApiVersion(manifest.apiVersion).group} in ${this.versions} (a typo?)` });
      return { problems, hasSchema: true };
    }
    if (found && 'notServed' in found) {
      problems.push({ path: 'apiVersion', value: manifest.apiVersion, rule: found.notServed });
    } else if (found) {
      const object = structuredClone(manifest);
      if (found.ignoresStatus) delete object.status;
      checkObject(object, found.schema, {
        problems,
        cel,
        builtIn: found.builtIn,
        objectMeta: this.kubernetes.objectMeta,
        resolve: ref => this.kubernetes.resolve(ref),
      });
      problems.push(...FIELD_RULES.flatMap(rule => rule(manifest)));
    }
    return { problems, hasSchema: found !== undefined };
  }

  private lookup(apiVersion: unknown, kind: unknown): KindLookup {
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
    return this.crds.lookup(apiVersion, kind) ?? this.kubernetes.lookup(apiVersion, kind);
  }
}

/** Rules of fields whose schemas say too little: values the provider or OpenStack would refuse. */
const FIELD_RULES: ((manifest: any) => Problem[])[] = [addressFieldProblems, securityGroupProtocolProblems];

const checkers = new Map<UpstreamVersions, ManifestChecker>();
