/**
 * A pair of pinned upstream releases a management cluster runs: Cluster API (CAPI) and its
 * OpenStack provider (CAPO). It decides the API version of the Cluster API objects written for a
 * cluster, and the schemas they are validated against (with the Kubernetes API of built-in kinds).
 */
export class UpstreamVersions {
  /**
   * CAPI v1.10.5 and CAPO v0.12.4, for management clusters that have not upgraded: Cluster API
   * objects are written in `v1beta1`, CAPI v1.10's storage version.
   */
  public static readonly CAPI_1_10_CAPO_0_12 = new UpstreamVersions('v1.10.5', 'v0.12.4', 'v1beta1');

  /**
   * CAPI v1.13.5 and CAPO v0.14.7: Cluster API objects are written in `v1beta2`, CAPI v1.13's
   * storage version (v1beta1 is deprecated there).
   */
  public static readonly CAPI_1_13_CAPO_0_14 = new UpstreamVersions('v1.13.5', 'v0.14.7', 'v1beta2');

  /**
   * CAPI v1.14.0 and CAPO v0.14.7, the newest pinned pair. CAPI v1.14 stores v1beta2 and still
   * serves v1beta1, deprecated and "on track to be unserved in CAPI v1.16" (its migration guide
   * v1.13-to-v1.14.md). CAPO v0.14 implements the v1beta1 contract and works with CAPI v1beta2
   * objects (its templates mix them).
   */
  public static readonly CAPI_1_14_CAPO_0_14 = new UpstreamVersions('v1.14.0', 'v0.14.7', 'v1beta2');

  /** The default pair, the newest: {@link UpstreamVersions.CAPI_1_14_CAPO_0_14}. */
  public static readonly DEFAULT = UpstreamVersions.CAPI_1_14_CAPO_0_14;

  /** Every pinned pair. */
  public static all(): UpstreamVersions[] {
    return [UpstreamVersions.CAPI_1_10_CAPO_0_12, UpstreamVersions.CAPI_1_13_CAPO_0_14, UpstreamVersions.CAPI_1_14_CAPO_0_14];
  }

  /**
   * The pinned pair with this CAPI version, e.g. `v1.13.5`, `1.13.5` or `1.13`.
   * @throws if no pinned pair has it
   */
  public static fromClusterApiVersion(version: string): UpstreamVersions {
    const wanted = version.replace(/^v/, '');
    const found = UpstreamVersions.all().find(v => v.clusterApi === `v${wanted}` || v.clusterApi.startsWith(`v${wanted}.`));
    if (!found) {
      throw new Error(`no pinned upstream versions for CAPI ${JSON.stringify(version)}: choose one of ${UpstreamVersions.all().map(v => v.clusterApi).join(', ')}`);
    }
    return found;
  }

  /** The Kubernetes API version whose schemas the built-in kinds are checked against. */
  public readonly kubernetes = 'v1.32.0';

  private constructor(
    /** The Cluster API release, e.g. `v1.10.5`. */
    public readonly clusterApi: string,
    /** The Cluster API Provider OpenStack release, e.g. `v0.12.4`. */
    public readonly openStackProvider: string,
    /**
     * The API version of the Cluster API objects written for this pair (`cluster.x-k8s.io`,
     * `controlplane.`, `bootstrap.` and `addons.`): the CAPI release's storage version. CAPO's
     * objects stay `infrastructure.cluster.x-k8s.io/v1beta1` with every pair.
     */
    public readonly clusterApiVersion: string,
  ) {}

  /** E.g. `CAPI v1.10.5 + CAPO v0.12.4`. */
  public toString(): string {
    return `CAPI ${this.clusterApi} + CAPO ${this.openStackProvider}`;
  }
}
