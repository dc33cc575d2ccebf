import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { typedObject } from './capi-api/typed-object';
import { ICapiCluster } from './cluster-contract';
import { Flavor } from './flavor';
import * as capo from './imports/infrastructure.cluster.x-k8s.io';
import { MachineImage } from './machine-image';
import { nameTemplate, templateMetadata } from './template-names';

/** What the servers of the control plane or of a pool are. */
export interface MachineTemplateOptions {
  readonly flavor: Flavor;
  readonly image: MachineImage;
  readonly sshKeyName?: string;
}

/**
 * The OpenStackMachineTemplate of the control plane or of a pool: CAPO
 * `infrastructure.cluster.x-k8s.io/v1beta1` with every pinned pair, named after its spec.
 */
export function openStackMachineTemplate(scope: Construct, id: string, cluster: ICapiCluster, baseName: string,
  options: MachineTemplateOptions): ApiObject {
  const template = typedObject<capo.OpenStackMachineTemplateProps>(scope, id, capo.OpenStackMachineTemplate.GVK, {
    metadata: templateMetadata(cluster, baseName),
    spec: {
      template: {
        spec: {
          flavor: options.flavor.name,
          image: options.image._toSpec(),
          sshKeyName: options.sshKeyName,
        },
      },
    },
  });
  return nameTemplate(cluster, template, baseName);
}
