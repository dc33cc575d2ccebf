import { Duration } from 'cdk8s';
import { InputErrors } from './input-errors';

/**
 * How many unhealthy machines a MachineHealthCheck may remediate: when more are unhealthy, it
 * remediates none (a network partition or a zone outage must not replace a whole pool). CAPI's
 * `maxUnhealthy` / `unhealthyRange` (v1beta1), `remediation.triggerIf` (v1beta2).
 */
export class UnhealthyThreshold {
  /** Remediate while at most `count` machines are unhealthy. */
  public static count(count: number): UnhealthyThreshold {
    return new UnhealthyThreshold('count', count, count);
  }

  /** Remediate while at most `percent` % of the machines (rounded down, as CAPI does) are unhealthy. */
  public static percent(percent: number): UnhealthyThreshold {
    return new UnhealthyThreshold('percent', percent, percent);
  }

  /** Remediate only while the number of unhealthy machines lies in `[min, max]`. */
  public static range(min: number, max: number): UnhealthyThreshold {
    return new UnhealthyThreshold('range', min, max);
  }

  private constructor(
    /** `count`, `percent` or `range`. */
    public readonly kind: string,
    /** The count, the percentage, or the range's minimum. */
    public readonly min: number,
    /** The count, the percentage, or the range's maximum. */
    public readonly max: number,
  ) {}

  /**
   * The problems of this threshold for a group whose size lies in `[minSize, maxSize]`, as rules:
   * it must be able to remediate at every size from 1 up (else unhealthy machines stay forever), and
   * must not replace a group of two or more at once.
   * @internal
   */
  public _problems(minSize: number, maxSize: number): string[] {
    const whole = (n: number) => Number.isInteger(n) && n >= 0;
    if (this.kind === 'percent' && !(whole(this.min) && this.min <= 100)) return ['a percentage must be a whole number from 0 to 100'];
    if (this.kind !== 'percent' && !(whole(this.min) && whole(this.max) && this.min <= this.max)) {
      return [this.kind === 'range' ? 'a range must be whole numbers with min <= max' : 'a count must be a whole number'];
    }
    const problems: string[] = [];
    // A count or a percentage can fail only at sizes up to 100 (a range, up to its max): beyond
    // 1000 nothing new is learnt.
    for (let size = Math.max(1, minSize); size <= Math.min(maxSize, 1000); size++) {
      const { lowest, highest } = this.remediable(size);
      if (lowest > Math.min(highest, size)) {
        problems.push(`can never remediate a group of ${size} machine${size === 1 ? '' : 's'}: raise it`);
        break;
      }
      if (size >= 2 && highest >= size) {
        problems.push(`would replace all ${size} machines of the group at once: lower it below ${size}`);
        break;
      }
    }
    return problems;
  }

  /** The numbers of unhealthy machines that a group of `size` remediates. */
  private remediable(size: number): { lowest: number; highest: number } {
    if (this.kind === 'range') return { lowest: Math.max(1, this.min), highest: this.max };
    // CAPI scales a percentage down (intstr.GetScaledValueFromIntOrPercent, roundUp false).
    const highest = this.kind === 'percent' ? Math.floor((this.min * size) / 100) : this.min;
    return { lowest: 1, highest };
  }

  /**
   * The field CAPI reads: `maxUnhealthy` (a count or "N%"), or `unhealthyRange` ("[min-max]").
   * @internal
   */
  public _toSpec(): { maxUnhealthy?: number | string; unhealthyRange?: string } {
    if (this.kind === 'range') return { unhealthyRange: `[${this.min}-${this.max}]` };
    return { maxUnhealthy: this.kind === 'percent' ? `${this.min}%` : this.min };
  }
}

/** A MachineHealthCheck of the control plane or of a pool. */
export interface MachineHealthCheckOptions {
  /**
   * Whether machines whose node is unhealthy are replaced.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How long a node may be not Ready (`Ready` condition `False` or `Unknown`) before its machine is
   * replaced.
   * @default Duration.minutes(5)
   */
  readonly unhealthyTimeout?: Duration;

  /**
   * How long a new machine may take to become a node before it is replaced.
   * @default Duration.minutes(10) - CAPI's default `nodeStartupTimeout`
   */
  readonly nodeStartupTimeout?: Duration;

  /**
   * How many unhealthy machines may be remediated; above it, none is (a zone outage must not
   * replace the whole group).
   * @default - `max(1, 40% of the group's smallest non-zero size)` machines: never none, never a
   * whole group of two or more (for the control plane, KCP also refuses a remediation that would
   * lose etcd quorum)
   */
  readonly maxUnhealthy?: UnhealthyThreshold;
}

/** A health check as written: timeouts in seconds, the threshold as CAPI reads it. */
export interface HealthCheckModel {
  readonly unhealthyTimeoutSeconds: number;
  readonly nodeStartupTimeoutSeconds: number;
  readonly threshold: UnhealthyThreshold;
}

/**
 * The health check of a group of machines whose size lies in `[minSize, maxSize]`, or undefined
 * when it is off; problems are recorded against `prop`.
 */
export function resolveHealthCheck(errors: InputErrors, prop: string, options: MachineHealthCheckOptions | undefined,
  size: { minSize: number; maxSize: number }): HealthCheckModel | undefined {
  const given = options ?? {};
  if (!errors.checkPropNames(prop, given, ['enabled', 'unhealthyTimeout', 'nodeStartupTimeout', 'maxUnhealthy'])) return undefined;
  errors.checkBoolean(`${prop}.enabled`, given.enabled);
  if (given.enabled === false) return undefined;
  const seconds = (field: string, value: Duration | undefined, fallback: Duration) => {
    const d = value ?? fallback;
    const s = d instanceof Duration ? d.toMilliseconds() / 1000 : NaN;
    errors.check(Number.isInteger(s) && s > 0, `${prop}.${field}`, d instanceof Duration ? `${d.toMilliseconds()} ms` : d,
      'must be a Duration of whole, positive seconds');
    return s;
  };
  const unhealthyTimeoutSeconds = seconds('unhealthyTimeout', given.unhealthyTimeout, Duration.minutes(5));
  const nodeStartupTimeoutSeconds = seconds('nodeStartupTimeout', given.nodeStartupTimeout, Duration.minutes(10));
  const smallest = Math.max(1, size.minSize);
  const threshold = given.maxUnhealthy ?? UnhealthyThreshold.count(Math.max(1, Math.floor((smallest * 40) / 100)));
  if (errors.check(threshold instanceof UnhealthyThreshold, `${prop}.maxUnhealthy`, threshold,
    'must be an UnhealthyThreshold (UnhealthyThreshold.count, percent or range)')) {
    for (const problem of threshold._problems(size.minSize, size.maxSize)) {
      errors.add(`${prop}.maxUnhealthy`, threshold._toSpec().maxUnhealthy ?? threshold._toSpec().unhealthyRange, problem);
    }
  }
  return { unhealthyTimeoutSeconds, nodeStartupTimeoutSeconds, threshold };
}
