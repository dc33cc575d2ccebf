import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { load as loadYaml } from 'js-yaml';
import { parse as parseYaml } from 'yaml';
import {
  CalicoBootstrapJob, CILIUM_VERSIONS, CiliumCni, CiliumCniOptions, CiliumIpamMode, CiliumTunnelProtocol, HelmChartProxy,
  HelmChartProxyOptions, HelmReconcileStrategy, HelmValues,
} from '../../src/addons';
import { GitOpsApp } from '../../src/gitops-app';
import { OpenStackCapiCluster, OpenStackCapiClusterProps } from '../../src/openstack-capi-cluster';
import { ManagedSecurityGroup, SecurityGroupRule } from '../../src/security-group-rule';
import { SchemaValidator, UpstreamVersions } from '../../src/validation';
import { clusterChart, MINIMAL_CLUSTER_PROPS } from '../fixtures';
import { errorOf, IMPORTS, only } from './helpers';

const CRD = loadYaml(fs.readFileSync(path.join(IMPORTS, 'cluster-api-addon-provider-helm/v0.6.4/config/crd/bases/addons.cluster.x-k8s.io_helmchartproxies.yaml'), 'utf8')) as any;
const CRD_SPEC = CRD.spec.versions[0].schema.openAPIV3Schema.properties.spec;

const UPGRADE = {
  cleanupOnFail: true, force: false, maxHistory: 3, recreate: false, resetValues: false, reuseValues: false, resetThenReuseValues: true,
};

const BASIC: HelmChartProxyOptions = { repoUrl: 'https://kubernetes.github.io/ingress-nginx', chartName: 'ingress-nginx', version: '4.13.0' };

function proxy(options: Partial<HelmChartProxyOptions> = {}, cluster: Partial<OpenStackCapiClusterProps> = {}) {
  const { chart, cluster: c } = clusterChart(cluster);
  const helm = new HelmChartProxy(chart, 'Ingress', { cluster: c, ...BASIC, ...options });
  const manifests = Testing.synth(chart);
  return { helm, manifests, object: only(manifests, 'HelmChartProxy'), cluster: c };
}

/** Every field path of an object, as segments; list items as `[]`. */
function fieldPaths(value: any, prefix: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap(v => fieldPaths(v, [...prefix, '[]']));
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => fieldPaths(v, [...prefix, k]));
}

/** Whether the CRD's schema declares a field path (map keys through `additionalProperties`). */
function declared(schema: any, segments: string[]): boolean {
  let node = schema;
  for (const segment of segments) {
    node = segment === '[]' ? node.items
      : node.properties?.[segment] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    if (!node) return false;
  }
  return true;
}

/** CAAPH's templating of a values template, for the fields these tests use. */
function renderTemplate(template: string, cluster: { host: string; port: number }): string {
  return template
    .split('{{ "{{" }}').join('\u0000')
    .replace(/\{\{ \.Cluster\.spec\.controlPlaneEndpoint\.host \}\}/g, cluster.host)
    .replace(/\{\{ \.Cluster\.spec\.controlPlaneEndpoint\.port \}\}/g, String(cluster.port))
    .split('\u0000').join('{{');
}

describe('HelmChartProxy', () => {
  test('a HelmChartProxy of CAAPH v0.6.4 in the cluster\'s namespace, selecting the cluster by its labels', () => {
    const { object, manifests, helm } = proxy({}, { namespace: 'clusters' });
    expect(object.apiVersion).toBe('addons.cluster.x-k8s.io/v1alpha1');
    expect(CRD.spec.versions.filter((v: any) => v.served).map((v: any) => `${CRD.spec.group}/${v.name}`)).toEqual([object.apiVersion]);
    expect(object.metadata).toEqual({ name: 'demo-ingress-nginx', namespace: 'clusters' });
    // CAAPH selects Clusters in its own namespace whose labels match.
    const cluster = only(manifests, 'Cluster');
    expect(cluster.metadata.namespace).toBe(object.metadata.namespace);
    expect(Object.entries(object.spec.clusterSelector.matchLabels).every(([k, v]) => cluster.metadata.labels[k] === v)).toBe(true);
    expect(object.spec).toEqual({
      clusterSelector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'demo' } },
      repoURL: 'https://kubernetes.github.io/ingress-nginx',
      chartName: 'ingress-nginx',
      version: '4.13.0',
      releaseName: 'ingress-nginx',
      namespace: 'default',
      reconcileStrategy: 'Continuous',
    });
    expect([helm.name, helm.namespace, helm.releaseName, helm.releaseNamespace]).toEqual(['demo-ingress-nginx', 'clusters', 'ingress-nginx', 'default']);
  });

  test('every prop lands in a field of the CRD, options included', () => {
    const { object } = proxy({
      name: 'ingress',
      releaseName: 'edge',
      namespace: 'ingress',
      values: HelmValues.fromObject({ controller: { replicaCount: 2 } }),
      reconcileStrategy: HelmReconcileStrategy.INSTALL_ONCE,
      credentialsSecretName: 'oci-creds',
      credentialsSecretKey: 'creds.json',
      caSecretName: 'repo-ca',
      options: {
        wait: true,
        waitForJobs: true,
        timeout: Duration.minutes(5),
        atomic: true,
        skipCrds: false,
        disableHooks: false,
        disableOpenApiValidation: false,
        dependencyUpdate: true,
        takeOwnership: true,
        install: { createNamespace: false, includeCrds: true },
        upgrade: UPGRADE,
        uninstall: { keepHistory: true, description: 'removed by GitOps' },
      },
    });
    expect(object.spec).toEqual({
      clusterSelector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': 'demo' } },
      repoURL: 'https://kubernetes.github.io/ingress-nginx',
      chartName: 'ingress-nginx',
      version: '4.13.0',
      releaseName: 'edge',
      namespace: 'ingress',
      reconcileStrategy: 'InstallOnce',
      valuesTemplate: 'controller:\n  replicaCount: 2\n',
      credentials: { secret: { name: 'oci-creds', namespace: 'demo' }, key: 'creds.json' },
      tlsConfig: { caSecret: { name: 'repo-ca', namespace: 'demo' } },
      options: {
        wait: true,
        waitForJobs: true,
        timeout: '5m',
        atomic: true,
        skipCRDs: false,
        disableHooks: false,
        disableOpenAPIValidation: false,
        dependencyUpdate: true,
        takeOwnership: true,
        install: { createNamespace: false, includeCRDs: true },
        upgrade: UPGRADE,
        uninstall: { keepHistory: true, description: 'removed by GitOps' },
      },
    });
    const undeclared = fieldPaths(object.spec).filter(p => !declared(CRD_SPEC, p)).map(p => p.join('.'));
    expect(undeclared).toEqual([]);
    expect(proxy({ options: { timeout: Duration.seconds(90) } }).object.spec.options).toEqual({ timeout: '90s' });
  });

  test('the reconcile strategies are the CRD\'s', () => {
    expect(Object.values(HelmReconcileStrategy).sort()).toEqual(CRD_SPEC.properties.reconcileStrategy.enum.filter((v: string) => v !== '').sort());
  });

  test('values from an object are YAML taken literally; from a template, a Go template as given', () => {
    const values = HelmValues.fromObject({ b: [1, 'two'], a: { text: 'say {{ hello }}', on: true } });
    // `{{` is escaped as the action {{ "{{" }}: CAAPH's templating prints it back.
    expect(values.valuesTemplate).toBe('a:\n  on: true\n  text: say {{ "{{" }} hello }}\nb:\n  - 1\n  - two\n');
    expect(parseYaml(renderTemplate(values.valuesTemplate, { host: '', port: 0 }))).toEqual({ b: [1, 'two'], a: { text: 'say {{ hello }}', on: true } });
    expect(HelmValues.fromObject({}).valuesTemplate).toBe('');
    const template = 'podCidr: {{ index .Cluster.spec.clusterNetwork.pods.cidrBlocks 0 }}\n';
    expect(proxy({ values: HelmValues.fromTemplate(template) }).object.spec.valuesTemplate).toBe(template);
    expect(proxy({ values: HelmValues.fromObject({}) }).object.spec.valuesTemplate).toBeUndefined();
  });

  test('refuses a version that is not one exact release', () => {
    for (const version of ['', ' ', 'latest', 'LATEST', '^1.2.3', '~1.2.3', '>=1.0.0', '1.2', '1.x', '*', '1.2.3 - 1.4.0', '1.2.3 || 2.0.0', undefined]) {
      expect(errorOf(() => proxy({ version: version as any }))).toMatch(/test\/Ingress: version = .*: must be (the|an) exact chart version/);
    }
    for (const version of ['1.2.3', 'v1.2.3', '1.2.3-rc.1', '1.2.3+build.5']) expect(proxy({ version }).object.spec.version).toBe(version);
  });

  test('refuses bad names, URLs, values and options', () => {
    expect(errorOf(() => proxy({ repoUrl: 'helm.cilium.io' }))).toMatch(/repoUrl = "helm.cilium.io": must be an http\(s\):\/\/ Helm repository or oci:\/\/ registry URL/);
    expect(errorOf(() => proxy({ repoUrl: 'https://example.com/charts/app-1.0.0.tgz' }))).toMatch(/must be the repository, not a chart archive/);
    expect(proxy({ repoUrl: 'oci://ghcr.io/example/charts' }).object.spec.repoURL).toBe('oci://ghcr.io/example/charts');
    expect(errorOf(() => proxy({ chartName: 'stable/nginx' }))).toMatch(/chartName = "stable\/nginx": must be a chart name/);
    expect(errorOf(() => proxy({ releaseName: 'Edge' }))).toMatch(/releaseName = "Edge": must be a Helm release name/);
    expect(errorOf(() => proxy({ releaseName: 'a'.repeat(54) }))).toMatch(/releaseName = "a{54}": must be a Helm release name: a DNS-1123 subdomain of at most 53/);
    expect(errorOf(() => proxy({ namespace: 'kube_system' }))).toMatch(/namespace = "kube_system": must be a namespace name/);
    expect(errorOf(() => proxy({ values: { controller: {} } as any }))).toMatch(/values = .*: must be HelmValues/);
    const circular: any = {};
    circular.self = circular;
    expect(errorOf(() => proxy({ values: HelmValues.fromObject(circular) }))).toMatch(/values = .*: must be plain JSON data/);
    expect(errorOf(() => proxy({ reconcileStrategy: 'Once' as any }))).toMatch(/reconcileStrategy = "Once": must be a HelmReconcileStrategy/);
    expect(errorOf(() => proxy({ options: { wiat: true } as any }))).toMatch(/options.wiat = true: is not a prop of HelmOptions \(did you mean "wait"\?\)/);
    expect(errorOf(() => proxy({ options: { wait: 'yes' as any, timeout: Duration.millis(1500) } })))
      .toMatch(/options.wait = "yes": must be true or false[^]*options.timeout = "1500 ms": must be a Duration of whole, positive seconds/);
    expect(errorOf(() => proxy({ options: { install: { createNamespaces: false } as any } }))).toMatch(/options.install.createNamespaces = false: is not a prop of HelmInstallOptions/);
    expect(errorOf(() => proxy({ options: { upgrade: { maxHistory: -1 } } }))).toMatch(/options.upgrade.maxHistory = -1: must be a whole number/);
    expect(errorOf(() => proxy({ credentialsSecretKey: 'key' }))).toMatch(/credentialsSecretKey = "key": needs credentialsSecretName/);
    expect(errorOf(() => proxy({ chart: 'x' } as any))).toMatch(/chart = "x": is not a prop of HelmChartProxyProps/);
  });

  test('takeOwnership is refused for CAPI v1.10 management clusters, which run CAAPH v0.4', () => {
    // CAAPH's metadata.yaml: v0.5 and v0.6 implement the v1beta2 contract, which CAPI v1.10 does not serve; v0.4 the v1beta1 one.
    const metadata = loadYaml(fs.readFileSync(path.join(IMPORTS, 'cluster-api-addon-provider-helm/v0.6.4/metadata.yaml'), 'utf8')) as any;
    const contract = (minor: number) => metadata.releaseSeries.find((r: any) => r.major === 0 && r.minor === minor).contract;
    expect([contract(4), contract(5), contract(6)]).toEqual(['v1beta1', 'v1beta2', 'v1beta2']);
    expect(UpstreamVersions.CAPI_1_10_CAPO_0_12.clusterApiVersion).toBe('v1beta1');
    expect(errorOf(() => proxy({ options: { takeOwnership: true } }, { upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12 })))
      .toMatch(/options.takeOwnership = true: is not in CAAPH v0.4, the release for CAPI v1.10.5 \+ CAPO v0.12.4/);
    const newer = proxy({ options: { takeOwnership: true } }, { upstreamVersions: UpstreamVersions.CAPI_1_13_CAPO_0_14 });
    expect(newer.object.spec.options.takeOwnership).toBe(true);
  });

  test.each(UpstreamVersions.all().map(v => [v.toString(), v] as const))('the validator knows CAAPH\'s CRDs with %s', (_name, upstreamVersions) => {
    const { manifests } = proxy({
      values: HelmValues.fromObject({ a: 1 }),
      options: { wait: true, timeout: Duration.minutes(5), install: { createNamespace: true } },
    }, { upstreamVersions });
    const validator = new SchemaValidator({ versions: upstreamVersions });
    const report = validator.validateObjects(manifests);
    expect(report.errors).toEqual([]);
    expect(validator.validateObjects([only(manifests, 'HelmChartProxy')]).objectsWithoutSchema).toBe(0);

    // A field of the wrong type, an unknown field, a value outside the enum: the CRD's schema is applied.
    const broken = structuredClone(only(manifests, 'HelmChartProxy'));
    broken.spec.options.wait = 'yes';
    broken.spec.chart = 'ingress-nginx';
    broken.spec.reconcileStrategy = 'Once';
    expect(validator.validate([broken]).join('\n')).toMatch(/spec.options.wait = "yes": must be of type boolean[^]*spec.reconcileStrategy = "Once": must be one of[^]*spec.chart = <not shown>: unknown field/);
    // And an object CAAPH's CRD does not define is still an unknown kind of the group.
    expect(validator.validate([{ ...broken, kind: 'HelmChartProxies' }]).join('\n')).toMatch(/kind = "HelmChartProxies": is not a kind of addons.cluster.x-k8s.io/);
  });

  test('a GitOpsApp validates HelmChartProxy objects against CAAPH\'s CRD', () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'helm-chart-proxy-')), 'dist');
    const build = (breakIt: boolean) => {
      const app = new GitOpsApp({ outdir });
      const chart = new Chart(app, 'clusters');
      for (const upstreamVersions of UpstreamVersions.all()) {
        const cluster = new OpenStackCapiCluster(chart, `c${upstreamVersions.clusterApi.replace(/\W/g, '')}`, { ...MINIMAL_CLUSTER_PROPS, upstreamVersions });
        const helm = new HelmChartProxy(cluster, 'Ingress', { cluster, ...BASIC, options: { timeout: Duration.minutes(5) } });
        if (breakIt) ApiObject.of(helm.apiObject).addJsonPatch(JsonPatch.replace('/spec/options/timeout', 300));
      }
      return app;
    };
    expect(() => build(false).synth()).not.toThrow();
    expect(fs.readdirSync(path.join(outdir, 'clusters')).filter(f => f.startsWith('helmchartproxy-'))).toHaveLength(3);
    expect(() => build(true).synth()).toThrow(/^3 invalid input errors:\n {2}- HelmChartProxy\/cv1105\/cv1105-ingress-nginx: spec.options.timeout = 300: must be of type string/);
  });
});

function cilium(options: CiliumCniOptions = {}, cluster: Partial<OpenStackCapiClusterProps> = {}) {
  const { chart, cluster: c } = clusterChart(cluster);
  const cni = new CiliumCni(chart, 'Cilium', { cluster: c, ...options });
  const manifests = Testing.synth(chart);
  const object = only(manifests, 'HelmChartProxy');
  return { cni, chart, cluster: c, manifests, object, values: parseYaml(renderTemplate(object.spec.valuesTemplate, { host: '10.0.0.10', port: 6443 })) };
}

describe('CiliumCni', () => {
  test('Cilium\'s chart, pinned, as release cilium in kube-system', () => {
    const { object, cni } = cilium();
    expect(object.metadata.name).toBe('demo-cilium');
    expect(object.spec).toMatchObject({
      repoURL: 'https://helm.cilium.io', chartName: 'cilium', version: '1.18.14', releaseName: 'cilium', namespace: 'kube-system', reconcileStrategy: 'Continuous',
    });
    expect(cni.version).toBe(CILIUM_VERSIONS['1.32']);
    expect(cilium({ version: '1.18.6' }).object.spec.version).toBe('1.18.6');
    expect(errorOf(() => cilium({ version: 'latest' }))).toMatch(/test\/Cilium\/HelmChartProxy: version = "latest": must be an exact chart version/);
  });

  test('default values: IPAM from the nodes\' pod CIDRs, a VXLAN tunnel on 8472, kube-proxy kept', () => {
    expect(cilium().values).toEqual({
      ipam: { mode: 'kubernetes' },
      routingMode: 'tunnel',
      tunnelProtocol: 'vxlan',
      tunnelPort: 8472,
      kubeProxyReplacement: 'false',
    });
  });

  test('cluster-pool IPAM takes the cluster\'s pod CIDRs', () => {
    const { values } = cilium({ ipamMode: CiliumIpamMode.CLUSTER_POOL, clusterPoolMaskSize: 25 }, { podCidrs: ['10.244.0.0/16'] });
    expect(values.ipam).toEqual({ mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.244.0.0/16'], clusterPoolIPv4MaskSize: 25 } });
    expect(cilium({ ipamMode: CiliumIpamMode.CLUSTER_POOL }).values.ipam.operator.clusterPoolIPv4MaskSize).toBe(24);
    expect(errorOf(() => cilium({ ipamMode: CiliumIpamMode.CLUSTER_POOL, clusterPoolMaskSize: 16 }, { podCidrs: ['10.244.0.0/16'] })))
      .toMatch(/clusterPoolMaskSize = 16: must be an integer from 17 to 30/);
    expect(errorOf(() => cilium({ clusterPoolMaskSize: 24 }))).toMatch(/clusterPoolMaskSize = 24: applies to ipamMode CiliumIpamMode.CLUSTER_POOL only/);
  });

  test('kube-proxy replacement reaches the API server at the Cluster\'s control plane endpoint, templated by CAAPH', () => {
    const { object, values } = cilium({ kubeProxyReplacement: true });
    expect(object.spec.valuesTemplate).toContain('k8sServiceHost: "{{ .Cluster.spec.controlPlaneEndpoint.host }}"\nk8sServicePort: {{ .Cluster.spec.controlPlaneEndpoint.port }}\n');
    expect(values).toMatchObject({ kubeProxyReplacement: 'true', k8sServiceHost: '10.0.0.10', k8sServicePort: 6443 });
  });

  test('extra values merge in, but not over the values its props set', () => {
    const { values } = cilium({ extraValues: { hubble: { relay: { enabled: true } }, ipam: { operator: { clusterPoolIPv6PodCIDRList: [] } } } });
    expect(values.hubble).toEqual({ relay: { enabled: true } });
    expect(values.ipam.mode).toBe('kubernetes');
    expect(errorOf(() => cilium({ extraValues: { routingMode: 'native', ipam: { mode: 'cluster-pool' } } })))
      .toMatch(/extraValues.ipam.mode = "cluster-pool": is set by CiliumCni[^]*extraValues.routingMode = "native": is set by CiliumCni/);
  });

  test('refuses a tunnel the cluster\'s security group rules block, as the Calico add-on does', () => {
    const closed = { allowAllInClusterTraffic: false, securityGroupRules: SecurityGroupRule.calico() };
    expect(errorOf(() => cilium({}, closed))).toMatch(new RegExp('test/Cilium: tunnelProtocol = "vxlan": needs VXLAN \\(UDP 8472\\) between all nodes, '
      + 'which the cluster\'s security group rules do not allow \\(allowAllInClusterTraffic is false\\): add CiliumCni.securityGroupRules\\(\\)'));
    // Calico's VXLAN port is not Cilium's.
    expect(errorOf(() => cilium({}, { ...closed, securityGroupRules: [SecurityGroupRule.calicoVxlan()] }))).toMatch(/needs VXLAN \(UDP 8472\)/);
    const vxlanOnly = { allowAllInClusterTraffic: false, securityGroupRules: CiliumCni.securityGroupRules() };
    expect(errorOf(() => cilium({ tunnelProtocol: CiliumTunnelProtocol.GENEVE }, vxlanOnly)))
      .toMatch(/tunnelProtocol = "geneve": needs Geneve \(UDP 6081\)[^]*CiliumCni.securityGroupRules\(CiliumTunnelProtocol.GENEVE\)/);
    // Only from the workers: the control plane's packets would be dropped.
    const workersOnly = SecurityGroupRule.custom({ name: 'vxlan', protocol: 'udp', portRangeMin: 8472, remoteManagedGroups: [ManagedSecurityGroup.WORKER] });
    expect(errorOf(() => cilium({}, { allowAllInClusterTraffic: false, securityGroupRules: [workersOnly] }))).toMatch(/needs VXLAN/);

    expect(cilium({}, { allowAllInClusterTraffic: false, securityGroupRules: CiliumCni.securityGroupRules() }).values.tunnelPort).toBe(8472);
    expect(cilium({ tunnelProtocol: CiliumTunnelProtocol.GENEVE }, {
      allowAllInClusterTraffic: false, securityGroupRules: CiliumCni.securityGroupRules(CiliumTunnelProtocol.GENEVE),
    }).values).toMatchObject({ tunnelProtocol: 'geneve', tunnelPort: 6081 });
    const nodeSubnet = SecurityGroupRule.custom({ name: 'vxlan', protocol: 'udp', portRangeMin: 8472, remoteIpPrefix: '10.6.0.0/16' });
    expect(cilium({}, { allowAllInClusterTraffic: false, nodeCidr: '10.6.0.0/24', securityGroupRules: [nodeSubnet] }).values.tunnelPort).toBe(8472);
    expect(cilium({}, { allowAllInClusterTraffic: true, securityGroupRules: [] }).values.tunnelPort).toBe(8472);
  });

  test('replaces Calico: a cluster with both, or with two Cilium, fails at synth', () => {
    const { chart, cluster, cni } = cilium();
    expect(chart.node.findAll().flatMap(c => c.node.validate())).toEqual([]);
    const calico = new CalicoBootstrapJob(cluster, 'Calico', { cluster });
    expect(cni.node.validate()).toEqual([
      `test/Cilium: cluster "demo" also has Calico (${calico.node.path}): a cluster has one CNI, and Cilium is one: remove one`,
    ]);
    const second = new CiliumCni(chart, 'Cilium2', { cluster, name: 'demo-cilium-2' });
    expect(second.node.validate().sort()).toEqual([
      expect.stringMatching(/^test\/Cilium2: cluster "demo" also has Calico/),
      'test/Cilium2: cluster "demo" also has Cilium (test/Cilium): a cluster has one CNI, and Cilium is one: remove one',
    ]);
    // GitOpsApp and `cdk8s synth` run the validations: synth fails.
    const app = new GitOpsApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cilium-')) });
    const appChart = new Chart(app, 'clusters');
    const both = new OpenStackCapiCluster(appChart, 'both', MINIMAL_CLUSTER_PROPS);
    new CiliumCni(both, 'Cilium', { cluster: both });
    new CalicoBootstrapJob(both, 'Calico', { cluster: both });
    expect(() => app.synth()).toThrow(/clusters\/both\/Cilium: cluster "both" also has Calico \(clusters\/both\/Calico\)/);
    // Another cluster's Calico is no conflict.
    const other = new OpenStackCapiCluster(chart, 'other', { ...MINIMAL_CLUSTER_PROPS, name: 'other' });
    const otherCilium = new CiliumCni(chart, 'OtherCilium', { cluster: other });
    expect(otherCilium.node.validate()).toEqual([]);
  });

  test.each(UpstreamVersions.all().map(v => [v.toString(), v] as const))('the output validates with %s', (_name, upstreamVersions) => {
    const { manifests } = cilium({ kubeProxyReplacement: true }, {
      upstreamVersions, allowAllInClusterTraffic: false, securityGroupRules: CiliumCni.securityGroupRules(),
    });
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });

  test('refuses a minor without a default version, and misspelled props', () => {
    expect(errorOf(() => cilium({}, { kubernetesVersion: 'v1.34.1' }))).toMatch(/version = undefined: has no default for Kubernetes 1.34[^]*set it to a Cilium release/);
    expect(cilium({ version: '1.19.4' }, { kubernetesVersion: 'v1.34.1' }).object.spec.version).toBe('1.19.4');
    expect(errorOf(() => cilium({ kubeProxyReplacment: true } as any))).toMatch(/kubeProxyReplacment = true: is not a prop of CiliumCniProps \(did you mean "kubeProxyReplacement"\?\)/);
    expect(errorOf(() => cilium({ tunnelProtocol: 'vxlan-gpe' as any }))).toMatch(/tunnelProtocol = "vxlan-gpe": must be a CiliumTunnelProtocol/);
  });
});

test('Cilium\'s HelmChartProxy is never pruned nor deleted by GitOps: that would uninstall the pod network', () => {
  const { chart, cluster } = clusterChart();
  cluster.addCilium();
  const ciliumProxy = Testing.synth(chart).find(m => m.kind === 'HelmChartProxy');
  expect(ciliumProxy.metadata.annotations).toEqual({
    'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    'kustomize.toolkit.fluxcd.io/prune': 'disabled',
  });
});
