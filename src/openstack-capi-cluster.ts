import { k8s } from 'cdk8s-plus-30';
import { Construct, IConstruct } from 'constructs';
import {
  AutoscalerAddon, AutoscalerAddonOptions, CalicoBootstrapJob, CalicoBootstrapJobOptions, ClusterResourceSetAddon,
  ClusterResourceSetAddonOptions, OpenStackCloudControllerManager, OpenStackCloudControllerManagerOptions,
} from './addons';
import { canonicalJson, shortHash } from './canonical-json';
import * as capi from './capi';
import { BoundCloudCredentials, CloudCredentials } from './cloud-credentials';
import { Flavor } from './flavor';
import { PRUNE_PROTECTION } from './gitops-annotations';
import * as capo from './imports/infrastructure.cluster.x-k8s.io';
import { InputErrors } from './input-errors';
import { isIpv4Address, Ipv4Network, overlaps, parseIpv4Cidr } from './ipv4';
import { kubeletNodeRegistration } from './kubelet-registration';
import { KUBERNETES_VERSION_RULE, parseKubernetesVersion } from './kubernetes-version';
import { MachineImage } from './machine-image';
import { CLUSTER_NAME_LABEL, MAX_MACHINE_OWNER_NAME_LENGTH, objectReference } from './naming';
import { NodePool, NodePoolOptions } from './node-pool';
import { DNS1123_LABEL_RULE, isDns1123Label, isUuid, labelKeyProblem, labelValueProblem } from './rules';
import { SecurityGroupRule } from './security-group-rule';

/** Props of an {@link OpenStackCapiCluster}. */
export interface OpenStackCapiClusterProps {
  /**
   * The cluster's name: the prefix of every object name.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Namespace of every object in the management cluster.
   * @default - the cluster's name
   */
  readonly namespace?: string;

  /**
   * Emit the Namespace object (once per app when clusters share a namespace).
   * @default true
   */
  readonly createNamespace?: boolean;

  /** Kubernetes version of the control plane and, by default, of every node pool, e.g. `v1.32.4`. */
  readonly kubernetesVersion: string;

  /**
   * Pod network CIDRs (IPv4). The Calico add-on configures its IP pool from the first.
   * @default ["192.168.0.0/16"] (Calico's default pool)
   */
  readonly podCidrs?: string[];

  /**
   * Service network CIDRs (IPv4).
   * @default - kubeadm's default, 10.96.0.0/12
   */
  readonly serviceCidrs?: string[];

  /**
   * DNS domain of services.
   * @default "cluster.local"
   */
  readonly serviceDomain?: string;

  /**
   * Put the API server behind an Octavia load balancer.
   * @default true
   */
  readonly apiServerLoadBalancer?: boolean;

  /**
   * Id (UUID) of the external network that floating IPs (API server load balancer, and load
   * balancers of Services through the cloud controller manager) come from.
   * @default - CAPO picks the only external network, if there is exactly one
   */
  readonly externalNetworkId?: string;

  /**
   * CIDR (IPv4) of the subnet CAPO creates for the nodes.
   * @default "10.6.0.0/24"
   */
  readonly nodeCidr?: string;

  /**
   * DNS servers of the node subnet (IPv4 addresses).
   * @default - none: Neutron's defaults
   */
  readonly dnsNameservers?: string[];

  /**
   * Let all traffic flow between the cluster's nodes.
   * @default true
   */
  readonly allowAllInClusterTraffic?: boolean;

  /**
   * Extra rules of the security group shared by all nodes, e.g. `SecurityGroupRule.calico()`.
   * @default - none
   */
  readonly securityGroupRules?: SecurityGroupRule[];

  /** Flavor of the control plane servers. */
  readonly controlPlaneFlavor: Flavor;

  /**
   * Number of control plane machines: odd, for etcd quorum.
   * @default 3
   */
  readonly controlPlaneReplicas?: number;

  /** Image of every server (pools may override it). */
  readonly image: MachineImage;

  /**
   * Name of the Nova key pair installed on every server (pools may override it).
   * @default - none
   */
  readonly sshKeyName?: string;

  /**
   * Node name each kubelet registers with (a cloud-init template).
   * @default "{{ local_hostname }}"
   */
  readonly nodeName?: string;

  /**
   * OpenStack credentials.
   * @default CloudCredentials.fromSecretName() - the existing Secret "<cluster>-cloud-config", cloud "openstack"
   */
  readonly credentials?: CloudCredentials;

  /**
   * Extra labels of the Cluster object, e.g. for ClusterResourceSets of your own to select it.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * End the names of OpenStackMachineTemplates and KubeadmConfigTemplates with a short hash of
   * their spec, so that a changed spec rolls the machines (the specs are immutable), and protect
   * them from GitOps pruning. Turn off only to reproduce fixed names.
   * @default true
   */
  readonly templateHashing?: boolean;
}

/** The default pod CIDR: Calico's default IP pool. */
export const DEFAULT_POD_CIDR = '192.168.0.0/16';
/** kubeadm's default service CIDR. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
/** The default node subnet (CAPO's cluster template). */
export const DEFAULT_NODE_CIDR = '10.6.0.0/24';

/**
 * A Cluster API cluster on OpenStack: `Cluster`, `OpenStackCluster`, an HA `KubeadmControlPlane`
 * and its `OpenStackMachineTemplate`. Add worker pools with {@link addNodePool}.
 */
export class OpenStackCapiCluster extends Construct {
  /** The cluster's name. */
  public readonly name: string;
  /** Namespace of the cluster's objects in the management cluster. */
  public readonly namespace: string;
  /** Kubernetes version of the control plane. */
  public readonly kubernetesVersion: string;
  /** Pod network CIDRs. */
  public readonly podCidrs: string[];
  /** Service network CIDRs, when set. */
  public readonly serviceCidrs?: string[];
  /** DNS domain of services. */
  public readonly serviceDomain: string;
  /** External network id, when set. */
  public readonly externalNetworkId?: string;
  /** Image of every server unless a pool overrides it. */
  public readonly image: MachineImage;
  /** SSH key pair unless a pool overrides it. */
  public readonly sshKeyName?: string;
  /** Node name template of every kubelet. */
  public readonly nodeName: string;
  /** Whether template names carry a hash of their spec. */
  public readonly templateHashing: boolean;
  /** The credentials, bound to this cluster. */
  public readonly credentials: BoundCloudCredentials;
  /** Labels add-ons select this cluster by. */
  public readonly selectorLabels: { [key: string]: string };

  /** The `Cluster` object. */
  public readonly clusterObject: capi.Cluster;
  /** The `OpenStackCluster` object. */
  public readonly openStackCluster: capo.OpenStackCluster;
  /** The `KubeadmControlPlane` object. */
  public readonly controlPlane: capi.KubeadmControlPlane;
  /** The control plane's `OpenStackMachineTemplate`. */
  public readonly controlPlaneMachineTemplate: capo.OpenStackMachineTemplate;

  private readonly pools: NodePool[] = [];
  private readonly bootstrapTemplates = new Map<string, capi.KubeadmConfigTemplate>();

  constructor(scope: Construct, id: string, props: OpenStackCapiClusterProps) {
    super(scope, id);
    const errors = new InputErrors(this);

    this.name = props.name ?? id;
    this.namespace = props.namespace ?? this.name;
    this.kubernetesVersion = props.kubernetesVersion;
    this.podCidrs = props.podCidrs ?? [DEFAULT_POD_CIDR];
    this.serviceCidrs = props.serviceCidrs;
    this.serviceDomain = props.serviceDomain ?? 'cluster.local';
    this.externalNetworkId = props.externalNetworkId;
    this.image = props.image;
    this.sshKeyName = props.sshKeyName;
    this.nodeName = props.nodeName ?? '{{ local_hostname }}';
    this.templateHashing = props.templateHashing ?? true;
    const controlPlaneReplicas = props.controlPlaneReplicas ?? 3;
    const nodeCidr = props.nodeCidr ?? DEFAULT_NODE_CIDR;
    const labels = props.labels ?? {};

    // Shapes first (props may come from untyped code or configuration), then the rules.
    checkClusterPropShapes(errors, props);
    errors.throwIfAny();
    checkClusterProps(errors, this, props, { controlPlaneReplicas, nodeCidr, labels });
    errors.throwIfAny();

    this.selectorLabels = { [CLUSTER_NAME_LABEL]: this.name };

    if ((props.createNamespace ?? true) && claimNamespace(this, this.namespace)) {
      new k8s.KubeNamespace(this, 'Namespace', { metadata: { name: this.namespace } });
    }

    this.credentials = (props.credentials ?? CloudCredentials.fromSecretName())._bind(this, {
      clusterName: this.name,
      namespace: this.namespace,
    });

    const controlPlaneName = `${this.name}-control-plane`;
    this.controlPlaneMachineTemplate = this._addMachineTemplate(this, 'ControlPlaneMachineTemplate', controlPlaneName, {
      flavor: props.controlPlaneFlavor,
      image: this.image,
      sshKeyName: this.sshKeyName,
    });

    this.openStackCluster = new capo.OpenStackCluster(this, 'OpenStackCluster', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        apiServerLoadBalancer: { enabled: props.apiServerLoadBalancer ?? true },
        externalNetwork: this.externalNetworkId ? { id: this.externalNetworkId } : undefined,
        identityRef: { cloudName: this.credentials.cloudName, name: this.credentials.secretName },
        managedSecurityGroups: {
          allowAllInClusterTraffic: props.allowAllInClusterTraffic ?? true,
          allNodesSecurityGroupRules: props.securityGroupRules?.length
            ? props.securityGroupRules.map(rule => rule._toSpec())
            : undefined,
        },
        managedSubnets: [{
          cidr: nodeCidr,
          dnsNameservers: props.dnsNameservers?.length ? [...props.dnsNameservers] : undefined,
        }],
      },
    });

    const registration = kubeletNodeRegistration({ nodeName: this.nodeName });
    this.controlPlane = new capi.KubeadmControlPlane(this, 'ControlPlane', {
      metadata: { name: controlPlaneName, namespace: this.namespace },
      spec: {
        kubeadmConfigSpec: {
          clusterConfiguration: { controllerManager: { extraArgs: { 'cloud-provider': 'external' } } },
          files: [],
          initConfiguration: { nodeRegistration: registration },
          joinConfiguration: { nodeRegistration: registration },
        },
        machineTemplate: { infrastructureRef: objectReference(this.controlPlaneMachineTemplate) },
        replicas: controlPlaneReplicas,
        version: this.kubernetesVersion,
      },
    });

    this.clusterObject = new capi.Cluster(this, 'Cluster', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: { ...labels, ...this.selectorLabels },
      },
      spec: {
        clusterNetwork: {
          pods: { cidrBlocks: [...this.podCidrs] },
          services: this.serviceCidrs ? { cidrBlocks: [...this.serviceCidrs] } : undefined,
          serviceDomain: this.serviceDomain,
        },
        controlPlaneRef: objectReference(this.controlPlane),
        infrastructureRef: objectReference(this.openStackCluster),
      },
    });
  }

  /** Adds a pool of worker nodes (a MachineDeployment) to this cluster. */
  public addNodePool(id: string, options: NodePoolOptions): NodePool {
    this.checkIdIsFree('addNodePool id', id);
    return new NodePool(this, id, { ...options, cluster: this });
  }

  /**
   * Adds an add-on of your own: objects delivered to this cluster by a ClusterResourceSet. Describe
   * them in `ClusterResourceSetAddon.workloadChart()` and hand the chart to `addChart()`.
   */
  public addAddon(id: string, options: ClusterResourceSetAddonOptions = {}): ClusterResourceSetAddon {
    this.checkIdIsFree('addAddon id', id);
    return new ClusterResourceSetAddon(this, id, { ...options, cluster: this });
  }

  /** Installs Calico with a bootstrap Job, its IPv4 pool set to the first pod CIDR. */
  public addCalico(options: CalicoBootstrapJobOptions = {}): CalicoBootstrapJob {
    this.checkIdIsFree('addCalico()', 'Calico');
    return new CalicoBootstrapJob(this, 'Calico', { ...options, cluster: this });
  }

  /** Installs the OpenStack cloud controller manager. */
  public addCloudControllerManager(options: OpenStackCloudControllerManagerOptions = {}): OpenStackCloudControllerManager {
    this.checkIdIsFree('addCloudControllerManager()', 'CloudControllerManager');
    return new OpenStackCloudControllerManager(this, 'CloudControllerManager', { ...options, cluster: this });
  }

  /** Runs the cluster-autoscaler for this cluster's pools (in the management cluster by default). */
  public addAutoscaler(options: AutoscalerAddonOptions = {}): AutoscalerAddon {
    this.checkIdIsFree('addAutoscaler()', 'Autoscaler');
    return new AutoscalerAddon(this, 'Autoscaler', { ...options, cluster: this });
  }

  /** Refuses a second child of the same id (constructs would throw an error of its own). */
  private checkIdIsFree(prop: string, id: string): void {
    const existing = this.node.tryFindChild(id);
    if (existing) {
      const errors = new InputErrors(this);
      errors.add(prop, id, `must be unique within cluster "${this.name}": ${existing.node.path} exists already`);
      errors.throwIfAny();
    }
  }

  /** The node pools of this cluster, in the order they were added. */
  public get nodePools(): NodePool[] {
    return [...this.pools];
  }

  /**
   * Registers a pool, refusing a second pool of the same name.
   * @internal
   */
  public _registerNodePool(pool: NodePool, errors: InputErrors): void {
    const clash = this.pools.find(p => p.name === pool.name);
    errors.check(!clash, 'name', pool.name, `must be unique within cluster "${this.name}": ${clash?.node.path} has it already`);
    this.pools.push(pool);
  }

  /**
   * The name of a template: the base name, followed by a short hash of its spec when hashing is on.
   * @internal
   */
  public _templateName(baseName: string, spec: unknown): string {
    return this.templateHashing ? `${baseName}-${shortHash(spec)}` : baseName;
  }

  /**
   * Creates an OpenStackMachineTemplate for servers of the given flavor, image and key.
   * @internal
   */
  public _addMachineTemplate(scope: Construct, id: string, baseName: string, options: {
    flavor: Flavor; image: MachineImage; sshKeyName?: string;
  }): capo.OpenStackMachineTemplate {
    const spec = {
      template: {
        spec: {
          flavor: options.flavor.name,
          image: options.image._toSpec(),
          sshKeyName: options.sshKeyName,
        },
      },
    };
    return new capo.OpenStackMachineTemplate(scope, id, {
      metadata: this.templateMetadata(baseName, spec),
      spec,
    });
  }

  /**
   * The KubeadmConfigTemplate for worker nodes that register with the given nodeRegistration:
   * pools that register alike share one template, `<cluster>-config-template-<hash>`. Without
   * hashing, a registration other than the default is named after the first pool that needs it.
   * @internal
   */
  public _bootstrapTemplateFor(poolName: string, nodeRegistration: any): capi.KubeadmConfigTemplate {
    const spec = { template: { spec: { files: [], joinConfiguration: { nodeRegistration } } } };
    const key = canonicalJson(spec);
    const existing = this.bootstrapTemplates.get(key);
    if (existing) return existing;
    const isDefault = key === canonicalJson({
      template: { spec: { files: [], joinConfiguration: { nodeRegistration: kubeletNodeRegistration({ nodeName: this.nodeName }) } } },
    });
    // With hashing, the hash tells templates apart: a name that depended on the first pool using
    // a template would change when that pool goes, and roll the other pools' machines for nothing.
    const baseName = isDefault || this.templateHashing ? `${this.name}-config-template` : `${this.name}-${poolName}-config-template`;
    const metadata = this.templateMetadata(baseName, spec);
    const template = new capi.KubeadmConfigTemplate(this, `KubeadmConfigTemplate-${metadata.name}`, { metadata, spec });
    this.bootstrapTemplates.set(key, template);
    return template;
  }

  private templateMetadata(baseName: string, spec: unknown) {
    return {
      name: this._templateName(baseName, spec),
      namespace: this.namespace,
      annotations: this.templateHashing ? { ...PRUNE_PROTECTION } : undefined,
    };
  }
}

/** Namespaces a cluster of the app has emitted already: clusters that share one emit it once. */
const namespacesByApp = new WeakMap<IConstruct, Set<string>>();

function claimNamespace(cluster: Construct, namespace: string): boolean {
  const root = cluster.node.root;
  const claimed = namespacesByApp.get(root) ?? new Set<string>();
  namespacesByApp.set(root, claimed);
  if (claimed.has(namespace)) return false;
  claimed.add(namespace);
  return true;
}

function checkClusterPropShapes(errors: InputErrors, props: OpenStackCapiClusterProps): void {
  const isString = (v: unknown) => typeof v === 'string';
  for (const prop of ['name', 'namespace', 'kubernetesVersion', 'externalNetworkId', 'nodeCidr', 'serviceDomain', 'sshKeyName', 'nodeName'] as const) {
    if (props[prop] !== undefined || prop === 'kubernetesVersion') errors.check(isString(props[prop]), prop, props[prop], 'must be a string');
  }
  errors.checkList('podCidrs', props.podCidrs, isString, 'CIDR strings');
  errors.checkList('serviceCidrs', props.serviceCidrs, isString, 'CIDR strings');
  errors.checkList('dnsNameservers', props.dnsNameservers, isString, 'IPv4 address strings');
  errors.checkList('securityGroupRules', props.securityGroupRules, r => r instanceof SecurityGroupRule, 'SecurityGroupRule (e.g. SecurityGroupRule.custom)');
  errors.checkStringMap('labels', props.labels);
  if (props.credentials !== undefined) {
    errors.check(props.credentials instanceof CloudCredentials, 'credentials', props.credentials,
      'must be CloudCredentials (CloudCredentials.fromSecretName or fromCloudsYaml)');
  }
}

function checkClusterProps(
  errors: InputErrors,
  cluster: OpenStackCapiCluster,
  props: OpenStackCapiClusterProps,
  resolved: { controlPlaneReplicas: number; nodeCidr: string; labels: { [key: string]: string } },
): void {
  errors.check(isDns1123Label(cluster.name), 'name', cluster.name, DNS1123_LABEL_RULE);
  const longestMachineOwner = `${cluster.name}-control-plane`;
  errors.check(longestMachineOwner.length <= MAX_MACHINE_OWNER_NAME_LENGTH, 'name', cluster.name,
    `is too long: "${longestMachineOwner}" must be at most ${MAX_MACHINE_OWNER_NAME_LENGTH} characters so machine host names fit in 63`);
  if (props.namespace !== undefined) {
    errors.check(isDns1123Label(props.namespace), 'namespace', props.namespace, DNS1123_LABEL_RULE);
  }
  errors.check(parseKubernetesVersion(props.kubernetesVersion) !== undefined, 'kubernetesVersion', props.kubernetesVersion, KUBERNETES_VERSION_RULE);

  const replicas = resolved.controlPlaneReplicas;
  errors.check(Number.isInteger(replicas) && replicas > 0 && replicas % 2 === 1, 'controlPlaneReplicas', replicas,
    'must be an odd number (1, 3, 5...) so etcd keeps quorum');

  if (errors.check(props.controlPlaneFlavor instanceof Flavor, 'controlPlaneFlavor', props.controlPlaneFlavor, 'must be a Flavor (Flavor.named or Flavor.of)')) {
    for (const [field, value, rule] of props.controlPlaneFlavor._problems()) errors.add(`controlPlaneFlavor.${field}`, value, rule);
  }
  errors.check(props.image instanceof MachineImage, 'image', props.image, 'must be a MachineImage (MachineImage.fromName or fromId)');
  if (props.image instanceof MachineImage) {
    errors.check(typeof props.image.value === 'string' && props.image.value.length > 0, 'image', props.image.value, 'must name an image');
  }
  if (props.externalNetworkId !== undefined) {
    errors.check(isUuid(props.externalNetworkId), 'externalNetworkId', props.externalNetworkId, 'must be a network UUID, e.g. "6c90b532-7ba0-418a-a276-5ae55060b5b0"');
  }
  for (const [i, server] of (props.dnsNameservers ?? []).entries()) {
    errors.check(isIpv4Address(server), `dnsNameservers[${i}]`, server, 'must be an IPv4 address');
  }

  const networks: Array<{ prop: string; network: Ipv4Network }> = [];
  const parse = (prop: string, cidr: string) => {
    const parsed = parseIpv4Cidr(cidr);
    if (typeof parsed === 'string') errors.add(prop, cidr, parsed);
    else networks.push({ prop, network: parsed });
  };
  errors.check(cluster.podCidrs.length > 0, 'podCidrs', cluster.podCidrs, 'must hold at least one CIDR');
  cluster.podCidrs.forEach((cidr, i) => parse(`podCidrs[${i}]`, cidr));
  (cluster.serviceCidrs ?? [DEFAULT_SERVICE_CIDR]).forEach((cidr, i) =>
    parse(cluster.serviceCidrs ? `serviceCidrs[${i}]` : 'serviceCidrs (default)', cidr));
  parse('nodeCidr', resolved.nodeCidr);
  for (let i = 0; i < networks.length; i++) {
    for (let j = i + 1; j < networks.length; j++) {
      if (overlaps(networks[i].network, networks[j].network)) {
        errors.add(networks[j].prop, networks[j].network.cidr, `must not overlap ${networks[i].prop} (${networks[i].network.cidr})`);
      }
    }
  }

  const ruleNames = new Set<string>();
  for (const [i, rule] of (props.securityGroupRules ?? []).entries()) {
    for (const [field, value, problem] of rule._problems()) {
      errors.add(`securityGroupRules[${i}].${field}`, value, problem);
    }
    errors.check(!ruleNames.has(rule.props.name), `securityGroupRules[${i}].name`, rule.props.name, 'must be unique');
    ruleNames.add(rule.props.name);
  }

  for (const [key, value] of Object.entries(resolved.labels)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) errors.add(`labels["${key}"]`, key, keyProblem);
    const valueProblem = labelValueProblem(value);
    if (valueProblem) errors.add(`labels["${key}"]`, value, valueProblem);
  }
  errors.check(!(CLUSTER_NAME_LABEL in resolved.labels), `labels["${CLUSTER_NAME_LABEL}"]`, resolved.labels[CLUSTER_NAME_LABEL],
    'is set by the library to the cluster name');
}
