import { Chart, ChartProps } from 'cdk8s';
import {
  AutoscalerAddon, AutoscalerPlacement, CalicoBootstrapJob, CloudCredentials, Flavor, MachineImage,
  OpenStackCapiCluster, OpenStackCloudControllerManager, SecurityGroupRule, UpstreamVersions,
} from 'cdk8s-capi-openstack';
import { Construct } from 'constructs';

/**
 * The values of your OpenStack cloud. The defaults synthesize as they are; replace them with
 * yours before applying the output.
 */
export const PLACEHOLDERS = {
  /** `openstack network show <external network> -f value -c id` */
  externalNetworkId: '00000000-0000-0000-0000-000000000000',
  /** A Glance image built with kubernetes-sigs/image-builder for the Kubernetes version below. */
  imageName: 'ubuntu-2204-kube-v1.32.4',
  /** `openstack keypair list` */
  sshKeyName: 'capi-admin',
  /** DNS servers the nodes resolve with. */
  dnsNameservers: ['8.8.8.8', '8.8.4.4'],
  /** The subnet CAPO creates for the nodes. */
  nodeCidr: '10.8.0.0/24',
};

export interface CapiUbuntuOpenStackProps extends ChartProps {
  /**
   * Name templates with a hash of their spec (rolling updates).
   * @default true
   */
  readonly templateHashing?: boolean;

  /**
   * The management cluster's Cluster API and OpenStack provider releases.
   * @default UpstreamVersions.DEFAULT
   */
  readonly upstreamVersions?: UpstreamVersions;
}

/**
 * The reference cluster: an HA kubeadm control plane and two pools that autoscale from zero,
 * on OpenStack, with credentials kept out of the output, and the post's add-ons delivered by
 * ClusterResourceSets: Calico, the OpenStack cloud controller manager and the cluster-autoscaler.
 */
export class CapiUbuntuOpenStack extends Chart {
  public readonly cluster: OpenStackCapiCluster;
  public readonly calico: CalicoBootstrapJob;
  public readonly cloudControllerManager: OpenStackCloudControllerManager;
  public readonly autoscaler: AutoscalerAddon;

  constructor(scope: Construct, id: string, props: CapiUbuntuOpenStackProps = {}) {
    super(scope, id, props);

    this.cluster = new OpenStackCapiCluster(this, 'Cluster', {
      name: 'capi-ubuntu-openstack',
      kubernetesVersion: 'v1.32.4',
      podCidrs: ['192.168.0.0/16'],
      nodeCidr: PLACEHOLDERS.nodeCidr,
      dnsNameservers: PLACEHOLDERS.dnsNameservers,
      externalNetworkId: PLACEHOLDERS.externalNetworkId,
      securityGroupRules: SecurityGroupRule.calico(),
      controlPlaneFlavor: Flavor.named('m1.k8s-master'),
      controlPlaneReplicas: 3,
      image: MachineImage.fromName(PLACEHOLDERS.imageName),
      sshKeyName: PLACEHOLDERS.sshKeyName,
      // Create this Secret out of band (clouds.yaml + cacert): nothing secret is synthesized.
      credentials: CloudCredentials.fromSecretName('capi-ubuntu-openstack-cloud-config', { cloudName: 'openstack' }),
      labels: { cloud: 'capi-ubuntu-openstack' },
      templateHashing: props.templateHashing,
      upstreamVersions: props.upstreamVersions,
    });

    this.cluster.addNodePool('normal', {
      flavor: Flavor.of('m1.k8s-worker', { vcpus: 4, memoryMiB: 8192, diskGiB: 30 }),
      autoscaling: { minSize: 0, maxSize: 2 },
      failureDomain: 'nova',
    });
    this.cluster.addNodePool('small', {
      flavor: Flavor.of('m1.k8s-worker-small', { vcpus: 2, memoryMiB: 4096, diskGiB: 30 }),
      autoscaling: { minSize: 0, maxSize: 2 },
      failureDomain: 'nova',
    });

    // Calico, applied by a Job from inside the new cluster (calico.yaml is too large for a
    // ClusterResourceSet); its IPv4 pool is the cluster's pod CIDR.
    this.calico = this.cluster.addCalico({ name: 'calico' });

    // Create the resource-set Secret "capi-ubuntu-openstack-cloud-controller-manager" out of band
    // (see the README): it carries clouds.yaml into the workload cluster.
    this.cloudControllerManager = this.cluster.addCloudControllerManager({ name: 'cloud-provider-openstack' });

    // As in the post, the autoscaler runs in the workload cluster with a management-cluster
    // kubeconfig, delivered by the resource-set Secret "capi-ubuntu-openstack-autoscaler-kubeconfig"
    // you create out of band. Drop `placement` and `managementKubeconfig` to run it in the
    // management cluster instead (recommended upstream: no management credentials in the workload
    // cluster).
    this.autoscaler = this.cluster.addAutoscaler({
      name: 'cluster-autoscaler-openstack',
      placement: AutoscalerPlacement.WORKLOAD_CLUSTER,
      managementKubeconfig: {
        secretName: 'cluster-autoscaler-management-kubeconfig',
        resourceSetSecretName: 'capi-ubuntu-openstack-autoscaler-kubeconfig',
      },
    });
  }
}
