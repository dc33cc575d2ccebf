import { Duration, Testing } from 'cdk8s';
import { DeletionOrder, OpenStackCapiClusterProps, RolloutStrategyType, SchemaValidator, UpstreamVersions } from '../src';
import { PAIRS } from './api-views';
import { clusterChart, errorOf, objectOf, WORKER_FLAVOR } from './fixtures';

/** Rollout, deletion and remediation settings as CAPI reads them, from either API version. */
function machineDeploymentView(md: any) {
  const spec = md.spec;
  const template = spec.template.spec;
  if (md.apiVersion.endsWith('v1beta2')) {
    return {
      strategy: spec.rollout?.strategy?.type,
      maxSurge: spec.rollout?.strategy?.rollingUpdate?.maxSurge,
      maxUnavailable: spec.rollout?.strategy?.rollingUpdate?.maxUnavailable,
      deletionOrder: spec.deletion?.order,
      minReadySeconds: template.minReadySeconds,
      drain: template.deletion?.nodeDrainTimeoutSeconds,
      volumeDetach: template.deletion?.nodeVolumeDetachTimeoutSeconds,
      nodeDeletion: template.deletion?.nodeDeletionTimeoutSeconds,
    };
  }
  const seconds = (d: string | undefined) => (d === undefined ? undefined : parseInt(d, 10));
  return {
    strategy: spec.strategy?.type,
    maxSurge: spec.strategy?.rollingUpdate?.maxSurge,
    maxUnavailable: spec.strategy?.rollingUpdate?.maxUnavailable,
    deletionOrder: spec.strategy?.rollingUpdate?.deletePolicy,
    minReadySeconds: spec.minReadySeconds,
    drain: seconds(template.nodeDrainTimeout),
    volumeDetach: seconds(template.nodeVolumeDetachTimeout),
    nodeDeletion: seconds(template.nodeDeletionTimeout),
  };
}

function controlPlaneView(kcp: any) {
  const spec = kcp.spec;
  if (kcp.apiVersion.endsWith('v1beta2')) {
    return {
      maxSurge: spec.rollout?.strategy?.rollingUpdate?.maxSurge,
      certificatesExpiryDays: spec.rollout?.before?.certificatesExpiryDays,
      remediation: spec.remediation,
      drain: spec.machineTemplate.spec.deletion?.nodeDrainTimeoutSeconds,
    };
  }
  const seconds = (d: string | undefined) => (d === undefined ? undefined : parseInt(d, 10));
  return {
    maxSurge: spec.rolloutStrategy?.rollingUpdate?.maxSurge,
    certificatesExpiryDays: spec.rolloutBefore?.certificatesExpiryDays,
    remediation: spec.remediationStrategy && {
      maxRetry: spec.remediationStrategy.maxRetry,
      retryPeriodSeconds: seconds(spec.remediationStrategy.retryPeriod),
      minHealthyPeriodSeconds: seconds(spec.remediationStrategy.minHealthyPeriod),
    },
    drain: seconds(spec.machineTemplate.nodeDrainTimeout),
  };
}

describe.each(PAIRS)('rollouts, drains and remediation (%s)', (_pair, upstreamVersions) => {
  const chartWith = (overrides: Partial<OpenStackCapiClusterProps> = {}) => clusterChart({ upstreamVersions, ...overrides });

  test('defaults: CAPI\'s for pools; the control plane rolls 21 days before its certificates expire', () => {
    const { chart, cluster } = chartWith();
    cluster.addNodePool('p', { flavor: WORKER_FLAVOR });
    const manifests = Testing.synth(chart);
    expect(machineDeploymentView(objectOf(manifests, 'MachineDeployment'))).toEqual({
      strategy: undefined,
      maxSurge: undefined,
      maxUnavailable: undefined,
      deletionOrder: undefined,
      minReadySeconds: undefined,
      drain: undefined,
      volumeDetach: undefined,
      nodeDeletion: undefined,
    });
    expect(controlPlaneView(objectOf(manifests, 'KubeadmControlPlane'))).toEqual({
      maxSurge: undefined, certificatesExpiryDays: 21, remediation: undefined, drain: undefined,
    });
  });

  test('pool rollout, deletion order and timeouts; control plane surge, remediation and drain: where CAPI reads them', () => {
    const { chart, cluster } = chartWith({
      controlPlaneRollout: {
        maxSurge: 0,
        certificatesExpiryDays: 30,
        remediationMaxRetry: 5,
        remediationRetryPeriod: Duration.minutes(5),
        remediationMinHealthyPeriod: Duration.hours(2),
      },
      controlPlaneDeletion: { nodeDrainTimeout: Duration.minutes(10) },
    });
    cluster.addNodePool('rolling', {
      flavor: WORKER_FLAVOR,
      replicas: 4,
      rollout: { maxSurge: 2, maxUnavailable: 1, deletionOrder: DeletionOrder.OLDEST, minReadySeconds: 30 },
      deletion: { nodeDrainTimeout: Duration.minutes(15), nodeVolumeDetachTimeout: Duration.minutes(5), nodeDeletionTimeout: Duration.seconds(30) },
    });
    cluster.addNodePool('pinned', { flavor: WORKER_FLAVOR, rollout: { strategy: RolloutStrategyType.ON_DELETE } });
    const manifests = Testing.synth(chart);
    expect(machineDeploymentView(objectOf(manifests, 'MachineDeployment', 'demo-rolling-worker'))).toEqual({
      strategy: 'RollingUpdate',
      maxSurge: 2,
      maxUnavailable: 1,
      deletionOrder: 'Oldest',
      minReadySeconds: 30,
      drain: 900,
      volumeDetach: 300,
      nodeDeletion: 30,
    });
    expect(machineDeploymentView(objectOf(manifests, 'MachineDeployment', 'demo-pinned-worker')).strategy).toBe('OnDelete');
    expect(controlPlaneView(objectOf(manifests, 'KubeadmControlPlane'))).toEqual({
      maxSurge: 0,
      certificatesExpiryDays: 30,
      remediation: { maxRetry: 5, retryPeriodSeconds: 300, minHealthyPeriodSeconds: 7200 },
      drain: 600,
    });
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });
});

describe('rollout settings that cannot work are refused', () => {
  test.each([
    ['no surge and no unavailability: the rollout could never start', { rollout: { maxSurge: 0 } },
      /test\/demo\/p: rollout.maxSurge = 0: must be at least 1 while maxUnavailable is 0/],
    ['surge with OnDelete', { rollout: { strategy: RolloutStrategyType.ON_DELETE, maxSurge: 1 } },
      /rollout.maxSurge = 1: applies to RolloutStrategyType.ROLLING_UPDATE only/],
    ['a negative minReadySeconds', { rollout: { minReadySeconds: -1 } }, /rollout.minReadySeconds = -1: must be a whole number/],
    ['a drain timeout of a fraction of a second', { deletion: { nodeDrainTimeout: Duration.millis(500) } },
      /deletion.nodeDrainTimeout = "500 ms": must be a Duration of whole, positive seconds/],
    ['an unknown deletion order', { rollout: { deletionOrder: 'Youngest' as DeletionOrder } }, /rollout.deletionOrder = "Youngest": must be a DeletionOrder/],
  ])('pool: %s', (_what, options, message) => {
    const { cluster } = clusterChart();
    expect(errorOf(() => cluster.addNodePool('p', { flavor: WORKER_FLAVOR, ...options }))).toMatch(message);
  });

  test.each([
    ['a surge of 2', { maxSurge: 2 }, /controlPlaneRollout.maxSurge = 2: must be 0 or 1/],
    ['certificates renewed less than CAPI\'s 7 days ahead', { certificatesExpiryDays: 3 }, /controlPlaneRollout.certificatesExpiryDays = 3: must be a whole number of days from 7/],
  ])('control plane: %s', (_what, controlPlaneRollout, message) => {
    expect(errorOf(() => clusterChart({ controlPlaneRollout }))).toMatch(message);
  });

  test('the v1beta1 output of every setting is served by the newer pairs too', () => {
    const { chart, cluster } = clusterChart({
      upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12,
      controlPlaneRollout: { maxSurge: 1, remediationMaxRetry: 3 },
    });
    cluster.addNodePool('p', { flavor: WORKER_FLAVOR, rollout: { deletionOrder: DeletionOrder.NEWEST, maxUnavailable: 1 } });
    const manifests = Testing.synth(chart);
    for (const versions of UpstreamVersions.all()) expect(new SchemaValidator({ versions }).validate(manifests)).toEqual([]);
  });
});
