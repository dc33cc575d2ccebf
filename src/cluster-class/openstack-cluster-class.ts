import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { shortHash } from '../canonical-json';
import { validateConstructs } from '../chart-validation';
import { CloudCredentials } from '../cloud-credentials';
import { DELETE_PROTECTION, PRUNE_PROTECTION } from '../gitops-annotations';
import { InputErrors } from '../input-errors';
import { NodePoolOptions } from '../node-pool';
import { OpenStackCapiCluster, OpenStackCapiClusterProps } from '../openstack-capi-cluster';
import { isDns1123Label } from '../rules';
import { builtInPatches, builtInVariables, ClassTemplates } from './built-in-variables';
import { ClassPatchTarget, ClusterClassPatchOptions, isWorkerTarget, PATCH_TARGET_KINDS } from './class-patch';
import { ClusterClassVariable } from './class-variable';
import { CrdCatalog } from '../validation/crd-catalog';
import { UpstreamVersions } from '../validation/upstream-versions';

/** Props of an {@link OpenStackClusterClass}. */
export interface OpenStackClusterClassProps {
  /** The class's name: clusters refer to it (`spec.topology.classRef.name`). */
  readonly name: string;
  /** Namespace of the class and its templates: its clusters live there too. */
  readonly namespace: string;
  /**
   * The choices every cluster of the class shares, as for an `OpenStackCapiCluster`: control
   * plane flavor and machine, image, network, API server, security groups, kubeadm options,
   * health checks, registry mirrors. `kubernetesVersion` is the version the templates are
   * written for; each cluster sets its own. Name, namespace, credentials and control plane size
   * belong to each cluster.
   */
  readonly cluster: OpenStackCapiClusterProps;
  /**
   * The worker classes, by name: a pool's options (flavor, machine, kubelet, labels, taints,
   * health check...) without its size, which each cluster sets.
   */
  readonly workerClasses: { [name: string]: NodePoolOptions };
  /**
   * Create the namespace (never pruned nor deleted by GitOps: the clusters' credentials live there).
   * @default true
   */
  readonly createNamespace?: boolean;
  /** More variables, beside the built-in ones. @default - none */
  readonly variables?: ClusterClassVariable[];
  /** More patches, applying them. @default - none */
  readonly patches?: ClusterClassPatchOptions[];
}

const CAPACITY_PREFIX = 'capacity.cluster-autoscaler.kubernetes.io/';

/**
 * A ClusterClass for OpenStack, built from the same typed choices as `OpenStackCapiCluster`: the
 * `ClusterClass` (CAPI v1beta2), its `KubeadmControlPlaneTemplate`, `OpenStackClusterTemplate`,
 * the control plane's `OpenStackMachineTemplate`, and per worker class an
 * `OpenStackMachineTemplate` and a `KubeadmConfigTemplate`, with the health checks in the class.
 *
 * Every template is named after a hash of its spec, as the plain cluster's are: editing the class
 * gives new template names, and CAPI's topology controller rolls the clusters of the class to them
 * (the old templates carry prune protection until the rollout is done).
 *
 * Variables, with their OpenAPI schemas and patches: `identityRef` (required; set by each
 * `OpenStackTopologyCluster` from its credentials), `imageName` (the Glance image of every machine),
 * `controlPlaneFlavor`, `workerFlavor`, `apiServerLoadBalancer`, `allowedCidrs` (who may reach the
 * API server load balancer), with a network CAPO creates `nodeCidr` and `dnsNameservers`, `oidc`
 * (as `OidcOptions`) and `registryMirrors` (as `RegistryMirror[]`); plus yours (`variables`,
 * `patches`). Every patch's path is checked against the target's CRD schema and its parent
 * against the template (CAPI applies JSON patches by RFC 6902).
 *
 * Needs a pair that serves CAPI v1beta2 (CAPI v1.13.5 or v1.14.0): the v1.10.5 pair is refused.
 */
export class OpenStackClusterClass extends Construct {
  /** The class's name. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** The `ClusterClass` object. */
  public readonly clusterClass: ApiObject;
  /** The management cluster's releases. */
  public readonly upstreamVersions: UpstreamVersions;
  /** The variables of the class, by name. */
  public readonly variables: { [name: string]: ClusterClassVariable } = {};
  /** The worker classes' names. */
  public readonly workerClassNames: string[];
  /**
   * The cluster every topology cluster of the class is made like (never synthesized): add-ons
   * read its network and security group choices.
   * @internal
   */
  public readonly _prototype: OpenStackCapiCluster;
  /** The registries the class mirrors, for its control plane or a worker class. @internal */
  public readonly _mirroredRegistries: string[];
  /** The autoscaler's capacity annotations of each worker class (scale from zero). @internal */
  public readonly _workerCapacity: { [workerClass: string]: { [annotation: string]: string } } = {};

  constructor(scope: Construct, id: string, props: OpenStackClusterClassProps) {
    super(scope, id);
    const errors = new InputErrors(this);
    this.name = props.name;
    this.namespace = props.namespace;
    errors.check(isDns1123Label(props.name), 'name', props.name, 'must be a DNS-1123 label');
    errors.check(isDns1123Label(props.namespace), 'namespace', props.namespace, 'must be a DNS-1123 label');
    this.upstreamVersions = props.cluster?.upstreamVersions ?? UpstreamVersions.DEFAULT;
    errors.check(this.upstreamVersions.clusterApiVersion === 'v1beta2', 'cluster.upstreamVersions', this.upstreamVersions.toString(),
      'must serve CAPI v1beta2 (CAPI v1.13.5 or v1.14.0): this library writes ClusterClasses in v1beta2 only');
    this.workerClassNames = Object.keys(props.workerClasses ?? {});
    errors.check(this.workerClassNames.length > 0, 'workerClasses', props.workerClasses, 'must name at least one worker class');
    for (const name of this.workerClassNames) {
      errors.check(isDns1123Label(name), `workerClasses.${name}`, name, 'must be a DNS-1123 label');
      const options = props.workerClasses[name];
      for (const sized of ['replicas', 'autoscaling'] as const) {
        errors.check(options?.[sized] === undefined, `workerClasses.${name}.${sized}`, options?.[sized], 'is set by each cluster of the class, not by the class');
      }
    }
    errors.throwIfAny();
    this._mirroredRegistries = [props.cluster?.registryMirrors, ...Object.values(props.workerClasses).map(w => w?.registryMirrors)]
      .flatMap(mirrors => (mirrors ?? []).map(m => m.registry));

    if (props.createNamespace ?? true) {
      new ApiObject(this, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace, annotations: { ...DELETE_PROTECTION } } });
    }

    // The class's templates are those of a cluster made of the same choices, rendered apart.
    const prototypeApp = new App({ outdir: 'unused' });
    const prototypeChart = new Chart(prototypeApp, 'class');
    // Problems of the class's choices name this construct and the props they came from.
    const renamed = (message: string) => message
      .replace(new RegExp(`class/${props.name}/([\\w-]+): (\\S+) =`, 'g'), `${this.node.path}: workerClasses.$1.$2 =`)
      .replace(new RegExp(`class/${props.name}: (\\S+) =`, 'g'), `${this.node.path}: cluster.$1 =`)
      .replace(new RegExp(`class/${props.name}`, 'g'), this.node.path);
    try {
      this._prototype = prototypeCluster(prototypeChart, props);
    } catch (e) {
      throw new Error(renamed((e as Error).message));
    }
    const objects: any[] = prototypeChart.toJson();
    const prototypeProblems = validateConstructs(prototypeApp).map(renamed);
    if (prototypeProblems.length > 0) throw new Error(`${this.node.path}: the class's choices do not make a valid cluster:\n  - ${prototypeProblems.join('\n  - ')}`);
    const find = (kind: string, name?: string) => objects.find(o => o.kind === kind && (name === undefined || o.metadata.name === name));

    // The spec of each emitted template, by kind/name.
    const specs = new Map<string, any>();
    const template = (object: any): { apiVersion: string; kind: string; name: string } => {
      const name = object.metadata.name;
      if (!specs.has(`${object.kind}/${name}`)) {
        specs.set(`${object.kind}/${name}`, object.spec);
        new ApiObject(this, `${object.kind}-${name}`, {
          apiVersion: object.apiVersion,
          kind: object.kind,
          metadata: { name, namespace: this.namespace, annotations: { ...PRUNE_PROTECTION } },
          spec: object.spec,
        });
      }
      return { apiVersion: object.apiVersion, kind: object.kind, name };
    };
    const hashed = (kind: string, apiVersion: string, base: string, spec: any) => template({
      apiVersion, kind, metadata: { name: `${base}-${shortHash(spec)}` }, spec,
    });

    const kcp = find('KubeadmControlPlane').spec;
    const controlPlaneMachine = template(find('OpenStackMachineTemplate', kcp.machineTemplate.spec.infrastructureRef.name));
    const { replicas, version, machineTemplate, ...kcpRest } = kcp;
    void [replicas, version];
    const { infrastructureRef, ...machineTemplateSpec } = machineTemplate.spec ?? {};
    void infrastructureRef;
    const controlPlane = hashed('KubeadmControlPlaneTemplate', 'controlplane.cluster.x-k8s.io/v1beta2', `${this.name}-kubeadm`, {
      template: { spec: { ...kcpRest, ...(Object.keys(machineTemplateSpec).length ? { machineTemplate: { spec: machineTemplateSpec } } : {}) } },
    });
    const infrastructure = hashed('OpenStackClusterTemplate', 'infrastructure.cluster.x-k8s.io/v1beta1', this.name, {
      template: { spec: find('OpenStackCluster').spec },
    });

    const healthCheckOf = (selectorLabel: string, value: string) => {
      const check = objects.find(o => o.kind === 'MachineHealthCheck' && o.spec.selector?.matchLabels?.[selectorLabel] === value);
      return check ? { checks: check.spec.checks, remediation: check.spec.remediation } : undefined;
    };
    const workers = this.workerClassNames.map(workerClass => {
      const deployment = objects.find(o => o.kind === 'MachineDeployment' && o.metadata.name === `${this.name}-${workerClass}-worker`);
      this._workerCapacity[workerClass] = Object.fromEntries(Object.entries(deployment.metadata.annotations ?? {})
        .filter(([k]) => k.startsWith(CAPACITY_PREFIX)) as Array<[string, string]>);
      const spec = deployment.spec.template.spec;
      // What the pool's options set on its MachineDeployment, where a ClusterClass carries it.
      const deletion = { ...deployment.spec.deletion, ...spec.deletion };
      return {
        class: workerClass,
        bootstrap: { templateRef: template(find('KubeadmConfigTemplate', spec.bootstrap.configRef.name)) },
        infrastructure: { templateRef: template(find('OpenStackMachineTemplate', spec.infrastructureRef.name)) },
        healthCheck: healthCheckOf('cluster.x-k8s.io/deployment-name', deployment.metadata.name),
        failureDomain: spec.failureDomain,
        minReadySeconds: spec.minReadySeconds,
        deletion: Object.keys(deletion).length ? deletion : undefined,
        rollout: deployment.spec.rollout?.strategy ? { strategy: deployment.spec.rollout.strategy } : undefined,
        taints: spec.taints,
      };
    });

    const infra = find('OpenStackCluster').spec;
    const templates: ClassTemplates = {
      managedSubnet: infra.managedSubnets !== undefined,
      loadBalancer: infra.apiServerLoadBalancer?.enabled === true,
      controlPlane: specs.get(`KubeadmControlPlaneTemplate/${controlPlane.name}`),
      workerBootstrap: Object.fromEntries(workers.map(w => [w.class, specs.get(`KubeadmConfigTemplate/${w.bootstrap.templateRef.name}`)])),
    };
    const builtIns = builtInPatches(templates, this.workerClassNames);
    const builtInVars = builtInVariables(templates);
    const variables = [...builtInVars, ...props.variables ?? []];
    const ownPatches = props.patches ?? [];
    const patches: ClusterClassPatchOptions[] = [...builtIns, ...ownPatches];
    const builtInNames = builtInVars.map(v => v.name);
    for (const variable of variables) {
      errors.check(this.variables[variable.name] === undefined, 'variables', variable.name, `is the name of another variable (built-in: ${builtInNames.join(', ')})`);
      // CAPI refuses "builtin" (its own variables) and names with dots.
      errors.check(/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(variable.name) && variable.name !== 'builtin', 'variables', variable.name,
        'must start with a letter and hold only letters, digits, "-" and "_", and not be "builtin" (CAPI\'s own)');
      for (const pattern of patternsOf(variable.schema)) {
        errors.check(compiles(pattern), `variables.${variable.name}`, pattern, 'holds a pattern that is not a valid regular expression');
      }
      this.variables[variable.name] = variable;
    }
    const patchNames = new Set<string>(builtIns.map(p => p.name));
    const catalog = new CrdCatalog(this.upstreamVersions);
    // The templates each patch changes, as CAPI selects them, to check its path against.
    const targetsOf = (patch: ClusterClassPatchOptions): Array<{ key: string; spec: any }> => {
      const kind = PATCH_TARGET_KINDS[patch.target]?.kind;
      const refs = patch.target === ClassPatchTarget.CONTROL_PLANE ? [controlPlane]
        : patch.target === ClassPatchTarget.CONTROL_PLANE_MACHINE ? [controlPlaneMachine]
          : patch.target === ClassPatchTarget.INFRASTRUCTURE_CLUSTER ? [infrastructure]
            : workers.filter(w => (patch.workerClasses ?? this.workerClassNames).includes(w.class))
              .map(w => (patch.target === ClassPatchTarget.WORKER_BOOTSTRAP ? w.bootstrap : w.infrastructure).templateRef);
      return refs.filter(r => r.kind === kind).map(r => ({ key: `${r.kind}/${r.name}`, spec: specs.get(`${r.kind}/${r.name}`) }));
    };
    const added: Array<{ key: string; path: string }> = [];
    // Why the field's parent is missing when CAPI applies the patch (JSON patch "add", RFC 6902).
    const parentProblem = (patch: ClusterClassPatchOptions): string | undefined => {
      const parent = patch.path.slice(0, patch.path.lastIndexOf('/'));
      for (const target of targetsOf(patch)) {
        const addedBefore = added.some(a => a.key === target.key && (parent === a.path || parent.startsWith(`${a.path}/`)));
        if (!addedBefore && !existsAt({ spec: target.spec }, parent)) {
          return `adds a field whose parent ${parent} is not in ${target.key} (nor added by an earlier patch that always applies): `
            + 'CAPI applies patches as JSON patch "add" (RFC 6902), which needs the parent; patch the parent instead';
        }
      }
      // Only a patch that always applies makes a parent later patches can count on.
      if (patchSpec(patch, this.workerClassNames).enabledIf === undefined) {
        for (const target of targetsOf(patch)) added.push({ key: target.key, path: patch.path });
      }
      return undefined;
    };
    // The built-in patches are checked as the user's are: a problem is this library's bug.
    for (const patch of builtIns) {
      const problem = pathProblem(catalog, PATCH_TARGET_KINDS[patch.target], patch.path) ?? parentProblem(patch);
      if (problem) throw new Error(`${this.node.path}: built-in patch ${patch.name}: ${patch.path} ${problem}`);
    }
    ownPatches.forEach((patch, i) => {
      errors.check(!patchNames.has(patch.name), `patches[${i}].name`, patch.name, 'is the name of another patch');
      patchNames.add(patch.name);
      errors.check((patch.variable === undefined) !== (patch.template === undefined), `patches[${i}]`, patch.name, 'must give variable or template, not both');
      errors.check(Object.values(ClassPatchTarget).includes(patch.target), `patches[${i}].target`, patch.target, 'must be a ClassPatchTarget');
      for (const field of ['template', 'enabledIf'] as const) {
        for (const used of [...(patch[field] ?? '').matchAll(/\{\{[^}]*?\.(\w+)/g)].map(m => m[1]).filter(v => v !== 'builtin')) {
          errors.check(this.variables[used] !== undefined, `patches[${i}].${field}`, patch[field], `names ${used}, which is not a variable of the class`);
        }
      }
      if (patch.variable !== undefined) errors.check(this.variables[patch.variable] !== undefined, `patches[${i}].variable`, patch.variable, 'is not a variable of the class');
      for (const name of patch.workerClasses ?? []) errors.check(this.workerClassNames.includes(name), `patches[${i}].workerClasses`, name, 'is not a worker class');
      if (errors.check(typeof patch.path === 'string' && patch.path.startsWith('/spec/template/spec/'), `patches[${i}].path`, patch.path, 'must start with /spec/template/spec/')
        && PATCH_TARGET_KINDS[patch.target]) {
        const problem = pathProblem(catalog, PATCH_TARGET_KINDS[patch.target], patch.path) ?? parentProblem(patch);
        errors.check(problem === undefined, `patches[${i}].path`, patch.path, problem ?? '');
      }
    });
    errors.throwIfAny();

    this.clusterClass = new ApiObject(this, 'ClusterClass', {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'ClusterClass',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        controlPlane: {
          templateRef: controlPlane,
          machineInfrastructure: { templateRef: controlPlaneMachine },
          healthCheck: healthCheckOf('cluster.x-k8s.io/control-plane-name', `${this.name}-control-plane`),
        },
        infrastructure: { templateRef: infrastructure },
        workers: { machineDeployments: workers },
        variables: variables.map(v => v._toSpec()),
        patches: patches.map(p => patchSpec(p, this.workerClassNames)),
      },
    });
  }
}

function prototypeCluster(chart: Chart, props: OpenStackClusterClassProps): OpenStackCapiCluster {
  const cluster = new OpenStackCapiCluster(chart, props.name, {
    ...props.cluster,
    name: props.name,
    namespace: props.namespace,
    createNamespace: false,
    credentials: CloudCredentials.fromSecretName(`${props.name}-cloud-config`),
  });
  // With a flavor of known capacity, autoscaled: the pool then carries the capacity annotations
  // its clusters' pools need to scale from zero.
  for (const [name, options] of Object.entries(props.workerClasses)) {
    const size = options?.flavor?.capacity ? { autoscaling: { minSize: 0, maxSize: 1 } } : { replicas: 1 };
    cluster.addNodePool(name, { ...options, name, ...size });
  }
  return cluster;
}

/** The ClusterClass `spec.patches` entry of a patch. */
function patchSpec(patch: ClusterClassPatchOptions, workerClasses: string[]): any {
  const workers = isWorkerTarget(patch.target);
  const matchResources = workers ? { machineDeploymentClass: { names: patch.workerClasses ?? workerClasses } }
    : patch.target === ClassPatchTarget.INFRASTRUCTURE_CLUSTER ? { infrastructureCluster: true } : { controlPlane: true };
  // A template patch is enabled when the variables it names are set; a variable patch when its variable is.
  const enabledVariable = patch.variable ?? patch.template?.match(/\{\{\s*\.(\w+)/)?.[1];
  const onlyIfSet = patch.onlyIfSet ?? true;
  return {
    name: patch.name,
    description: patch.description,
    enabledIf: patch.enabledIf ?? (onlyIfSet && enabledVariable ? `{{ if .${enabledVariable} }}true{{ end }}` : undefined),
    definitions: [{
      selector: { ...PATCH_TARGET_KINDS[patch.target], matchResources },
      jsonPatches: [{ op: 'add', path: patch.path, valueFrom: patch.variable !== undefined ? { variable: patch.variable } : { template: patch.template } }],
    }],
  };
}

/** Every `pattern` of a schema, nested ones included. */
function patternsOf(schema: any): string[] {
  if (!schema || typeof schema !== 'object') return [];
  return [...(typeof schema.pattern === 'string' ? [schema.pattern] : []), ...Object.values(schema).flatMap(patternsOf)];
}

/** Whether a JSON pointer leads to a value of the document. */
function existsAt(doc: any, pointer: string): boolean {
  let node = doc;
  for (const segment of pointer.split('/').slice(1).map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (node === null || typeof node !== 'object' || !(segment in node)) return false;
    node = node[segment];
  }
  return node !== undefined;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a JSON pointer leads nowhere in the target kind's pinned schema (CRD), or undefined: a
 * misspelled field would only fail when CAPI applies the patch.
 */
function pathProblem(catalog: CrdCatalog, target: { apiVersion: string; kind: string }, pointer: string): string | undefined {
  const found = catalog.lookup(target.apiVersion, target.kind);
  if (!found || !('schema' in found) || !found.schema) return undefined;
  let schema: any = found.schema;
  const segments = pointer.split('/').slice(1).map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (const [i, segment] of segments.entries()) {
    if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return undefined;
    if (schema.type === 'array') {
      if (segment !== '-' && !/^\d+$/.test(segment)) return `is not a path of ${target.kind}: "${segment}" indexes a list`;
      schema = schema.items ?? {};
    } else if (schema.properties?.[segment] !== undefined) {
      schema = schema.properties[segment];
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      schema = schema.additionalProperties;
    } else {
      const at = `/${segments.slice(0, i).join('/')}`;
      return `is not a path of ${target.kind} (${target.apiVersion}): ${at} has no field "${segment}"`;
    }
  }
  return undefined;
}
