import { StructuralSchema } from './structural-schema';

/** What a catalog knows of one apiVersion/kind. */
export type KindLookup =
  /** The schema to check objects of that kind against. */
  | {
    readonly schema: StructuralSchema;
    readonly builtIn: boolean;
    /** The API server drops `status` on create and update (a status subresource): not checked. */
    readonly ignoresStatus: boolean;
  }
  /** The kind is known, but not at that apiVersion. */
  | { readonly notServed: string }
  /** The catalog knows nothing of it. */
  | undefined;

/** Splits `group/version` (or the core `v1`) into its parts. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
