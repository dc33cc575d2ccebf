import { IConstruct } from 'constructs';
import type { ICapiCluster } from '../cluster-contract';

/** What a construct giving a cluster its pod network has: the cluster, and the CNI's name. */
interface CniOfCluster extends IConstruct {
  readonly cluster: ICapiCluster;
  readonly cniName: string;
}

/** The CNI constructs of each cluster, as they are made (a lookup, not a walk of the whole app). */
const CNIS = new WeakMap<ICapiCluster, CniOfCluster[]>();

/**
 * Records a CNI construct of its cluster, and checks at synth that it is the cluster's only one:
 * a cluster has one CNI (Calico's Job, Calico's operator or Cilium). The problem names every other.
 */
export function claimClusterCni(self: CniOfCluster): void {
  const cnis = CNIS.get(self.cluster) ?? [];
  cnis.push(self);
  CNIS.set(self.cluster, cnis);
  self.node.addValidation({
    validate: () => cnis.filter(other => other !== self).map(other => `${self.node.path}: cluster "${self.cluster.name}" also has ${other.cniName} `
      + `(${other.node.path}): a cluster has one CNI, and ${self.cniName} is one: remove one`),
  });
}
