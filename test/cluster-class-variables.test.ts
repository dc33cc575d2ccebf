import { Chart, Testing } from 'cdk8s';
import { CLASS_BASE, errorOf, objectOf } from './fixtures';
import { renderGoTemplate } from './go-template';
import { dryRunTopology } from './topology-dry-run';
import { ClusterClassExample } from '../examples/cluster-class/clusters';
import {
  CapiTesting, ClassPatchTarget, CloudCredentials, Flavor, OidcOptions, OpenStackCapiCluster, OpenStackClusterClass,
  OpenStackClusterClassProps, OpenStackTopologyCluster, OpenStackTopologyClusterProps, RegistryMirror, SchemaValidator,
} from '../src';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const GENERAL = Flavor.of('m1.xlarge', { vcpus: 4, memoryMiB: 16384, diskGiB: 40 });

// A class with choices of its own where the built-in patches write: API server flags (its own
// OIDC among them), a registry mirror, and a worker class with files of its own.
const CLASS_PROPS: OpenStackClusterClassProps = {
  ...CLASS_BASE,
  cluster: {
    ...CLASS_BASE.cluster,
    controlPlaneKubeadm: {
      apiServerExtraArgs: { 'audit-log-maxage': '30' },
      oidc: { issuerUrl: 'https://sso.example.com/class', clientId: 'class-client' },
    },
    registryMirrors: [{ registry: 'quay.io', mirrorUrl: 'https://quay-cache.example.com' }],
  },
  workerClasses: {
    general: { flavor: GENERAL },
    tuned: { flavor: GENERAL, bootstrap: { files: [{ path: '/etc/sysctl.d/90-tuned.conf', content: 'vm.max_map_count = 262144\n' }] } },
  },
};

const OIDC: OidcOptions = {
  issuerUrl: 'https://sso.example.com/realms/platform',
  clientId: 'kubernetes',
  usernameClaim: 'email',
  usernamePrefix: 'oidc:',
  groupsClaim: 'groups',
  groupsPrefix: 'oidc:',
  caFile: '/etc/kubernetes/pki/oidc-ca.crt',
};
const MIRRORS: RegistryMirror[] = [
  { registry: 'docker.io', mirrorUrl: 'https://dockerhub-cache.example.com' },
  { registry: 'registry.k8s.io', mirrorUrl: 'https://k8s-cache.example.com:5000', caCertificate: CA },
];

function topology(clusterProps: Partial<OpenStackTopologyClusterProps> = {}, classProps: Partial<OpenStackClusterClassProps> = {}) {
  const chart = new Chart(Testing.app(), 'topology');
  const clusterClass = new OpenStackClusterClass(chart, 'Class', { ...CLASS_PROPS, ...classProps });
  new OpenStackTopologyCluster(chart, 'Cluster', {
    name: 'team-a',
    clusterClass,
    kubernetesVersion: 'v1.32.4',
    credentials: CloudCredentials.fromSecretName('team-a-cloud-config'),
    workers: [{ class: 'general', name: 'general', replicas: 2 }, { class: 'tuned', name: 'tuned', replicas: 1 }],
    ...clusterProps,
  });
  return { chart, objects: () => CapiTesting.synth(chart) };
}

/** What a plain cluster of the class's choices, with these OIDC and mirrors, writes. */
function plainCluster(oidc: OidcOptions | undefined, mirrors: RegistryMirror[]) {
  const chart = Testing.chart();
  const c = new OpenStackCapiCluster(chart, 'team-a', {
    ...CLASS_PROPS.cluster,
    name: 'team-a',
    namespace: 'platform',
    controlPlaneKubeadm: { ...CLASS_PROPS.cluster.controlPlaneKubeadm, oidc },
    registryMirrors: [...CLASS_PROPS.cluster.registryMirrors!, ...mirrors],
  });
  for (const [name, options] of Object.entries(CLASS_PROPS.workerClasses)) c.addNodePool(name, { ...options, name, replicas: 1 });
  const objects = CapiTesting.synth(chart);
  const workerFiles = (pool: string) => {
    const md = objectOf(objects, 'MachineDeployment', `team-a-${pool}-worker`);
    return objectOf(objects, 'KubeadmConfigTemplate', md.spec.template.spec.bootstrap.configRef.name).spec.template.spec.files;
  };
  const kcp = objectOf(objects, 'KubeadmControlPlane').spec.kubeadmConfigSpec;
  return { apiServerArgs: kcp.clusterConfiguration.apiServer.extraArgs, controlPlaneFiles: kcp.files, workerFiles };
}

const byName = (args: any[]) => [...args].sort((a, b) => a.name.localeCompare(b.name));
const byPath = (files: any[]) => [...files].sort((a, b) => a.path.localeCompare(b.path));

/** The patched templates, validated against the pinned CRDs as CAPI would create them. */
function patched(objects: any[]) {
  const result = dryRunTopology(objects, 'team-a');
  const templates = [result.infrastructureCluster, result.controlPlane, result.controlPlaneMachine,
    ...Object.values(result.workers).flatMap(w => [w.bootstrap, w.infrastructure])];
  expect(new SchemaValidator().validate(templates)).toEqual([]);
  return result;
}

describe('ClusterClass built-in variables: oidc and registryMirrors', () => {
  test('the oidc variable gives the control plane the same API server flags as a plain cluster\'s oidc, replacing the class\'s', () => {
    const result = patched(topology({ variables: { oidc: OIDC } }).objects());
    const args = result.controlPlane.spec.template.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs;
    expect(byName(args)).toEqual(byName(plainCluster(OIDC, []).apiServerArgs));
    expect(args).toContainEqual({ name: 'audit-log-maxage', value: '30' });
    expect(args).toContainEqual({ name: 'oidc-client-id', value: 'kubernetes' });
    expect(args).not.toContainEqual({ name: 'oidc-client-id', value: 'class-client' });
  });

  test('the optional OIDC fields are left out when not set; unset, the class\'s OIDC stays', () => {
    const minimal = { issuerUrl: 'https://sso.example.com', clientId: 'k8s' };
    const result = patched(topology({ variables: { oidc: minimal } }).objects());
    expect(byName(result.controlPlane.spec.template.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs))
      .toEqual(byName(plainCluster(minimal, []).apiServerArgs));
    const unset = patched(topology().objects());
    expect(byName(unset.controlPlane.spec.template.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs))
      .toEqual(byName(plainCluster(CLASS_PROPS.cluster.controlPlaneKubeadm!.oidc, []).apiServerArgs));
  });

  test('a class without API server flags of its own: the patch adds the apiServer section', () => {
    const { controlPlaneKubeadm: _none, ...cluster } = CLASS_PROPS.cluster;
    const objects = topology({ variables: { oidc: OIDC } }, { cluster }).objects();
    const template = objectOf(objects, 'KubeadmControlPlaneTemplate');
    expect(template.spec.template.spec.kubeadmConfigSpec.clusterConfiguration.apiServer).toBeUndefined();
    const cc = objectOf(objects, 'ClusterClass');
    const oidcPatch = cc.spec.patches.find((p: any) => p.name === 'oidc');
    expect(oidcPatch.definitions[0].jsonPatches[0].path).toBe('/spec/template/spec/kubeadmConfigSpec/clusterConfiguration/apiServer');
    const result = patched(objects);
    expect(byName(result.controlPlane.spec.template.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs))
      .toEqual(byName(plainCluster(OIDC, []).apiServerArgs.filter((a: any) => a.name !== 'audit-log-maxage')));
  });

  test('the registryMirrors variable writes the same containerd files as a plain cluster\'s mirrors, on every machine', () => {
    const result = patched(topology({ variables: { registryMirrors: MIRRORS } }).objects());
    const plain = plainCluster(CLASS_PROPS.cluster.controlPlaneKubeadm!.oidc, MIRRORS);
    expect(byPath(result.controlPlane.spec.template.spec.kubeadmConfigSpec.files)).toEqual(byPath(plain.controlPlaneFiles));
    expect(byPath(result.workers.general.bootstrap.spec.template.spec.files)).toEqual(byPath(plain.workerFiles('general')));
    // The worker class's own files stay.
    expect(byPath(result.workers.tuned.bootstrap.spec.template.spec.files)).toEqual(byPath(plain.workerFiles('tuned')));
    expect(result.workers.tuned.bootstrap.spec.template.spec.files.map((f: any) => f.path)).toContain('/etc/sysctl.d/90-tuned.conf');
  });

  test('a pool\'s registryMirrors override reaches that pool only', () => {
    const result = patched(topology({
      workers: [
        { class: 'general', name: 'general', replicas: 2 },
        { class: 'general', name: 'mirrored', replicas: 1, variables: { registryMirrors: [MIRRORS[0]] } },
      ],
    }).objects());
    const paths = (name: string) => (result.workers[name].bootstrap.spec.template.spec.files ?? []).map((f: any) => f.path);
    expect(paths('mirrored')).toContain('/etc/containerd/certs.d/docker.io/hosts.toml');
    expect(paths('general')).not.toContain('/etc/containerd/certs.d/docker.io/hosts.toml');
  });

  test('flavors and DNS servers reach the machine templates and the subnet', () => {
    const result = patched(topology({ variables: { controlPlaneFlavor: 'm2.large', workerFlavor: 'm2.xlarge', dnsNameservers: ['10.0.0.53', '10.0.0.54'] } }).objects());
    expect(result.controlPlaneMachine.spec.template.spec.flavor).toBe('m2.large');
    expect(Object.values(result.workers).map(w => w.infrastructure.spec.template.spec.flavor)).toEqual(['m2.xlarge', 'm2.xlarge']);
    expect(result.infrastructureCluster.spec.template.spec.managedSubnets[0].dnsNameservers).toEqual(['10.0.0.53', '10.0.0.54']);
  });

  test('without the variables, the templates are the class\'s own', () => {
    const objects = topology().objects();
    const result = patched(objects);
    const classTemplate = objectOf(objects, 'KubeadmControlPlaneTemplate');
    expect(result.controlPlane.spec.template.spec.kubeadmConfigSpec.files).toEqual(classTemplate.spec.template.spec.kubeadmConfigSpec.files);
  });

  test('values outside the schemas are refused at synth time, naming the field', () => {
    expect(errorOf(() => topology({ variables: { oidc: { ...OIDC, issuerUrl: 'http://sso.example.com' } } })))
      .toMatch(/variables\.oidc\.issuerUrl = "http:\/\/sso\.example\.com": must match the pattern/);
    expect(errorOf(() => topology({ variables: { oidc: { issuerUrl: 'https://sso.example.com' } } })))
      .toMatch(/variables\.oidc\.clientId.*required field is missing/);
    expect(errorOf(() => topology({ variables: { registryMirrors: [MIRRORS[0], { ...MIRRORS[0], mirrorUrl: 'https://other.example.com' }] } })))
      .toMatch(/variables\.registryMirrors.*each registry has one mirror/);
    expect(errorOf(() => topology({ variables: { registryMirrors: [{ registry: 'docker.io', mirrorUrl: 'ftp://x' }] } })))
      .toMatch(/variables\.registryMirrors\[0\]\.mirrorUrl = "ftp:\/\/x": must match the pattern/);
    expect(errorOf(() => topology({ variables: { registryMirrors: [{ ...MIRRORS[1], caCertificate: `${CA}-----BEGIN PRIVATE KEY-----\nMII\n` }] } })))
      .toMatch(/variables\.registryMirrors\[0\]\.caCertificate.*must be PEM certificates only, no private key/);
    // containerd would read one of two hosts.toml files for the registry.
    expect(errorOf(() => topology({ variables: { registryMirrors: [{ registry: 'quay.io', mirrorUrl: 'https://q.example.com' }] } })))
      .toMatch(/variables\.registryMirrors\[0\]\.registry = "quay\.io": has a mirror in ClusterClass standard already/);
  });

  test('a patch whose field has no parent in the template is refused: CAPI\'s JSON patch "add" needs it', () => {
    const message = errorOf(() => topology({}, {
      patches: [{ name: 'extraCommands', target: ClassPatchTarget.WORKER_BOOTSTRAP, path: '/spec/template/spec/preKubeadmCommands/-', template: 'echo hello' }],
    }));
    expect(message).toMatch(/patches\[0\]\.path = "\/spec\/template\/spec\/preKubeadmCommands\/-": adds a field whose parent \/spec\/template\/spec\/preKubeadmCommands is not in KubeadmConfigTemplate\/standard-config-template-[0-9a-f]{8}/);
    // A parent that only a conditional patch adds (registryMirrors, when set) does not count:
    // without the class's own mirror, the "general" worker class has no files.
    expect(errorOf(() => topology({}, {
      cluster: { ...CLASS_PROPS.cluster, registryMirrors: undefined },
      patches: [{ name: 'motd', target: ClassPatchTarget.WORKER_BOOTSTRAP, path: '/spec/template/spec/files/-', template: 'path: /etc/motd\ncontent: hello' }],
    }))).toMatch(/patches\[0\]\.path = "\/spec\/template\/spec\/files\/-": adds a field whose parent \/spec\/template\/spec\/files is not in KubeadmConfigTemplate\/\S+ \(nor added by an earlier patch that always applies\)/);
    // The same list, added whole, then appended to by a later patch, is fine.
    expect(() => topology({}, {
      patches: [
        { name: 'commands', target: ClassPatchTarget.WORKER_BOOTSTRAP, path: '/spec/template/spec/preKubeadmCommands', template: '- echo one' },
        { name: 'moreCommands', target: ClassPatchTarget.WORKER_BOOTSTRAP, path: '/spec/template/spec/preKubeadmCommands/-', template: 'echo two' },
      ],
    })).not.toThrow();
  });

  test('the example\'s three clusters patch cleanly into valid templates', () => {
    const app = Testing.app();
    const example = new ClusterClassExample(app, 'cluster-class');
    const objects = CapiTesting.synth(example);
    for (const cluster of example.clusters) {
      const result = dryRunTopology(objects, cluster.name);
      const templates = [result.infrastructureCluster, result.controlPlane, result.controlPlaneMachine,
        ...Object.values(result.workers).flatMap(w => [w.bootstrap, w.infrastructure])];
      expect(new SchemaValidator().validate(templates)).toEqual([]);
      expect(result.infrastructureCluster.spec.template.spec.managedSubnets[0].cidr).toBe(cluster.nodeCidr);
      expect(result.infrastructureCluster.spec.template.spec.apiServerLoadBalancer.allowedCIDRs)
        .toEqual(cluster.name === 'prod' ? ['198.51.100.7/32', '192.0.2.0/24'] : undefined);
      expect(result.infrastructureCluster.spec.template.spec.identityRef).toEqual({ name: `${cluster.name}-cloud-config`, cloudName: 'openstack' });
      for (const w of Object.values(result.workers)) expect(w.infrastructure.spec.template.spec.image.filter.name).toBe(cluster.image.value);
      const args = result.controlPlane.spec.template.spec.kubeadmConfigSpec.clusterConfiguration.apiServer?.extraArgs ?? [];
      expect(args.some((a: any) => a.name === 'oidc-issuer-url')).toBe(cluster.name === 'prod');
      const mirrored = Object.values(result.workers).map(w => (w.bootstrap.spec.template.spec.files ?? []).some((f: any) => f.path === '/etc/containerd/certs.d/docker.io/hosts.toml'));
      expect(mirrored.every(m => m === (cluster.name === 'staging'))).toBe(true);
    }
  });
});

test('every string a built-in variable\'s CEL rule reads is bounded: CAPI refuses rules whose estimated cost exceeds its limit', () => {
  const cls = new OpenStackClusterClass(new Chart(Testing.app(), 'c'), 'Class', CLASS_PROPS);
  const unbounded = (schema: any, at: string): string[] => {
    if (!schema || typeof schema !== 'object') return [];
    const own = schema.type === 'string' && schema.maxLength === undefined && !schema.enum ? [at] : [];
    return [...own, ...Object.entries(schema.properties ?? {}).flatMap(([k, v]) => unbounded(v, `${at}.${k}`)), ...unbounded(schema.items, `${at}[]`)];
  };
  const hasRules = (schema: any): boolean => !!schema && typeof schema === 'object'
    && (!!schema['x-kubernetes-validations'] || Object.values(schema.properties ?? {}).some(hasRules) || hasRules(schema.items));
  const withRules = Object.values(cls.variables).filter(v => hasRules(v.schema));
  expect(withRules.map(v => v.name)).toEqual(['registryMirrors']);
  expect(withRules.flatMap(v => unbounded(v.schema, v.name))).toEqual([]);
});

describe('the Go template renderer of these tests', () => {
  test('renders as Go\'s text/template does: trim markers, if/else, range, quote', () => {
    expect(renderGoTemplate('a {{- " b" }} {{ if .x }}yes{{ else }}no{{ end }}', { x: false })).toBe('a b no');
    expect(renderGoTemplate('{{ range .l }}[{{ . }}]{{ end }}', { l: [1, 'two'] })).toBe('[1][two]');
    expect(renderGoTemplate('{{ .s | quote }}', { s: 'a "b"\n' })).toBe('"a \\"b\\"\\n"');
    expect(renderGoTemplate('{{ if eq .r "docker.io" }}hub{{ end }}', { r: 'docker.io' })).toBe('hub');
    expect(renderGoTemplate('{{ "{{" }} x }}', {})).toBe('{{ x }}');
    expect(() => renderGoTemplate('{{ .a.b }}', {})).toThrow(/nil pointer/);
    // Numbers of the variables are float64: %v prints large ones with an exponent, and comparing
    // one with an integer constant is an error in Go.
    expect(renderGoTemplate('{{ .a }} {{ .b }} {{ .c }} {{ .d }}', { a: 1000000, b: 100000, c: 0.00001, d: 1.5 })).toBe('1e+06 100000 1e-05 1.5');
    expect(() => renderGoTemplate('{{ if eq .n 3 }}x{{ end }}', { n: 3 })).toThrow(/incompatible types/);
    expect(renderGoTemplate('{{ if eq .n 3.0 }}x{{ end }}', { n: 3 })).toBe('x');
  });
});
