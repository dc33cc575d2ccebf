export * from './cluster-resource-set-addon';
export * from './calico-bootstrap-job';
export * from './openstack-cloud-controller-manager';
export * from './autoscaler-addon';
export * from './workload-addon';
