import { ClassPatchTarget, ClusterClassPatchOptions } from './class-patch';
import { ClusterClassVariable } from './class-variable';
import { literalListItem, nestedYamlTemplate } from './go-template';

/** The variable every cluster gives: its credentials, as the OpenStackCluster's identityRef. */
export const IDENTITY_REF_VARIABLE = 'identityRef';

/** What the class's templates hold, deciding which built-in variables make sense and how they patch. */
export interface ClassTemplates {
  /** CAPO creates the nodes' subnet: its CIDR and DNS servers can vary. */
  readonly managedSubnet: boolean;
  /** An API server load balancer: its allowed CIDRs can vary. */
  readonly loadBalancer: boolean;
  /** The KubeadmControlPlaneTemplate's `spec`. */
  readonly controlPlane: any;
  /** Each worker class's KubeadmConfigTemplate `spec`. */
  readonly workerBootstrap: { [workerClass: string]: any };
}

const OIDC_ARG_PREFIX = 'oidc-';
const CERTS_D = '/etc/containerd/certs.d';

export function builtInVariables({ managedSubnet, loadBalancer }: ClassTemplates): ClusterClassVariable[] {
  return [
    ClusterClassVariable.fromSchema(IDENTITY_REF_VARIABLE, {
      type: 'object',
      required: ['name', 'cloudName'],
      properties: {
        name: { type: 'string', description: 'The Secret with clouds.yaml, or the OpenStackClusterIdentity.' },
        cloudName: { type: 'string', description: 'The cloud of clouds.yaml.' },
        type: { type: 'string', enum: ['Secret', 'ClusterIdentity'] },
      },
    }, { required: true, description: 'The credentials of the cluster (the OpenStackCluster\'s identityRef).' }),
    ClusterClassVariable.string('imageName', { description: 'The Glance image of every machine, by name (image-builder\'s, for the cluster\'s Kubernetes version).' }),
    ClusterClassVariable.string('controlPlaneFlavor', { description: 'The Nova flavor of the control plane machines.' }),
    ClusterClassVariable.string('workerFlavor', { description: 'The Nova flavor of the workers (a pool may override it); not for pools that scale from zero, whose capacity is the class flavor\'s.' }),
    ClusterClassVariable.boolean('apiServerLoadBalancer', {
      default: loadBalancer, description: 'Put the API server behind an Octavia load balancer (required with more than one control plane machine).',
    }),
    ...(loadBalancer ? [
      ClusterClassVariable.stringList('allowedCidrs', { description: 'CIDRs allowed to reach the API server load balancer (the management cluster\'s egress included).' }),
    ] : []),
    ...(managedSubnet ? [
      ClusterClassVariable.string('nodeCidr', { pattern: '^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/\\d{1,2}$', description: 'The node subnet CAPO creates.' }),
      ClusterClassVariable.stringList('dnsNameservers', { description: 'DNS servers of the node subnet.' }),
    ] : []),
    OIDC_VARIABLE,
    REGISTRY_MIRRORS_VARIABLE,
  ];
}

/**
 * OpenID Connect authentication of the API server, as `OidcOptions` (kube-apiserver `--oidc-*`
 * flags, kubernetes.io "Authenticating", OpenID Connect Tokens). Replaces the class's own.
 */
const OIDC_VARIABLE = ClusterClassVariable.fromSchema('oidc', {
  type: 'object',
  required: ['issuerUrl', 'clientId'],
  properties: {
    // The API server accepts only an https issuer, without query or fragment (--oidc-issuer-url).
    // Each becomes an extraArgs value, which the KubeadmControlPlaneTemplate CRD caps at 1024.
    issuerUrl: { type: 'string', maxLength: 1024, pattern: '^https://[^\\s?#]+$', description: 'The issuer\'s URL: the API server fetches its discovery document.' },
    clientId: { type: 'string', minLength: 1, maxLength: 1024, description: 'The client id tokens must be issued for.' },
    usernameClaim: { type: 'string', minLength: 1, maxLength: 1024, description: 'The claim read as the user name (the API server\'s default: sub).' },
    usernamePrefix: { type: 'string', maxLength: 1024, description: 'Prefix of user names, e.g. "oidc:".' },
    groupsClaim: { type: 'string', minLength: 1, maxLength: 1024, description: 'The claim read as the user\'s groups.' },
    groupsPrefix: { type: 'string', maxLength: 1024, description: 'Prefix of group names.' },
    caFile: { type: 'string', maxLength: 1024, pattern: '^/', description: 'Path on the control plane nodes of the CA of the issuer\'s certificate.' },
  },
}, { description: 'OpenID Connect authentication of the API server; replaces the class\'s. Changing it rolls the control plane.' });

/** Registry mirrors, as `RegistryMirror` (containerd's hosts.toml per registry). */
const REGISTRY_MIRRORS_VARIABLE = ClusterClassVariable.fromSchema('registryMirrors', {
  'type': 'array',
  'maxItems': 20,
  'items': {
    type: 'object',
    required: ['registry', 'mirrorUrl'],
    properties: {
      // Bounded: CAPI refuses a variable whose CEL rule may cost more than its static limit, and
      // the uniqueness rule below compares registries pairwise (cel-go prices == by string size).
      registry: { type: 'string', maxLength: 253, pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?$', description: 'The registry, as in image names: docker.io, quay.io...' },
      mirrorUrl: { type: 'string', maxLength: 2048, pattern: '^https?://[^\\s"]+$', description: 'The mirror\'s URL.' },
      // A file of kubeadm's bootstrap config holds at most 10240 characters (KubeadmConfig CRD).
      caCertificate: {
        'type': 'string',
        'maxLength': 10240,
        'pattern': '-----BEGIN CERTIFICATE-----',
        'description': 'PEM bundle of the CA of the mirror\'s certificate.',
        'x-kubernetes-validations': [{ rule: '!self.contains("PRIVATE KEY")', message: 'must be PEM certificates only, no private key' }],
      },
    },
  },
  'x-kubernetes-validations': [{ rule: 'self.all(m, self.exists_one(n, n.registry == m.registry))', message: 'each registry has one mirror' }],
}, { description: 'Registry mirrors of every machine, besides the class\'s. Changing them rolls every machine.' });

export function builtInPatches(templates: ClassTemplates, workerClasses: string[]): ClusterClassPatchOptions[] {
  const { managedSubnet, loadBalancer } = templates;
  return [
    { name: IDENTITY_REF_VARIABLE, target: ClassPatchTarget.INFRASTRUCTURE_CLUSTER, path: '/spec/template/spec/identityRef', variable: IDENTITY_REF_VARIABLE, onlyIfSet: false },
    // Quoted: a name such as 2404 stays a string.
    { name: 'imageNameControlPlane', target: ClassPatchTarget.CONTROL_PLANE_MACHINE, path: '/spec/template/spec/image', template: 'filter:\n  name: {{ .imageName | quote }}', onlyIfSet: true },
    { name: 'imageNameWorkers', target: ClassPatchTarget.WORKER_MACHINE, path: '/spec/template/spec/image', template: 'filter:\n  name: {{ .imageName | quote }}', onlyIfSet: true },
    { name: 'controlPlaneFlavor', target: ClassPatchTarget.CONTROL_PLANE_MACHINE, path: '/spec/template/spec/flavor', variable: 'controlPlaneFlavor' },
    { name: 'workerFlavor', target: ClassPatchTarget.WORKER_MACHINE, path: '/spec/template/spec/flavor', variable: 'workerFlavor' },
    // Always applied: CAPI defaults the variable to the class's choice (its schema's default).
    { name: 'apiServerLoadBalancer', target: ClassPatchTarget.INFRASTRUCTURE_CLUSTER, path: '/spec/template/spec/apiServerLoadBalancer/enabled', variable: 'apiServerLoadBalancer', onlyIfSet: false },
    ...(loadBalancer ? [
      { name: 'allowedCidrs', target: ClassPatchTarget.INFRASTRUCTURE_CLUSTER, path: '/spec/template/spec/apiServerLoadBalancer/allowedCIDRs', variable: 'allowedCidrs' },
    ] : []),
    ...(managedSubnet ? [
      { name: 'nodeCidr', target: ClassPatchTarget.INFRASTRUCTURE_CLUSTER, path: '/spec/template/spec/managedSubnets/0/cidr', variable: 'nodeCidr' },
      { name: 'dnsNameservers', target: ClassPatchTarget.INFRASTRUCTURE_CLUSTER, path: '/spec/template/spec/managedSubnets/0/dnsNameservers', variable: 'dnsNameservers' },
    ] : []),
    oidcPatch(templates.controlPlane),
    ...registryMirrorPatches(templates, workerClasses),
  ];
}

/**
 * The API server's flags: the class's, less its OIDC ones, then the variable's. The whole list is
 * written (a JSON patch cannot append to a list the template may not have).
 */
function oidcPatch(controlPlane: any): ClusterClassPatchOptions {
  const classArgs: any[] = controlPlane?.template?.spec?.kubeadmConfigSpec?.clusterConfiguration?.apiServer?.extraArgs ?? [];
  const flag = (arg: string, field: string) => [
    `- name: ${arg}`,
    `  value: {{ .oidc.${field} | quote }}`,
  ];
  const optionalFlag = (arg: string, field: string) => [`{{- if .oidc.${field} }}`, ...flag(arg, field), '{{- end }}'];
  const list = [
    ...classArgs.filter(a => !String(a.name).startsWith(OIDC_ARG_PREFIX)).map(literalListItem),
    ...flag('oidc-issuer-url', 'issuerUrl'),
    ...flag('oidc-client-id', 'clientId'),
    ...optionalFlag('oidc-username-claim', 'usernameClaim'),
    ...optionalFlag('oidc-username-prefix', 'usernamePrefix'),
    ...optionalFlag('oidc-groups-claim', 'groupsClaim'),
    ...optionalFlag('oidc-groups-prefix', 'groupsPrefix'),
    ...optionalFlag('oidc-ca-file', 'caFile'),
  ].join('\n');
  return {
    name: 'oidc',
    target: ClassPatchTarget.CONTROL_PLANE,
    ...addAt({ spec: controlPlane }, ['spec', 'template', 'spec', 'kubeadmConfigSpec', 'clusterConfiguration', 'apiServer', 'extraArgs'], list),
    enabledIf: '{{ if .oidc }}true{{ end }}',
  };
}

/**
 * The files of containerd's registry configuration, as `registryMirrorFiles` writes them, after
 * the template's own files; on the control plane and on each worker class.
 */
function registryMirrorPatches(templates: ClassTemplates, workerClasses: string[]): ClusterClassPatchOptions[] {
  const enabledIf = '{{ if .registryMirrors }}true{{ end }}';
  const files = (own: any[] | undefined) => [...(own ?? []).map(literalListItem), MIRROR_FILES_TEMPLATE].join('\n');
  const controlPlane: ClusterClassPatchOptions = {
    name: 'registryMirrorsControlPlane',
    target: ClassPatchTarget.CONTROL_PLANE,
    ...addAt({ spec: templates.controlPlane }, ['spec', 'template', 'spec', 'kubeadmConfigSpec', 'files'],
      files(templates.controlPlane?.template?.spec?.kubeadmConfigSpec?.files)),
    enabledIf,
  };
  // Worker classes with the same files of their own share a patch.
  const groups = new Map<string, string[]>();
  for (const workerClass of workerClasses) {
    const key = JSON.stringify(templates.workerBootstrap[workerClass]?.template?.spec?.files ?? []);
    groups.set(key, [...groups.get(key) ?? [], workerClass]);
  }
  const workers = [...groups.values()].map((names, i): ClusterClassPatchOptions => ({
    name: groups.size === 1 ? 'registryMirrorsWorkers' : `registryMirrorsWorkers-${i + 1}`,
    target: ClassPatchTarget.WORKER_BOOTSTRAP,
    workerClasses: names,
    ...addAt({ spec: templates.workerBootstrap[names[0]] }, ['spec', 'template', 'spec', 'files'], files(templates.workerBootstrap[names[0]]?.template?.spec?.files)),
    enabledIf,
  }));
  return [controlPlane, ...workers];
}

// hosts.toml as registryMirrorFiles writes it (containerd docs, "Registry Configuration");
// docker.io's own endpoint is registry-1.docker.io.
const MIRROR_FILES_TEMPLATE = [
  '{{- range .registryMirrors }}',
  `- path: ${CERTS_D}/{{ .registry }}/hosts.toml`,
  '  content: |',
  '    server = "{{ if eq .registry "docker.io" }}https://registry-1.docker.io{{ else }}https://{{ .registry }}{{ end }}"',
  '',
  '    [host."{{ .mirrorUrl }}"]',
  '      capabilities = ["pull", "resolve"]',
  '{{- if .caCertificate }}',
  `      ca = "${CERTS_D}/{{ .registry }}/ca.crt"`,
  `- path: ${CERTS_D}/{{ .registry }}/ca.crt`,
  '  content: {{ .caCertificate | quote }}',
  '{{- end }}',
  '{{- end }}',
].join('\n');

/**
 * Where a JSON patch `add` of a Go template's value goes: at `segments` when its parent is in
 * the template, else at the deepest ancestor whose parent is, the value nested under the keys
 * between (CAPI applies patches by RFC 6902, which needs the parent).
 */
function addAt(doc: any, segments: string[], template: string): { path: string; template: string } {
  let depth = segments.length;
  let value = template;
  while (depth > 1 && !isObjectAt(doc, segments.slice(0, depth - 1))) {
    value = nestedYamlTemplate([segments[depth - 1]], value);
    depth--;
  }
  return { path: `/${segments.slice(0, depth).join('/')}`, template: value };
}

function isObjectAt(doc: any, segments: string[]): boolean {
  let node = doc;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return false;
    node = node[segment];
  }
  return node !== null && typeof node === 'object';
}
