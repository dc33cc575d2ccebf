/**
 * What an OpenStack flavor provides, as `openstack flavor show` reports it.
 */
export interface FlavorCapacity {
  /** Number of virtual CPUs. */
  readonly vcpus: number;
  /** RAM in MiB (OpenStack's unit: 8192 for 8 GiB). */
  readonly memoryMiB: number;
  /**
   * Root disk in GiB.
   * @default - unknown: no ephemeral-disk capacity is announced to the autoscaler
   */
  readonly diskGiB?: number;
  /**
   * Number of GPUs.
   * @default 0
   */
  readonly gpus?: number;
  /**
   * GPU type label the autoscaler matches against pods' node selectors, e.g. `nvidia.com/gpu`.
   * @default - none
   */
  readonly gpuType?: string;
}

/**
 * An OpenStack flavor: its name and, when known, its capacity. Node pools derive the
 * cluster-autoscaler scale-from-zero annotations from the capacity, so they never disagree.
 */
export class Flavor {
  /** A flavor whose capacity is known: pools using it can scale from zero. */
  public static of(name: string, capacity: FlavorCapacity): Flavor {
    return new Flavor(name, capacity);
  }

  /** A flavor known by name only: fine for the control plane and fixed-size pools. */
  public static named(name: string): Flavor {
    return new Flavor(name, undefined);
  }

  private constructor(
    /** The flavor's name in OpenStack. */
    public readonly name: string,
    /** The flavor's capacity, when known. */
    public readonly capacity?: FlavorCapacity,
  ) {}

  /**
   * The problems of this flavor, as `[field, value, rule]` triples.
   * @internal
   */
  public _problems(): Array<[string, unknown, string]> {
    const problems: Array<[string, unknown, string]> = [];
    if (typeof this.name !== 'string' || this.name.length === 0) {
      problems.push(['name', this.name, 'must be a non-empty flavor name']);
    }
    const c = this.capacity;
    if (!c) return problems;
    const positive = (field: string, value: number | undefined, optional: boolean) => {
      if (optional && value === undefined) return;
      if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
        problems.push([field, value, 'must be a positive integer']);
      }
    };
    positive('vcpus', c.vcpus, false);
    positive('memoryMiB', c.memoryMiB, false);
    positive('diskGiB', c.diskGiB, true);
    if (c.gpus !== undefined && !(Number.isInteger(c.gpus) && c.gpus >= 0)) {
      problems.push(['gpus', c.gpus, 'must be a whole number']);
    }
    return problems;
  }
}
