import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import { shortHash } from '../canonical-json';
import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { CALICO_MODES, checkCalicoNetwork } from './calico-network';
import { CalicoEncapsulation, CalicoNetworkOptions } from './calico-options';
import { ClusterResourceSetAddon, ClusterResourceSetAddonOptions } from './cluster-resource-set-addon';
import { KUBECTL_IMAGES, resolveImage } from './image-versions';
import { claimClusterCni } from './one-cni';
import { requests, SystemPriorityClass } from './pod-placement';
import { WorkloadAddon } from './workload-addon';

/** The Calico release installed by default. */
export const DEFAULT_CALICO_VERSION = 'v3.30.2';

/**
 * Retries of the Job by default. With `restartPolicy: OnFailure` the kubelet restarts a failed
 * container after 10 s, 20 s, 40 s, ... capped at 5 minutes (Kubernetes docs, "Pod Lifecycle",
 * container restarts), and each restart counts against `backoffLimit` (docs, "Jobs", "Pod backoff
 * failure policy"; the Job controller's own back-off, for recreated pods, doubles from 10 s up to
 * 6 minutes). 20 retries wait 10+20+40+80+160 s + 15 × 300 s ≈ 80 minutes (≈ 94 minutes with
 * the 6-minute cap), plus the attempts themselves: time for a slow new cluster to reach the
 * manifest URL.
 */
export const DEFAULT_CALICO_BACKOFF_LIMIT = 20;

/**
 * The sha256 of Calico's manifests, by release and file: computed from the byte-exact upstream
 * files in `imports/calico/<version>/manifests/` (a test recomputes them). Add a release by copying
 * its files there.
 */
export const CALICO_MANIFEST_DIGESTS: { [version: string]: { [manifest: string]: string } } = {
  'v3.30.2': {
    'calico.yaml': '76f763d9d6ae4d3f13552a67cf805883831e5a6a40f1a0cbf3693798d90a0854',
    'calico-vxlan.yaml': '2204f320d8e9e9aa6e8ea75a24cad92ea8375394d09dcee0445009281024048c',
  },
};

/** Options of a {@link CalicoBootstrapJob}. */
export interface CalicoBootstrapJobOptions extends ClusterResourceSetAddonOptions, CalicoNetworkOptions {
  /**
   * Calico release, `vX.Y.Z`.
   * @default "v3.30.2"
   */
  readonly calicoVersion?: string;

  /**
   * Where the Job downloads the manifest from, e.g. a mirror for air-gapped sites. Must name the
   * Calico version (it is pinned).
   * @default "https://raw.githubusercontent.com/projectcalico/calico/<calicoVersion>/manifests/<calico.yaml or calico-vxlan.yaml>"
   */
  readonly manifestUrl?: string;

  /**
   * The sha256 of the file `manifestUrl` serves (`sha256sum calico.yaml`): the Job refuses any
   * other content. Needed for a Calico release this library does not know, or for a mirror that
   * serves a modified file (e.g. images moved to a local registry); a mirror of the unmodified
   * upstream file has the upstream hash, which is the default.
   * @default - the upstream file's sha256, for the releases in `CALICO_MANIFEST_DIGESTS`
   */
  readonly manifestSha256?: string;

  /**
   * Image of the Job: needs `sh`, `curl`, `sha256sum`, `cut`, `sed`, `grep` and a kubectl of the
   * cluster's minor.
   * @default - alpine/k8s for the cluster's Kubernetes minor, pinned
   */
  readonly kubectlImage?: string;

  /**
   * Retries of the Job before it fails for good.
   * @default 20 (about 80 minutes of back-off)
   */
  readonly backoffLimit?: number;
}

/** Props of a {@link CalicoBootstrapJob}. */
export interface CalicoBootstrapJobProps extends CalicoBootstrapJobOptions {
  /** The cluster to install Calico in. */
  readonly cluster: ICapiCluster;
}

const NAMESPACE = 'kube-system';
/** kubectl applying Calico's manifest: requests only, so a small first node still fits it. */
const JOB_RESOURCES = requests('50m', '64Mi');
const CALICO_PROP_NAMES = ['calicoVersion', 'encapsulation', 'mtu', 'imageRegistry', 'blockSize', 'manifestUrl', 'manifestSha256', 'kubectlImage',
  'backoffLimit'];
const SERVICE_ACCOUNT = 'calico-bootstrap';

/**
 * The Job's script, configured by its environment:
 * - the download must have the pinned sha256 (`CALICO_MANIFEST_SHA256`), or the Job fails;
 * - the IPv4 pool is set by uncommenting `CALICO_IPV4POOL_CIDR` of calico-node (Calico creates
 *   its default pool from it on first start, 192.168.0.0/16 otherwise); a manifest without that
 *   comment fails the Job instead of silently keeping the default;
 * - the pool's encapsulation is set on calico-node (`CALICO_IPV4POOL_IPIP`,
 *   `CALICO_IPV4POOL_VXLAN`), and optionally its block size (`CALICO_IPV4POOL_BLOCK_SIZE`, added
 *   after the CIDR), the MTU (`veth_mtu` of the calico-config ConfigMap, `CALICO_VETH_MTU`) and
 *   the images' registry (`docker.io` replaced by `CALICO_IMAGE_REGISTRY`);
 * - each edit is checked: a manifest that does not have the expected lines fails the Job;
 * - server-side apply has no annotation size limit (Calico's CRDs are large) and is idempotent
 *   across retries;
 * - only then the Job drops its `cluster-admin` binding. Never fatal: a retry after a lost
 *   response would find no permission left and fail halfway.
 * Only POSIX sh, sed and grep features, as busybox has them (the `r` command inserts the block
 * size: `a` and newlines in replacements differ between seds).
 */
export const CALICO_APPLY_SCRIPT = [
  'set -eu',
  'fail() { echo "$*" >&2; exit 1; }',
  'curl -fsSL --retry 5 --retry-delay 5 -o /tmp/calico.yaml "$CALICO_MANIFEST_URL"',
  'actual=$(sha256sum /tmp/calico.yaml | cut -d " " -f 1)',
  '[ "$actual" = "$CALICO_MANIFEST_SHA256" ] || fail "sha256 mismatch for $CALICO_MANIFEST_URL: expected $CALICO_MANIFEST_SHA256, got $actual"',
  String.raw`grep -q '^ *# - name: CALICO_IPV4POOL_CIDR$' /tmp/calico.yaml || fail "CALICO_IPV4POOL_CIDR not found in $CALICO_MANIFEST_URL"`,
  ': > /tmp/calico-block-size.yaml',
  'if [ -n "${CALICO_IPV4POOL_BLOCK_SIZE:-}" ]; then',
  String.raw`  indent=$(grep -m 1 '^ *# - name: CALICO_IPV4POOL_CIDR$' /tmp/calico.yaml | sed 's|#.*||')`,
  String.raw`  printf '%s- name: CALICO_IPV4POOL_BLOCK_SIZE\n%s  value: "%s"\n' "$indent" "$indent" "$CALICO_IPV4POOL_BLOCK_SIZE" > /tmp/calico-block-size.yaml`,
  'fi',
  'sed -i'
    + String.raw` -e '/^ *#   value: "192\.168\.0\.0\/16"$/r /tmp/calico-block-size.yaml'`
    + String.raw` -e 's|^\( *\)# - name: CALICO_IPV4POOL_CIDR$|\1- name: CALICO_IPV4POOL_CIDR|'`
    + String.raw` -e 's|^\( *\)#   value: "192.168.0.0/16"$|\1  value: "'"$CALICO_IPV4POOL_CIDR"'"|'`
    + String.raw` -e '/^ *- name: CALICO_IPV4POOL_IPIP$/{n;s|^\( *\)value: "[A-Za-z]*"$|\1value: "'"$CALICO_IPV4POOL_IPIP"'"|;}'`
    + String.raw` -e '/^ *- name: CALICO_IPV4POOL_VXLAN$/{n;s|^\( *\)value: "[A-Za-z]*"$|\1value: "'"$CALICO_IPV4POOL_VXLAN"'"|;}'`
    + String.raw` -e 's|^  veth_mtu: "0"$|  veth_mtu: "'"${'$'}{CALICO_VETH_MTU:-0}"'"|'`
    + String.raw` -e 's|^\( *image: \)docker\.io/calico/|\1'"${'$'}{CALICO_IMAGE_REGISTRY:-docker.io}"'/calico/|' /tmp/calico.yaml`,
  String.raw`grep -q "value: \"$CALICO_IPV4POOL_CIDR\"" /tmp/calico.yaml || fail "could not set CALICO_IPV4POOL_CIDR"`,
  String.raw`grep -A 1 '^ *- name: CALICO_IPV4POOL_IPIP$' /tmp/calico.yaml | grep -q "value: \"$CALICO_IPV4POOL_IPIP\"$" || fail "could not set CALICO_IPV4POOL_IPIP to $CALICO_IPV4POOL_IPIP"`,
  String.raw`grep -A 1 '^ *- name: CALICO_IPV4POOL_VXLAN$' /tmp/calico.yaml | grep -q "value: \"$CALICO_IPV4POOL_VXLAN\"$" || fail "could not set CALICO_IPV4POOL_VXLAN to $CALICO_IPV4POOL_VXLAN"`,
  String.raw`[ -z "${'$'}{CALICO_IPV4POOL_BLOCK_SIZE:-}" ] || grep -A 1 '^ *- name: CALICO_IPV4POOL_BLOCK_SIZE$' /tmp/calico.yaml | grep -q "value: \"$CALICO_IPV4POOL_BLOCK_SIZE\"$" || fail "could not set CALICO_IPV4POOL_BLOCK_SIZE"`,
  String.raw`grep -q "^  veth_mtu: \"${'$'}{CALICO_VETH_MTU:-0}\"$" /tmp/calico.yaml || fail "could not set veth_mtu"`,
  String.raw`[ -z "${'$'}{CALICO_IMAGE_REGISTRY:-}" ] || ! grep -q 'image: docker\.io/' /tmp/calico.yaml || fail "could not move the images to $CALICO_IMAGE_REGISTRY"`,
  'echo "applying Calico from $CALICO_MANIFEST_URL (sha256 $actual) with IPv4 pool $CALICO_IPV4POOL_CIDR (IP-in-IP $CALICO_IPV4POOL_IPIP, VXLAN $CALICO_IPV4POOL_VXLAN)"',
  'kubectl apply --server-side --force-conflicts --field-manager=calico-bootstrap -f /tmp/calico.yaml',
  `n=0; until kubectl delete clusterrolebinding ${SERVICE_ACCOUNT} --ignore-not-found; do n=$((n + 1)); `
    + `[ "$n" -lt 5 ] || { echo "warning: could not delete ClusterRoleBinding ${SERVICE_ACCOUNT}: delete it by hand" >&2; break; }; sleep 5; done`,
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
 * cloud controller manager yet) and `node.kubernetes.io/not-ready` (no CNI yet). It applies
 * Calico's `calico.yaml` (IP-in-IP) or `calico-vxlan.yaml` (VXLAN) only if its sha256 is the
 * pinned one, with Calico's IPv4 pool set to the cluster's first pod CIDR. The encapsulation must
 * be allowed by the cluster's security group rules, checked here. A failed download, check or
 * apply exits non-zero, so the Job retries, `backoffLimit` times (by default about 80 minutes).
 * The Job's name ends with a hash of its spec: a Job's pod template is immutable, so a changed Job
 * is a new Job.
 *
 * Its ServiceAccount is bound to `cluster-admin`: applying Calico creates CRDs, ClusterRoles and
 * bindings, which needs every permission they grant. The Job deletes that ClusterRoleBinding once
 * Calico is applied (the ServiceAccount stays, without permissions).
 *
 * Recovery: once the Job has failed for good, an `ApplyOnce` ClusterResourceSet never applies it
 * again. CAPI records each applied ConfigMap in the cluster's ClusterResourceSetBinding (named
 * after the cluster) and skips those recorded as applied, whatever became of the Job; it only
 * creates objects and leaves existing ones as they are (`reconcileApplyOnceScope`, cluster-api
 * `exp/addons/internal/controllers/clusterresourceset_scope.go`). To run it again, after fixing
 * the cause:
 * 1. in the workload cluster: `kubectl -n kube-system delete job <jobName>`;
 * 2. in the management cluster: `kubectl -n <cluster namespace> delete clusterresourcesetbinding
 *    <cluster name>` (or remove this ClusterResourceSet's entry from its `spec.bindings`);
 * 3. then trigger a reconcile of this ClusterResourceSet, e.g. `kubectl -n <cluster namespace>
 *    annotate clusterresourceset <name> retry=1 --overwrite`: the controller watches
 *    ClusterResourceSets, Clusters and their ConfigMaps and Secrets, not the bindings
 *    (`clusterresourceset_controller.go`), so it otherwise waits for its periodic resync.
 * CAPI then creates what is missing (the Job, and its ClusterRoleBinding if the Job had deleted
 * it) and recreates the binding; the other add-ons' objects exist and are not recreated.
 */
export class CalicoBootstrapJob extends WorkloadAddon {
  /** The ClusterResourceSet delivering the Job. */
  public readonly addon: ClusterResourceSetAddon;
  /** Name of the Job in `kube-system`. */
  public readonly jobName: string;
  /** The CNI's name, for messages. */
  public readonly cniName = 'Calico';
  /** The encapsulation of pod traffic between nodes. */
  public readonly encapsulation: CalicoEncapsulation;
  /** The MTU of the pods' interfaces and tunnels; 0 when Calico detects it. */
  public readonly mtu: number;
  /** The URL the Job applies. */
  public readonly manifestUrl: string;
  /** The sha256 the downloaded manifest must have. */
  public readonly manifestSha256: string;
  /** The image of the Job. */
  public readonly kubectlImage: string;

  constructor(scope: Construct, id: string, props: CalicoBootstrapJobProps) {
    super(scope, id, props, 'CalicoBootstrapJobOptions', CALICO_PROP_NAMES);
    const errors = new InputErrors(this);
    const cluster = props.cluster;

    const version = props.calicoVersion ?? DEFAULT_CALICO_VERSION;
    const versionOk = errors.check(/^v\d+\.\d+\.\d+$/.test(version), 'calicoVersion', version, 'must be a Calico release "vX.Y.Z", e.g. "v3.30.2"');
    const network = checkCalicoNetwork(errors, cluster, props);
    if (!network) errors.throwIfAny();
    const { mode, mtu, blockSize, imageRegistry } = network!;
    this.encapsulation = network!.encapsulation;
    this.mtu = mtu;
    const manifest = mode.manifest;
    this.manifestUrl = props.manifestUrl ?? `https://raw.githubusercontent.com/projectcalico/calico/${version}/manifests/${manifest}`;
    if (props.manifestUrl !== undefined) {
      const url = props.manifestUrl;
      if (errors.check(typeof url === 'string' && /^https?:\/\/[^\s?#]+$/.test(url), 'manifestUrl', url, 'must be an http(s) URL without query or fragment')) {
        // The version must be a segment of the path (".../v3.30.2/..."), not any substring.
        const segments = url.split('/').slice(3);
        errors.check(segments.some(segment => segment === version || segment === `calico-${version}.yaml`), 'manifestUrl', url,
          `must be pinned: a segment of its path must be the Calico version (${version}), e.g. ".../${version}/manifests/${manifest}"`);
        const file = segments[segments.length - 1];
        errors.check(!MANIFEST_FILES.includes(file) || file === manifest, 'manifestUrl', url,
          `must serve ${manifest} for encapsulation ${this.encapsulation}, not ${file}`);
      }
    }

    // The table pins the content, wherever it is served from; manifestSha256 vouches for another.
    const published = versionOk ? CALICO_MANIFEST_DIGESTS[version]?.[manifest] : undefined;
    const sha256 = props.manifestSha256;
    if (sha256 !== undefined) {
      if (errors.check(typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256), 'manifestSha256', sha256, 'must be a sha256: 64 lower-case hex digits')) {
        errors.check(props.manifestUrl !== undefined || published === undefined || sha256 === published, 'manifestSha256', sha256,
          `differs from the sha256 of upstream ${manifest} ${version} (${published}), which the default URL serves: remove it, or set manifestUrl to the mirror serving your file`);
      }
    } else if (versionOk) {
      errors.check(published !== undefined, 'manifestSha256', undefined,
        `is required for ${manifest} of Calico ${version}: its sha256 is known for ${Object.keys(CALICO_MANIFEST_DIGESTS).join(', ')} only; give the sha256 of the file manifestUrl serves`);
    }
    this.manifestSha256 = sha256 ?? published ?? '';

    const backoffLimit = props.backoffLimit ?? DEFAULT_CALICO_BACKOFF_LIMIT;
    errors.check(Number.isInteger(backoffLimit) && backoffLimit >= 0 && backoffLimit <= 100, 'backoffLimit', backoffLimit,
      'must be an integer from 0 to 100');

    this.kubectlImage = resolveImage(errors, 'kubectlImage', props.kubectlImage, KUBECTL_IMAGES, cluster.kubernetesVersion, 'kubectl');
    errors.throwIfAny();

    const podCidr = cluster.podCidrs[0];
    this.addServiceAccount('ServiceAccount', SERVICE_ACCOUNT, NAMESPACE);
    this.bindClusterRole('ClusterRoleBinding', { name: SERVICE_ACCOUNT, clusterRole: 'cluster-admin', serviceAccount: SERVICE_ACCOUNT, namespace: NAMESPACE });

    const env = [
      { name: 'CALICO_MANIFEST_URL', value: this.manifestUrl },
      { name: 'CALICO_MANIFEST_SHA256', value: this.manifestSha256 },
      { name: 'CALICO_IPV4POOL_CIDR', value: podCidr },
      { name: 'CALICO_IPV4POOL_IPIP', value: mode.ipip },
      { name: 'CALICO_IPV4POOL_VXLAN', value: mode.vxlan },
      ...optionalEnv('CALICO_IPV4POOL_BLOCK_SIZE', blockSize),
      ...optionalEnv('CALICO_VETH_MTU', mtu || undefined),
      ...optionalEnv('CALICO_IMAGE_REGISTRY', imageRegistry),
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
          // Nothing else runs before the CNI: scheduled first, as Calico's own pods are critical.
          priorityClassName: SystemPriorityClass.CLUSTER_CRITICAL,
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
            resources: JOB_RESOURCES,
            command: ['/bin/sh', '-c', WAIT_FOR_API_SERVER_SCRIPT],
            env: [{ name: 'HOME', value: '/tmp' }],
          }],
          containers: [{
            name: 'apply-calico',
            image: this.kubectlImage,
            imagePullPolicy: 'IfNotPresent',
            resources: JOB_RESOURCES,
            command: ['/bin/sh', '-c', CALICO_APPLY_SCRIPT],
            env,
          }],
        },
      },
    };
    this.jobName = `calico-bootstrap-${shortHash(spec)}`;
    new k8s.KubeJob(this.workload, 'Job', { metadata: { name: this.jobName, namespace: NAMESPACE }, spec });
    this.addon = this.deliver(props, 'calico');
    claimClusterCni(this);
  }
}

/** The upstream manifests the encapsulations select. */
const MANIFEST_FILES: string[] = [...new Set(Object.values(CALICO_MODES).map(mode => mode.manifest))];

/** An env var of the Job when the value is set; none otherwise (the script has a default). */
function optionalEnv(name: string, value: string | number | undefined): k8s.EnvVar[] {
  return value === undefined ? [] : [{ name, value: String(value) }];
}
