import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { errorOf } from './fixtures';
import { ClusterSize, TEAM_CLUSTER_BLUEPRINT, TEAM_CLUSTER_VALUES_SCHEMA, TeamCluster } from '../examples/blueprint-app/team-cluster';
import { CapiTesting, Fleet } from '../src';

// The blueprint app's own snapshot tests run in CI against the packed library
// (scripts/check-package.sh); here, the blueprint against the library's source.
describe('the blueprint example', () => {
  test.each([ClusterSize.SMALL, ClusterSize.MEDIUM, ClusterSize.LARGE])('size %s validates against the upstream APIs', size => {
    const chart = new TeamCluster(Testing.app(), `payments-${size}`, {
      team: 'payments', environment: size, size, kubernetesVersion: 'v1.32.4', nodeCidr: '10.30.1.0/24',
    });
    const objects = CapiTesting.synth(chart);
    expect(objects.find(o => o.kind === 'Cluster').metadata.name).toBe(`payments-${size}`);
  });

  test('its snapshots are committed, normalized (no spec hash in them)', () => {
    const snapshots = fs.readFileSync(path.join(__dirname, '../examples/blueprint-app/test/__snapshots__/team-cluster.test.ts.snap'), 'utf8');
    expect(snapshots.match(/^exports\[`(\w+) matches the reviewed snapshot 1`\]/gm)).toHaveLength(3);
    expect(snapshots).toContain('-<hash>');
    expect(snapshots).not.toMatch(/-[0-9a-f]{8}\b/);
  });

  test('an unknown size is refused with the blueprint\'s own message', () => {
    expect(() => new TeamCluster(Testing.app(), 'x', { team: 't', environment: 'e', size: 'huge' as ClusterSize, kubernetesVersion: 'v1.32.4', nodeCidr: '10.0.0.0/24' }))
      .toThrow('TeamCluster x: size = "huge": must be a ClusterSize');
  });

  test('its fleet: the inventory file\'s clusters, checked against the values schema, valid together', () => {
    const app = Testing.app();
    const entries = Fleet.loadInventory(path.join(__dirname, '../examples/blueprint-app/inventory.yaml'));
    const fleet = new Fleet(app, 'clusters', { blueprint: TEAM_CLUSTER_BLUEPRINT, entries, valuesSchema: TEAM_CLUSTER_VALUES_SCHEMA, source: 'inventory.yaml' });
    expect(entries.map(e => e.name)).toEqual(['payments-dev', 'payments-staging', 'payments-prod']);
    expect(app.node.findAll().flatMap(c => c.node.validate())).toEqual([]);
    for (const chart of app.charts) expect(CapiTesting.synth(chart).length).toBeGreaterThan(20);
    expect(Object.keys(fleet.members)).toHaveLength(3);
    // A wrong entry is named with its file and position.
    expect(errorOf(() => new Fleet(Testing.app(), 'x', {
      blueprint: TEAM_CLUSTER_BLUEPRINT, entries: [{ name: 'p', values: { ...entries[0].values, size: 'huge' } }], valuesSchema: TEAM_CLUSTER_VALUES_SCHEMA, source: 'inventory.yaml',
    }))).toMatch(/x: inventory.yaml\[0\] \(p\)\.values\.size = "huge": must be one of "small", "medium", "large"/);
  });
});
