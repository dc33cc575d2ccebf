import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as semver from 'semver';
import { stringify as toYaml } from 'yaml';
import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { isDns1123Label, isDns1123Subdomain } from '../rules';
import { checkCluster } from './check-cluster';

/** The API version of CAAPH's HelmChartProxy (v0.6.4 serves `v1alpha1` only). */
export const HELM_CHART_PROXY_API_VERSION = 'addons.cluster.x-k8s.io/v1alpha1';

/**
 * How CAAPH reconciles a chart (HelmChartProxy `spec.reconcileStrategy`, immutable: its webhook
 * refuses a change).
 */
export enum HelmReconcileStrategy {
  /** Install, upgrade on every change of the HelmChartProxy, uninstall when the cluster is no longer selected. */
  CONTINUOUS = 'Continuous',
  /** Install once; never upgrade nor uninstall. */
  INSTALL_ONCE = 'InstallOnce',
}

/**
 * The values of a chart: HelmChartProxy `spec.valuesTemplate`, a Go template (text/template with
 * Sprig functions) CAAPH renders for each selected cluster, with `.Cluster`, `.ControlPlane` and
 * `.InfraCluster` (the objects as unstructured maps, e.g. `{{ .Cluster.metadata.name }}`), into
 * the YAML values of the release.
 */
export class HelmValues {
  /**
   * Values given as an object, written as YAML (keys sorted). The text is taken literally: any
   * `{{` in it is escaped so that CAAPH's templating leaves it as it is.
   * @param values JSON data: strings, numbers, booleans, null, lists and objects
   */
  public static fromObject(values: { [key: string]: any }): HelmValues {
    let copy: unknown;
    let problem: string | undefined;
    try {
      copy = JSON.parse(JSON.stringify(values));
    } catch (e) {
      problem = `must be plain JSON data (${(e as Error).message.split('\n')[0]})`;
    }
    if (!problem && (typeof copy !== 'object' || copy === null || Array.isArray(copy))) problem = 'must be an object of values';
    if (problem) return new HelmValues('', { prop: 'values', value: values, rule: problem });
    const yaml = Object.keys(copy as object).length === 0 ? '' : toYaml(copy, { sortMapEntries: true, lineWidth: 0 });
    return new HelmValues(escapeTemplate(yaml));
  }

  /**
   * Values as a Go template, written as given, e.g.
   * `'podCidr: {{ index .Cluster.spec.clusterNetwork.pods.cidrBlocks 0 }}\n'`.
   */
  public static fromTemplate(template: string): HelmValues {
    if (typeof template !== 'string') return new HelmValues('', { prop: 'values', value: template, rule: 'must be a template string' });
    return new HelmValues(template);
  }

  /** The text of `spec.valuesTemplate`. */
  public readonly valuesTemplate: string;
  /**
   * Why the values given are not usable, reported by the construct they are given to.
   * @internal
   */
  public readonly _problem?: { prop: string; value: unknown; rule: string };

  private constructor(valuesTemplate: string, problem?: { prop: string; value: unknown; rule: string }) {
    this.valuesTemplate = valuesTemplate;
    this._problem = problem;
  }
}

/** Options of `helm install` (HelmChartProxy `spec.options.install`). */
export interface HelmInstallOptions {
  /**
   * Create the release namespace when it does not exist (it is never deleted).
   * @default true (CAAPH's)
   */
  readonly createNamespace?: boolean;
  /**
   * Install the CRDs the chart keeps among its templates.
   * @default false
   */
  readonly includeCrds?: boolean;
}

/** Options of `helm upgrade` (HelmChartProxy `spec.options.upgrade`). */
export interface HelmUpgradeOptions {
  /**
   * Delete resources created by a failed upgrade.
   * @default false
   */
  readonly cleanupOnFail?: boolean;
  /**
   * Force the upgrade past some warnings (use with care).
   * @default false
   */
  readonly force?: boolean;
  /**
   * Revisions kept per release.
   * @default 10 (CAAPH's)
   */
  readonly maxHistory?: number;
  /**
   * Recreate pods after a rollback.
   * @default false
   */
  readonly recreate?: boolean;
  /**
   * Reset values to the chart's built-ins rather than merging with the last ones.
   * @default false
   */
  readonly resetValues?: boolean;
  /**
   * Re-use the last supplied values.
   * @default false
   */
  readonly reuseValues?: boolean;
  /**
   * Reset values to the chart's built-ins, then merge the last supplied ones.
   * @default false
   */
  readonly resetThenReuseValues?: boolean;
}

/** Options of `helm uninstall` (HelmChartProxy `spec.options.uninstall`). */
export interface HelmUninstallOptions {
  /**
   * Keep the release history.
   * @default false
   */
  readonly keepHistory?: boolean;
  /**
   * Description of the uninstall.
   * @default - none
   */
  readonly description?: string;
}

/** Flags of CAAPH's Helm operations (HelmChartProxy `spec.options`). */
export interface HelmOptions {
  /**
   * Wait for the release's resources to be ready after install and upgrade.
   * @default false
   */
  readonly wait?: boolean;
  /**
   * Wait for the release's Jobs to complete.
   * @default false
   */
  readonly waitForJobs?: boolean;
  /**
   * Time allowed for each Kubernetes operation (and for `wait`), in whole seconds.
   * @default Duration.minutes(10) (CAAPH's)
   */
  readonly timeout?: Duration;
  /**
   * Roll back (or delete, on install) a failed release; implies `wait`.
   * @default false
   */
  readonly atomic?: boolean;
  /**
   * Install no CRDs.
   * @default false
   */
  readonly skipCrds?: boolean;
  /**
   * Run no hooks.
   * @default false
   */
  readonly disableHooks?: boolean;
  /**
   * Skip validating the rendered objects against the cluster's OpenAPI schema.
   * @default false
   */
  readonly disableOpenApiValidation?: boolean;
  /**
   * Update the chart's dependencies before installing.
   * @default false
   */
  readonly dependencyUpdate?: boolean;
  /**
   * Take ownership of existing objects that lack Helm's annotations (`--take-ownership`).
   * Not with CAPI v1.10 management clusters: they run CAAPH v0.4, whose HelmChartProxy lacks it.
   * @default false
   */
  readonly takeOwnership?: boolean;
  /**
   * Install options.
   * @default - CAAPH's: the namespace is created
   */
  readonly install?: HelmInstallOptions;
  /**
   * Upgrade options.
   * @default - CAAPH's
   */
  readonly upgrade?: HelmUpgradeOptions;
  /**
   * Uninstall options.
   * @default - CAAPH's
   */
  readonly uninstall?: HelmUninstallOptions;
}

/** Options of a {@link HelmChartProxy}. */
export interface HelmChartProxyOptions {
  /**
   * URL of the chart repository: `https://...` (a Helm repository) or `oci://...` (the registry
   * path without the chart name).
   */
  readonly repoUrl: string;
  /** Name of the chart in the repository. */
  readonly chartName: string;
  /**
   * The chart version, exact (e.g. `"1.18.14"`): never empty, `latest` or a range. Without
   * one, CAAPH would install and keep upgrading to the newest.
   */
  readonly version: string;
  /**
   * Name of the HelmChartProxy, in the cluster's namespace.
   * @default "<cluster>-<releaseName>": unique when several clusters share a namespace
   */
  readonly name?: string;
  /**
   * The Helm release name.
   * @default - the chart name (CAAPH would generate a random one)
   */
  readonly releaseName?: string;
  /**
   * Namespace of the release in the workload cluster (created unless `options.install.createNamespace` is false).
   * @default "default" (CAAPH's)
   */
  readonly namespace?: string;
  /**
   * The chart's values.
   * @default - the chart's defaults
   */
  readonly values?: HelmValues;
  /**
   * Flags of the Helm operations.
   * @default - CAAPH's
   */
  readonly options?: HelmOptions;
  /**
   * How CAAPH reconciles the release. Immutable once the HelmChartProxy exists.
   * @default HelmReconcileStrategy.CONTINUOUS (CAAPH's)
   */
  readonly reconcileStrategy?: HelmReconcileStrategy;
  /**
   * Secret in the management cluster holding OCI registry credentials, and its key
   * (HelmChartProxy `spec.credentials`).
   * @default - no credentials
   */
  readonly credentialsSecretName?: string;
  /**
   * Key of the credentials in `credentialsSecretName`.
   * @default "config.json"
   */
  readonly credentialsSecretKey?: string;
  /**
   * Secret in the management cluster whose key `ca.crt` is the CA of the repository's TLS
   * certificate (HelmChartProxy `spec.tlsConfig.caSecret`).
   * @default - the system's CAs
   */
  readonly caSecretName?: string;
}

/** Props of a {@link HelmChartProxy}. */
export interface HelmChartProxyProps extends HelmChartProxyOptions {
  /** The cluster the chart is installed in. */
  readonly cluster: ICapiCluster;
}

const PROP_NAMES = ['cluster', 'repoUrl', 'chartName', 'version', 'name', 'releaseName', 'namespace', 'values', 'options',
  'reconcileStrategy', 'credentialsSecretName', 'credentialsSecretKey', 'caSecretName'];
const OPTION_NAMES = ['wait', 'waitForJobs', 'timeout', 'atomic', 'skipCrds', 'disableHooks', 'disableOpenApiValidation',
  'dependencyUpdate', 'takeOwnership', 'install', 'upgrade', 'uninstall'];
const INSTALL_NAMES = ['createNamespace', 'includeCrds'];
const UPGRADE_NAMES = ['cleanupOnFail', 'force', 'maxHistory', 'recreate', 'resetValues', 'reuseValues', 'resetThenReuseValues'];
const UNINSTALL_NAMES = ['keepHistory', 'description'];

/**
 * A Helm chart installed in a workload cluster by CAAPH (Cluster API Add-on Provider for Helm):
 * a `HelmChartProxy` (`addons.cluster.x-k8s.io/v1alpha1`) in the cluster's namespace, selecting
 * the cluster by its labels. For charts too large for a ClusterResourceSet (262,144 bytes per
 * ConfigMap), or whose values follow the cluster; CAAPH also upgrades and uninstalls releases,
 * which a ClusterResourceSet never does.
 *
 * CAAPH must run in the management cluster (`clusterctl init --addon helm`): v0.5 and v0.6
 * implement the v1beta2 contract (its `metadata.yaml`) and need CAPI v1.11 or newer; with CAPI
 * v1.10, run CAAPH v0.4 (v1beta1 contract). The validator knows the HelmChartProxy of CAAPH
 * v0.6.4 with every pinned pair.
 */
export class HelmChartProxy extends Construct {
  /** The cluster the chart is installed in. */
  public readonly cluster: ICapiCluster;
  /** Name of the HelmChartProxy. */
  public readonly name: string;
  /** Namespace of the HelmChartProxy: the cluster's. */
  public readonly namespace: string;
  /** The Helm release name. */
  public readonly releaseName: string;
  /** Namespace of the release in the workload cluster. */
  public readonly releaseNamespace: string;
  /** The chart version. */
  public readonly version: string;
  /** The `HelmChartProxy` object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: HelmChartProxyProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    if (errors.checkPropNames('HelmChartProxyProps', props, PROP_NAMES)) checkCluster(errors, props.cluster);
    errors.throwIfAny();
    const cluster = props.cluster;

    checkRepoUrl(errors, props.repoUrl);
    errors.check(typeof props.chartName === 'string' && /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i.test(props.chartName), 'chartName', props.chartName,
      'must be a chart name: letters, digits, "-", "_" or ".", without the repository');
    errors.check(exactVersionProblem(props.version) === undefined, 'version', props.version, exactVersionProblem(props.version) ?? '');

    this.releaseName = props.releaseName ?? props.chartName;
    errors.check(isDns1123Subdomain(this.releaseName) && this.releaseName.length <= 53, 'releaseName', this.releaseName,
      'must be a Helm release name: a DNS-1123 subdomain of at most 53 characters');
    this.releaseNamespace = props.namespace ?? 'default';
    errors.check(isDns1123Label(this.releaseNamespace), 'namespace', this.releaseNamespace, 'must be a namespace name (a DNS-1123 label)');
    this.name = props.name ?? `${cluster.name}-${this.releaseName}`;
    errors.check(isDns1123Subdomain(this.name), 'name', this.name, 'must be a DNS-1123 subdomain');
    const strategy = props.reconcileStrategy ?? HelmReconcileStrategy.CONTINUOUS;
    errors.check(Object.values(HelmReconcileStrategy).includes(strategy), 'reconcileStrategy', strategy, 'must be a HelmReconcileStrategy');
    if (props.values !== undefined) {
      if (!errors.check(props.values instanceof HelmValues, 'values', props.values, 'must be HelmValues (HelmValues.fromObject or fromTemplate)')) {
        // reported
      } else if (props.values._problem) {
        errors.add(props.values._problem.prop, props.values._problem.value, props.values._problem.rule);
      }
    }
    const options = helmOptions(errors, props.options, cluster);
    for (const prop of ['credentialsSecretName', 'caSecretName'] as const) {
      if (props[prop] !== undefined) errors.check(isDns1123Subdomain(props[prop]!), prop, props[prop], 'must be a Secret name (a DNS-1123 subdomain)');
    }
    if (props.credentialsSecretKey !== undefined) {
      errors.check(props.credentialsSecretName !== undefined, 'credentialsSecretKey', props.credentialsSecretKey, 'needs credentialsSecretName');
      errors.check(typeof props.credentialsSecretKey === 'string' && /^[-._a-zA-Z0-9]+$/.test(props.credentialsSecretKey), 'credentialsSecretKey',
        props.credentialsSecretKey, 'must be a Secret key: letters, digits, "-", "_" or "."');
    }
    errors.throwIfAny();

    this.cluster = cluster;
    this.namespace = cluster.namespace;
    this.version = props.version;
    const valuesTemplate = props.values?.valuesTemplate;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: HELM_CHART_PROXY_API_VERSION,
      kind: 'HelmChartProxy',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        clusterSelector: { matchLabels: { ...cluster.selectorLabels } },
        repoURL: props.repoUrl,
        chartName: props.chartName,
        version: props.version,
        releaseName: this.releaseName,
        namespace: this.releaseNamespace,
        reconcileStrategy: strategy,
        ...(valuesTemplate ? { valuesTemplate } : {}),
        ...(options ? { options } : {}),
        ...(props.credentialsSecretName ? {
          credentials: {
            secret: { name: props.credentialsSecretName, namespace: cluster.namespace },
            key: props.credentialsSecretKey ?? 'config.json',
          },
        } : {}),
        ...(props.caSecretName ? { tlsConfig: { caSecret: { name: props.caSecretName, namespace: cluster.namespace } } } : {}),
      },
    });
  }
}

/** Why a chart version is not one exact release, or undefined when it is. */
export function exactVersionProblem(version: unknown): string | undefined {
  if (typeof version !== 'string' || version.trim() === '') return 'must be the exact chart version, e.g. "1.2.3": without one CAAPH installs the newest and keeps upgrading';
  if (version.toLowerCase() === 'latest') return 'must be an exact chart version, not "latest"';
  if (!/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(version) || semver.valid(version) === null) {
    return 'must be an exact chart version "X.Y.Z" (a Helm semver), not a range or a partial version';
  }
  return undefined;
}

function checkRepoUrl(errors: InputErrors, url: unknown): void {
  if (!errors.check(typeof url === 'string' && /^(https?|oci):\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url), 'repoUrl', url,
    'must be an http(s):// Helm repository or oci:// registry URL, without query or fragment')) return;
  errors.check(!(url as string).endsWith('.tgz'), 'repoUrl', url, 'must be the repository, not a chart archive: give the chart in chartName');
}

/** The `spec.options` of the HelmChartProxy, or undefined when none is set. */
function helmOptions(errors: InputErrors, options: HelmOptions | undefined, cluster: ICapiCluster): any {
  if (options === undefined) return undefined;
  if (!errors.checkPropNames('HelmOptions', options, OPTION_NAMES, 'options')) return undefined;
  for (const flag of ['wait', 'waitForJobs', 'atomic', 'skipCrds', 'disableHooks', 'disableOpenApiValidation', 'dependencyUpdate', 'takeOwnership'] as const) {
    errors.checkBoolean(`options.${flag}`, options[flag]);
  }
  if (options.takeOwnership && cluster.upstreamVersions?.clusterApiVersion === 'v1beta1') {
    errors.add('options.takeOwnership', true, `is not in CAAPH v0.4, the release for ${cluster.upstreamVersions} (CAAPH v0.5+ needs CAPI v1.11+)`);
  }
  let timeout: string | undefined;
  if (options.timeout !== undefined) timeout = goDuration(errors, 'options.timeout', options.timeout);

  const install = subOptions(errors, 'install', 'HelmInstallOptions', options.install, INSTALL_NAMES);
  const upgrade = subOptions(errors, 'upgrade', 'HelmUpgradeOptions', options.upgrade, UPGRADE_NAMES);
  const uninstall = subOptions(errors, 'uninstall', 'HelmUninstallOptions', options.uninstall, UNINSTALL_NAMES);
  if (options.upgrade?.maxHistory !== undefined) {
    errors.check(Number.isInteger(options.upgrade.maxHistory) && options.upgrade.maxHistory >= 0, 'options.upgrade.maxHistory',
      options.upgrade.maxHistory, 'must be a whole number (0: unlimited)');
  }
  if (options.uninstall?.description !== undefined) {
    errors.check(typeof options.uninstall.description === 'string', 'options.uninstall.description', options.uninstall.description, 'must be a string');
  }
  const spec = compact({
    wait: options.wait,
    waitForJobs: options.waitForJobs,
    timeout,
    atomic: options.atomic,
    skipCRDs: options.skipCrds,
    disableHooks: options.disableHooks,
    disableOpenAPIValidation: options.disableOpenApiValidation,
    dependencyUpdate: options.dependencyUpdate,
    takeOwnership: options.takeOwnership,
    install: install && compact({ createNamespace: options.install!.createNamespace, includeCRDs: options.install!.includeCrds }),
    upgrade,
    uninstall,
  });
  return Object.keys(spec).length > 0 ? spec : undefined;
}

function subOptions(errors: InputErrors, prop: string, what: string, value: object | undefined, names: string[]): any {
  if (value === undefined || !errors.checkPropNames(what, value, names, `options.${prop}`)) return undefined;
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'maxHistory' && key !== 'description') errors.checkBoolean(`options.${prop}.${key}`, v);
  }
  const spec = compact({ ...value });
  return Object.keys(spec).length > 0 ? spec : undefined;
}

function compact(object: { [key: string]: unknown }): { [key: string]: unknown } {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/** A Duration as a Go duration: `10m`, `90s`. */
function goDuration(errors: InputErrors, prop: string, duration: Duration): string | undefined {
  // toSeconds() throws for fractions: check the milliseconds instead.
  const millis = duration instanceof Duration ? duration.toMilliseconds() : NaN;
  const seconds = millis / 1000;
  if (!errors.check(Number.isInteger(seconds) && seconds > 0, prop, duration instanceof Duration ? `${millis} ms` : duration,
    'must be a Duration of whole, positive seconds')) return undefined;
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** Text taken literally by Go's text/template: each `{{` becomes an action printing `{{`. */
function escapeTemplate(text: string): string {
  return text.split('{{').join('{{ "{{" }}');
}
