export * from './class-variable';
export { ClassPatchTarget } from './class-patch';
export type { ClusterClassPatchOptions } from './class-patch';
export * from './openstack-cluster-class';
export * from './topology-cluster';
