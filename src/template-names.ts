import { ApiObject, Lazy } from 'cdk8s';
import { shortHash } from './canonical-json';
import { rendererFor } from './capi-api';
import { ObjectMetadata } from './capi-api/models';
import { ICapiCluster } from './cluster-contract';
import { PRUNE_PROTECTION } from './gitops-annotations';

/**
 * Templates (OpenStackMachineTemplate, KubeadmConfigTemplate) are immutable once machines use
 * them: with `templateHashing` on, each is named `<baseName>-<hash of its spec>`, and GitOps tools
 * are told not to prune the old one while the machines roll.
 */
export function templateMetadata(cluster: ICapiCluster, baseName: string): ObjectMetadata {
  return {
    name: baseName,
    namespace: cluster.namespace,
    annotations: cluster.templateHashing ? { ...PRUNE_PROTECTION } : undefined,
  };
}

/** With the cluster's hashing on, names the template after its spec as finally rendered. */
export function nameTemplate<T extends ApiObject>(cluster: ICapiCluster, template: T, baseName: string): T {
  if (cluster.templateHashing) {
    const renderer = rendererFor(cluster.upstreamVersions);
    nameAfterRenderedSpec(template, baseName, spec => renderer.hashForm(spec));
  }
  return template;
}

/**
 * Names an immutable template `<baseName>-<hash of its spec>`, the spec taken as finally rendered:
 * escape hatches included (`ApiObject.of(template).addJsonPatch(...)`). A spec changed by any
 * means then gets a new name, so CAPI rolls the machines instead of CAPO's immutability webhook
 * rejecting the edit. Objects that refer to the template by `template.name` get the same name:
 * both resolve when the app synthesizes. `hashForm` maps the spec to the form that is hashed.
 */
export function nameAfterRenderedSpec(template: ApiObject, baseName: string, hashForm: (spec: unknown) => unknown = s => s): void {
  let rendering = false;
  // The name is read by every object referring to the template: computed once, and again after a
  // patch (the only way to change a constructed template's spec).
  let cached: string | undefined;
  const addJsonPatch = template.addJsonPatch.bind(template);
  template.addJsonPatch = (...ops) => {
    cached = undefined;
    addJsonPatch(...ops);
  };
  const finalName = (): string => {
    // Rendering the template resolves its own name again: that inner name is not hashed.
    if (rendering) return baseName;
    if (cached !== undefined) return cached;
    rendering = true;
    try {
      cached = `${baseName}-${shortHash(hashForm(template.toJson().spec))}`;
      return cached;
    } finally {
      rendering = false;
    }
  };
  // Both are plain fields set by ApiObject's constructor: replaced with late-bound ones.
  (template.metadata as { name?: string }).name = Lazy.any({ produce: finalName });
  Object.defineProperty(template, 'name', { get: finalName, configurable: true, enumerable: true });
}
