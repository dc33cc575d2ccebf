// Options of the servers of the control plane or of a pool, written into CAPO's
// `OpenStackMachineTemplate.spec.template.spec` (`infrastructure.cluster.x-k8s.io/v1beta1`, the
// same fields with CAPO v0.12.4 and v0.14.7).
import { NetworkReference, SubnetReference } from './network/references';

/**
 * The Cinder availability zone CAPO creates a volume in (CAPO `availabilityZone` of a volume:
 * `{from: Name, name}` or `{from: Machine}`).
 */
export class VolumeAvailabilityZone {
  /** The Cinder availability zone of this name (no spaces). */
  public static fromName(name: string): VolumeAvailabilityZone {
    return new VolumeAvailabilityZone('Name', name);
  }

  /**
   * The machine's failure domain, i.e. the Nova availability zone CAPI placed the machine in:
   * only for clouds whose Cinder zones are named like their Nova zones. A machine without a
   * failure domain gets a volume without a zone.
   */
  public static fromMachine(): VolumeAvailabilityZone {
    return new VolumeAvailabilityZone('Machine', undefined);
  }

  private constructor(
    /** Where the zone comes from: `Name` (CAPO `from: Name`) or `Machine`. */
    public readonly source: string,
    /** The zone's name, with `from` `Name`. */
    public readonly name?: string,
  ) {}

  /** @internal */
  public _toSpec(): any {
    return this.source === 'Name' ? { from: 'Name', name: this.name } : { from: 'Machine' };
  }
}

/**
 * Boot from a Cinder volume that CAPO creates from the image for each machine (named
 * `<machine>-root`, deleted with the server), instead of the flavor's local disk.
 */
export interface RootVolume {
  /**
   * Size of the volume in GiB. It is the node's root file system, so its ephemeral storage (the
   * `ephemeral-disk` capacity announced to the cluster-autoscaler). At least the image's size.
   */
  readonly sizeGiB: number;

  /**
   * Cinder volume type, e.g. `ssd`.
   * @default - the cloud's default volume type
   */
  readonly volumeType?: string;

  /**
   * Cinder availability zone of the volume.
   * @default - none: Cinder's default (CAPO v1beta1 sends no zone)
   */
  readonly availabilityZone?: VolumeAvailabilityZone;
}

/** Options of a block device backed by a Cinder volume. */
export interface VolumeBlockDeviceOptions {
  /**
   * Cinder volume type, e.g. `ssd`.
   * @default - the cloud's default volume type
   */
  readonly volumeType?: string;

  /**
   * Cinder availability zone of the volume.
   * @default - none: Cinder's default (CAPO v1beta1 sends no zone)
   */
  readonly availabilityZone?: VolumeAvailabilityZone;
}

/**
 * An extra disk of each machine (CAPO `additionalBlockDevices`): a Cinder volume, or ephemeral
 * storage on the hypervisor taken from the flavor's ephemeral disk.
 *
 * CAPO asks Nova to tag the device with its `name` (the {@link BlockDevice.tag}). The guest sees
 * the tag in the metadata service and the config drive (`openstack/latest/meta_data.json`,
 * `devices[].tags`, with the device's PCI `address` and, for a volume, its `serial`, the volume
 * id): no `/dev` path is known before the server exists. Mount it from kubeadm by the tag, with an
 * image whose udev rule links `/dev/disk/openstack/by-tag/<tag>` (as the azimuth images do; set
 * `configDrive`), or resolve the tag from the metadata in `bootCommands`.
 */
export class BlockDevice {
  /**
   * A Cinder volume that CAPO creates for each machine, named `<machine>-<name>`, and deletes
   * with the server.
   * @param name name of the device in the machine: a DNS-1123 label of at most 60 characters (a Nova device tag), not `root`
   * @param sizeGiB size in GiB
   */
  public static volume(name: string, sizeGiB: number, options: VolumeBlockDeviceOptions = {}): BlockDevice {
    return new BlockDevice(name, sizeGiB, 'Volume', options);
  }

  /**
   * Ephemeral storage on the hypervisor's local disk, lost with the server. Nova takes it from the
   * flavor's ephemeral disk: the flavor must have one at least as large as all local devices.
   * @param name name of the device in the machine: a DNS-1123 label of at most 60 characters (a Nova device tag), not `root`
   * @param sizeGiB size in GiB
   */
  public static local(name: string, sizeGiB: number): BlockDevice {
    return new BlockDevice(name, sizeGiB, 'Local', undefined);
  }

  /** Name of the device in the machine. */
  public readonly name: string;
  /** Size in GiB. */
  public readonly sizeGiB: number;
  /** `Volume` (Cinder) or `Local` (ephemeral). */
  public readonly storageType: string;
  /**
   * The volume's options, for a volume.
   * @internal
   */
  public readonly _volumeOptions?: VolumeBlockDeviceOptions;

  private constructor(name: string, sizeGiB: number, storageType: string, volumeOptions: VolumeBlockDeviceOptions | undefined) {
    this.name = name;
    this.sizeGiB = sizeGiB;
    this.storageType = storageType;
    this._volumeOptions = volumeOptions;
  }

  /**
   * The Nova device tag CAPO gives the device: its name. The guest reads it from the metadata
   * (`meta_data.json` `devices[].tags`) to find the disk.
   */
  public get tag(): string {
    return this.name;
  }

  /**
   * The name of the Cinder volume CAPO creates for a machine (`<machine name>-<name>`), or
   * undefined for local storage.
   */
  public volumeNameFor(machineName: string): string | undefined {
    return this.storageType === 'Volume' ? `${machineName}-${this.name}` : undefined;
  }

  /** @internal */
  public _toSpec(): any {
    const o = this._volumeOptions;
    const volume = o && (o.volumeType !== undefined || o.availabilityZone !== undefined)
      ? { type: o.volumeType, availabilityZone: o.availabilityZone?._toSpec() }
      : undefined;
    return { name: this.name, sizeGiB: this.sizeGiB, storage: { type: this.storageType, volume } };
  }
}

/** An OpenStack object chosen by id or by exact name (CAPO `{id}` or `{filter: {name}}`). */
export abstract class IdOrNameReference {
  protected constructor(
    /** How the object is chosen: by `id` or by `name`. */
    public readonly kind: string,
    /** The object's id or name. */
    public readonly value: string,
  ) {}

  /** @internal */
  public _problems(): Array<[string, unknown, string]> {
    return referenceProblems(this.kind, this.value);
  }

  /** @internal */
  public _toSpec(): any {
    return referenceSpec(this.kind, this.value);
  }
}

/**
 * What the library knows of a server group that it cannot read from the cloud: its policy, and
 * how many compute hosts may hold its members.
 */
export interface ServerGroupOptions {
  /**
   * The group's policy, as created (`openstack server group create --policy ...`). With
   * `anti-affinity`, Nova refuses a server when every host already holds a member: the machines
   * of the group (at full size, rollout surge included) must not outnumber `hosts`.
   * @default - unknown: no check
   */
  readonly antiAffinity?: boolean;
  /**
   * Compute hosts the group's servers can land on (e.g. the hosts of their availability zones).
   * @default - unknown: no check
   */
  readonly hosts?: number;
}

/** A Nova server group (CAPO `serverGroup`), e.g. one with an anti-affinity policy. */
export class ServerGroup extends IdOrNameReference {
  /** The server group with this id (UUID). */
  public static fromId(id: string, options: ServerGroupOptions = {}): ServerGroup {
    return new ServerGroup('id', id, options);
  }

  /** The server group named exactly `name` (it must be the only one). */
  public static fromName(name: string, options: ServerGroupOptions = {}): ServerGroup {
    return new ServerGroup('name', name, options);
  }

  private constructor(kind: string, value: string,
    /** What is known of the group's policy and hosts. */
    public readonly options: ServerGroupOptions) {
    super(kind, value);
  }
}

/** An existing Neutron security group. */
export class SecurityGroupReference extends IdOrNameReference {
  /** The security group with this id (UUID). */
  public static fromId(id: string): SecurityGroupReference {
    return new SecurityGroupReference('id', id);
  }

  /** The security group named exactly `name` (it must be the only one). */
  public static fromName(name: string): SecurityGroupReference {
    return new SecurityGroupReference('name', name);
  }
}

function referenceProblems(kind: string, value: string): Array<[string, unknown, string]> {
  if (kind === 'id') {
    const ok = typeof value === 'string' && /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value);
    return ok ? [] : [['id', value, 'must be a UUID, e.g. "6c90b532-7ba0-418a-a276-5ae55060b5b0"']];
  }
  return typeof value === 'string' && value.trim() !== '' ? [] : [['filter.name', value, 'must be a non-empty string']];
}

/** CAPO's `{id}` or `{filter: {name}}` of a resource chosen by id or by exact name. */
function referenceSpec(kind: string, value: string): any {
  return kind === 'id' ? { id: value } : { filter: { name: value } };
}

/**
 * The type of vNIC a port binds to (Neutron `binding:vnic_type`). CAPO passes it unchecked: the
 * constants are the values its API documents; {@link VnicType.of} takes another one.
 */
export class VnicType {
  /** A virtual NIC (Neutron's default). */
  public static readonly NORMAL = new VnicType('normal');
  /** An SR-IOV virtual function passed through to the server. */
  public static readonly DIRECT = new VnicType('direct');
  /** An SR-IOV virtual function through a macvtap device. */
  public static readonly MACVTAP = new VnicType('macvtap');
  /** A bare metal server's NIC. */
  public static readonly BAREMETAL = new VnicType('baremetal');
  /** A whole SR-IOV physical function passed through to the server. */
  public static readonly DIRECT_PHYSICAL = new VnicType('direct-physical');
  /** A virtio NIC backed by an accelerated forwarder (e.g. vhost-user with hardware offload). */
  public static readonly VIRTIO_FORWARDER = new VnicType('virtio-forwarder');
  /** A SmartNIC port. */
  public static readonly SMART_NIC = new VnicType('smart-nic');
  /** A port of a remotely managed (off-path SmartNIC/DPU) network function. */
  public static readonly REMOTE_MANAGED = new VnicType('remote-managed');

  /** A vNIC type the constants lack, e.g. `vdpa`: lower-case letters, digits and "-". */
  public static of(value: string): VnicType {
    return new VnicType(value);
  }

  private constructor(
    /** The vNIC type as Neutron names it. */
    public readonly value: string,
  ) {}
}

/** Options of the port on the cluster's network. */
export interface ClusterNetworkPortOptions {
  /**
   * Description of the port in Neutron (at most 255 characters).
   * @default - CAPO's, naming the cluster
   */
  readonly description?: string;

  /**
   * vNIC type of the port.
   * @default - Neutron's default (normal)
   */
  readonly vnicType?: VnicType;
}

/** Options of a port on another network than the cluster's. */
export interface NetworkPortOptions extends ClusterNetworkPortOptions {
  /**
   * Subnets of the network the port takes an address from, one address each.
   * @default - an address from every subnet of the network
   */
  readonly subnets?: SubnetReference[];

  /**
   * Security groups of this port, instead of the cluster's managed security group of the machine's
   * role (the machine's `securityGroups` are added to them).
   * @default - the cluster's managed security group, as on the cluster network
   */
  readonly securityGroups?: SecurityGroupReference[];
}

/**
 * A network interface of each machine (CAPO `ports`). With ports, CAPO adds no port of its own:
 * one of them must be {@link MachinePort.clusterNetwork}.
 */
export class MachinePort {
  /**
   * The port on the network CAPO manages for the cluster (with an address from its subnet, and the
   * cluster's managed security group of the machine's role): the port CAPO adds by itself when no
   * ports are given, and the one it puts behind the API server load balancer.
   */
  public static clusterNetwork(options: ClusterNetworkPortOptions = {}): MachinePort {
    return new MachinePort(undefined, options);
  }

  /** A port on another network, e.g. a storage or SR-IOV network. */
  public static onNetwork(network: NetworkReference, options: NetworkPortOptions = {}): MachinePort {
    return new MachinePort(network, options);
  }

  /** The port's network; undefined for the cluster's network. */
  public readonly network?: NetworkReference;
  /**
   * The port's options as given.
   * @internal
   */
  public readonly _options: NetworkPortOptions;

  private constructor(network: NetworkReference | undefined, options: NetworkPortOptions) {
    this.network = network;
    this._options = options;
  }

  /** Whether this is the port on the cluster's network. */
  public get isClusterNetwork(): boolean {
    return this.network === undefined;
  }

  /** @internal */
  public _toSpec(): any {
    const o = this._options;
    const nonEmpty = <T>(list: T[] | undefined) => (list && list.length > 0 ? list : undefined);
    return {
      network: this.network?._toSpec(),
      fixedIPs: nonEmpty(o.subnets)?.map(subnet => ({ subnet: subnet._toSpec() })),
      securityGroups: nonEmpty(o.securityGroups)?.map(group => group._toSpec()),
      description: o.description,
      vnicType: o.vnicType?.value,
    };
  }
}

/**
 * What the servers of the control plane or of a pool are made of, beyond flavor and image:
 * root volume, extra disks, placement, metadata and network interfaces. Written into CAPO's
 * `OpenStackMachineTemplate.spec.template.spec`; every field exists with CAPO v0.12.4 and v0.14.7.
 */
export interface MachineOptions {
  /**
   * Boot from a Cinder volume instead of the flavor's local disk. Required with a flavor whose
   * capacity says `diskGiB: 0`: Nova refuses image-backed servers of zero-disk flavors.
   * @default - boot from the flavor's local disk
   */
  readonly rootVolume?: RootVolume;

  /**
   * The disk the image needs, in GiB: its virtual size rounded up to a whole GiB, or its `min_disk`
   * when larger (`openstack image show <image> -c virtual_size -c min_disk`). When given, a root
   * volume or a flavor disk smaller than this is refused: Cinder cannot create the volume from
   * the image, Nova refuses the flavor.
   * @default - unknown: sizes are not checked against the image
   */
  readonly imageSizeGiB?: number;

  /**
   * Extra disks of each machine: Cinder volumes (`BlockDevice.volume`) or ephemeral storage
   * (`BlockDevice.local`), e.g. a volume for etcd on the control plane.
   * @default - none
   */
  readonly additionalBlockDevices?: BlockDevice[];

  /**
   * The Nova server group the servers join, e.g. one with an anti-affinity policy so that machines
   * land on different hypervisors. Create it beforehand; with a hard anti-affinity policy it needs
   * a hypervisor for every machine plus one for rollouts.
   * @default - none
   */
  readonly serverGroup?: ServerGroup;

  /**
   * Nova metadata of each server: keys of 1-255 letters, digits, spaces, "-", "_", ":" or ".",
   * values of at most 255 characters.
   * @default - none
   */
  readonly serverMetadata?: { [key: string]: string };

  /**
   * Attach a config drive holding the metadata and user data, for clouds without a metadata
   * service, or images that read device tags from it.
   * @default false
   */
  readonly configDrive?: boolean;

  /**
   * Create the ports as Neutron trunk ports (the cloud needs the trunk extension).
   * @default false
   */
  readonly trunk?: boolean;

  /**
   * The network interfaces of each machine, in order. With ports, CAPO adds no port of its own:
   * one of them must be `MachinePort.clusterNetwork()`, best the first.
   * @default - one port on the cluster's network
   */
  readonly ports?: MachinePort[];

  /**
   * Existing security groups added to every port of the machine, besides the cluster's managed
   * security group of the machine's role.
   * @default - none
   */
  readonly securityGroups?: SecurityGroupReference[];
}
