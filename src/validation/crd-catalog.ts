import * as fs from 'fs';
import * as path from 'path';
import { load as loadYaml } from 'js-yaml';
import { IMPORTS_FOLDER } from './imports-folder';
import { KindLookup, parseApiVersion } from './kind-schema';
import { StructuralSchema } from './structural-schema';
import { UpstreamVersions } from './upstream-versions';

interface CustomResourceDefinition {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: {
      readonly name: string;
      readonly served: boolean;
      readonly schema?: { readonly openAPIV3Schema?: StructuralSchema };
      readonly subresources?: { readonly status?: object };
    }[];
  };
}

/**
 * Add-on providers of the management cluster whose CRDs are known with every pinned pair, as
 * folders under `imports/` (`<repository>/<tag>`). They are released apart from CAPI and CAPO:
 * CAAPH v0.6.4's HelmChartProxy (`addons.cluster.x-k8s.io/v1alpha1`, beside CAPI's
 * ClusterResourceSet in the same group). With CAPI v1.10 the management cluster runs CAAPH v0.4
 * (v1beta1 contract), whose HelmChartProxy lacks only `options.takeOwnership`.
 */
export const ADDON_PROVIDER_FOLDERS = [
  'cluster-api-addon-provider-helm/v0.6.4',
  // The cluster-api-operator's providers (operator.cluster.x-k8s.io/v1alpha2), the Kamaji control
  // plane provider's KamajiControlPlane (controlplane.cluster.x-k8s.io/v1alpha2, beside KCP in its
  // group) and Kamaji's DataStore (kamaji.clastix.io/v1alpha1).
  'cluster-api-operator/v0.28.0',
  'cluster-api-control-plane-provider-kamaji/v0.20.0',
  'kamaji/26.8.2-edge',
];

/**
 * The GitOps tools' CRDs, known with every pinned pair: Argo CD v3.5.1's Application and
 * AppProject, Flux's Kustomization (kustomize-controller v1.9.4) and GitRepository
 * (source-controller v1.9.1), the kinds `GitOpsDelivery` writes. Argo CD names its files after the
 * kind (`application-crd.yaml`), so their group is given.
 */
export const GITOPS_TOOL_FOLDERS: Array<{ readonly folder: string; readonly group?: string }> = [
  { folder: 'argo-cd/v3.5.1/manifests/crds', group: 'argoproj.io' },
  { folder: 'flux/kustomize-controller-v1.9.4' },
  { folder: 'flux/source-controller-v1.9.1' },
];

/**
 * The CRDs of one pinned version pair and of the add-on providers, found by their file names
 * (`<group>_<plural>.yaml`, as controller-gen writes them) and parsed only when an object of their
 * group is first checked.
 * They are parsed with js-yaml: five times faster than yaml on these large, plain files.
 * ManifestChecker keeps one catalog per version pair.
 */
export class CrdCatalog {
  /** group → its CRD files. */
  private readonly filesByGroup = new Map<string, string[]>();
  private readonly parsed = new Map<string, CustomResourceDefinition | undefined>();

  constructor(private readonly versions: UpstreamVersions) {
    const folders = [
      path.join(IMPORTS_FOLDER, 'cluster-api', versions.clusterApi),
      path.join(IMPORTS_FOLDER, 'cluster-api-provider-openstack', versions.openStackProvider),
      ...ADDON_PROVIDER_FOLDERS.map(folder => path.join(IMPORTS_FOLDER, ...folder.split('/'))),
    ];
    const files = [
      ...folders.flatMap(crdFiles).map(file => ({ file, group: path.basename(file).split('_')[0] })),
      ...GITOPS_TOOL_FOLDERS.flatMap(tool => {
        const folder = path.join(IMPORTS_FOLDER, ...tool.folder.split('/'));
        return tool.group !== undefined
          ? yamlFiles(folder).map(file => ({ file, group: tool.group! }))
          : crdFiles(folder).map(file => ({ file, group: path.basename(file).split('_')[0] }));
      }),
    ];
    for (const { file, group } of files) this.filesByGroup.set(group, [...this.filesByGroup.get(group) ?? [], file]);
  }

  /** Whether the pinned CRDs define kinds of this API group (so an unknown kind there is a mistake). */
  public ownsGroup(group: string): boolean {
    return this.filesByGroup.has(group);
  }

  public lookup(apiVersion: string, kind: string): KindLookup {
    const { group, version } = parseApiVersion(apiVersion);
    const crd = this.crdOf(group, kind);
    if (!crd) return undefined;
    const served = crd.spec.versions.filter(v => v.served);
    const match = served.find(v => v.name === version);
    const schema = match?.schema?.openAPIV3Schema;
    if (schema) return { schema, builtIn: false, ignoresStatus: match?.subresources?.status !== undefined };
    return { notServed: `${kind} is served as ${served.map(v => `${group}/${v.name}`).join(', ')} by ${this.versions}, not as ${apiVersion}` };
  }

  private crdOf(group: string, kind: string): CustomResourceDefinition | undefined {
    const files = this.filesByGroup.get(group) ?? [];
    // The plural is usually the lower-case kind plus "s": try that file first.
    const likely = `${group}_${kind.toLowerCase()}s.yaml`;
    const ordered = [...files.filter(f => path.basename(f) === likely), ...files.filter(f => path.basename(f) !== likely)];
    for (const file of ordered) {
      const crd = this.parse(file);
      if (crd?.spec?.names?.kind === kind) return crd;
    }
    return undefined;
  }

  private parse(file: string): CustomResourceDefinition | undefined {
    if (!this.parsed.has(file)) {
      const document = loadYaml(fs.readFileSync(file, 'utf8')) as any;
      this.parsed.set(file, document?.kind === 'CustomResourceDefinition' ? document : undefined);
    }
    return this.parsed.get(file);
  }
}

function yamlFiles(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter(f => f.endsWith('.yaml')).sort().map(f => path.join(folder, f)) : [];
}

function crdFiles(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.yaml') && f.split(path.sep).some(segment => segment === 'crd' || segment === 'crds'))
    .map(f => path.join(folder, f));
}
