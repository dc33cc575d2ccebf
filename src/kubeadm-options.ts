import { ComponentArgs, KubeadmFileModel, NodeConfigModel } from './capi-api/models';
import type { AuditLogOptions, PodSecurityDefaults, SecretsEncryptionOptions } from './control-plane-security';
import { InputErrors } from './input-errors';
import { isDns1123Subdomain } from './rules';
import type { SecretKeyReference } from './secret-key-reference';

/** A file cloud-init writes on a node before kubeadm runs. */
export interface KubeadmFile {
  /** Absolute path on the node. */
  readonly path: string;
  /**
   * The content, written to the output: never put a secret here, use `secret`.
   * @default - none: `secret` gives it
   */
  readonly content?: string;
  /**
   * A Secret of the management cluster (in the cluster's namespace) holding the content: CAPI
   * reads it when it bootstraps the node, so it never reaches the output.
   * @default - none: `content` gives it
   */
  readonly secret?: SecretKeyReference;
  /**
   * Owner, `user:group`.
   * @default "root:root"
   */
  readonly owner?: string;
  /**
   * Permissions, octal, e.g. `"0600"`.
   * @default "0644"
   */
  readonly permissions?: string;
}

/** A user cloud-init creates on a node (CAPI `users`): for break-glass SSH access. */
export interface NodeUser {
  /** The user's name. */
  readonly name: string;
  /** Public SSH keys of the user. */
  readonly sshAuthorizedKeys: string[];
  /**
   * The user's sudo rule, e.g. `"ALL=(ALL) NOPASSWD:ALL"`.
   * @default - no sudo
   */
  readonly sudo?: string;
  /**
   * Supplementary groups, comma-separated as cloud-init takes them.
   * @default - none
   */
  readonly groups?: string;
}

/** What a node's cloud-init does around kubeadm, for the control plane or a pool. */
export interface NodeBootstrapOptions {
  /**
   * Files written before kubeadm runs.
   * @default - none
   */
  readonly files?: KubeadmFile[];
  /**
   * Commands run before `kubeadm init`/`join`.
   * @default - none
   */
  readonly preKubeadmCommands?: string[];
  /**
   * Commands run after `kubeadm init`/`join`.
   * @default - none
   */
  readonly postKubeadmCommands?: string[];
  /**
   * NTP servers of the nodes.
   * @default - the image's
   */
  readonly ntpServers?: string[];
  /**
   * Users to create, with their SSH keys (passwords are never set: the accounts stay locked).
   * @default - none
   */
  readonly users?: NodeUser[];
}

/** OpenID Connect authentication of the API server (kube-apiserver `--oidc-*` flags). */
export interface OidcOptions {
  /** The issuer's URL, `https://...`: the API server fetches its discovery document. */
  readonly issuerUrl: string;
  /** The client id tokens must be issued for. */
  readonly clientId: string;
  /**
   * The claim read as the user name.
   * @default "sub" (the API server's default)
   */
  readonly usernameClaim?: string;
  /**
   * Prefix of user names, e.g. `"oidc:"` to keep them apart from other users.
   * @default - the API server's: the issuer URL for claims other than email
   */
  readonly usernamePrefix?: string;
  /**
   * The claim read as the user's groups.
   * @default - none: no groups
   */
  readonly groupsClaim?: string;
  /**
   * Prefix of group names, e.g. `"oidc:"`.
   * @default - none
   */
  readonly groupsPrefix?: string;
  /**
   * Path on the control plane nodes of the CA that signed the issuer's certificate (write it with
   * `files`).
   * @default - the host's trusted CAs
   */
  readonly caFile?: string;
}

/** etcd's data on a volume of its own (CAPO `additionalBlockDevices`), away from the root disk's I/O. */
export interface EtcdDiskOptions {
  /**
   * The device the volume appears as on the control plane machines. Nova attaches volumes in
   * order on virtio: with one additional volume and a flavor without an ephemeral disk, the etcd
   * volume is `/dev/vdb` (CAPO's "Additional block devices" documentation uses it); adjust when the
   * flavor has an ephemeral disk (it takes `/dev/vdb`) or more volumes come first.
   * @default "/dev/vdb"
   */
  readonly device?: string;
}

/** The kubeadm configuration of the control plane. */
export interface ControlPlaneKubeadmOptions extends NodeBootstrapOptions {
  /**
   * More kube-apiserver flags, without the leading dashes, e.g. `{ 'audit-log-maxage': '30' }`.
   * @default - none
   */
  readonly apiServerExtraArgs?: { [name: string]: string };
  /**
   * More kube-controller-manager flags.
   * @default - none
   */
  readonly controllerManagerExtraArgs?: { [name: string]: string };
  /**
   * More kube-scheduler flags.
   * @default - none
   */
  readonly schedulerExtraArgs?: { [name: string]: string };
  /**
   * More etcd flags.
   * @default - none
   */
  readonly etcdExtraArgs?: { [name: string]: string };
  /**
   * OpenID Connect authentication.
   * @default - none
   */
  readonly oidc?: OidcOptions;
  /**
   * Audit logging of the API server, to `/var/log/kubernetes/audit/` on the control plane nodes.
   * @default - none
   */
  readonly audit?: AuditLogOptions;
  /**
   * Cluster-wide defaults of Pod Security admission.
   * @default - the API server's: privileged
   */
  readonly podSecurity?: PodSecurityDefaults;
  /**
   * Encryption of Secrets at rest, from an EncryptionConfiguration you keep in a Secret.
   * @default - none
   */
  readonly secretsEncryption?: SecretsEncryptionOptions;
  /**
   * Put etcd's data on the control plane's additional block device: partitioned, formatted (ext4,
   * label `etcd_disk`), mounted at `/var/lib/etcddisk`, etcd's data directory below it (kubeadm
   * wants an empty directory, and a fresh file system holds `lost+found`). Needs a volume in
   * `controlPlaneMachine.additionalBlockDevices`.
   * @default - etcd's data on the root disk
   */
  readonly etcdDisk?: EtcdDiskOptions;
}

/** The flags the library sets itself on each component; a user's extra flag may not replace one. */
export const LIBRARY_CONTROLLER_MANAGER_ARGS = ['cloud-provider'];

const FLAG_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Extra flags of a component, checked: names as kubeadm takes them, none the library sets. */
export function checkExtraArgs(errors: InputErrors, prop: string, args: unknown, reserved: string[] = []): ComponentArgs | undefined {
  if (args === undefined) return undefined;
  if (!errors.checkStringMap(prop, args)) return undefined;
  for (const name of Object.keys(args as object)) {
    errors.check(FLAG_NAME.test(name), `${prop}["${name}"]`, name, 'must be a flag name without the leading dashes, e.g. "audit-log-maxage"');
    errors.check(!reserved.includes(name), `${prop}["${name}"]`, name, 'is set by the library: it must not be replaced');
  }
  return { ...(args as ComponentArgs) };
}

/** The files, commands and NTP servers of a node, checked. */
export function resolveNodeBootstrap(errors: InputErrors, prop: string, options: NodeBootstrapOptions | undefined,
  extraProps: string[] = []): NodeConfigModel | undefined {
  if (options === undefined) return undefined;
  if (!errors.checkPropNames(prop, options, ['files', 'preKubeadmCommands', 'postKubeadmCommands', 'ntpServers', 'users', ...extraProps])) return undefined;
  const isText = (v: unknown) => typeof v === 'string' && v.length > 0;
  const isObject = (v: unknown) => typeof v === 'object' && v !== null;
  const listsOk = errors.checkList(`${prop}.files`, options.files, isObject, 'files ({ path, content } or { path, secret })')
    && errors.checkList(`${prop}.users`, options.users, isObject, 'users ({ name, sshAuthorizedKeys })');
  if (!listsOk) return undefined;
  errors.checkList(`${prop}.preKubeadmCommands`, options.preKubeadmCommands, isText, 'commands (strings)');
  errors.checkList(`${prop}.postKubeadmCommands`, options.postKubeadmCommands, isText, 'commands (strings)');
  errors.checkList(`${prop}.ntpServers`, options.ntpServers, isText, 'host names or addresses');
  const paths = new Set<string>();
  const files: KubeadmFileModel[] = [];
  (options.files ?? []).forEach((file, i) => {
    const at = `${prop}.files[${i}]`;
    if (!errors.checkPropNames(at, file, ['path', 'content', 'secret', 'owner', 'permissions'])) return;
    errors.check(typeof file.path === 'string' && file.path.startsWith('/'), `${at}.path`, file.path, 'must be an absolute path');
    errors.check(!paths.has(file.path), `${at}.path`, file.path, 'is written by another file already');
    paths.add(file.path);
    errors.check((file.content === undefined) !== (file.secret === undefined), at, file.path, 'needs either content or secret, not both');
    if (file.secret !== undefined) {
      errors.check(isDns1123Subdomain(file.secret?.name) && typeof file.secret?.key === 'string' && file.secret.key.length > 0,
        `${at}.secret`, file.secret, 'must be { name, key } of a Secret in the cluster\'s namespace');
    }
    if (file.permissions !== undefined) {
      errors.check(/^0?[0-7]{3,4}$/.test(file.permissions), `${at}.permissions`, file.permissions, 'must be octal, e.g. "0600"');
    }
    if (file.owner !== undefined) errors.check(/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/.test(file.owner), `${at}.owner`, file.owner, 'must be "user" or "user:group"');
    files.push({ path: file.path, content: file.content, contentFromSecret: file.secret, owner: file.owner, permissions: file.permissions });
  });
  const users = (options.users ?? []).map((user, i) => {
    const at = `${prop}.users[${i}]`;
    if (errors.checkPropNames(at, user, ['name', 'sshAuthorizedKeys', 'sudo', 'groups'])) {
      errors.check(typeof user.name === 'string' && /^[a-z_][a-z0-9_-]{0,31}$/.test(user.name), `${at}.name`, user.name, 'must be a Linux user name');
      errors.check(Array.isArray(user.sshAuthorizedKeys) && user.sshAuthorizedKeys.length > 0
        && user.sshAuthorizedKeys.every(k => typeof k === 'string' && /^(ssh-|ecdsa-|sk-)\S+ \S+/.test(k) && !/PRIVATE KEY/.test(k)),
      `${at}.sshAuthorizedKeys`, '<keys>', 'must be public SSH keys ("ssh-ed25519 AAAA...")');
    }
    return { name: user?.name, sshAuthorizedKeys: user?.sshAuthorizedKeys, sudo: user?.sudo, groups: user?.groups };
  });
  return {
    files,
    users,
    preKubeadmCommands: options.preKubeadmCommands,
    postKubeadmCommands: options.postKubeadmCommands,
    ntpServers: options.ntpServers,
  };
}

/** The kube-apiserver flags of an OIDC configuration (kubernetes.io, "Authenticating", OpenID Connect Tokens). */
export function oidcArgs(errors: InputErrors, prop: string, oidc: OidcOptions | undefined): ComponentArgs {
  if (oidc === undefined) return {};
  if (!errors.checkPropNames(prop, oidc, ['issuerUrl', 'clientId', 'usernameClaim', 'usernamePrefix', 'groupsClaim', 'groupsPrefix', 'caFile'])) return {};
  // The API server accepts only an https issuer, without query or fragment (--oidc-issuer-url).
  errors.check(typeof oidc.issuerUrl === 'string' && /^https:\/\/[^\s?#]+$/.test(oidc.issuerUrl), `${prop}.issuerUrl`, oidc.issuerUrl,
    'must be an https URL without query or fragment');
  errors.check(typeof oidc.clientId === 'string' && oidc.clientId.length > 0, `${prop}.clientId`, oidc.clientId, 'must be a non-empty client id');
  if (oidc.caFile !== undefined) errors.check(oidc.caFile.startsWith('/'), `${prop}.caFile`, oidc.caFile, 'must be an absolute path on the control plane nodes');
  const args: ComponentArgs = { 'oidc-issuer-url': oidc.issuerUrl, 'oidc-client-id': oidc.clientId };
  if (oidc.usernameClaim !== undefined) args['oidc-username-claim'] = oidc.usernameClaim;
  if (oidc.usernamePrefix !== undefined) args['oidc-username-prefix'] = oidc.usernamePrefix;
  if (oidc.groupsClaim !== undefined) args['oidc-groups-claim'] = oidc.groupsClaim;
  if (oidc.groupsPrefix !== undefined) args['oidc-groups-prefix'] = oidc.groupsPrefix;
  if (oidc.caFile !== undefined) args['oidc-ca-file'] = oidc.caFile;
  return args;
}

/** Where etcd's volume is mounted, and etcd's data directory on it. */
export const ETCD_DISK_MOUNT = '/var/lib/etcddisk';
export const ETCD_DATA_DIR = `${ETCD_DISK_MOUNT}/etcd`;

/** The cloud-init disk setup and mount of etcd's volume, checked. */
export function etcdDiskConfig(errors: InputErrors, prop: string, options: EtcdDiskOptions | undefined, hasBlockDevice: boolean) {
  if (options === undefined) return undefined;
  if (!errors.checkPropNames(prop, options, ['device'])) return undefined;
  const device = options.device ?? '/dev/vdb';
  errors.check(typeof device === 'string' && /^\/dev\/[a-z0-9/_-]+$/.test(device), `${prop}.device`, device, 'must be a device path, e.g. "/dev/vdb"');
  errors.check(hasBlockDevice, prop, options, 'needs a volume for etcd in controlPlaneMachine.additionalBlockDevices (e.g. BlockDevice.volume("etcd", 20))');
  return {
    diskSetup: {
      partitions: [{ device, layout: true, tableType: 'gpt' }],
      filesystems: [{ device: `${device}1`, filesystem: 'ext4', label: 'etcd_disk' }],
    },
    mounts: [['LABEL=etcd_disk', ETCD_DISK_MOUNT]],
  };
}
