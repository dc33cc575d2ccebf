import { CapiRenderer } from './capi-renderer';
import { V1beta1Renderer } from './v1beta1-renderer';
import { V1beta2Renderer } from './v1beta2-renderer';
import { UpstreamVersions } from '../validation/upstream-versions';

export { CapiRenderer } from './capi-renderer';
export * from './models';

const RENDERERS: CapiRenderer[] = [new V1beta1Renderer(), new V1beta2Renderer()];

/**
 * The renderer of a management cluster's releases: their CAPI storage version (v1beta1 for CAPI
 * v1.10; v1beta2 later, where v1beta1 is deprecated and to be unserved in CAPI v1.16,
 * `v1.13-to-v1.14.md`).
 */
export function rendererFor(versions: UpstreamVersions): CapiRenderer {
  const renderer = RENDERERS.find(r => r.apiVersion === versions.clusterApiVersion);
  if (!renderer) throw new Error(`no renderer for Cluster API ${versions.clusterApiVersion} (${versions})`);
  return renderer;
}
