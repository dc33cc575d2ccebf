import { IConstruct } from 'constructs';
import { BoundCloudCredentials } from './cloud-credentials';
import { MachineImage } from './machine-image';
import type { RegistryMirror } from './registry-mirrors';
import { SecurityGroupRule } from './security-group-rule';
import { UpstreamVersions } from './validation/upstream-versions';

/**
 * What node pools and add-ons need of a Cluster API cluster on OpenStack: they depend on this
 * contract, never on a concrete cluster class, so any cluster construct that keeps it can carry
 * them. {@link OpenStackCapiCluster} is the one this library provides.
 */
export interface ICapiCluster extends IConstruct {
  /** The cluster's name. */
  readonly name: string;
  /** Namespace of the cluster's objects in the management cluster. */
  readonly namespace: string;
  /** Kubernetes version of the control plane, e.g. `v1.32.4`. */
  readonly kubernetesVersion: string;
  /** The management cluster's Cluster API and OpenStack provider releases: which API versions to emit. */
  readonly upstreamVersions: UpstreamVersions;
  /** Pod network CIDRs. */
  readonly podCidrs: string[];
  /** CIDR of the nodes' subnet. */
  readonly nodeCidr?: string;
  /** External network id, when set. */
  readonly externalNetworkId?: string;
  /** Extra rules of the security group shared by all nodes. */
  readonly securityGroupRules: SecurityGroupRule[];
  /** Whether all traffic flows between the cluster's nodes. */
  readonly allowAllInClusterTraffic: boolean;
  /** Image of every server unless a pool overrides it. */
  readonly image: MachineImage;
  /** SSH key pair unless a pool overrides it. */
  readonly sshKeyName?: string;
  /** Node name template of every kubelet. */
  readonly nodeName: string;
  /** Whether template names carry a hash of their spec. */
  readonly templateHashing: boolean;
  /** The credentials, bound to this cluster. */
  readonly credentials: BoundCloudCredentials;
  /** The availability zones the cluster is restricted to, when it is. */
  readonly controlPlaneAvailabilityZones?: string[];
  /** Registry mirrors of every node's containerd. */
  readonly registryMirrors: RegistryMirror[];
  /** Number of control plane machines: add-ons that run there spread over them. */
  readonly controlPlaneReplicas: number;
  /** The MTU of the cluster's network, when known: the CNI's MTU derives from it. */
  readonly networkMtu?: number;
  /**
   * Whether Neutron lets pod addresses out of every machine's port on the cluster network
   * (allowed address pairs): a CNI may then send pod traffic unencapsulated.
   */
  readonly podCidrsAllowedOnPorts: boolean;
  /** Labels add-ons select this cluster by. */
  readonly selectorLabels: { [key: string]: string };
}

/** Whether a construct keeps the cluster contract (a plain, topology or hosted cluster). */
export function isCapiCluster(construct: IConstruct): construct is ICapiCluster {
  const c = construct as Partial<ICapiCluster>;
  return typeof c.name === 'string' && typeof c.namespace === 'string' && typeof c.kubernetesVersion === 'string'
    && c.credentials !== undefined && Array.isArray(c.podCidrs) && c.upstreamVersions !== undefined;
}
