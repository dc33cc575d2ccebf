/**
 * The health monitor of the API server load balancer's pool (CAPO
 * `apiServerLoadBalancer.monitor`, CAPO v0.14): how Octavia decides that a control plane machine
 * is down. Each value CAPO reads as 0 takes CAPO's default instead.
 */
export interface ApiServerHealthMonitor {
  /**
   * Seconds between two probes of a member.
   * @default 10 (CAPO's default)
   */
  readonly delaySeconds?: number;
  /**
   * Seconds a probe waits for a connection.
   * @default 5 (CAPO's default)
   */
  readonly timeoutSeconds?: number;
  /**
   * Successful probes before a member is ONLINE again (1-10).
   * @default 5 (CAPO's default)
   */
  readonly maxRetries?: number;
  /**
   * Failed probes before a member is in ERROR and gets no traffic (1-10).
   * @default 3 (CAPO's default)
   */
  readonly maxRetriesDown?: number;
}

/**
 * How the cluster's Kubernetes API is exposed, besides whether it sits behind a load balancer
 * (`apiServerLoadBalancer`): who may reach it, on which addresses and port, and the load
 * balancer's Octavia settings.
 */
export interface ApiServerOptions {
  /**
   * Addresses or CIDRs (IPv4) the management cluster reaches the API server from: its egress
   * address (the floating IP or router gateway its traffic leaves from), or its nodes' subnet when
   * it sits on the cluster's network. CAPO must reach the API server to create the cluster, so
   * they are always allowed: required with `allowedCidrs`, and written first into CAPO
   * `apiServerLoadBalancer.allowedCIDRs`. Given alone, they restrict the API server to the
   * management cluster and the cluster's own addresses.
   * @default - none
   */
  readonly managementClusterCidrs?: string[];

  /**
   * Addresses or CIDRs (IPv4) that may reach the API server, besides the management cluster (CAPO
   * `apiServerLoadBalancer.allowedCIDRs`): e.g. your office, VPN and CI runners. CAPO adds the
   * cluster's own addresses itself: the node subnets, the external addresses of the cluster's
   * router, and the bastion's addresses. Needs Octavia's amphora provider (API v2.12 or later):
   * other providers ignore the list, leaving the API server open.
   * @default - anyone may reach the API server
   */
  readonly allowedCidrs?: string[];

  /**
   * Octavia provider of the load balancer, e.g. `amphora` or `ovn` (CAPO
   * `apiServerLoadBalancer.provider`). A name Octavia does not know makes CAPO fall back to the
   * default provider with only a warning event.
   * @default - Octavia's default provider
   */
  readonly loadBalancerProvider?: string;

  /**
   * Octavia flavor of the load balancer, by name (CAPO `apiServerLoadBalancer.flavor`).
   * @default - Octavia's default flavor
   */
  readonly loadBalancerFlavor?: string;

  /**
   * Octavia availability zone of the load balancer (CAPO `apiServerLoadBalancer.availabilityZone`).
   * @default - Octavia's choice
   */
  readonly loadBalancerAvailabilityZone?: string;

  /**
   * Health monitor of the load balancer's pool (CAPO `apiServerLoadBalancer.monitor`, CAPO v0.14).
   * @default - CAPO's defaults: a probe every 10 s, 5 s timeout, 5 retries up, 3 down
   */
  readonly healthMonitor?: ApiServerHealthMonitor;

  /**
   * Fixed IPv4 address of the API server on the node subnet (CAPO `apiServerFixedIP`): the load
   * balancer's VIP; without a load balancer and without a floating IP, the address you keep on
   * the control plane machines yourself (kube-vip, keepalived).
   * @default - Neutron picks the VIP
   */
  readonly fixedIp?: string;

  /**
   * A floating IP you allocated in advance for the API server (CAPO `apiServerFloatingIP`), so
   * the endpoint survives re-creating the cluster and DNS can point at it. CAPO creates it when it
   * does not exist, which only cloud administrators may do.
   * @default - CAPO allocates one from the external network
   */
  readonly floatingIp?: string;

  /**
   * Give the API server no floating IP (CAPO `disableAPIServerFloatingIP`): the endpoint is the
   * load balancer's VIP on the node network, which the management cluster must reach directly.
   * @default false
   */
  readonly disableFloatingIp?: boolean;

  /**
   * Port of the API server endpoint (CAPO `apiServerPort`). CAPO uses it for the load balancer's
   * listener and for its members, so each kube-apiserver listens on it too (kubeadm
   * `localAPIEndpoint.bindPort`, written by the cluster when it is not 6443).
   * @default 6443
   */
  readonly port?: number;
}

/** Every prop of {@link ApiServerOptions}. */
export const API_SERVER_OPTION_NAMES = [
  'managementClusterCidrs', 'allowedCidrs', 'loadBalancerProvider', 'loadBalancerFlavor', 'loadBalancerAvailabilityZone',
  'healthMonitor', 'fixedIp', 'floatingIp', 'disableFloatingIp', 'port',
];

/** Every prop of {@link ApiServerHealthMonitor}. */
export const HEALTH_MONITOR_NAMES = ['delaySeconds', 'timeoutSeconds', 'maxRetries', 'maxRetriesDown'];
