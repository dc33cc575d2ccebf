import { k8s } from 'cdk8s-plus-30';
import { Construct } from 'constructs';
import type { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { isUuid } from '../rules';
import { addInlineCloudConfigSecret, CLOUD_CONFIG_DIR, cloudConf, userCloudConfigSecretName } from './cloud-conf';
import { ClusterResourceSetAddon, ClusterResourceSetAddonOptions } from './cluster-resource-set-addon';
import { OPENSTACK_CCM_IMAGES, resolveImage } from './image-versions';
import { requests, SystemPriorityClass } from './pod-placement';
import { WorkloadAddon } from './workload-addon';

/** Options of an {@link OpenStackCloudControllerManager}. */
export interface OpenStackCloudControllerManagerOptions extends ClusterResourceSetAddonOptions {
  /**
   * Image of the cloud controller manager.
   * @default - the cloud-provider-openstack release of the cluster's Kubernetes minor, pinned
   */
  readonly image?: string;

  /**
   * With credentials by reference (`CloudCredentials.fromSecretName`): name of the Secret of type
   * `addons.cluster.x-k8s.io/resource-set`, in the cluster's namespace, that you create and that
   * holds the workload cluster's `kube-system/cloud-config` Secret (see the README): keys
   * `cloud.conf` (see {@link cloudConf}), `clouds.yaml`, and `cacert` when the credentials name a
   * private CA (`privateCa`).
   * Unused with inline credentials: that Secret is then generated.
   * @default "<cluster>-cloud-controller-manager"
   */
  readonly cloudConfigSecretName?: string;

  /**
   * Subnet of the load balancers' VIPs (`[LoadBalancer] subnet-id`).
   * @default - Octavia picks the subnet of the nodes
   */
  readonly loadBalancerSubnetId?: string;
}

/** Props of an {@link OpenStackCloudControllerManager}. */
export interface OpenStackCloudControllerManagerProps extends OpenStackCloudControllerManagerOptions {
  /** The cluster to run the cloud controller manager in. */
  readonly cluster: ICapiCluster;
}

const NAMESPACE = 'kube-system';
const CLOUD_CONFIG_SECRET = 'cloud-config';

/**
 * The OpenStack cloud controller manager (kubernetes/cloud-provider-openstack
 * `manifests/controller-manager/`, v1.32): its ServiceAccount, ClusterRoles, ClusterRoleBindings
 * and DaemonSet on the control plane nodes, delivered by a ClusterResourceSet. It initializes the
 * nodes (removing the `node.cloudprovider.kubernetes.io/uninitialized` taint) and provisions
 * Octavia load balancers for Services, with floating IPs from the cluster's external network.
 *
 * It reads `kube-system/cloud-config` (`cloud.conf`, which points at `clouds.yaml` in the same
 * Secret). With inline credentials that Secret is generated (the output then holds credentials);
 * with credentials by reference, the ClusterResourceSet lists a resource-set Secret you create
 * (`cloudConfigSecretName`) with the `cloud.conf` of {@link cloudConf}.
 *
 * Differences from the upstream manifest: the image follows the cluster's minor,
 * `CLUSTER_NAME` is the cluster's name (upstream: "kubernetes") so that load balancers of two
 * clusters in one project get distinct names, and the pods are `system-cluster-critical`.
 */
export class OpenStackCloudControllerManager extends WorkloadAddon {
  /** The ClusterResourceSet delivering the cloud controller manager. */
  public readonly addon: ClusterResourceSetAddon;
  /** The image of the cloud controller manager. */
  public readonly image: string;
  /** The `cloud.conf` the cloud controller manager reads (nothing secret: it points at `clouds.yaml`). */
  public readonly cloudConf: string;
  /** With credentials by reference: the resource-set Secret to create; undefined otherwise. */
  public readonly cloudConfigSecretName?: string;

  constructor(scope: Construct, id: string, props: OpenStackCloudControllerManagerProps) {
    super(scope, id, props, 'OpenStackCloudControllerManagerOptions', ['image', 'cloudConfigSecretName', 'loadBalancerSubnetId']);
    const errors = new InputErrors(this);
    const cluster = props.cluster;

    this.image = resolveImage(errors, 'image', props.image, OPENSTACK_CCM_IMAGES, cluster.kubernetesVersion, 'cloud controller manager');
    if (props.loadBalancerSubnetId !== undefined) {
      errors.check(isUuid(props.loadBalancerSubnetId), 'loadBalancerSubnetId', props.loadBalancerSubnetId, 'must be a subnet UUID');
    }
    this.cloudConfigSecretName = userCloudConfigSecretName(errors, cluster, props.cloudConfigSecretName, `${cluster.name}-cloud-controller-manager`);
    errors.throwIfAny();

    this.cloudConf = cloudConf({
      cloudName: cluster.credentials.cloudName,
      caFile: cluster.credentials.privateCa,
      sections: {
        LoadBalancer: [
          ...(props.loadBalancerSubnetId ? [`subnet-id=${props.loadBalancerSubnetId}`] : []),
          ...(cluster.externalNetworkId ? [`floating-network-id=${cluster.externalNetworkId}`] : []),
        ],
      },
    });

    this.addServiceAccount('ServiceAccount', 'cloud-controller-manager', NAMESPACE);
    this.addClusterRole('CloudControllerManagerRole', 'system:cloud-controller-manager', CLOUD_CONTROLLER_MANAGER_RULES);
    this.addClusterRole('CloudNodeControllerRole', 'system:cloud-node-controller', CLOUD_NODE_CONTROLLER_RULES);
    for (const [bindingId, name, serviceAccount] of [
      ['CloudNodeControllerBinding', 'system:cloud-node-controller', 'cloud-node-controller'],
      ['CloudControllerManagerBinding', 'system:cloud-controller-manager', 'cloud-controller-manager'],
    ]) {
      this.bindClusterRole(bindingId, { name, clusterRole: name, serviceAccount, namespace: NAMESPACE });
    }
    addDaemonSet(this.workload, this.image, cluster.name, cluster.controlPlaneReplicas > 0);

    addInlineCloudConfigSecret(this, this.workload, cluster, CLOUD_CONFIG_SECRET, this.cloudConf);
    this.addon = this.deliver(props, 'cloud-provider-openstack', this.cloudConfigSecretName ? [this.cloudConfigSecretName] : []);
  }
}

const core = '';

/** The upstream ClusterRole `system:cloud-controller-manager` (manifests/controller-manager/cloud-controller-manager-roles.yaml). */
const CLOUD_CONTROLLER_MANAGER_RULES: k8s.PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  { apiGroups: [core], resources: ['events'], verbs: ['create', 'patch', 'update'] },
  { apiGroups: [core], resources: ['nodes'], verbs: ['*'] },
  { apiGroups: [core], resources: ['nodes/status'], verbs: ['patch'] },
  { apiGroups: [core], resources: ['services'], verbs: ['list', 'patch', 'update', 'watch'] },
  { apiGroups: [core], resources: ['services/status'], verbs: ['patch'] },
  { apiGroups: [core], resources: ['serviceaccounts'], verbs: ['create', 'get'] },
  { apiGroups: [core], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: [core], resources: ['persistentvolumes'], verbs: ['*'] },
  { apiGroups: [core], resources: ['endpoints'], verbs: ['create', 'get', 'list', 'watch', 'update'] },
  { apiGroups: [core], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [core], resources: ['secrets'], verbs: ['list', 'get', 'watch'] },
];

/** The upstream ClusterRole `system:cloud-node-controller`. */
const CLOUD_NODE_CONTROLLER_RULES: k8s.PolicyRule[] = [
  { apiGroups: [core], resources: ['nodes'], verbs: ['*'] },
  { apiGroups: [core], resources: ['nodes/status'], verbs: ['patch'] },
  { apiGroups: [core], resources: ['events'], verbs: ['create', 'patch', 'update'] },
];

/**
 * With a hosted control plane there are no control plane nodes: the DaemonSet runs on the workers,
 * tolerating CAPI's `node.cluster.x-k8s.io/uninitialized` taint of new nodes (the Kamaji
 * provider's OpenStack notes).
 */
function addDaemonSet(chart: Construct, image: string, clusterName: string, onControlPlaneNodes: boolean): void {
  const labels = { 'k8s-app': 'openstack-cloud-controller-manager' };
  new k8s.KubeDaemonSet(chart, 'DaemonSet', {
    metadata: { name: 'openstack-cloud-controller-manager', namespace: NAMESPACE, labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: onControlPlaneNodes ? { 'node-role.kubernetes.io/control-plane': '' } : undefined,
          securityContext: { runAsUser: 1001 },
          tolerations: [
            { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
            ...(onControlPlaneNodes ? [] : [{ key: 'node.cluster.x-k8s.io/uninitialized', effect: 'NoSchedule' }]),
          ],
          serviceAccountName: 'cloud-controller-manager',
          // Nodes stay uninitialized (and unschedulable) without it: scheduled and evicted as the
          // cluster's other critical controllers (upstream sets no priority class).
          priorityClassName: SystemPriorityClass.CLUSTER_CRITICAL,
          containers: [{
            name: 'openstack-cloud-controller-manager',
            image,
            args: [
              '/bin/openstack-cloud-controller-manager',
              '--v=1',
              '--cluster-name=$(CLUSTER_NAME)',
              '--cloud-config=$(CLOUD_CONFIG)',
              '--cloud-provider=openstack',
              '--use-service-account-credentials=false',
              '--bind-address=127.0.0.1',
            ],
            volumeMounts: [
              { mountPath: '/etc/kubernetes/pki', name: 'k8s-certs', readOnly: true },
              { mountPath: '/etc/ssl/certs', name: 'ca-certs', readOnly: true },
              { mountPath: CLOUD_CONFIG_DIR, name: 'cloud-config-volume', readOnly: true },
            ],
            // Upstream's CPU request; memory added (upstream sets none) so that the scheduler reserves
            // room for what it holds at rest, tens of MiB.
            resources: requests('200m', '100Mi'),
            env: [
              { name: 'CLOUD_CONFIG', value: `${CLOUD_CONFIG_DIR}/cloud.conf` },
              { name: 'CLUSTER_NAME', value: clusterName },
            ],
          }],
          dnsPolicy: 'ClusterFirst',
          hostNetwork: true,
          volumes: [
            { hostPath: { path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate' }, name: 'k8s-certs' },
            { hostPath: { path: '/etc/ssl/certs', type: 'DirectoryOrCreate' }, name: 'ca-certs' },
            { name: 'cloud-config-volume', secret: { secretName: CLOUD_CONFIG_SECRET } },
          ],
        },
      },
    },
  });
}
