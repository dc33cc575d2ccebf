import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as capi from '../capi';
import { objectReference } from '../naming';
import { CapiRenderer } from './capi-renderer';
import {
  BootstrapTemplateModel, ClusterModel, ClusterResourceSetModel, ComponentArgs, ControlPlaneModel, DeletionModel, MachineDeploymentModel,
  MachineHealthCheckModel, NodeConfigModel,
  NodeRegistrationModel,
} from './models';
import { bindPort, extraVolumes, nodeConfigFields, orUndefined } from './node-config-fields';
import { intOrString, typedObject } from './typed-object';

/**
 * Cluster API `v1beta1`, served by CAPI v1.10 (and, deprecated, up to v1.15): refs carry the
 * `apiVersion`, kubeadm arguments are maps. Typed by the classes generated from CAPI v1.10.5, written as plain objects
 * (`typed-object.ts`).
 */
export class V1beta1Renderer extends CapiRenderer {
  public readonly apiVersion = 'v1beta1';

  public cluster(scope: Construct, id: string, model: ClusterModel): ApiObject {
    return typedObject<capi.ClusterProps>(scope, id, capi.Cluster.GVK, {
      metadata: model.metadata,
      spec: {
        clusterNetwork: {
          pods: { cidrBlocks: [...model.podCidrs] },
          services: model.serviceCidrs ? { cidrBlocks: [...model.serviceCidrs] } : undefined,
          serviceDomain: model.serviceDomain,
        },
        controlPlaneRef: objectReference(model.controlPlane),
        infrastructureRef: objectReference(model.infrastructure),
      },
    });
  }

  public kubeadmControlPlane(scope: Construct, id: string, model: ControlPlaneModel): ApiObject {
    return typedObject<capi.KubeadmControlPlaneProps>(scope, id, capi.KubeadmControlPlane.GVK, {
      metadata: model.metadata,
      spec: {
        kubeadmConfigSpec: {
          ...nodeConfig(model.nodeConfig),
          clusterConfiguration: {
            apiServer: orUndefined({ extraArgs: argMap(model.apiServerExtraArgs), extraVolumes: extraVolumes(model.apiServerExtraVolumes) }),
            controllerManager: { extraArgs: { ...model.controllerManagerExtraArgs } },
            scheduler: orUndefined({ extraArgs: argMap(model.schedulerExtraArgs) }),
            etcd: orUndefined({ extraArgs: argMap(model.etcdExtraArgs), dataDir: model.etcdDataDir }) && {
              local: { extraArgs: argMap(model.etcdExtraArgs), dataDir: model.etcdDataDir },
            },
          },
          initConfiguration: { nodeRegistration: nodeRegistration(model.nodeRegistration), ...bindPort(model.apiServerBindPort).init },
          joinConfiguration: { nodeRegistration: nodeRegistration(model.nodeRegistration), ...bindPort(model.apiServerBindPort).join },
        },
        machineTemplate: { infrastructureRef: objectReference(model.machineTemplate), ...deletionDurations(model.deletion) },
        replicas: model.replicas,
        version: model.version,
        rolloutStrategy: model.rollout?.maxSurge === undefined ? undefined
          : {
            type: capi.KubeadmControlPlaneSpecRolloutStrategyType.ROLLING_UPDATE,
            rollingUpdate: { maxSurge: intOrString(model.rollout.maxSurge) },
          },
        rolloutBefore: model.rollout?.certificatesExpiryDays === undefined ? undefined
          : { certificatesExpiryDays: model.rollout.certificatesExpiryDays },
        remediationStrategy: model.remediation && {
          maxRetry: model.remediation.maxRetry,
          retryPeriod: duration(model.remediation.retryPeriodSeconds),
          minHealthyPeriod: duration(model.remediation.minHealthyPeriodSeconds),
        },
      },
    });
  }

  public kubeadmConfigTemplate(scope: Construct, id: string, model: BootstrapTemplateModel): ApiObject {
    return typedObject<capi.KubeadmConfigTemplateProps>(scope, id, capi.KubeadmConfigTemplate.GVK, {
      metadata: model.metadata,
      spec: {
        template: { spec: { ...nodeConfig(model.nodeConfig), joinConfiguration: { nodeRegistration: nodeRegistration(model.nodeRegistration) } } },
      },
    });
  }

  public machineDeployment(scope: Construct, id: string, model: MachineDeploymentModel): ApiObject {
    return typedObject<capi.MachineDeploymentProps>(scope, id, capi.MachineDeployment.GVK, {
      metadata: model.metadata,
      spec: {
        clusterName: model.clusterName,
        replicas: model.replicas,
        selector: { matchLabels: {} },
        minReadySeconds: model.rollout?.minReadySeconds,
        strategy: model.rollout && {
          type: model.rollout.strategy as capi.MachineDeploymentSpecStrategyType,
          rollingUpdate: [model.rollout.maxSurge, model.rollout.maxUnavailable, model.rollout.deletionOrder].every(v => v === undefined)
            ? undefined
            : {
              maxSurge: intOrString(model.rollout.maxSurge),
              maxUnavailable: intOrString(model.rollout.maxUnavailable),
              deletePolicy: model.rollout.deletionOrder as capi.MachineDeploymentSpecStrategyRollingUpdateDeletePolicy,
            },
        },
        template: {
          spec: {
            bootstrap: { configRef: objectReference(model.bootstrapTemplate) },
            clusterName: model.clusterName,
            failureDomain: model.failureDomain,
            infrastructureRef: objectReference(model.machineTemplate),
            version: model.version,
            ...deletionDurations(model.deletion),
          },
        },
      },
    });
  }

  public clusterResourceSet(scope: Construct, id: string, model: ClusterResourceSetModel): ApiObject {
    return typedObject<capi.ClusterResourceSetProps>(scope, id, capi.ClusterResourceSet.GVK, {
      metadata: model.metadata,
      spec: {
        clusterSelector: { matchLabels: { ...model.clusterSelector } },
        // The same array: resources added later are written too.
        resources: model.resources as capi.ClusterResourceSetSpecResources[],
        strategy: model.strategy as capi.ClusterResourceSetSpecStrategy,
      },
    });
  }

  public machineHealthCheck(scope: Construct, id: string, model: MachineHealthCheckModel): ApiObject {
    return typedObject<capi.MachineHealthCheckProps>(scope, id, capi.MachineHealthCheck.GVK, {
      metadata: model.metadata,
      spec: {
        clusterName: model.clusterName,
        selector: { matchLabels: { ...model.selector } },
        nodeStartupTimeout: `${model.nodeStartupTimeoutSeconds}s`,
        unhealthyConditions: model.unhealthyNodeConditions.map(c => ({ type: c.type, status: c.status, timeout: `${c.timeoutSeconds}s` })),
        maxUnhealthy: intOrString(model.maxUnhealthy),
        unhealthyRange: model.unhealthyRange,
      },
    });
  }
}

/** The shared kubeadm fields; v1beta1 has always written `files: []`. */
function nodeConfig(model: NodeConfigModel | undefined) {
  const fields = nodeConfigFields(model);
  return { ...fields, files: fields.files ?? [] };
}

/** A v1beta1 argument map, or undefined when empty. */
function argMap(args: ComponentArgs | undefined): ComponentArgs | undefined {
  return args && Object.keys(args).length > 0 ? { ...args } : undefined;
}

/** Seconds as a v1beta1 duration, `"300s"`. */
function duration(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : `${seconds}s`;
}

/** The deletion timeouts of a v1beta1 machine template (`nodeDrainTimeout`...). */
function deletionDurations(model: DeletionModel | undefined) {
  return {
    nodeDrainTimeout: duration(model?.nodeDrainTimeoutSeconds),
    nodeVolumeDetachTimeout: duration(model?.nodeVolumeDetachTimeoutSeconds),
    nodeDeletionTimeout: duration(model?.nodeDeletionTimeoutSeconds),
  };
}

function nodeRegistration(model: NodeRegistrationModel): any {
  return {
    kubeletExtraArgs: { ...model.kubeletExtraArgs },
    name: model.name,
    taints: model.taints?.length ? model.taints.map(t => ({ key: t.key, value: t.value, effect: t.effect })) : undefined,
  };
}
