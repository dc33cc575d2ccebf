// The generated Cluster API classes (CAPI v1.10.5, served v1beta1), as one namespace.
export * from './imports/cluster.x-k8s.io';
export * from './imports/controlplane.cluster.x-k8s.io';
export * from './imports/bootstrap.cluster.x-k8s.io';
export * from './imports/addons.cluster.x-k8s.io';
