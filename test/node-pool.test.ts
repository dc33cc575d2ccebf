import { ApiObject, Duration, JsonPatch, Testing } from 'cdk8s';
import { Flavor, MachineImage, NodePool, OpenStackCapiCluster, OpenStackCapiClusterProps, TaintEffect, UpstreamVersions } from '../src';
import { args, controlPlaneInfrastructureRef, PAIRS, ref } from './api-views';
import { clusterChart as anyClusterChart, errorOf, objectOf, WORKER_FLAVOR } from './fixtures';

const CAPACITY = 'capacity.cluster-autoscaler.kubernetes.io';

const chartFor = (upstreamVersions: UpstreamVersions) =>
  (overrides: Partial<OpenStackCapiClusterProps> = {}) => anyClusterChart({ upstreamVersions, ...overrides });

/** The node labels a KubeadmConfigTemplate registers with. */
const nodeLabels = (template: any) => args(template.spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs)?.['node-labels'];

describe.each(PAIRS)('NodePool (%s)', (_pair, upstreamVersions) => {
  const clusterChart = chartFor(upstreamVersions);

  test('addNodePool emits a MachineDeployment, its machine template and a bootstrap template', () => {
    const { chart, cluster } = clusterChart();
    const pool = cluster.addNodePool('workers', { flavor: WORKER_FLAVOR, replicas: 3, failureDomain: 'az-1' });
    expect(pool).toBeInstanceOf(NodePool);
    expect(cluster.nodePools).toEqual([pool]);
    const manifests = Testing.synth(chart);
    const md = objectOf(manifests, 'MachineDeployment');
    expect(md.metadata.name).toBe('demo-workers-worker');
    expect(md.metadata.labels).toEqual({ 'cluster.x-k8s.io/cluster-name': 'demo' });
    expect(md.metadata.annotations).toBeUndefined();
    expect(md.spec.replicas).toBe(3);
    expect(md.spec.clusterName).toBe('demo');
    const { bootstrap, infrastructureRef, ...rest } = md.spec.template.spec;
    expect(rest).toEqual({ clusterName: 'demo', failureDomain: 'az-1', version: 'v1.32.4' });
    expect(ref(bootstrap.configRef)).toEqual({ group: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: pool.bootstrapTemplate.name });
    expect(ref(infrastructureRef)).toEqual({ group: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate', name: pool.machineTemplate.name });
    expect(pool.machineTemplate.name).toMatch(/^demo-workers-worker-[0-9a-f]{8}$/);
    expect(pool.bootstrapTemplate.name).toMatch(/^demo-config-template-[0-9a-f]{8}$/);
    expect(manifests).toMatchSnapshot();
  });

  test('fixed-size pools default to one replica', () => {
    const { chart, cluster } = clusterChart();
    cluster.addNodePool('one', { flavor: Flavor.named('m1.small') });
    expect(objectOf(Testing.synth(chart), 'MachineDeployment').spec.replicas).toBe(1);
  });

  test('autoscaling from zero: min/max and capacity from the flavor, replicas left to the autoscaler, GPUs labelled', () => {
    const { chart, cluster } = clusterChart();
    cluster.addNodePool('gpu', {
      flavor: Flavor.of('g1.large', { vcpus: 8, memoryMiB: 30720, diskGiB: 100, gpus: 1, gpuType: 'nvidia.com/gpu' }),
      autoscaling: { minSize: 0, maxSize: 4 },
    });
    const md = objectOf(Testing.synth(chart), 'MachineDeployment');
    expect(md.spec.replicas).toBeUndefined();
    expect(md.metadata.annotations).toEqual({
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '0',
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '4',
      [`${CAPACITY}/cpu`]: '8',
      // 30720 MiB of RAM - 480 (kernel page tables, RAM/64) - 128 (kernel) - 100 (kubelet eviction)
      [`${CAPACITY}/memory`]: '30012Mi',
      [`${CAPACITY}/ephemeral-disk`]: '100Gi',
      [`${CAPACITY}/gpu-count`]: '1',
      [`${CAPACITY}/gpu-type`]: 'nvidia.com/gpu',
      // The autoscaler's clusterapi README: GPU nodes carry cluster-api/accelerator=<gpu type>.
      [`${CAPACITY}/labels`]: 'cluster-api/accelerator=nvidia.com-gpu',
    });
    const template = objectOf(Testing.synth(chart), 'KubeadmConfigTemplate');
    expect(nodeLabels(template)).toBe('cluster-api/accelerator=nvidia.com-gpu');
  });

  test('a GPU label of the pool\'s own is kept', () => {
    const { chart, cluster } = clusterChart();
    cluster.addNodePool('gpu', {
      flavor: Flavor.of('g1', { vcpus: 8, memoryMiB: 30720, gpus: 2 }),
      labels: { 'cluster-api/accelerator': 'a100' },
    });
    const template = objectOf(Testing.synth(chart), 'KubeadmConfigTemplate');
    expect(nodeLabels(template)).toBe('cluster-api/accelerator=a100');
  });

  test('announced memory is what the node offers, not the flavor\'s RAM; a flavor may state it', () => {
    const memoryOf = (flavor: Flavor) => {
      const { chart, cluster } = clusterChart();
      cluster.addNodePool('p', { flavor, autoscaling: { minSize: 0, maxSize: 1 } });
      return objectOf(Testing.synth(chart), 'MachineDeployment').metadata.annotations[`${CAPACITY}/memory`];
    };
    // 8192 - 128 - 128 - 100: a real 8 GiB VM reports about 7.8 GiB to the kubelet.
    expect(memoryOf(Flavor.of('m', { vcpus: 2, memoryMiB: 8192 }))).toBe('7836Mi');
    expect(memoryOf(Flavor.of('m', { vcpus: 2, memoryMiB: 8192, nodeMemoryMiB: 7168 }))).toBe('7Gi');
  });

  test('memory that is not a whole number of GiB is given in Mi', () => {
    const { chart, cluster } = clusterChart();
    cluster.addNodePool('odd', { flavor: Flavor.of('odd', { vcpus: 1, memoryMiB: 1536 }), autoscaling: { minSize: 0, maxSize: 1 } });
    const annotations = objectOf(Testing.synth(chart), 'MachineDeployment').metadata.annotations;
    expect(annotations[`${CAPACITY}/memory`]).toBe('1284Mi');
    expect(annotations[`${CAPACITY}/ephemeral-disk`]).toBeUndefined();
  });

  test('an autoscaled pool never carries replicas: CAPI starts it at minSize', () => {
    const { chart, cluster } = clusterChart();
    cluster.addNodePool('p', { flavor: WORKER_FLAVOR, autoscaling: { minSize: 1, maxSize: 5 } });
    expect(objectOf(Testing.synth(chart), 'MachineDeployment').spec).not.toHaveProperty('replicas');
  });

  test('labels and taints register through kubelet and are announced to the autoscaler', () => {
    const { chart, cluster } = clusterChart();
    const pool = cluster.addNodePool('ingress', {
      flavor: WORKER_FLAVOR,
      autoscaling: { minSize: 0, maxSize: 3 },
      labels: { 'node.kubernetes.io/role': 'ingress', 'tier': 'edge' },
      taints: [{ key: 'dedicated', value: 'ingress', effect: TaintEffect.NO_SCHEDULE }, { key: 'edge', effect: TaintEffect.NO_EXECUTE }],
    });
    const manifests = Testing.synth(chart);
    const annotations = objectOf(manifests, 'MachineDeployment').metadata.annotations;
    expect(annotations[`${CAPACITY}/labels`]).toBe('node.kubernetes.io/role=ingress,tier=edge');
    expect(annotations[`${CAPACITY}/taints`]).toBe('dedicated=ingress:NoSchedule,edge:NoExecute');
    const registration = objectOf(manifests, 'KubeadmConfigTemplate').spec.template.spec.joinConfiguration.nodeRegistration;
    expect(args(registration.kubeletExtraArgs)?.['node-labels']).toBe('node.kubernetes.io/role=ingress,tier=edge');
    expect(registration.taints).toEqual([
      { key: 'dedicated', value: 'ingress', effect: 'NoSchedule' },
      { key: 'edge', effect: 'NoExecute' },
    ]);
    expect(pool.bootstrapTemplate.name).toMatch(/^demo-config-template-[0-9a-f]{8}$/);
  });

  test('pools that register alike share one KubeadmConfigTemplate; others get their own', () => {
    const { chart, cluster } = clusterChart();
    const a = cluster.addNodePool('a', { flavor: WORKER_FLAVOR });
    const b = cluster.addNodePool('b', { flavor: WORKER_FLAVOR });
    const c = cluster.addNodePool('c', { flavor: WORKER_FLAVOR, labels: { tier: 'batch' } });
    const d = cluster.addNodePool('d', { flavor: WORKER_FLAVOR, labels: { tier: 'batch' } });
    expect(a.bootstrapTemplate).toBe(b.bootstrapTemplate);
    expect(c.bootstrapTemplate).toBe(d.bootstrapTemplate);
    expect(a.bootstrapTemplate).not.toBe(c.bootstrapTemplate);
    expect(Testing.synth(chart).filter(m => m.kind === 'KubeadmConfigTemplate')).toHaveLength(2);
  });

  test('a shared template keeps its name when the pool that first used it goes', () => {
    const names = (pools: string[]) => {
      const { cluster } = clusterChart();
      return pools.map(p => cluster.addNodePool(p, { flavor: WORKER_FLAVOR, labels: { tier: 'batch' } }).bootstrapTemplate.name);
    };
    expect(names(['first', 'second'])[1]).toBe(names(['second'])[0]);
  });

  test('without hashing, a registration of its own is named after the first pool using it', () => {
    const { cluster } = clusterChart({ templateHashing: false });
    expect(cluster.addNodePool('plain', { flavor: WORKER_FLAVOR }).bootstrapTemplate.name).toBe('demo-config-template');
    expect(cluster.addNodePool('batch', { flavor: WORKER_FLAVOR, labels: { tier: 'batch' } }).bootstrapTemplate.name).toBe('demo-batch-config-template');
  });

  test('pool image, SSH key and version override the cluster\'s', () => {
    const { chart, cluster } = clusterChart({ sshKeyName: 'ops' });
    cluster.addNodePool('old', {
      flavor: WORKER_FLAVOR,
      image: MachineImage.fromName('ubuntu-2204-kube-v1.31.6'),
      sshKeyName: 'team',
      kubernetesVersion: 'v1.31.6',
      allowMinorVersionSkew: true,
    });
    const manifests = Testing.synth(chart);
    expect(objectOf(manifests, 'MachineDeployment').spec.template.spec.version).toBe('v1.31.6');
    const template = objectOf(manifests, 'OpenStackMachineTemplate', objectOf(manifests, 'MachineDeployment').spec.template.spec.infrastructureRef.name);
    expect(template.spec.template.spec).toEqual({ flavor: 'm1.xlarge', image: { filter: { name: 'ubuntu-2204-kube-v1.31.6' } }, sshKeyName: 'team' });
  });

  test('upgrading the cluster version moves every pool that follows it', () => {
    const versionOf = (kubernetesVersion: string) => {
      const { chart, cluster } = clusterChart({ kubernetesVersion });
      cluster.addNodePool('p', { flavor: WORKER_FLAVOR });
      return objectOf(Testing.synth(chart), 'MachineDeployment').spec.template.spec.version;
    };
    expect(versionOf('v1.32.4')).toBe('v1.32.4');
    expect(versionOf('v1.33.1')).toBe('v1.33.1');
  });

  test('a changed flavor renames the pool\'s machine template; an unchanged one keeps the name', () => {
    const templateName = (flavor: Flavor) => {
      const { cluster } = clusterChart();
      return cluster.addNodePool('p', { flavor }).machineTemplate.name;
    };
    expect(templateName(WORKER_FLAVOR)).toBe(templateName(Flavor.of('m1.xlarge', { vcpus: 4, memoryMiB: 8192, diskGiB: 40 })));
    expect(templateName(WORKER_FLAVOR)).not.toBe(templateName(Flavor.named('m1.2xlarge')));
  });

  test('a NodePool can be created in another scope with the cluster as a prop', () => {
    const { chart, cluster } = clusterChart();
    new NodePool(chart, 'standalone', { cluster, flavor: WORKER_FLAVOR });
    expect(objectOf(Testing.synth(chart), 'MachineDeployment').metadata.name).toBe('demo-standalone-worker');
  });
});

describe.each(PAIRS)('template names follow the spec as finally rendered (%s)', (_pair, upstreamVersions) => {
  const clusterChart = chartFor(upstreamVersions);
  const refs = (manifests: any[]) => ({
    worker: objectOf(manifests, 'MachineDeployment').spec.template.spec.infrastructureRef.name,
    bootstrap: objectOf(manifests, 'MachineDeployment').spec.template.spec.bootstrap.configRef.name,
    controlPlane: controlPlaneInfrastructureRef(objectOf(manifests, 'KubeadmControlPlane')).name,
  });

  test.each([
    ['a pool\'s machine template', 'worker', (pool: NodePool) => ApiObject.of(pool.machineTemplate).addJsonPatch(JsonPatch.add('/spec/template/spec/configDrive', true))],
    ['a pool\'s bootstrap template', 'bootstrap', (pool: NodePool) => ApiObject.of(pool.bootstrapTemplate).addJsonPatch(
      JsonPatch.add('/spec/template/spec/preKubeadmCommands', ['echo hello']))],
    ['the control plane machine template', 'controlPlane', (_pool: NodePool, cluster: OpenStackCapiCluster) => ApiObject.of(cluster.controlPlaneMachineTemplate).addJsonPatch(
      JsonPatch.replace('/spec/template/spec/flavor', 'm1.xxlarge'))],
  ] as const)('a patch on %s renames it, and its users follow', (_what, which, patch) => {
    const { chart, cluster } = clusterChart();
    const pool = cluster.addNodePool('p', { flavor: WORKER_FLAVOR });
    const before = refs(Testing.synth(chart));
    patch(pool, cluster);
    const manifests = Testing.synth(chart);
    const after = refs(manifests);
    expect(after[which]).not.toBe(before[which]);
    expect(after[which]).toMatch(/-[0-9a-f]{8}$/);
    // Only the patched template changes name; the referenced object exists under the new name.
    for (const other of Object.keys(before) as Array<keyof typeof before>) {
      if (other !== which) expect(after[other]).toBe(before[other]);
    }
    expect(manifests.filter(m => m.metadata.name === after[which])).toHaveLength(1);
    const templateNames = [pool.machineTemplate.name, pool.bootstrapTemplate.name, cluster.controlPlaneMachineTemplate.name];
    expect(templateNames).toContain(after[which]);
  });
});

test('a change of API version alone renames no template, so no machine rolls', () => {
  const templateNames = (upstreamVersions: UpstreamVersions) => {
    const { chart, cluster } = chartFor(upstreamVersions)();
    cluster.addNodePool('p', { flavor: WORKER_FLAVOR, labels: { tier: 'batch' }, taints: [{ key: 'gpu', effect: TaintEffect.NO_SCHEDULE }] });
    return Testing.synth(chart)
      .filter(m => ['OpenStackMachineTemplate', 'KubeadmConfigTemplate'].includes(m.kind))
      .map(m => `${m.kind}/${m.metadata.name}`);
  };
  const v1beta1 = templateNames(UpstreamVersions.CAPI_1_10_CAPO_0_12);
  expect(v1beta1).toHaveLength(3);
  expect(templateNames(UpstreamVersions.CAPI_1_13_CAPO_0_14)).toEqual(v1beta1);
  expect(templateNames(UpstreamVersions.CAPI_1_14_CAPO_0_14)).toEqual(v1beta1);
});

describe.each(PAIRS)('escape hatches (%s)', (_pair, upstreamVersions) => {
  test('a patch may add a field the generated classes do not know (e.g. from a newer CRD): it is written', () => {
    const { chart, cluster } = chartFor(upstreamVersions)();
    const pool = cluster.addNodePool('p', { flavor: WORKER_FLAVOR });
    for (const object of [pool.machineTemplate, pool.machineDeployment, cluster.controlPlane, cluster.openStackCluster]) {
      ApiObject.of(object).addJsonPatch(JsonPatch.add('/spec/fieldOfANewerRelease', 'kept'));
    }
    const manifests = Testing.synth(chart);
    for (const kind of ['OpenStackMachineTemplate', 'MachineDeployment', 'KubeadmControlPlane', 'OpenStackCluster']) {
      const [object] = manifests.filter(m => m.kind === kind && m.metadata.name.startsWith(kind === 'OpenStackMachineTemplate' ? 'demo-p-' : 'demo'));
      expect(object.spec.fieldOfANewerRelease).toBe('kept');
    }
  });
});

describe('a pool per availability zone', () => {
  test('one pool per zone, same options, failureDomain set, names from the zones', () => {
    const { chart, cluster } = chartFor(UpstreamVersions.CAPI_1_14_CAPO_0_14)();
    const pools = cluster.addNodePoolsPerZone('general', ['AZ-1', 'az_2', 'az3'], { flavor: WORKER_FLAVOR, autoscaling: { minSize: 0, maxSize: 3 } });
    expect(pools.map(p => p.name)).toEqual(['general-az-1', 'general-az-2', 'general-az3']);
    const manifests = Testing.synth(chart);
    expect(manifests.filter(m => m.kind === 'MachineDeployment').map(m => [m.metadata.name, m.spec.template.spec.failureDomain])).toEqual([
      ['demo-general-az-1-worker', 'AZ-1'], ['demo-general-az-2-worker', 'az_2'], ['demo-general-az3-worker', 'az3'],
    ]);
  });

  test('zones whose pool names collide, no zone, or a failureDomain of its own are refused', () => {
    const { cluster } = chartFor(UpstreamVersions.CAPI_1_14_CAPO_0_14)();
    expect(errorOf(() => cluster.addNodePoolsPerZone('p', ['az_1', 'AZ-1'], { flavor: WORKER_FLAVOR })))
      .toMatch(/addNodePoolsPerZone zones = "AZ-1": must give each pool its own name: "p-az-1" is taken/);
    expect(errorOf(() => cluster.addNodePoolsPerZone('p', [], { flavor: WORKER_FLAVOR }))).toMatch(/must name at least one availability zone/);
    expect(errorOf(() => cluster.addNodePoolsPerZone('p', ['a'], { flavor: WORKER_FLAVOR, failureDomain: 'b' }))).toMatch(/failureDomain = "b": is set per zone/);
  });
});

describe('per-pool autoscaling options', () => {
  test('written as the autoscaler\'s autoscaling-options annotations', () => {
    const { chart, cluster } = chartFor(UpstreamVersions.CAPI_1_14_CAPO_0_14)();
    cluster.addNodePool('gpu', {
      flavor: WORKER_FLAVOR,
      autoscaling: {
        minSize: 0,
        maxSize: 2,
        scaleDownUtilizationThreshold: 0.3,
        scaleDownGpuUtilizationThreshold: 0.2,
        scaleDownUnneededTime: Duration.minutes(30),
        scaleDownUnreadyTime: Duration.minutes(20),
        maxNodeProvisionTime: Duration.seconds(1500),
      },
    });
    const annotations = objectOf(Testing.synth(chart), 'MachineDeployment').metadata.annotations;
    expect(Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith('cluster.x-k8s.io/autoscaling-options-')))).toEqual({
      'cluster.x-k8s.io/autoscaling-options-scaledownutilizationthreshold': '0.3',
      'cluster.x-k8s.io/autoscaling-options-scaledowngpuutilizationthreshold': '0.2',
      'cluster.x-k8s.io/autoscaling-options-scaledownunneededtime': '30m0s',
      'cluster.x-k8s.io/autoscaling-options-scaledownunreadytime': '20m0s',
      'cluster.x-k8s.io/autoscaling-options-maxnodeprovisiontime': '25m0s',
    });
  });

  test('a threshold above 1 and a misspelled option are refused', () => {
    const { cluster } = chartFor(UpstreamVersions.CAPI_1_14_CAPO_0_14)();
    expect(errorOf(() => cluster.addNodePool('p', { flavor: WORKER_FLAVOR, autoscaling: { minSize: 0, maxSize: 2, scaleDownUtilizationThreshold: 50 } })))
      .toMatch(/autoscaling.scaleDownUtilizationThreshold = 50: must be a share from 0 to 1/);
    expect(errorOf(() => cluster.addNodePool('q', { flavor: WORKER_FLAVOR, autoscaling: { minSize: 0, maxSize: 2, maxsize: 3 } as any })))
      .toMatch(/autoscaling.maxsize = 3: is not a prop of NodePoolAutoscaling \(did you mean "maxSize"\?\)/);
  });
});
