/** Where the OpenStack add-ons mount their cloud-config Secret. */
export const CLOUD_CONFIG_DIR = '/etc/config';

/**
 * The `cloud.conf` of cloud-provider-openstack's components (the cloud controller manager, the
 * Cinder CSI plugins): the credentials are read from `clouds.yaml` beside it, and a private CA
 * from `cacert` (`ca-file`); other sections are the component's own.
 */
export function cloudConf(options: { cloudName: string; caFile: boolean; sections?: { [section: string]: string[] } }): string {
  const lines = [
    '[Global]',
    'use-clouds=true',
    `clouds-file=${CLOUD_CONFIG_DIR}/clouds.yaml`,
    `cloud=${options.cloudName}`,
    ...(options.caFile ? [`ca-file=${CLOUD_CONFIG_DIR}/cacert`] : []),
  ];
  for (const [section, entries] of Object.entries(options.sections ?? {})) {
    if (entries.length > 0) lines.push('', `[${section}]`, ...entries);
  }
  return lines.join('\n') + '\n';
}
