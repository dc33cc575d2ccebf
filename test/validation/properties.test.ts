import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { exampleManifests, VALIDATORS } from './fixtures';
import { Flavor, MachineImage, NodeTaint, OpenStackCapiCluster, SecurityGroupRule, TaintEffect, UpstreamVersions } from '../../src';
import { AutoscalerAddon, CalicoBootstrapJob, OpenStackCloudControllerManager } from '../../src/addons';

/** Property-based tests: every valid description validates, every corruption is caught. */

const dnsLabel = (maxLength: number) => fc.stringMatching(new RegExp(`^[a-z]([a-z0-9-]{0,${maxLength - 2}}[a-z0-9])?$`));
const labelKey = fc.tuple(fc.option(dnsLabel(12), { nil: undefined }), dnsLabel(16))
  .map(([prefix, name]) => prefix ? `${prefix}.example.com/${name}` : name);
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,14}[A-Za-z0-9])?)?$/);
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const taint: fc.Arbitrary<NodeTaint> = fc.record({
  key: labelKey,
  value: fc.option(labelValue.filter(v => v !== ''), { nil: undefined }),
  effect: fc.constantFrom(TaintEffect.NO_SCHEDULE, TaintEffect.PREFER_NO_SCHEDULE, TaintEffect.NO_EXECUTE),
});

const pool = fc.record({
  name: dnsLabel(10),
  vcpus: fc.integer({ min: 1, max: 64 }),
  memoryMiB: fc.integer({ min: 512, max: 262_144 }),
  diskGiB: fc.integer({ min: 10, max: 500 }),
  scaling: fc.oneof(
    fc.record({ minSize: fc.integer({ min: 0, max: 3 }), extra: fc.integer({ min: 1, max: 10 }) })
      .map(s => ({ autoscaling: { minSize: s.minSize, maxSize: s.minSize + s.extra } })),
    fc.integer({ min: 0, max: 5 }).map(replicas => ({ replicas })),
  ),
  labels,
  taints: fc.uniqueArray(taint, { maxLength: 2, selector: t => `${t.key}:${t.effect}` }),
});

/**
 * CIDRs from disjoint ranges: pods in 10.112-199/16, nodes in 10.0-95.x/24, services in 172.16-31/16
 * or kubeadm's default 10.96.0.0/12.
 */
const description = fc.record({
  name: dnsLabel(20),
  minor: fc.constantFrom(31, 32, 33),
  patch: fc.integer({ min: 0, max: 12 }),
  podCidr: fc.integer({ min: 112, max: 199 }).map(o => `10.${o}.0.0/16`),
  nodeCidr: fc.tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 0, max: 255 })).map(([b, c]) => `10.${b}.${c}.0/24`),
  serviceCidr: fc.option(fc.integer({ min: 16, max: 31 }).map(o => `172.${o}.0.0/16`), { nil: undefined }),
  controlPlaneReplicas: fc.constantFrom(1, 3, 5),
  apiServerLoadBalancer: fc.boolean(),
  dnsNameservers: fc.array(fc.ipV4(), { maxLength: 2 }),
  sshKeyName: fc.option(dnsLabel(12), { nil: undefined }),
  imageById: fc.boolean(),
  calicoRules: fc.boolean(),
  templateHashing: fc.boolean(),
  labels,
  pools: fc.uniqueArray(pool, { maxLength: 3, selector: p => p.name }),
  addons: fc.record({ calico: fc.boolean(), cloudControllerManager: fc.boolean(), autoscaler: fc.boolean() }),
  pair: fc.nat(VALIDATORS.length - 1),
});

type Description = typeof description extends fc.Arbitrary<infer T> ? T : never;

function synthesize(d: Description): any[] {
  const chart = Testing.chart();
  const version = `v1.${d.minor}.${d.patch}`;
  const cluster = new OpenStackCapiCluster(chart, 'Cluster', {
    name: d.name,
    kubernetesVersion: version,
    podCidrs: [d.podCidr],
    serviceCidrs: d.serviceCidr ? [d.serviceCidr] : undefined,
    nodeCidr: d.nodeCidr,
    dnsNameservers: d.dnsNameservers,
    // Without a load balancer, only a single control plane machine is valid.
    apiServerLoadBalancer: d.apiServerLoadBalancer || d.controlPlaneReplicas > 1,
    securityGroupRules: d.calicoRules ? SecurityGroupRule.calico() : undefined,
    controlPlaneFlavor: Flavor.named('m1.large'),
    controlPlaneReplicas: d.controlPlaneReplicas,
    image: d.imageById ? MachineImage.fromId('6f1c2c5e-3c1a-4c55-9d55-3d2a1a0f9b10') : MachineImage.fromName(`ubuntu-2204-kube-${version}`),
    sshKeyName: d.sshKeyName,
    labels: d.labels,
    templateHashing: d.templateHashing,
    upstreamVersions: VALIDATORS[d.pair].versions,
  });
  for (const p of d.pools) {
    cluster.addNodePool(p.name, {
      flavor: Flavor.of(`flavor-${p.name}`, { vcpus: p.vcpus, memoryMiB: p.memoryMiB, diskGiB: p.diskGiB }),
      ...p.scaling,
      labels: p.labels,
      taints: p.taints,
    });
  }
  if (d.addons.calico) new CalicoBootstrapJob(chart, 'Calico', { cluster });
  if (d.addons.cloudControllerManager) new OpenStackCloudControllerManager(chart, 'Ccm', { cluster });
  if (d.addons.autoscaler) new AutoscalerAddon(chart, 'Autoscaler', { cluster });
  return Testing.synth(chart);
}

describe('random valid cluster descriptions', () => {
  test('synthesize to objects that validate against their pair, and in v1beta1 against every pair', () => {
    fc.assert(fc.property(description, d => {
      const manifests = synthesize(d);
      expect(VALIDATORS[d.pair].validate(manifests)).toEqual([]);
      // v1beta1 (CAPI v1.10's) is still served by the newer pairs.
      if (VALIDATORS[d.pair].versions === UpstreamVersions.CAPI_1_10_CAPO_0_12) {
        for (const validator of VALIDATORS) expect(validator.validate(manifests)).toEqual([]);
      }
    }), { numRuns: 500 });
  });
});

/** Ways to break one object of a valid list, each of which the API server would refuse. */
const corruption = fc.oneof(
  fc.record({ kind: fc.constant('unknown field' as const), where: fc.constantFrom('', 'metadata', 'spec'), field: fc.stringMatching(/^zz[a-zA-Z0-9]{1,10}$/), value: fc.jsonValue() }),
  fc.record({ kind: fc.constant('wrong type' as const), where: fc.constantFrom('metadata.name', 'metadata.labels', 'spec', 'kind'), value: fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string(), { minLength: 1 })) }),
  fc.record({
    kind: fc.constant('bad name' as const),
    name: fc.oneof(
      fc.stringMatching(/^[a-z0-9]*[A-Z_ !@/][a-z0-9]*$/),
      fc.stringMatching(/^-[a-z0-9]{0,10}$/),
      fc.integer({ min: 254, max: 400 }).map(n => 'a'.repeat(n)),
      fc.stringMatching(/^[a-z0-9]{0,5}[/%][a-z0-9]{0,5}$/),
    ),
  }),
);

function corrupt(manifest: any, c: typeof corruption extends fc.Arbitrary<infer T> ? T : never): void {
  switch (c.kind) {
    case 'unknown field': {
      const parent = c.where === '' ? manifest : manifest[c.where] ?? manifest;
      parent[c.field] = c.value;
      return;
    }
    case 'wrong type': {
      const [first, second] = c.where.split('.');
      if (second) manifest[first][second] = c.value;
      else if (first === 'spec' && manifest.spec === undefined) manifest.metadata = c.value; // kinds without spec
      else manifest[first] = c.value;
      return;
    }
    case 'bad name':
      manifest.metadata.name = c.name;
      return;
  }
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

describe('random corruptions of valid manifests', () => {
  // The example written for each pair, valid against it.
  const examples = VALIDATORS.map(validator => exampleManifests(validator.versions));

  test('are all caught, naming the object', () => {
    fc.assert(fc.property(fc.nat(VALIDATORS.length - 1), fc.nat(1000), corruption, (v, i, c) => {
      const valid = examples[v];
      const index = i % valid.length;
      // RBAC objects only need a path segment for a name: any length, any character but "/" and "%".
      fc.pre(c.kind !== 'bad name' || !RBAC_KINDS.has(valid[index].kind) || /[/%]/.test(c.name));
      const manifests = structuredClone(valid);
      corrupt(manifests[index], c);
      const errors = VALIDATORS[v].validate(manifests);
      expect(errors.length).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });
});
