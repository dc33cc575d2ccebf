import { Duration } from 'cdk8s';
import { DeletionModel, MachineDeploymentRolloutModel } from './capi-api/models';
import { InputErrors } from './input-errors';

/** How a pool replaces its machines when its template changes. */
export enum RolloutStrategyType {
  /** New machines first, old ones removed as the new ones become ready (CAPI's default). */
  ROLLING_UPDATE = 'RollingUpdate',
  /** A machine is replaced only when someone deletes it: for pools that must not roll on their own. */
  ON_DELETE = 'OnDelete',
}

/** Which machines a pool removes first when it shrinks (CAPI `deletePolicy` / `deletion.order`). */
export enum DeletionOrder {
  /** Unhealthy and marked machines first, then any (CAPI's default). */
  RANDOM = 'Random',
  /** The newest machines first. */
  NEWEST = 'Newest',
  /** The oldest machines first. */
  OLDEST = 'Oldest',
}

/** How a pool rolls its machines. */
export interface NodePoolRolloutOptions {
  /**
   * How machines are replaced when the pool's templates change.
   * @default RolloutStrategyType.ROLLING_UPDATE
   */
  readonly strategy?: RolloutStrategyType;

  /**
   * With a rolling update, how many machines may exist above the pool's size.
   * @default 1 (CAPI's default)
   */
  readonly maxSurge?: number;

  /**
   * With a rolling update, how many machines may be unavailable below the pool's size.
   * @default 0 (CAPI's default)
   */
  readonly maxUnavailable?: number;

  /**
   * Which machines go first when the pool shrinks.
   * @default DeletionOrder.RANDOM (CAPI's default)
   */
  readonly deletionOrder?: DeletionOrder;

  /**
   * How long a new node must be Ready before its machine counts as available.
   * @default 0
   */
  readonly minReadySeconds?: number;
}

/**
 * How long CAPI waits on a node while it deletes a machine; past each timeout it goes on
 * regardless. Unset, a drain blocked by a PodDisruptionBudget waits forever (CAPI book, "Machine
 * deletion process").
 */
export interface NodeDeletionOptions {
  /**
   * How long to drain the node.
   * @default - no limit
   */
  readonly nodeDrainTimeout?: Duration;

  /**
   * How long to wait for the node's volumes to detach.
   * @default - no limit
   */
  readonly nodeVolumeDetachTimeout?: Duration;

  /**
   * How long to retry deleting the Node object once the machine is gone.
   * @default - CAPI's default, 10 seconds
   */
  readonly nodeDeletionTimeout?: Duration;
}

/** How the control plane rolls its machines and remediates unhealthy ones. */
export interface ControlPlaneRolloutOptions {
  /**
   * Machines above the replicas during a rollout: 1 (a new machine joins before an old one goes),
   * or 0 (an old one goes first: for clouds without room for one more, at the cost of a moment with
   * one etcd member less).
   * @default 1
   */
  readonly maxSurge?: number;

  /**
   * Roll a control plane machine this many days before its certificates expire (at least 7,
   * CAPI's minimum): kubeadm's certificates last one year, and a cluster not upgraded within it
   * stops otherwise (CAPI book, "Automatically rotate certificates on KCP").
   * @default 21
   */
  readonly certificatesExpiryDays?: number;

  /**
   * How often KCP retries remediating a machine before giving up.
   * @default - no limit (CAPI's default)
   */
  readonly remediationMaxRetry?: number;

  /**
   * How long KCP waits between two remediations of the same machine.
   * @default - none (CAPI's default)
   */
  readonly remediationRetryPeriod?: Duration;

  /**
   * How long a machine must have been healthy for a later failure to count as a new one.
   * @default - CAPI's default, 1 hour
   */
  readonly remediationMinHealthyPeriod?: Duration;
}

/** The control plane's rollout and remediation, as written. */
export interface ControlPlaneRolloutModel {
  readonly maxSurge?: number;
  readonly certificatesExpiryDays: number;
  readonly remediation?: { readonly maxRetry?: number; readonly retryPeriodSeconds?: number; readonly minHealthyPeriodSeconds?: number };
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** A Duration as whole seconds, or undefined; problems recorded against `prop`. */
function seconds(errors: InputErrors, prop: string, duration: Duration | undefined): number | undefined {
  if (duration === undefined) return undefined;
  const s = duration instanceof Duration ? duration.toMilliseconds() / 1000 : NaN;
  errors.check(Number.isInteger(s) && s > 0, prop, duration instanceof Duration ? `${duration.toMilliseconds()} ms` : duration,
    'must be a Duration of whole, positive seconds');
  return s;
}

/** A pool's rollout, checked. */
export function resolvePoolRollout(errors: InputErrors, prop: string,
  options: NodePoolRolloutOptions | undefined): MachineDeploymentRolloutModel | undefined {
  if (options === undefined) return undefined;
  if (!errors.checkPropNames(prop, options, ['strategy', 'maxSurge', 'maxUnavailable', 'deletionOrder', 'minReadySeconds'])) return undefined;
  const strategy = options.strategy ?? RolloutStrategyType.ROLLING_UPDATE;
  errors.check(Object.values(RolloutStrategyType).includes(strategy), `${prop}.strategy`, strategy, 'must be a RolloutStrategyType');
  for (const field of ['maxSurge', 'maxUnavailable', 'minReadySeconds'] as const) {
    if (options[field] !== undefined) errors.check(isCount(options[field]), `${prop}.${field}`, options[field], 'must be a whole number (0 or more)');
  }
  if (strategy === RolloutStrategyType.ON_DELETE) {
    for (const field of ['maxSurge', 'maxUnavailable'] as const) {
      errors.check(options[field] === undefined, `${prop}.${field}`, options[field], 'applies to RolloutStrategyType.ROLLING_UPDATE only');
    }
  } else {
    // CAPI: maxSurge "can not be 0 if MaxUnavailable is 0", or the rollout could never start.
    errors.check(!(options.maxSurge === 0 && (options.maxUnavailable ?? 0) === 0), `${prop}.maxSurge`, 0,
      'must be at least 1 while maxUnavailable is 0: the rollout could neither add nor remove a machine');
  }
  if (options.deletionOrder !== undefined) {
    errors.check(Object.values(DeletionOrder).includes(options.deletionOrder), `${prop}.deletionOrder`, options.deletionOrder, 'must be a DeletionOrder');
  }
  return {
    strategy,
    maxSurge: options.maxSurge,
    maxUnavailable: options.maxUnavailable,
    deletionOrder: options.deletionOrder,
    minReadySeconds: options.minReadySeconds,
  };
}

/** Deletion timeouts, checked. */
export function resolveDeletion(errors: InputErrors, prop: string, options: NodeDeletionOptions | undefined): DeletionModel | undefined {
  if (options === undefined) return undefined;
  if (!errors.checkPropNames(prop, options, ['nodeDrainTimeout', 'nodeVolumeDetachTimeout', 'nodeDeletionTimeout'])) return undefined;
  const deletion = {
    nodeDrainTimeoutSeconds: seconds(errors, `${prop}.nodeDrainTimeout`, options.nodeDrainTimeout),
    nodeVolumeDetachTimeoutSeconds: seconds(errors, `${prop}.nodeVolumeDetachTimeout`, options.nodeVolumeDetachTimeout),
    nodeDeletionTimeoutSeconds: seconds(errors, `${prop}.nodeDeletionTimeout`, options.nodeDeletionTimeout),
  };
  return Object.values(deletion).some(v => v !== undefined) ? deletion : undefined;
}

/** The control plane's rollout and remediation, checked. */
export function resolveControlPlaneRollout(errors: InputErrors, prop: string,
  options: ControlPlaneRolloutOptions | undefined): ControlPlaneRolloutModel {
  const given = options ?? {};
  errors.checkPropNames(prop, given, [
    'maxSurge', 'certificatesExpiryDays', 'remediationMaxRetry', 'remediationRetryPeriod', 'remediationMinHealthyPeriod',
  ]);
  if (given.maxSurge !== undefined) {
    errors.check(given.maxSurge === 0 || given.maxSurge === 1, `${prop}.maxSurge`, given.maxSurge, 'must be 0 or 1 (KubeadmControlPlane rolls one machine at a time)');
  }
  const certificatesExpiryDays = given.certificatesExpiryDays ?? 21;
  // CAPI's minimum: "The minimum for this field is 7"; kubeadm certificates last 365 days.
  errors.check(Number.isInteger(certificatesExpiryDays) && certificatesExpiryDays >= 7 && certificatesExpiryDays < 365,
    `${prop}.certificatesExpiryDays`, certificatesExpiryDays, 'must be a whole number of days from 7 (CAPI\'s minimum) to 364');
  if (given.remediationMaxRetry !== undefined) {
    errors.check(isCount(given.remediationMaxRetry), `${prop}.remediationMaxRetry`, given.remediationMaxRetry, 'must be a whole number (0 or more)');
  }
  const remediation = {
    maxRetry: given.remediationMaxRetry,
    retryPeriodSeconds: seconds(errors, `${prop}.remediationRetryPeriod`, given.remediationRetryPeriod),
    minHealthyPeriodSeconds: seconds(errors, `${prop}.remediationMinHealthyPeriod`, given.remediationMinHealthyPeriod),
  };
  const anyRemediation = Object.values(remediation).some(v => v !== undefined);
  return { maxSurge: given.maxSurge, certificatesExpiryDays, remediation: anyRemediation ? remediation : undefined };
}
