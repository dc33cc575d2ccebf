import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BoundCloudCredentials, CloudCredentials, identityRefOf } from './cloud-credentials';
import { ICapiCluster } from './cluster-contract';
import { InputErrors } from './input-errors';
import { parseIpv4Cidr } from './ipv4';
import { kamajiTenantVersionProblem } from './kamaji-versions';
import { parseKubernetesVersion } from './kubernetes-version';
import { MachineImage } from './machine-image';
import { NodePool, NodePoolOptions } from './node-pool';
import { DEFAULT_NODE_CIDR, DEFAULT_POD_CIDR } from './openstack-capi-cluster';
import type { RegistryMirror } from './registry-mirrors';
import { isDns1123Label, isUuid } from './rules';
import { SecurityGroupRule } from './security-group-rule';
import { UpstreamVersions } from './validation/upstream-versions';
import { checkWorkloadKubernetesVersion } from './workload-kubernetes-versions';

/** Props of a {@link KamajiDataStore}. */
export interface KamajiDataStoreProps {
  /** The DataStore's name (cluster-scoped): hosted control planes refer to it. */
  readonly name: string;
  /** The etcd endpoints, `host:port`. */
  readonly endpoints: string[];
  /**
   * A Secret holding the etcd CA (`ca.crt`, `ca.key`: Kamaji signs each tenant's client
   * certificate) and Kamaji's own client certificate (`tls.crt`, `tls.key`). Created out of band:
   * no key reaches the output.
   */
  readonly secretName: string;
  /** @default "kamaji-system" */
  readonly secretNamespace?: string;
}

/**
 * A Kamaji `DataStore` (kamaji.clastix.io/v1alpha1): the etcd that holds the hosted control
 * planes' state, its certificates read from a Secret by reference.
 */
export class KamajiDataStore extends Construct {
  public readonly name: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: KamajiDataStoreProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    errors.check(isDns1123Label(props.name), 'name', props.name, 'must be a DNS-1123 label');
    errors.checkList('endpoints', props.endpoints, e => typeof e === 'string' && /^[A-Za-z0-9.-]+:\d{1,5}$/.test(e as string), 'host:port endpoints');
    errors.check(Array.isArray(props.endpoints) && props.endpoints.length > 0, 'endpoints', props.endpoints, 'must name at least one etcd endpoint');
    errors.throwIfAny();
    this.name = props.name;
    const ref = (keyPath: string) => ({ secretReference: { name: props.secretName, namespace: props.secretNamespace ?? 'kamaji-system', keyPath } });
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'kamaji.clastix.io/v1alpha1',
      kind: 'DataStore',
      metadata: { name: this.name },
      spec: {
        driver: 'etcd',
        endpoints: [...props.endpoints],
        tlsConfig: {
          certificateAuthority: { certificate: ref('ca.crt'), privateKey: ref('ca.key') },
          clientCertificate: { certificate: ref('tls.crt'), privateKey: ref('tls.key') },
        },
      },
    });
  }
}

/** Props of a {@link HostedControlPlaneCluster}. */
export interface HostedControlPlaneClusterProps {
  /** The cluster's name. */
  readonly name: string;
  /** Its namespace in the management cluster, e.g. a tenant's. */
  readonly namespace: string;
  /** Kubernetes version of the hosted control plane and the workers. */
  readonly kubernetesVersion: string;
  /** The DataStore holding the control plane's state. */
  readonly dataStore: KamajiDataStore;
  /** Replicas of the hosted API server, controller manager and scheduler (pods in the management cluster). @default 2 */
  readonly replicas?: number;
  /** Credentials of the workers' OpenStack project, e.g. `tenant.credentials()`. @default CloudCredentials.fromSecretName() */
  readonly credentials?: CloudCredentials;
  /** Image of the workers. */
  readonly image: MachineImage;
  /** The workers' subnet, which CAPO creates. @default "10.6.0.0/24" */
  readonly nodeCidr?: string;
  /** DNS servers of that subnet. @default - none */
  readonly dnsNameservers?: string[];
  /**
   * External network: the workers' router gateway, and the floating IP of the control plane's
   * Service of type LoadBalancer (Octavia, by the management cluster's cloud controller manager).
   * @default - none
   */
  readonly externalNetworkId?: string;
  /** Rules of the workers' security group, e.g. `SecurityGroupRule.calico()`. @default - none */
  readonly securityGroupRules?: SecurityGroupRule[];
  /** Pod network CIDRs. @default ["192.168.0.0/16"] */
  readonly podCidrs?: string[];
  /** The management cluster's releases: CAPI v1beta2 (the provider's contract). @default UpstreamVersions.DEFAULT */
  readonly upstreamVersions?: UpstreamVersions;
}

/**
 * A cluster whose control plane is hosted by Kamaji in the management cluster: `Cluster` +
 * `KamajiControlPlane` (API server, controller manager and scheduler as pods, reached through a
 * Service of type LoadBalancer) + `OpenStackCluster` for the workers' network, which creates no
 * API server load balancer nor floating IP (the Kamaji provider sets the endpoint:
 * clastix/cluster-api-control-plane-provider-kamaji `docs/providers-openstack.md`). Workers are
 * node pools as for any cluster (`addNodePool`); kube-proxy, CoreDNS and konnectivity are
 * Kamaji's add-ons; the CNI and cloud controller manager are delivered as for any cluster and
 * run on the workers (there are no control plane nodes).
 *
 * Needs the Kamaji control plane provider (v0.20, CAPI v1beta2 contract) and Kamaji in the
 * management cluster: `cluster.addClusterApi({ kamaji: true })` on the promoted cluster.
 */
export class HostedControlPlaneCluster extends Construct implements ICapiCluster {
  public readonly name: string;
  public readonly namespace: string;
  public readonly kubernetesVersion: string;
  public readonly upstreamVersions: UpstreamVersions;
  public readonly podCidrs: string[];
  public readonly nodeCidr?: string;
  public readonly externalNetworkId?: string;
  public readonly securityGroupRules: SecurityGroupRule[];
  public readonly allowAllInClusterTraffic = false;
  public readonly image: MachineImage;
  public readonly nodeName = '{{ local_hostname }}';
  public readonly templateHashing = true;
  public readonly credentials: BoundCloudCredentials;
  public readonly registryMirrors: RegistryMirror[] = [];
  public readonly selectorLabels: { [key: string]: string };
  /** No control plane nodes: the control plane runs as pods elsewhere. */
  public readonly controlPlaneReplicas = 0;
  public readonly podCidrsAllowedOnPorts = false;
  /** The `Cluster`, `KamajiControlPlane` and `OpenStackCluster` objects. */
  public readonly clusterObject: ApiObject;
  public readonly controlPlane: ApiObject;
  public readonly openStackCluster: ApiObject;

  constructor(scope: Construct, id: string, props: HostedControlPlaneClusterProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    this.name = props.name;
    this.namespace = props.namespace;
    this.kubernetesVersion = props.kubernetesVersion;
    this.upstreamVersions = props.upstreamVersions ?? UpstreamVersions.DEFAULT;
    this.podCidrs = props.podCidrs ?? [DEFAULT_POD_CIDR];
    this.nodeCidr = props.nodeCidr ?? DEFAULT_NODE_CIDR;
    this.externalNetworkId = props.externalNetworkId;
    this.securityGroupRules = [...props.securityGroupRules ?? []];
    this.image = props.image;
    this.selectorLabels = { 'cluster.x-k8s.io/cluster-name': this.name };
    const replicas = props.replicas ?? 2;
    errors.check(isDns1123Label(props.name), 'name', props.name, 'must be a DNS-1123 label');
    errors.check(isDns1123Label(props.namespace), 'namespace', props.namespace, 'must be a DNS-1123 label');
    errors.check(props.dataStore instanceof KamajiDataStore, 'dataStore', props.dataStore, 'must be a KamajiDataStore');
    errors.check(this.upstreamVersions.clusterApiVersion === 'v1beta2', 'upstreamVersions', this.upstreamVersions.toString(),
      'must serve CAPI v1beta2: the Kamaji control plane provider v0.20 implements the v1beta2 contract (it builds on CAPI v1.13)');
    checkWorkloadKubernetesVersion(errors, 'kubernetesVersion', props.kubernetesVersion, this.upstreamVersions);
    const version = parseKubernetesVersion(props.kubernetesVersion);
    if (version) {
      const kamaji = kamajiTenantVersionProblem(version.minor);
      errors.check(kamaji === undefined, 'kubernetesVersion', props.kubernetesVersion, kamaji ?? '');
    }
    errors.check(Number.isInteger(replicas) && replicas >= 1 && replicas <= 5, 'replicas', props.replicas, 'must be an integer from 1 to 5');
    errors.check(typeof parseIpv4Cidr(this.nodeCidr) !== 'string', 'nodeCidr', props.nodeCidr, 'must be an IPv4 CIDR');
    if (props.externalNetworkId !== undefined) errors.check(isUuid(props.externalNetworkId), 'externalNetworkId', props.externalNetworkId, 'must be a network UUID');
    errors.throwIfAny();

    this.credentials = (props.credentials ?? CloudCredentials.fromSecretName())._bind(this, {
      clusterName: this.name, namespace: this.namespace, upstreamVersions: this.upstreamVersions,
    });
    const identityRef = identityRefOf(this.credentials);

    this.openStackCluster = new ApiObject(this, 'OpenStackCluster', {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
      kind: 'OpenStackCluster',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        identityRef,
        managedSubnets: [{ cidr: this.nodeCidr, dnsNameservers: props.dnsNameservers?.length ? [...props.dnsNameservers] : undefined }],
        externalNetwork: props.externalNetworkId ? { id: props.externalNetworkId } : undefined,
        // The control plane's endpoint is Kamaji's Service: CAPO makes none.
        apiServerLoadBalancer: { enabled: false },
        disableAPIServerFloatingIP: true,
        managedSecurityGroups: {
          allowAllInClusterTraffic: false,
          allNodesSecurityGroupRules: this.securityGroupRules.length ? this.securityGroupRules.map(rule => rule._toSpec()) : undefined,
        },
      },
    });
    this.controlPlane = new ApiObject(this, 'KamajiControlPlane', {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha2',
      kind: 'KamajiControlPlane',
      metadata: { name: `${this.name}-control-plane`, namespace: this.namespace },
      spec: {
        replicas,
        version: props.kubernetesVersion,
        dataStoreName: props.dataStore.name,
        addons: { coreDNS: {}, kubeProxy: {}, konnectivity: {} },
        // Hostnames of OpenStack servers do not resolve from the management cluster (the provider's OpenStack notes).
        kubelet: { cgroupfs: 'systemd', preferredAddressTypes: ['InternalIP', 'ExternalIP', 'Hostname'] },
        network: {
          serviceType: 'LoadBalancer',
          serviceAnnotations: props.externalNetworkId ? { 'loadbalancer.openstack.org/floating-network-id': props.externalNetworkId } : undefined,
        },
        controllerManager: { extraArgs: ['--cloud-provider=external'] },
      },
    });
    this.clusterObject = new ApiObject(this, 'Cluster', {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: this.name, namespace: this.namespace, labels: { ...this.selectorLabels } },
      spec: {
        clusterNetwork: { pods: { cidrBlocks: [...this.podCidrs] }, serviceDomain: 'cluster.local' },
        controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KamajiControlPlane', name: `${this.name}-control-plane` },
        infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackCluster', name: this.name },
      },
    });
  }

  /** Adds a pool of workers (OpenStack servers joining the hosted control plane). */
  public addNodePool(id: string, options: NodePoolOptions): NodePool {
    return new NodePool(this, id, { ...options, cluster: this });
  }
}
