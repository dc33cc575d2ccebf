import * as fs from 'fs';
import * as path from 'path';
import { IMPORTS_FOLDER } from './imports-folder';
import { KindLookup, parseApiVersion } from './kind-schema';
import { withKubernetesEnums } from './kubernetes-enums';
import { StructuralSchema } from './structural-schema';

interface SchemasFile {
  /** `apiVersion/kind` → definition name. */
  readonly kinds: Record<string, string>;
  readonly definitions: Record<string, StructuralSchema>;
}

/**
 * The schemas of the built-in Kubernetes kinds (imports/kubernetes/<version>/schemas.json, see
 * scripts/import-kubernetes-schemas.mjs) with the values of their enumerated fields, read once
 * per version.
 */
export class KubernetesCatalog {
  public static of(version: string): KubernetesCatalog {
    let catalog = loadedCatalogs.get(version);
    if (!catalog) {
      const file = path.join(IMPORTS_FOLDER, 'kubernetes', version, 'schemas.json');
      const schemas: SchemasFile = JSON.parse(fs.readFileSync(file, 'utf8'));
      catalog = new KubernetesCatalog(version, { ...schemas, definitions: withKubernetesEnums(schemas.definitions) });
      loadedCatalogs.set(version, catalog);
    }
    return catalog;
  }

  /** The schema of every object's `metadata`. */
  public readonly objectMeta: StructuralSchema;
  /** group → kind → served apiVersions. */
  private readonly served = new Map<string, Map<string, string[]>>();

  private constructor(public readonly version: string, private readonly file: SchemasFile) {
    this.objectMeta = this.resolve('V1ObjectMeta');
    for (const key of Object.keys(file.kinds)) {
      const slash = key.lastIndexOf('/');
      const apiVersion = key.slice(0, slash);
      const kind = key.slice(slash + 1);
      const { group } = parseApiVersion(apiVersion);
      const kinds = this.served.get(group) ?? new Map<string, string[]>();
      kinds.set(kind, [...kinds.get(kind) ?? [], apiVersion]);
      this.served.set(group, kinds);
    }
  }

  public resolve(ref: string): StructuralSchema {
    const schema = this.file.definitions[ref];
    if (!schema) throw new Error(`Kubernetes ${this.version} schemas have no definition ${ref}`);
    return schema;
  }

  public lookup(apiVersion: string, kind: string): KindLookup {
    const model = this.file.kinds[`${apiVersion}/${kind}`];
    if (model) return { schema: this.resolve(model), builtIn: true, ignoresStatus: true };
    const served = this.served.get(parseApiVersion(apiVersion).group)?.get(kind);
    if (served) return { notServed: `${kind} is served as ${served.join(', ')} by Kubernetes ${this.version}, not as ${apiVersion}` };
    return undefined;
  }
}

const loadedCatalogs = new Map<string, KubernetesCatalog>();
