import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { parse as parseYaml } from 'yaml';
import { DELETE_PROTECTION } from './gitops-annotations';
import { InputErrors } from './input-errors';
import { CapoFeature, missingCapoFeature } from './network/capo-features';
import { isDns1123Label, isDns1123Subdomain } from './rules';
import { checkLabels } from './shared-rules';
import { UpstreamVersions } from './validation/upstream-versions';

/** Options for credentials kept in an existing Secret. */
export interface ExistingSecretCredentialsOptions {
  /**
   * The entry of `clouds.yaml` to use.
   * @default "openstack"
   */
  readonly cloudName?: string;

  /**
   * The OpenStack endpoints present certificates of a private CA, whose PEM bundle the Secret
   * holds under the key `cacert`: CAPO reads it there (`identityRef`: "The Secret may optionally
   * contain a key named `cacert`"), and the cloud controller manager is pointed at it (`ca-file`
   * in its cloud.conf). Without it, nodes of a private-CA cloud are never initialized.
   * @default false
   */
  readonly privateCa?: boolean;
}

/** Options for credentials read through a cluster-scoped OpenStackClusterIdentity. */
export interface ClusterIdentityCredentialsOptions {
  /**
   * The entry of `clouds.yaml` to use.
   * @default "openstack"
   */
  readonly cloudName?: string;

  /**
   * The identity's Secret holds the PEM bundle of a private CA under the key `cacert`; the cloud
   * controller manager is pointed at it (`ca-file` in its cloud.conf).
   * @default false
   */
  readonly privateCa?: boolean;
}

/** Credentials given inline. Their content is written to the synthesized output. */
export interface InlineCloudsYamlProps {
  /** The content of `clouds.yaml`. */
  readonly cloudsYaml: string;
  /**
   * The CA certificate bundle of the OpenStack endpoints.
   * @default "\n" (no custom CA)
   */
  readonly cacert?: string;
  /**
   * The entry of `clouds.yaml` to use.
   * @default "openstack"
   */
  readonly cloudName?: string;
  /**
   * Name of the Secret to create.
   * @default "<cluster>-cloud-config"
   */
  readonly secretName?: string;
}

/** Where a cluster's OpenStack credentials come from, once bound to the cluster. */
export interface BoundCloudCredentials {
  /**
   * The name `OpenStackCluster.spec.identityRef` carries: the Secret holding `clouds.yaml` (and
   * `cacert`) in the cluster's namespace or, when `clusterIdentityName` is set, that identity.
   */
  readonly secretName: string;
  /**
   * The cluster-scoped OpenStackClusterIdentity the credentials are read through
   * (`identityRef.type: ClusterIdentity`), when they are.
   * @default - none: the Secret `secretName` in the cluster's namespace
   */
  readonly clusterIdentityName?: string;
  /** The entry of `clouds.yaml` to use. */
  readonly cloudName: string;
  /** The `clouds.yaml` content when given inline; undefined when the Secret is referenced. */
  readonly cloudsYaml?: string;
  /** The CA bundle of the OpenStack endpoints, when given inline. */
  readonly cacert?: string;
  /** Whether the endpoints use a private CA, whose bundle is the `cacert` key of the Secret. */
  readonly privateCa: boolean;
}

/** The `identityRef` of an OpenStackCluster (or a ClusterClass variable) reading these credentials. */
export function identityRefOf(credentials: BoundCloudCredentials): { [field: string]: string } {
  return credentials.clusterIdentityName
    ? { type: 'ClusterIdentity', name: credentials.clusterIdentityName, cloudName: credentials.cloudName }
    : { name: credentials.secretName, cloudName: credentials.cloudName };
}

/** The cluster a credential is bound to: its name and namespace. */
export interface CredentialsTarget {
  /** The cluster's name. */
  readonly clusterName: string;
  /** The cluster's namespace. */
  readonly namespace: string;
  /**
   * The management cluster's releases: credentials some releases cannot read are refused.
   * @default UpstreamVersions.DEFAULT
   */
  readonly upstreamVersions?: UpstreamVersions;
}

const DEFAULT_CLOUD_NAME = 'openstack';
/**
 * `clusterctl move` takes a Secret with this label along with the clusters of its namespace
 * (CAPI book, "clusterctl move": Secrets outside the cluster's object graph need it).
 */
export const MOVE_LABEL = { 'clusterctl.cluster.x-k8s.io/move': 'true' };

/**
 * The OpenStack credentials CAPO (and the cloud controller manager) use: a Secret with a
 * `clouds.yaml` key, referenced by `OpenStackCluster.spec.identityRef`.
 *
 * By default nothing secret is synthesized: the Secret is created out of band (sealed-secrets,
 * external-secrets, SOPS, or by hand) and referenced by name.
 */
export abstract class CloudCredentials {
  /**
   * Reference a Secret that already exists in the cluster's namespace (recommended: nothing secret
   * reaches the synthesized YAML).
   *
   * @param secretName the Secret's name. Default: `<cluster>-cloud-config`.
   */
  public static fromSecretName(secretName?: string, options: ExistingSecretCredentialsOptions = {}): CloudCredentials {
    return new ExistingSecretCredentials(secretName, options ?? {});
  }

  /**
   * Write `clouds.yaml` into a Secret in the synthesized output. An explicit opt-in: the output then
   * holds credentials in plain base64 and must not be committed to Git unencrypted.
   */
  public static fromCloudsYaml(props: InlineCloudsYamlProps): CloudCredentials {
    return new InlineCloudsYamlCredentials(props);
  }

  /**
   * Read the credentials through a cluster-scoped `OpenStackClusterIdentity` of the management
   * cluster (CAPO v0.14 and later): `identityRef: { type: ClusterIdentity, name, cloudName }`. The
   * identity points at a Secret in a namespace of its own and says which namespaces may use it, so
   * one Secret serves every cluster and no cluster namespace holds credentials. Create the identity
   * with {@link OpenStackClusterIdentity} or out of band.
   *
   * @param identityName the OpenStackClusterIdentity's name
   */
  public static fromClusterIdentity(identityName: string, options: ClusterIdentityCredentialsOptions = {}): CloudCredentials {
    return new ClusterIdentityCredentials(identityName, options ?? {});
  }

  /** Whether the credentials are written to the synthesized output. */
  public abstract readonly inline: boolean;

  /**
   * Binds the credentials to a cluster, creating the Secret under `scope` when it is inline.
   * @internal
   */
  public abstract _bind(scope: Construct, target: CredentialsTarget): BoundCloudCredentials;
}

class ExistingSecretCredentials extends CloudCredentials {
  public readonly inline = false;

  constructor(private readonly secretName: string | undefined, private readonly options: ExistingSecretCredentialsOptions) {
    super();
  }

  public _bind(scope: Construct, target: CredentialsTarget): BoundCloudCredentials {
    const bound = {
      secretName: this.secretName ?? `${target.clusterName}-cloud-config`,
      cloudName: this.options.cloudName ?? DEFAULT_CLOUD_NAME,
      privateCa: this.options.privateCa ?? false,
    };
    const errors = checkNames(scope, bound, false);
    errors.checkPropNames('ExistingSecretCredentialsOptions', this.options, ['cloudName', 'privateCa']);
    errors.checkBoolean('credentials.privateCa', this.options.privateCa);
    errors.throwIfAny();
    return bound;
  }
}

class ClusterIdentityCredentials extends CloudCredentials {
  public readonly inline = false;

  constructor(private readonly identityName: string, private readonly options: ClusterIdentityCredentialsOptions) {
    super();
  }

  public _bind(scope: Construct, target: CredentialsTarget): BoundCloudCredentials {
    const cloudName = this.options.cloudName ?? DEFAULT_CLOUD_NAME;
    const errors = new InputErrors(scope);
    errors.check(isDns1123Subdomain(this.identityName), 'credentials.clusterIdentityName', this.identityName,
      'must name an OpenStackClusterIdentity: a DNS-1123 subdomain');
    checkCloudName(errors, cloudName);
    errors.checkPropNames('ClusterIdentityCredentialsOptions', this.options, ['cloudName', 'privateCa']);
    errors.checkBoolean('credentials.privateCa', this.options.privateCa);
    const missing = missingCapoFeature(target.upstreamVersions ?? UpstreamVersions.DEFAULT, CapoFeature.IDENTITY_REF_TYPE);
    if (missing) {
      errors.add('credentials', `CloudCredentials.fromClusterIdentity(${JSON.stringify(this.identityName)})`,
        `${missing}: CAPO would read "${this.identityName}" as a Secret. Use CloudCredentials.fromSecretName`);
    }
    errors.throwIfAny();
    return { secretName: this.identityName, clusterIdentityName: this.identityName, cloudName, privateCa: this.options.privateCa ?? false };
  }
}

class InlineCloudsYamlCredentials extends CloudCredentials {
  public readonly inline = true;

  constructor(private readonly props: InlineCloudsYamlProps) {
    super();
  }

  public _bind(scope: Construct, target: CredentialsTarget): BoundCloudCredentials {
    const secretName = this.props.secretName ?? `${target.clusterName}-cloud-config`;
    const cloudName = this.props.cloudName ?? DEFAULT_CLOUD_NAME;
    const errors = checkNames(scope, { secretName, cloudName }, false);
    // The values themselves are never printed: they are secret.
    const cloudsProblem = cloudsYamlProblem(this.props.cloudsYaml, cloudName);
    if (cloudsProblem) errors.add('credentials.cloudsYaml', '<redacted>', cloudsProblem);
    const caProblem = caBundleProblem(this.props.cacert);
    if (caProblem) errors.add('credentials.cacert', '<redacted>', caProblem);
    errors.throwIfAny();
    console.warn(
      `[warning] ${scope.node.path}: clouds.yaml is written to Secret ${target.namespace}/${secretName} in the `
      + 'synthesized output (CloudCredentials.fromCloudsYaml). Do not commit it to Git unencrypted; '
      + 'prefer CloudCredentials.fromSecretName.',
    );
    new k8s.KubeSecret(scope, 'CloudCredentialsSecret', {
      metadata: {
        name: secretName,
        namespace: target.namespace,
        labels: { ...MOVE_LABEL },
        annotations: { ...DELETE_PROTECTION },
      },
      type: 'Opaque',
      data: {
        'cacert': base64(this.props.cacert ?? '\n'),
        'clouds.yaml': base64(this.props.cloudsYaml),
      },
    });
    return { secretName, cloudName, cloudsYaml: this.props.cloudsYaml, cacert: this.props.cacert, privateCa: !!this.props.cacert?.trim() };
  }
}

/**
 * Checks the Secret name and the cloud name; the cloud name ends up in `cloud.conf`, so it must be
 * one plain line.
 */
function checkNames(scope: Construct, names: { secretName: string; cloudName: string }, throwNow = true): InputErrors {
  const errors = new InputErrors(scope);
  errors.check(isDns1123Subdomain(names.secretName), 'credentials.secretName', names.secretName,
    'must be a DNS-1123 subdomain: lower-case letters, digits, "-" and "."');
  checkCloudName(errors, names.cloudName);
  if (throwNow) errors.throwIfAny();
  return errors;
}

function checkCloudName(errors: InputErrors, cloudName: string): void {
  errors.check(typeof cloudName === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(cloudName), 'credentials.cloudName', cloudName,
    'must name an entry of clouds.yaml: letters, digits, "_", "-" and "."');
}

/** Why the text is not a clouds.yaml holding the named cloud, or undefined when it is. */
function cloudsYamlProblem(text: unknown, cloudName: string): string | undefined {
  if (typeof text !== 'string' || text.trim() === '') return 'must be the non-empty content of clouds.yaml';
  let parsed: any;
  try {
    parsed = parseYaml(text);
  } catch {
    // The parser's message quotes the text: not repeated.
    return 'must be valid YAML (the content of clouds.yaml)';
  }
  const clouds = parsed?.clouds;
  if (typeof clouds !== 'object' || clouds === null) return 'must have a top-level "clouds" map (the content of clouds.yaml)';
  if (typeof clouds[cloudName] !== 'object' || clouds[cloudName] === null) {
    return `must have an entry "clouds.${cloudName}" (credentials.cloudName); it has ${Object.keys(clouds).map(c => `"${c}"`).join(', ') || 'none'}`;
  }
  return undefined;
}

/** Why the text is not a PEM CA bundle (e.g. a private key given by mistake), or undefined. */
function caBundleProblem(text: unknown): string | undefined {
  if (text === undefined) return undefined;
  if (typeof text !== 'string') return 'must be text (PEM)';
  if (/PRIVATE KEY-----/.test(text)) return 'must hold CA certificates only: it holds a private key, which must never be shared';
  if (text.trim() !== '' && !/-----BEGIN CERTIFICATE-----/.test(text)) return 'must be PEM certificates ("-----BEGIN CERTIFICATE-----")';
  return undefined;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Props of an {@link OpenStackClusterIdentity}. */
export interface OpenStackClusterIdentityProps {
  /**
   * The identity's name (it is cluster-scoped: unique in the management cluster).
   * @default - the construct id
   */
  readonly name?: string;

  /** Name of the Secret holding `clouds.yaml` (and optionally `cacert`). */
  readonly secretName: string;

  /** Namespace of that Secret, e.g. `capo-system`: one no cluster lives in. */
  readonly secretNamespace: string;

  /**
   * Namespaces whose clusters may use the identity (a `namespaceSelector` on
   * `kubernetes.io/metadata.name`). With `allowedNamespaceLabels` too, a namespace needs both.
   * @default - none: set this, `allowedNamespaceLabels` or `allowAllNamespaces`
   */
  readonly allowedNamespaces?: string[];

  /**
   * Labels a namespace must carry for its clusters to use the identity (`namespaceSelector.matchLabels`).
   * @default - none: set this, `allowedNamespaces` or `allowAllNamespaces`
   */
  readonly allowedNamespaceLabels?: { [key: string]: string };

  /**
   * Let the clusters of every namespace use the identity (no `namespaceSelector`): anyone who may
   * create an OpenStackCluster anywhere may then spend these credentials.
   * @default false
   */
  readonly allowAllNamespaces?: boolean;

  /**
   * The management cluster's releases: the kind exists from CAPO v0.14.
   * @default UpstreamVersions.DEFAULT
   */
  readonly upstreamVersions?: UpstreamVersions;
}

const CLUSTER_IDENTITY_PROP_NAMES = ['name', 'secretName', 'secretNamespace', 'allowedNamespaces', 'allowedNamespaceLabels', 'allowAllNamespaces', 'upstreamVersions'];

/**
 * A cluster-scoped `OpenStackClusterIdentity` (CAPO v0.14, `infrastructure.cluster.x-k8s.io/v1alpha1`):
 * points at a Secret holding `clouds.yaml` in a namespace of its own, and says which namespaces'
 * clusters may use it. Clusters reference it with {@link OpenStackClusterIdentity.credentials} (or
 * `CloudCredentials.fromClusterIdentity(name)`). Emit it once per management cluster; like the
 * credentials Secret, GitOps tools must never delete it before the clusters using it are gone.
 */
export class OpenStackClusterIdentity extends Construct {
  /** The identity's name. */
  public readonly name: string;
  /** The `OpenStackClusterIdentity` object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: OpenStackClusterIdentityProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    errors.checkPropNames('OpenStackClusterIdentityProps', props, CLUSTER_IDENTITY_PROP_NAMES);
    errors.throwIfAny();
    this.name = props.name ?? id;
    const versions = props.upstreamVersions ?? UpstreamVersions.DEFAULT;
    const missing = missingCapoFeature(versions, CapoFeature.CLUSTER_IDENTITY_KIND);
    if (missing) errors.add('upstreamVersions', versions.toString(), missing);
    errors.check(isDns1123Subdomain(this.name), 'name', this.name, 'must be a DNS-1123 subdomain');
    errors.check(isDns1123Subdomain(props.secretName), 'secretName', props.secretName, 'must be a DNS-1123 subdomain');
    errors.check(isDns1123Label(props.secretNamespace), 'secretNamespace', props.secretNamespace, 'must be a DNS-1123 label');
    errors.checkBoolean('allowAllNamespaces', props.allowAllNamespaces);
    if (errors.checkList('allowedNamespaces', props.allowedNamespaces, v => isDns1123Label(v as string), 'namespace names (DNS-1123 labels)')) {
      errors.check(props.allowedNamespaces === undefined || props.allowedNamespaces.length > 0, 'allowedNamespaces', props.allowedNamespaces,
        'must name at least one namespace (an empty list would let none use the identity)');
    }
    if (errors.checkStringMap('allowedNamespaceLabels', props.allowedNamespaceLabels) && props.allowedNamespaceLabels) {
      checkLabels(errors, 'allowedNamespaceLabels', props.allowedNamespaceLabels);
    }
    const restricted = props.allowedNamespaces !== undefined || props.allowedNamespaceLabels !== undefined;
    if (props.allowAllNamespaces === true) {
      errors.check(!restricted, 'allowAllNamespaces', true, 'contradicts allowedNamespaces / allowedNamespaceLabels: choose one');
    } else {
      errors.check(restricted, 'allowedNamespaces', props.allowedNamespaces,
        'must be set (or allowedNamespaceLabels, or allowAllNamespaces: true): say which namespaces may spend these credentials');
    }
    errors.throwIfAny();

    const matchExpressions = props.allowedNamespaces
      ? [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...props.allowedNamespaces] }]
      : undefined;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1',
      kind: 'OpenStackClusterIdentity',
      metadata: { name: this.name, annotations: { ...DELETE_PROTECTION } },
      spec: {
        secretRef: { name: props.secretName, namespace: props.secretNamespace },
        namespaceSelector: restricted
          ? { matchExpressions, matchLabels: props.allowedNamespaceLabels ? { ...props.allowedNamespaceLabels } : undefined }
          : undefined,
      },
    });
  }

  /** Credentials read through this identity, for `OpenStackCapiClusterProps.credentials`. */
  public credentials(options: ClusterIdentityCredentialsOptions = {}): CloudCredentials {
    return CloudCredentials.fromClusterIdentity(this.name, options);
  }
}
