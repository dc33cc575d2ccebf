import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { isDns1123Subdomain } from '../rules';
import { ClusterResourceSetAddon, ClusterResourceSetAddonOptions } from './cluster-resource-set-addon';
import { CLUSTER_AUTOSCALER_IMAGES, resolveImage } from './image-versions';
import { requests, SystemPriorityClass } from './pod-placement';
import { WorkloadAddon } from './workload-addon';

/** Where the cluster-autoscaler runs (kubernetes/autoscaler clusterapi provider README). */
export enum AutoscalerPlacement {
  /**
   * In the management cluster, in the cluster's namespace: it reads the workload cluster through
   * the `<cluster>-kubeconfig` Secret CAPI maintains, and the CAPI objects with its own
   * ServiceAccount. No management credentials enter the workload cluster (recommended).
   */
  MANAGEMENT_CLUSTER = 'ManagementCluster',
  /**
   * In the workload cluster's `kube-system`, delivered by a ClusterResourceSet, reading the CAPI
   * objects through a management-cluster kubeconfig kept in a Secret you provide.
   */
  WORKLOAD_CLUSTER = 'WorkloadCluster',
}

/** A management-cluster kubeconfig in a Secret of the workload cluster. */
export interface ManagementKubeconfigSecret {
  /** Name of the Secret in the workload cluster's `kube-system` namespace. */
  readonly secretName: string;

  /**
   * The Secret's key holding the kubeconfig.
   * @default "value"
   */
  readonly key?: string;

  /**
   * Name of a Secret of type `addons.cluster.x-k8s.io/resource-set`, in the cluster's namespace of
   * the management cluster, that holds the kubeconfig Secret and that the add-on's
   * ClusterResourceSet delivers with the autoscaler. You create it (its content stays out of the
   * output).
   * @default - none: the Secret reaches the workload cluster some other way
   */
  readonly resourceSetSecretName?: string;
}

/** Options of an {@link AutoscalerAddon}. */
export interface AutoscalerAddonOptions extends ClusterResourceSetAddonOptions {
  /**
   * Where the autoscaler runs. `name` and `strategy` apply to the ClusterResourceSet of
   * `WORKLOAD_CLUSTER` only.
   * @default AutoscalerPlacement.MANAGEMENT_CLUSTER
   */
  readonly placement?: AutoscalerPlacement;

  /**
   * The management-cluster kubeconfig, for `AutoscalerPlacement.WORKLOAD_CLUSTER` (required there).
   * @default - none
   */
  readonly managementKubeconfig?: ManagementKubeconfigSecret;

  /**
   * Image of the cluster-autoscaler; its minor should match the cluster's Kubernetes minor.
   * @default - the release for the cluster's Kubernetes minor, pinned
   */
  readonly image?: string;

  /**
   * Expander(s) choosing the pool to grow, comma-separated in priority order.
   * @default "least-waste"
   */
  readonly expander?: string;

  /**
   * How long a node must be unneeded before it is removed.
   * @default Duration.minutes(10)
   */
  readonly scaleDownUnneededTime?: Duration;

  /**
   * How long after a scale-up scale-down evaluation resumes.
   * @default Duration.minutes(10)
   */
  readonly scaleDownDelayAfterAdd?: Duration;

  /**
   * More command line arguments, e.g. `--balance-similar-node-groups`.
   * @default - none
   */
  readonly extraArgs?: string[];
}

/** Props of an {@link AutoscalerAddon}. */
export interface AutoscalerAddonProps extends AutoscalerAddonOptions {
  /** The cluster whose node pools are scaled. */
  readonly cluster: ICapiCluster;
}

/**
 * The Cluster API version the autoscaler reads (its README, "Specifying a Custom Resource Version"):
 * without it, it reads the newest served, v1beta2 on CAPI v1.11 and later, whose references
 * carry no apiVersion; the pinned images (1.31 to 1.33) then fail to find the infrastructure
 * template when scaling from zero (kubernetes/autoscaler#8330, fixed in 1.33.1 and 1.34). Every
 * pinned CAPI release serves v1beta1 (the API server converts), so the autoscaler reads that.
 */
export const AUTOSCALER_CAPI_VERSION = 'v1beta1';

const EXPANDERS = ['random', 'most-pods', 'least-waste', 'least-nodes', 'price', 'priority', 'grpc'];
const WORKLOAD_NAMESPACE = 'kube-system';
const UPSTREAM_NAME = 'cluster-autoscaler';

/**
 * The cluster-autoscaler with the `clusterapi` provider, discovering the node pools of this
 * cluster only (`--node-group-auto-discovery=clusterapi:namespace=<ns>,clusterName=<name>`).
 * Pools opt in with `autoscaling` (their min/max and scale-from-zero annotations).
 *
 * In both placements the permissions on the CAPI objects are a namespaced Role in the cluster's
 * namespace of the management cluster (the upstream example's `cluster-autoscaler-management`
 * rules, scoped as its README advises, plus read access to OpenStackMachineTemplates for scaling
 * from zero), bound to the ServiceAccount `<cluster>-cluster-autoscaler`. With
 * `WORKLOAD_CLUSTER`, make the management kubeconfig of that ServiceAccount. Inside the workload
 * cluster the autoscaler gets the upstream `cluster-autoscaler-workload` ClusterRole.
 */
export class AutoscalerAddon extends WorkloadAddon {
  /** Where the autoscaler runs. */
  public readonly placement: AutoscalerPlacement;
  /** The image of the autoscaler. */
  public readonly image: string;
  /** The autoscaler's command line arguments. */
  public readonly args: string[];
  /** The ServiceAccount in the management cluster whose Role allows scaling the pools. */
  public readonly managementServiceAccountName: string;
  /** With `WORKLOAD_CLUSTER`: the ClusterResourceSet delivering the autoscaler. */
  public readonly addon?: ClusterResourceSetAddon;

  constructor(scope: Construct, id: string, props: AutoscalerAddonProps) {
    super(scope, id, props, 'AutoscalerAddonOptions', [
      'placement', 'managementKubeconfig', 'image', 'expander', 'scaleDownUnneededTime', 'scaleDownDelayAfterAdd', 'extraArgs',
    ]);
    const errors = new InputErrors(this);
    const cluster = props.cluster;

    this.placement = props.placement ?? AutoscalerPlacement.MANAGEMENT_CLUSTER;
    errors.check(Object.values(AutoscalerPlacement).includes(this.placement), 'placement', this.placement, 'must be an AutoscalerPlacement');
    this.image = resolveImage(errors, 'image', props.image, CLUSTER_AUTOSCALER_IMAGES, cluster.kubernetesVersion, 'cluster-autoscaler');
    const expander = props.expander ?? 'least-waste';
    errors.check(typeof expander === 'string' && expander.split(',').every(e => EXPANDERS.includes(e)), 'expander', expander,
      `must be one or more of ${EXPANDERS.join(', ')}, comma-separated`);
    const unneeded = goDuration(errors, 'scaleDownUnneededTime', props.scaleDownUnneededTime ?? Duration.minutes(10));
    const delayAfterAdd = goDuration(errors, 'scaleDownDelayAfterAdd', props.scaleDownDelayAfterAdd ?? Duration.minutes(10));
    const extraArgs = props.extraArgs ?? [];
    errors.checkList('extraArgs', extraArgs, arg => typeof arg === 'string' && arg.startsWith('--'), 'flags, "--name=value"');

    const kubeconfig = props.managementKubeconfig;
    if (this.placement === AutoscalerPlacement.WORKLOAD_CLUSTER) {
      if (errors.check(typeof kubeconfig === 'object' && kubeconfig !== null, 'managementKubeconfig', kubeconfig,
        'is required with AutoscalerPlacement.WORKLOAD_CLUSTER: the Secret holding a management-cluster kubeconfig')) {
        errors.check(isDns1123Subdomain(kubeconfig!.secretName), 'managementKubeconfig.secretName', kubeconfig!.secretName, 'must be a DNS-1123 subdomain');
        if (kubeconfig!.key !== undefined) {
          // A Secret key: also the file name the kubeconfig is mounted as.
          errors.check(typeof kubeconfig!.key === 'string' && /^[-._a-zA-Z0-9]+$/.test(kubeconfig!.key) && !/^\.\.?$/.test(kubeconfig!.key),
            'managementKubeconfig.key', kubeconfig!.key, 'must be a Secret key: letters, digits, "-", "_" and "."');
        }
        if (kubeconfig!.resourceSetSecretName !== undefined) {
          errors.check(isDns1123Subdomain(kubeconfig!.resourceSetSecretName), 'managementKubeconfig.resourceSetSecretName',
            kubeconfig!.resourceSetSecretName, 'must be a DNS-1123 subdomain');
        }
      }
    } else {
      errors.check(kubeconfig === undefined, 'managementKubeconfig', kubeconfig, 'is used only with AutoscalerPlacement.WORKLOAD_CLUSTER');
    }
    errors.throwIfAny();

    const kubeconfigDir = '/etc/kubernetes/kubeconfig';
    const placementArgs = this.placement === AutoscalerPlacement.MANAGEMENT_CLUSTER
      ? [`--kubeconfig=${kubeconfigDir}/value`, '--clusterapi-cloud-config-authoritative']
      : [`--cloud-config=${kubeconfigDir}/value`];
    this.args = [
      '--cloud-provider=clusterapi',
      ...placementArgs,
      `--node-group-auto-discovery=clusterapi:namespace=${cluster.namespace},clusterName=${cluster.name}`,
      `--expander=${expander}`,
      `--scale-down-unneeded-time=${unneeded}`,
      `--scale-down-delay-after-add=${delayAfterAdd}`,
      ...extraArgs,
    ];

    this.managementServiceAccountName = `${cluster.name}-cluster-autoscaler`;
    addManagementRbac(this, cluster.namespace, this.managementServiceAccountName);

    if (this.placement === AutoscalerPlacement.MANAGEMENT_CLUSTER) {
      new k8s.KubeDeployment(this, 'Deployment', deployment({
        name: this.managementServiceAccountName,
        namespace: cluster.namespace,
        labels: { 'app': UPSTREAM_NAME, 'app.kubernetes.io/instance': cluster.name },
        serviceAccountName: this.managementServiceAccountName,
        image: this.image,
        args: this.args,
        // The workload cluster's admin kubeconfig, maintained by CAPI.
        kubeconfig: { secretName: `${cluster.name}-kubeconfig`, key: 'value', dir: kubeconfigDir },
        inWorkloadCluster: false,
      }));
      return;
    }

    this.addServiceAccount('ServiceAccount', UPSTREAM_NAME, WORKLOAD_NAMESPACE);
    this.addClusterRole('ClusterRole', 'cluster-autoscaler-workload', WORKLOAD_RULES);
    this.bindClusterRole('ClusterRoleBinding', {
      name: 'cluster-autoscaler-workload', clusterRole: 'cluster-autoscaler-workload', serviceAccount: UPSTREAM_NAME, namespace: WORKLOAD_NAMESPACE,
    });
    new k8s.KubeDeployment(this.workload, 'Deployment', deployment({
      name: UPSTREAM_NAME,
      namespace: WORKLOAD_NAMESPACE,
      labels: { app: UPSTREAM_NAME },
      serviceAccountName: UPSTREAM_NAME,
      image: this.image,
      args: this.args,
      kubeconfig: { secretName: kubeconfig!.secretName, key: kubeconfig!.key ?? 'value', dir: kubeconfigDir },
      inWorkloadCluster: true,
    }));
    this.addon = this.deliver(props, 'cluster-autoscaler', kubeconfig!.resourceSetSecretName ? [kubeconfig!.resourceSetSecretName] : []);
  }
}

/** The upstream example's `cluster-autoscaler-workload` rules (examples/deployment.yaml). */
const WORKLOAD_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'replicationcontrollers', 'services'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'update', 'watch'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['list', 'watch'] },
  { apiGroups: ['storage.k8s.io'], resources: ['csinodes', 'storageclasses', 'csidrivers', 'csistoragecapacities'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list', 'watch'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'replicasets', 'statefulsets'], verbs: ['list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete', 'get', 'update'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
];

/**
 * The upstream `cluster-autoscaler-management` rules, for one namespace; and reading the
 * infrastructure templates, which scaling from zero needs (README, "RBAC changes for scaling from
 * zero").
 */
const MANAGEMENT_RULES: k8s.PolicyRule[] = [
  {
    apiGroups: ['cluster.x-k8s.io'],
    resources: ['machinedeployments', 'machinedeployments/scale', 'machines', 'machinesets', 'machinepools'],
    verbs: ['get', 'list', 'update', 'watch'],
  },
  { apiGroups: ['infrastructure.cluster.x-k8s.io'], resources: ['openstackmachinetemplates'], verbs: ['get', 'list', 'watch'] },
];

function addManagementRbac(scope: Construct, namespace: string, name: string): void {
  new k8s.KubeServiceAccount(scope, 'ManagementServiceAccount', { metadata: { name, namespace } });
  new k8s.KubeRole(scope, 'ManagementRole', { metadata: { name, namespace }, rules: MANAGEMENT_RULES });
  new k8s.KubeRoleBinding(scope, 'ManagementRoleBinding', {
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  });
}

function deployment(options: {
  name: string;
  namespace: string;
  labels: { [key: string]: string };
  serviceAccountName: string;
  image: string;
  args: string[];
  kubeconfig: { secretName: string; key: string; dir: string };
  /** In the workload cluster: on a control plane node, as a critical system pod. */
  inWorkloadCluster: boolean;
}): k8s.KubeDeploymentProps {
  return {
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: options.labels },
      template: {
        metadata: { labels: options.labels },
        spec: {
          serviceAccountName: options.serviceAccountName,
          terminationGracePeriodSeconds: 10,
          tolerations: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }],
          // In the workload cluster, on a control plane node: a kube-system pod on a worker would
          // keep that worker's pool from scaling down to zero (the autoscaler does not remove a
          // node with kube-system pods by default, its FAQ). Evicted last, as the Helm chart does.
          ...(options.inWorkloadCluster ? {
            nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
            priorityClassName: SystemPriorityClass.CLUSTER_CRITICAL,
          } : {}),
          containers: [{
            name: UPSTREAM_NAME,
            image: options.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['/cluster-autoscaler'],
            args: options.args,
            env: [{ name: 'CAPI_VERSION', value: AUTOSCALER_CAPI_VERSION }],
            // Requests only: a memory limit would kill it as the cluster grows (about 300 MiB for
            // hundreds of nodes); the scheduler still reserves what it needs.
            resources: requests('100m', '300Mi'),
            volumeMounts: [{ name: 'kubeconfig', mountPath: options.kubeconfig.dir, readOnly: true }],
          }],
          volumes: [{
            name: 'kubeconfig',
            secret: { secretName: options.kubeconfig.secretName, items: [{ key: options.kubeconfig.key, path: 'value' }] },
          }],
        },
      },
    },
  };
}

/** A Duration as a Go duration flag value: `10m`, `90s`. */
function goDuration(errors: InputErrors, prop: string, duration: Duration): string {
  // toSeconds() throws for fractions: check the milliseconds instead.
  const millis = duration instanceof Duration ? duration.toMilliseconds() : NaN;
  const seconds = millis / 1000;
  if (!errors.check(Number.isInteger(seconds) && seconds > 0, prop, `${millis} ms`, 'must be a whole, positive number of seconds')) return '';
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}
