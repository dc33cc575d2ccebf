import { ApiObject, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PAIRS } from './api-views';
import { clusterChart, errorOf, MINIMAL_CLUSTER_PROPS, WORKER_FLAVOR } from './fixtures';
import { capacityAnnotations } from '../src/autoscaler-annotations';
import { Flavor } from '../src/flavor';
import { InputErrors } from '../src/input-errors';
import { checkMachineOptions } from '../src/machine/machine-rules';
import {
  BlockDevice, MachineOptions, MachinePort, SecurityGroupReference, ServerGroup, VnicType, VolumeAvailabilityZone,
} from '../src/machine-options';
import { MachineTemplateOptions, openStackMachineTemplate } from '../src/machine-template';
import { NetworkReference, SubnetReference } from '../src/network/references';
import { SchemaValidator, UpstreamVersions } from '../src/validation';

const ZERO_DISK_FLAVOR = Flavor.of('ceph.large', { vcpus: 4, memoryMiB: 8192, diskGiB: 0 });
const NETWORK_ID = '0686143b-f0a7-481a-86f5-cc1f8ccde692';
const SUBNET_ID = 'a5e50a9c-58f9-4b6f-b8ee-2e7b4e4414ee';
const GROUP_ID = '6c90b532-7ba0-418a-a276-5ae55060b5b0';
const SECURITY_GROUP_ID = '3f0a4c4e-1d2b-4e5f-9a8b-7c6d5e4f3a2b';

/** Every option, each in a form CAPO accepts. */
const ALL_OPTIONS: MachineOptions = {
  rootVolume: { sizeGiB: 50, volumeType: 'ssd', availabilityZone: VolumeAvailabilityZone.fromName('az-1') },
  imageSizeGiB: 20,
  additionalBlockDevices: [
    BlockDevice.volume('etcd', 10, { volumeType: 'fast', availabilityZone: VolumeAvailabilityZone.fromMachine() }),
    BlockDevice.volume('data', 100),
    BlockDevice.local('scratch', 5),
  ],
  serverGroup: ServerGroup.fromId(GROUP_ID),
  serverMetadata: { 'team': 'platform', 'cost-center': '42' },
  configDrive: true,
  trunk: true,
  ports: [
    MachinePort.clusterNetwork({ description: 'nodes' }),
    MachinePort.onNetwork(NetworkReference.fromId(NETWORK_ID), {
      subnets: [SubnetReference.fromId(SUBNET_ID), SubnetReference.fromName('storage-v6')],
      vnicType: VnicType.DIRECT,
      securityGroups: [SecurityGroupReference.fromName('storage')],
      description: 'storage',
    }),
    MachinePort.onNetwork(NetworkReference.fromFilter({ name: 'sriov', tags: ['k8s'] }), { vnicType: VnicType.of('vdpa') }),
  ],
  securityGroups: [SecurityGroupReference.fromId(SECURITY_GROUP_ID), SecurityGroupReference.fromName('allow-ssh')],
};

/** A machine template of a cluster's chart, written with the given options. */
function template(machine: MachineOptions | undefined, overrides: Partial<MachineTemplateOptions> = {},
  upstreamVersions = UpstreamVersions.DEFAULT): { chart: ReturnType<typeof clusterChart>['chart']; object: ApiObject } {
  const { chart, cluster } = clusterChart({ upstreamVersions });
  const object = openStackMachineTemplate(new Construct(chart, 'pool'), 'MachineTemplate', cluster, 'demo-pool-worker', {
    flavor: WORKER_FLAVOR, image: cluster.image, machine, ...overrides,
  });
  return { chart, object };
}

/** `spec.template.spec` of the synthesized template: where CAPO reads the machine's fields. */
const machineSpec = (machine: MachineOptions | undefined, overrides: Partial<MachineTemplateOptions> = {}) =>
  template(machine, overrides).object.toJson().spec.template.spec;

/** The problems the options have, one line each. */
function problems(machine: unknown, flavor: unknown = WORKER_FLAVOR): string[] {
  const errors = new InputErrors(new Construct(Testing.chart(), 'pool'));
  checkMachineOptions(errors, { machine: 'machine', flavor: 'flavor' }, machine, flavor);
  return errors.lines;
}

describe('MachineOptions in the OpenStackMachineTemplate', () => {
  test('without options, or with options that change nothing, the template is unchanged (same spec, same name)', () => {
    const plain = template(undefined).object;
    const same = [
      {},
      { configDrive: false, trunk: false, ports: [], additionalBlockDevices: [], securityGroups: [], serverMetadata: {} },
    ];
    expect(plain.toJson().spec.template.spec).toEqual({ flavor: 'm1.xlarge', image: { filter: { name: 'ubuntu-2204-kube-v1.32.4' } } });
    for (const machine of same) {
      const other = template(machine).object;
      expect(other.toJson()).toEqual(plain.toJson());
      expect(other.name).toBe(plain.name);
    }
  });

  test('each option lands where CAPO reads it, in spec.template.spec', () => {
    const spec = machineSpec(ALL_OPTIONS);
    expect(spec.rootVolume).toEqual({ sizeGiB: 50, type: 'ssd', availabilityZone: { from: 'Name', name: 'az-1' } });
    expect(spec.additionalBlockDevices).toEqual([
      { name: 'etcd', sizeGiB: 10, storage: { type: 'Volume', volume: { type: 'fast', availabilityZone: { from: 'Machine' } } } },
      { name: 'data', sizeGiB: 100, storage: { type: 'Volume' } },
      { name: 'scratch', sizeGiB: 5, storage: { type: 'Local' } },
    ]);
    expect(spec.serverGroup).toEqual({ id: GROUP_ID });
    // A list of {key, value} (a list-map keyed by key), sorted so the output is deterministic.
    expect(spec.serverMetadata).toEqual([{ key: 'cost-center', value: '42' }, { key: 'team', value: 'platform' }]);
    expect(spec.configDrive).toBe(true);
    expect(spec.trunk).toBe(true);
    expect(spec.ports).toEqual([
      // No network and no fixedIPs: CAPO puts the port on the cluster's network.
      { description: 'nodes' },
      {
        network: { id: NETWORK_ID },
        fixedIPs: [{ subnet: { id: SUBNET_ID } }, { subnet: { filter: { name: 'storage-v6' } } }],
        securityGroups: [{ filter: { name: 'storage' } }],
        description: 'storage',
        vnicType: 'direct',
      },
      { network: { filter: { name: 'sriov', tags: ['k8s'] } }, vnicType: 'vdpa' },
    ]);
    expect(spec.securityGroups).toEqual([{ id: SECURITY_GROUP_ID }, { filter: { name: 'allow-ssh' } }]);
    // The fields the template had stay as they were.
    expect(spec.flavor).toBe('m1.xlarge');
    expect(spec.image).toEqual({ filter: { name: 'ubuntu-2204-kube-v1.32.4' } });
  });

  test('references by name are CAPO filters; a bare cluster network port is an empty port', () => {
    const spec = machineSpec({ serverGroup: ServerGroup.fromName('control-plane-anti-affinity'), ports: [MachinePort.clusterNetwork()] });
    expect(spec.serverGroup).toEqual({ filter: { name: 'control-plane-anti-affinity' } });
    expect(spec.ports).toEqual([{}]);
  });

  test('a root volume without type or zone is just its size', () => {
    expect(machineSpec({ rootVolume: { sizeGiB: 30 } }, { flavor: ZERO_DISK_FLAVOR }).rootVolume).toEqual({ sizeGiB: 30 });
  });

  test('the options are part of the template\'s spec, so of its hashed name: changing one rolls the machines', () => {
    const names = [undefined, { rootVolume: { sizeGiB: 50 } }, { rootVolume: { sizeGiB: 60 } }, { configDrive: true }]
      .map(machine => template(machine).object.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(PAIRS)('with every option, the template validates against the pinned schemas (%s)', (_pair, versions) => {
    const { chart } = template(ALL_OPTIONS, {}, versions);
    expect(new SchemaValidator({ versions }).validate(Testing.synth(chart))).toEqual([]);
  });

  test('the schema check would catch a field CAPO does not have', () => {
    const { chart } = template({ rootVolume: { sizeGiB: 50 } });
    const manifests = Testing.synth(chart);
    const bad = manifests.find(m => m.kind === 'OpenStackMachineTemplate' && m.metadata.name.startsWith('demo-pool-worker-'));
    bad.spec.template.spec.rootVolume.diskSize = 50;
    expect(new SchemaValidator({ versions: UpstreamVersions.CAPI_1_14_CAPO_0_14 }).validate(manifests).join('\n')).toMatch(/diskSize/);
  });
});

describe('BlockDevice', () => {
  test('its tag is its name, and a volume is named after the machine', () => {
    const etcd = BlockDevice.volume('etcd', 10);
    expect(etcd.tag).toBe('etcd');
    expect(etcd.volumeNameFor('demo-control-plane-abcde')).toBe('demo-control-plane-abcde-etcd');
    expect(BlockDevice.local('scratch', 1).volumeNameFor('m')).toBeUndefined();
    expect(BlockDevice.local('scratch', 1).storageType).toBe('Local');
  });
});

describe('refused machine options', () => {
  const at = 'test/pool';
  test.each<[string, unknown, RegExp]>([
    ['a misspelled option', { rootvolume: { sizeGiB: 1 } }, /machine.rootvolume = .*: is not an option of MachineOptions/],
    ['options that are not an object', 'big', /machine = "big": must be an object of MachineOptions/],
    ['a root volume of 0 GiB', { rootVolume: { sizeGiB: 0 } }, /machine.rootVolume.sizeGiB = 0: must be a positive integer \(GiB\)/],
    ['a root volume of 1.5 GiB', { rootVolume: { sizeGiB: 1.5 } }, /machine.rootVolume.sizeGiB = 1.5: must be a positive integer/],
    ['a misspelled root volume option', { rootVolume: { sizeGiB: 10, type: 'ssd' } }, /machine.rootVolume.type = "ssd": is not an option of RootVolume/],
    ['an empty volume type', { rootVolume: { sizeGiB: 10, volumeType: ' ' } }, /machine.rootVolume.volumeType = " ": must name a Cinder volume type/],
    ['a zone with a space', { rootVolume: { sizeGiB: 10, availabilityZone: VolumeAvailabilityZone.fromName('az 1') } },
      /machine.rootVolume.availabilityZone = "az 1": must name a Cinder availability zone: a non-empty name without spaces/],
    ['a zone given as a string', { rootVolume: { sizeGiB: 10, availabilityZone: 'az-1' } },
      /machine.rootVolume.availabilityZone = "az-1": must be a VolumeAvailabilityZone/],
    ['a root volume smaller than the image', { rootVolume: { sizeGiB: 10 }, imageSizeGiB: 20 },
      /machine.rootVolume.sizeGiB = 10: must be at least imageSizeGiB \(20\): a volume smaller than the image cannot be created from it/],
    ['an image size of 0', { imageSizeGiB: 0 }, /machine.imageSizeGiB = 0: must be a positive integer/],
    ['a block device of 0 GiB', { additionalBlockDevices: [BlockDevice.volume('etcd', 0)] },
      /machine.additionalBlockDevices\[0\].sizeGiB = 0: must be a positive integer/],
    ['a block device named root', { additionalBlockDevices: [BlockDevice.volume('root', 10)] },
      /machine.additionalBlockDevices\[0\].name = "root": is reserved by CAPO for the root volume/],
    ['a block device name that is no DNS label', { additionalBlockDevices: [BlockDevice.volume('etcd/data', 10)] },
      /machine.additionalBlockDevices\[0\].name = "etcd\/data": must be a DNS-1123 label of at most 60 characters/],
    ['a block device name longer than a Nova tag', { additionalBlockDevices: [BlockDevice.volume('a'.repeat(61), 10)] },
      /machine.additionalBlockDevices\[0\].name = "a{61}": must be a DNS-1123 label of at most 60 characters/],
    ['two block devices of one name', { additionalBlockDevices: [BlockDevice.volume('etcd', 10), BlockDevice.local('etcd', 1)] },
      /machine.additionalBlockDevices\[1\].name = "etcd": must be unique: machine.additionalBlockDevices\[0\] has it already/],
    ['a block device given as an object', { additionalBlockDevices: [{ name: 'etcd', sizeGiB: 10 }] },
      /machine.additionalBlockDevices\[0\] = .*: must be a BlockDevice/],
    ['a misspelled volume option', { additionalBlockDevices: [BlockDevice.volume('etcd', 10, { type: 'ssd' } as any)] },
      /machine.additionalBlockDevices\[0\].type = "ssd": is not an option of VolumeBlockDeviceOptions/],
    ['a server group id that is no UUID', { serverGroup: ServerGroup.fromId('anti-affinity') },
      /machine.serverGroup.id = "anti-affinity": must be a UUID/],
    ['a server group without a name', { serverGroup: ServerGroup.fromName('') }, /machine.serverGroup.filter.name = "": must be a non-empty string/],
    ['a metadata key Nova refuses', { serverMetadata: { 'a/b': 'x' } }, /machine.serverMetadata\["a\/b"\] = "a\/b": must be a Nova metadata key/],
    ['a metadata value too long', { serverMetadata: { k: 'v'.repeat(256) } }, /machine.serverMetadata\["k"\] = .*: must be at most 255 characters/],
    ['metadata that is not strings', { serverMetadata: { k: 1 } }, /machine.serverMetadata = \{"k":1\}: must map strings to strings/],
    ['configDrive as a string', { configDrive: 'true' }, /machine.configDrive = "true": must be true or false/],
    ['trunk as a string', { trunk: 'false' }, /machine.trunk = "false": must be true or false/],
    ['ports without the cluster network', { ports: [MachinePort.onNetwork(NetworkReference.fromId(NETWORK_ID))] },
      /machine.ports = \[\{"network":\{"id":"0686143b-f0a7-481a-86f5-cc1f8ccde692"\}\}\]: must include the cluster's network \(MachinePort.clusterNetwork\(\)\): with ports given CAPO adds no port of its own/],
    ['two cluster network ports', { ports: [MachinePort.clusterNetwork(), MachinePort.clusterNetwork({ description: 'again' })] },
      /machine.ports\[1\] = \{"description":"again"\}: must be the only port on the cluster's network: machine.ports\[0\] is one already/],
    ['the same port twice', {
      ports: [MachinePort.clusterNetwork(), MachinePort.onNetwork(NetworkReference.fromName('storage')), MachinePort.onNetwork(NetworkReference.fromName('storage'))],
    }, /machine.ports\[2\] = .*: must be unique: machine.ports\[1\] is the same port/],
    ['a port given as an object', { ports: [{ network: { id: NETWORK_ID } }] }, /machine.ports\[0\] = .*: must be a MachinePort/],
    ['a network id that is no UUID', { ports: [MachinePort.clusterNetwork(), MachinePort.onNetwork(NetworkReference.fromId('storage'))] },
      /machine.ports\[1\].network.id = "storage": must be a UUID/],
    ['a port network given as a string', { ports: [MachinePort.clusterNetwork(), MachinePort.onNetwork('storage' as any)] },
      /machine.ports\[1\].network = "storage": must be a NetworkReference/],
    ['a subnet id that is no UUID', {
      ports: [MachinePort.clusterNetwork(), MachinePort.onNetwork(NetworkReference.fromName('n'), { subnets: [SubnetReference.fromId('x')] })],
    }, /machine.ports\[1\].subnets\[0\].id = "x": must be a UUID/],
    ['a vNIC type that Neutron cannot have', { ports: [MachinePort.clusterNetwork({ vnicType: VnicType.of('Direct Port') })] },
      /machine.ports\[0\].vnicType = "Direct Port": must be a Neutron vNIC type/],
    ['a vNIC type given as a string', { ports: [MachinePort.clusterNetwork({ vnicType: 'direct' as any })] },
      /machine.ports\[0\].vnicType = "direct": must be a VnicType/],
    ['a description longer than Neutron keeps', { ports: [MachinePort.clusterNetwork({ description: 'd'.repeat(256) })] },
      /machine.ports\[0\].description = .*: must be a string of at most 255 characters/],
    ['security groups on the cluster network port', { ports: [MachinePort.clusterNetwork({ securityGroups: [SecurityGroupReference.fromName('x')] } as any)] },
      /machine.ports\[0\].securityGroups = .*: cannot be set on the cluster network's port: they would replace the cluster's managed security group/],
    ['subnets on the cluster network port', { ports: [MachinePort.clusterNetwork({ subnets: [SubnetReference.fromId(SUBNET_ID)] } as any)] },
      /machine.ports\[0\].subnets = .*: cannot be set on the cluster network's port/],
    ['a security group twice', { securityGroups: [SecurityGroupReference.fromName('ssh'), SecurityGroupReference.fromName('ssh')] },
      /machine.securityGroups\[1\] = \{"filter":\{"name":"ssh"\}\}: must be unique: machine.securityGroups\[0\] is the same security group/],
    ['a security group id that is no UUID', { securityGroups: [SecurityGroupReference.fromId('ssh')] },
      /machine.securityGroups\[0\].id = "ssh": must be a UUID/],
    ['a security group given as a string', { securityGroups: ['ssh'] }, /machine.securityGroups\[0\] = "ssh": must be a SecurityGroupReference/],
  ])('%s', (_what, machine, expected) => {
    const lines = problems(machine);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(expected);
    // One line each: the construct, the prop, its value, the rule.
    for (const line of lines) expect(line).toMatch(new RegExp(`^${at}: machine[^ ]* = .+: .+$`));
  });

  test('a flavor without a local disk, without a root volume', () => {
    expect(problems(undefined, ZERO_DISK_FLAVOR)).toEqual([
      `${at}: flavor.diskGiB = 0: servers of a flavor without a local disk only boot from a root volume: set machine.rootVolume `
      + '(Nova: "Only volume-backed servers are allowed for flavors with zero disk.")',
    ]);
    expect(problems({ serverGroup: ServerGroup.fromId(GROUP_ID) }, ZERO_DISK_FLAVOR)).toHaveLength(1);
    expect(problems({ rootVolume: { sizeGiB: 30 } }, ZERO_DISK_FLAVOR)).toEqual([]);
  });

  test('a flavor disk smaller than the image, without a root volume', () => {
    expect(problems({ imageSizeGiB: 60 })).toEqual([`${at}: flavor.diskGiB = 40: is smaller than machine.imageSizeGiB (60): Nova refuses `
      + 'a flavor disk smaller than the image. Choose a larger flavor, or boot from a root volume (machine.rootVolume)']);
    expect(problems({ imageSizeGiB: 60, rootVolume: { sizeGiB: 60 } })).toEqual([]);
    expect(problems({ imageSizeGiB: 40 })).toEqual([]);
  });

  test('local block devices larger than the flavor\'s ephemeral disk', () => {
    const flavor = Flavor.of('e1', { vcpus: 2, memoryMiB: 4096, diskGiB: 20, ephemeralGiB: 10 });
    expect(problems({ additionalBlockDevices: [BlockDevice.local('a', 6), BlockDevice.local('b', 5), BlockDevice.volume('c', 100)] }, flavor))
      .toEqual([`${at}: machine.additionalBlockDevices = ["a","b"]: need 11 GiB of local storage, more than the flavor's ephemeral disk `
        + '(flavor.ephemeralGiB = 10): Nova takes local block devices from it ("Ephemeral disks requested are larger than the instance type allows")']);
    expect(problems({ additionalBlockDevices: [BlockDevice.local('a', 10)] }, flavor)).toEqual([]);
    // Unknown ephemeral disk: not checked.
    expect(problems({ additionalBlockDevices: [BlockDevice.local('a', 10)] })).toEqual([]);
  });

  test('every option valid: no problem', () => {
    expect(problems(ALL_OPTIONS)).toEqual([]);
    expect(problems(ALL_OPTIONS, ZERO_DISK_FLAVOR)).toEqual([]);
    expect(problems(ALL_OPTIONS, Flavor.named('m1.large'))).toEqual([]);
  });

  test('openStackMachineTemplate refuses them too, naming the construct\'s props', () => {
    const { chart, cluster } = clusterChart();
    const message = errorOf(() => openStackMachineTemplate(chart, 'T', cluster, 'demo-control-plane', {
      flavor: ZERO_DISK_FLAVOR,
      image: cluster.image,
      machine: { additionalBlockDevices: [BlockDevice.volume('root', 10)] },
      propNames: { machine: 'controlPlaneMachine', flavor: 'controlPlaneFlavor' },
    }));
    expect(message).toBe('2 invalid input errors:\n'
      + '  - test: controlPlaneMachine.additionalBlockDevices[0].name = "root": is reserved by CAPO for the root volume: use rootVolume to boot from a volume\n'
      + '  - test: controlPlaneFlavor.diskGiB = 0: servers of a flavor without a local disk only boot from a root volume: '
      + 'set controlPlaneMachine.rootVolume (Nova: "Only volume-backed servers are allowed for flavors with zero disk.")');
  });

  test('a cluster whose control plane flavor has no local disk is refused until it boots from a volume', () => {
    expect(errorOf(() => clusterChart({ controlPlaneFlavor: ZERO_DISK_FLAVOR }))).toMatch(/diskGiB = 0: servers of a flavor without a local disk only boot from a root volume/);
    expect(MINIMAL_CLUSTER_PROPS.controlPlaneFlavor.capacity).toBeUndefined();
  });
});

describe('Flavor disks', () => {
  test('a flavor may say it has no local disk (0), or how large its ephemeral disk is', () => {
    expect(ZERO_DISK_FLAVOR._problems()).toEqual([]);
    expect(Flavor.of('e', { vcpus: 1, memoryMiB: 2048, diskGiB: 10, ephemeralGiB: 0 })._problems()).toEqual([]);
  });

  test.each<[string, object, RegExp]>([
    ['a negative disk', { diskGiB: -1 }, /must be a positive integer, or 0 for a flavor without a local disk/],
    ['a fractional disk', { diskGiB: 1.5 }, /must be a positive integer/],
    ['a negative ephemeral disk', { ephemeralGiB: -1 }, /must be a whole number of GiB/],
  ])('%s is refused', (_what, capacity, expected) => {
    const found = Flavor.of('f', { vcpus: 1, memoryMiB: 2048, ...capacity })._problems();
    expect(found.map(p => p[2]).join('\n')).toMatch(expected);
  });
});

describe('ephemeral-disk capacity for the cluster-autoscaler', () => {
  const EPHEMERAL = 'capacity.cluster-autoscaler.kubernetes.io/ephemeral-disk';
  test('the root volume\'s size when the machines boot from one, else the flavor\'s disk', () => {
    expect(capacityAnnotations(WORKER_FLAVOR, {}, [])[EPHEMERAL]).toBe('40Gi');
    expect(capacityAnnotations(WORKER_FLAVOR, {}, [], {})[EPHEMERAL]).toBe('40Gi');
    expect(capacityAnnotations(WORKER_FLAVOR, {}, [], { rootVolume: { sizeGiB: 100 } })[EPHEMERAL]).toBe('100Gi');
    expect(capacityAnnotations(ZERO_DISK_FLAVOR, {}, [], { rootVolume: { sizeGiB: 80 } })[EPHEMERAL]).toBe('80Gi');
    // A flavor without a local disk, and no root volume (refused elsewhere): nothing announced.
    expect(capacityAnnotations(ZERO_DISK_FLAVOR, {}, [])[EPHEMERAL]).toBeUndefined();
    // Local block devices are not the root file system the kubelet measures.
    expect(capacityAnnotations(WORKER_FLAVOR, {}, [], { additionalBlockDevices: [BlockDevice.local('scratch', 500)] })[EPHEMERAL]).toBe('40Gi');
  });

  test('without a known flavor capacity, no capacity is announced', () => {
    expect(capacityAnnotations(Flavor.named('m1.large'), {}, [], { rootVolume: { sizeGiB: 100 } })).toEqual({});
  });
});

describe('server groups with anti-affinity', () => {
  test('more machines than hosts (full size and rollout surge) are refused; soft or unknown policies are not checked', () => {
    const strict = ServerGroup.fromName('cp', { antiAffinity: true, hosts: 3 });
    const synth = (overrides: any) => {
      const { chart } = clusterChart({ controlPlaneMachine: { serverGroup: strict }, ...overrides });
      return () => Testing.synth(chart);
    };
    // 3 control plane machines and one of surge on 3 hosts.
    expect(errorOf(synth({}))).toMatch(/serverGroup = "cp": has anti-affinity over 3 hosts, but the control plane \(4\) can run 4 machines in it at once/);
    expect(synth({ controlPlaneRollout: { maxSurge: 0 } })).not.toThrow();
    const { chart, cluster } = clusterChart({ controlPlaneRollout: { maxSurge: 0 } });
    const workers = ServerGroup.fromName('workers', { antiAffinity: true, hosts: 5 });
    cluster.addNodePool('a', { flavor: WORKER_FLAVOR, replicas: 2, machine: { serverGroup: workers } });
    cluster.addNodePool('b', { flavor: WORKER_FLAVOR, replicas: 2, machine: { serverGroup: workers } });
    expect(errorOf(() => Testing.synth(chart))).toMatch(/serverGroup = "workers": has anti-affinity over 5 hosts, but pool "a" \(3\) and pool "b" \(3\) can run 6 machines/);
    const soft = clusterChart({ controlPlaneMachine: { serverGroup: ServerGroup.fromName('cp') } });
    expect(() => Testing.synth(soft.chart)).not.toThrow();
  });
});
