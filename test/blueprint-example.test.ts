import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ClusterSize, TeamCluster } from '../examples/blueprint-app/team-cluster';
import { CapiTesting } from '../src';

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
});
