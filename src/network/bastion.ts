import { Flavor } from '../flavor';
import { MachineImage } from '../machine-image';

/**
 * An SSH bastion host CAPO runs beside the cluster (CAPO `bastion`). CAPO creates its security
 * group and lets it reach port 22 of every node.
 *
 * CAPO refuses to remove a running bastion: set `enabled: false`, wait until the bastion is gone
 * (`kubectl get openstackcluster`), then remove the option. Changing its spec re-creates it.
 */
export interface BastionOptions {
  /**
   * Whether the bastion runs (CAPO `bastion.enabled`).
   * @default true
   */
  readonly enabled?: boolean;

  /** Flavor of the bastion server (CAPO `bastion.spec.flavor`). */
  readonly flavor: Flavor;

  /**
   * Image of the bastion server (CAPO `bastion.spec.image`).
   * @default - the cluster's image
   */
  readonly image?: MachineImage;

  /**
   * Nova key pair installed on the bastion (CAPO `bastion.spec.sshKeyName`).
   * @default - the cluster's sshKeyName
   */
  readonly sshKeyName?: string;

  /**
   * An existing floating IP for the bastion (CAPO `bastion.floatingIP`), not associated with any
   * port. CAPO creates it when it does not exist, which only cloud administrators may do.
   * @default - CAPO allocates one from the external network (none without an external network)
   */
  readonly floatingIp?: string;

  /**
   * Availability zone of the bastion server (CAPO `bastion.availabilityZone`).
   * @default - Nova's choice
   */
  readonly availabilityZone?: string;
}

/** Every prop of {@link BastionOptions}. */
export const BASTION_OPTION_NAMES = ['enabled', 'flavor', 'image', 'sshKeyName', 'floatingIp', 'availabilityZone'];
