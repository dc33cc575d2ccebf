import { ApiObject, Lazy } from 'cdk8s';
import { shortHash } from './canonical-json';

/**
 * Names an immutable template `<baseName>-<hash of its spec>`, the spec taken as finally rendered:
 * escape hatches included (`ApiObject.of(template).addJsonPatch(...)`). A spec changed by any
 * means then gets a new name, so CAPI rolls the machines instead of CAPO's immutability webhook
 * rejecting the edit. Objects that refer to the template by `template.name` get the same name:
 * both resolve when the app synthesizes.
 */
export function nameAfterRenderedSpec(template: ApiObject, baseName: string): void {
  let rendering = false;
  const finalName = (): string => {
    // Rendering the template resolves its own name again: that inner name is not hashed.
    if (rendering) return baseName;
    rendering = true;
    try {
      return `${baseName}-${shortHash(template.toJson().spec)}`;
    } finally {
      rendering = false;
    }
  };
  // Both are plain fields set by ApiObject's constructor: replaced with late-bound ones.
  (template.metadata as { name?: string }).name = Lazy.any({ produce: finalName });
  Object.defineProperty(template, 'name', { get: finalName, configurable: true, enumerable: true });
}
