import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { AutoscalerPlacement, Flavor, MachineImage, OpenStackCapiCluster, SecurityGroupRule, TaintEffect } from '../src';
import { MINIMAL_CLUSTER_PROPS } from './fixtures';

/**
 * Whatever props it is given, the library either builds the cluster or throws its own validation
 * error: never a TypeError or another error from deep inside.
 */

/**
 * The library's own errors: thrown by a construct (its props), or found when the app synthesizes
 * (state that addXxx() calls can still change, e.g. the node subnet against all pools), which
 * cdk8s reports as a validation failure, one line per problem.
 */
const OWN_ERROR = /^(\d+ invalid input errors?:\n( {2}- test\/[^\n]+(\n|$))+|Validation failed with the following errors:\n( {2}\[test[^\]]*\] test\/[^\n]+(\n|$))+)$/;

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Mostly valid values, so that whole clusters get built too, with a share of anything at all. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: invalid as fc.Arbitrary<T>, weight: 1 });
const junk = fc.oneof(fc.string(), fc.constantFrom('', 'Δ', '-x-', 'A_B', '1.32'));
const name = mostly(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), junk);
const count = mostly(fc.integer({ min: 0, max: 5 }), fc.oneof(fc.integer({ min: -3, max: -1 }), fc.double(), fc.constant(NaN)));
const badCidr = fc.oneof(junk, fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 40 })).map(([ip, len]) => `${ip}/${len}`), fc.ipV6().map(ip => `${ip}/64`));
// Valid choices that never overlap each other: pods, services and nodes each have their own range.
const podCidr = mostly(fc.constantFrom('192.168.0.0/16', '10.244.0.0/16'), badCidr);
const serviceCidr = mostly(fc.constantFrom('10.96.0.0/12', '172.20.0.0/16'), badCidr);
const nodeCidr = mostly(fc.constantFrom('10.6.0.0/24', '10.8.0.0/24'), badCidr);
const replicas = mostly(fc.constantFrom(1, 3, 5), count);
const version = mostly(fc.constantFrom('v1.32.4', 'v1.31.2', 'v1.29.0'), fc.oneof(junk, fc.constantFrom('1.32.4', 'v1.33', 'v2.0.0')));
const flavor = fc.oneof(
  name.map(n => Flavor.named(n)),
  fc.record({ vcpus: count, memoryMiB: mostly(fc.integer({ min: 512, max: 65536 }), count), diskGiB: maybe(count), gpus: maybe(count) })
    .chain(capacity => name.map(n => Flavor.of(n, capacity as any))),
);
const labels = fc.dictionary(mostly(name, fc.constantFrom('node.kubernetes.io/x', 'a/b/c', 'k8s.io/y', 'node-role.kubernetes.io/w')), mostly(name, junk), { maxKeys: 3 });

const clusterProps = fc.record({
  name: maybe(name),
  namespace: maybe(name),
  kubernetesVersion: version,
  podCidrs: maybe(fc.array(podCidr, { minLength: 1, maxLength: 1 })),
  serviceCidrs: maybe(fc.array(serviceCidr, { minLength: 1, maxLength: 1 })),
  nodeCidr: maybe(nodeCidr),
  dnsNameservers: maybe(fc.array(mostly(fc.ipV4(), fc.oneof(junk, fc.ipV6())), { maxLength: 2 })),
  externalNetworkId: maybe(mostly(fc.uuid(), junk)),
  controlPlaneReplicas: maybe(replicas),
  controlPlaneFlavor: flavor,
  image: fc.oneof(name.map(n => MachineImage.fromName(n)), fc.uuid().map(id => MachineImage.fromId(id))),
  labels: maybe(labels),
  securityGroupRules: maybe(fc.array(fc.record({
    name, protocol: maybe(mostly(fc.constantFrom('tcp', 'udp', '4'), junk)), portRangeMin: maybe(count), portRangeMax: maybe(count),
  }).map(p => SecurityGroupRule.custom(p as any)), { maxLength: 2 })),
});

const poolOptions = fc.record({
  name: maybe(name),
  flavor,
  replicas: maybe(count),
  autoscaling: maybe(fc.record({ minSize: count, maxSize: count })),
  labels: maybe(labels),
  taints: maybe(fc.array(fc.record({
    key: name, value: maybe(name), effect: mostly(fc.constantFrom(...Object.values(TaintEffect)), junk),
  }), { maxLength: 2 })),
  kubernetesVersion: maybe(version),
});

function expectOwnErrorIfAny(action: () => unknown): void {
  try {
    action();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toMatch(OWN_ERROR);
  }
}

/**
 * Runs `build` on every generated value: it must succeed (synthesizing the chart it returns) or
 * throw the library's own error. Both outcomes must occur, so the generators reach both.
 */
function builtOrRefused<T>(values: fc.Arbitrary<T>, build: (value: T) => Chart): void {
  const outcomes = { built: 0, refused: 0 };
  fc.assert(fc.property(values, value => {
    try {
      Testing.synth(build(value));
      outcomes.built++;
    } catch (e) {
      outcomes.refused++;
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toMatch(OWN_ERROR);
    }
  }), { numRuns: 300 });
  expect(outcomes.built).toBeGreaterThan(0);
  expect(outcomes.refused).toBeGreaterThan(0);
}

describe('random input', () => {
  test('cluster and pool props: the library\'s own validation error or a working cluster, never a crash', () => {
    builtOrRefused(fc.tuple(clusterProps, fc.array(poolOptions, { maxLength: 3 })), ([props, pools]) => {
      const chart = Testing.chart();
      const cluster = new OpenStackCapiCluster(chart, 'c', props as any);
      // A refused pool leaves the cluster as it was: the others, and the synth, go on.
      pools.forEach((options, i) => expectOwnErrorIfAny(() => cluster.addNodePool(`p${i}`, options as any)));
      return chart;
    });
  });

  test('add-on options: the library\'s own validation error or a working add-on, never a crash', () => {
    const anyShape = fc.oneof(junk, fc.integer(), fc.constant(null), fc.array(junk, { maxLength: 2 }), fc.dictionary(junk, junk, { maxKeys: 2 }));
    const addonOptions = fc.record({
      name: maybe(mostly(name, anyShape)),
      image: maybe(mostly(fc.constantFrom('registry.example.com/x:v1.2.3', 'x@sha256:' + 'a'.repeat(64)), anyShape)),
      kubectlImage: maybe(mostly(fc.constant('docker.io/alpine/k8s:1.32.13'), anyShape)),
      manifestUrl: maybe(mostly(fc.constant('https://mirror.example.com/v3.30.2/calico.yaml'), anyShape)),
      backoffLimit: maybe(mostly(count, anyShape)),
      expander: maybe(mostly(fc.constantFrom('least-waste', 'random,priority'), anyShape)),
      extraArgs: maybe(mostly(fc.constant(['--v=4']), anyShape)),
      placement: maybe(fc.constantFrom(...Object.values(AutoscalerPlacement), 'x')),
      managementKubeconfig: maybe(mostly(fc.record({ secretName: name, key: maybe(mostly(name, anyShape)) }), anyShape)),
      loadBalancerSubnetId: maybe(mostly(fc.uuid(), anyShape)),
    }, { requiredKeys: [] });
    // Each add-on gets its own options (another add-on's option is refused as a misspelling).
    const optionsOf: { [method: string]: string[] } = {
      addCalico: ['name', 'kubectlImage', 'manifestUrl', 'backoffLimit'],
      addCloudControllerManager: ['name', 'image', 'loadBalancerSubnetId'],
      addAutoscaler: ['name', 'image', 'expander', 'extraArgs', 'placement', 'managementKubeconfig'],
    };
    const methods = fc.constantFrom(...Object.keys(optionsOf));
    builtOrRefused(fc.tuple(methods, addonOptions), ([method, options]) => {
      const chart = Testing.chart();
      const own = Object.fromEntries(Object.entries(options).filter(([key]) => optionsOf[method].includes(key)));
      (new OpenStackCapiCluster(chart, 'c', MINIMAL_CLUSTER_PROPS) as any)[method](own);
      return chart;
    });
  });
});
