import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { allObjects, findImages, findSecretMaterial, unpinnedReason } from './output-scan';
import { PLACEHOLDERS, ProductionCluster, ProductionClusterProps } from '../examples/production-cluster/cluster';
import { GitOpsApp, SchemaValidator, UpstreamVersions } from '../src';

/**
 * The production example (examples/production-cluster/): its output is what the management
 * clusters it is written for accept, reproducible, safe for Git, and carries the production
 * settings it claims.
 */

const CHART = 'production-cluster';

/**
 * The example for a CAPI v1.10 + CAPO v0.12 management cluster (v1beta1). CAPO v0.12 lacks two
 * features the default build uses, and the library refuses them for that pair (see the test
 * below): this variant is built without them — credentials from a Secret in the cluster's
 * namespace instead of an OpenStackClusterIdentity, and CAPO's default API server health monitor.
 */
const V1BETA1: ProductionClusterProps = {
  upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12,
  clusterIdentity: false,
  apiServerHealthMonitor: false,
};

function synth(props: ProductionClusterProps = {}): any[] {
  const app = new GitOpsApp({ outdir: '/nonexistent' });
  new ProductionCluster(app, CHART, props);
  return app.synthManifests().flatMap(chart => chart.manifests);
}

/** CAPI and CAPO objects: the kinds of the `*.cluster.x-k8s.io` groups. */
const isCapiOrCapo = (o: any) => /(^|\.)cluster\.x-k8s\.io\//.test(String(o.apiVersion));

const find = (objects: any[], kind: string, name?: string | RegExp) => objects.filter(o => o.kind === kind
  && (name === undefined || (typeof name === 'string' ? o.metadata.name === name : name.test(o.metadata.name))));
const one = (objects: any[], kind: string, name?: string | RegExp) => {
  const found = find(objects, kind, name);
  expect({ kind, name: String(name), count: found.length }).toEqual({ kind, name: String(name), count: 1 });
  return found[0];
};
/** v1beta2 writes component flags as lists of `{ name, value }`. */
const flags = (args: Array<{ name: string; value: string }>) => Object.fromEntries(args.map(a => [a.name, a.value]));

describe('the production example (v1beta2, the default)', () => {
  const output = synth();

  test.each([UpstreamVersions.CAPI_1_13_CAPO_0_14, UpstreamVersions.CAPI_1_14_CAPO_0_14])(
    'is valid under %s, CEL rules included, every CAPI/CAPO object checked against a schema', versions => {
      const validator = new SchemaValidator({ versions });
      const report = validator.validateObjects(output);
      expect(report.errors).toEqual([]);
      expect(report.celRulesEvaluated).toBeGreaterThan(0);
      const capi = validator.validateObjects(output.filter(isCapiOrCapo));
      expect(capi.objectsChecked).toBeGreaterThanOrEqual(20);
      expect(capi.objectsWithoutSchema).toBe(0);
    });

  test('is written for CAPI v1.14 + CAPO v0.14 unless told otherwise', () => {
    expect(one(output, 'Cluster').apiVersion).toBe('cluster.x-k8s.io/v1beta2');
    expect(one(output, 'OpenStackClusterIdentity').apiVersion).toBe('infrastructure.cluster.x-k8s.io/v1alpha1');
  });

  test('two synths write byte-identical files', () => {
    const write = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'production-example-'));
      const app = new GitOpsApp({ outdir: path.join(dir, 'dist') });
      new ProductionCluster(app, CHART);
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        app.synth();
      } finally {
        stderr.mockRestore();
      }
      const files = new Map<string, string>();
      const walk = (folder: string) => {
        for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          const full = path.join(folder, entry.name);
          if (entry.isDirectory()) walk(full);
          else files.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
        }
      };
      walk(dir);
      fs.rmSync(dir, { recursive: true, force: true });
      return files;
    };
    const first = write();
    const second = write();
    expect(first.size).toBeGreaterThanOrEqual(30);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, content] of first) expect([file, second.get(file) === content]).toEqual([file, true]);
  });

  test('holds no credentials: no Secret at all, nothing that looks like one', () => {
    expect(findSecretMaterial(output)).toEqual([]);
    expect(allObjects(output).filter(o => o.kind === 'Secret').map(o => o.metadata.name)).toEqual([]);
  });

  test('pins every image, inside the add-ons\' ConfigMaps too', () => {
    const images = findImages(output);
    // the Calico Job's two containers, the cloud controller manager, the autoscaler
    expect(images.length).toBeGreaterThanOrEqual(4);
    for (const { where, image, pullPolicy } of images) {
      expect([where, unpinnedReason(image)]).toEqual([where, undefined]);
      expect([where, pullPolicy]).not.toEqual([where, 'Always']);
    }
  });

  test('the control plane: three machines over three zones, booting from volumes, in a server group', () => {
    const spec = one(output, 'OpenStackCluster').spec;
    expect(spec.controlPlaneAvailabilityZones).toEqual(PLACEHOLDERS.availabilityZones);
    expect(one(output, 'KubeadmControlPlane').spec.replicas).toBe(3);
    const machine = one(output, 'OpenStackMachineTemplate', /^prod-control-plane-/).spec.template.spec;
    expect(machine.rootVolume).toEqual({ sizeGiB: 50, type: PLACEHOLDERS.volumeType, availabilityZone: { from: 'Machine' } });
    expect(machine.serverGroup).toEqual({ filter: { name: PLACEHOLDERS.controlPlaneServerGroup } });
  });

  test('the network: existing, API server restricted, per-role rules, a bastion, an identity', () => {
    const spec = one(output, 'OpenStackCluster').spec;
    expect(spec.network).toEqual({ filter: { name: PLACEHOLDERS.networkName } });
    expect(spec.subnets).toEqual([{ filter: { name: PLACEHOLDERS.subnetName } }]);
    expect(spec.router).toEqual({ filter: { name: PLACEHOLDERS.routerName } });
    expect(spec.managedSubnets).toBeUndefined();
    // the management cluster first: CAPO must always reach the API server
    expect(spec.apiServerLoadBalancer.allowedCIDRs).toEqual([...PLACEHOLDERS.managementClusterCidrs, ...PLACEHOLDERS.allowedCidrs]);
    expect(spec.apiServerLoadBalancer.provider).toBe('amphora');
    expect(spec.apiServerLoadBalancer.monitor).toEqual({ delay: 5, timeout: 3, maxRetriesDown: 3 });
    expect(spec.apiServerFloatingIP).toBe(PLACEHOLDERS.apiServerFloatingIp);
    expect(spec.managedSecurityGroups.allowAllInClusterTraffic).toBe(false);
    expect(spec.managedSecurityGroups.allNodesSecurityGroupRules.map((r: any) => r.name))
      .toEqual(['BGP (Calico)', 'IP-in-IP (calico)', 'ICMP between nodes']);
    expect(spec.managedSecurityGroups.controlPlaneNodesSecurityGroupRules.map((r: any) => r.name)).toEqual(['Control plane metrics']);
    expect(spec.managedSecurityGroups.workerNodesSecurityGroupRules.map((r: any) => r.name)).toEqual(['node-exporter']);
    expect(spec.bastion).toMatchObject({
      enabled: true,
      availabilityZone: 'az-1',
      spec: { flavor: PLACEHOLDERS.bastionFlavor, image: { filter: { name: PLACEHOLDERS.bastionImageName } } },
    });
    expect(spec.identityRef).toEqual({ type: 'ClusterIdentity', name: 'prod-openstack', cloudName: 'openstack' });
    expect(one(output, 'OpenStackClusterIdentity').spec.namespaceSelector.matchExpressions[0].values).toEqual(['prod']);
  });

  test('kubeadm: OIDC, audit, Pod Security and encryption flags, files from the library and from a Secret', () => {
    const config = one(output, 'KubeadmControlPlane').spec.kubeadmConfigSpec;
    const apiServer = flags(config.clusterConfiguration.apiServer.extraArgs);
    expect(apiServer).toMatchObject({
      'oidc-issuer-url': PLACEHOLDERS.oidcIssuerUrl,
      'oidc-client-id': PLACEHOLDERS.oidcClientId,
      'audit-policy-file': '/etc/kubernetes/audit-policy.yaml',
      'audit-log-path': '/var/log/kubernetes/audit/audit.log',
      'audit-log-maxage': '30',
      'admission-control-config-file': '/etc/kubernetes/admission-configuration.yaml',
      'encryption-provider-config': '/etc/kubernetes/encryption-configuration.yaml',
    });
    const files = new Map(config.files.map((f: any) => [f.path, f]));
    expect(files.get('/etc/kubernetes/encryption-configuration.yaml')).toMatchObject({
      contentFrom: { secret: { name: 'prod-encryption-config', key: 'encryption-configuration.yaml' } },
    });
    expect((files.get('/etc/kubernetes/admission-configuration.yaml') as any).content).toContain('enforce: "baseline"');
    expect(files.has('/etc/containerd/certs.d/docker.io/hosts.toml')).toBe(true);
    expect(config.ntp).toEqual({ enabled: true, servers: PLACEHOLDERS.ntpServers });
  });

  test('pools: a general pool per zone from volumes, a GPU pool from zero, kubelet reservations announced', () => {
    const pools = find(output, 'MachineDeployment');
    expect(pools.map(p => [p.metadata.name, p.spec.template.spec.failureDomain])).toEqual([
      ['prod-general-az-1-worker', 'az-1'], ['prod-general-az-2-worker', 'az-2'], ['prod-general-az-3-worker', 'az-3'],
      ['prod-gpu-worker', PLACEHOLDERS.gpuZone],
    ]);
    const general = one(output, 'MachineDeployment', 'prod-general-az-2-worker');
    // 32768 MiB of RAM offer 32028 MiB; the reservations (2 GiB) and the larger eviction threshold (+400 MiB) come off
    expect(general.metadata.annotations).toMatchObject({
      'capacity.cluster-autoscaler.kubernetes.io/memory': '29580Mi',
      'capacity.cluster-autoscaler.kubernetes.io/ephemeral-disk': '100Gi',
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '1',
    });
    const template = one(output, 'OpenStackMachineTemplate', /^prod-general-az-2-worker-/).spec.template.spec;
    expect(template.rootVolume.sizeGiB).toBe(100);
    expect(template.serverGroup).toEqual({ filter: { name: PLACEHOLDERS.workerServerGroup } });
    const gpu = one(output, 'MachineDeployment', 'prod-gpu-worker');
    expect(gpu.metadata.annotations).toMatchObject({
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '0',
      'capacity.cluster-autoscaler.kubernetes.io/gpu-count': '1',
      'capacity.cluster-autoscaler.kubernetes.io/taints': 'nvidia.com/gpu:NoSchedule',
      'cluster.x-k8s.io/autoscaling-options-maxnodeprovisiontime': '25m0s',
    });
    expect(gpu.spec.rollout.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(gpu.spec.template.spec.deletion.nodeDrainTimeoutSeconds).toBe(3600);
    const bootstrap = one(output, 'KubeadmConfigTemplate', gpu.spec.template.spec.bootstrap.configRef.name).spec.template.spec;
    expect(flags(bootstrap.joinConfiguration.nodeRegistration.kubeletExtraArgs)).toMatchObject({
      'system-reserved': 'cpu=500m,memory=1Gi,ephemeral-storage=5Gi',
      'kube-reserved': 'cpu=500m,memory=1Gi',
    });
  });

  test('lifecycle: a MachineHealthCheck per group (the GPU pool\'s stricter), a drain rule, the autoscaler balancing zones', () => {
    const checks = find(output, 'MachineHealthCheck');
    expect(checks.map(c => c.metadata.name)).toEqual([
      'prod-control-plane', 'prod-general-az-1-worker', 'prod-general-az-2-worker', 'prod-general-az-3-worker', 'prod-gpu-worker',
    ]);
    const gpu = one(output, 'MachineHealthCheck', 'prod-gpu-worker').spec;
    expect(gpu.remediation.triggerIf).toEqual({ unhealthyLessThanOrEqualTo: 1 });
    expect(gpu.checks.nodeStartupTimeoutSeconds).toBe(1200);
    expect(one(output, 'MachineHealthCheck', 'prod-general-az-1-worker').spec.checks.nodeStartupTimeoutSeconds).toBe(600);
    const rule = one(output, 'MachineDrainRule').spec;
    expect(rule.drain.behavior).toBe('WaitCompleted');
    expect(rule.machines[0].selector.matchLabels).toEqual({ 'cluster.x-k8s.io/deployment-name': 'prod-gpu-worker' });
    const autoscaler = one(output, 'Deployment', 'prod-cluster-autoscaler');
    expect(autoscaler.metadata.namespace).toBe('prod');
    expect(autoscaler.spec.template.spec.containers[0].args).toContain('--balance-similar-node-groups');
    expect(find(output, 'ClusterResourceSet').map(c => c.metadata.name)).toEqual([
      'prod-calico', 'prod-cloud-provider-openstack', 'prod-cinder-csi', 'prod-metrics-server',
    ]);
  });

  test('Calico\'s MTU: the existing network\'s 1450 less IP-in-IP\'s 20 bytes', () => {
    const calico = new ProductionCluster(Testing.app(), 'calico-mtu').calico;
    expect(calico.mtu).toBe(1430);
    expect(calico.encapsulation).toBe('IPIP');
  });
});

describe('the production example for CAPI v1.10 + CAPO v0.12 (v1beta1)', () => {
  test('the default build is refused for that pair: the identity and the health monitor need CAPO v0.14', () => {
    expect(() => synth({ upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12, apiServerHealthMonitor: false }))
      .toThrow(/CloudIdentity: upstreamVersions = .*needs CAPO v0\.14: .* has no OpenStackClusterIdentity kind/);
    expect(() => synth({ upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12, clusterIdentity: false }))
      .toThrow(/apiServer\.healthMonitor = .*needs CAPO v0\.14: .* has no OpenStackCluster field spec\.apiServerLoadBalancer\.monitor/);
  });

  // Built without the OpenStackClusterIdentity and the API server health monitor (see V1BETA1).
  const output = synth(V1BETA1);

  test('is valid under CAPI v1.10.5 + CAPO v0.12.4, every CAPI/CAPO object checked against a schema', () => {
    const validator = new SchemaValidator({ versions: UpstreamVersions.CAPI_1_10_CAPO_0_12 });
    expect(validator.validate(output)).toEqual([]);
    const capi = validator.validateObjects(output.filter(isCapiOrCapo));
    expect(capi.objectsChecked).toBeGreaterThanOrEqual(20);
    expect(capi.objectsWithoutSchema).toBe(0);
  });

  test('writes v1beta1, with the same production settings apart from the two left out', () => {
    expect(one(output, 'Cluster').apiVersion).toBe('cluster.x-k8s.io/v1beta1');
    expect(find(output, 'OpenStackClusterIdentity')).toEqual([]);
    const spec = one(output, 'OpenStackCluster').spec;
    expect(spec.identityRef).toEqual({ name: 'prod-cloud-config', cloudName: 'openstack' });
    expect(spec.apiServerLoadBalancer.monitor).toBeUndefined();
    expect(spec.controlPlaneAvailabilityZones).toEqual(PLACEHOLDERS.availabilityZones);
    expect(spec.apiServerLoadBalancer.allowedCIDRs).toEqual([...PLACEHOLDERS.managementClusterCidrs, ...PLACEHOLDERS.allowedCidrs]);
    expect(spec.bastion.enabled).toBe(true);
    const apiServer = one(output, 'KubeadmControlPlane').spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs;
    expect(apiServer).toMatchObject({ 'audit-policy-file': '/etc/kubernetes/audit-policy.yaml', 'oidc-issuer-url': PLACEHOLDERS.oidcIssuerUrl });
    expect(find(output, 'MachineHealthCheck')).toHaveLength(5);
    expect(one(output, 'MachineHealthCheck', 'prod-gpu-worker').spec.maxUnhealthy).toBe(1);
    expect(findSecretMaterial(output)).toEqual([]);
    for (const { where, image } of findImages(output)) expect([where, unpinnedReason(image)]).toEqual([where, undefined]);
  });
});

test('the production example installs Cinder CSI with a default StorageClass, and metrics-server', () => {
  const chart = new ProductionCluster(Testing.app(), 'production');
  expect(chart.cinderCsi.defaultStorageClassName).toBe('standard');
  expect(chart.cinderCsi.storageClassNames).toEqual(['standard', 'standard-retain']);
  expect(chart.metricsServer.addon.name).toBe('prod-metrics-server');
});
