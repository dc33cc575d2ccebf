/** What a taint does to pods that do not tolerate it. */
export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

/** A taint nodes of a pool register with. */
export interface NodeTaint {
  /** Taint key, with the syntax of a label key. */
  readonly key: string;
  /**
   * Taint value, with the syntax of a label value.
   * @default - no value
   */
  readonly value?: string;
  /** Taint effect. */
  readonly effect: TaintEffect;
}
