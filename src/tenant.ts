import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import { Construct, IConstruct } from 'constructs';
import { CloudCredentials, OpenStackClusterIdentity } from './cloud-credentials';
import { ICapiCluster, isCapiCluster } from './cluster-contract';
import { DELETE_PROTECTION } from './gitops-annotations';
import { InputErrors } from './input-errors';
import { isDns1123Label } from './rules';
import { UpstreamVersions } from './validation/upstream-versions';

/** The role over the cluster kinds that tenants' admins get in their namespace. */
const TENANT_CLUSTER_ROLE = 'tenant-cluster-admin';
const TENANT_CLUSTER_ROLE_ID = 'TenantClusterAdminRole';
/** The API groups of CAPI, its kubeadm providers, CAPO, CAAPH and Kamaji's provider. */
const CLUSTER_API_GROUPS = [
  'cluster.x-k8s.io', 'bootstrap.cluster.x-k8s.io', 'controlplane.cluster.x-k8s.io', 'infrastructure.cluster.x-k8s.io', 'addons.cluster.x-k8s.io',
];

/** Props of a {@link Tenant}. */
export interface TenantProps {
  /** The tenant's name: its namespace in the management cluster. */
  readonly name: string;
  /**
   * The Secret holding the tenant's `clouds.yaml` (its own OpenStack project), in the namespace
   * `identitySecretNamespace` of the management cluster, out of the tenant's reach: an
   * `OpenStackClusterIdentity` scoped to the tenant's namespace reads it.
   */
  readonly identitySecretName: string;
  /**
   * Namespace of that Secret (CAPO's, typically).
   * @default "capo-system"
   */
  readonly identitySecretNamespace?: string;
  /**
   * Groups of the identity provider whose members manage the tenant's clusters: bound to the
   * built-in `admin` role in the tenant's namespace only.
   * @default - none
   */
  readonly adminGroups?: string[];
  /**
   * Most Clusters the tenant may create (a ResourceQuota on `clusters.cluster.x-k8s.io`), so one
   * tenant cannot exhaust the management cluster.
   * @default 5
   */
  readonly maxClusters?: number;
  /**
   * Most hosted control planes (KamajiControlPlanes) the tenant may run in the management cluster.
   * @default 5
   */
  readonly maxHostedControlPlanes?: number;
  /**
   * The management cluster's releases (the identity kind needs CAPO v0.14).
   * @default UpstreamVersions.DEFAULT
   */
  readonly upstreamVersions?: UpstreamVersions;
}

/**
 * A tenant of a management cluster: its namespace, its own OpenStack credentials behind an
 * `OpenStackClusterIdentity` that admits that namespace only, quotas on its Clusters and hosted
 * control planes, and RBAC so its admins see only their namespace. Its clusters use
 * `tenant.credentials()`; a cluster in another namespace that tries is refused at synth (CAPO
 * would refuse it too).
 */
export class Tenant extends Construct {
  /** The tenant's name and namespace. */
  public readonly name: string;
  /** The identity of the tenant's credentials. */
  public readonly identity: OpenStackClusterIdentity;
  /** The tenant's namespace object. */
  public readonly namespaceObject: ApiObject;

  constructor(scope: Construct, id: string, props: TenantProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    errors.check(isDns1123Label(props.name), 'name', props.name, 'must be a DNS-1123 label (it is the namespace)');
    const maxClusters = props.maxClusters ?? 5;
    const maxHosted = props.maxHostedControlPlanes ?? 5;
    for (const [prop, value] of [['maxClusters', maxClusters], ['maxHostedControlPlanes', maxHosted]] as const) {
      errors.check(Number.isInteger(value) && value >= 0, prop, value, 'must be a whole number of at least 0');
    }
    errors.throwIfAny();
    this.name = props.name;

    this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: this.name, labels: { 'tenant.cluster-api.example/name': this.name }, annotations: { ...DELETE_PROTECTION } },
    });
    this.identity = new OpenStackClusterIdentity(this, 'Identity', {
      name: `tenant-${this.name}`,
      secretName: props.identitySecretName,
      secretNamespace: props.identitySecretNamespace ?? 'capo-system',
      allowedNamespaces: [this.name],
      upstreamVersions: props.upstreamVersions,
    });
    new k8s.KubeResourceQuota(this, 'Quota', {
      metadata: { name: 'clusters', namespace: this.name },
      spec: {
        hard: {
          'count/clusters.cluster.x-k8s.io': k8s.Quantity.fromNumber(maxClusters),
          'count/kamajicontrolplanes.controlplane.cluster.x-k8s.io': k8s.Quantity.fromNumber(maxHosted),
        },
      },
    });
    if (props.adminGroups?.length) {
      // The built-in `admin` role covers the core kinds; CAPI aggregates its own kinds only to its
      // manager (config/rbac/aggregated_role.yaml): the tenant's admins also get a role over the
      // cluster kinds, bound in their namespace only.
      const subjects = props.adminGroups.map(group => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }));
      new k8s.KubeRoleBinding(this, 'Admins', {
        metadata: { name: 'tenant-admins', namespace: this.name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
        subjects,
      });
      new k8s.KubeRoleBinding(this, 'ClusterAdmins', {
        metadata: { name: 'tenant-cluster-admins', namespace: this.name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: TENANT_CLUSTER_ROLE },
        subjects,
      });
      // One ClusterRole for all the tenants of a chart.
      const chart = Chart.of(this);
      if (!chart.node.tryFindChild(TENANT_CLUSTER_ROLE_ID)) {
        new k8s.KubeClusterRole(chart, TENANT_CLUSTER_ROLE_ID, {
          metadata: { name: TENANT_CLUSTER_ROLE },
          rules: [{ apiGroups: CLUSTER_API_GROUPS, resources: ['*'], verbs: ['*'] }],
        });
      }
    }
    this.node.addValidation({ validate: () => this.foreignCredentialProblems() });
  }

  /** Credentials of this tenant's clusters: its identity. */
  public credentials(): CloudCredentials {
    return this.identity.credentials();
  }

  /** Clusters of the app outside this tenant's namespace that use its identity. */
  private foreignCredentialProblems(): string[] {
    // Any cluster construct keeping the contract: plain, topology or hosted.
    return this.node.root.node.findAll()
      .filter((c: IConstruct): c is ICapiCluster => isCapiCluster(c))
      .filter(c => c.credentials.clusterIdentityName === this.identity.name && c.namespace !== this.name)
      .map(c => `${c.node.path}: cluster "${c.name}" in namespace "${c.namespace}" uses the credentials of tenant "${this.name}" `
        + `(OpenStackClusterIdentity ${this.identity.name}, which admits namespace "${this.name}" only): use its own tenant's credentials`);
  }
}
