import { HostPathVolumeModel, NodeConfigModel } from './models';

/**
 * The fields of a kubeadm config spec (KubeadmControlPlane `kubeadmConfigSpec`, KubeadmConfigTemplate
 * `template.spec`) that read the same in v1beta1 and v1beta2: files, commands, NTP, disks.
 * Empty lists are left out (v1beta2 refuses them); v1beta1 writes `files: []` as it always has.
 */
export function nodeConfigFields(model: NodeConfigModel | undefined) {
  const nonEmpty = <T>(list: T[] | undefined) => (list && list.length > 0 ? list : undefined);
  return {
    files: nonEmpty(model?.files?.map(f => ({
      path: f.path,
      content: f.content,
      contentFrom: f.contentFromSecret ? { secret: { name: f.contentFromSecret.name, key: f.contentFromSecret.key } } : undefined,
      owner: f.owner,
      permissions: f.permissions,
    }))),
    preKubeadmCommands: nonEmpty(model?.preKubeadmCommands),
    postKubeadmCommands: nonEmpty(model?.postKubeadmCommands),
    ntp: model?.ntpServers?.length ? { enabled: true, servers: [...model.ntpServers] } : undefined,
    // Accounts stay locked (cloud-init's default): SSH keys only.
    users: nonEmpty(model?.users?.map(u => ({ name: u.name, sshAuthorizedKeys: [...u.sshAuthorizedKeys], sudo: u.sudo, groups: u.groups }))),
    diskSetup: model?.diskSetup,
    mounts: nonEmpty(model?.mounts),
  };
}

/** The API server's extra volumes (kubeadm `extraVolumes`, the same in both versions). */
export function extraVolumes(volumes: HostPathVolumeModel[] | undefined) {
  return volumes?.length ? volumes.map(v => ({ ...v })) : undefined;
}

/** The object, or undefined when none of its fields is set (an empty object would be written). */
export function orUndefined<T extends object>(value: T): T | undefined {
  return Object.values(value).some(v => v !== undefined) ? value : undefined;
}

/**
 * The API server's listening port in kubeadm's init and join configurations (the same in v1beta1
 * and v1beta2), when it is not kubeadm's 6443: CAPO's load balancer sends to that port on each
 * control plane machine.
 */
export function bindPort(port: number | undefined): { init: any; join: any } {
  // JSON field names (`localAPIEndpoint`): the generated types spell it `localApiEndpoint`.
  if (port === undefined) return { init: {}, join: {} };
  return { init: { localAPIEndpoint: { bindPort: port } }, join: { controlPlane: { localAPIEndpoint: { bindPort: port } } } };
}
