import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { Construct, IConstruct } from 'constructs';
import {
  AutoscalerAddon, AutoscalerAddonOptions, ClusterApiOperator, ClusterApiOperatorOptions, CalicoBootstrapJob, CalicoBootstrapJobOptions,
  CalicoOperator, CalicoOperatorOptions,
  CiliumCni, CiliumCniOptions, CinderCsiDriver,
  CinderCsiDriverOptions, ClusterResourceSetAddon, HelmChartProxy, HelmChartProxyOptions, MetricsServer, MetricsServerOptions,
  ClusterResourceSetAddonOptions, OpenStackCloudControllerManager, OpenStackCloudControllerManagerOptions,
} from './addons';
import { rendererFor } from './capi-api';
import { KubeadmFileModel } from './capi-api/models';
import { typedObject } from './capi-api/typed-object';
import { BoundCloudCredentials, CloudCredentials } from './cloud-credentials';
import { ICapiCluster } from './cluster-contract';
import { controlPlaneSecurity } from './control-plane-security';
import { Flavor } from './flavor';
import { DELETE_PROTECTION } from './gitops-annotations';
import { MachineHealthCheckOptions, resolveHealthCheck } from './health-check';
import * as capo from './imports/infrastructure.cluster.x-k8s.io';
import { InputErrors } from './input-errors';
import { isIpv4Address, Ipv4Network, overlaps, parseIpv4Cidr } from './ipv4';
import {
  checkExtraArgs, ControlPlaneKubeadmOptions, ETCD_DATA_DIR, etcdDiskConfig, LIBRARY_CONTROLLER_MANAGER_ARGS, oidcArgs, resolveNodeBootstrap,
} from './kubeadm-options';
import { kubeletNodeRegistration } from './kubelet-registration';
import { KUBERNETES_VERSION_RULE, parseKubernetesVersion } from './kubernetes-version';
import { checkMachineOptions, CONTROL_PLANE_MACHINE_PROPS } from './machine/machine-rules';
import { MachineDrainRule, MachineDrainRuleOptions } from './machine-drain-rule';
import { CONTROL_PLANE_NAME_LABEL, machineHealthCheck } from './machine-health-check';
import { MachineImage } from './machine-image';
import { MachineOptions, ServerGroup } from './machine-options';
import { openStackMachineTemplate } from './machine-template';
import { CLUSTER_NAME_LABEL } from './naming';
import { ApiServerOptions, BastionOptions, ClusterNetwork } from './network';
import { ClusterNetworkPlan, planClusterNetwork } from './network/openstack-cluster-network';
import { NodePool, NodePoolOptions } from './node-pool';
import { registryMirrorFiles, RegistryMirror } from './registry-mirrors';
import { ControlPlaneRolloutOptions, NodeDeletionOptions, resolveControlPlaneRollout, resolveDeletion } from './rollout-options';
import { DNS1123_LABEL_RULE, isDns1123Label, isDns1123Subdomain, isUuid } from './rules';
import { SecurityGroupRule } from './security-group-rule';
import { checkFlavor, checkImage, checkLabels, checkMachineOwnerName } from './shared-rules';
import { UpstreamVersions } from './validation/upstream-versions';
import { workloadVersionProblem } from './workload-kubernetes-versions';

/** Props of an {@link OpenStackCapiCluster}. */
export interface OpenStackCapiClusterProps {
  /**
   * The cluster's name: the prefix of every object name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Namespace of every object in the management cluster.
   * @default - the cluster's name
   */
  readonly namespace?: string;

  /**
   * Emit the Namespace object (once per app when clusters share a namespace).
   * @default true
   */
  readonly createNamespace?: boolean;

  /** Kubernetes version of the control plane and, by default, of every node pool, e.g. `v1.32.4`. */
  readonly kubernetesVersion: string;

  /**
   * Pod network CIDRs (IPv4). The Calico add-on configures its IP pool from the first.
   * @default ["192.168.0.0/16"] (Calico's default pool)
   */
  readonly podCidrs?: string[];

  /**
   * Service network CIDRs (IPv4).
   * @default - kubeadm's default, 10.96.0.0/12
   */
  readonly serviceCidrs?: string[];

  /**
   * DNS domain of services.
   * @default "cluster.local"
   */
  readonly serviceDomain?: string;

  /**
   * Put the API server behind an Octavia load balancer.
   * @default true
   */
  readonly apiServerLoadBalancer?: boolean;

  /**
   * Id (UUID) of the external network that floating IPs (API server load balancer, and load
   * balancers of Services through the cloud controller manager) come from.
   * @default - CAPO picks the only external network, if there is exactly one
   */
  readonly externalNetworkId?: string;

  /**
   * CIDR (IPv4) of the subnet CAPO creates for the nodes: short for
   * `network: ClusterNetwork.managed({ cidr })`, and refused beside `network`.
   * @default "10.6.0.0/24"
   */
  readonly nodeCidr?: string;

  /**
   * DNS servers of the node subnet (IPv4 addresses): short for
   * `network: ClusterNetwork.managed({ dnsNameservers })`, and refused beside `network`.
   * @default - none: Neutron's defaults
   */
  readonly dnsNameservers?: string[];

  /**
   * The nodes' network: one CAPO creates (`ClusterNetwork.managed`) or one that exists
   * (`ClusterNetwork.existing`).
   * @default ClusterNetwork.managed({ cidr: nodeCidr, dnsNameservers })
   */
  readonly network?: ClusterNetwork;

  /**
   * How the API server is exposed: who may reach it (`allowedCidrs`, `managementClusterCidrs`), its
   * addresses and port, and the load balancer's Octavia provider, flavor, zone and health monitor.
   * @default - anyone may reach it, on a floating IP CAPO allocates, port 6443
   */
  readonly apiServer?: ApiServerOptions;

  /**
   * An SSH bastion host CAPO runs beside the cluster.
   * @default - none
   */
  readonly bastion?: BastionOptions;

  /**
   * Availability zones the control plane machines are spread over (CAPO
   * `controlPlaneAvailabilityZones`): with several zones, at least 3, so etcd survives losing one.
   * @default - every availability zone of the cloud
   */
  readonly controlPlaneAvailabilityZones?: string[];

  /**
   * Create the control plane machines without an availability zone: Nova chooses (CAPO
   * `controlPlaneOmitAvailabilityZone`).
   * @default false
   */
  readonly controlPlaneOmitAvailabilityZone?: boolean;

  /**
   * Let all traffic flow between the cluster's nodes.
   * @default true
   */
  readonly allowAllInClusterTraffic?: boolean;

  /**
   * Extra rules of the security group shared by all nodes (CAPO `allNodesSecurityGroupRules`),
   * e.g. `SecurityGroupRule.calico()`.
   * @default - none
   */
  readonly securityGroupRules?: SecurityGroupRule[];

  /**
   * Extra rules of the control plane nodes' security group (CAPO `controlPlaneNodesSecurityGroupRules`).
   * @default - none
   */
  readonly controlPlaneSecurityGroupRules?: SecurityGroupRule[];

  /**
   * Extra rules of the worker nodes' security group (CAPO `workerNodesSecurityGroupRules`).
   * @default - none
   */
  readonly workerSecurityGroupRules?: SecurityGroupRule[];

  /**
   * Add the pod CIDRs as Neutron allowed address pairs of every machine's port on the cluster's
   * network (CAPO port `allowedAddressPairs`; the cloud needs Neutron's `allowed-address-pairs`
   * extension). Neutron's port security drops packets whose source address is not the port's, so
   * a CNI that sends pod traffic between nodes unencapsulated (Calico with
   * `CalicoEncapsulation.NONE` or a cross-subnet mode) needs it.
   * @default false
   */
  readonly podCidrsAllowedOnPorts?: boolean;

  /** Flavor of the control plane servers. */
  readonly controlPlaneFlavor: Flavor;

  /**
   * What the control plane servers are made of besides flavor and image: a root volume (required
   * with a flavor without a local disk), extra disks, a server group, metadata, ports and
   * security groups.
   * @default - servers boot from the flavor's disk, with one port on the cluster's network
   */
  readonly controlPlaneMachine?: MachineOptions;

  /**
   * Number of control plane machines: odd, for etcd quorum.
   * @default 3
   */
  readonly controlPlaneReplicas?: number;

  /** Image of every server (pools may override it). */
  readonly image: MachineImage;

  /**
   * Name of the Nova key pair installed on every server (pools may override it).
   * @default - none
   */
  readonly sshKeyName?: string;

  /**
   * Node name each kubelet registers with (a cloud-init template).
   * @default "{{ local_hostname }}"
   */
  readonly nodeName?: string;

  /**
   * OpenStack credentials.
   * @default CloudCredentials.fromSecretName() - the existing Secret "<cluster>-cloud-config", cloud "openstack"
   */
  readonly credentials?: CloudCredentials;

  /**
   * Extra labels of the Cluster object, e.g. for ClusterResourceSets of your own to select it.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * End the names of OpenStackMachineTemplates and KubeadmConfigTemplates with a short hash of
   * their spec, so that a changed spec rolls the machines (the specs are immutable), and protect
   * them from GitOps pruning. Turn off only to reproduce fixed names.
   * @default true
   */
  readonly templateHashing?: boolean;

  /**
   * The Cluster API and OpenStack provider releases of the management cluster: they decide which
   * Kubernetes versions the cluster may run, and which schemas its objects are checked against.
   * @default UpstreamVersions.DEFAULT
   */
  readonly upstreamVersions?: UpstreamVersions;

  /**
   * The control plane's MachineHealthCheck: a control plane machine whose node stays not Ready is
   * replaced by the KubeadmControlPlane (which never removes an etcd member it cannot spare).
   * @default - on: not Ready for 5 minutes, or no node after 10; at most max(1, 40% of the
   * replicas) machines remediated at once
   */
  readonly controlPlaneHealthCheck?: MachineHealthCheckOptions;

  /**
   * How the control plane rolls its machines (including before their certificates expire) and
   * how KCP retries remediations.
   * @default - one machine of surge; a rollout 21 days before certificates expire; CAPI's remediation defaults
   */
  readonly controlPlaneRollout?: ControlPlaneRolloutOptions;

  /**
   * How long CAPI waits on a node while it deletes a control plane machine.
   * @default - CAPI's defaults: no limit on draining nor on volume detachment
   */
  readonly controlPlaneDeletion?: NodeDeletionOptions;

  /**
   * The control plane's kubeadm configuration: flags of the API server, controller manager,
   * scheduler and etcd, OIDC authentication, files, commands and NTP servers.
   * @default - kubeadm's defaults, and the external cloud provider
   */
  readonly controlPlaneKubeadm?: ControlPlaneKubeadmOptions;

  /**
   * Registry mirrors (or pull-through caches) of every node's containerd, e.g. for air-gapped
   * sites: every image of a mirrored registry, the add-ons' included, is pulled through it.
   * @default - none
   */
  readonly registryMirrors?: RegistryMirror[];
}

/** Every prop of {@link OpenStackCapiClusterProps}: any other key is a misspelling. */
const CLUSTER_PROP_NAMES = [
  'name', 'namespace', 'createNamespace', 'kubernetesVersion', 'podCidrs', 'serviceCidrs', 'serviceDomain',
  'apiServerLoadBalancer', 'externalNetworkId', 'nodeCidr', 'dnsNameservers', 'allowAllInClusterTraffic',
  'network', 'apiServer', 'bastion', 'controlPlaneAvailabilityZones', 'controlPlaneOmitAvailabilityZone',
  'controlPlaneSecurityGroupRules', 'workerSecurityGroupRules', 'podCidrsAllowedOnPorts',
  'securityGroupRules', 'controlPlaneFlavor', 'controlPlaneReplicas', 'image', 'sshKeyName', 'nodeName',
  'credentials', 'labels', 'templateHashing', 'upstreamVersions', 'controlPlaneHealthCheck', 'controlPlaneRollout',
  'controlPlaneDeletion', 'controlPlaneKubeadm', 'controlPlaneMachine', 'registryMirrors',
] as const;
// Fails to compile when a prop is added to the interface but not to the list.
const ALL_CLUSTER_PROPS_LISTED: Record<Exclude<keyof OpenStackCapiClusterProps, typeof CLUSTER_PROP_NAMES[number]>, never> = {};
void ALL_CLUSTER_PROPS_LISTED;

/** The default pod CIDR: Calico's default IP pool. */
export const DEFAULT_POD_CIDR = '192.168.0.0/16';
/** kubeadm's default service CIDR. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
/** The default node subnet (CAPO's cluster template). */
export const DEFAULT_NODE_CIDR = '10.6.0.0/24';

/**
 * kubeadm refuses a service subnet with more than 2^20 addresses: an IPv4 prefix of at least /12
 * (kubeadm `ValidateServiceSubnetSize`, `MaximumBitsForServiceSubnet`).
 */
const MIN_SERVICE_PREFIX = 12;
/**
 * kube-controller-manager gives each node a /24 of the pod network (`--node-cidr-mask-size`,
 * kubeadm's default for IPv4); kubeadm refuses a pod subnet smaller than that, or more than 16
 * bits larger (kubeadm `ValidatePodSubnetNodeMask`, `PodSubnetNodeMaskMaxDiff`).
 */
const NODE_CIDR_MASK_SIZE = 24;
const POD_SUBNET_NODE_MASK_MAX_DIFF = 16;

/**
 * A Cluster API cluster on OpenStack: `Cluster`, `OpenStackCluster`, an HA `KubeadmControlPlane`
 * and its `OpenStackMachineTemplate`. Add worker pools with {@link addNodePool}.
 */
export class OpenStackCapiCluster extends Construct implements ICapiCluster {
  /** The cluster's name. */
  public readonly name: string;
  /** Namespace of the cluster's objects in the management cluster. */
  public readonly namespace: string;
  /** Kubernetes version of the control plane. */
  public readonly kubernetesVersion: string;
  /** Pod network CIDRs. */
  public readonly podCidrs: string[];
  /** Service network CIDRs, when set. */
  public readonly serviceCidrs?: string[];
  /** DNS domain of services. */
  public readonly serviceDomain: string;
  /** External network id, when set. */
  public readonly externalNetworkId?: string;
  /** CIDR of the subnet CAPO creates for the nodes. */
  public readonly nodeCidr?: string;
  /** Image of every server unless a pool overrides it. */
  public readonly image: MachineImage;
  /** SSH key pair unless a pool overrides it. */
  public readonly sshKeyName?: string;
  /** Node name template of every kubelet. */
  public readonly nodeName: string;
  /** Whether template names carry a hash of their spec. */
  public readonly templateHashing: boolean;
  /** The credentials, bound to this cluster. */
  public readonly credentials: BoundCloudCredentials;
  /** Labels add-ons select this cluster by. */
  public readonly selectorLabels: { [key: string]: string };
  /** Extra rules of the security group shared by all nodes (add-ons check theirs are there). */
  public readonly securityGroupRules: SecurityGroupRule[];
  /** Whether the API server is behind an Octavia load balancer. */
  public readonly apiServerLoadBalancer: boolean;
  /** Whether all traffic flows between the cluster's nodes. */
  public readonly allowAllInClusterTraffic: boolean;
  /** The management cluster's Cluster API and OpenStack provider releases. */
  public readonly upstreamVersions: UpstreamVersions;
  /** Registry mirrors of every node's containerd. */
  public readonly registryMirrors: RegistryMirror[];
  /** The availability zones the control plane is spread over, when restricted. */
  public readonly controlPlaneAvailabilityZones?: string[];
  /** Number of control plane machines. */
  public readonly controlPlaneReplicas: number;
  /** The MTU of the network CAPO creates, when set. */
  public readonly networkMtu?: number;
  /** Whether the pod CIDRs are allowed address pairs of every machine's port on the cluster's network. */
  public readonly podCidrsAllowedOnPorts: boolean;

  /** The `Cluster` object, in the API version of `upstreamVersions`. */
  public readonly clusterObject: ApiObject;
  /** The `OpenStackCluster` object. */
  public readonly openStackCluster: ApiObject;
  /** The `KubeadmControlPlane` object, in the API version of `upstreamVersions`. */
  public readonly controlPlane: ApiObject;
  /** The control plane's `OpenStackMachineTemplate`. */
  public readonly controlPlaneMachineTemplate: ApiObject;
  /** The control plane's `MachineHealthCheck`, unless health checks are off. */
  public readonly controlPlaneMachineHealthCheck?: ApiObject;

  constructor(scope: Construct, id: string, props: OpenStackCapiClusterProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    // From JavaScript or configuration files, props may be anything: refuse before reading them.
    errors.checkPropNames('OpenStackCapiClusterProps', props, CLUSTER_PROP_NAMES);
    errors.throwIfAny();

    this.name = props.name ?? id;
    this.namespace = props.namespace ?? this.name;
    this.kubernetesVersion = props.kubernetesVersion;
    this.podCidrs = props.podCidrs ?? [DEFAULT_POD_CIDR];
    this.serviceCidrs = props.serviceCidrs;
    this.serviceDomain = props.serviceDomain ?? 'cluster.local';
    this.externalNetworkId = props.externalNetworkId;
    this.image = props.image;
    this.sshKeyName = props.sshKeyName;
    this.nodeName = props.nodeName ?? '{{ local_hostname }}';
    this.templateHashing = props.templateHashing ?? true;
    const controlPlaneReplicas = props.controlPlaneReplicas ?? 3;
    const labels = props.labels ?? {};
    this.allowAllInClusterTraffic = props.allowAllInClusterTraffic ?? true;
    this.apiServerLoadBalancer = props.apiServerLoadBalancer ?? true;
    this.upstreamVersions = props.upstreamVersions ?? UpstreamVersions.DEFAULT;

    // Shapes first (props may come from untyped code or configuration), then the rules.
    checkClusterPropShapes(errors, props);
    errors.throwIfAny();
    const network = planClusterNetwork(errors, props, { controlPlaneReplicas, upstreamVersions: this.upstreamVersions });
    this.nodeCidr = network.nodeCidr;
    this.networkMtu = network.mtu;
    this.controlPlaneReplicas = controlPlaneReplicas;
    checkClusterProps(errors, this, props, { controlPlaneReplicas, network, labels });
    const healthCheck = resolveHealthCheck(errors, 'controlPlaneHealthCheck', props.controlPlaneHealthCheck,
      { minSize: controlPlaneReplicas, maxSize: controlPlaneReplicas });
    const rollout = resolveControlPlaneRollout(errors, 'controlPlaneRollout', props.controlPlaneRollout);
    const deletion = resolveDeletion(errors, 'controlPlaneDeletion', props.controlPlaneDeletion);
    this.registryMirrors = props.registryMirrors ?? [];
    this.controlPlaneAvailabilityZones = props.controlPlaneAvailabilityZones ? [...props.controlPlaneAvailabilityZones] : undefined;
    const kubeadm = resolveControlPlaneKubeadm(errors, props.controlPlaneKubeadm, registryMirrorFiles(errors, 'registryMirrors', props.registryMirrors),
      (props.controlPlaneMachine?.additionalBlockDevices ?? []).some(d => d?.storageType === 'Volume'));
    errors.throwIfAny();

    this.selectorLabels = { [CLUSTER_NAME_LABEL]: this.name };
    this.securityGroupRules = [...(props.securityGroupRules ?? [])];
    this.podCidrsAllowedOnPorts = props.podCidrsAllowedOnPorts ?? false;
    errors.check(typeof this.podCidrsAllowedOnPorts === 'boolean', 'podCidrsAllowedOnPorts', props.podCidrsAllowedOnPorts, 'must be true or false');
    errors.throwIfAny();

    if ((props.createNamespace ?? true) && claimNamespace(this, this.namespace)) {
      // Never pruned nor deleted by a GitOps tool: deleting the namespace deletes the credentials
      // CAPO needs to delete the servers, and the OpenStack resources leak (see the README).
      new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: this.namespace, annotations: { ...DELETE_PROTECTION } } });
    }

    this.credentials = (props.credentials ?? CloudCredentials.fromSecretName())._bind(this, {
      clusterName: this.name,
      namespace: this.namespace,
      upstreamVersions: this.upstreamVersions,
    });

    const renderer = rendererFor(this.upstreamVersions);
    const controlPlaneName = `${this.name}-control-plane`;
    this.controlPlaneMachineTemplate = openStackMachineTemplate(this, 'ControlPlaneMachineTemplate', this, controlPlaneName, {
      flavor: props.controlPlaneFlavor,
      image: this.image,
      sshKeyName: this.sshKeyName,
      machine: props.controlPlaneMachine,
      propNames: CONTROL_PLANE_MACHINE_PROPS,
    });

    this.openStackCluster = typedObject<capo.OpenStackClusterProps>(this, 'OpenStackCluster', capo.OpenStackCluster.GVK, {
      metadata: { name: this.name, namespace: this.namespace },
      spec: network.spec(this.credentials) as capo.OpenStackClusterSpec,
    });

    this.controlPlane = renderer.kubeadmControlPlane(this, 'ControlPlane', {
      metadata: { name: controlPlaneName, namespace: this.namespace },
      replicas: controlPlaneReplicas,
      version: this.kubernetesVersion,
      controllerManagerExtraArgs: { 'cloud-provider': 'external', ...kubeadm.controllerManagerExtraArgs },
      apiServerExtraArgs: kubeadm.apiServerExtraArgs,
      apiServerExtraVolumes: kubeadm.apiServerExtraVolumes,
      schedulerExtraArgs: kubeadm.schedulerExtraArgs,
      etcdExtraArgs: kubeadm.etcdExtraArgs,
      etcdDataDir: kubeadm.etcdDataDir,
      nodeConfig: kubeadm.nodeConfig,
      nodeRegistration: kubeletNodeRegistration({ nodeName: this.nodeName }),
      // CAPO's apiServerPort is its load balancer's listener and members' port: each API server
      // listens on it (CABPK does not take kubeadm's bindPort from the cluster).
      apiServerBindPort: network.apiServerPort !== 6443 ? network.apiServerPort : undefined,
      machineTemplate: this.controlPlaneMachineTemplate,
      rollout: { maxSurge: rollout.maxSurge, certificatesExpiryDays: rollout.certificatesExpiryDays },
      remediation: rollout.remediation,
      deletion,
    });

    if (healthCheck) {
      this.controlPlaneMachineHealthCheck = machineHealthCheck(this, this, { name: controlPlaneName, namespace: this.namespace },
        { [CONTROL_PLANE_NAME_LABEL]: controlPlaneName }, healthCheck);
    }

    this.node.addValidation({ validate: () => this.nodeSubnetProblems(network, controlPlaneReplicas) });
    this.node.addValidation({
      validate: () => this.serverGroupProblems(props.controlPlaneMachine?.serverGroup, controlPlaneReplicas + (rollout.maxSurge ?? 1)),
    });

    this.clusterObject = renderer.cluster(this, 'Cluster', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...labels, ...this.selectorLabels } },
      podCidrs: this.podCidrs,
      serviceCidrs: this.serviceCidrs,
      serviceDomain: this.serviceDomain,
      controlPlane: this.controlPlane,
      infrastructure: this.openStackCluster,
    });
  }

  /** Adds a pool of worker nodes (a MachineDeployment) to this cluster. */
  public addNodePool(id: string, options: NodePoolOptions): NodePool {
    this.checkIdIsFree('addNodePool id', id);
    return new NodePool(this, id, { ...options, cluster: this });
  }

  /**
   * Adds one pool per availability zone, each with the same options and `failureDomain` set to
   * its zone: the pools are named `<name>-<zone>` (the zone in lower case, other characters as
   * "-"); give the autoscaler `--balance-similar-node-groups` to keep them even.
   */
  public addNodePoolsPerZone(id: string, zones: string[], options: NodePoolOptions): NodePool[] {
    const errors = new InputErrors(this);
    errors.checkList('addNodePoolsPerZone zones', zones, z => typeof z === 'string' && z.length > 0, 'availability zone names');
    errors.check(Array.isArray(zones) && zones.length > 0, 'addNodePoolsPerZone zones', zones, 'must name at least one availability zone');
    errors.check(options?.failureDomain === undefined, 'failureDomain', options?.failureDomain, 'is set per zone by addNodePoolsPerZone');
    errors.throwIfAny();
    const baseName = options.name ?? id;
    const suffixes = zones.map(zone => zone.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, ''));
    suffixes.forEach((suffix, i) => errors.check(suffix !== '' && suffixes.indexOf(suffix) === i, 'addNodePoolsPerZone zones', zones[i],
      `must give each pool its own name: "${baseName}-${suffix}" is taken or empty`));
    errors.throwIfAny();
    return zones.map((zone, i) => this.addNodePool(`${id}-${suffixes[i]}`, { ...options, name: `${baseName}-${suffixes[i]}`, failureDomain: zone }));
  }

  /**
   * Adds a MachineDrainRule: how the pods it selects are drained when a machine of this cluster is
   * deleted (e.g. drained last, or waited for).
   */
  public addDrainRule(id: string, options: MachineDrainRuleOptions): MachineDrainRule {
    this.checkIdIsFree('addDrainRule id', id);
    return new MachineDrainRule(this, id, { ...options, cluster: this });
  }

  /**
   * Adds an add-on of your own: objects delivered to this cluster by a ClusterResourceSet. Describe
   * them in `ClusterResourceSetAddon.workloadChart()` and hand the chart to `addChart()`.
   */
  public addAddon(id: string, options: ClusterResourceSetAddonOptions = {}): ClusterResourceSetAddon {
    this.checkIdIsFree('addAddon id', id);
    return new ClusterResourceSetAddon(this, id, { ...options, cluster: this });
  }

  /** Installs Calico with a bootstrap Job, its IPv4 pool set to the first pod CIDR. */
  public addCalico(options: CalicoBootstrapJobOptions = {}): CalicoBootstrapJob {
    this.checkIdIsFree('addCalico()', 'Calico');
    return new CalicoBootstrapJob(this, 'Calico', { ...options, cluster: this });
  }

  /**
   * Installs Calico with its operator, from the `tigera-operator` Helm chart by CAAPH (run in the
   * management cluster), instead of the bootstrap Job (not both).
   */
  public addCalicoOperator(options: CalicoOperatorOptions = {}): CalicoOperator {
    this.checkIdIsFree('addCalicoOperator()', 'CalicoOperator');
    return new CalicoOperator(this, 'CalicoOperator', { ...options, cluster: this });
  }

  /** Installs the OpenStack cloud controller manager. */
  public addCloudControllerManager(options: OpenStackCloudControllerManagerOptions = {}): OpenStackCloudControllerManager {
    this.checkIdIsFree('addCloudControllerManager()', 'CloudControllerManager');
    return new OpenStackCloudControllerManager(this, 'CloudControllerManager', { ...options, cluster: this });
  }

  /** Installs the Cinder CSI driver: PersistentVolumes on Cinder volumes, with typed StorageClasses. */
  public addCinderCsi(options: CinderCsiDriverOptions = {}): CinderCsiDriver {
    this.checkIdIsFree('addCinderCsi()', 'CinderCsi');
    return new CinderCsiDriver(this, 'CinderCsi', { ...options, cluster: this });
  }

  /** Installs metrics-server: the `metrics.k8s.io` API of `kubectl top` and HorizontalPodAutoscalers. */
  public addMetricsServer(options: MetricsServerOptions = {}): MetricsServer {
    this.checkIdIsFree('addMetricsServer()', 'MetricsServer');
    return new MetricsServer(this, 'MetricsServer', { ...options, cluster: this });
  }

  /** Installs a Helm chart with CAAPH (run in the management cluster): a HelmChartProxy selecting this cluster. */
  public addHelmChart(id: string, options: HelmChartProxyOptions): HelmChartProxy {
    this.checkIdIsFree('addHelmChart id', id);
    return new HelmChartProxy(this, id, { ...options, cluster: this });
  }

  /** Installs Cilium as the CNI with CAAPH, instead of Calico (not both). */
  public addCilium(options: CiliumCniOptions = {}): CiliumCni {
    this.checkIdIsFree('addCilium()', 'Cilium');
    return new CiliumCni(this, 'Cilium', { ...options, cluster: this });
  }

  /**
   * Promotes the cluster to a Cluster API management cluster: cert-manager and the
   * cluster-api-operator by CAAPH, and the providers of the pair (core, kubeadm, OpenStack, Helm,
   * optionally Kamaji) by a ClusterResourceSet.
   */
  public addClusterApi(options: ClusterApiOperatorOptions = {}): ClusterApiOperator {
    this.checkIdIsFree('addClusterApi()', 'ClusterApi');
    return new ClusterApiOperator(this, 'ClusterApi', { ...options, cluster: this });
  }

  /** Runs the cluster-autoscaler for this cluster's pools (in the management cluster by default). */
  public addAutoscaler(options: AutoscalerAddonOptions = {}): AutoscalerAddon {
    this.checkIdIsFree('addAutoscaler()', 'Autoscaler');
    return new AutoscalerAddon(this, 'Autoscaler', { ...options, cluster: this });
  }

  /**
   * The node subnet must hold an address for every machine at the largest size of the cluster:
   * each pool at its maximum plus one machine of rollout surge (MachineDeployment `maxSurge` 1),
   * the control plane plus one (KCP rollouts surge by one), and the addresses Neutron and Octavia
   * take: network, broadcast, gateway, DHCP port, and the load balancer's VIP and two amphora
   * ports (active-standby).
   */
  private nodeSubnetProblems(plan: ClusterNetworkPlan, controlPlaneReplicas: number): string[] {
    const network = plan.nodeNetwork;
    if (!network) return [];
    const reserved = 4 + (this.apiServerLoadBalancer ? 3 : 0) + plan.extraServers;
    const machines = controlPlaneReplicas + 1 + this.nodePools.reduce((sum, pool) => sum + pool.maxReplicas + 1, 0);
    const addresses = 2 ** (32 - network.prefixLength);
    if (machines + reserved <= addresses) return [];
    const errors = new InputErrors(this);
    errors.add(plan.nodeCidrProp, network.cidr, `has ${addresses} addresses, too few for ${machines} machines at full size and during rollouts `
      + `(control plane + 1, each pool's maximum + 1) and ${reserved} addresses Neutron and Octavia reserve${plan.extraServers ? ' (and the bastion)' : ''}: `
      + 'choose a larger subnet');
    return errors.lines;
  }

  /**
   * A server group with the `anti-affinity` policy holds at most one server per host: Nova refuses
   * the next one. The machines sharing it (at full size, rollout surge included) must not outnumber
   * the hosts the user says it can use.
   */
  private serverGroupProblems(controlPlaneGroup: ServerGroup | undefined, controlPlaneMachines: number): string[] {
    const users = [
      ...(controlPlaneGroup ? [{ group: controlPlaneGroup, machines: controlPlaneMachines, who: 'the control plane' }] : []),
      ...this.nodePools.filter(p => p.serverGroup).map(p => ({ group: p.serverGroup!, machines: p.maxMachines, who: `pool "${p.name}"` })),
    ];
    const errors = new InputErrors(this);
    const byGroup = new Map<string, typeof users>();
    for (const user of users) {
      const key = `${user.group.kind}:${user.group.value}`;
      byGroup.set(key, [...(byGroup.get(key) ?? []), user]);
    }
    for (const group of byGroup.values()) {
      const { antiAffinity, hosts } = group[0].group.options ?? {};
      const machines = group.reduce((sum, u) => sum + u.machines, 0);
      if (antiAffinity && hosts !== undefined && machines > hosts) {
        errors.add('serverGroup', group[0].group.value, `has anti-affinity over ${hosts} hosts, but ${group.map(u => `${u.who} (${u.machines})`).join(' and ')} `
          + `can run ${machines} machines in it at once (at full size and during rollouts): Nova would refuse the ${hosts + 1}th; use soft-anti-affinity or more hosts`);
      }
    }
    return errors.lines;
  }

  /** Refuses a second child of the same id (constructs would throw an error of its own). */
  private checkIdIsFree(prop: string, id: string): void {
    const existing = this.node.tryFindChild(id);
    if (existing) {
      const errors = new InputErrors(this);
      errors.add(prop, id, `must be unique within cluster "${this.name}": ${existing.node.path} exists already`);
      errors.throwIfAny();
    }
  }

  /** The node pools of this cluster, in the order they were added. */
  public get nodePools(): NodePool[] {
    return NodePool.of(this);
  }

}

/** Namespaces a cluster of the app has emitted already: clusters that share one emit it once. */
const namespacesByApp = new WeakMap<IConstruct, Set<string>>();

function claimNamespace(cluster: Construct, namespace: string): boolean {
  const root = cluster.node.root;
  const claimed = namespacesByApp.get(root) ?? new Set<string>();
  namespacesByApp.set(root, claimed);
  if (claimed.has(namespace)) return false;
  claimed.add(namespace);
  return true;
}

function checkClusterPropShapes(errors: InputErrors, props: OpenStackCapiClusterProps): void {
  const isString = (v: unknown) => typeof v === 'string';
  for (const prop of ['name', 'namespace', 'kubernetesVersion', 'externalNetworkId', 'nodeCidr', 'serviceDomain', 'sshKeyName', 'nodeName'] as const) {
    if (props[prop] !== undefined || prop === 'kubernetesVersion') errors.check(isString(props[prop]), prop, props[prop], 'must be a string');
  }
  errors.checkList('podCidrs', props.podCidrs, isString, 'CIDR strings');
  errors.checkList('serviceCidrs', props.serviceCidrs, isString, 'CIDR strings');
  errors.checkList('dnsNameservers', props.dnsNameservers, isString, 'IPv4 address strings');
  errors.checkList('securityGroupRules', props.securityGroupRules, r => r instanceof SecurityGroupRule, 'SecurityGroupRule (e.g. SecurityGroupRule.custom)');
  errors.checkStringMap('labels', props.labels);
  for (const prop of ['createNamespace', 'apiServerLoadBalancer', 'allowAllInClusterTraffic', 'templateHashing'] as const) {
    errors.checkBoolean(prop, props[prop]);
  }
  if (props.controlPlaneReplicas !== undefined) {
    errors.check(typeof props.controlPlaneReplicas === 'number', 'controlPlaneReplicas', props.controlPlaneReplicas, 'must be a number');
  }
  if (props.upstreamVersions !== undefined) {
    errors.check(props.upstreamVersions instanceof UpstreamVersions, 'upstreamVersions', props.upstreamVersions,
      'must be an UpstreamVersions (e.g. UpstreamVersions.CAPI_1_10_CAPO_0_12)');
  }
  if (props.credentials !== undefined) {
    errors.check(props.credentials instanceof CloudCredentials, 'credentials', props.credentials,
      'must be CloudCredentials (CloudCredentials.fromSecretName or fromCloudsYaml)');
  }
}

function checkClusterProps(
  errors: InputErrors,
  cluster: OpenStackCapiCluster,
  props: OpenStackCapiClusterProps,
  resolved: { controlPlaneReplicas: number; network: ClusterNetworkPlan; labels: { [key: string]: string } },
): void {
  checkMachineOwnerName(errors, 'name', cluster.name, `${cluster.name}-control-plane`);
  if (props.namespace !== undefined) {
    errors.check(isDns1123Label(props.namespace), 'namespace', props.namespace, DNS1123_LABEL_RULE);
  }
  const version = parseKubernetesVersion(props.kubernetesVersion);
  if (errors.check(version !== undefined, 'kubernetesVersion', props.kubernetesVersion, KUBERNETES_VERSION_RULE)) {
    const problem = version!.major === 1 ? workloadVersionProblem(cluster.upstreamVersions, version!.minor) : 'must be a Kubernetes 1.x version';
    if (problem) errors.add('kubernetesVersion', props.kubernetesVersion, problem);
  }
  if (props.serviceDomain !== undefined) {
    errors.check(isDns1123Subdomain(props.serviceDomain), 'serviceDomain', props.serviceDomain,
      'must be a DNS-1123 subdomain, e.g. "cluster.local" (kubeadm networking.dnsDomain)');
  }

  const replicas = resolved.controlPlaneReplicas;
  errors.check(Number.isInteger(replicas) && replicas > 0 && replicas % 2 === 1, 'controlPlaneReplicas', replicas,
    'must be an odd number (1, 3, 5...) so etcd keeps quorum');
  errors.check(!(props.apiServerLoadBalancer === false && replicas > 1), 'apiServerLoadBalancer', false,
    `must be true with ${replicas} control plane machines: without a load balancer CAPO gives the API server one floating IP, `
    + 'attached to a single control plane machine and moved when that machine goes');

  checkFlavor(errors, 'controlPlaneFlavor', props.controlPlaneFlavor);
  checkMachineOptions(errors, CONTROL_PLANE_MACHINE_PROPS, props.controlPlaneMachine, props.controlPlaneFlavor);
  checkImage(errors, 'image', props.image);
  if (props.externalNetworkId !== undefined) {
    errors.check(isUuid(props.externalNetworkId), 'externalNetworkId', props.externalNetworkId, 'must be a network UUID, e.g. "6c90b532-7ba0-418a-a276-5ae55060b5b0"');
  }
  if (props.sshKeyName !== undefined) {
    // Nova key pair names are one line of printable characters, at most 255 (Nova API, key pairs).
    errors.check(/^[\x20-\x7e]{1,255}$/.test(props.sshKeyName), 'sshKeyName', props.sshKeyName, 'must be a Nova key pair name: one line of printable characters, at most 255');
  }
  for (const [i, server] of (props.dnsNameservers ?? []).entries()) {
    errors.check(isIpv4Address(server), `dnsNameservers[${i}]`, server, 'must be an IPv4 address');
  }

  const networks: Array<{ prop: string; network: Ipv4Network }> = [];
  const parse = (prop: string, cidr: string) => {
    const parsed = parseIpv4Cidr(cidr);
    if (typeof parsed === 'string') errors.add(prop, cidr, parsed);
    else networks.push({ prop, network: parsed });
  };
  errors.check(cluster.podCidrs.length > 0, 'podCidrs', cluster.podCidrs, 'must hold at least one CIDR');
  cluster.podCidrs.forEach((cidr, i) => parse(`podCidrs[${i}]`, cidr));
  (cluster.serviceCidrs ?? [DEFAULT_SERVICE_CIDR]).forEach((cidr, i) =>
    parse(cluster.serviceCidrs ? `serviceCidrs[${i}]` : 'serviceCidrs (default)', cidr));
  if (resolved.network.nodeNetwork) networks.push({ prop: resolved.network.nodeCidrProp, network: resolved.network.nodeNetwork });
  const [firstPods, ...others] = networks;
  if (firstPods?.prop === 'podCidrs[0]') {
    const prefix = firstPods.network.prefixLength;
    errors.check(prefix <= NODE_CIDR_MASK_SIZE && NODE_CIDR_MASK_SIZE - prefix <= POD_SUBNET_NODE_MASK_MAX_DIFF, 'podCidrs[0]', firstPods.network.cidr,
      `must be between /${NODE_CIDR_MASK_SIZE - POD_SUBNET_NODE_MASK_MAX_DIFF} and /${NODE_CIDR_MASK_SIZE}: each node gets a /${NODE_CIDR_MASK_SIZE} of it `
      + '(kubeadm refuses a pod subnet smaller than the node mask, or more than 16 bits larger)');
  }
  for (const service of others.filter(n => n.prop.startsWith('serviceCidrs'))) {
    errors.check(service.network.prefixLength >= MIN_SERVICE_PREFIX, service.prop, service.network.cidr,
      `must be /${MIN_SERVICE_PREFIX} or smaller: kubeadm refuses a service subnet of more than 2^20 addresses`);
  }
  for (let i = 0; i < networks.length; i++) {
    for (let j = i + 1; j < networks.length; j++) {
      if (overlaps(networks[i].network, networks[j].network)) {
        errors.add(networks[j].prop, networks[j].network.cidr, `must not overlap ${networks[i].prop} (${networks[i].network.cidr})`);
      }
    }
  }

  const ruleNames = new Set<string>();
  for (const [i, rule] of (props.securityGroupRules ?? []).entries()) {
    for (const [field, value, problem] of rule._problems()) {
      errors.add(`securityGroupRules[${i}].${field}`, value, problem);
    }
    errors.check(!ruleNames.has(rule.props.name), `securityGroupRules[${i}].name`, rule.props.name, 'must be unique');
    ruleNames.add(rule.props.name);
  }

  checkLabels(errors, 'labels', resolved.labels);
  errors.check(!(CLUSTER_NAME_LABEL in resolved.labels), `labels["${CLUSTER_NAME_LABEL}"]`, resolved.labels[CLUSTER_NAME_LABEL],
    'is set by the library to the cluster name');
}

/** The control plane's kubeadm configuration, checked: the user's flags never replace the library's or OIDC's. */
function resolveControlPlaneKubeadm(errors: InputErrors, options: ControlPlaneKubeadmOptions | undefined, mirrorFiles: KubeadmFileModel[],
  hasVolume: boolean) {
  const prop = 'controlPlaneKubeadm';
  const given = options ?? {};
  const extra = [
    'apiServerExtraArgs', 'controllerManagerExtraArgs', 'schedulerExtraArgs', 'etcdExtraArgs', 'oidc', 'audit', 'podSecurity', 'secretsEncryption',
    'etcdDisk',
  ];
  const userConfig = resolveNodeBootstrap(errors, prop, options, extra);
  const security = controlPlaneSecurity(errors, prop, given);
  const oidc = oidcArgs(errors, `${prop}.oidc`, given.oidc);
  const libraryArgs = { ...oidc, ...security.apiServerArgs };
  const apiServer = checkExtraArgs(errors, `${prop}.apiServerExtraArgs`, given.apiServerExtraArgs, Object.keys(libraryArgs));
  const files = [...(userConfig?.files ?? []), ...security.files, ...mirrorFiles];
  for (const path of security.files.map(f => f.path)) {
    errors.check(!(userConfig?.files ?? []).some(f => f.path === path), `${prop}.files`, path, 'is written by the library (audit, Pod Security or encryption)');
  }
  const etcdDisk = etcdDiskConfig(errors, `${prop}.etcdDisk`, given.etcdDisk, hasVolume);
  return {
    nodeConfig: userConfig || files.length > 0 || etcdDisk ? { ...userConfig, files, ...etcdDisk } : undefined,
    etcdDataDir: etcdDisk ? ETCD_DATA_DIR : undefined,
    apiServerExtraArgs: { ...libraryArgs, ...apiServer },
    apiServerExtraVolumes: security.apiServerVolumes,
    controllerManagerExtraArgs: checkExtraArgs(errors, `${prop}.controllerManagerExtraArgs`, given.controllerManagerExtraArgs, LIBRARY_CONTROLLER_MANAGER_ARGS),
    schedulerExtraArgs: checkExtraArgs(errors, `${prop}.schedulerExtraArgs`, given.schedulerExtraArgs),
    etcdExtraArgs: checkExtraArgs(errors, `${prop}.etcdExtraArgs`, given.etcdExtraArgs),
  };
}
