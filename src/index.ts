// The typed constructs: the front door.
export * from './openstack-capi-cluster';
export * from './node-pool';
export * from './health-check';
export * from './rollout-options';
export * from './machine-drain-rule';
export * from './cloud-credentials';
export * from './flavor';
export * from './machine-image';
export * from './node-taint';
export * from './security-group-rule';
export * from './gitops-app';
export * from './manifest-validator';
export * from './cluster-contract';
export * from './addons';
export * from './validation';
export { CLUSTER_NAME_LABEL } from './naming';

// The raw classes generated from the pinned upstream CRDs, for escape hatches.
export * as capi from './capi';
export * as capiV1beta2 from './imports/v1beta2';
export * as capo from './imports/infrastructure.cluster.x-k8s.io';
