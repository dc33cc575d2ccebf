import { HostPathVolumeModel, KubeadmFileModel } from './capi-api/models';
import { InputErrors } from './input-errors';
import type { SecretKeyReference } from './secret-key-reference';

/**
 * The API server's audit policy (kubernetes.io, "Auditing"): which requests are logged, and how
 * much of them.
 */
export class AuditPolicy {
  /**
   * A policy for production: no logs for health checks and the API server's own noise, metadata
   * only for Secrets, ConfigMaps and token reviews (never their content), request bodies for
   * changes, metadata for the rest.
   */
  public static recommended(): AuditPolicy {
    return new AuditPolicy(RECOMMENDED_POLICY);
  }

  /** A policy of your own, as the YAML of an `audit.k8s.io/v1` `Policy`. */
  public static fromYaml(policy: string): AuditPolicy {
    return new AuditPolicy(policy);
  }

  private constructor(
    /** The policy, YAML. */
    public readonly yaml: string,
  ) {}
}

const RECOMMENDED_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages:
  - RequestReceived
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/livez*", "/readyz*", "/version", "/metrics"]
  - level: None
    users: ["system:kube-proxy", "system:apiserver"]
  - level: None
    resources:
      - group: "coordination.k8s.io"
        resources: ["leases"]
      - group: ""
        resources: ["events"]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "configmaps", "serviceaccounts/token"]
      - group: "authentication.k8s.io"
        resources: ["tokenreviews"]
  - level: Request
    verbs: ["create", "update", "patch", "delete", "deletecollection"]
  - level: Metadata
`;

/** Audit logging of the API server. */
export interface AuditLogOptions {
  /**
   * The policy.
   * @default AuditPolicy.recommended()
   */
  readonly policy?: AuditPolicy;
  /**
   * Days an audit log file is kept (`--audit-log-maxage`).
   * @default 30
   */
  readonly maxAgeDays?: number;
  /**
   * Rotated files kept (`--audit-log-maxbackup`).
   * @default 10
   */
  readonly maxBackups?: number;
  /**
   * Size in MB at which a file is rotated (`--audit-log-maxsize`).
   * @default 100
   */
  readonly maxSizeMB?: number;
}

/** A Pod Security Standard level (kubernetes.io, "Pod Security Standards"). */
export enum PodSecurityLevel {
  PRIVILEGED = 'privileged',
  BASELINE = 'baseline',
  RESTRICTED = 'restricted',
}

/** The cluster-wide defaults of Pod Security admission, for namespaces without labels of their own. */
export interface PodSecurityDefaults {
  /**
   * Pods that break this level are refused.
   * @default PodSecurityLevel.BASELINE
   */
  readonly enforce?: PodSecurityLevel;
  /**
   * Pods that break this level are recorded in the audit log.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly audit?: PodSecurityLevel;
  /**
   * Pods that break this level get a warning.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly warn?: PodSecurityLevel;
  /**
   * Namespaces exempt from the defaults: the add-ons' (Calico, the cloud controller manager and
   * the autoscaler run in kube-system and need host access).
   * @default ["kube-system"]
   */
  readonly exemptNamespaces?: string[];
}

/** Encryption of Secrets at rest in etcd (kubernetes.io, "Encrypting Confidential Data at Rest"). */
export interface SecretsEncryptionOptions {
  /**
   * A Secret of the management cluster, in the cluster's namespace, holding the
   * `EncryptionConfiguration` (with its keys): CAPI writes it on the control plane nodes; it never
   * reaches the output.
   */
  readonly encryptionConfigurationSecret: SecretKeyReference;
}

/** What the options above add to the control plane: files, API server flags and volumes. */
export interface ControlPlaneSecurityModel {
  readonly files: KubeadmFileModel[];
  readonly apiServerArgs: { [name: string]: string };
  readonly apiServerVolumes: HostPathVolumeModel[];
}

const KUBERNETES_DIR = '/etc/kubernetes';
const AUDIT_POLICY = `${KUBERNETES_DIR}/audit-policy.yaml`;
const AUDIT_LOG_DIR = '/var/log/kubernetes/audit';
const ADMISSION_CONFIG = `${KUBERNETES_DIR}/admission-configuration.yaml`;
const ENCRYPTION_CONFIG = `${KUBERNETES_DIR}/encryption-configuration.yaml`;

/**
 * The files, API server flags and host-path volumes of audit logging, Pod Security defaults and
 * Secrets encryption: kubeadm runs the API server as a static pod, which sees a host file only
 * through a volume (kubeadm `extraVolumes`).
 */
export function controlPlaneSecurity(errors: InputErrors, prop: string, options: {
  audit?: AuditLogOptions; podSecurity?: PodSecurityDefaults; secretsEncryption?: SecretsEncryptionOptions;
}): ControlPlaneSecurityModel {
  const model: ControlPlaneSecurityModel = { files: [], apiServerArgs: {}, apiServerVolumes: [] };
  const wholePositive = (field: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    errors.check(Number.isInteger(v) && v > 0, field, v, 'must be a positive whole number');
    return String(v);
  };

  if (options.audit !== undefined && errors.checkPropNames(`${prop}.audit`, options.audit, ['policy', 'maxAgeDays', 'maxBackups', 'maxSizeMB'])) {
    const policy = options.audit.policy ?? AuditPolicy.recommended();
    errors.check(policy instanceof AuditPolicy && /kind:\s*Policy/.test(policy.yaml), `${prop}.audit.policy`, policy,
      'must be an AuditPolicy holding an audit.k8s.io/v1 Policy');
    model.files.push({ path: AUDIT_POLICY, content: policy.yaml, permissions: '0600' });
    Object.assign(model.apiServerArgs, {
      'audit-policy-file': AUDIT_POLICY,
      'audit-log-path': `${AUDIT_LOG_DIR}/audit.log`,
      'audit-log-maxage': wholePositive(`${prop}.audit.maxAgeDays`, options.audit.maxAgeDays, 30),
      'audit-log-maxbackup': wholePositive(`${prop}.audit.maxBackups`, options.audit.maxBackups, 10),
      'audit-log-maxsize': wholePositive(`${prop}.audit.maxSizeMB`, options.audit.maxSizeMB, 100),
    });
    model.apiServerVolumes.push(
      { name: 'audit-policy', hostPath: AUDIT_POLICY, mountPath: AUDIT_POLICY, readOnly: true, pathType: 'File' },
      { name: 'audit-logs', hostPath: AUDIT_LOG_DIR, mountPath: AUDIT_LOG_DIR, pathType: 'DirectoryOrCreate' },
    );
  }

  const pss = options.podSecurity;
  if (pss !== undefined && errors.checkPropNames(`${prop}.podSecurity`, pss, ['enforce', 'audit', 'warn', 'exemptNamespaces'])) {
    const levels = Object.values(PodSecurityLevel) as string[];
    const level = (field: 'enforce' | 'audit' | 'warn', fallback: PodSecurityLevel) => {
      const value = pss[field] ?? fallback;
      errors.check(levels.includes(value), `${prop}.podSecurity.${field}`, value, 'must be a PodSecurityLevel');
      return value;
    };
    const exempt = pss.exemptNamespaces ?? ['kube-system'];
    errors.checkList(`${prop}.podSecurity.exemptNamespaces`, exempt, n => typeof n === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n), 'namespace names');
    const configuration = [
      'apiVersion: apiserver.config.k8s.io/v1',
      'kind: AdmissionConfiguration',
      'plugins:',
      '  - name: PodSecurity',
      '    configuration:',
      '      apiVersion: pod-security.admission.config.k8s.io/v1',
      '      kind: PodSecurityConfiguration',
      '      defaults:',
      `        enforce: "${level('enforce', PodSecurityLevel.BASELINE)}"`,
      '        enforce-version: "latest"',
      `        audit: "${level('audit', PodSecurityLevel.RESTRICTED)}"`,
      '        audit-version: "latest"',
      `        warn: "${level('warn', PodSecurityLevel.RESTRICTED)}"`,
      '        warn-version: "latest"',
      '      exemptions:',
      '        usernames: []',
      '        runtimeClasses: []',
      `        namespaces: [${exempt.map(n => `"${n}"`).join(', ')}]`,
    ].join('\n') + '\n';
    model.files.push({ path: ADMISSION_CONFIG, content: configuration, permissions: '0600' });
    model.apiServerArgs['admission-control-config-file'] = ADMISSION_CONFIG;
    model.apiServerVolumes.push({ name: 'admission-configuration', hostPath: ADMISSION_CONFIG, mountPath: ADMISSION_CONFIG, readOnly: true, pathType: 'File' });
  }

  const encryption = options.secretsEncryption;
  if (encryption !== undefined && errors.checkPropNames(`${prop}.secretsEncryption`, encryption, ['encryptionConfigurationSecret'])) {
    const secret = encryption.encryptionConfigurationSecret;
    errors.check(typeof secret?.name === 'string' && typeof secret?.key === 'string', `${prop}.secretsEncryption.encryptionConfigurationSecret`, secret,
      'must be { name, key } of a Secret in the cluster\'s namespace');
    model.files.push({ path: ENCRYPTION_CONFIG, contentFromSecret: secret, permissions: '0600' });
    model.apiServerArgs['encryption-provider-config'] = ENCRYPTION_CONFIG;
    model.apiServerVolumes.push({ name: 'encryption-configuration', hostPath: ENCRYPTION_CONFIG, mountPath: ENCRYPTION_CONFIG, readOnly: true, pathType: 'File' });
  }
  return model;
}
