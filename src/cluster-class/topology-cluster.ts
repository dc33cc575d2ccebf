import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MAX_SIZE_ANNOTATION, MIN_SIZE_ANNOTATION } from '../autoscaler-annotations';
import { BoundCloudCredentials, CloudCredentials, identityRefOf } from '../cloud-credentials';
import { ICapiCluster } from '../cluster-contract';
import { InputErrors } from '../input-errors';
import { Ipv4Network, overlaps, parseIpv4Cidr } from '../ipv4';
import { MachineImage } from '../machine-image';
import type { RegistryMirror } from '../registry-mirrors';
import { isDns1123Label } from '../rules';
import { SecurityGroupRule } from '../security-group-rule';
import { IDENTITY_REF_VARIABLE } from './built-in-variables';
import { OpenStackClusterClass } from './openstack-cluster-class';
import { pathUnder } from '../validation/object-path';
import { checkValueAgainstSchema } from '../validation/schema-check';
import { UpstreamVersions } from '../validation/upstream-versions';
import { checkWorkloadKubernetesVersion } from '../workload-kubernetes-versions';

/** The size of a topology pool that the cluster-autoscaler scales. */
export interface TopologyAutoscaling {
  /** Fewest machines (0: scale from zero, with the capacity of the worker class's flavor). */
  readonly minSize: number;
  /** Most machines. */
  readonly maxSize: number;
}

/** A pool of a topology cluster: a MachineDeployment of a worker class. */
export interface TopologyMachineDeployment {
  /** The worker class. */
  readonly class: string;
  /** The pool's name, unique in the cluster. */
  readonly name: string;
  /** Machines; or `autoscaling`. @default - with neither, CAPI's default (1) */
  readonly replicas?: number;
  /** Autoscaled by the cluster-autoscaler between these sizes. @default - not autoscaled */
  readonly autoscaling?: TopologyAutoscaling;
  /** The availability zone. @default - none */
  readonly failureDomain?: string;
  /** Values of the class's variables for this pool only. @default - the cluster's */
  readonly variables?: { [name: string]: any };
}

/** Props of an {@link OpenStackTopologyCluster}. */
export interface OpenStackTopologyClusterProps {
  /** The cluster's name. */
  readonly name: string;
  /** The ClusterClass it is made from; the cluster lives in the class's namespace (which the class creates). */
  readonly clusterClass: OpenStackClusterClass;
  /** Kubernetes version of the control plane and the pools, e.g. `v1.32.4`. */
  readonly kubernetesVersion: string;
  /** Control plane machines: odd, for etcd quorum. @default 3 */
  readonly controlPlaneReplicas?: number;
  /** The pools. @default - none */
  readonly workers?: TopologyMachineDeployment[];
  /** Values of the class's variables, checked against their schemas. @default - none */
  readonly variables?: { [name: string]: any };
  /** The credentials (the class's `identityRef` variable). @default CloudCredentials.fromSecretName() */
  readonly credentials?: CloudCredentials;
  /** Pod network CIDRs. @default ["192.168.0.0/16"] */
  readonly podCidrs?: string[];
}

/**
 * A cluster of a ClusterClass: only a `Cluster` with `spec.topology` (class, version, control
 * plane size, pools, variables), from which CAPI creates and upgrades the control plane and the
 * MachineDeployments itself, the control plane first on a version change. The variables are
 * checked against the class's schemas at synth time, every problem named. Pools that autoscale
 * carry the cluster-autoscaler's min/max annotations and the capacity of their worker class's
 * flavor, so they scale from zero (the autoscaler reads them from the MachineDeployment, its
 * clusterapi README, "Scale from zero support").
 *
 * Add-ons take it as they take an `OpenStackCapiCluster` (`new CalicoBootstrapJob(scope, id,
 * { cluster })`...): it keeps the same contract, its network choices being the class's.
 */
export class OpenStackTopologyCluster extends Construct implements ICapiCluster {
  public readonly name: string;
  public readonly namespace: string;
  public readonly kubernetesVersion: string;
  public readonly upstreamVersions: UpstreamVersions;
  public readonly podCidrs: string[];
  public readonly nodeCidr?: string;
  public readonly externalNetworkId?: string;
  public readonly securityGroupRules: SecurityGroupRule[];
  public readonly allowAllInClusterTraffic: boolean;
  public readonly image: MachineImage;
  public readonly sshKeyName?: string;
  public readonly nodeName: string;
  public readonly templateHashing = true;
  public readonly credentials: BoundCloudCredentials;
  public readonly controlPlaneAvailabilityZones?: string[];
  public readonly registryMirrors: RegistryMirror[];
  public readonly selectorLabels: { [key: string]: string };
  public readonly controlPlaneReplicas: number;
  public readonly networkMtu?: number;
  public readonly podCidrsAllowedOnPorts: boolean;
  /** The `Cluster` object. */
  public readonly clusterObject: ApiObject;

  constructor(scope: Construct, id: string, props: OpenStackTopologyClusterProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    const cls = props.clusterClass;
    if (!errors.check(cls instanceof OpenStackClusterClass, 'clusterClass', cls, 'must be an OpenStackClusterClass')) errors.throwIfAny();
    const prototype = cls._prototype;
    this.name = props.name;
    this.namespace = cls.namespace;
    this.kubernetesVersion = props.kubernetesVersion;
    this.upstreamVersions = cls.upstreamVersions;
    // The class's machines allow the class's pod CIDRs on their ports (podCidrsAllowedOnPorts).
    this.podCidrs = props.podCidrs ?? [...prototype.podCidrs];
    errors.check(!prototype.podCidrsAllowedOnPorts || props.podCidrs === undefined || props.podCidrs.join() === prototype.podCidrs.join(), 'podCidrs', props.podCidrs,
      `must be the class's (${prototype.podCidrs.join(', ')}): its machines' ports allow those pod CIDRs only (podCidrsAllowedOnPorts)`);
    this.controlPlaneReplicas = props.controlPlaneReplicas ?? 3;
    errors.check(isDns1123Label(props.name), 'name', props.name, 'must be a DNS-1123 label');
    checkWorkloadKubernetesVersion(errors, 'kubernetesVersion', props.kubernetesVersion, this.upstreamVersions);
    errors.check(Number.isInteger(this.controlPlaneReplicas) && this.controlPlaneReplicas % 2 === 1, 'controlPlaneReplicas', props.controlPlaneReplicas,
      'must be an odd number (etcd quorum)');

    // What add-ons read: the class's choices.
    this.nodeCidr = props.variables?.nodeCidr ?? prototype.nodeCidr;
    this.externalNetworkId = prototype.externalNetworkId;
    this.securityGroupRules = prototype.securityGroupRules;
    this.allowAllInClusterTraffic = prototype.allowAllInClusterTraffic;
    this.image = props.variables?.imageName ? MachineImage.fromName(props.variables.imageName) : prototype.image;
    this.sshKeyName = prototype.sshKeyName;
    this.nodeName = prototype.nodeName;
    this.controlPlaneAvailabilityZones = prototype.controlPlaneAvailabilityZones;
    this.registryMirrors = [...prototype.registryMirrors, ...Array.isArray(props.variables?.registryMirrors) ? props.variables.registryMirrors : []];
    this.networkMtu = prototype.networkMtu;
    this.podCidrsAllowedOnPorts = prototype.podCidrsAllowedOnPorts;
    this.selectorLabels = { 'cluster.x-k8s.io/cluster-name': this.name };
    errors.throwIfAny();

    this.credentials = (props.credentials ?? CloudCredentials.fromSecretName())._bind(this, {
      clusterName: this.name, namespace: this.namespace, upstreamVersions: this.upstreamVersions,
    });
    const identityRef = identityRefOf(this.credentials);

    errors.check(props.variables?.[IDENTITY_REF_VARIABLE] === undefined, `variables.${IDENTITY_REF_VARIABLE}`, props.variables?.[IDENTITY_REF_VARIABLE],
      'is set from credentials: give credentials instead');
    const variables = { ...props.variables, [IDENTITY_REF_VARIABLE]: identityRef };
    checkVariables(errors, 'variables', cls, variables, true);
    // kubeadm's control plane endpoint must move between machines (CAPO, "API server exposure").
    errors.check(props.variables?.apiServerLoadBalancer !== false || this.controlPlaneReplicas === 1, 'variables.apiServerLoadBalancer', false,
      `needs one control plane machine (controlPlaneReplicas is ${this.controlPlaneReplicas}): without a load balancer CAPO points the endpoint at one machine`);
    // The class's image is built for its version: another version needs its own image.
    errors.check(props.variables?.imageName !== undefined || props.kubernetesVersion === prototype.kubernetesVersion, 'variables.imageName', undefined,
      `is required for Kubernetes ${props.kubernetesVersion}: the class's image is built for ${prototype.kubernetesVersion} (image-builder images carry one version)`);
    checkMirroredRegistries(errors, 'variables.registryMirrors', props.variables?.registryMirrors, cls);
    // The schema checked its shape; a subnet that overlaps the pods would route pod traffic away.
    if (props.variables?.nodeCidr !== undefined) {
      const node = parseIpv4Cidr(String(props.variables.nodeCidr));
      if (typeof node !== 'string') {
        for (const pods of this.podCidrs) {
          const p = parseIpv4Cidr(pods);
          errors.check(typeof p === 'string' || !overlaps(node as Ipv4Network, p), 'variables.nodeCidr', props.variables.nodeCidr, `must not overlap the pod CIDR ${pods}`);
        }
      }
    }

    const names = new Set<string>();
    const workers = (props.workers ?? []).map((pool, i) => {
      const at = `workers[${i}]`;
      errors.check(cls.workerClassNames.includes(pool.class), `${at}.class`, pool.class, `must be a worker class of ${cls.name} (${cls.workerClassNames.join(', ')})`);
      if (errors.check(isDns1123Label(pool.name), `${at}.name`, pool.name, 'must be a DNS-1123 label')) {
        errors.check(!names.has(pool.name), `${at}.name`, pool.name, 'is the name of another pool');
        names.add(pool.name);
      }
      errors.check(pool.replicas === undefined || pool.autoscaling === undefined, `${at}.replicas`, pool.replicas, 'contradicts autoscaling: the autoscaler sets the size');
      const a = pool.autoscaling;
      if (a?.minSize === 0) {
        errors.check(Object.keys(cls._workerCapacity[pool.class] ?? {}).length > 0, `${at}.autoscaling.minSize`, 0,
          `needs the capacity of worker class ${pool.class}'s flavor to scale from zero: give the class Flavor.of(name, { vcpus, memoryMiB, ... })`);
      }
      if (a) {
        errors.check(Number.isInteger(a.minSize) && Number.isInteger(a.maxSize) && a.minSize >= 0 && a.maxSize >= Math.max(1, a.minSize),
          `${at}.autoscaling`, a, 'must have integer sizes with 0 <= minSize <= maxSize and maxSize >= 1');
      }
      if (pool.variables) checkVariables(errors, `${at}.variables`, cls, pool.variables, false);
      checkMirroredRegistries(errors, `${at}.variables.registryMirrors`, pool.variables?.registryMirrors, cls);
      // The capacity announced for scale from zero is the class flavor's: another flavor would lie.
      const flavor = pool.variables?.workerFlavor ?? props.variables?.workerFlavor;
      errors.check(flavor === undefined || a?.minSize !== 0, `${at}.variables.workerFlavor`, flavor,
        `cannot change the flavor of a pool that scales from zero: the autoscaler would plan with worker class ${pool.class}'s capacity; make a worker class with that flavor`);
      const annotations = a ? {
        [MIN_SIZE_ANNOTATION]: String(a.minSize), [MAX_SIZE_ANNOTATION]: String(a.maxSize), ...cls._workerCapacity[pool.class],
      } : undefined;
      return {
        class: pool.class,
        name: pool.name,
        replicas: pool.replicas,
        failureDomain: pool.failureDomain,
        metadata: annotations ? { annotations } : undefined,
        variables: pool.variables ? { overrides: Object.entries(pool.variables).map(([name, value]) => ({ name, value })) } : undefined,
      };
    });
    errors.throwIfAny();

    this.clusterObject = new ApiObject(this, 'Cluster', {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: { name: this.name, namespace: this.namespace, labels: { ...this.selectorLabels } },
      spec: {
        clusterNetwork: { pods: { cidrBlocks: [...this.podCidrs] }, serviceDomain: 'cluster.local' },
        topology: {
          classRef: { name: cls.name },
          version: props.kubernetesVersion,
          controlPlane: { replicas: this.controlPlaneReplicas },
          workers: workers.length ? { machineDeployments: workers } : undefined,
          variables: Object.entries(variables).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value })),
        },
      },
    });
  }
}

/** Each value against its variable's schema; unknown names refused; with `all`, required ones present. */
function checkVariables(errors: InputErrors, prop: string, cls: OpenStackClusterClass, values: { [name: string]: any }, all: boolean): void {
  for (const [name, value] of Object.entries(values)) {
    const variable = cls.variables[name];
    if (!errors.check(variable !== undefined, `${prop}.${name}`, value, `is not a variable of ClusterClass ${cls.name} (${Object.keys(cls.variables).join(', ')})`)) continue;
    for (const problem of checkValueAgainstSchema(value, variable.schema)) {
      errors.add(pathUnder(`${prop}.${name}`, problem.path), problem.value, problem.rule);
    }
  }
  if (!all) return;
  for (const variable of Object.values(cls.variables).filter(v => v.required)) {
    errors.check(values[variable.name] !== undefined, `${prop}.${variable.name}`, undefined, `is required by ClusterClass ${cls.name}`);
  }
}

/**
 * A registry the class mirrors already gets no second mirror from a variable: containerd would
 * read one of the two hosts.toml files (as a pool may not repeat its cluster's mirrors).
 */
function checkMirroredRegistries(errors: InputErrors, prop: string, mirrors: unknown, cls: OpenStackClusterClass): void {
  if (!Array.isArray(mirrors)) return;
  mirrors.forEach((mirror, i) => {
    errors.check(!cls._mirroredRegistries.includes(mirror?.registry), `${prop}[${i}].registry`, mirror?.registry,
      `has a mirror in ClusterClass ${cls.name} already (its registryMirrors)`);
  });
}
