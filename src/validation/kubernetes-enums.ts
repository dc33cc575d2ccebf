import { StructuralSchema } from './structural-schema';

/*
 * The values of enumerated fields of built-in kinds. The Kubernetes schemas in imports/kubernetes/
 * (from @kubernetes/client-node's models) type them as plain strings; the API server refuses other
 * values (k8s.io/kubernetes pkg/apis/core/validation, apps, batch). Each list holds the constants
 * of an `+enum` type of k8s.io/api v0.32.0 (core/v1, apps/v1, batch/v1 types.go). `''` is listed
 * where the field is a plain string that defaulting fills in (SetDefaults_*), so the API server
 * takes it; not where the field is a pointer or required.
 */

// core/v1
const PULL_POLICY = ['Always', 'Never', 'IfNotPresent', ''];
const TERMINATION_MESSAGE_POLICY = ['File', 'FallbackToLogsOnError', ''];
const PROTOCOL = ['TCP', 'UDP', 'SCTP', ''];
const PROFILE_TYPE = ['Unconfined', 'RuntimeDefault', 'Localhost'];
const NODE_INCLUSION_POLICY = ['Ignore', 'Honor'];
// apps/v1
const UPDATE_STRATEGY_TYPE = ['RollingUpdate', 'OnDelete', ''];

/** Definition (client-node model name) → field → allowed values (of its items, for a list). */
const ENUMS: Record<string, Record<string, string[]>> = {
  V1Container: { imagePullPolicy: PULL_POLICY, terminationMessagePolicy: TERMINATION_MESSAGE_POLICY },
  V1EphemeralContainer: { imagePullPolicy: PULL_POLICY, terminationMessagePolicy: TERMINATION_MESSAGE_POLICY },
  V1PodSpec: {
    restartPolicy: ['Always', 'OnFailure', 'Never', ''],
    dnsPolicy: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None', ''],
    preemptionPolicy: ['PreemptLowerPriority', 'Never'],
  },
  V1ContainerPort: { protocol: PROTOCOL },
  V1ServicePort: { protocol: PROTOCOL },
  V1HTTPGetAction: { scheme: ['HTTP', 'HTTPS', ''] },
  V1VolumeMount: { mountPropagation: ['None', 'HostToContainer', 'Bidirectional'] },
  V1HostPathVolumeSource: { type: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] },
  V1NodeSelectorRequirement: { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
  // An empty operator means Equal, an empty effect every effect (validateTolerations).
  V1Toleration: { operator: ['Exists', 'Equal', ''], effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute', ''] },
  V1TopologySpreadConstraint: {
    whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'],
    nodeAffinityPolicy: NODE_INCLUSION_POLICY,
    nodeTaintsPolicy: NODE_INCLUSION_POLICY,
  },
  V1PodSecurityContext: { fsGroupChangePolicy: ['OnRootMismatch', 'Always'], supplementalGroupsPolicy: ['Merge', 'Strict'] },
  V1SecurityContext: { procMount: ['Default', 'Unmasked'] },
  V1SeccompProfile: { type: PROFILE_TYPE },
  V1AppArmorProfile: { type: PROFILE_TYPE },
  V1ServiceSpec: {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', ''],
    sessionAffinity: ['ClientIP', 'None', ''],
    externalTrafficPolicy: ['Cluster', 'Local', ''],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilies: ['IPv4', 'IPv6'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  },
  V1PersistentVolumeClaimSpec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'], volumeMode: ['Block', 'Filesystem'] },
  // apps/v1
  V1DeploymentStrategy: { type: ['Recreate', 'RollingUpdate', ''] },
  V1DaemonSetUpdateStrategy: { type: UPDATE_STRATEGY_TYPE },
  V1StatefulSetUpdateStrategy: { type: UPDATE_STRATEGY_TYPE },
  V1StatefulSetSpec: { podManagementPolicy: ['OrderedReady', 'Parallel', ''] },
  // batch/v1
  V1JobSpec: { completionMode: ['NonIndexed', 'Indexed'], podReplacementPolicy: ['TerminatingOrFailed', 'Failed'] },
  V1PodFailurePolicyRule: { action: ['FailJob', 'FailIndex', 'Ignore', 'Count'] },
  V1PodFailurePolicyOnExitCodesRequirement: { operator: ['In', 'NotIn'] },
  V1CronJobSpec: { concurrencyPolicy: ['Allow', 'Forbid', 'Replace', ''] },
};

/**
 * The definitions with the enums above set on their fields (on the items of list fields).
 * @throws if a field is missing: the table no longer matches the schemas
 */
export function withKubernetesEnums(definitions: Record<string, StructuralSchema>): Record<string, StructuralSchema> {
  const result = { ...definitions };
  for (const [name, fields] of Object.entries(ENUMS)) {
    const properties = { ...result[name]?.properties };
    for (const [field, values] of Object.entries(fields)) {
      const schema = properties[field];
      if (!schema) throw new Error(`the Kubernetes schemas have no field ${name}.${field}`);
      properties[field] = schema.type === 'array' ? { ...schema, items: { ...schema.items, enum: values } } : { ...schema, enum: values };
    }
    result[name] = { ...result[name], properties };
  }
  return result;
}
