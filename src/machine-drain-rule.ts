import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { rendererFor } from './capi-api';
import { ICapiCluster } from './cluster-contract';
import { InputErrors } from './input-errors';
import { CONTROL_PLANE_NAME_LABEL, DEPLOYMENT_NAME_LABEL } from './machine-health-check';
import { NodePool } from './node-pool';
import { isDns1123Subdomain, labelKeyProblem, labelValueProblem } from './rules';

/** What CAPI does with the pods a drain rule selects when it drains a node (MachineDrainRule `drain.behavior`). */
export enum DrainBehavior {
  /** Evict them, in `order` (lower first). */
  DRAIN = 'Drain',
  /** Leave them: the node is deleted under them (e.g. node-local agents). */
  SKIP = 'Skip',
  /** Do not evict them, but wait until they complete (e.g. batch jobs). */
  WAIT_COMPLETED = 'WaitCompleted',
}

/** Options of a {@link MachineDrainRule}. */
export interface MachineDrainRuleOptions {
  /** What to do with the selected pods when a node is drained. */
  readonly behavior: DrainBehavior;

  /**
   * With `DrainBehavior.DRAIN`: pods of a lower order are drained first (pods without a rule have 0),
   * e.g. a high order for pods that must go last, such as a storage or logging agent.
   * @default 0
   */
  readonly order?: number;

  /**
   * Labels the pods must have.
   * @default - any pod (needs a namespaceSelector)
   */
  readonly podSelector?: { [key: string]: string };

  /**
   * Labels the pods' namespace must have.
   * @default - any namespace
   */
  readonly namespaceSelector?: { [key: string]: string };

  /**
   * The pools whose machines the rule applies to.
   * @default - every machine of the cluster (unless `controlPlane`)
   */
  readonly pools?: NodePool[];

  /**
   * Apply the rule to the control plane's machines (as well as to `pools`, when given).
   * @default - every machine of the cluster when no pool is given either
   */
  readonly controlPlane?: boolean;

  /**
   * Name of the MachineDrainRule.
   * @default "<cluster>-" followed by the construct id in lower case
   */
  readonly name?: string;
}

/** Props of a {@link MachineDrainRule}. */
export interface MachineDrainRuleProps extends MachineDrainRuleOptions {
  /** The cluster whose machines are drained by the rule. */
  readonly cluster: ICapiCluster;
}

/**
 * A `MachineDrainRule` (CAPI book, "Machine deletion process", "MachineDrainRules"): how the pods it
 * selects are treated when CAPI drains a node of the cluster before deleting its machine, e.g. a
 * storage agent drained last, or pods of a batch namespace waited for instead of evicted.
 */
export class MachineDrainRule extends Construct {
  /** The `MachineDrainRule` object, in the API version of the cluster's `upstreamVersions`. */
  public readonly drainRule: ApiObject;

  constructor(scope: Construct, id: string, props: MachineDrainRuleProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    errors.checkPropNames('MachineDrainRuleOptions', props, [
      'cluster', 'behavior', 'order', 'podSelector', 'namespaceSelector', 'pools', 'controlPlane', 'name',
    ]);
    errors.throwIfAny();
    const cluster = props.cluster;
    const name = props.name ?? `${cluster.name}-${id.toLowerCase()}`;
    errors.check(isDns1123Subdomain(name), 'name', name, 'must be a DNS-1123 subdomain');
    errors.check(Object.values(DrainBehavior).includes(props.behavior), 'behavior', props.behavior, 'must be a DrainBehavior');
    if (props.order !== undefined) {
      errors.check(Number.isInteger(props.order), 'order', props.order, 'must be a whole number');
      errors.check(props.behavior === DrainBehavior.DRAIN, 'order', props.order, 'applies to DrainBehavior.DRAIN only');
    }
    errors.checkBoolean('controlPlane', props.controlPlane);
    for (const [prop, selector] of [['podSelector', props.podSelector], ['namespaceSelector', props.namespaceSelector]] as const) {
      if (!errors.checkStringMap(prop, selector)) continue;
      for (const [key, value] of Object.entries(selector ?? {})) {
        const problem = labelKeyProblem(key) ?? labelValueProblem(value);
        if (problem) errors.add(`${prop}["${key}"]`, value, problem);
      }
    }
    // A rule for every pod of a node would override every other rule: say which pods.
    errors.check(props.podSelector !== undefined || props.namespaceSelector !== undefined, 'podSelector', undefined,
      'or namespaceSelector is required: a rule for every pod of the machines would override every other rule');
    const pools = props.pools ?? [];
    errors.checkList('pools', props.pools, p => p instanceof NodePool && p.cluster === cluster, 'pools of this cluster');
    errors.throwIfAny();

    const clusterSelector = { ...cluster.selectorLabels };
    const machines = [
      ...pools.map(pool => ({ selector: { [DEPLOYMENT_NAME_LABEL]: pool.machineDeployment.name }, clusterSelector })),
      ...(props.controlPlane ? [{ selector: { [CONTROL_PLANE_NAME_LABEL]: `${cluster.name}-control-plane` }, clusterSelector }] : []),
    ];
    this.drainRule = rendererFor(cluster.upstreamVersions).machineDrainRule(this, 'Resource', {
      metadata: { name, namespace: cluster.namespace },
      behavior: props.behavior,
      order: props.order,
      machines: machines.length > 0 ? machines : [{ clusterSelector }],
      pods: [{ selector: props.podSelector, namespaceSelector: props.namespaceSelector }],
    });
  }
}
