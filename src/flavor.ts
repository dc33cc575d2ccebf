/** Memory the kernel keeps besides its page tables: image, firmware, DMA zones (an estimate). */
const KERNEL_RESERVED_MIB = 128;
/** The kubelet's default hard eviction threshold, `memory.available<100Mi`. */
const KUBELET_EVICTION_HARD_MIB = 100;

/**
 * What an OpenStack flavor provides, as `openstack flavor show` reports it.
 */
export interface FlavorCapacity {
  /** Number of virtual CPUs. */
  readonly vcpus: number;
  /** RAM in MiB (OpenStack's unit: 8192 for 8 GiB). */
  readonly memoryMiB: number;
  /**
   * Memory in MiB a node of this flavor offers to pods, announced to the cluster-autoscaler for
   * scaling from zero: measure it on a node (`kubectl get node -o jsonpath='{.status.allocatable.memory}'`).
   * @default - estimated from `memoryMiB`, see {@link Flavor.nodeMemoryMiB}
   */
  readonly nodeMemoryMiB?: number;

  /**
   * Root disk in GiB; 0 for a flavor without a local disk (common on Ceph-backed clouds), whose
   * servers only boot from a root volume (`MachineOptions.rootVolume`).
   * @default - unknown: no ephemeral-disk capacity is announced to the autoscaler, unless the servers boot from a root volume
   */
  readonly diskGiB?: number;

  /**
   * Ephemeral disk in GiB (`OS-FLV-EXT-DATA:ephemeral` in `openstack flavor show`): local block
   * devices (`BlockDevice.local`) take their space from it.
   * @default - unknown: local block devices are not checked against it
   */
  readonly ephemeralGiB?: number;

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
    return new Flavor(name, capacity, true);
  }

  /** A flavor known by name only: fine for the control plane and fixed-size pools. */
  public static named(name: string): Flavor {
    return new Flavor(name, undefined, false);
  }

  private constructor(
    /** The flavor's name in OpenStack. */
    public readonly name: string,
    /** The flavor's capacity, when known. */
    public readonly capacity?: FlavorCapacity,
    private readonly capacityGiven: boolean = false,
  ) {}

  /**
   * The memory a node of this flavor offers to pods, in MiB: `capacity.nodeMemoryMiB` when given,
   * else an estimate below the flavor's RAM. The kernel keeps part of the RAM (its page tables:
   * 64 bytes per 4 KiB page, RAM/64; and about 128 MiB for its image, firmware and DMA zones),
   * so the kubelet reports less memory than the flavor has, and the kubelet's default hard
   * eviction threshold (`memory.available<100Mi`) comes off allocatable memory. Announcing the
   * flavor's RAM instead would let the autoscaler pick a pool whose node then cannot fit the pod.
   * Undefined when the capacity is unknown.
   */
  public get nodeMemoryMiB(): number | undefined {
    const c = this.capacity;
    if (!c) return undefined;
    return c.nodeMemoryMiB ?? c.memoryMiB - Math.ceil(c.memoryMiB / 64) - KERNEL_RESERVED_MIB - KUBELET_EVICTION_HARD_MIB;
  }

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
    if (this.capacityGiven && (typeof c !== 'object' || c === null)) {
      problems.push(['capacity', c, 'must be { vcpus, memoryMiB } with Flavor.of (use Flavor.named for a flavor known by name only)']);
      return problems;
    }
    if (!c) return problems;
    const positive = (field: string, value: number | undefined, optional: boolean) => {
      if (optional && value === undefined) return;
      if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
        problems.push([field, value, 'must be a positive integer']);
      }
    };
    positive('vcpus', c.vcpus, false);
    positive('memoryMiB', c.memoryMiB, false);
    if (c.diskGiB !== undefined && !(typeof c.diskGiB === 'number' && Number.isInteger(c.diskGiB) && c.diskGiB >= 0)) {
      problems.push(['diskGiB', c.diskGiB, 'must be a positive integer, or 0 for a flavor without a local disk (its servers boot from a root volume)']);
    }
    if (c.ephemeralGiB !== undefined && !(typeof c.ephemeralGiB === 'number' && Number.isInteger(c.ephemeralGiB) && c.ephemeralGiB >= 0)) {
      problems.push(['ephemeralGiB', c.ephemeralGiB, 'must be a whole number of GiB (0 for a flavor without an ephemeral disk)']);
    }
    positive('nodeMemoryMiB', c.nodeMemoryMiB, true);
    if (c.nodeMemoryMiB !== undefined && c.nodeMemoryMiB > c.memoryMiB) {
      problems.push(['nodeMemoryMiB', c.nodeMemoryMiB, `must not exceed memoryMiB (${c.memoryMiB}): a node offers less than its flavor's RAM`]);
    }
    if (c.nodeMemoryMiB === undefined && Number.isInteger(c.memoryMiB) && c.memoryMiB > 0 && (this.nodeMemoryMiB ?? 0) <= 0) {
      problems.push(['memoryMiB', c.memoryMiB, 'is too small for a Kubernetes node']);
    }
    if (c.gpus !== undefined && !(Number.isInteger(c.gpus) && c.gpus >= 0)) {
      problems.push(['gpus', c.gpus, 'must be a whole number']);
    }
    return problems;
  }
}
