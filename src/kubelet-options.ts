import { ComponentArgs } from './capi-api/models';
import { InputErrors } from './input-errors';
import { checkExtraArgs } from './kubeadm-options';

/** Resources the kubelet keeps from pods, e.g. `{ cpu: '500m', memory: '1Gi' }`. */
export interface ResourceReservation {
  /**
   * CPU, a Kubernetes quantity, e.g. `"500m"`.
   * @default - none
   */
  readonly cpu?: string;
  /**
   * Memory, a Kubernetes quantity, e.g. `"1Gi"`.
   * @default - none
   */
  readonly memory?: string;
  /**
   * Local ephemeral storage, a Kubernetes quantity, e.g. `"5Gi"`.
   * @default - none
   */
  readonly ephemeralStorage?: string;
}

/** Kubelet settings of a pool's nodes (kubelet flags, kubernetes.io "Reserve Compute Resources"). */
export interface KubeletOptions {
  /**
   * Pods per node (`--max-pods`); announced to the cluster-autoscaler.
   * @default 110 (the kubelet's)
   */
  readonly maxPods?: number;
  /**
   * Resources kept for the operating system (`--system-reserved`).
   * @default - none
   */
  readonly systemReserved?: ResourceReservation;
  /**
   * Resources kept for the kubelet and the container runtime (`--kube-reserved`).
   * @default - none
   */
  readonly kubeReserved?: ResourceReservation;
  /**
   * Hard eviction thresholds (`--eviction-hard`), by signal, e.g. `{ 'memory.available': '500Mi' }`.
   * Given, they replace all of the kubelet's defaults.
   * @default - the kubelet's: memory.available<100Mi, nodefs.available<10%, imagefs.available<15%...
   */
  readonly evictionHard?: { [signal: string]: string };
  /**
   * Kubelet feature gates (`--feature-gates`).
   * @default - none
   */
  readonly featureGates?: { [gate: string]: boolean };
  /**
   * More kubelet flags, without the leading dashes.
   * @default - none
   */
  readonly extraArgs?: { [name: string]: string };
}

/** What kubelet settings mean for the pool: its flags, and what it takes from the autoscaler's capacity. */
export interface KubeletSettings {
  readonly args: ComponentArgs;
  /** Memory kept from pods besides the kubelet's default eviction threshold, in MiB: reserved plus a larger eviction threshold. */
  readonly reservedMemoryMiB: number;
  /** CPU kept from pods, in millicores. */
  readonly reservedCpuMillis: number;
  /** A memory eviction threshold in percent of the node's memory, when given so. */
  readonly evictionMemoryPercent?: number;
  readonly maxPods?: number;
}

/** The kubelet's default hard eviction threshold for memory, already taken off a flavor's announced memory. */
const DEFAULT_EVICTION_MIB = 100;

/** The flags the library sets on the kubelet itself. */
export const LIBRARY_KUBELET_ARGS = ['cloud-provider', 'provider-id', 'node-labels'];

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T|m)?$/;
const BYTES: { [suffix: string]: number } = {
  '': 1, 'Ki': 1024, 'Mi': 1024 ** 2, 'Gi': 1024 ** 3, 'Ti': 1024 ** 4, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12,
};

/** A memory quantity in MiB (rounded up), or undefined when it is not a quantity of bytes. */
export function memoryQuantityMiB(quantity: string): number | undefined {
  const match = typeof quantity === 'string' ? QUANTITY.exec(quantity) : null;
  if (!match || match[2] === 'm') return undefined;
  return Math.ceil((parseFloat(match[1]) * BYTES[match[2] ?? '']) / 1024 ** 2);
}

/** A CPU quantity in millicores (`"500m"` → 500, `"1"` → 1000), or undefined. */
export function cpuQuantityMillis(quantity: string): number | undefined {
  const match = typeof quantity === 'string' ? /^([0-9]+(?:\.[0-9]+)?)(m)?$/.exec(quantity) : null;
  if (!match) return undefined;
  return Math.ceil(parseFloat(match[1]) * (match[2] ? 1 : 1000));
}

/** Kubelet settings, checked, as flags and what they take from the capacity. */
export function resolveKubelet(errors: InputErrors, prop: string, options: KubeletOptions | undefined): KubeletSettings {
  const none = { args: {}, reservedMemoryMiB: 0, reservedCpuMillis: 0 };
  if (options === undefined) return none;
  if (!errors.checkPropNames(prop, options, ['maxPods', 'systemReserved', 'kubeReserved', 'evictionHard', 'featureGates', 'extraArgs'])) return none;
  const args: ComponentArgs = {};
  let reservedMemoryMiB = 0;
  let reservedCpuMillis = 0;
  let evictionMemoryPercent: number | undefined;

  if (options.maxPods !== undefined) {
    errors.check(Number.isInteger(options.maxPods) && options.maxPods > 0 && options.maxPods <= 2500, `${prop}.maxPods`, options.maxPods,
      'must be a whole number from 1 to 2500');
    args['max-pods'] = String(options.maxPods);
  }
  for (const [field, flag] of [['systemReserved', 'system-reserved'], ['kubeReserved', 'kube-reserved']] as const) {
    const reservation = options[field];
    if (reservation === undefined) continue;
    if (!errors.checkPropNames(`${prop}.${field}`, reservation, ['cpu', 'memory', 'ephemeralStorage'])) continue;
    const entries: string[] = [];
    for (const [key, resource] of [['cpu', 'cpu'], ['memory', 'memory'], ['ephemeralStorage', 'ephemeral-storage']] as const) {
      const value = reservation[key];
      if (value === undefined) continue;
      errors.check(typeof value === 'string' && QUANTITY.test(value), `${prop}.${field}.${key}`, value, 'must be a Kubernetes quantity, e.g. "500m" or "1Gi"');
      entries.push(`${resource}=${value}`);
    }
    if (reservation.cpu !== undefined) {
      const millis = cpuQuantityMillis(reservation.cpu);
      if (errors.check(millis !== undefined, `${prop}.${field}.cpu`, reservation.cpu, 'must be a quantity of CPU, e.g. "500m" or "1"')) reservedCpuMillis += millis!;
    }
    if (reservation.memory !== undefined) {
      const mib = memoryQuantityMiB(reservation.memory);
      if (errors.check(mib !== undefined, `${prop}.${field}.memory`, reservation.memory, 'must be a quantity of bytes, e.g. "1Gi"')) reservedMemoryMiB += mib!;
    }
    if (entries.length > 0) args[flag] = entries.join(',');
  }
  if (options.evictionHard !== undefined && errors.checkStringMap(`${prop}.evictionHard`, options.evictionHard)) {
    const entries = Object.entries(options.evictionHard);
    for (const [signal, value] of entries) {
      const valid = /^[a-z]+(\.[a-z]+)*$/.test(signal) && (QUANTITY.test(value) || /^[0-9]+(\.[0-9]+)?%$/.test(value));
      errors.check(valid, `${prop}.evictionHard["${signal}"]`, value, 'must map a signal (e.g. memory.available) to a quantity or a percentage');
    }
    const memory = options.evictionHard['memory.available'];
    if (memory?.endsWith('%')) evictionMemoryPercent = parseFloat(memory);
    else if (memory !== undefined) reservedMemoryMiB += Math.max(0, (memoryQuantityMiB(memory) ?? DEFAULT_EVICTION_MIB) - DEFAULT_EVICTION_MIB);
    else reservedMemoryMiB -= DEFAULT_EVICTION_MIB; // the default threshold no longer applies
    args['eviction-hard'] = entries.map(([signal, value]) => `${signal}<${value}`).join(',');
  }
  if (options.featureGates !== undefined) {
    const gates = Object.entries(options.featureGates ?? {});
    errors.check(gates.every(([name, on]) => /^[A-Za-z0-9]+$/.test(name) && typeof on === 'boolean'), `${prop}.featureGates`, options.featureGates,
      'must map gate names to true or false');
    args['feature-gates'] = gates.map(([name, on]) => `${name}=${on}`).join(',');
  }
  const extra = checkExtraArgs(errors, `${prop}.extraArgs`, options.extraArgs, [...LIBRARY_KUBELET_ARGS, ...Object.keys(args)]) ?? {};
  return { args: { ...args, ...extra }, reservedMemoryMiB, reservedCpuMillis, evictionMemoryPercent, maxPods: options.maxPods };
}
