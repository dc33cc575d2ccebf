import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { parse as parseYaml } from 'yaml';
import { DELETE_PROTECTION } from './gitops-annotations';
import { InputErrors } from './input-errors';
import { isDns1123Subdomain } from './rules';

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
  /** Name of the Secret holding `clouds.yaml` (and `cacert`), in the cluster's namespace. */
  readonly secretName: string;
  /** The entry of `clouds.yaml` to use. */
  readonly cloudName: string;
  /** The `clouds.yaml` content when given inline; undefined when the Secret is referenced. */
  readonly cloudsYaml?: string;
  /** The CA bundle of the OpenStack endpoints, when given inline. */
  readonly cacert?: string;
  /** Whether the endpoints use a private CA, whose bundle is the `cacert` key of the Secret. */
  readonly privateCa: boolean;
}

/** The cluster a credential is bound to: its name and namespace. */
export interface CredentialsTarget {
  /** The cluster's name. */
  readonly clusterName: string;
  /** The cluster's namespace. */
  readonly namespace: string;
}

const DEFAULT_CLOUD_NAME = 'openstack';
const MOVE_LABEL = { 'clusterctl.cluster.x-k8s.io/move': 'true' };

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
  errors.check(typeof names.cloudName === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(names.cloudName), 'credentials.cloudName', names.cloudName,
    'must name an entry of clouds.yaml: letters, digits, "_", "-" and "."');
  if (throwNow) errors.throwIfAny();
  return errors;
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
