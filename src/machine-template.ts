import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { typedObject } from './capi-api/typed-object';
import { ICapiCluster } from './cluster-contract';
import { Flavor } from './flavor';
import * as capo from './imports/infrastructure.cluster.x-k8s.io';
import { InputErrors } from './input-errors';
import { checkMachineOptions, machineSpecFields, MachinePropNames, POOL_MACHINE_PROPS } from './machine/machine-rules';
import { MachineImage } from './machine-image';
import { MachineOptions } from './machine-options';
import { nameTemplate, templateMetadata } from './template-names';

/** What the servers of the control plane or of a pool are. */
export interface MachineTemplateOptions {
  readonly flavor: Flavor;
  readonly image: MachineImage;
  readonly sshKeyName?: string;
  /** Root volume, block devices, server group, metadata, ports, security groups. */
  readonly machine?: MachineOptions;
  /**
   * The names of the construct's props holding `machine` and `flavor`, for error messages.
   * @default - a pool's: `machine` and `flavor`
   */
  readonly propNames?: MachinePropNames;
}

/**
 * The OpenStackMachineTemplate of the control plane or of a pool: CAPO
 * `infrastructure.cluster.x-k8s.io/v1beta1` with every pinned pair, named after its spec.
 * Refuses machine options that cannot work (the construct should have checked them with its
 * other props already, through `checkMachineOptions`).
 */
export function openStackMachineTemplate(scope: Construct, id: string, cluster: ICapiCluster, baseName: string,
  options: MachineTemplateOptions): ApiObject {
  const errors = new InputErrors(scope);
  checkMachineOptions(errors, options.propNames ?? POOL_MACHINE_PROPS, options.machine, options.flavor);
  errors.throwIfAny();
  const template = typedObject<capo.OpenStackMachineTemplateProps>(scope, id, capo.OpenStackMachineTemplate.GVK, {
    metadata: templateMetadata(cluster, baseName),
    spec: {
      template: {
        spec: {
          flavor: options.flavor.name,
          image: options.image._toSpec(),
          sshKeyName: options.sshKeyName,
          // Written as CAPO names its fields (the generated types' names may differ).
          ...withPodAddressPairs(cluster, machineSpecFields(options.machine)) as {},
        },
      },
    },
  });
  return nameTemplate(cluster, template, baseName);
}

/**
 * With `podCidrsAllowedOnPorts`, the port on the cluster's network (the one without a `network`)
 * lets the pod CIDRs out: CAPO's default port when no ports are given.
 */
function withPodAddressPairs(cluster: ICapiCluster, fields: { [field: string]: any }): { [field: string]: unknown } {
  if (!cluster.podCidrsAllowedOnPorts) return fields;
  const allowedAddressPairs = cluster.podCidrs.map(cidr => ({ ipAddress: cidr }));
  const ports: any[] = fields.ports ?? [{}];
  return { ...fields, ports: ports.map(port => (port.network === undefined ? { ...port, allowedAddressPairs } : port)) };
}
