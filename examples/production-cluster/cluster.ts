import { Chart, ChartProps, Duration } from 'cdk8s';
import {
  AuditPolicy, AutoscalerAddon, CalicoBootstrapJob, CalicoEncapsulation, CinderCsiDriver, CloudCredentials, ClusterNetwork, DeletionOrder, DrainBehavior, Flavor,
  MachineDrainRule, MachineImage, ManagedSecurityGroup, MetricsServer, NetworkReference, NodePool, OpenStackCapiCluster,
  OpenStackCloudControllerManager, OpenStackClusterIdentity, PodSecurityLevel, RouterReference, SecurityGroupRule, ServerGroup,
  SubnetReference, TaintEffect, UnhealthyThreshold, UpstreamVersions, VolumeAvailabilityZone,
} from 'cdk8s-capi-openstack';
import { PersistentVolumeReclaimPolicy } from 'cdk8s-plus-30';
import { Construct } from 'constructs';

/**
 * The values of your cloud and organisation. The defaults synthesize as they are, but describe no
 * real cloud: replace every one before applying the output (the README's "The production example"
 * lists where to find each).
 */
export const PLACEHOLDERS = {
  /** The cluster's name: the prefix of every object, and its namespace in the management cluster. */
  clusterName: 'prod',
  /** The Kubernetes version; the image below must be built for it. */
  kubernetesVersion: 'v1.32.4',
  /** A Glance image built with kubernetes-sigs/image-builder for that version (`openstack image list`). */
  imageName: 'ubuntu-2204-kube-v1.32.4',
  /** The image's virtual size or min_disk, rounded up (`openstack image show <image> -c virtual_size -c min_disk`). */
  imageSizeGiB: 20,
  /** A Nova key pair for the nodes and the bastion (`openstack keypair list`). */
  sshKeyName: 'platform-ops',

  /** Three Nova availability zones (`openstack availability zone list --compute`). */
  availabilityZones: ['az-1', 'az-2', 'az-3'],
  /** The zone with the GPU hypervisors. */
  gpuZone: 'az-1',
  /** A Cinder volume type for root volumes (`openstack volume type list`). */
  volumeType: 'ssd',

  /** The external network floating IPs come from (`openstack network show <name> -f value -c id`). */
  externalNetworkId: '00000000-0000-0000-0000-000000000000',
  /** The existing network, subnet and router of the nodes (`openstack network list`, `subnet list`, `router list`). */
  networkName: 'prod-k8s-net',
  subnetName: 'prod-k8s-subnet',
  routerName: 'prod-k8s-router',
  /** The CIDR of that subnet: it enables the overlap and size checks. */
  nodeCidr: '10.20.0.0/24',
  /** That network's MTU (`openstack network show prod-k8s-net -c mtu`): 1450 on a VXLAN tenant network. */
  networkMtu: 1450,
  /** Pod and service networks: they must not overlap the node subnet nor anything pods must reach. */
  podCidrs: ['10.244.0.0/16'],
  serviceCidrs: ['10.96.0.0/16'],
  /** The DNS servers of the subnet are the existing network's own; NTP servers of every node. */
  ntpServers: ['ntp1.example.com', 'ntp2.example.com'],

  /** A floating IP allocated beforehand for the API server, so DNS can point at it (`openstack floating ip create <external network>`). */
  apiServerFloatingIp: '203.0.113.10',
  /** The address the management cluster's traffic leaves from (its router's gateway or NAT address). */
  managementClusterCidrs: ['198.51.100.7/32'],
  /** Who else may reach the API server: offices, VPN, CI runners. */
  allowedCidrs: ['192.0.2.0/24', '198.51.100.128/25'],

  /** Nova server groups, created beforehand: `openstack server group create --policy soft-anti-affinity <name>`. */
  controlPlaneServerGroup: 'prod-control-plane',
  workerServerGroup: 'prod-workers',

  /** Flavors (`openstack flavor show <name>`): the general one has no local disk (`diskGiB: 0`). */
  controlPlaneFlavor: 'm1.k8s-master',
  generalFlavor: { name: 'm1.xlarge.nodisk', vcpus: 8, memoryMiB: 32768 },
  gpuFlavor: { name: 'g1.xlarge.a100', vcpus: 16, memoryMiB: 131072, diskGiB: 200, gpus: 1 },
  bastionFlavor: 'm1.small',
  /** A plain image of your distribution for the bastion (`openstack image list`). */
  bastionImageName: 'ubuntu-22.04',

  /** The OpenID Connect issuer of your single sign-on, and the client the cluster's tokens are issued for. */
  oidcIssuerUrl: 'https://sso.example.com/realms/platform',
  oidcClientId: 'kubernetes',

  /** Pull-through caches of the registries the nodes and add-ons pull from. */
  registryMirrors: [
    { registry: 'docker.io', mirrorUrl: 'https://dockerhub-cache.example.com' },
    { registry: 'registry.k8s.io', mirrorUrl: 'https://k8s-cache.example.com' },
  ],

  /**
   * The OpenStack endpoints present certificates of a private CA: the credentials Secret holds its
   * PEM bundle under `cacert`. false when they are publicly trusted.
   */
  privateCa: true,
  /** Where the credentials of the OpenStackClusterIdentity live: a namespace no cluster lives in. */
  identitySecretName: 'openstack-clouds',
  identitySecretNamespace: 'capo-system',
};

export interface ProductionClusterProps extends ChartProps {
  /**
   * The management cluster's Cluster API and OpenStack provider releases.
   * @default UpstreamVersions.CAPI_1_14_CAPO_0_14
   */
  readonly upstreamVersions?: UpstreamVersions;

  /**
   * Read the OpenStack credentials through a cluster-scoped OpenStackClusterIdentity (emitted by
   * this chart) instead of a Secret in the cluster's namespace. Needs CAPO v0.14: set false with
   * `UpstreamVersions.CAPI_1_10_CAPO_0_12`.
   * @default true
   */
  readonly clusterIdentity?: boolean;

  /**
   * Tune the health monitor of the API server load balancer. Needs CAPO v0.14: set false with
   * `UpstreamVersions.CAPI_1_10_CAPO_0_12` (Octavia's pool then gets CAPO's defaults).
   * @default true
   */
  readonly apiServerHealthMonitor?: boolean;
}

/**
 * A production starting point: an HA control plane over three availability zones, booting from
 * volumes, behind an API server only known addresses reach; a general pool per zone and a GPU pool
 * that scales from zero; an existing network with per-role security groups and a bastion;
 * hardened kubeadm (OIDC, audit, Pod Security, Secrets encryption); health checks, rollouts and
 * drains; Calico, the cloud controller manager and the cluster-autoscaler.
 */
export class ProductionCluster extends Chart {
  public readonly cluster: OpenStackCapiCluster;
  public readonly identity?: OpenStackClusterIdentity;
  public readonly generalPools: NodePool[];
  public readonly gpuPool: NodePool;
  public readonly gpuJobsDrainRule: MachineDrainRule;
  public readonly calico: CalicoBootstrapJob;
  public readonly cloudControllerManager: OpenStackCloudControllerManager;
  public readonly autoscaler: AutoscalerAddon;
  public readonly cinderCsi: CinderCsiDriver;
  public readonly metricsServer: MetricsServer;

  constructor(scope: Construct, id: string, props: ProductionClusterProps = {}) {
    super(scope, id, props);
    const P = PLACEHOLDERS;
    const upstreamVersions = props.upstreamVersions ?? UpstreamVersions.CAPI_1_14_CAPO_0_14;
    const zones = P.availabilityZones;

    // CAPO's credentials: one Secret of the management cluster, in a namespace of its own, that only
    // this cluster's namespace may use, so that the cluster's namespace holds none of CAPO's
    // credentials (CAPO v0.14). The cloud controller manager still gets its own clouds.yaml through
    // the resource-set Secret you create in the cluster's namespace: give it an application
    // credential of its own.
    let credentials: CloudCredentials;
    if (props.clusterIdentity ?? true) {
      this.identity = new OpenStackClusterIdentity(this, 'CloudIdentity', {
        name: `${P.clusterName}-openstack`,
        secretName: P.identitySecretName,
        secretNamespace: P.identitySecretNamespace,
        allowedNamespaces: [P.clusterName],
        upstreamVersions,
      });
      credentials = this.identity.credentials({ privateCa: P.privateCa });
    } else {
      // CAPO v0.12: the Secret "<cluster>-cloud-config" (clouds.yaml, cacert) in the cluster's namespace.
      credentials = CloudCredentials.fromSecretName(undefined, { privateCa: P.privateCa });
    }

    this.cluster = new OpenStackCapiCluster(this, 'Cluster', {
      name: P.clusterName,
      kubernetesVersion: P.kubernetesVersion,
      upstreamVersions,
      image: MachineImage.fromName(P.imageName),
      sshKeyName: P.sshKeyName,
      credentials,
      externalNetworkId: P.externalNetworkId,
      podCidrs: P.podCidrs,
      serviceCidrs: P.serviceCidrs,

      // The network exists (made by the network team, peered with the rest of the site): CAPO
      // neither creates nor deletes it. The router lets CAPO allow the nodes' own egress address
      // through the API server's allowed CIDRs; nodeCidr turns on the overlap and size checks.
      network: ClusterNetwork.existing({
        network: NetworkReference.fromName(P.networkName),
        subnets: [SubnetReference.fromName(P.subnetName)],
        router: RouterReference.fromName(P.routerName),
        nodeCidr: P.nodeCidr,
      }),

      // The API server is reachable from the management cluster (which must reach it to build
      // and run the cluster) and the listed networks only. Octavia enforces the list with the
      // amphora provider only: named here so that a changed default provider cannot open it.
      apiServer: {
        managementClusterCidrs: P.managementClusterCidrs,
        allowedCidrs: P.allowedCidrs,
        loadBalancerProvider: 'amphora',
        // A floating IP that survives re-creating the cluster: DNS and kubeconfigs point at it.
        floatingIp: P.apiServerFloatingIp,
        // Take a failed API server out of the pool within ~15 s instead of ~30 s (CAPO v0.14).
        healthMonitor: (props.apiServerHealthMonitor ?? true) ? { delaySeconds: 5, timeoutSeconds: 3, maxRetriesDown: 3 } : undefined,
      },

      // Only the traffic the cluster needs between its nodes, per role, instead of everything.
      allowAllInClusterTraffic: false,
      securityGroupRules: [
        // Calico's BGP and IP-in-IP (pod traffic between nodes travels as IP protocol 4).
        ...SecurityGroupRule.calico(),
        // ICMP between nodes: path MTU discovery (the IP-in-IP tunnel is smaller) and ping.
        SecurityGroupRule.custom({
          name: 'ICMP between nodes',
          protocol: 'icmp',
          remoteManagedGroups: [ManagedSecurityGroup.CONTROL_PLANE, ManagedSecurityGroup.WORKER],
        }),
      ],
      controlPlaneSecurityGroupRules: [
        // kube-controller-manager (10257), the cloud controller manager (10258) and kube-scheduler
        // (10259) metrics, for a Prometheus on the workers (they bind to 0.0.0.0 below).
        SecurityGroupRule.custom({
          name: 'Control plane metrics',
          protocol: 'tcp',
          portRangeMin: 10257,
          portRangeMax: 10259,
          remoteManagedGroups: [ManagedSecurityGroup.WORKER],
        }),
      ],
      workerSecurityGroupRules: [
        // node-exporter on every worker, scraped by that Prometheus.
        SecurityGroupRule.custom({
          name: 'node-exporter',
          protocol: 'tcp',
          portRangeMin: 9100,
          remoteManagedGroups: [ManagedSecurityGroup.WORKER],
        }),
      ],

      // An SSH jump host: the nodes have no floating IPs. CAPO lets it reach port 22 of every
      // node. To remove it, set enabled: false first and wait until it is gone (see the README).
      bastion: {
        flavor: Flavor.named(P.bastionFlavor),
        // An image of its own: CAPO re-creates the bastion whenever its spec changes, and the
        // cluster's image (its default) changes with every Kubernetes upgrade.
        image: MachineImage.fromName(P.bastionImageName),
        availabilityZone: zones[0],
      },

      // Three machines over three zones: etcd keeps its quorum (2 of 3) when a zone fails.
      controlPlaneReplicas: 3,
      controlPlaneAvailabilityZones: zones,
      controlPlaneFlavor: Flavor.named(P.controlPlaneFlavor),
      controlPlaneMachine: {
        // etcd's data on a Cinder volume of a fast type: it survives a hypervisor's disk, and its
        // latency no longer depends on the hypervisor's neighbours. Created in the machine's zone
        // (Cinder zones named as the Nova zones; else VolumeAvailabilityZone.fromName or leave it out).
        rootVolume: { sizeGiB: 50, volumeType: P.volumeType, availabilityZone: VolumeAvailabilityZone.fromMachine() },
        imageSizeGiB: P.imageSizeGiB,
        // Soft anti-affinity: never two control plane machines on one hypervisor while others are free.
        serverGroup: ServerGroup.fromName(P.controlPlaneServerGroup),
      },
      controlPlaneRollout: {
        // A new machine joins before an old one leaves: etcd never runs a member short.
        maxSurge: 1,
        // Roll the machines a month before their kubeadm certificates (one year) expire.
        certificatesExpiryDays: 30,
        // Give up on a machine that keeps failing instead of replacing it forever.
        remediationMaxRetry: 3,
        remediationRetryPeriod: Duration.minutes(10),
      },
      controlPlaneDeletion: {
        // A control plane machine never waits forever on a PodDisruptionBudget or a stuck volume.
        nodeDrainTimeout: Duration.minutes(10),
        nodeVolumeDetachTimeout: Duration.minutes(5),
      },

      controlPlaneKubeadm: {
        // Expose the metrics the security group rule above lets the workers scrape.
        controllerManagerExtraArgs: { 'bind-address': '0.0.0.0' },
        schedulerExtraArgs: { 'bind-address': '0.0.0.0' },
        // People log in with single sign-on; their groups are bound to RBAC roles.
        oidc: {
          issuerUrl: P.oidcIssuerUrl,
          clientId: P.oidcClientId,
          usernameClaim: 'email',
          usernamePrefix: 'oidc:',
          groupsClaim: 'groups',
          groupsPrefix: 'oidc:',
        },
        // Who did what, kept 30 days on each control plane node (ship it off with a log agent).
        audit: { policy: AuditPolicy.recommended(), maxAgeDays: 30, maxBackups: 10, maxSizeMB: 100 },
        // Refuse privileged pods outside kube-system; warn about and audit what breaks "restricted".
        podSecurity: {
          enforce: PodSecurityLevel.BASELINE,
          audit: PodSecurityLevel.RESTRICTED,
          warn: PodSecurityLevel.RESTRICTED,
          exemptNamespaces: ['kube-system'],
        },
        // Secrets encrypted at rest in etcd, with keys kept in a Secret of the management cluster
        // you create (see the README): they never reach Git.
        secretsEncryption: { encryptionConfigurationSecret: { name: `${P.clusterName}-encryption-config`, key: 'encryption-configuration.yaml' } },
        // etcd and certificates need correct clocks.
        ntpServers: P.ntpServers,
      },

      // Every node (and so every add-on) pulls through the site's caches: no Docker Hub rate
      // limits, and the cluster still builds when a public registry is down. The image must read
      // /etc/containerd/certs.d (image-builder's containerd does).
      registryMirrors: P.registryMirrors,
    });

    // Kubelet reservations: the OS and the kubelet keep their share when pods press on memory,
    // and the autoscaler's scale-from-zero memory is what pods can really get.
    const kubelet = {
      systemReserved: { cpu: '500m', memory: '1Gi', ephemeralStorage: '5Gi' },
      kubeReserved: { cpu: '500m', memory: '1Gi' },
      evictionHard: { 'memory.available': '500Mi', 'nodefs.available': '10%', 'imagefs.available': '15%' },
    };
    const bootstrap = { ntpServers: P.ntpServers };

    // The general pool: one per zone, so that a zone outage leaves two thirds of the capacity, and
    // the autoscaler (with --balance-similar-node-groups) keeps them even. At least one node per zone
    // for the cluster's own workloads (CoreDNS, ingress...).
    const generalFlavor = P.generalFlavor;
    this.generalPools = this.cluster.addNodePoolsPerZone('general', zones, {
      // No local disk: the servers boot from a volume, whose size is the nodes' ephemeral storage.
      flavor: Flavor.of(generalFlavor.name, { vcpus: generalFlavor.vcpus, memoryMiB: generalFlavor.memoryMiB, diskGiB: 0 }),
      machine: {
        rootVolume: { sizeGiB: 100, volumeType: P.volumeType, availabilityZone: VolumeAvailabilityZone.fromMachine() },
        imageSizeGiB: P.imageSizeGiB,
        // Spread over hypervisors within each zone. Its members count against the project's
        // server-group-members quota (10 by default): raise it above the pools' maximum plus surge.
        serverGroup: ServerGroup.fromName(P.workerServerGroup),
      },
      autoscaling: { minSize: 1, maxSize: 5 },
      kubelet,
      bootstrap,
      // Default health check: a node not Ready for 5 minutes, or no node after 10, is replaced.
      rollout: { maxSurge: 1, maxUnavailable: 0, deletionOrder: DeletionOrder.OLDEST, minReadySeconds: 60 },
      // A PodDisruptionBudget that never allows an eviction does not block a rollout forever.
      deletion: { nodeDrainTimeout: Duration.minutes(20), nodeVolumeDetachTimeout: Duration.minutes(5) },
    });

    // The GPU pool: from zero (no idle GPU is paid for) to four, in the zone with the GPU hypervisors.
    // Tainted, so that only pods asking for a GPU land there. The NVIDIA GPU operator (not part of
    // this example) installs the driver and the device plugin.
    const gpuFlavor = P.gpuFlavor;
    this.gpuPool = this.cluster.addNodePool('gpu', {
      flavor: Flavor.of(gpuFlavor.name, {
        vcpus: gpuFlavor.vcpus, memoryMiB: gpuFlavor.memoryMiB, diskGiB: gpuFlavor.diskGiB, gpus: gpuFlavor.gpus, gpuType: 'nvidia.com/gpu',
      }),
      failureDomain: P.gpuZone,
      // A GPU node boots slowly (large image, driver install): the autoscaler waits 25 minutes for
      // it to register before it gives up on it.
      autoscaling: { minSize: 0, maxSize: 4, maxNodeProvisionTime: Duration.minutes(25) },
      labels: { 'node.kubernetes.io/accelerator': 'gpu' },
      taints: [{ key: 'nvidia.com/gpu', effect: TaintEffect.NO_SCHEDULE }],
      kubelet,
      bootstrap,
      // Stricter than the default: GPU machines are scarce, so replace one at a time; the driver
      // install makes a new node slow to become Ready, so wait longer for it.
      healthCheck: {
        maxUnhealthy: UnhealthyThreshold.count(1),
        unhealthyTimeout: Duration.minutes(5),
        nodeStartupTimeout: Duration.minutes(20),
      },
      // No GPU quota is left for a surge machine: replace one machine at a time, old one first.
      rollout: { maxSurge: 0, maxUnavailable: 1 },
      // Training jobs get an hour to finish (see the drain rule below), then the node goes anyway.
      deletion: { nodeDrainTimeout: Duration.hours(1), nodeVolumeDetachTimeout: Duration.minutes(5) },
    });

    // Pods of batch namespaces on GPU nodes are waited for rather than evicted: an evicted
    // training job loses its progress.
    this.gpuJobsDrainRule = this.cluster.addDrainRule('GpuJobs', {
      behavior: DrainBehavior.WAIT_COMPLETED,
      namespaceSelector: { 'example.com/workload-class': 'batch' },
      pools: [this.gpuPool],
    });

    // Calico, its pool the first pod CIDR, installed by a Job from inside the new cluster. IP-in-IP
    // takes 20 bytes of the existing network's MTU (an existing network's MTU is not known to the
    // library, so it is given). For a site without internet access, set manifestUrl, imageRegistry
    // and kubectlImage to your mirrors.
    this.calico = this.cluster.addCalico({ encapsulation: CalicoEncapsulation.IP_IN_IP, mtu: P.networkMtu - 20 });

    // Nodes initialized, Services of type LoadBalancer. With privateCa, its cloud.conf reads the CA
    // bundle from the cloud-config Secret's cacert key you create (see the README).
    this.cloudControllerManager = this.cluster.addCloudControllerManager();

    // PersistentVolumes on Cinder: a default StorageClass without a zone (the pools span three, so
    // each volume is created where its first pod runs), and one that keeps its volumes. Create the
    // resource-set Secret "<cluster>-cinder-csi-cloud-config" as for the CCM (see the README).
    this.cinderCsi = this.cluster.addCinderCsi({
      storageClasses: [
        { name: 'standard', volumeType: PLACEHOLDERS.volumeType, isDefault: true },
        { name: 'standard-retain', volumeType: PLACEHOLDERS.volumeType, reclaimPolicy: PersistentVolumeReclaimPolicy.RETAIN },
      ],
    });

    // kubectl top and HorizontalPodAutoscalers, two replicas with a PodDisruptionBudget.
    this.metricsServer = this.cluster.addMetricsServer({ replicas: 2 });

    // In the management cluster (no management credentials in the workload cluster), keeping the
    // per-zone pools even.
    this.autoscaler = this.cluster.addAutoscaler({
      expander: 'least-waste',
      extraArgs: ['--balance-similar-node-groups'],
    });
  }
}
