import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  AutoscalerPlacement, CloudCredentials, Flavor, MachineImage, ManagedSecurityGroup, NodePool, NodePoolOptions,
  OpenStackCapiCluster, OpenStackCapiClusterProps, SecurityGroupRule, TaintEffect, UpstreamVersions,
} from '../src';
import { errorOf, MINIMAL_CLUSTER_PROPS, WORKER_FLAVOR } from './fixtures';

/**
 * What the library refuses: every entry is a mistake a platform engineer can make, and the one-line
 * error it gets at synth time, naming the construct path, the prop, the value and the rule.
 */

function clusterError(props: Partial<OpenStackCapiClusterProps>): string {
  return errorOf(() => new OpenStackCapiCluster(Testing.chart(), 'demo', { ...MINIMAL_CLUSTER_PROPS, ...props }));
}

function poolError(options: Partial<NodePoolOptions>, cluster: Partial<OpenStackCapiClusterProps> = {}): string {
  const c = new OpenStackCapiCluster(Testing.chart(), 'demo', { ...MINIMAL_CLUSTER_PROPS, ...cluster });
  return errorOf(() => c.addNodePool('pool', { flavor: WORKER_FLAVOR, ...options }));
}

const CLUSTER_CASES: Array<[string, Partial<OpenStackCapiClusterProps>, RegExp]> = [
  ['a cluster name that is not DNS-1123', { name: 'Demo_Cluster' }, /test\/demo: name = "Demo_Cluster": must be a DNS-1123 label/],
  ['a cluster name that makes machine names too long', { name: 'a'.repeat(40) }, /name = "a{40}": is too long: "a{40}-control-plane" must be at most 51 characters/],
  ['a namespace that is not DNS-1123', { namespace: 'Team.A' }, /namespace = "Team.A": must be a DNS-1123 label/],
  ['a Kubernetes version without the v', { kubernetesVersion: '1.32.4' }, /kubernetesVersion = "1.32.4": must be a Kubernetes release version "vX.Y.Z"/],
  ['a Kubernetes version that is not X.Y.Z', { kubernetesVersion: 'v1.32' }, /kubernetesVersion = "v1.32": must be a Kubernetes release version/],
  ['an even control plane', { controlPlaneReplicas: 2 }, /controlPlaneReplicas = 2: must be an odd number/],
  ['no control plane', { controlPlaneReplicas: 0 }, /controlPlaneReplicas = 0: must be an odd number/],
  ['an external network id that is not a UUID', { externalNetworkId: 'public' }, /externalNetworkId = "public": must be a network UUID/],
  ['a DNS server that is not an IP address', { dnsNameservers: ['dns.google'] }, /dnsNameservers\[0\] = "dns.google": must be an IPv4 address/],
  ['an IPv6 DNS server', { dnsNameservers: ['2001:4860:4860::8888'] }, /dnsNameservers\[0\] = "2001:4860:4860::8888": must be an IPv4 address/],
  ['a malformed pod CIDR', { podCidrs: ['192.168.0.0/33'] }, /podCidrs\[0\] = "192.168.0.0\/33": must be an IPv4 CIDR/],
  ['an IPv6 pod CIDR', { podCidrs: ['fd00::/48'] }, /podCidrs\[0\] = "fd00::\/48": must be an IPv4 CIDR \(only IPv4 is supported here\)/],
  ['a CIDR with host bits set', { nodeCidr: '10.6.0.1/24' }, /nodeCidr = "10.6.0.1\/24": must be a network address: host bits are set \(did you mean "10.6.0.0\/24"\?\)/],
  ['pods overlapping services', { podCidrs: ['10.96.0.0/16'] }, /serviceCidrs \(default\) = "10.96.0.0\/12": must not overlap podCidrs\[0\] \(10.96.0.0\/16\)/],
  ['the node subnet overlapping pods', { nodeCidr: '192.168.10.0/24' }, /nodeCidr = "192.168.10.0\/24": must not overlap podCidrs\[0\] \(192.168.0.0\/16\)/],
  ['no pod CIDR', { podCidrs: [] }, /podCidrs = \[\]: must hold at least one CIDR/],
  ['a security group port range upside down', { securityGroupRules: [SecurityGroupRule.custom({ name: 'web', protocol: 'tcp', portRangeMin: 443, portRangeMax: 80 })] },
    /securityGroupRules\[0\].portRangeMin = 443: must not exceed portRangeMax \(80\)/],
  ['an unknown security group protocol', { securityGroupRules: [SecurityGroupRule.custom({ name: 'x', protocol: 'http' })] },
    /securityGroupRules\[0\].protocol = "http": must be a protocol name .* or a number 0-255/],
  ['a port out of range', { securityGroupRules: [SecurityGroupRule.custom({ name: 'x', protocol: 'udp', portRangeMin: 70000 })] },
    /securityGroupRules\[0\].portRangeMin = 70000: must be an integer port 0-65535/],
  ['a port range on a protocol without ports', { securityGroupRules: [SecurityGroupRule.custom({ name: 'x', protocol: 'icmp', portRangeMin: 8 })] },
    /securityGroupRules\[0\].protocol = "icmp": must be one of tcp, udp, sctp, udplite, dccp.* when a port range is given/],
  ['a remote prefix that is not a CIDR', { securityGroupRules: [SecurityGroupRule.custom({ name: 'x', remoteIpPrefix: 'office' })] },
    /securityGroupRules\[0\].remoteIpPrefix = "office": must be an IPv4 CIDR/],
  ['a rule with two remotes', { securityGroupRules: [SecurityGroupRule.custom({ name: 'x', remoteIpPrefix: '10.0.0.0/8', remoteManagedGroups: [ManagedSecurityGroup.WORKER] })] },
    /securityGroupRules\[0\].remoteIpPrefix = "10.0.0.0\/8": cannot be combined with remoteManagedGroups/],
  ['two rules of the same name', { securityGroupRules: [SecurityGroupRule.calicoBgp(), SecurityGroupRule.calicoBgp()] },
    /securityGroupRules\[1\].name = "BGP \(Calico\)": must be unique/],
  ['a label key with spaces', { labels: { 'my label': 'x' } }, /labels\["my label"\] = "my label": the key name must be/],
  ['a label value too long', { labels: { team: 'x'.repeat(64) } }, /labels\["team"\] = "x{64}": a label value must be at most 63/],
  ['a list prop that is not a list', { podCidrs: '10.0.0.0/8' as any }, /podCidrs = "10.0.0.0\/8": must be a list of CIDR strings/],
  ['a security group rule that is not a SecurityGroupRule', { securityGroupRules: [{ name: 'x' } as any] },
    /securityGroupRules\[0\] = \{"name":"x"\}: must be SecurityGroupRule/],
  ['a misspelled prop', { podCIDRs: ['10.0.0.0/8'] } as any, /test\/demo: podCIDRs = \["10.0.0.0\/8"\]: is not a prop of OpenStackCapiClusterProps \(did you mean "podCidrs"\?\)/],
  ['the string "false" for a boolean', { apiServerLoadBalancer: 'false' as any }, /apiServerLoadBalancer = "false": must be true or false \(a boolean, not a string\)/],
  ['no API server load balancer with 3 control plane machines', { apiServerLoadBalancer: false },
    /apiServerLoadBalancer = false: must be true with 3 control plane machines: without a load balancer CAPO gives the API server one floating IP/],
  ['a service domain that is not a DNS name', { serviceDomain: 'Cluster_Local' }, /serviceDomain = "Cluster_Local": must be a DNS-1123 subdomain/],
  ['a service CIDR larger than kubeadm allows', { serviceCidrs: ['10.0.0.0/8'] }, /serviceCidrs\[0\] = "10.0.0.0\/8": must be \/12 or smaller: kubeadm refuses/],
  ['a pod CIDR smaller than the per-node /24', { podCidrs: ['192.168.0.0/25'] }, /podCidrs\[0\] = "192.168.0.0\/25": must be between \/8 and \/24: each node gets a \/24 of it/],
  ['a Kubernetes version the CAPI release does not support', { kubernetesVersion: 'v1.26.15' },
    /kubernetesVersion = "v1.26.15": is not supported for workload clusters by CAPI v1.14.0 \(v1.31.x to v1.36.x/],
  ['a Kubernetes version newer than an older CAPI release supports', { kubernetesVersion: 'v1.34.1', upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12 },
    /kubernetesVersion = "v1.34.1": is not supported for workload clusters by CAPI v1.10.5 \(v1.27.x to v1.33.x/],
  ['a Kubernetes 2.x version', { kubernetesVersion: 'v2.0.0' }, /kubernetesVersion = "v2.0.0": must be a Kubernetes 1.x version/],
  ['an inline clouds.yaml that is not YAML', { credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml: 'clouds: [openstack:\n  auth: {password: hunter2' }) },
    /credentials.cloudsYaml = "<redacted>": must be valid YAML/],
  ['an inline clouds.yaml without the named cloud', { credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml: 'clouds:\n  prod:\n    auth: {}\n', cloudName: 'staging' }) },
    /credentials.cloudsYaml = "<redacted>": must have an entry "clouds.staging" \(credentials.cloudName\); it has "prod"/],
  ['a private key given as the CA bundle', {
    credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml: 'clouds: {openstack: {}}', cacert: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n' }),
  }, /credentials.cacert = "<redacted>": must hold CA certificates only: it holds a private key/],
  ['a clouds.yaml given to the wrong prop is not echoed', { sshKeyName: 'clouds:\n  openstack:\n    auth:\n      password: hunter2\n' },
    /sshKeyName = "<redacted>": /],
  ['credentials that are not CloudCredentials', { credentials: { secretName: 'x' } as any }, /credentials = \{"secretName":"x"\}: must be CloudCredentials/],
  ['a credentials Secret name that is not DNS-1123', { credentials: CloudCredentials.fromSecretName('Cloud_Config') },
    /credentials.secretName = "Cloud_Config": must be a DNS-1123 subdomain/],
  ['a cloud name that would break cloud.conf', { credentials: CloudCredentials.fromSecretName(undefined, { cloudName: 'x\n[Global]' }) },
    /credentials.cloudName = "x\\n\[Global\]": must name an entry of clouds.yaml/],
  ['a control plane flavor with a non-positive capacity', { controlPlaneFlavor: Flavor.of('m1', { vcpus: 0, memoryMiB: 4096 }) }, /controlPlaneFlavor.vcpus = 0: must be a positive integer/],
  ['an empty image name', { image: MachineImage.fromName('') }, /image = "": must name an image/],
];

const POOL_CASES: Array<[string, Partial<NodePoolOptions>, RegExp]> = [
  ['a pool name that is not DNS-1123', { name: 'GPU' }, /test\/demo\/pool: name = "GPU": must be a DNS-1123 label/],
  ['a pool name that makes machine names too long', { name: 'p'.repeat(40) }, /name = "p{40}": is too long: "demo-p{40}-worker" must be at most 51 characters/],
  ['minSize above maxSize', { autoscaling: { minSize: 3, maxSize: 2 } }, /autoscaling.minSize = 3: must not exceed autoscaling.maxSize \(2\)/],
  ['a negative minSize', { autoscaling: { minSize: -1, maxSize: 2 } }, /autoscaling.minSize = -1: must be a whole number/],
  ['a zero maxSize', { autoscaling: { minSize: 0, maxSize: 0 } }, /autoscaling.maxSize = 0: must be a positive whole number/],
  ['negative replicas', { replicas: -1 }, /replicas = -1: must be a whole number/],
  ['replicas on an autoscaled pool', { autoscaling: { minSize: 1, maxSize: 3 }, replicas: 2 },
    /replicas = 2: must be unset with autoscaling: the autoscaler owns the size, and a replicas field re-applied by GitOps/],
  ['a misspelled pool option', { autoScaling: { minSize: 0, maxSize: 2 } } as any, /test\/demo\/pool: autoScaling = .*: is not a prop of NodePoolOptions \(did you mean "autoscaling"\?\)/],
  ['an empty pool image name', { image: MachineImage.fromName('') }, /test\/demo\/pool: image = "": must name an image/],
  ['a flavor without capacity scaling from zero', { flavor: Flavor.of('m1', null as any), autoscaling: { minSize: 0, maxSize: 2 } },
    /flavor.capacity = null: must be \{ vcpus, memoryMiB \} with Flavor.of/],
  ['a node memory above the flavor\'s RAM', { flavor: Flavor.of('m1', { vcpus: 2, memoryMiB: 4096, nodeMemoryMiB: 5000 }) },
    /flavor.nodeMemoryMiB = 5000: must not exceed memoryMiB \(4096\)/],
  ['a pool on an older minor (KubeadmVersionSkew)', { kubernetesVersion: 'v1.31.6' },
    /kubernetesVersion = "v1.31.6": must have the control plane's minor \(v1.32.4\): CAPI's KubeadmVersionSkew preflight check blocks new machines/],
  ['scaling from zero without the flavor\'s CPU and memory', { flavor: Flavor.named('m1.xlarge'), autoscaling: { minSize: 0, maxSize: 3 } },
    /flavor = "m1.xlarge": must state its vCPUs and memory \(Flavor.of\) for the autoscaler to scale the pool from zero/],
  ['a flavor with negative memory', { flavor: Flavor.of('f', { vcpus: 2, memoryMiB: -4096 }) }, /flavor.memoryMiB = -4096: must be a positive integer/],
  ['a flavor with a fractional disk', { flavor: Flavor.of('f', { vcpus: 2, memoryMiB: 4096, diskGiB: 1.5 }) }, /flavor.diskGiB = 1.5: must be a positive integer/],
  ['a pool version newer than the control plane', { kubernetesVersion: 'v1.33.0' }, /kubernetesVersion = "v1.33.0": must not be newer than the control plane's v1.32.4 \(version skew policy\)/],
  ['a pool version too old for the skew policy', { kubernetesVersion: 'v1.28.9' }, /kubernetesVersion = "v1.28.9": must be at most 3 minor versions older than the control plane's v1.32.4/],
  ['a malformed pool version', { kubernetesVersion: 'latest' }, /kubernetesVersion = "latest": must be a Kubernetes release version/],
  ['a label kubelet may not set', { labels: { 'node-role.kubernetes.io/worker': '' } }, /labels\["node-role.kubernetes.io\/worker"\] = "node-role.kubernetes.io\/worker": kubelet may not set labels under kubernetes.io/],
  ['a label key with two slashes', { labels: { 'a/b/c': 'x' } }, /labels\["a\/b\/c"\] = "a\/b\/c": a key has at most one "\/"/],
  ['a taint with a bad key', { taints: [{ key: 'bad key', effect: TaintEffect.NO_SCHEDULE }] }, /taints\[0\].key = "bad key": the key name must be/],
  ['taints that are not a list', { taints: 'gpu=true:NoSchedule' as any }, /taints = "gpu=true:NoSchedule": must be a list of taints/],
  ['a taint with an unknown effect', { taints: [{ key: 'gpu', effect: 'NoWay' as TaintEffect }] }, /taints\[0\].effect = "NoWay": must be one of NoSchedule, PreferNoSchedule, NoExecute/],
];

function addonError(add: (cluster: OpenStackCapiCluster) => unknown, cluster: Partial<OpenStackCapiClusterProps> = {}): string {
  const c = new OpenStackCapiCluster(Testing.chart(), 'demo', { ...MINIMAL_CLUSTER_PROPS, ...cluster });
  return errorOf(() => add(c));
}

const CALICO_YAML = fs.readFileSync(path.join(__dirname, '..', 'imports', 'calico', 'v3.30.2', 'manifests', 'calico.yaml'), 'utf8');

const ADDON_CASES: Array<[string, (cluster: OpenStackCapiCluster) => unknown, RegExp]> = [
  ['an add-on object over the ConfigMap size limit (the post\'s calico.yaml in one ConfigMap)',
    c => c.addAddon('calico-install').addManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'calico-install', namespace: 'kube-system' }, data: { 'calico.yaml': CALICO_YAML } }]),
    /test\/demo\/calico-install: object ConfigMap\/kube-system\/calico-install = "5\d\d,\d{3} bytes": does not fit in a ConfigMap or Secret of add-on "demo-calico-install": each must stay within 262,144 bytes .* install it from inside the workload cluster with a Job/],
  ['an add-on name that is not DNS-1123', c => c.addAddon('x', { name: 'My_Addon' }), /test\/demo\/x: name = "My_Addon": must be a DNS-1123 subdomain/],
  ['an add-on that delivers nothing', c => {
    c.addAddon('empty');
    return Testing.synth(c.node.scope as any);
  }, /add-on "demo-empty" delivers nothing/],
  ['an image tagged :latest', c => c.addCalico({ kubectlImage: 'bitnami/kubectl:latest' }), /kubectlImage = "bitnami\/kubectl:latest": must be pinned to a version, not to the moving tag "latest"/],
  ['an image without a tag', c => c.addCloudControllerManager({ image: 'ccm' }), /image = "ccm": must be pinned to a version/],
  ['a manifest URL that names no version', c => c.addCalico({ manifestUrl: 'https://raw.githubusercontent.com/projectcalico/calico/master/manifests/calico.yaml' }),
    /manifestUrl = ".*\/master\/manifests\/calico.yaml": must be pinned: a segment of its path must be the Calico version/],
  ['an add-on image unknown for the cluster\'s Kubernetes minor', c => c.addAutoscaler(), /image = undefined: has no known cluster-autoscaler image for Kubernetes 1.34/],
  ['the same add-on twice', c => {
    c.addCalico();
    return c.addCalico();
  }, /test\/demo: addCalico\(\) = "Calico": must be unique within cluster "demo": test\/demo\/Calico exists already/],
  ['add-on objects that are not plain data', c => {
    const cyclic: any = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    cyclic.self = cyclic;
    return c.addAddon('x').addManifests([cyclic]);
  }, /addManifests\(manifests\) = "<objects>": must be plain JSON data \(Converting circular structure to JSON/],
  ['the autoscaler in the workload cluster without a management kubeconfig', c => c.addAutoscaler({ placement: AutoscalerPlacement.WORKLOAD_CLUSTER }),
    /managementKubeconfig = undefined: is required with AutoscalerPlacement.WORKLOAD_CLUSTER/],
  ['a chart of the management app handed to an add-on', c => c.addAddon('x').addChart(c.node.scope as any),
    /addChart\(chart\) = "test": must not belong to the management app/],
];

describe('what the library refuses', () => {
  test.each(ADDON_CASES)('add-on: %s', (what, add, message) => {
    expect(addonError(add, what.includes('Kubernetes minor') ? { kubernetesVersion: 'v1.34.1' } : {})).toMatch(message);
  });

  test.each(CLUSTER_CASES)('cluster: %s', (_what, props, message) => {
    expect(clusterError(props)).toMatch(message);
  });

  test.each(POOL_CASES)('pool: %s', (_what, options, message) => {
    expect(poolError(options)).toMatch(message);
  });

  test.each([
    ['null props', () => new OpenStackCapiCluster(Testing.chart(), 'demo', null as any), /test\/demo: OpenStackCapiClusterProps = null: must be an object of props/],
    ['null pool options', () => new OpenStackCapiCluster(Testing.chart(), 'demo', MINIMAL_CLUSTER_PROPS).addNodePool('p', null as any),
      /test\/demo\/p: flavor = undefined: must be a Flavor/],
    ['a NodePool without props', () => new NodePool(Testing.chart(), 'p', undefined as any), /test\/p: NodePoolOptions = undefined: must be an object of props/],
    ['misspelled credentials options', () => new OpenStackCapiCluster(Testing.chart(), 'demo', {
      ...MINIMAL_CLUSTER_PROPS, credentials: CloudCredentials.fromSecretName(undefined, { cloud: 'prod' } as any),
    }), /test\/demo: cloud = "prod": is not a prop of ExistingSecretCredentialsOptions/],
  ])('untyped callers: %s gets an error, not a TypeError', (_what, build, message) => {
    const error = errorOf(build);
    expect(error).toMatch(message);
    expect(error).not.toMatch(/TypeError|Cannot read/);
  });

  test('null options of a factory mean its defaults', () => {
    const cluster = new OpenStackCapiCluster(Testing.chart(), 'demo', { ...MINIMAL_CLUSTER_PROPS, credentials: CloudCredentials.fromSecretName(undefined, null as any) });
    expect(cluster.credentials).toEqual({ secretName: 'demo-cloud-config', cloudName: 'openstack', privateCa: false });
  });

  test('the node subnet must hold every machine at full size, rollouts included', () => {
    const chart = Testing.chart();
    const cluster = new OpenStackCapiCluster(chart, 'demo', { ...MINIMAL_CLUSTER_PROPS, nodeCidr: '10.6.0.0/27' });
    cluster.addNodePool('a', { flavor: WORKER_FLAVOR, autoscaling: { minSize: 0, maxSize: 10 } });
    expect(() => Testing.synth(chart)).not.toThrow(); // 3+1 + 10+1 machines, 7 reserved: 22 of 32
    cluster.addNodePool('b', { flavor: WORKER_FLAVOR, replicas: 10 });
    expect(errorOf(() => Testing.synth(chart)))
      .toMatch(/test\/demo: nodeCidr = "10.6.0.0\/27": has 32 addresses, too few for 26 machines at full size and during rollouts .* and 7 addresses Neutron and Octavia reserve/);
  });

  test('a pool on an older minor is accepted for an upgrade window, with a warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const cluster = new OpenStackCapiCluster(Testing.chart(), 'demo', MINIMAL_CLUSTER_PROPS);
    cluster.addNodePool('old', { flavor: WORKER_FLAVOR, kubernetesVersion: 'v1.31.6', allowMinorVersionSkew: true });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/test\/demo\/old: .*KubeadmVersionSkew preflight check blocks its scale-ups/));
    warn.mockRestore();
  });

  test('a pool in a zone the cluster is not restricted to', () => {
    expect(poolError({ failureDomain: 'az9' }, { controlPlaneAvailabilityZones: ['az1', 'az2', 'az3'] }))
      .toMatch(/test\/demo\/pool: failureDomain = "az9": must be one of the availability zones the cluster is restricted to \(controlPlaneAvailabilityZones: az1, az2, az3\)/);
    expect(() => new OpenStackCapiCluster(Testing.chart(), 'demo', { ...MINIMAL_CLUSTER_PROPS, controlPlaneAvailabilityZones: ['az1', 'az2', 'az3'] })
      .addNodePool('pool', { flavor: WORKER_FLAVOR, failureDomain: 'az2' })).not.toThrow();
  });

  test('two pools of the same name', () => {
    const cluster = new OpenStackCapiCluster(Testing.chart(), 'demo', MINIMAL_CLUSTER_PROPS);
    cluster.addNodePool('a', { name: 'workers', flavor: WORKER_FLAVOR });
    expect(errorOf(() => cluster.addNodePool('b', { name: 'workers', flavor: WORKER_FLAVOR })))
      .toMatch(/test\/demo\/b: name = "workers": must be unique within cluster "demo": test\/demo\/a has it already/);
  });

  test('two pools of the same id', () => {
    const cluster = new OpenStackCapiCluster(Testing.chart(), 'demo', MINIMAL_CLUSTER_PROPS);
    cluster.addNodePool('workers', { flavor: WORKER_FLAVOR });
    expect(errorOf(() => cluster.addNodePool('workers', { flavor: WORKER_FLAVOR })))
      .toMatch(/test\/demo: addNodePool id = "workers": must be unique within cluster "demo": test\/demo\/workers exists already/);
  });

  test('several mistakes are reported together, one line each', () => {
    const message = clusterError({ name: 'Bad', kubernetesVersion: '1.32', controlPlaneReplicas: 4 });
    expect(message.split('\n')).toEqual([
      '3 invalid input errors:',
      expect.stringMatching(/^ {2}- test\/demo: name = "Bad": /),
      expect.stringMatching(/^ {2}- test\/demo: kubernetesVersion = "1.32": /),
      expect.stringMatching(/^ {2}- test\/demo: controlPlaneReplicas = 4: /),
    ]);
  });

  test('an inline clouds.yaml that is empty is refused without printing it', () => {
    const message = clusterError({ credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml: '   ' }) });
    expect(message).toMatch(/credentials.cloudsYaml = "<redacted>": must be the non-empty content of clouds.yaml/);
  });
});
