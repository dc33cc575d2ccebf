import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CapiRenderer } from './capi-renderer';
import {
  BootstrapTemplateModel, ClusterModel, ClusterResourceSetModel, ComponentArgs, ControlPlaneModel, MachineDeploymentModel,
  MachineHealthCheckModel, NodeRegistrationModel,
} from './models';
import { bindPort, extraVolumes, nodeConfigFields, orUndefined } from './node-config-fields';
import { intOrString, typedObject } from './typed-object';
import * as v1beta2 from '../imports/v1beta2';

/**
 * Cluster API `v1beta2`, the storage version of CAPI v1.11 and later (the migration guide
 * `v1.10-to-v1.11.md`): refs are `{apiGroup, kind, name}`, kubeadm arguments are lists of
 * `{name, value}`, the KubeadmControlPlane's infrastructure ref moves under
 * `machineTemplate.spec`, and empty lists are left out (the API refuses `files: []`). Shapes as
 * in CAPO v0.14.7's `templates/cluster-template.yaml`. Typed by the classes generated from
 * CAPI v1.14.0's v1beta2 (`src/imports/v1beta2/`), written as plain objects (`typed-object.ts`).
 */
export class V1beta2Renderer extends CapiRenderer {
  public readonly apiVersion = 'v1beta2';

  public cluster(scope: Construct, id: string, model: ClusterModel): ApiObject {
    return typedObject<v1beta2.ClusterProps>(scope, id, v1beta2.Cluster.GVK, {
      metadata: model.metadata,
      spec: {
        clusterNetwork: {
          pods: { cidrBlocks: [...model.podCidrs] },
          services: model.serviceCidrs ? { cidrBlocks: [...model.serviceCidrs] } : undefined,
          serviceDomain: model.serviceDomain,
        },
        controlPlaneRef: reference(model.controlPlane),
        infrastructureRef: reference(model.infrastructure),
      },
    });
  }

  public kubeadmControlPlane(scope: Construct, id: string, model: ControlPlaneModel): ApiObject {
    return typedObject<v1beta2.KubeadmControlPlaneProps>(scope, id, v1beta2.KubeadmControlPlane.GVK, {
      metadata: model.metadata,
      spec: {
        kubeadmConfigSpec: {
          ...nodeConfigFields(model.nodeConfig),
          clusterConfiguration: {
            apiServer: orUndefined({ extraArgs: argList(model.apiServerExtraArgs ?? {}), extraVolumes: extraVolumes(model.apiServerExtraVolumes) }),
            controllerManager: { extraArgs: argList(model.controllerManagerExtraArgs) },
            scheduler: orUndefined({ extraArgs: argList(model.schedulerExtraArgs ?? {}) }),
            etcd: orUndefined({ extraArgs: argList(model.etcdExtraArgs ?? {}), dataDir: model.etcdDataDir }) && {
              local: { extraArgs: argList(model.etcdExtraArgs ?? {}), dataDir: model.etcdDataDir },
            },
          },
          initConfiguration: { nodeRegistration: nodeRegistration(model.nodeRegistration), ...bindPort(model.apiServerBindPort).init },
          joinConfiguration: { nodeRegistration: nodeRegistration(model.nodeRegistration), ...bindPort(model.apiServerBindPort).join },
        },
        machineTemplate: { spec: { infrastructureRef: reference(model.machineTemplate), deletion: model.deletion && { ...model.deletion } } },
        replicas: model.replicas,
        version: model.version,
        rollout: model.rollout && {
          strategy: model.rollout.maxSurge === undefined ? undefined
            : {
              type: v1beta2.KubeadmControlPlaneSpecRolloutStrategyType.ROLLING_UPDATE,
              rollingUpdate: { maxSurge: intOrString(model.rollout.maxSurge) },
            },
          before: model.rollout.certificatesExpiryDays === undefined ? undefined
            : { certificatesExpiryDays: model.rollout.certificatesExpiryDays },
        },
        remediation: model.remediation && { ...model.remediation },
      },
    });
  }

  public kubeadmConfigTemplate(scope: Construct, id: string, model: BootstrapTemplateModel): ApiObject {
    return typedObject<v1beta2.KubeadmConfigTemplateProps>(scope, id, v1beta2.KubeadmConfigTemplate.GVK, {
      metadata: model.metadata,
      spec: {
        template: {
          spec: { ...nodeConfigFields(model.nodeConfig), joinConfiguration: { nodeRegistration: nodeRegistration(model.nodeRegistration) } },
        },
      },
    });
  }

  public machineDeployment(scope: Construct, id: string, model: MachineDeploymentModel): ApiObject {
    return typedObject<v1beta2.MachineDeploymentProps>(scope, id, v1beta2.MachineDeployment.GVK, {
      metadata: model.metadata,
      spec: {
        clusterName: model.clusterName,
        replicas: model.replicas,
        selector: { matchLabels: {} },
        rollout: model.rollout && {
          strategy: {
            type: model.rollout.strategy as v1beta2.MachineDeploymentSpecRolloutStrategyType,
            rollingUpdate: model.rollout.maxSurge === undefined && model.rollout.maxUnavailable === undefined ? undefined
              : { maxSurge: intOrString(model.rollout.maxSurge), maxUnavailable: intOrString(model.rollout.maxUnavailable) },
          },
        },
        deletion: model.rollout?.deletionOrder === undefined ? undefined
          : { order: model.rollout.deletionOrder as v1beta2.MachineDeploymentSpecDeletionOrder },
        template: {
          spec: {
            bootstrap: { configRef: reference(model.bootstrapTemplate) },
            clusterName: model.clusterName,
            failureDomain: model.failureDomain,
            infrastructureRef: reference(model.machineTemplate),
            version: model.version,
            minReadySeconds: model.rollout?.minReadySeconds,
            deletion: model.deletion && { ...model.deletion },
          },
        },
      },
    });
  }

  public clusterResourceSet(scope: Construct, id: string, model: ClusterResourceSetModel): ApiObject {
    return typedObject<v1beta2.ClusterResourceSetProps>(scope, id, v1beta2.ClusterResourceSet.GVK, {
      metadata: model.metadata,
      spec: {
        clusterSelector: { matchLabels: { ...model.clusterSelector } },
        // The same array, read at synth time: resources added later are written too.
        resources: model.resources as v1beta2.ClusterResourceSetSpecResources[],
        strategy: model.strategy as v1beta2.ClusterResourceSetSpecStrategy,
      },
    });
  }

  public machineHealthCheck(scope: Construct, id: string, model: MachineHealthCheckModel): ApiObject {
    return typedObject<v1beta2.MachineHealthCheckProps>(scope, id, v1beta2.MachineHealthCheck.GVK, {
      metadata: model.metadata,
      spec: {
        clusterName: model.clusterName,
        selector: { matchLabels: { ...model.selector } },
        checks: {
          nodeStartupTimeoutSeconds: model.nodeStartupTimeoutSeconds,
          unhealthyNodeConditions: model.unhealthyNodeConditions.map(c => ({ type: c.type, status: c.status, timeoutSeconds: c.timeoutSeconds })),
        },
        remediation: {
          triggerIf: {
            unhealthyLessThanOrEqualTo: intOrString(model.maxUnhealthy),
            unhealthyInRange: model.unhealthyRange,
          },
        },
      },
    });
  }

  /** The v1beta1 form of what this renderer writes: argument lists as maps, `files: []` back. */
  public hashForm(spec: unknown): unknown {
    return toV1beta1Form(spec, '');
  }
}

/**
 * A v1beta2 contract reference: the API group, not the version (`v1.10-to-v1.11.md`). The name is
 * read when the app synthesizes: a template's name follows its spec as finally rendered.
 */
function reference(target: ApiObject): v1beta2.ClusterSpecControlPlaneRef {
  return {
    apiGroup: target.apiVersion.split('/')[0],
    kind: target.kind,
    name: Lazy.any({ produce: () => target.name }) as string,
  };
}

/** `{a: "1"}` → `[{name: "a", value: "1"}]`, in the order given; undefined when empty. */
function argList(args: ComponentArgs): Array<{ name: string; value: string }> | undefined {
  const list = Object.entries(args).map(([name, value]) => ({ name, value }));
  return list.length > 0 ? list : undefined;
}

/**
 * The fields written of a kubeadm `nodeRegistration`: the same shape in the KubeadmControlPlane's
 * init and join configurations and in the KubeadmConfigTemplate's (each has its own generated type).
 */
type NodeRegistration = Pick<v1beta2.KubeadmConfigTemplateSpecTemplateSpecJoinConfigurationNodeRegistration, 'kubeletExtraArgs' | 'name' | 'taints'>;

function nodeRegistration(model: NodeRegistrationModel): NodeRegistration {
  return {
    kubeletExtraArgs: argList(model.kubeletExtraArgs),
    name: model.name,
    taints: model.taints?.length ? model.taints.map(t => ({ key: t.key, value: t.value, effect: t.effect })) : undefined,
  };
}

const ARG_LISTS = new Set(['extraArgs', 'kubeletExtraArgs']);
const KUBEADM_CONFIG_SPECS = new Set(['kubeadmConfigSpec']);

function toV1beta1Form(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    const isArgList = ARG_LISTS.has(key) && value.every(v => v && typeof v === 'object' && Object.keys(v).sort().join() === 'name,value');
    return isArgList ? Object.fromEntries(value.map(v => [v.name, v.value])) : value.map(v => toV1beta1Form(v, ''));
  }
  if (!value || typeof value !== 'object') return value;
  const converted: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(value)) converted[k] = toV1beta1Form(v, k);
  // A KubeadmConfigTemplate's `template.spec` or a KubeadmControlPlane's `kubeadmConfigSpec`.
  const isKubeadmConfigSpec = KUBEADM_CONFIG_SPECS.has(key) || (key === 'spec' && 'joinConfiguration' in converted);
  if (isKubeadmConfigSpec && !('files' in converted)) converted.files = [];
  return converted;
}
