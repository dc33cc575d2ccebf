import { Duration, Testing } from 'cdk8s';
import { OpenStackCapiClusterProps, SchemaValidator, UnhealthyThreshold, UpstreamVersions } from '../src';
import { PAIRS } from './api-views';
import { clusterChart, errorOf, objectOf, WORKER_FLAVOR } from './fixtures';

/** The health check as CAPI reads it, from either API version. */
function healthCheckView(mhc: any) {
  const spec = mhc.spec;
  if (spec.checks) {
    return {
      selector: spec.selector.matchLabels,
      nodeStartupTimeoutSeconds: spec.checks.nodeStartupTimeoutSeconds,
      conditions: spec.checks.unhealthyNodeConditions.map((c: any) => `${c.type}=${c.status} ${c.timeoutSeconds}s`),
      maxUnhealthy: spec.remediation?.triggerIf?.unhealthyLessThanOrEqualTo,
      range: spec.remediation?.triggerIf?.unhealthyInRange,
    };
  }
  return {
    selector: spec.selector.matchLabels,
    nodeStartupTimeoutSeconds: parseInt(spec.nodeStartupTimeout, 10),
    conditions: spec.unhealthyConditions.map((c: any) => `${c.type}=${c.status} ${parseInt(c.timeout, 10)}s`),
    maxUnhealthy: spec.maxUnhealthy,
    range: spec.unhealthyRange,
  };
}

describe.each(PAIRS)('MachineHealthChecks (%s)', (_pair, upstreamVersions) => {
  const chartWith = (overrides: Partial<OpenStackCapiClusterProps> = {}) => clusterChart({ upstreamVersions, ...overrides });

  test('on by default for the control plane and every pool, selecting their machines', () => {
    const { chart, cluster } = chartWith();
    cluster.addNodePool('workers', { flavor: WORKER_FLAVOR, replicas: 5 });
    const manifests = Testing.synth(chart);
    const controlPlane = objectOf(manifests, 'MachineHealthCheck', 'demo-control-plane');
    expect(controlPlane.spec.clusterName).toBe('demo');
    expect(healthCheckView(controlPlane)).toEqual({
      // KCP labels its machines with the control plane's name (CAPI book, "Supported labels").
      selector: { 'cluster.x-k8s.io/control-plane-name': 'demo-control-plane' },
      nodeStartupTimeoutSeconds: 600,
      conditions: ['Ready=False 300s', 'Ready=Unknown 300s'],
      maxUnhealthy: 1,
      range: undefined,
    });
    expect(healthCheckView(objectOf(manifests, 'MachineHealthCheck', 'demo-workers-worker'))).toEqual({
      selector: { 'cluster.x-k8s.io/deployment-name': 'demo-workers-worker' },
      nodeStartupTimeoutSeconds: 600,
      conditions: ['Ready=False 300s', 'Ready=Unknown 300s'],
      maxUnhealthy: 2, // 40% of 5
      range: undefined,
    });
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });

  test('configurable: timeouts, a percentage or a range; off per pool', () => {
    const { chart, cluster } = chartWith({
      controlPlaneHealthCheck: { unhealthyTimeout: Duration.minutes(8), nodeStartupTimeout: Duration.minutes(20) },
    });
    cluster.addNodePool('big', { flavor: WORKER_FLAVOR, autoscaling: { minSize: 5, maxSize: 50 }, healthCheck: { maxUnhealthy: UnhealthyThreshold.percent(40) } });
    cluster.addNodePool('ranged', { flavor: WORKER_FLAVOR, replicas: 6, healthCheck: { maxUnhealthy: UnhealthyThreshold.range(1, 2) } });
    cluster.addNodePool('batch', { flavor: WORKER_FLAVOR, healthCheck: { enabled: false } });
    const manifests = Testing.synth(chart);
    expect(healthCheckView(objectOf(manifests, 'MachineHealthCheck', 'demo-control-plane'))).toMatchObject({
      nodeStartupTimeoutSeconds: 1200, conditions: ['Ready=False 480s', 'Ready=Unknown 480s'],
    });
    expect(healthCheckView(objectOf(manifests, 'MachineHealthCheck', 'demo-big-worker')).maxUnhealthy).toBe('40%');
    expect(healthCheckView(objectOf(manifests, 'MachineHealthCheck', 'demo-ranged-worker')).range).toBe('[1-2]');
    expect(manifests.filter(m => m.kind === 'MachineHealthCheck').map(m => m.metadata.name).sort())
      .toEqual(['demo-big-worker', 'demo-control-plane', 'demo-ranged-worker']);
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });
});

describe('thresholds that cannot work are refused', () => {
  const poolError = (healthCheck: any, size: any) => {
    const { cluster } = clusterChart();
    return errorOf(() => cluster.addNodePool('p', { flavor: WORKER_FLAVOR, ...size, healthCheck }));
  };

  test.each([
    ['40% of a pool that can shrink to 1 or 2 never remediates', { maxUnhealthy: UnhealthyThreshold.percent(40) }, { autoscaling: { minSize: 0, maxSize: 10 } },
      /test\/demo\/p: healthCheck.maxUnhealthy = "40%": can never remediate a group of 1 machine: raise it/],
    ['100% replaces a whole pool of 3 at once', { maxUnhealthy: UnhealthyThreshold.percent(100) }, { replicas: 3 },
      /healthCheck.maxUnhealthy = "100%": would replace all 3 machines of the group at once: lower it below 3/],
    ['a count as large as the pool', { maxUnhealthy: UnhealthyThreshold.count(3) }, { replicas: 3 },
      /healthCheck.maxUnhealthy = 3: would replace all 3 machines of the group at once: lower it below 3/],
    ['a count of zero', { maxUnhealthy: UnhealthyThreshold.count(0) }, { replicas: 3 },
      /healthCheck.maxUnhealthy = 0: can never remediate a group of 3 machines/],
    ['a range above the pool\'s size', { maxUnhealthy: UnhealthyThreshold.range(3, 5) }, { replicas: 2 },
      /healthCheck.maxUnhealthy = "\[3-5\]": can never remediate a group of 2 machines/],
    ['a timeout of a fraction of a second', { unhealthyTimeout: Duration.millis(1500) }, { replicas: 2 },
      /healthCheck.unhealthyTimeout = "1500 ms": must be a Duration of whole, positive seconds/],
    ['a misspelled option', { maxUnhealty: UnhealthyThreshold.count(1) }, { replicas: 2 },
      /maxUnhealty = .*: is not a prop of healthCheck \(did you mean "maxUnhealthy"\?\)/],
  ])('%s', (_what, healthCheck, size, message) => {
    expect(poolError(healthCheck, size)).toMatch(message);
  });

  test('the control plane too, against its replicas', () => {
    expect(errorOf(() => clusterChart({ controlPlaneHealthCheck: { maxUnhealthy: UnhealthyThreshold.percent(100) } })))
      .toMatch(/test\/demo: controlPlaneHealthCheck.maxUnhealthy = "100%": would replace all 3 machines of the group at once/);
  });

  test('the default suits any size: a pool scaled from zero remediates one machine at a time', () => {
    const { chart, cluster } = clusterChart({ upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12 });
    cluster.addNodePool('p', { flavor: WORKER_FLAVOR, autoscaling: { minSize: 0, maxSize: 100 } });
    expect(objectOf(Testing.synth(chart), 'MachineHealthCheck', 'demo-p-worker').spec.maxUnhealthy).toBe(1);
  });
});
