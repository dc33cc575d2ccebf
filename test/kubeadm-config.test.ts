import { Testing } from 'cdk8s';
import { parse as parseYaml } from 'yaml';
import { BlockDevice, Flavor, OpenStackCapiClusterProps, PodSecurityLevel, SchemaValidator } from '../src';
import { args, PAIRS } from './api-views';
import { clusterChart, errorOf, objectOf } from './fixtures';

const CAPACITY = 'capacity.cluster-autoscaler.kubernetes.io';

describe.each(PAIRS)('kubeadm and kubelet settings (%s)', (_pair, upstreamVersions) => {
  const chartWith = (overrides: Partial<OpenStackCapiClusterProps> = {}) => clusterChart({ upstreamVersions, ...overrides });

  test('control plane: component flags, OIDC, files, commands and NTP land where kubeadm reads them', () => {
    const { chart } = chartWith({
      controlPlaneKubeadm: {
        apiServerExtraArgs: { 'audit-log-maxage': '30' },
        controllerManagerExtraArgs: { 'terminated-pod-gc-threshold': '100' },
        schedulerExtraArgs: { profiling: 'false' },
        etcdExtraArgs: { 'quota-backend-bytes': '8589934592' },
        oidc: { issuerUrl: 'https://sso.example.com/realms/k8s', clientId: 'kubernetes', usernameClaim: 'email', groupsClaim: 'groups', groupsPrefix: 'oidc:' },
        files: [
          { path: '/etc/kubernetes/audit-policy.yaml', content: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Metadata}]\n' },
          { path: '/etc/kubernetes/encryption.yaml', secret: { name: 'demo-encryption', key: 'config' }, permissions: '0600' },
        ],
        preKubeadmCommands: ['echo pre'],
        postKubeadmCommands: ['echo post'],
        ntpServers: ['ntp.example.com'],
      },
    });
    const manifests = Testing.synth(chart);
    const spec = objectOf(manifests, 'KubeadmControlPlane').spec.kubeadmConfigSpec;
    const cc = spec.clusterConfiguration;
    expect(args(cc.apiServer.extraArgs)).toEqual({
      'oidc-issuer-url': 'https://sso.example.com/realms/k8s',
      'oidc-client-id': 'kubernetes',
      'oidc-username-claim': 'email',
      'oidc-groups-claim': 'groups',
      'oidc-groups-prefix': 'oidc:',
      'audit-log-maxage': '30',
    });
    expect(args(cc.controllerManager.extraArgs)).toEqual({ 'cloud-provider': 'external', 'terminated-pod-gc-threshold': '100' });
    expect(args(cc.scheduler.extraArgs)).toEqual({ profiling: 'false' });
    expect(args(cc.etcd.local.extraArgs)).toEqual({ 'quota-backend-bytes': '8589934592' });
    expect(spec.files).toEqual([
      { path: '/etc/kubernetes/audit-policy.yaml', content: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Metadata}]\n' },
      // From a Secret of the management cluster: the content never reaches the output.
      { path: '/etc/kubernetes/encryption.yaml', contentFrom: { secret: { name: 'demo-encryption', key: 'config' } }, permissions: '0600' },
    ]);
    expect(spec.preKubeadmCommands).toEqual(['echo pre']);
    expect(spec.postKubeadmCommands).toEqual(['echo post']);
    expect(spec.ntp).toEqual({ enabled: true, servers: ['ntp.example.com'] });
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });

  test('pools: kubelet flags and bootstrap files; the autoscaler is told what pods really get', () => {
    const { chart, cluster } = chartWith();
    cluster.addNodePool('tuned', {
      flavor: Flavor.of('m1.xlarge', { vcpus: 8, memoryMiB: 16384 }),
      autoscaling: { minSize: 0, maxSize: 3 },
      kubelet: {
        maxPods: 200,
        systemReserved: { cpu: '500m', memory: '1Gi' },
        kubeReserved: { memory: '512Mi' },
        evictionHard: { 'memory.available': '500Mi', 'nodefs.available': '10%' },
        featureGates: { KubeletTracing: true },
        extraArgs: { 'serialize-image-pulls': 'false' },
      },
      bootstrap: { files: [{ path: '/etc/containerd/certs.d/docker.io/hosts.toml', content: 'server = "https://registry-1.docker.io"\n' }] },
    });
    const manifests = Testing.synth(chart);
    const template = objectOf(manifests, 'KubeadmConfigTemplate').spec.template.spec;
    expect(args(template.joinConfiguration.nodeRegistration.kubeletExtraArgs)).toEqual({
      'cloud-provider': 'external',
      'provider-id': "openstack:///'{{ instance_id }}'",
      'max-pods': '200',
      'system-reserved': 'cpu=500m,memory=1Gi',
      'kube-reserved': 'memory=512Mi',
      'eviction-hard': 'memory.available<500Mi,nodefs.available<10%',
      'feature-gates': 'KubeletTracing=true',
      'serialize-image-pulls': 'false',
    });
    expect(template.files).toEqual([{ path: '/etc/containerd/certs.d/docker.io/hosts.toml', content: 'server = "https://registry-1.docker.io"\n' }]);
    const annotations = objectOf(manifests, 'MachineDeployment').metadata.annotations;
    // 16384 - 256 - 128 - 100 = 15900 offered; less 1024 + 512 reserved and 400 more eviction = 13964.
    expect(annotations[`${CAPACITY}/memory`]).toBe('13964Mi');
    expect(annotations[`${CAPACITY}/maxPods`]).toBe('200');
    // 8 vCPUs less the 500m the system keeps.
    expect(annotations[`${CAPACITY}/cpu`]).toBe('7500m');
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });
});

describe('kubeadm and kubelet settings that cannot work are refused', () => {
  test.each([
    ['replacing the library\'s controller manager flag', { controllerManagerExtraArgs: { 'cloud-provider': 'openstack' } },
      /controlPlaneKubeadm.controllerManagerExtraArgs\["cloud-provider"\] = "cloud-provider": is set by the library/],
    ['an OIDC flag given twice', { oidc: { issuerUrl: 'https://sso.example.com', clientId: 'k' }, apiServerExtraArgs: { 'oidc-client-id': 'x' } },
      /apiServerExtraArgs\["oidc-client-id"\] = "oidc-client-id": is set by the library/],
    ['a plain-http OIDC issuer', { oidc: { issuerUrl: 'http://sso.example.com', clientId: 'k' } }, /controlPlaneKubeadm.oidc.issuerUrl = "http:\/\/sso.example.com": must be an https URL/],
    ['a flag with dashes', { apiServerExtraArgs: { '--v': '2' } }, /apiServerExtraArgs\["--v"\] = "--v": must be a flag name without the leading dashes/],
    ['a file with content and a secret', { files: [{ path: '/etc/x', content: 'a', secret: { name: 's', key: 'k' } }] }, /files\[0\] = "\/etc\/x": needs either content or secret, not both/],
    ['a relative path', { files: [{ path: 'etc/x', content: 'a' }] }, /files\[0\].path = "etc\/x": must be an absolute path/],
  ])('control plane: %s', (_what, controlPlaneKubeadm, message) => {
    expect(errorOf(() => clusterChart({ controlPlaneKubeadm }))).toMatch(message);
  });

  test.each([
    ['replacing the library\'s kubelet flag', { extraArgs: { 'node-labels': 'a=b' } }, /kubelet.extraArgs\["node-labels"\] = "node-labels": is set by the library/],
    ['a reservation that is not a quantity', { systemReserved: { memory: 'lots' } }, /kubelet.systemReserved.memory = "lots": must be a Kubernetes quantity/],
    ['too many pods', { maxPods: 100000 }, /kubelet.maxPods = 100000: must be a whole number from 1 to 2500/],
  ])('pool: %s', (_what, kubelet, message) => {
    const { cluster } = clusterChart();
    expect(errorOf(() => cluster.addNodePool('p', { flavor: Flavor.named('m1'), kubelet }))).toMatch(message);
  });
});

describe.each(PAIRS)('control plane security and registry mirrors (%s)', (_pair, upstreamVersions) => {
  test('audit policy, Pod Security defaults and Secrets encryption: files, API server flags and volumes', () => {
    const { chart } = clusterChart({
      upstreamVersions,
      controlPlaneKubeadm: {
        audit: { maxAgeDays: 7 },
        podSecurity: { enforce: PodSecurityLevel.RESTRICTED, exemptNamespaces: ['kube-system', 'calico-system'] },
        secretsEncryption: { encryptionConfigurationSecret: { name: 'demo-encryption', key: 'encryption.yaml' } },
      },
    });
    const manifests = Testing.synth(chart);
    const spec = objectOf(manifests, 'KubeadmControlPlane').spec.kubeadmConfigSpec;
    const apiServer = spec.clusterConfiguration.apiServer;
    expect(args(apiServer.extraArgs)).toEqual({
      'audit-policy-file': '/etc/kubernetes/audit-policy.yaml',
      'audit-log-path': '/var/log/kubernetes/audit/audit.log',
      'audit-log-maxage': '7',
      'audit-log-maxbackup': '10',
      'audit-log-maxsize': '100',
      'admission-control-config-file': '/etc/kubernetes/admission-configuration.yaml',
      'encryption-provider-config': '/etc/kubernetes/encryption-configuration.yaml',
    });
    expect(apiServer.extraVolumes.map((v: any) => `${v.name} ${v.hostPath}->${v.mountPath}${v.readOnly ? ' ro' : ''}`)).toEqual([
      'audit-policy /etc/kubernetes/audit-policy.yaml->/etc/kubernetes/audit-policy.yaml ro',
      'audit-logs /var/log/kubernetes/audit->/var/log/kubernetes/audit',
      'admission-configuration /etc/kubernetes/admission-configuration.yaml->/etc/kubernetes/admission-configuration.yaml ro',
      'encryption-configuration /etc/kubernetes/encryption-configuration.yaml->/etc/kubernetes/encryption-configuration.yaml ro',
    ]);
    const files = Object.fromEntries(spec.files.map((f: any) => [f.path, f]));
    expect(files['/etc/kubernetes/audit-policy.yaml'].content).toMatch(/^apiVersion: audit.k8s.io\/v1\nkind: Policy\n/);
    const admission = parseYaml(files['/etc/kubernetes/admission-configuration.yaml'].content);
    expect(admission.plugins[0].configuration.defaults.enforce).toBe('restricted');
    expect(admission.plugins[0].configuration.exemptions.namespaces).toEqual(['kube-system', 'calico-system']);
    // The key stays in the management cluster's Secret.
    expect(files['/etc/kubernetes/encryption-configuration.yaml']).toEqual({
      path: '/etc/kubernetes/encryption-configuration.yaml', contentFrom: { secret: { name: 'demo-encryption', key: 'encryption.yaml' } }, permissions: '0600',
    });
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });

  test('registry mirrors reach the control plane and every pool as containerd hosts.toml files', () => {
    const { chart, cluster } = clusterChart({
      upstreamVersions,
      registryMirrors: [
        { registry: 'docker.io', mirrorUrl: 'https://mirror.example.com/v2/docker.io' },
        { registry: 'registry.k8s.io', mirrorUrl: 'https://mirror.example.com', caCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
      ],
    });
    cluster.addNodePool('p', { flavor: Flavor.named('m1') });
    const manifests = Testing.synth(chart);
    for (const files of [objectOf(manifests, 'KubeadmControlPlane').spec.kubeadmConfigSpec.files, objectOf(manifests, 'KubeadmConfigTemplate').spec.template.spec.files]) {
      expect(files.map((f: any) => f.path)).toEqual([
        '/etc/containerd/certs.d/docker.io/hosts.toml',
        '/etc/containerd/certs.d/registry.k8s.io/hosts.toml',
        '/etc/containerd/certs.d/registry.k8s.io/ca.crt',
      ]);
      expect(files[0].content).toBe('server = "https://registry-1.docker.io"\n\n[host."https://mirror.example.com/v2/docker.io"]\n  capabilities = ["pull", "resolve"]\n');
      expect(files[1].content).toContain('  ca = "/etc/containerd/certs.d/registry.k8s.io/ca.crt"\n');
    }
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });
});

test('security and mirror settings that cannot work are refused', () => {
  expect(errorOf(() => clusterChart({ registryMirrors: [{ registry: 'https://docker.io', mirrorUrl: 'https://m' }] })))
    .toMatch(/registryMirrors\[0\].registry = "https:\/\/docker.io": must be a registry host/);
  expect(errorOf(() => clusterChart({ controlPlaneKubeadm: { audit: {}, apiServerExtraArgs: { 'audit-log-maxage': '1' } } })))
    .toMatch(/apiServerExtraArgs\["audit-log-maxage"\] = "audit-log-maxage": is set by the library/);
  expect(errorOf(() => clusterChart({ controlPlaneKubeadm: { podSecurity: { enforce: 'strict' as PodSecurityLevel } } })))
    .toMatch(/controlPlaneKubeadm.podSecurity.enforce = "strict": must be a PodSecurityLevel/);
});

describe.each(PAIRS)('users and per-pool mirrors (%s)', (_pair, upstreamVersions) => {
  test('users with SSH keys only; a pool mirrors a registry of its own besides the cluster\'s', () => {
    const { chart, cluster } = clusterChart({
      upstreamVersions,
      registryMirrors: [{ registry: 'docker.io', mirrorUrl: 'https://mirror.example.com' }],
      controlPlaneKubeadm: { users: [{ name: 'ops', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza ops@example.com'], sudo: 'ALL=(ALL) NOPASSWD:ALL' }] },
    });
    cluster.addNodePool('p', { flavor: Flavor.named('m1'), registryMirrors: [{ registry: 'nvcr.io', mirrorUrl: 'https://nvcr-mirror.example.com' }] });
    const manifests = Testing.synth(chart);
    expect(objectOf(manifests, 'KubeadmControlPlane').spec.kubeadmConfigSpec.users).toEqual([
      { name: 'ops', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza ops@example.com'], sudo: 'ALL=(ALL) NOPASSWD:ALL' },
    ]);
    expect(objectOf(manifests, 'KubeadmConfigTemplate').spec.template.spec.files.map((f: any) => f.path)).toEqual([
      '/etc/containerd/certs.d/docker.io/hosts.toml', '/etc/containerd/certs.d/nvcr.io/hosts.toml',
    ]);
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });
});

test('a private key for a user, a user list that is not a list, a registry mirrored twice are refused', () => {
  expect(errorOf(() => clusterChart({ controlPlaneKubeadm: { users: [{ name: 'ops', sshAuthorizedKeys: ['-----BEGIN OPENSSH PRIVATE KEY-----'] }] } })))
    .toMatch(/controlPlaneKubeadm.users\[0\].sshAuthorizedKeys = "<keys>": must be public SSH keys/);
  expect(errorOf(() => clusterChart({ controlPlaneKubeadm: { users: 'ops' as any } }))).toMatch(/controlPlaneKubeadm.users = "ops": must be a list of users/);
  const { cluster } = clusterChart({ registryMirrors: [{ registry: 'docker.io', mirrorUrl: 'https://m' }] });
  expect(errorOf(() => cluster.addNodePool('p', { flavor: Flavor.named('m1'), registryMirrors: [{ registry: 'docker.io', mirrorUrl: 'https://n' }] })))
    .toMatch(/registryMirrors = "docker.io": is mirrored by the cluster already/);
});

describe.each(PAIRS)('an API server port other than 6443 (%s)', (_pair, upstreamVersions) => {
  test('CAPO\'s load balancer port, and each API server listening on it (kubeadm bindPort)', () => {
    const { chart } = clusterChart({ upstreamVersions, apiServer: { port: 8443 } });
    const manifests = Testing.synth(chart);
    expect(objectOf(manifests, 'OpenStackCluster').spec.apiServerPort).toBe(8443);
    const spec = objectOf(manifests, 'KubeadmControlPlane').spec.kubeadmConfigSpec;
    expect(spec.initConfiguration.localAPIEndpoint).toEqual({ bindPort: 8443 });
    expect(spec.joinConfiguration.controlPlane).toEqual({ localAPIEndpoint: { bindPort: 8443 } });
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
    // The default port writes nothing of the kind.
    const plain = objectOf(Testing.synth(clusterChart({ upstreamVersions }).chart), 'KubeadmControlPlane').spec.kubeadmConfigSpec;
    expect(plain.initConfiguration.localAPIEndpoint).toBeUndefined();
    expect(plain.joinConfiguration.controlPlane).toBeUndefined();
  });
});

describe.each(PAIRS)('etcd on a volume of its own (%s)', (_pair, upstreamVersions) => {
  test('the volume is partitioned, formatted, mounted, and etcd\'s data directory is on it', () => {
    const { chart } = clusterChart({
      upstreamVersions,
      controlPlaneMachine: { additionalBlockDevices: [BlockDevice.volume('etcd', 20)] },
      controlPlaneKubeadm: { etcdDisk: {} },
    });
    const manifests = Testing.synth(chart);
    const spec = objectOf(manifests, 'KubeadmControlPlane').spec.kubeadmConfigSpec;
    expect(spec.diskSetup).toEqual({
      partitions: [{ device: '/dev/vdb', layout: true, tableType: 'gpt' }],
      filesystems: [{ device: '/dev/vdb1', filesystem: 'ext4', label: 'etcd_disk' }],
    });
    expect(spec.mounts).toEqual([['LABEL=etcd_disk', '/var/lib/etcddisk']]);
    expect(spec.clusterConfiguration.etcd.local.dataDir).toBe('/var/lib/etcddisk/etcd');
    expect(objectOf(manifests, 'OpenStackMachineTemplate').spec.template.spec.additionalBlockDevices[0].name).toBe('etcd');
    expect(new SchemaValidator({ versions: upstreamVersions }).validate(manifests)).toEqual([]);
  });
});

test('an etcd disk without a volume for it is refused', () => {
  expect(errorOf(() => clusterChart({ controlPlaneKubeadm: { etcdDisk: { device: '/dev/vdc' } } })))
    .toMatch(/controlPlaneKubeadm.etcdDisk = \{"device":"\/dev\/vdc"\}: needs a volume for etcd in controlPlaneMachine.additionalBlockDevices/);
});
