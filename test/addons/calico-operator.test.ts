import { Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { CalicoEncapsulation, CalicoOperator, CalicoOperatorOptions } from '../../src/addons';
import { ClusterNetwork } from '../../src/network';
import { OpenStackCapiClusterProps } from '../../src/openstack-capi-cluster';
import { SecurityGroupRule } from '../../src/security-group-rule';
import { SchemaValidator, UpstreamVersions } from '../../src/validation';
import { clusterChart } from '../fixtures';
import { errorOf, only } from './helpers';

function operator(options: CalicoOperatorOptions = {}, cluster: Partial<OpenStackCapiClusterProps> = {}) {
  const { chart, cluster: c } = clusterChart({ securityGroupRules: SecurityGroupRule.calico(), ...cluster });
  const cni = c.addCalicoOperator(options);
  const manifests = Testing.synth(chart);
  const proxy = only(manifests, 'HelmChartProxy');
  return { chart, cluster: c, cni, manifests, proxy, values: parseYaml(proxy.spec.valuesTemplate) };
}

describe('CalicoOperator', () => {
  test('the tigera-operator chart of the Calico release, by CAAPH, with one IP pool per pod CIDR', () => {
    const { proxy, values } = operator({}, { podCidrs: ['10.244.0.0/16'] });
    expect(proxy.metadata.name).toBe('demo-calico');
    expect(proxy.spec).toMatchObject({
      repoURL: 'https://docs.tigera.io/calico/charts',
      chartName: 'tigera-operator',
      version: 'v3.30.2',
      releaseName: 'calico',
      namespace: 'tigera-operator',
      clusterSelector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'demo' } },
    });
    expect(values).toEqual({
      installation: {
        cni: { type: 'Calico' },
        calicoNetwork: {
          bgp: 'Enabled',
          ipPools: [{ name: 'default-ipv4-ippool', cidr: '10.244.0.0/16', encapsulation: 'IPIP', natOutgoing: 'Enabled', nodeSelector: 'all()' }],
        },
      },
      priorityClassName: 'system-cluster-critical',
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
    });
    // Never pruned by GitOps: deleting the proxy uninstalls the pod network.
    expect(proxy.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-options': expect.stringContaining('Prune=false') });
  });

  test('encapsulation, MTU from the network, block size and registry become the Installation\'s', () => {
    const { values } = operator(
      { encapsulation: CalicoEncapsulation.VXLAN_CROSS_SUBNET, blockSize: 24, imageRegistry: 'registry.example.com/mirror' },
      { securityGroupRules: [SecurityGroupRule.calicoVxlan()], podCidrsAllowedOnPorts: true, network: ClusterNetwork.managed({ mtu: 1450 }) });
    expect(values.installation.calicoNetwork).toEqual({
      bgp: 'Disabled',
      mtu: 1400,
      ipPools: [{ name: 'default-ipv4-ippool', cidr: '192.168.0.0/16', encapsulation: 'VXLANCrossSubnet', natOutgoing: 'Enabled', nodeSelector: 'all()', blockSize: 24 }],
    });
    expect(values.installation.registry).toBe('registry.example.com/mirror/');
    expect(values.tigeraOperator).toEqual({ registry: 'registry.example.com/mirror' });
  });

  test('extra values merge, but not over what the props set', () => {
    const { values } = operator({ extraValues: { goldmane: { enabled: false }, installation: { kubernetesProvider: '' } } });
    expect(values.goldmane).toEqual({ enabled: false });
    expect(values.installation.cni).toEqual({ type: 'Calico' });
    const { chart, cluster } = clusterChart({ securityGroupRules: SecurityGroupRule.calico() });
    expect(errorOf(() => new CalicoOperator(chart, 'X', { cluster, extraValues: { installation: { calicoNetwork: { mtu: 1 } } } })))
      .toMatch(/X: extraValues.installation.calicoNetwork = \{"mtu":1\}: is set by CalicoOperator: use its props/);
  });

  test('the same checks as the Job: security groups, address pairs, MTU, block size, version', () => {
    const { chart, cluster } = clusterChart({ securityGroupRules: [], allowAllInClusterTraffic: false });
    expect(errorOf(() => new CalicoOperator(chart, 'A', { cluster })))
      .toMatch(/A: encapsulation = "IPIP": needs BGP \(TCP 179\) and IP-in-IP \(IP protocol 4\) between all nodes/);
    const open = clusterChart({ securityGroupRules: SecurityGroupRule.calico() });
    expect(errorOf(() => new CalicoOperator(open.chart, 'B', { cluster: open.cluster, encapsulation: CalicoEncapsulation.NONE })))
      .toMatch(/B: encapsulation = "None": sends pod traffic between nodes unencapsulated/);
    expect(errorOf(() => new CalicoOperator(open.chart, 'C', { cluster: open.cluster, version: 'latest' })))
      .toMatch(/C: version = "latest": must be a Calico release "vX.Y.Z"/);
    expect(errorOf(() => new CalicoOperator(open.chart, 'D', { cluster: open.cluster, blockSize: 33 }))).toMatch(/D: blockSize = 33: must be an integer from 20 to 32/);
  });

  test('one CNI per cluster: with the bootstrap Job too, synth fails', () => {
    const { chart, cluster, cni } = operator();
    const job = cluster.addCalico();
    expect(cni.node.validate()).toEqual([
      `test/demo/CalicoOperator: cluster "demo" also has Calico (${job.node.path}): a cluster has one CNI, and Calico (operator) is one: remove one`,
    ]);
    expect(chart.node.findAll().flatMap(c => c.node.validate())).toHaveLength(2);
  });

  test.each(UpstreamVersions.all().map(v => [v.toString(), v] as const))('validates against CAAPH\'s CRD with %s', (_name, upstreamVersions) => {
    const { manifests } = operator({}, { upstreamVersions, kubernetesVersion: upstreamVersions === UpstreamVersions.CAPI_1_10_CAPO_0_12 ? 'v1.31.4' : 'v1.32.4' });
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });
});
