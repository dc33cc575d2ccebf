/**
 * How Calico carries pod traffic between nodes. The values are the IP pool encapsulations of
 * Calico's operator API (`Installation.spec.calicoNetwork.ipPools[].encapsulation`).
 *
 * The cross-subnet modes encapsulate only between subnets and send traffic within a subnet as it
 * is (Calico docs, "Overlay networking"); a CAPO cluster's nodes share one subnet, so they then
 * send pod traffic unencapsulated, as `NONE` does, and need the cluster's
 * `podCidrsAllowedOnPorts`: Neutron's port security drops packets whose source address is not
 * the port's.
 */
export enum CalicoEncapsulation {
  /** IP-in-IP with BGP (`calico.yaml`): needs IP protocol 4 and TCP 179 between the nodes. */
  IP_IN_IP = 'IPIP',
  /** IP-in-IP between subnets only, with BGP (`calico.yaml`, `CALICO_IPV4POOL_IPIP: CrossSubnet`). */
  IP_IN_IP_CROSS_SUBNET = 'IPIPCrossSubnet',
  /**
   * VXLAN without BGP (`calico-vxlan.yaml`), its pool switched from `CrossSubnet` to `Always`:
   * needs UDP 4789 between the nodes.
   */
  VXLAN = 'VXLAN',
  /** VXLAN between subnets only, without BGP (`calico-vxlan.yaml` as published). */
  VXLAN_CROSS_SUBNET = 'VXLANCrossSubnet',
  /** No encapsulation: routes learned by BGP (`calico.yaml`, IP-in-IP `Never`); needs TCP 179. */
  NONE = 'None',
}

/** The options of Calico's pod network, whichever way it is installed. */
export interface CalicoNetworkOptions {
  /**
   * How pod traffic crosses between nodes. The cluster's security group rules must let it through
   * (unless `allowAllInClusterTraffic`): `SecurityGroupRule.calico()` for IP-in-IP and `NONE`,
   * `SecurityGroupRule.calicoVxlan()` for VXLAN; the unencapsulated modes (`NONE`, cross-subnet)
   * also need the cluster's `podCidrsAllowedOnPorts`.
   * @default CalicoEncapsulation.IP_IN_IP (the blog post's)
   */
  readonly encapsulation?: CalicoEncapsulation;

  /**
   * MTU of the pods' interfaces and Calico's tunnels. At most the network's MTU less the
   * encapsulation's overhead (IP-in-IP 20 bytes, VXLAN 50; Calico docs, "Configure MTU to maximize
   * network performance").
   * @default - the network's MTU less the overhead when the cluster's network sets `mtu`;
   * otherwise Calico detects it from the nodes' interfaces
   */
  readonly mtu?: number;

  /**
   * The registry Calico's images are pulled from, for air-gapped sites: it replaces `docker.io`
   * in `docker.io/calico/<image>:<version>` (e.g. `registry.example.com/mirror` gives
   * `registry.example.com/mirror/calico/node:v3.30.2`). Mirror the images there beforehand.
   * @default - Calico's (docker.io)
   */
  readonly imageRegistry?: string;

  /**
   * Prefix length of the address blocks Calico gives each node from the pod CIDR (IP pool
   * `blockSize`, 20 to 32 for IPv4, Calico docs "IP pool"); no longer than the pod CIDR's.
   * @default 26 (Calico's)
   */
  readonly blockSize?: number;
}
