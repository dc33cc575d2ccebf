import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BootstrapTemplateModel, ClusterModel, ClusterResourceSetModel, ControlPlaneModel, MachineDeploymentModel, MachineDrainRuleModel,
  MachineHealthCheckModel,
} from './models';

/**
 * Turns the version-neutral models into the Cluster API objects of one API version. The
 * constructs never know which version they emit: adding an API version (or a ClusterClass
 * topology) means adding a renderer, not editing every construct.
 *
 * The OpenStack provider's objects are not rendered here: CAPO v0.12 and v0.14 both serve
 * `infrastructure.cluster.x-k8s.io/v1beta1` (see `capo-objects.ts`).
 */
export abstract class CapiRenderer {
  /** The API version of every Cluster API group this renderer writes, e.g. `v1beta2`. */
  public abstract readonly apiVersion: string;

  public abstract cluster(scope: Construct, id: string, model: ClusterModel): ApiObject;
  public abstract kubeadmControlPlane(scope: Construct, id: string, model: ControlPlaneModel): ApiObject;
  public abstract kubeadmConfigTemplate(scope: Construct, id: string, model: BootstrapTemplateModel): ApiObject;
  public abstract machineDeployment(scope: Construct, id: string, model: MachineDeploymentModel): ApiObject;
  public abstract clusterResourceSet(scope: Construct, id: string, model: ClusterResourceSetModel): ApiObject;
  public abstract machineHealthCheck(scope: Construct, id: string, model: MachineHealthCheckModel): ApiObject;

  /** A MachineDrainRule: the same fields in v1beta1 and v1beta2. */
  public machineDrainRule(scope: Construct, id: string, model: MachineDrainRuleModel): ApiObject {
    const matchLabels = (labels?: { [key: string]: string }) => (labels ? { matchLabels: { ...labels } } : undefined);
    return new ApiObject(scope, id, {
      apiVersion: `cluster.x-k8s.io/${this.apiVersion}`,
      kind: 'MachineDrainRule',
      metadata: model.metadata,
      spec: {
        drain: { behavior: model.behavior, order: model.order },
        machines: model.machines.map(m => ({ selector: matchLabels(m.selector), clusterSelector: matchLabels(m.clusterSelector) })),
        pods: model.pods?.map(p => ({ selector: matchLabels(p.selector), namespaceSelector: matchLabels(p.namespaceSelector) })),
      },
    });
  }

  /**
   * The form of a rendered template spec that its name's hash is taken of: the same for every
   * API version, so that a change of API version alone renames no template and rolls no machine.
   */
  public hashForm(spec: unknown): unknown {
    return spec;
  }
}
