import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CapiRenderer } from './capi-renderer';
import {
  BootstrapTemplateModel, ClusterModel, ClusterResourceSetModel, ComponentArgs, ControlPlaneModel, MachineDeploymentModel,
  NodeRegistrationModel,
} from './models';

const CLUSTER = 'cluster.x-k8s.io/v1beta2';
const CONTROL_PLANE = 'controlplane.cluster.x-k8s.io/v1beta2';
const BOOTSTRAP = 'bootstrap.cluster.x-k8s.io/v1beta2';
const ADDONS = 'addons.cluster.x-k8s.io/v1beta2';

/**
 * Cluster API `v1beta2`, the storage version of CAPI v1.11 and later (the migration guide
 * `v1.10-to-v1.11.md`): refs are `{apiGroup, kind, name}`, kubeadm arguments are lists of
 * `{name, value}`, the KubeadmControlPlane's infrastructure ref moves under
 * `machineTemplate.spec`, and empty lists are left out (the API refuses `files: []`). Shapes as
 * in CAPO v0.14.7's `templates/cluster-template.yaml`.
 */
export class V1beta2Renderer extends CapiRenderer {
  public readonly apiVersion = 'v1beta2';

  public cluster(scope: Construct, id: string, model: ClusterModel): ApiObject {
    return new ApiObject(scope, id, {
      apiVersion: CLUSTER,
      kind: 'Cluster',
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
    return new ApiObject(scope, id, {
      apiVersion: CONTROL_PLANE,
      kind: 'KubeadmControlPlane',
      metadata: model.metadata,
      spec: {
        kubeadmConfigSpec: {
          clusterConfiguration: { controllerManager: { extraArgs: argList(model.controllerManagerExtraArgs) } },
          initConfiguration: { nodeRegistration: nodeRegistration(model.nodeRegistration) },
          joinConfiguration: { nodeRegistration: nodeRegistration(model.nodeRegistration) },
        },
        machineTemplate: { spec: { infrastructureRef: reference(model.machineTemplate) } },
        replicas: model.replicas,
        version: model.version,
      },
    });
  }

  public kubeadmConfigTemplate(scope: Construct, id: string, model: BootstrapTemplateModel): ApiObject {
    return new ApiObject(scope, id, {
      apiVersion: BOOTSTRAP,
      kind: 'KubeadmConfigTemplate',
      metadata: model.metadata,
      spec: { template: { spec: { joinConfiguration: { nodeRegistration: nodeRegistration(model.nodeRegistration) } } } },
    });
  }

  public machineDeployment(scope: Construct, id: string, model: MachineDeploymentModel): ApiObject {
    return new ApiObject(scope, id, {
      apiVersion: CLUSTER,
      kind: 'MachineDeployment',
      metadata: model.metadata,
      spec: {
        clusterName: model.clusterName,
        replicas: model.replicas,
        selector: { matchLabels: {} },
        template: {
          spec: {
            bootstrap: { configRef: reference(model.bootstrapTemplate) },
            clusterName: model.clusterName,
            failureDomain: model.failureDomain,
            infrastructureRef: reference(model.machineTemplate),
            version: model.version,
          },
        },
      },
    });
  }

  public clusterResourceSet(scope: Construct, id: string, model: ClusterResourceSetModel): ApiObject {
    return new ApiObject(scope, id, {
      apiVersion: ADDONS,
      kind: 'ClusterResourceSet',
      metadata: model.metadata,
      spec: {
        clusterSelector: { matchLabels: { ...model.clusterSelector } },
        // Read at synth time: resources added later are written too.
        resources: Lazy.any({ produce: () => model.resources.map(r => ({ kind: r.kind, name: r.name })) }),
        strategy: model.strategy,
      },
    });
  }

  /** The v1beta1 form of what this renderer writes: argument lists as maps, `files: []` back. */
  public hashForm(spec: unknown): unknown {
    return toV1beta1Form(spec, '');
  }
}

/** A v1beta2 contract reference: the API group, not the version (`v1.10-to-v1.11.md`). */
function reference(target: ApiObject) {
  return {
    apiGroup: target.apiVersion.split('/')[0],
    kind: target.kind,
    name: Lazy.any({ produce: () => target.name }),
  };
}

/** `{a: "1"}` → `[{name: "a", value: "1"}]`, in the order given; undefined when empty. */
function argList(args: ComponentArgs): Array<{ name: string; value: string }> | undefined {
  const list = Object.entries(args).map(([name, value]) => ({ name, value }));
  return list.length > 0 ? list : undefined;
}

function nodeRegistration(model: NodeRegistrationModel) {
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
