import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { shortHash } from '../canonical-json';
import { InputErrors } from '../input-errors';
import type { OpenStackCapiCluster } from '../openstack-capi-cluster';
import { checkCluster } from './check-cluster';
import { ClusterResourceSetAddon, ClusterResourceSetAddonOptions } from './cluster-resource-set-addon';
import { KUBECTL_IMAGES, resolveImage } from './image-versions';

/** The Calico release installed by default. */
export const DEFAULT_CALICO_VERSION = 'v3.30.2';

/** Options of a {@link CalicoBootstrapJob}. */
export interface CalicoBootstrapJobOptions extends ClusterResourceSetAddonOptions {
  /**
   * Calico release, `vX.Y.Z`.
   * @default "v3.30.2"
   */
  readonly calicoVersion?: string;

  /**
   * Where the Job downloads Calico's `calico.yaml` from, e.g. a mirror for air-gapped sites. Must
   * name the Calico version (it is pinned).
   * @default "https://raw.githubusercontent.com/projectcalico/calico/<calicoVersion>/manifests/calico.yaml"
   */
  readonly manifestUrl?: string;

  /**
   * Image of the Job: needs `sh`, `curl`, `sed`, `grep` and a kubectl of the cluster's minor.
   * @default - alpine/k8s for the cluster's Kubernetes minor, pinned
   */
  readonly kubectlImage?: string;

  /**
   * Retries of the Job before it fails for good.
   * @default 6
   */
  readonly backoffLimit?: number;
}

/** Props of a {@link CalicoBootstrapJob}. */
export interface CalicoBootstrapJobProps extends CalicoBootstrapJobOptions {
  /** The cluster to install Calico in. */
  readonly cluster: OpenStackCapiCluster;
}

const NAMESPACE = 'kube-system';
const SERVICE_ACCOUNT = 'calico-bootstrap';

/**
 * The Job's script. The IPv4 pool is set by uncommenting `CALICO_IPV4POOL_CIDR` of calico-node
 * (Calico creates its default pool from it on first start, 192.168.0.0/16 otherwise); a manifest
 * without that comment fails the Job instead of silently keeping the default. Server-side apply
 * has no annotation size limit (Calico's CRDs are large) and is idempotent across retries.
 */
export const CALICO_APPLY_SCRIPT = [
  'set -eu',
  'curl -fsSL --retry 5 --retry-delay 5 -o /tmp/calico.yaml "$CALICO_MANIFEST_URL"',
  'grep -q \'^ *# - name: CALICO_IPV4POOL_CIDR$\' /tmp/calico.yaml || { echo "CALICO_IPV4POOL_CIDR not found in $CALICO_MANIFEST_URL" >&2; exit 1; }',
  'sed -i -e \'s|^\\( *\\)# - name: CALICO_IPV4POOL_CIDR$|\\1- name: CALICO_IPV4POOL_CIDR|\' '
    + '-e \'s|^\\( *\\)#   value: "192.168.0.0/16"$|\\1  value: "\'"$CALICO_IPV4POOL_CIDR"\'"|\' /tmp/calico.yaml',
  'grep -q "value: \\"$CALICO_IPV4POOL_CIDR\\"" /tmp/calico.yaml || { echo "could not set CALICO_IPV4POOL_CIDR" >&2; exit 1; }',
  'echo "applying Calico from $CALICO_MANIFEST_URL with IPv4 pool $CALICO_IPV4POOL_CIDR"',
  'kubectl apply --server-side --force-conflicts --field-manager=calico-bootstrap -f /tmp/calico.yaml',
].join('\n') + '\n';

/** Waits until the API server answers through the in-cluster service. */
export const WAIT_FOR_API_SERVER_SCRIPT = 'until kubectl get --raw=/readyz >/dev/null 2>&1; do echo "waiting for the API server"; sleep 5; done\n';

/**
 * Installs Calico in a new cluster with a Job, delivered by a ClusterResourceSet: `calico.yaml`
 * (539 kB) is too large for a ClusterResourceSet ConfigMap, so the Job downloads and applies it
 * from inside the cluster.
 *
 * The Job runs on the host network (there is no pod network yet) and tolerates the taints of a
 * first control plane node: control-plane, `node.cloudprovider.kubernetes.io/uninitialized` (no
 * cloud controller manager yet) and `node.kubernetes.io/not-ready` (no CNI yet). Calico's IPv4
 * pool is set to the cluster's first pod CIDR. A failed download or apply exits non-zero, so the
 * Job retries up to `backoffLimit` times. The Job's name ends with a hash of its spec: a Job's pod
 * template is immutable, so a changed Job is a new Job.
 *
 * Its ServiceAccount is bound to `cluster-admin`: applying Calico creates CRDs, ClusterRoles and
 * bindings, which needs every permission they grant.
 */
export class CalicoBootstrapJob extends Construct {
  /** The ClusterResourceSet delivering the Job. */
  public readonly addon: ClusterResourceSetAddon;
  /** Name of the Job in `kube-system`. */
  public readonly jobName: string;
  /** The URL the Job applies. */
  public readonly manifestUrl: string;
  /** The image of the Job. */
  public readonly kubectlImage: string;

  constructor(scope: Construct, id: string, props: CalicoBootstrapJobProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    const cluster = props.cluster;
    checkCluster(errors, cluster);
    errors.throwIfAny();

    const version = props.calicoVersion ?? DEFAULT_CALICO_VERSION;
    errors.check(/^v\d+\.\d+\.\d+$/.test(version), 'calicoVersion', version, 'must be a Calico release "vX.Y.Z", e.g. "v3.30.2"');
    this.manifestUrl = props.manifestUrl ?? `https://raw.githubusercontent.com/projectcalico/calico/${version}/manifests/calico.yaml`;
    if (props.manifestUrl !== undefined) {
      const url = props.manifestUrl;
      if (errors.check(typeof url === 'string' && /^https?:\/\/[^\s?#]+$/.test(url), 'manifestUrl', url, 'must be an http(s) URL without query or fragment')) {
        // The version must be a segment of the path (".../v3.30.2/..."), not any substring.
        errors.check(url.split('/').slice(3).some(segment => segment === version || segment === `calico-${version}.yaml`), 'manifestUrl', url,
          `must be pinned: a segment of its path must be the Calico version (${version}), e.g. ".../${version}/manifests/calico.yaml"`);
      }
    }
    const backoffLimit = props.backoffLimit ?? 6;
    errors.check(Number.isInteger(backoffLimit) && backoffLimit >= 0 && backoffLimit <= 100, 'backoffLimit', backoffLimit,
      'must be an integer from 0 to 100');

    this.kubectlImage = resolveImage(errors, 'kubectlImage', props.kubectlImage, KUBECTL_IMAGES, cluster.kubernetesVersion, 'kubectl');
    errors.throwIfAny();

    const podCidr = cluster.podCidrs[0];
    const chart = ClusterResourceSetAddon.workloadChart();
    new k8s.KubeServiceAccount(chart, 'ServiceAccount', { metadata: { name: SERVICE_ACCOUNT, namespace: NAMESPACE } });
    new k8s.KubeClusterRoleBinding(chart, 'ClusterRoleBinding', {
      metadata: { name: SERVICE_ACCOUNT },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: NAMESPACE }],
    });

    const env = [
      { name: 'CALICO_MANIFEST_URL', value: this.manifestUrl },
      { name: 'CALICO_IPV4POOL_CIDR', value: podCidr },
      { name: 'HOME', value: '/tmp' },
    ];
    const spec: k8s.JobSpec = {
      backoffLimit,
      completions: 1,
      parallelism: 1,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'calico-bootstrap' } },
        spec: {
          serviceAccountName: SERVICE_ACCOUNT,
          restartPolicy: 'OnFailure',
          // No pod network before Calico runs; the node's resolver reaches the manifest URL.
          hostNetwork: true,
          dnsPolicy: 'Default',
          tolerations: [
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            { key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Exists', effect: 'NoSchedule' },
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' },
          ],
          initContainers: [{
            name: 'wait-for-api-server',
            image: this.kubectlImage,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/sh', '-c', WAIT_FOR_API_SERVER_SCRIPT],
            env: [{ name: 'HOME', value: '/tmp' }],
          }],
          containers: [{
            name: 'apply-calico',
            image: this.kubectlImage,
            imagePullPolicy: 'IfNotPresent',
            command: ['/bin/sh', '-c', CALICO_APPLY_SCRIPT],
            env,
          }],
        },
      },
    };
    this.jobName = `calico-bootstrap-${shortHash(spec)}`;
    new k8s.KubeJob(chart, 'Job', { metadata: { name: this.jobName, namespace: NAMESPACE }, spec });

    this.addon = new ClusterResourceSetAddon(this, 'ClusterResourceSet', {
      cluster,
      name: props.name ?? `${props.cluster.name}-calico`,
      strategy: props.strategy,
    });
    this.addon.addChart(chart);
  }
}
