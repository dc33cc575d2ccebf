/**
 * What Kamaji supports, at the release whose CRDs are pinned (clastix/kamaji 26.8.2-edge; its
 * control plane provider v0.20.0 builds on it).
 * - Tenant control planes up to its kubeadm's minor: `KubeadmVersion = "v1.36.0"`
 *   (internal/upgrade/kubeadm_version.go); its TenantControlPlane webhook refuses a greater minor,
 *   a downgrade and a skipped minor (internal/webhook/handlers/tcp_version.go).
 * - Tenant clusters from v1.30, on a management cluster of v1.33 or later
 *   (docs/content/reference/versioning.md at 26.8.2-edge, whose newest row is 26.3.2-edge's:
 *   management v1.33+, tenants v1.30.0 to v1.35.0; the upper bound moved to the kubeadm above).
 */
export const KAMAJI_RELEASE = '26.8.2-edge';
const TENANT_MINORS = { min: 30, max: 36 };
const MANAGEMENT_MIN_MINOR = 33;

/** Why Kamaji cannot run a tenant control plane of this minor (1.x), or undefined. */
export function kamajiTenantVersionProblem(minor: number): string | undefined {
  if (minor >= TENANT_MINORS.min && minor <= TENANT_MINORS.max) return undefined;
  return `is not supported by Kamaji ${KAMAJI_RELEASE} for hosted control planes (v1.${TENANT_MINORS.min}.x to v1.${TENANT_MINORS.max}.x: its kubeadm and versioning docs)`;
}

/** Why Kamaji cannot run in a management cluster of this minor (1.x), or undefined. */
export function kamajiManagementVersionProblem(minor: number): string | undefined {
  if (minor >= MANAGEMENT_MIN_MINOR) return undefined;
  return `must be v1.${MANAGEMENT_MIN_MINOR} or later to run Kamaji ${KAMAJI_RELEASE}, which hosts the control planes here (Kamaji's versioning docs)`;
}
