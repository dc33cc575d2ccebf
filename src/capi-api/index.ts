import { CapiRenderer } from './capi-renderer';
import { V1beta1Renderer } from './v1beta1-renderer';
import { V1beta2Renderer } from './v1beta2-renderer';
import { UpstreamVersions } from '../validation/upstream-versions';

export { CapiRenderer } from './capi-renderer';
export * from './models';

const V1BETA1 = new V1beta1Renderer();
const V1BETA2 = new V1beta2Renderer();

/**
 * The renderer for a management cluster's releases: CAPI v1.10 is written in v1beta1 (its
 * storage version); later releases, whose storage version is v1beta2, in v1beta2 (v1beta1 is
 * deprecated there and to be unserved in CAPI v1.16, `v1.13-to-v1.14.md`).
 */
export function rendererFor(versions: UpstreamVersions): CapiRenderer {
  return versions.clusterApi.startsWith('v1.10.') ? V1BETA1 : V1BETA2;
}
