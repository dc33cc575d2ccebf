import { Chart, ChartProps } from 'cdk8s';
import {
  CalicoBootstrapJob, Flavor, HostedControlPlaneCluster, KamajiDataStore, MachineImage, OpenStackCapiCluster,
  OpenStackCloudControllerManager, SecurityGroupRule, Tenant,
} from 'cdk8s-capi-openstack';
import { Construct } from 'constructs';

/** The values of your cloud: replace them before applying the output. */
export const PLACEHOLDERS = {
  externalNetworkId: '00000000-0000-0000-0000-000000000000',
  imageName: 'ubuntu-2404-kube-v1.33.2',
  kubernetesVersion: 'v1.33.2',
  /** The etcd Kamaji keeps the hosted control planes in, and the Secret with its certificates. */
  etcdEndpoints: ['etcd-0.etcd.kamaji-system.svc.cluster.local:2379', 'etcd-1.etcd.kamaji-system.svc.cluster.local:2379', 'etcd-2.etcd.kamaji-system.svc.cluster.local:2379'],
  etcdSecret: 'kamaji-etcd-certs',
};

const WORKER = Flavor.of('m1.large', { vcpus: 4, memoryMiB: 8192, diskGiB: 40 });

/**
 * Level 1, applied to the seed's (bootstrap) management cluster: the grandmothership, an HA
 * cluster with autoscaled pools, its add-ons, and what makes it a management cluster itself
 * (cert-manager and the cluster-api-operator by CAAPH; CAPI, kubeadm, CAPO, CAAPH and Kamaji's
 * control plane provider at the releases of the pair).
 */
export class Mothership extends Chart {
  public readonly grandmothership: OpenStackCapiCluster;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.grandmothership = new OpenStackCapiCluster(this, 'Grandmothership', {
      name: 'grandmothership',
      kubernetesVersion: PLACEHOLDERS.kubernetesVersion,
      image: MachineImage.fromName(PLACEHOLDERS.imageName),
      controlPlaneFlavor: Flavor.named('m1.large'),
      externalNetworkId: PLACEHOLDERS.externalNetworkId,
      nodeCidr: '10.30.0.0/24',
      securityGroupRules: SecurityGroupRule.calico(),
    });
    // Hosted control planes run here as pods: a pool that never scales to zero.
    this.grandmothership.addNodePool('platform', { flavor: Flavor.of('m1.xlarge', { vcpus: 8, memoryMiB: 16384, diskGiB: 80 }), autoscaling: { minSize: 3, maxSize: 9 } });
    this.grandmothership.addCalico();
    this.grandmothership.addCloudControllerManager();
    this.grandmothership.addCinderCsi();
    this.grandmothership.addAutoscaler();
    this.grandmothership.addClusterApi({ kamaji: true });
  }
}

/**
 * Level 2, applied to the grandmothership once it is a management cluster (after `clusterctl
 * move`, see the README): two tenants, each with its namespace, its own OpenStack project's
 * credentials, quotas and admins, and a cluster whose control plane Kamaji hosts here, with an
 * autoscaled pool of workers in the tenant's project.
 */
export class Tenants extends Chart {
  public readonly tenants: Tenant[];
  public readonly clusters: HostedControlPlaneCluster[];

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const dataStore = new KamajiDataStore(this, 'Etcd', { name: 'default', endpoints: PLACEHOLDERS.etcdEndpoints, secretName: PLACEHOLDERS.etcdSecret });
    this.tenants = [];
    this.clusters = [];
    for (const [name, nodeCidr] of [['blue', '10.40.1.0/24'], ['green', '10.40.2.0/24']]) {
      const tenant = new Tenant(this, name, {
        name, identitySecretName: `${name}-clouds`, adminGroups: [`oidc:${name}-admins`], maxClusters: 3, maxHostedControlPlanes: 3,
      });
      const cluster = new HostedControlPlaneCluster(this, `${name}-prod`, {
        name: `${name}-prod`,
        namespace: tenant.name,
        kubernetesVersion: PLACEHOLDERS.kubernetesVersion,
        dataStore,
        credentials: tenant.credentials(),
        image: MachineImage.fromName(PLACEHOLDERS.imageName),
        nodeCidr,
        externalNetworkId: PLACEHOLDERS.externalNetworkId,
        securityGroupRules: SecurityGroupRule.calico(),
      });
      // At least one worker: the CNI and cloud controller manager run on workers (no control plane nodes).
      cluster.addNodePool('workers', { flavor: WORKER, autoscaling: { minSize: 1, maxSize: 5 } });
      new CalicoBootstrapJob(this, `${name}-calico`, { cluster, name: `${name}-prod-calico` });
      new OpenStackCloudControllerManager(this, `${name}-ccm`, { cluster, name: `${name}-prod-cloud-provider-openstack` });
      this.tenants.push(tenant);
      this.clusters.push(cluster);
    }
  }
}
