import { Chart, Testing } from 'cdk8s';
import { CapiTesting, Flavor, OpenStackCapiCluster, SecurityGroupRule, Tenant } from '../src';
import { MINIMAL_CLUSTER_PROPS } from './fixtures';

function chartWith(flavor: string, configure: (cluster: OpenStackCapiCluster) => void = () => {}): Chart {
  const chart = new Chart(Testing.app(), 'team');
  const cluster = new OpenStackCapiCluster(chart, 'demo', { ...MINIMAL_CLUSTER_PROPS, securityGroupRules: SecurityGroupRule.calico() });
  cluster.addNodePool('workers', { flavor: Flavor.named(flavor), replicas: 2 });
  cluster.addCalico();
  configure(cluster);
  return chart;
}

describe('CapiTesting', () => {
  test('synth: the chart\'s objects, validated, in apply order', () => {
    const objects = CapiTesting.synth(chartWith('m1.large'));
    expect(objects[0].kind).toBe('Namespace');
    expect(objects.map(o => o.kind)).toEqual(expect.arrayContaining(['Cluster', 'OpenStackCluster', 'KubeadmControlPlane', 'MachineDeployment']));
  });

  test('yaml: stable, byte-identical for the same code', () => {
    expect(CapiTesting.yaml(chartWith('m1.large'))).toBe(CapiTesting.yaml(chartWith('m1.large')));
  });

  test('normalizeHashes: a spec change shows as itself, not as renamed templates everywhere', () => {
    const before = CapiTesting.yaml(chartWith('m1.large'), { normalizeHashes: true });
    const after = CapiTesting.yaml(chartWith('m1.xlarge'), { normalizeHashes: true });
    const changed = (a: string, b: string) => {
      const [x, y] = [a.split('\n'), b.split('\n')];
      return x.map((line, i) => (line === y[i] ? undefined : `${line.trim()} => ${y[i].trim()}`)).filter(Boolean);
    };
    expect(changed(before, after)).toEqual(['flavor: m1.large => flavor: m1.xlarge']);
    expect(before).toContain('name: demo-workers-worker-<hash>');
    expect(before).toMatch(/name: calico-bootstrap-<hash>/);
    expect(before).not.toMatch(/-[0-9a-f]{8}\b/);
    // Without it, the new name shows wherever the template is referenced.
    expect(changed(CapiTesting.yaml(chartWith('m1.large')), CapiTesting.yaml(chartWith('m1.xlarge'))).length).toBeGreaterThan(2);
  });

  test('a chart that does not validate: one readable error naming the chart and each problem', () => {
    const chart = chartWith('m1.large', cluster => cluster.addCilium());
    expect(() => CapiTesting.synth(chart)).toThrow(/^CapiTesting: chart team does not validate:\n[^]*team\/demo\/Cilium: cluster "demo" also has Calico/);
    expect(() => CapiTesting.synth(chart, { validate: false })).not.toThrow();
  });
});

test('CapiTesting refuses what GitOpsApp refuses: one object written twice, with the fix named', () => {
  const chart = new Chart(Testing.app(), 'team');
  new Tenant(chart, 'Blue', { name: 'blue', identitySecretName: 'blue-clouds' });
  new OpenStackCapiCluster(chart, 'a', { ...MINIMAL_CLUSTER_PROPS, name: 'a', namespace: 'blue' });
  expect(() => CapiTesting.synth(chart)).toThrow(/Namespace\/blue is also written by team[^]*give its clusters createNamespace: false/);
});
