import { Testing } from 'cdk8s';
import { DrainBehavior, SchemaValidator } from '../src';
import { PAIRS } from './api-views';
import { clusterChart, errorOf, objectOf, WORKER_FLAVOR } from './fixtures';

describe.each(PAIRS)('MachineDrainRule (%s)', (_pair, upstreamVersions) => {
  test('pods drained last on one pool; batch pods waited for on every machine of the cluster', () => {
    const { chart, cluster } = clusterChart({ upstreamVersions });
    const storage = cluster.addNodePool('storage', { flavor: WORKER_FLAVOR });
    cluster.addDrainRule('StorageLast', {
      behavior: DrainBehavior.DRAIN, order: 100, podSelector: { app: 'ceph-osd' }, pools: [storage], controlPlane: true,
    });
    cluster.addDrainRule('Batch', { behavior: DrainBehavior.WAIT_COMPLETED, namespaceSelector: { tier: 'batch' } });
    const manifests = Testing.synth(chart);
    const last = objectOf(manifests, 'MachineDrainRule', 'demo-storagelast');
    expect(last.apiVersion).toBe(`cluster.x-k8s.io/${upstreamVersions.clusterApiVersion}`);
    expect(last.spec).toEqual({
      drain: { behavior: 'Drain', order: 100 },
      machines: [
        { selector: { matchLabels: { 'cluster.x-k8s.io/deployment-name': 'demo-storage-worker' } }, clusterSelector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'demo' } } },
        { selector: { matchLabels: { 'cluster.x-k8s.io/control-plane-name': 'demo-control-plane' } }, clusterSelector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'demo' } } },
      ],
      pods: [{ selector: { matchLabels: { app: 'ceph-osd' } } }],
    });
    expect(objectOf(manifests, 'MachineDrainRule', 'demo-batch').spec).toEqual({
      drain: { behavior: 'WaitCompleted' },
      machines: [{ clusterSelector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'demo' } } }],
      pods: [{ namespaceSelector: { matchLabels: { tier: 'batch' } } }],
    });
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });
});

describe('drain rules that cannot work are refused', () => {
  test.each([
    ['an order with another behavior', { behavior: DrainBehavior.SKIP, order: 5, podSelector: { a: 'b' } }, /order = 5: applies to DrainBehavior.DRAIN only/],
    ['a rule for every pod', { behavior: DrainBehavior.SKIP }, /podSelector = undefined: or namespaceSelector is required/],
    ['a pool of another cluster', { behavior: DrainBehavior.DRAIN, podSelector: { a: 'b' }, pools: ['other'] as any }, /pools\[0\] = "other": must be pools of this cluster/],
    ['a bad label', { behavior: DrainBehavior.DRAIN, podSelector: { 'a b': 'c' } }, /podSelector\["a b"\] = "c": the key name must be/],
  ])('%s', (_what, options, message) => {
    const { cluster } = clusterChart();
    expect(errorOf(() => cluster.addDrainRule('Rule', options as any))).toMatch(message);
  });
});
