/** A Secret key of the management cluster, in the cluster's namespace. */
export interface SecretKeyReference {
  /** The Secret's name. */
  readonly name: string;
  /** The key. */
  readonly key: string;
}
