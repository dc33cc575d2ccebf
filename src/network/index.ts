// The network and API exposure of a cluster: the types users pass to OpenStackCapiCluster. The
// function that turns them into the OpenStackCluster spec (openstack-cluster-network.ts) is internal.
export { NetworkReference, SubnetReference, RouterReference } from './references';
export type { NeutronFilter, SubnetFilter } from './references';
export { ClusterNetwork } from './cluster-network';
export type { ManagedNetworkProps, ExistingNetworkProps } from './cluster-network';
export type { ApiServerOptions, ApiServerHealthMonitor } from './api-server';
export type { BastionOptions } from './bastion';
