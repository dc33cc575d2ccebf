import { NetworkReference, RouterReference, SubnetReference } from './references';

/** The node subnet CAPO creates by default (CAPO's cluster template). */
export const DEFAULT_MANAGED_NODE_CIDR = '10.6.0.0/24';

/** Props of {@link ClusterNetwork.managed}: the network CAPO creates for the cluster. */
export interface ManagedNetworkProps {
  /**
   * CIDR (IPv4) of the node subnet CAPO creates (CAPO `managedSubnets[0].cidr`).
   * @default "10.6.0.0/24"
   */
  readonly cidr?: string;

  /**
   * DNS servers of the node subnet, IPv4 addresses (CAPO `managedSubnets[0].dnsNameservers`).
   * @default - none: Neutron's defaults
   */
  readonly dnsNameservers?: string[];

  /**
   * MTU of the network CAPO creates (CAPO `networkMTU`; the cloud needs Neutron's `net-mtu`
   * extension). Lower it when the network runs over a tunnel whose overhead the default leaves no
   * room for; the CNI's own MTU must be smaller still by its encapsulation overhead.
   * @default - Neutron's default for the network type
   */
  readonly mtu?: number;

  /**
   * An existing router to connect the subnet to, instead of one CAPO creates (CAPO `router`). CAPO
   * never deletes it. Needed to turn the API server's floating IP off on a network CAPO creates:
   * the management cluster must reach the new subnet through a router it is connected to.
   * @default - CAPO creates a router on the external network
   */
  readonly router?: RouterReference;
}

/** Props of {@link ClusterNetwork.existing}: a network that exists already. */
export interface ExistingNetworkProps {
  /**
   * The network (CAPO `network`).
   * @default - the network of the first subnet in `subnets`
   */
  readonly network?: NetworkReference;

  /**
   * The subnets of the network the nodes use (CAPO `subnets`): at most two, one IPv4 and one IPv6.
   * @default - every subnet of the network
   */
  readonly subnets?: SubnetReference[];

  /**
   * The router connecting the network to the external network (CAPO `router`). CAPO reads its
   * external addresses and allows them through the API server load balancer's `allowedCidrs`
   * (the nodes reach the API server's floating IP from there); it attaches nothing.
   * @default - none
   */
  readonly router?: RouterReference;

  /**
   * CIDR (IPv4) of the node subnet, when you know it. Nothing is written from it: it enables the
   * checks that need it (overlap with the pod and service networks, room for the machines, the API
   * server's fixed IP inside it).
   * @default - unknown: those checks are skipped
   */
  readonly nodeCidr?: string;

  /**
   * The cluster uses no external network: no router gateway, no floating IPs (CAPO
   * `disableExternalNetwork`, with `disableAPIServerFloatingIP`), e.g. on a provider network. The
   * management cluster must reach the network directly, and so must whoever uses the bastion.
   * Only for existing networks: a network CAPO creates without an external network is reachable
   * by nothing.
   * @default false
   */
  readonly disableExternalNetwork?: boolean;
}

/**
 * The network of a cluster's nodes: one CAPO creates ({@link ClusterNetwork.managed}, the default)
 * or one that exists ({@link ClusterNetwork.existing}).
 */
export abstract class ClusterNetwork {
  /** A network, subnet and router CAPO creates for the cluster and deletes with it. */
  public static managed(props: ManagedNetworkProps = {}): ClusterNetwork {
    return new ManagedClusterNetwork(props ?? {});
  }

  /** A network that exists already: CAPO neither creates nor deletes it. */
  public static existing(props: ExistingNetworkProps): ClusterNetwork {
    return new ExistingClusterNetwork(props);
  }

  /** Whether CAPO creates the network. */
  public abstract readonly createdByCapo: boolean;

  /** @internal */
  public abstract readonly _props: ManagedNetworkProps | ExistingNetworkProps;
}

/** A network CAPO creates (not exported from the package). */
export class ManagedClusterNetwork extends ClusterNetwork {
  public readonly createdByCapo = true;
  constructor(public readonly _props: ManagedNetworkProps) {
    super();
  }
}

/** A network that exists (not exported from the package). */
export class ExistingClusterNetwork extends ClusterNetwork {
  public readonly createdByCapo = false;
  constructor(public readonly _props: ExistingNetworkProps) {
    super();
  }
}

/** Every prop of {@link ManagedNetworkProps}. */
export const MANAGED_NETWORK_PROPS = ['cidr', 'dnsNameservers', 'mtu', 'router'];
/** Every prop of {@link ExistingNetworkProps}. */
export const EXISTING_NETWORK_PROPS = ['network', 'subnets', 'router', 'nodeCidr', 'disableExternalNetwork'];
