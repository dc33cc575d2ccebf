import { Chart, Testing } from 'cdk8s';
import {
  CalicoBootstrapJob, CapiTesting, ClassPatchTarget, ClusterClassVariable, Flavor, OpenStackClusterClass,
  OpenStackClusterClassProps, OpenStackTopologyCluster, SchemaValidator, UpstreamVersions,
} from '../src';
import { CLASS_BASE, errorOf } from './fixtures';

const CLASS_PROPS: OpenStackClusterClassProps = {
  ...CLASS_BASE,
  workerClasses: {
    general: { flavor: Flavor.of('m1.xlarge', { vcpus: 4, memoryMiB: 16384, diskGiB: 40 }) },
    gpu: { flavor: Flavor.of('g1.large', { vcpus: 8, memoryMiB: 32768, diskGiB: 80, gpus: 1 }) },
  },
  variables: [ClusterClassVariable.string('team', { pattern: '^[a-z]+$', required: true })],
  patches: [{ name: 'team', target: ClassPatchTarget.WORKER_MACHINE, path: '/spec/template/spec/serverMetadata', template: '- key: team\n  value: {{ .team }}' }],
};

function classChart(overrides: Partial<OpenStackClusterClassProps> = {}) {
  const chart = new Chart(Testing.app(), 'class');
  const cls = new OpenStackClusterClass(chart, 'Class', { ...CLASS_PROPS, ...overrides });
  return { chart, cls };
}

describe('OpenStackClusterClass', () => {
  test('the ClusterClass and its templates, hash-named, valid against CAPI v1.14.0\'s and v1.13.5\'s CRDs (CEL rules included)', () => {
    const { chart } = classChart();
    const objects = CapiTesting.synth(chart);
    expect(objects.map(o => o.kind).sort()).toEqual([
      'ClusterClass', 'KubeadmConfigTemplate', 'KubeadmConfigTemplate', 'KubeadmControlPlaneTemplate', 'Namespace', 'OpenStackClusterTemplate',
      'OpenStackMachineTemplate', 'OpenStackMachineTemplate', 'OpenStackMachineTemplate',
    ]);
    const cc = objects.find(o => o.kind === 'ClusterClass');
    const names = objects.filter(o => o.kind !== 'ClusterClass' && o.kind !== 'Namespace').map(o => o.metadata.name);
    for (const name of names) expect(name).toMatch(/-[0-9a-f]{8}$/);
    expect(cc.spec.controlPlane.templateRef).toEqual({ apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlaneTemplate', name: expect.stringMatching(/^standard-kubeadm-/) });
    expect(cc.spec.workers.machineDeployments.map((md: any) => md.class)).toEqual(['general', 'gpu']);
    expect(cc.spec.controlPlane.healthCheck.checks.unhealthyNodeConditions.length).toBeGreaterThan(0);
    expect(cc.spec.variables.map((v: any) => v.name)).toEqual([
      'identityRef', 'imageName', 'controlPlaneFlavor', 'workerFlavor', 'apiServerLoadBalancer', 'allowedCidrs', 'nodeCidr', 'dnsNameservers', 'oidc', 'registryMirrors',
      'team',
    ]);
    // The KubeadmControlPlaneTemplate has no size nor version: each cluster gives them.
    const kcpt = objects.find(o => o.kind === 'KubeadmControlPlaneTemplate');
    expect(kcpt.spec.template.spec.replicas).toBeUndefined();
    expect(kcpt.spec.template.spec.version).toBeUndefined();
    expect(kcpt.spec.template.spec.kubeadmConfigSpec).toBeDefined();
    // CapiTesting validated with the class's pair; the other v1beta2 pair too.
    expect(new SchemaValidator({ versions: UpstreamVersions.CAPI_1_13_CAPO_0_14 }).validate(objects)).toEqual([]);
  });

  test('editing the class renames the templates it changes: a class change rolls its clusters', () => {
    const before = CapiTesting.synth(classChart().chart);
    const after = CapiTesting.synth(classChart({
      workerClasses: { ...CLASS_PROPS.workerClasses, general: { flavor: Flavor.of('m1.2xlarge', { vcpus: 8, memoryMiB: 32768, diskGiB: 40 }) } },
    }).chart);
    const ref = (objects: any[], cls: string) => objects.find(o => o.kind === 'ClusterClass').spec.workers.machineDeployments.find((md: any) => md.class === cls).infrastructure.templateRef.name;
    expect(ref(after, 'general')).not.toBe(ref(before, 'general'));
    expect(ref(after, 'gpu')).toBe(ref(before, 'gpu'));
  });

  test('refused: the v1beta1 pair, sized worker classes, unknown patch variables', () => {
    expect(errorOf(() => classChart({ cluster: { ...CLASS_PROPS.cluster, upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12 } })))
      .toMatch(/cluster.upstreamVersions = "CAPI v1.10.5 \+ CAPO v0.12.4": must serve CAPI v1beta2/);
    expect(errorOf(() => classChart({ workerClasses: { general: { flavor: Flavor.named('m1.large'), replicas: 2 } } })))
      .toMatch(/workerClasses.general.replicas = 2: is set by each cluster of the class/);
    expect(errorOf(() => classChart({ patches: [{ name: 'x', target: ClassPatchTarget.CONTROL_PLANE, path: '/spec/template/spec/x', variable: 'nope' }] })))
      .toMatch(/patches\[0\].variable = "nope": is not a variable of the class/);
  });
});

describe('OpenStackTopologyCluster', () => {
  function topology(props: Partial<ConstructorParameters<typeof OpenStackTopologyCluster>[2]> = {}) {
    const { chart, cls } = classChart();
    const cluster = new OpenStackTopologyCluster(chart, 'prod', {
      name: 'prod',
      clusterClass: cls,
      kubernetesVersion: 'v1.33.2',
      variables: { team: 'payments', imageName: 'ubuntu-2404-kube-v1.33.2' },
      workers: [
        { class: 'general', name: 'general', autoscaling: { minSize: 0, maxSize: 5 }, failureDomain: 'az-1' },
        { class: 'gpu', name: 'gpu', replicas: 1, variables: { imageName: 'ubuntu-2404-kube-v1.33.2-nvidia' } },
      ],
      ...props,
    });
    return { chart, cls, cluster };
  }

  test('a Cluster with spec.topology only, its variables set, valid against CAPI\'s CRD', () => {
    const { chart } = topology();
    const objects = CapiTesting.synth(chart);
    const cluster = objects.find(o => o.kind === 'Cluster');
    expect(cluster.spec.topology).toEqual({
      classRef: { name: 'standard' },
      version: 'v1.33.2',
      controlPlane: { replicas: 3 },
      workers: {
        machineDeployments: [
          {
            class: 'general',
            name: 'general',
            failureDomain: 'az-1',
            metadata: {
              annotations: expect.objectContaining({
                'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '0',
                'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '5',
                'capacity.cluster-autoscaler.kubernetes.io/cpu': '4',
                'capacity.cluster-autoscaler.kubernetes.io/memory': expect.stringMatching(/Mi$/),
              }),
            },
          },
          { class: 'gpu', name: 'gpu', replicas: 1, variables: { overrides: [{ name: 'imageName', value: 'ubuntu-2404-kube-v1.33.2-nvidia' }] } },
        ],
      },
      variables: [
        { name: 'identityRef', value: { name: 'prod-cloud-config', cloudName: 'openstack' } },
        { name: 'imageName', value: 'ubuntu-2404-kube-v1.33.2' },
        { name: 'team', value: 'payments' },
      ],
    });
    expect(objects.filter(o => o.kind === 'KubeadmControlPlane' || o.kind === 'MachineDeployment')).toEqual([]);
  });

  test('variables are checked against the class\'s schemas at synth time, with one-line errors', () => {
    expect(errorOf(() => topology({ variables: { team: 'Payments!', nodeCidr: 'ten', colour: 'blue' } })))
      .toMatch(/prod: variables.team = "Payments!": must match the pattern "\^\[a-z\]\+\$"[^]*variables.nodeCidr = "ten": must match the pattern[^]*variables.colour = "blue": is not a variable of ClusterClass standard/);
    expect(errorOf(() => topology({ variables: { imageName: 'x' } }))).toMatch(/variables.team = undefined: is required by ClusterClass standard/);
    // Another version than the class's needs its image; a node subnet may not overlap the pods.
    expect(errorOf(() => topology({ variables: { team: 'a' } })))
      .toMatch(/variables.imageName = undefined: is required for Kubernetes v1.33.2: the class's image is built for v1.32.4/);
    expect(errorOf(() => topology({ variables: { team: 'a', imageName: 'x', nodeCidr: '192.168.1.0/24' } })))
      .toMatch(/variables.nodeCidr = "192.168.1.0\/24": must not overlap the pod CIDR 192.168.0.0\/16/);
    expect(errorOf(() => topology({ workers: [{ class: 'huge', name: 'x' }] }))).toMatch(/workers\[0\].class = "huge": must be a worker class of standard \(general, gpu\)/);
    expect(errorOf(() => topology({ kubernetesVersion: 'v1.29.0' }))).toMatch(/kubernetesVersion = "v1.29.0": is not supported for workload clusters by CAPI v1.14.0/);
  });

  test('add-ons take it as they take a plain cluster', () => {
    const { chart, cluster } = topology();
    new CalicoBootstrapJob(chart, 'Calico', { cluster });
    const objects = CapiTesting.synth(chart);
    expect(objects.find(o => o.kind === 'ClusterResourceSet').spec.clusterSelector.matchLabels).toEqual({ 'cluster.x-k8s.io/cluster-name': 'prod' });
  });
});

describe('ClusterClass details', () => {
  test('without a load balancer, no allowedCidrs variable; worker options (failure domain, rollout, drain) reach the class', () => {
    const { chart } = classChart({
      cluster: { ...CLASS_PROPS.cluster, apiServerLoadBalancer: false, controlPlaneReplicas: 1 },
      workerClasses: { general: { flavor: Flavor.named('m1.large'), failureDomain: 'az-1', rollout: { maxSurge: 0, maxUnavailable: 1 } } as any },
    });
    const cc = CapiTesting.synth(chart).find(o => o.kind === 'ClusterClass');
    expect(cc.spec.variables.map((v: any) => v.name)).not.toContain('allowedCidrs');
    const general = cc.spec.workers.machineDeployments[0];
    expect(general.failureDomain).toBe('az-1');
    expect(general.rollout.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  test('bad variables and patches are refused at synth, and the class\'s own choices are named by their prop', () => {
    expect(errorOf(() => classChart({ variables: [ClusterClassVariable.string('builtin'), ClusterClassVariable.string('ok', { pattern: '(' })] })))
      .toMatch(/variables = "builtin": must start with a letter[^]*variables.ok = "\(": holds a pattern that is not a valid regular expression/);
    expect(errorOf(() => classChart({ patches: [{ name: 'p', target: ClassPatchTarget.WORKER_MACHINE, path: '/spec/template/spec/x', template: '{{ .nope }}' }] })))
      .toMatch(/patches\[0\].template = "\{\{ .nope \}\}": names nope, which is not a variable of the class/);
    expect(errorOf(() => classChart({ workerClasses: { general: { flavor: undefined as any } } })))
      .toMatch(/class\/Class: workerClasses.general.flavor = undefined/);
  });

  test('a topology cluster keeps the class\'s pod CIDRs when its ports allow them', () => {
    const { chart, cls } = classChart({ cluster: { ...CLASS_PROPS.cluster, podCidrsAllowedOnPorts: true } });
    expect(errorOf(() => new OpenStackTopologyCluster(chart, 'x', {
      name: 'x', clusterClass: cls, kubernetesVersion: 'v1.32.4', podCidrs: ['10.244.0.0/16'], variables: { team: 'a' },
    }))).toMatch(/podCidrs = \["10.244.0.0\/16"\]: must be the class's \(192.168.0.0\/16\)/);
  });
});

describe('ClusterClass: flavor and load balancer variables', () => {
  test('patches set the flavors and the load balancer; a pool scaling from zero keeps its class flavor; one control plane machine without a load balancer', () => {
    const { chart, cls } = classChart();
    const cc = CapiTesting.synth(chart).find(o => o.kind === 'ClusterClass');
    const patch = (name: string) => cc.spec.patches.find((p: any) => p.name === name).definitions[0];
    expect(patch('controlPlaneFlavor').jsonPatches[0]).toEqual({ op: 'add', path: '/spec/template/spec/flavor', valueFrom: { variable: 'controlPlaneFlavor' } });
    expect(patch('workerFlavor').selector.matchResources).toEqual({ machineDeploymentClass: { names: ['general', 'gpu'] } });
    expect(cc.spec.variables.find((v: any) => v.name === 'apiServerLoadBalancer').schema.openAPIV3Schema).toMatchObject({ type: 'boolean', default: true });
    const base = { clusterClass: cls, kubernetesVersion: 'v1.32.4' };
    expect(errorOf(() => new OpenStackTopologyCluster(chart, 'a', {
      ...base, name: 'a', variables: { team: 'a', workerFlavor: 'm1.huge' }, workers: [{ class: 'general', name: 'g', autoscaling: { minSize: 0, maxSize: 3 } }],
    }))).toMatch(/workers\[0\].variables.workerFlavor = "m1.huge": cannot change the flavor of a pool that scales from zero/);
    expect(errorOf(() => new OpenStackTopologyCluster(chart, 'b', { ...base, name: 'b', variables: { team: 'a', apiServerLoadBalancer: false } })))
      .toMatch(/variables.apiServerLoadBalancer = false: needs one control plane machine \(controlPlaneReplicas is 3\)/);
    const single = new OpenStackTopologyCluster(chart, 'c', {
      ...base,
      name: 'c',
      controlPlaneReplicas: 1,
      variables: { team: 'a', apiServerLoadBalancer: false, workerFlavor: 'm1.huge' },
      workers: [{ class: 'general', name: 'g', replicas: 2 }],
    });
    expect(single.clusterObject.toJson().spec.topology.variables.map((v: any) => v.name)).toContain('workerFlavor');
  });
});

test('a patch path that the target kind\'s pinned schema lacks is refused at synth', () => {
  expect(errorOf(() => classChart({
    patches: [{ name: 'p', target: ClassPatchTarget.WORKER_MACHINE, path: '/spec/template/spec/serverMetadatas', template: '[]' }],
    variables: [ClusterClassVariable.string('team', { required: true })],
  }))).toMatch(/patches\[0\].path = "\/spec\/template\/spec\/serverMetadatas": is not a path of OpenStackMachineTemplate \(infrastructure.cluster.x-k8s.io\/v1beta1\): \/spec\/template\/spec has no field "serverMetadatas"/);
  // The built-in patches and the example's own pass the same check (they construct).
  expect(() => classChart()).not.toThrow();
});
