import { Chart } from 'cdk8s';
import { Flavor, MachineImage, OpenStackCapiCluster, SecurityGroupRule } from 'cdk8s-capi-openstack';
import { Construct } from 'constructs';

/** One cluster of the fleet in a chart of its own. */
export class FleetCluster extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    addFleetCluster(this, id);
  }
}

/** One cluster of the fleet: 3 node pools and the 3 add-ons. */
export function addFleetCluster(scope: Construct, id: string): void {
  const cluster = new OpenStackCapiCluster(scope, id, {
    name: id,
    kubernetesVersion: 'v1.32.4',
    nodeCidr: '10.8.0.0/24',
    dnsNameservers: ['8.8.8.8'],
    externalNetworkId: '6c90b532-7ba0-418a-a276-5ae55060b5b0',
    securityGroupRules: SecurityGroupRule.calico(),
    controlPlaneFlavor: Flavor.named('m1.k8s-master'),
    image: MachineImage.fromName('ubuntu-2204-kube-v1.32.4'),
    sshKeyName: 'ops',
  });
  cluster.addNodePool('small', { flavor: Flavor.of('m1.small', { vcpus: 2, memoryMiB: 4096, diskGiB: 30 }), autoscaling: { minSize: 0, maxSize: 5 } });
  cluster.addNodePool('normal', { flavor: Flavor.of('m1.large', { vcpus: 4, memoryMiB: 8192, diskGiB: 30 }), autoscaling: { minSize: 0, maxSize: 5 } });
  cluster.addNodePool('batch', {
    flavor: Flavor.of('m1.xlarge', { vcpus: 8, memoryMiB: 16384, diskGiB: 60 }),
    autoscaling: { minSize: 0, maxSize: 3 },
    labels: { 'node.kubernetes.io/pool': 'batch' },
  });
  cluster.addCalico();
  cluster.addCloudControllerManager();
  cluster.addAutoscaler();
}

/** The name of the i-th cluster of a fleet. */
export function fleetClusterName(i: number): string {
  return `cluster-${String(i).padStart(4, '0')}`;
}
