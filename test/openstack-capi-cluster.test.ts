import { Testing } from 'cdk8s';
import { CloudCredentials, Flavor, MachineImage, OpenStackCapiClusterProps, SecurityGroupRule } from '../src';
import { args, capiApiVersion, controlPlaneInfrastructureRef, PAIRS, ref } from './api-views';
import { clusterChart as anyClusterChart, objectOf } from './fixtures';

describe.each(PAIRS)('OpenStackCapiCluster (%s)', (_pair, upstreamVersions) => {
  const clusterChart = (overrides: Partial<OpenStackCapiClusterProps> = {}) => anyClusterChart({ upstreamVersions, ...overrides });

  test('minimal cluster: defaults and snapshot', () => {
    const { chart } = clusterChart();
    const manifests = Testing.synth(chart);
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'Namespace/demo',
      expect.stringMatching(/^OpenStackMachineTemplate\/demo-control-plane-[0-9a-f]{8}$/),
      'OpenStackCluster/demo',
      'KubeadmControlPlane/demo-control-plane',
      'MachineHealthCheck/demo-control-plane',
      'Cluster/demo',
    ]);
    expect(manifests).toMatchSnapshot();
  });

  test('the Cluster references its control plane and infrastructure and carries its networks', () => {
    const { chart } = clusterChart({ podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], serviceDomain: 'k8s.internal' });
    const cluster = objectOf(Testing.synth(chart), 'Cluster');
    expect(cluster.apiVersion).toBe(capiApiVersion('cluster.x-k8s.io', upstreamVersions));
    expect(cluster.metadata.labels).toEqual({ 'cluster.x-k8s.io/cluster-name': 'demo' });
    expect(cluster.spec.clusterNetwork).toEqual({
      pods: { cidrBlocks: ['10.244.0.0/16'] }, services: { cidrBlocks: ['10.96.0.0/12'] }, serviceDomain: 'k8s.internal',
    });
    expect(ref(cluster.spec.controlPlaneRef)).toEqual({ group: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlane', name: 'demo-control-plane' });
    expect(ref(cluster.spec.infrastructureRef)).toEqual({ group: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackCluster', name: 'demo' });
  });

  test('the Namespace is never pruned nor deleted by a GitOps tool: it holds the credentials CAPO deletes the servers with', () => {
    expect(objectOf(Testing.synth(clusterChart().chart), 'Namespace').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
  });

  test('name, namespace and labels', () => {
    const { chart } = clusterChart({ name: 'prod', namespace: 'clusters', labels: { env: 'prod' }, createNamespace: false });
    const manifests = Testing.synth(chart);
    expect(manifests.find(m => m.kind === 'Namespace')).toBeUndefined();
    for (const m of manifests) expect(m.metadata.namespace).toBe('clusters');
    expect(objectOf(manifests, 'Cluster').metadata).toMatchObject({ name: 'prod', labels: { 'env': 'prod', 'cluster.x-k8s.io/cluster-name': 'prod' } });
  });

  test('OpenStackCluster: load balancer, external network, subnet, DNS, security groups, credentials', () => {
    const { chart } = clusterChart({
      apiServerLoadBalancer: false,
      controlPlaneReplicas: 1,
      externalNetworkId: '6c90b532-7ba0-418a-a276-5ae55060b5b0',
      nodeCidr: '10.8.0.0/24',
      dnsNameservers: ['1.1.1.1'],
      allowAllInClusterTraffic: false,
      securityGroupRules: [...SecurityGroupRule.calico(), SecurityGroupRule.calicoVxlan()],
      credentials: CloudCredentials.fromSecretName('my-creds', { cloudName: 'prod' }),
    });
    const spec = objectOf(Testing.synth(chart), 'OpenStackCluster').spec;
    expect(spec.apiServerLoadBalancer).toEqual({ enabled: false });
    expect(spec.externalNetwork).toEqual({ id: '6c90b532-7ba0-418a-a276-5ae55060b5b0' });
    expect(spec.managedSubnets).toEqual([{ cidr: '10.8.0.0/24', dnsNameservers: ['1.1.1.1'] }]);
    expect(spec.identityRef).toEqual({ cloudName: 'prod', name: 'my-creds' });
    expect(spec.managedSecurityGroups.allowAllInClusterTraffic).toBe(false);
    expect(spec.managedSecurityGroups.allNodesSecurityGroupRules.map((r: any) => [r.name, r.protocol, r.portRangeMin ?? null]))
      .toEqual([['BGP (Calico)', 'tcp', 179], ['IP-in-IP (calico)', '4', null], ['VXLAN (calico)', 'udp', 4789]]);
  });

  test('defaults: LB on, no external network, CAPO subnet, credentials Secret by name', () => {
    const spec = objectOf(Testing.synth(clusterChart().chart), 'OpenStackCluster').spec;
    expect(spec.apiServerLoadBalancer).toEqual({ enabled: true });
    expect(spec.externalNetwork).toBeUndefined();
    expect(spec.managedSubnets).toEqual([{ cidr: '10.6.0.0/24' }]);
    expect(spec.identityRef).toEqual({ cloudName: 'openstack', name: 'demo-cloud-config' });
    expect(spec.managedSecurityGroups).toEqual({ allowAllInClusterTraffic: true });
  });

  test('KubeadmControlPlane: replicas, version, external cloud provider, node name', () => {
    const { chart } = clusterChart({ controlPlaneReplicas: 5, kubernetesVersion: 'v1.31.2', nodeName: '{{ ds.meta_data.name }}' });
    const kcp = objectOf(Testing.synth(chart), 'KubeadmControlPlane');
    expect(kcp.spec.replicas).toBe(5);
    expect(kcp.spec.version).toBe('v1.31.2');
    expect(args(kcp.spec.kubeadmConfigSpec.clusterConfiguration.controllerManager.extraArgs)).toEqual({ 'cloud-provider': 'external' });
    for (const phase of ['initConfiguration', 'joinConfiguration']) {
      const registration = kcp.spec.kubeadmConfigSpec[phase].nodeRegistration;
      expect({ ...registration, kubeletExtraArgs: args(registration.kubeletExtraArgs) }).toEqual({
        kubeletExtraArgs: { 'cloud-provider': 'external', 'provider-id': "openstack:///'{{ instance_id }}'" },
        name: '{{ ds.meta_data.name }}',
      });
    }
  });

  test('control plane machine template: flavor, image by name or id, SSH key', () => {
    const byName = objectOf(Testing.synth(clusterChart({ sshKeyName: 'ops' }).chart), 'OpenStackMachineTemplate');
    expect(byName.spec.template.spec).toEqual({ flavor: 'm1.large', image: { filter: { name: 'ubuntu-2204-kube-v1.32.4' } }, sshKeyName: 'ops' });
    const byId = objectOf(Testing.synth(clusterChart({ image: MachineImage.fromId('2f6bc1a4-0b5d-4a3f-9d3e-6f1f2f0c8a11') }).chart), 'OpenStackMachineTemplate');
    expect(byId.spec.template.spec.image).toEqual({ id: '2f6bc1a4-0b5d-4a3f-9d3e-6f1f2f0c8a11' });
  });

  test('template names end with a hash of their spec, which changes with the spec', () => {
    const name = (flavor: string) => objectOf(Testing.synth(clusterChart({ controlPlaneFlavor: Flavor.named(flavor) }).chart), 'OpenStackMachineTemplate').metadata.name;
    expect(name('m1.large')).toBe(name('m1.large'));
    expect(name('m1.large')).not.toBe(name('m1.xlarge'));
    const { chart } = clusterChart();
    const manifests = Testing.synth(chart);
    const template = objectOf(manifests, 'OpenStackMachineTemplate');
    expect(controlPlaneInfrastructureRef(objectOf(manifests, 'KubeadmControlPlane')).name).toBe(template.metadata.name);
    expect(template.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
  });

  test('templateHashing: false keeps fixed names without prune protection', () => {
    const template = objectOf(Testing.synth(clusterChart({ templateHashing: false }).chart), 'OpenStackMachineTemplate');
    expect(template.metadata).toEqual({ name: 'demo-control-plane', namespace: 'demo' });
  });

  test('inline clouds.yaml is an explicit opt-in: a labelled, protected Secret and a warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const { chart } = clusterChart({ credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml: 'clouds: {openstack: {}}\n' }) });
    const secret = objectOf(Testing.synth(chart), 'Secret');
    expect(secret.metadata).toEqual({
      name: 'demo-cloud-config',
      namespace: 'demo',
      labels: { 'clusterctl.cluster.x-k8s.io/move': 'true' },
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
    });
    expect(secret.data).toEqual({ 'cacert': 'Cg==', 'clouds.yaml': Buffer.from('clouds: {openstack: {}}\n').toString('base64') });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('Do not commit it to Git unencrypted'));
    warn.mockRestore();
  });

  test('by default no Secret is synthesized', () => {
    expect(Testing.synth(clusterChart().chart).filter(m => m.kind === 'Secret')).toEqual([]);
  });
});
