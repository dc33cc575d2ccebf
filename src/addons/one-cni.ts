import { IConstruct } from 'constructs';
import type { ICapiCluster } from '../cluster-contract';

/** What a construct giving a cluster its pod network has: the cluster, and the CNI's name. */
interface CniOfCluster extends IConstruct {
  readonly cluster: ICapiCluster;
  readonly cniName: string;
}

function isCni(construct: IConstruct): construct is CniOfCluster {
  const candidate = construct as Partial<CniOfCluster>;
  return typeof candidate.cniName === 'string' && candidate.cluster !== undefined;
}

/**
 * A cluster has one CNI: the problems, one per other CNI construct of the same cluster in the
 * app (Calico's Job, Calico's operator, Cilium). Run at synth, when every construct exists.
 */
export function otherCniProblems(self: CniOfCluster): string[] {
  const others = self.node.root.node.findAll().filter(c => c !== self && isCni(c) && c.cluster === self.cluster) as CniOfCluster[];
  return others.map(other => `${self.node.path}: cluster "${self.cluster.name}" also has ${other.cniName} (${other.node.path}): `
    + `a cluster has one CNI, and ${self.cniName} is one: remove one`);
}
