/** Checks synthesized objects, e.g. against the upstream API schemas. */
export interface IManifestValidator {
  /**
   * Returns one line per problem found in the objects; none when they are all valid.
   * @param manifests the objects, as plain JSON
   */
  validate(manifests: any[]): string[];
}
