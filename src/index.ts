// The typed constructs: the front door.
export * from './openstack-capi-cluster';
export * from './node-pool';
export { UnhealthyThreshold } from './health-check';
export type { MachineHealthCheckOptions } from './health-check';
export { DeletionOrder, RolloutStrategyType } from './rollout-options';
export type { ControlPlaneRolloutOptions, NodeDeletionOptions, NodePoolRolloutOptions } from './rollout-options';
export * from './machine-drain-rule';
export * from './machine-options';
export * from './network';
export type { ControlPlaneKubeadmOptions, EtcdDiskOptions, KubeadmFile, NodeBootstrapOptions, NodeUser, OidcOptions } from './kubeadm-options';
export type { SecretKeyReference } from './secret-key-reference';
export type { KubeletOptions, ResourceReservation } from './kubelet-options';
export { AuditPolicy, PodSecurityLevel } from './control-plane-security';
export type { AuditLogOptions, PodSecurityDefaults, SecretsEncryptionOptions } from './control-plane-security';
export type { RegistryMirror } from './registry-mirrors';
export * from './cloud-credentials';
export * from './flavor';
export * from './machine-image';
export * from './node-taint';
export * from './security-group-rule';
export * from './gitops-app';
export * from './gitops-delivery';
export * from './testing';
export * from './fleet';
export * from './cluster-class';
export * from './tenant';
export * from './hosted-control-plane';
export * from './manifest-validator';
export * from './cluster-contract';
export * from './addons';
export * from './validation';
export { CLUSTER_NAME_LABEL } from './naming';

// The raw classes generated from the pinned upstream CRDs, for escape hatches.
export * as capi from './capi';
export * as capiV1beta2 from './imports/v1beta2';
export * as capo from './imports/infrastructure.cluster.x-k8s.io';
