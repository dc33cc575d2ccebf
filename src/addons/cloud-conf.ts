import { k8s } from 'cdk8s-plus-30';
import { Construct, IConstruct } from 'constructs';
import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { isDns1123Subdomain } from '../rules';

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

/**
 * Where a component's cloud-config comes from. With credentials by reference, a resource-set
 * Secret the user creates (`given`, default `defaultName`), checked; undefined with inline
 * credentials, whose Secret the add-on generates (see {@link addInlineCloudConfigSecret}).
 */
export function userCloudConfigSecretName(errors: InputErrors, cluster: ICapiCluster, given: string | undefined,
  defaultName: string): string | undefined {
  if (cluster.credentials.cloudsYaml !== undefined) return undefined;
  const name = given ?? defaultName;
  errors.check(isDns1123Subdomain(name), 'cloudConfigSecretName', name, 'must be a DNS-1123 subdomain');
  return name;
}

/**
 * With inline credentials, the workload cluster's `kube-system/<secretName>` Secret a component
 * mounts: its `cloud.conf`, `clouds.yaml` and the private CA (`cacert`, read through `ca-file`).
 * It lands in the synthesized output: a warning says so.
 */
export function addInlineCloudConfigSecret(addon: IConstruct, workload: Construct, cluster: ICapiCluster, secretName: string, conf: string): void {
  const credentials = cluster.credentials;
  if (credentials.cloudsYaml === undefined) return;
  console.warn(
    `[warning] ${addon.node.path}: clouds.yaml is written into a ClusterResourceSet Secret (kube-system/${secretName}) `
    + 'in the synthesized output, because the cluster\'s credentials are inline. Do not commit it to Git unencrypted.',
  );
  new k8s.KubeSecret(workload, 'CloudConfig', {
    metadata: { name: secretName, namespace: 'kube-system' },
    type: 'Opaque',
    data: {
      'cloud.conf': base64(conf),
      'clouds.yaml': base64(credentials.cloudsYaml),
      ...(credentials.cacert?.trim() ? { cacert: base64(credentials.cacert) } : {}),
    },
  });
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
