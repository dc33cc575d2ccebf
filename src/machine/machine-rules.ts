import { Flavor } from '../flavor';
import { InputErrors } from '../input-errors';
import { BlockDevice, MachineOptions, MachinePort, SecurityGroupReference, ServerGroup, VnicType, VolumeAvailabilityZone } from '../machine-options';
import { NetworkReference, SubnetReference } from '../network/references';
import { isDns1123Label } from '../rules';

/**
 * The rules of {@link MachineOptions} and the fields they write into CAPO's
 * `OpenStackMachineTemplate.spec.template.spec`. Sources: CAPO v0.12.4 and v0.14.7 (CRD
 * `openstackmachinetemplates`, `controllers/openstackmachine_controller.go`,
 * `pkg/cloud/services/compute/instance.go`, `pkg/cloud/services/networking/port.go`) and Nova
 * (`nova/compute/api.py`, `nova/api/validation/parameter_types.py`).
 */

/** Every option of {@link MachineOptions}: any other key is a misspelling. */
const MACHINE_OPTION_NAMES = [
  'rootVolume', 'imageSizeGiB', 'additionalBlockDevices', 'serverGroup', 'serverMetadata', 'configDrive', 'trunk', 'ports',
  'securityGroups',
] as const;
// Fails to compile when an option is added to the interface but not to the list.
const ALL_MACHINE_OPTIONS_LISTED: Record<Exclude<keyof MachineOptions, typeof MACHINE_OPTION_NAMES[number]>, never> = {};
void ALL_MACHINE_OPTIONS_LISTED;

const VOLUME_OPTION_NAMES = ['volumeType', 'availabilityZone'];
const ROOT_VOLUME_OPTION_NAMES = ['sizeGiB', ...VOLUME_OPTION_NAMES];
const CLUSTER_PORT_OPTION_NAMES = ['description', 'vnicType'];
const NETWORK_PORT_OPTION_NAMES = [...CLUSTER_PORT_OPTION_NAMES, 'subnets', 'securityGroups'];

/** Nova tags a block device with its name: 1-60 characters (`nova.objects.tag.MAX_TAG_LENGTH`). */
const MAX_BLOCK_DEVICE_NAME_LENGTH = 60;
/** Nova's server metadata keys (`parameter_types.metadata`); values are at most 255 characters. */
const SERVER_METADATA_KEY = /^[a-zA-Z0-9-_:. ]{1,255}$/;
const MAX_SERVER_METADATA_VALUE_LENGTH = 255;
/** Neutron's limit on descriptions (neutron-lib `DESCRIPTION_FIELD_SIZE`). */
const MAX_DESCRIPTION_LENGTH = 255;
const VNIC_TYPE = /^[a-z][a-z0-9-]{0,63}$/;

/** How the options and the flavor are named in the construct's props, for error messages. */
export interface MachinePropNames {
  /** The prop holding the MachineOptions, e.g. `machine` or `controlPlaneMachine`. */
  readonly machine: string;
  /** The prop holding the Flavor, e.g. `flavor` or `controlPlaneFlavor`. */
  readonly flavor: string;
}

/** The names of a pool's props. */
export const POOL_MACHINE_PROPS: MachinePropNames = { machine: 'machine', flavor: 'flavor' };
/** The names of the cluster's props for its control plane. */
export const CONTROL_PLANE_MACHINE_PROPS: MachinePropNames = { machine: 'controlPlaneMachine', flavor: 'controlPlaneFlavor' };

/**
 * Records the problems of a construct's machine options, and those of its flavor that depend on
 * them: a zero-disk flavor without a root volume, disks smaller than the image, local block
 * devices larger than the flavor's ephemeral disk. `options` may be undefined (no options) or
 * anything an untyped caller passed.
 */
export function checkMachineOptions(errors: InputErrors, names: MachinePropNames, options: unknown, flavor: unknown): void {
  const prop = names.machine;
  if (options !== undefined && !isObject(options)) {
    errors.add(prop, options, 'must be an object of MachineOptions');
    return;
  }
  const o = (options ?? {}) as { [key: string]: any };
  unknownKeys(errors, prop, o, MACHINE_OPTION_NAMES, 'MachineOptions');

  const rootVolumeOk = checkRootVolume(errors, `${prop}.rootVolume`, o.rootVolume);
  const imageSizeOk = o.imageSizeGiB === undefined || errors.check(isSize(o.imageSizeGiB), `${prop}.imageSizeGiB`, o.imageSizeGiB, 'must be a positive integer (GiB)');
  const devices = checkBlockDevices(errors, `${prop}.additionalBlockDevices`, o.additionalBlockDevices);

  if (o.serverGroup !== undefined) {
    if (errors.check(o.serverGroup instanceof ServerGroup, `${prop}.serverGroup`, o.serverGroup, 'must be a ServerGroup (ServerGroup.fromId or fromName)')) {
      checkReference(errors, `${prop}.serverGroup`, o.serverGroup);
    }
  }
  checkServerMetadata(errors, `${prop}.serverMetadata`, o.serverMetadata);
  errors.checkBoolean(`${prop}.configDrive`, o.configDrive);
  errors.checkBoolean(`${prop}.trunk`, o.trunk);
  checkPorts(errors, `${prop}.ports`, o.ports);
  checkReferenceList(errors, `${prop}.securityGroups`, o.securityGroups, SecurityGroupReference, 'security group');

  const rootVolumeGiB = rootVolumeOk && o.rootVolume !== undefined ? o.rootVolume.sizeGiB as number : undefined;
  const imageGiB = imageSizeOk ? o.imageSizeGiB as number | undefined : undefined;
  if (rootVolumeGiB !== undefined && imageGiB !== undefined) {
    errors.check(rootVolumeGiB >= imageGiB, `${prop}.rootVolume.sizeGiB`, rootVolumeGiB,
      `must be at least imageSizeGiB (${imageGiB}): a volume smaller than the image cannot be created from it`);
  }

  const capacity = flavor instanceof Flavor && isObject(flavor.capacity) ? flavor.capacity : undefined;
  if (!capacity) return;
  const disk = capacity.diskGiB;
  if (o.rootVolume === undefined && disk === 0) {
    errors.add(`${names.flavor}.diskGiB`, disk, 'servers of a flavor without a local disk only boot from a root volume: '
      + `set ${prop}.rootVolume (Nova: "Only volume-backed servers are allowed for flavors with zero disk.")`);
  }
  if (o.rootVolume === undefined && imageGiB !== undefined && isSize(disk) && disk! < imageGiB) {
    errors.add(`${names.flavor}.diskGiB`, disk, `is smaller than ${prop}.imageSizeGiB (${imageGiB}): Nova refuses a flavor disk smaller `
      + `than the image. Choose a larger flavor, or boot from a root volume (${prop}.rootVolume)`);
  }
  const ephemeral = capacity.ephemeralGiB;
  const localGiB = devices.filter(d => d.storageType === 'Local').reduce((sum, d) => sum + d.sizeGiB, 0);
  if (localGiB > 0 && typeof ephemeral === 'number' && Number.isInteger(ephemeral) && ephemeral >= 0) {
    errors.check(localGiB <= ephemeral, `${prop}.additionalBlockDevices`, devices.filter(d => d.storageType === 'Local').map(d => d.name),
      `need ${localGiB} GiB of local storage, more than the flavor's ephemeral disk (${names.flavor}.ephemeralGiB = ${ephemeral}): `
      + 'Nova takes local block devices from it ("Ephemeral disks requested are larger than the instance type allows")');
  }
}

/** The fields the options write into `OpenStackMachineTemplate.spec.template.spec`. */
export function machineSpecFields(options: MachineOptions | undefined): { [field: string]: unknown } {
  if (!options) return {};
  const rootVolume = options.rootVolume;
  const nonEmpty = <T>(list: T[] | undefined) => (list && list.length > 0 ? list : undefined);
  const metadata = Object.entries(options.serverMetadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    rootVolume: rootVolume ? {
      sizeGiB: rootVolume.sizeGiB,
      type: rootVolume.volumeType,
      availabilityZone: rootVolume.availabilityZone?._toSpec(),
    } : undefined,
    additionalBlockDevices: nonEmpty(options.additionalBlockDevices)?.map(device => device._toSpec()),
    serverGroup: options.serverGroup?._toSpec(),
    serverMetadata: metadata.length > 0 ? metadata.map(([key, value]) => ({ key, value })) : undefined,
    // false is CAPO's (and Nova's) default: written only when on, so that saying false keeps the spec.
    configDrive: options.configDrive ? true : undefined,
    trunk: options.trunk ? true : undefined,
    ports: nonEmpty(options.ports)?.map(port => port._toSpec()),
    securityGroups: nonEmpty(options.securityGroups)?.map(group => group._toSpec()),
  };
}

/**
 * The size of a machine's root file system, in GiB: its root volume's, else the flavor's disk;
 * undefined when unknown or when the flavor has no local disk.
 */
export function rootDiskGiB(flavor: Flavor, options: MachineOptions | undefined): number | undefined {
  if (options?.rootVolume) return options.rootVolume.sizeGiB;
  const disk = flavor.capacity?.diskGiB;
  return disk !== undefined && disk > 0 ? disk : undefined;
}

function checkRootVolume(errors: InputErrors, prop: string, rootVolume: unknown): boolean {
  if (rootVolume === undefined) return true;
  if (!errors.check(isObject(rootVolume), prop, rootVolume, 'must be { sizeGiB, volumeType?, availabilityZone? }')) return false;
  const r = rootVolume as { [key: string]: any };
  const before = errors.lines.length;
  unknownKeys(errors, prop, r, ROOT_VOLUME_OPTION_NAMES, 'RootVolume');
  errors.check(isSize(r.sizeGiB), `${prop}.sizeGiB`, r.sizeGiB, 'must be a positive integer (GiB)');
  checkVolumeOptions(errors, prop, r);
  return errors.lines.length === before;
}

function checkVolumeOptions(errors: InputErrors, prop: string, o: { [key: string]: any }): void {
  if (o.volumeType !== undefined) {
    errors.check(typeof o.volumeType === 'string' && o.volumeType.trim() !== '', `${prop}.volumeType`, o.volumeType,
      'must name a Cinder volume type (a non-empty string)');
  }
  const zone = o.availabilityZone;
  if (zone === undefined) return;
  if (!errors.check(zone instanceof VolumeAvailabilityZone, `${prop}.availabilityZone`, zone,
    'must be a VolumeAvailabilityZone (VolumeAvailabilityZone.fromName or fromMachine)')) return;
  if (zone.source === 'Name') {
    // CAPO's VolumeAZName: minLength 1, pattern ^[^ ]+$.
    errors.check(typeof zone.name === 'string' && /^[^ ]+$/.test(zone.name), `${prop}.availabilityZone`, zone.name,
      'must name a Cinder availability zone: a non-empty name without spaces');
  }
}

/** Checks the block devices; returns the valid ones. */
function checkBlockDevices(errors: InputErrors, prop: string, devices: unknown): BlockDevice[] {
  if (devices === undefined) return [];
  if (!errors.check(Array.isArray(devices), prop, devices, 'must be a list of BlockDevice (BlockDevice.volume or local)')) return [];
  const valid: BlockDevice[] = [];
  const names = new Map<string, number>();
  (devices as unknown[]).forEach((device, i) => {
    const at = `${prop}[${i}]`;
    if (!errors.check(device instanceof BlockDevice, at, device, 'must be a BlockDevice (BlockDevice.volume or local)')) return;
    const d = device as BlockDevice;
    const before = errors.lines.length;
    const nameOk = errors.check(isDns1123Label(d.name) && d.name.length <= MAX_BLOCK_DEVICE_NAME_LENGTH, `${at}.name`, d.name,
      `must be a DNS-1123 label of at most ${MAX_BLOCK_DEVICE_NAME_LENGTH} characters: CAPO tags the Nova device with it `
      + '(at most 60 characters) and names the volume <machine>-<name>');
    if (nameOk) {
      errors.check(d.name !== 'root', `${at}.name`, d.name, 'is reserved by CAPO for the root volume: use rootVolume to boot from a volume');
      const first = names.get(d.name);
      if (first !== undefined) errors.add(`${at}.name`, d.name, `must be unique: ${prop}[${first}] has it already`);
      else names.set(d.name, i);
    }
    errors.check(isSize(d.sizeGiB), `${at}.sizeGiB`, d.sizeGiB, 'must be a positive integer (GiB)');
    if (d._volumeOptions !== undefined) {
      if (errors.check(isObject(d._volumeOptions), at, d._volumeOptions, 'must have an object of VolumeBlockDeviceOptions')) {
        unknownKeys(errors, at, d._volumeOptions, VOLUME_OPTION_NAMES, 'VolumeBlockDeviceOptions');
        checkVolumeOptions(errors, at, d._volumeOptions);
      }
    }
    if (errors.lines.length === before) valid.push(d);
  });
  return valid;
}

function checkServerMetadata(errors: InputErrors, prop: string, metadata: unknown): void {
  if (!errors.checkStringMap(prop, metadata) || metadata === undefined) return;
  for (const [key, value] of Object.entries(metadata as { [key: string]: string })) {
    errors.check(SERVER_METADATA_KEY.test(key), `${prop}["${key}"]`, key,
      'must be a Nova metadata key: 1-255 letters, digits, spaces, "-", "_", ":" or "."');
    errors.check(value.length <= MAX_SERVER_METADATA_VALUE_LENGTH, `${prop}["${key}"]`, value,
      `must be at most ${MAX_SERVER_METADATA_VALUE_LENGTH} characters (a Nova metadata value)`);
  }
}

function checkPorts(errors: InputErrors, prop: string, ports: unknown): void {
  if (ports === undefined) return;
  if (!errors.check(Array.isArray(ports), prop, ports, 'must be a list of MachinePort (MachinePort.clusterNetwork or onNetwork)')) return;
  const list = ports as unknown[];
  if (list.length === 0) return;
  const clusterPorts: number[] = [];
  const specs = new Map<string, number>();
  list.forEach((port, i) => {
    const at = `${prop}[${i}]`;
    if (!errors.check(port instanceof MachinePort, at, port, 'must be a MachinePort (MachinePort.clusterNetwork or onNetwork)')) return;
    const p = port as MachinePort;
    if (p.isClusterNetwork) clusterPorts.push(i);
    if (!checkPort(errors, at, p) || p.isClusterNetwork) return;
    const spec = JSON.stringify(p._toSpec());
    const first = specs.get(spec);
    if (first !== undefined) errors.add(at, p._toSpec(), `must be unique: ${prop}[${first}] is the same port`);
    else specs.set(spec, i);
  });
  if (list.every(port => port instanceof MachinePort)) {
    errors.check(clusterPorts.length > 0, prop, list.map(port => describePort(port as MachinePort)),
      'must include the cluster\'s network (MachinePort.clusterNetwork()): with ports given CAPO adds no port of its own, and it '
      + 'finds the API server load balancer member and the floating IP\'s port by the machine\'s address on the cluster network');
  }
  for (const i of clusterPorts.slice(1)) {
    errors.add(`${prop}[${i}]`, (list[i] as MachinePort)._toSpec(), `must be the only port on the cluster's network: ${prop}[${clusterPorts[0]}] is one already`);
  }
}

/** A port in a few words, for error messages: `cluster network`, or its network's reference. */
function describePort(port: MachinePort): unknown {
  const network = port.network as unknown;
  if (network === undefined) return 'cluster network';
  return network instanceof NetworkReference ? { network: network._toSpec() } : { network };
}

/** Checks a port; returns whether it is valid. */
function checkPort(errors: InputErrors, prop: string, port: MachinePort): boolean {
  const before = errors.lines.length;
  const o = port._options as { [key: string]: any };
  if (!errors.check(isObject(o), prop, o, 'must have an object of port options')) return false;
  for (const key of Object.keys(o)) {
    const known = port.isClusterNetwork ? CLUSTER_PORT_OPTION_NAMES : NETWORK_PORT_OPTION_NAMES;
    if (known.includes(key)) continue;
    if (port.isClusterNetwork && key === 'securityGroups') {
      errors.add(`${prop}.securityGroups`, o[key], 'cannot be set on the cluster network\'s port: they would replace the cluster\'s '
        + 'managed security group on it (node and control plane rules, in-cluster traffic). Give them in the machine\'s '
        + 'securityGroups, which CAPO adds to every port');
    } else if (port.isClusterNetwork && key === 'subnets') {
      errors.add(`${prop}.subnets`, o[key], 'cannot be set on the cluster network\'s port: it takes its address from the cluster\'s subnet');
    } else {
      errors.add(`${prop}.${key}`, o[key], `is not an option of ${port.isClusterNetwork ? 'ClusterNetworkPortOptions' : 'NetworkPortOptions'}`);
    }
  }
  if (!port.isClusterNetwork) {
    if (errors.check(port.network instanceof NetworkReference, `${prop}.network`, port.network,
      'must be a NetworkReference (NetworkReference.fromId or fromName)')) {
      checkReference(errors, `${prop}.network`, port.network!);
    }
    checkReferenceList(errors, `${prop}.subnets`, o.subnets, SubnetReference, 'subnet');
    checkReferenceList(errors, `${prop}.securityGroups`, o.securityGroups, SecurityGroupReference, 'security group');
  }
  if (o.description !== undefined) {
    errors.check(typeof o.description === 'string' && o.description.length <= MAX_DESCRIPTION_LENGTH, `${prop}.description`, o.description,
      `must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters (Neutron's limit)`);
  }
  if (o.vnicType !== undefined) {
    if (errors.check(o.vnicType instanceof VnicType, `${prop}.vnicType`, o.vnicType, 'must be a VnicType, e.g. VnicType.DIRECT')) {
      errors.check(typeof o.vnicType.value === 'string' && VNIC_TYPE.test(o.vnicType.value), `${prop}.vnicType`, o.vnicType.value,
        'must be a Neutron vNIC type: lower-case letters, digits and "-", e.g. "direct"');
    }
  }
  return errors.lines.length === before;
}

/** A reference to an OpenStack resource: its problems, and its CAPO form. */
interface Reference {
  _problems(): Array<[string, unknown, string]>;
  _toSpec(): any;
}

function checkReference(errors: InputErrors, prop: string, reference: Reference): boolean {
  const problems = reference._problems();
  for (const [field, value, rule] of problems) errors.add(field === '' ? prop : `${prop}.${field}`, value, rule);
  return problems.length === 0;
}

function checkReferenceList(errors: InputErrors, prop: string, list: unknown, type: Function, what: string): void {
  if (list === undefined) return;
  const rule = `a ${type.name} (${type.name}.fromId or fromName)`;
  if (!errors.check(Array.isArray(list), prop, list, `must be a list of ${type.name}`)) return;
  const seen = new Map<string, number>();
  (list as unknown[]).forEach((item, i) => {
    const at = `${prop}[${i}]`;
    if (!errors.check(item instanceof type, at, item, `must be ${rule}`)) return;
    const reference = item as Reference;
    if (!checkReference(errors, at, reference)) return;
    const key = JSON.stringify(reference._toSpec());
    const first = seen.get(key);
    if (first !== undefined) errors.add(at, reference._toSpec(), `must be unique: ${prop}[${first}] is the same ${what}`);
    else seen.set(key, i);
  });
}

function unknownKeys(errors: InputErrors, prop: string, object: object, known: readonly string[], what: string): void {
  for (const [key, value] of Object.entries(object)) {
    if (!known.includes(key)) errors.add(`${prop}.${key}`, value, `is not an option of ${what} (known: ${known.join(', ')})`);
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSize(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
