import { IConstruct } from 'constructs';
import { UpstreamVersions } from './validation/upstream-versions';

/**
 * The releases of the management cluster an object is written for: those of the cluster whose
 * construct holds it (a cluster, or a pool or add-on with a `cluster`), else the default pair.
 */
export function upstreamVersionsOf(construct: IConstruct): UpstreamVersions {
  for (const scope of [...construct.node.scopes].reverse()) {
    const candidate = scope as { upstreamVersions?: unknown; cluster?: { upstreamVersions?: unknown } };
    if (candidate.upstreamVersions instanceof UpstreamVersions) return candidate.upstreamVersions;
    if (candidate.cluster?.upstreamVersions instanceof UpstreamVersions) return candidate.cluster.upstreamVersions;
  }
  return UpstreamVersions.DEFAULT;
}
