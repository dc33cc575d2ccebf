import { Testing } from 'cdk8s';
import { CapiTesting } from 'cdk8s-capi-openstack';
import { ClusterSize, TeamCluster, TeamClusterProps } from '../team-cluster';

const ENVIRONMENTS: TeamClusterProps[] = [
  { team: 'payments', environment: 'dev', size: ClusterSize.SMALL, kubernetesVersion: 'v1.33.2', nodeCidr: '10.30.1.0/24' },
  { team: 'payments', environment: 'staging', size: ClusterSize.MEDIUM, kubernetesVersion: 'v1.32.4', nodeCidr: '10.30.2.0/24' },
  { team: 'payments', environment: 'prod', size: ClusterSize.LARGE, kubernetesVersion: 'v1.32.4', nodeCidr: '10.30.3.0/24' },
];

function teamCluster(props: TeamClusterProps): TeamCluster {
  return new TeamCluster(Testing.app(), `${props.team}-${props.environment}`, props);
}

// The whole output of each environment, validated against the upstream APIs. Hashes are
// normalized: a change to the blueprint shows as the change itself in the snapshot's diff.
describe.each(ENVIRONMENTS)('$environment', props => {
  test('matches the reviewed snapshot', () => {
    expect(CapiTesting.yaml(teamCluster(props), { normalizeHashes: true })).toMatchSnapshot();
  });
});

test('dev scales to zero on one control plane machine; prod keeps two workers behind a load balancer', () => {
  const dev = CapiTesting.synth(teamCluster(ENVIRONMENTS[0]));
  const prod = CapiTesting.synth(teamCluster(ENVIRONMENTS[2]));
  const find = (objects: any[], kind: string) => objects.find(o => o.kind === kind);
  expect(find(dev, 'KubeadmControlPlane').spec.replicas).toBe(1);
  expect(find(dev, 'MachineDeployment').metadata.annotations['cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size']).toBe('0');
  expect(find(dev, 'OpenStackCluster').spec.apiServerLoadBalancer).toEqual({ enabled: false });
  expect(find(prod, 'KubeadmControlPlane').spec.replicas).toBe(3);
  expect(find(prod, 'MachineDeployment').metadata.annotations['cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size']).toBe('2');
});

test('a blueprint mistake is caught before review: a subnet too small for the largest size', () => {
  expect(() => CapiTesting.synth(teamCluster({ ...ENVIRONMENTS[2], nodeCidr: '10.30.3.0/28' }))).toThrow(/nodeCidr|network\.cidr/);
});
