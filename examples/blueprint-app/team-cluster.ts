import { Chart, ChartProps } from 'cdk8s';
import {
  AutoscalerAddon, CloudCredentials, ClusterNetwork, FleetEntry, Flavor, IFleetBlueprint, MachineImage, NodePool, OpenStackCapiCluster,
  SecurityGroupRule, UpstreamVersions,
} from 'cdk8s-capi-openstack';
import { Construct, IConstruct } from 'constructs';

/**
 * A blueprint: the platform team's choices, fixed once, for every cluster it runs. Only what
 * varies per environment is a prop; everything else (image naming, flavors, network layout,
 * add-ons, health checks, credentials) is decided here, reviewed once, and tested by snapshots.
 */

/** How big a cluster is: control plane machines and the pool's autoscaling range. */
export enum ClusterSize {
  /** One control plane machine, workers from 0 to 3: development. */
  SMALL = 'small',
  /** Three control plane machines, workers from 1 to 6. */
  MEDIUM = 'medium',
  /** Three control plane machines, workers from 2 to 20 on a larger flavor. */
  LARGE = 'large',
}

/** What varies between a team's clusters. */
export interface TeamClusterProps extends ChartProps {
  /** The environment, e.g. "dev": the cluster's name and namespace are `<team>-<environment>`. */
  readonly environment: string;
  /** The owning team. */
  readonly team: string;
  /** Kubernetes version, e.g. "v1.32.4": the node image follows it. */
  readonly kubernetesVersion: string;
  /** The node subnet CAPO creates: distinct per cluster, so that clusters can be peered. */
  readonly nodeCidr: string;
  /** The size. */
  readonly size: ClusterSize;
  /**
   * The management cluster's releases.
   * @default UpstreamVersions.DEFAULT
   */
  readonly upstreamVersions?: UpstreamVersions;
}

/** The team's cloud: the same for every cluster. */
export const SITE = {
  externalNetworkId: '00000000-0000-0000-0000-000000000000',
  dnsNameservers: ['10.0.0.53'],
  networkMtu: 1450,
  /** The Secret with clouds.yaml that CAPO reads, created in each cluster's namespace beforehand. */
  credentialsSecret: 'openstack-credentials',
};

const SIZES: { [size: string]: { controlPlane: number; min: number; max: number; flavor: Flavor } } = {
  [ClusterSize.SMALL]: { controlPlane: 1, min: 0, max: 3, flavor: Flavor.of('m1.large', { vcpus: 4, memoryMiB: 8192, diskGiB: 40 }) },
  [ClusterSize.MEDIUM]: { controlPlane: 3, min: 1, max: 6, flavor: Flavor.of('m1.large', { vcpus: 4, memoryMiB: 8192, diskGiB: 40 }) },
  [ClusterSize.LARGE]: { controlPlane: 3, min: 2, max: 20, flavor: Flavor.of('m1.2xlarge', { vcpus: 16, memoryMiB: 32768, diskGiB: 80 }) },
};

/** A team's cluster: its blueprint, instantiated once per environment. */
export class TeamCluster extends Chart {
  public readonly cluster: OpenStackCapiCluster;
  public readonly workers: NodePool;
  public readonly autoscaler: AutoscalerAddon;

  constructor(scope: Construct, id: string, props: TeamClusterProps) {
    super(scope, id, props);
    const size = SIZES[props.size];
    if (!size) throw new Error(`TeamCluster ${id}: size = ${JSON.stringify(props.size)}: must be a ClusterSize`);

    this.cluster = new OpenStackCapiCluster(this, 'Cluster', {
      name: `${props.team}-${props.environment}`,
      kubernetesVersion: props.kubernetesVersion,
      upstreamVersions: props.upstreamVersions,
      // The image-builder images of the site are named after the Kubernetes version.
      image: MachineImage.fromName(`ubuntu-2404-kube-${props.kubernetesVersion}`),
      controlPlaneFlavor: Flavor.named('m1.large'),
      controlPlaneReplicas: size.controlPlane,
      // One control plane machine needs no load balancer in front of it.
      apiServerLoadBalancer: size.controlPlane > 1,
      network: ClusterNetwork.managed({ cidr: props.nodeCidr, dnsNameservers: SITE.dnsNameservers, mtu: SITE.networkMtu }),
      externalNetworkId: SITE.externalNetworkId,
      allowAllInClusterTraffic: false,
      securityGroupRules: SecurityGroupRule.calico(),
      credentials: CloudCredentials.fromSecretName(SITE.credentialsSecret),
    });
    this.workers = this.cluster.addNodePool('workers', {
      flavor: size.flavor,
      autoscaling: { minSize: size.min, maxSize: size.max },
    });
    // The add-ons every cluster of the team has; health checks are on by default.
    this.cluster.addCalico();
    this.cluster.addCloudControllerManager();
    this.cluster.addCinderCsi();
    this.cluster.addMetricsServer();
    this.autoscaler = this.cluster.addAutoscaler();
  }
}

/**
 * What an inventory entry's `values` may hold: the props of a TeamCluster but the team (the
 * entry's tenant). An OpenAPI v3 schema, as a CRD writes one: the fleet checks every entry
 * against it before building anything.
 */
export const TEAM_CLUSTER_VALUES_SCHEMA = {
  type: 'object',
  required: ['environment', 'size', 'kubernetesVersion', 'nodeCidr'],
  properties: {
    environment: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,20}$' },
    size: { type: 'string', enum: Object.values(ClusterSize) },
    kubernetesVersion: { type: 'string', pattern: '^v1\\.\\d+\\.\\d+$' },
    nodeCidr: { type: 'string', pattern: '^10\\.30\\.\\d+\\.0/24$' },
  },
};

/** Each inventory entry becomes a TeamCluster chart named after it, its team the entry's tenant. */
export const TEAM_CLUSTER_BLUEPRINT: IFleetBlueprint = {
  instantiate(scope: Construct, entry: FleetEntry): IConstruct {
    return new TeamCluster(scope, entry.name, { team: entry.tenant ?? 'platform', ...entry.values } as TeamClusterProps);
  },
};
