/** A template no object refers to, and the file it came from. */
export interface UnreferencedTemplate {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
}

/** The kinds a rollout or a class change leaves behind: machine, bootstrap and a class's templates (hash-named). */
const TEMPLATE_KINDS = new Set(['OpenStackMachineTemplate', 'KubeadmConfigTemplate', 'KubeadmControlPlaneTemplate', 'OpenStackClusterTemplate']);
/** CAPI's annotation on a machine's infrastructure and bootstrap objects: the template they were cloned from. */
const CLONED_FROM = 'cluster.x-k8s.io/cloned-from-name';

const id = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

/**
 * The machine and bootstrap templates that nothing refers to any more: no MachineDeployment, no
 * MachineSet (old MachineSets of a MachineDeployment keep their template, for a rollback), no
 * KubeadmControlPlane, no ClusterClass, and no machine's OpenStackMachine or KubeadmConfig cloned
 * from it. Run it on a dump of the management cluster (`kubectl get
 * openstackmachinetemplates,kubeadmconfigtemplates,machinedeployments,machinesets,kubeadmcontrolplanes,openstackmachines,kubeadmconfigs,clusterclasses -A -o yaml`)
 * to find what prune protection kept after rollouts, or on output folders kept side by side.
 */
export function unreferencedTemplates(objects: Array<{ manifest: any; file?: string }>): UnreferencedTemplate[] {
  const referenced = new Set<string>();
  const refer = (kind: string | undefined, namespace: string | undefined, name: string | undefined) => {
    if (kind && name) referenced.add(id(kind, namespace, name));
  };
  for (const { manifest: o } of objects) {
    const ns = o.metadata?.namespace;
    const spec = o.spec ?? {};
    switch (o.kind) {
      case 'MachineDeployment':
      case 'MachineSet':
        refer(spec.template?.spec?.infrastructureRef?.kind, ns, spec.template?.spec?.infrastructureRef?.name);
        refer(spec.template?.spec?.bootstrap?.configRef?.kind, ns, spec.template?.spec?.bootstrap?.configRef?.name);
        break;
      case 'KubeadmControlPlane': {
        const ref = spec.machineTemplate?.spec?.infrastructureRef ?? spec.machineTemplate?.infrastructureRef;
        refer(ref?.kind, ns, ref?.name);
        break;
      }
      case 'ClusterClass':
        // Every template the class names, wherever it names it.
        JSON.stringify(spec, (_key, v) => {
          if (v && typeof v === 'object' && typeof v.kind === 'string' && typeof v.name === 'string') refer(v.kind, ns, v.name);
          return v;
        });
        break;
      default: {
        const clonedFrom = o.metadata?.annotations?.[CLONED_FROM];
        if (clonedFrom) {
          const kind = o.kind === 'KubeadmConfig' ? 'KubeadmConfigTemplate' : o.kind === 'OpenStackMachine' ? 'OpenStackMachineTemplate' : undefined;
          refer(kind, ns, clonedFrom);
        }
      }
    }
  }
  return objects
    .filter(({ manifest: o }) => TEMPLATE_KINDS.has(o.kind) && !referenced.has(id(o.kind, o.metadata?.namespace, o.metadata?.name)))
    .map(({ manifest: o, file }) => ({ kind: o.kind, namespace: o.metadata?.namespace, name: o.metadata?.name, file }));
}
