export * from './class-variable';
export * from './openstack-cluster-class';
export * from './topology-cluster';
