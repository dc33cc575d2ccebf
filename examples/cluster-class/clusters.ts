import { Chart, ChartProps } from 'cdk8s';
import {
  CalicoBootstrapJob, ClassPatchTarget, CloudCredentials, ClusterClassVariable, ClusterNetwork, Flavor, MachineImage,
  OpenStackCloudControllerManager, OpenStackClusterClass, OpenStackTopologyCluster, SecurityGroupRule, UpstreamVersions,
} from 'cdk8s-capi-openstack';
import { Construct } from 'constructs';

/** The values of your cloud: replace them before applying the output. */
export const PLACEHOLDERS = {
  externalNetworkId: '00000000-0000-0000-0000-000000000000',
  /** Images built with kubernetes-sigs/image-builder, one per Kubernetes version. */
  imageName: (version: string) => `ubuntu-2404-kube-${version}`,
  /** Your identity provider (an OIDC issuer: Keycloak realm, Dex...). */
  oidcIssuerUrl: 'https://sso.example.com/realms/platform',
  /** A pull-through cache of Docker Hub. */
  dockerHubMirrorUrl: 'https://dockerhub-cache.example.com',
};

export interface ClusterClassExampleProps extends ChartProps {
  /**
   * The management cluster's releases: CAPI v1.13.5 or v1.14.0 (ClusterClass in v1beta2).
   * @default UpstreamVersions.DEFAULT
   */
  readonly upstreamVersions?: UpstreamVersions;
}

/**
 * One ClusterClass, "standard", and three clusters of it: each cluster is a short Cluster with
 * spec.topology, and CAPI creates and upgrades its control plane and pools. Editing the class
 * (a flavor, a kubeadm option) renames its templates and rolls every cluster of the class.
 */
export class ClusterClassExample extends Chart {
  public readonly clusterClass: OpenStackClusterClass;
  public readonly clusters: OpenStackTopologyCluster[];

  constructor(scope: Construct, id: string, props: ClusterClassExampleProps = {}) {
    super(scope, id, props);

    this.clusterClass = new OpenStackClusterClass(this, 'Standard', {
      name: 'standard',
      namespace: 'clusters',
      cluster: {
        upstreamVersions: props.upstreamVersions,
        kubernetesVersion: 'v1.32.4',
        controlPlaneFlavor: Flavor.named('m1.large'),
        image: MachineImage.fromName(PLACEHOLDERS.imageName('v1.32.4')),
        network: ClusterNetwork.managed({ cidr: '10.6.0.0/24', dnsNameservers: ['10.0.0.53'], mtu: 1450 }),
        externalNetworkId: PLACEHOLDERS.externalNetworkId,
        allowAllInClusterTraffic: false,
        securityGroupRules: SecurityGroupRule.calico(),
      },
      workerClasses: {
        general: { flavor: Flavor.of('m1.xlarge', { vcpus: 4, memoryMiB: 16384, diskGiB: 40 }) },
        memory: { flavor: Flavor.of('r1.2xlarge', { vcpus: 8, memoryMiB: 65536, diskGiB: 80 }), labels: { 'node.example.com/memory': 'high' } },
      },
      // A variable of the team's own, written into every worker's Nova metadata.
      variables: [ClusterClassVariable.string('costCenter', { pattern: '^cc-[0-9]{4}$', required: true, description: 'Billed for the servers.' })],
      patches: [{
        name: 'costCenter', target: ClassPatchTarget.WORKER_MACHINE, path: '/spec/template/spec/serverMetadata',
        template: '- key: cost-center\n  value: {{ .costCenter }}',
      }],
    });

    const cluster = (name: string, version: string, options: Partial<ConstructorParameters<typeof OpenStackTopologyCluster>[2]>) => {
      const c = new OpenStackTopologyCluster(this, name, {
        name,
        clusterClass: this.clusterClass,
        kubernetesVersion: version,
        credentials: CloudCredentials.fromSecretName(`${name}-cloud-config`),
        ...options,
        variables: { imageName: PLACEHOLDERS.imageName(version), ...options.variables },
      });
      new CalicoBootstrapJob(this, `${name}-calico`, { cluster: c, name: `${name}-calico` });
      new OpenStackCloudControllerManager(this, `${name}-ccm`, { cluster: c, name: `${name}-cloud-provider-openstack` });
      return c;
    };
    this.clusters = [
      cluster('dev', 'v1.33.2', {
        controlPlaneReplicas: 1,
        variables: { costCenter: 'cc-1001', nodeCidr: '10.6.1.0/24' },
        workers: [{ class: 'general', name: 'general', autoscaling: { minSize: 0, maxSize: 3 } }],
      }),
      cluster('staging', 'v1.32.4', {
        // Images through the site's pull-through cache (containerd's hosts.toml on every machine).
        variables: { costCenter: 'cc-1002', nodeCidr: '10.6.2.0/24', registryMirrors: [{ registry: 'docker.io', mirrorUrl: PLACEHOLDERS.dockerHubMirrorUrl }] },
        workers: [{ class: 'general', name: 'general', replicas: 2 }],
      }),
      cluster('prod', 'v1.32.4', {
        variables: {
          costCenter: 'cc-1003', nodeCidr: '10.6.3.0/24', allowedCidrs: ['198.51.100.7/32', '192.0.2.0/24'],
          // Users sign in with the company's identity provider (kube-apiserver --oidc-* flags).
          oidc: { issuerUrl: PLACEHOLDERS.oidcIssuerUrl, clientId: 'kubernetes', usernameClaim: 'email', usernamePrefix: 'oidc:', groupsClaim: 'groups', groupsPrefix: 'oidc:' },
        },
        workers: [
          { class: 'general', name: 'general-az1', failureDomain: 'az-1', autoscaling: { minSize: 1, maxSize: 10 } },
          { class: 'general', name: 'general-az2', failureDomain: 'az-2', autoscaling: { minSize: 1, maxSize: 10 } },
          { class: 'memory', name: 'memory', autoscaling: { minSize: 0, maxSize: 4 } },
        ],
      }),
    ];
  }
}
