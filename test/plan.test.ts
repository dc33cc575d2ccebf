import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, JsonPatch } from 'cdk8s';
import { MINIMAL_CLUSTER_PROPS } from './fixtures';
import { ClusterClassExample } from '../examples/cluster-class/clusters';
import {
  AddonStrategy, Flavor, GitOpsApp, HostedControlPlaneCluster, KamajiDataStore, MachineImage, OpenStackCapiCluster, OpenStackCapiClusterProps,
  OpenStackClusterClass, SecurityGroupRule,
} from '../src';
import { main } from '../src/plan/cli';

interface Variant {
  readonly cluster?: Partial<OpenStackCapiClusterProps>;
  readonly poolFlavor?: string;
  readonly poolReplicas?: number;
  readonly calicoStrategy?: AddonStrategy;
}

/** Synthesizes a cluster with a pool and Calico into `outdir`. */
function synth(outdir: string, v: Variant = {}): string {
  const app = new GitOpsApp({ outdir });
  const chart = new Chart(app, 'prod');
  const cluster = new OpenStackCapiCluster(chart, 'prod', { ...MINIMAL_CLUSTER_PROPS, securityGroupRules: SecurityGroupRule.calico(), ...v.cluster });
  cluster.addNodePool('workers', { flavor: Flavor.named(v.poolFlavor ?? 'm1.large'), replicas: v.poolReplicas ?? 2 });
  cluster.addCalico({ strategy: v.calicoStrategy });
  app.synth();
  return outdir;
}

function plan(...args: string[]) {
  const lines: string[] = [];
  const code = main(args, line => lines.push(line));
  return { code, text: lines.join('\n') };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));

/** Synthesizes the ClusterClass example into `outdir`, after `edit`. */
function classExample(outdir: string, edit: (chart: ClusterClassExample) => void = () => {}): string {
  const app = new GitOpsApp({ outdir });
  edit(new ClusterClassExample(app, 'cluster-class'));
  app.synth();
  return outdir;
}

describe('capi-plan', () => {
  test('no change: says so, exit 0', () => {
    const dir = tmp();
    expect(plan(synth(path.join(dir, 'a')), synth(path.join(dir, 'b')))).toEqual({ code: 0, text: '### capi-plan: no change\n' });
  });

  test('a Kubernetes upgrade rolls the control plane and the pool; old templates stay, protected from pruning', () => {
    const dir = tmp();
    const old = synth(path.join(dir, 'old'));
    const next = synth(path.join(dir, 'new'), { cluster: { kubernetesVersion: 'v1.33.1', image: MachineImage.fromName('ubuntu-2204-kube-v1.33.1') } });
    const { code, text } = plan(old, next);
    expect(code).toBe(0);
    expect(text).toMatch(/^### capi-plan: 1 namespace changed, 2 rollouts, 0 rejected edits/);
    expect(text).toMatch(/#### prod \(cluster prod\)/);
    expect(text).toMatch(/- control plane prod-control-plane rolls: 3 machines, one at a time \(version v1.32.4 → v1.33.1; machine template prod-control-plane-[0-9a-f]{8} → prod-control-plane-[0-9a-f]{8}/);
    expect(text).toMatch(/- pool prod-workers-worker rolls: 2 machines \(version v1.32.4 → v1.33.1; machine template /);
    expect(text).toMatch(/- OpenStackMachineTemplate\/prod-control-plane-[0-9a-f]{8}: kept \(prune protection\): delete it once no machine uses it/);
  });

  test('scaling a pool is no rollout; a new flavor rolls only that pool', () => {
    const dir = tmp();
    const old = synth(path.join(dir, 'old'));
    expect(plan(old, synth(path.join(dir, 'scaled'), { poolReplicas: 5 })).text).toMatch(/0 rollouts[^]*- pool prod-workers-worker: 2 → 5 machines/);
    const flavor = plan(old, synth(path.join(dir, 'flavor'), { poolFlavor: 'm1.xlarge' })).text;
    expect(flavor).toMatch(/1 rollout,/);
    expect(flavor).toMatch(/- pool prod-workers-worker rolls: 2 machines \(machine template prod-workers-worker-[0-9a-f]{8} → prod-workers-worker-[0-9a-f]{8}\)/);
  });

  test('edits the webhooks refuse: the OpenStackCluster\'s node network, a ClusterResourceSet\'s strategy; exit 1', () => {
    const dir = tmp();
    const old = synth(path.join(dir, 'old'));
    const { code, text } = plan(old, synth(path.join(dir, 'new'), { cluster: { nodeCidr: '10.7.0.0/24' }, calicoStrategy: AddonStrategy.RECONCILE }));
    expect(code).toBe(1);
    expect(text).toMatch(/\*\*Rejected: the sync will fail\*\*/);
    expect(text).toMatch(/- OpenStackCluster\/prod: spec.managedSubnets cannot change once the cluster exists \(CAPO's OpenStackCluster webhook\)/);
    expect(text).toMatch(/- ClusterResourceSet\/prod-calico: spec.strategy is immutable/);
    // Security group rules may change.
    const rules = plan(old, synth(path.join(dir, 'rules'), { cluster: { securityGroupRules: [...SecurityGroupRule.calico(), SecurityGroupRule.calicoVxlan()] } }));
    expect(rules.code).toBe(0);
    expect(rules.text).toMatch(/OpenStackCluster\/prod: updated \(security groups/);
  });

  test('--git REF: the previous output from a git revision', () => {
    const repo = tmp();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    synth(path.join(repo, 'gitops'));
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'first');
    synth(path.join(repo, 'gitops'), { poolReplicas: 4 });
    const { code, text } = plan('--git', 'HEAD', path.join(repo, 'gitops'));
    expect(code).toBe(0);
    expect(text).toMatch(/- pool prod-workers-worker: 2 → 4 machines/);
  });

  test('usage errors exit 2; a missing folder exits 3', () => {
    expect(plan().code).toBe(2);
    expect(plan('a').code).toBe(2);
    expect(plan('--git').code).toBe(2);
    expect(plan('/nonexistent/a', '/nonexistent/b')).toEqual({ code: 3, text: 'capi-plan: /nonexistent/b: no such file or folder' });
  });
});

describe('capi-plan --unreferenced-templates', () => {
  test('after a change, the previous output\'s templates are the ones nothing refers to; --remove deletes their files', () => {
    const dir = tmp();
    // Both outputs side by side, as a repository that kept the previous one would hold them.
    synth(path.join(dir, 'out', 'old'));
    synth(path.join(dir, 'out', 'new'), { poolFlavor: 'm1.xlarge' });
    fs.rmSync(path.join(dir, 'out', 'old', 'prod', 'machinedeployment-prod-workers-worker.yaml'));
    const { code, text } = plan('--unreferenced-templates', path.join(dir, 'out'));
    expect(code).toBe(0);
    const lines = text.split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kubectl -n prod delete openstackmachinetemplate prod-workers-worker-[0-9a-f]{8} {4}# .*out\/old\/prod\/openstackmachinetemplate-prod-workers-worker-[0-9a-f]{8}\.yaml$/);
    const file = lines[0].split('# ')[1];
    const removed = plan('--unreferenced-templates', '--remove', path.join(dir, 'out'));
    expect(removed.text).toContain(`capi-plan: removed ${file}`);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(path.join(path.dirname(file), 'kustomization.yaml'), 'utf8')).not.toContain(path.basename(file));
    expect(plan('--unreferenced-templates', path.join(dir, 'out')).text).toBe('capi-plan: no unreferenced template');
  });

  test('in a dump of the management cluster, a template a machine was cloned from or an old MachineSet uses is kept', () => {
    const dir = tmp();
    const template = (name: string) => ({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachineTemplate', metadata: { name, namespace: 'prod' }, spec: {} });
    const dump = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        template('cp-1'), template('cp-2'), template('w-1'), template('w-2'), template('w-3'),
        { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineSet', metadata: { name: 'ms-old', namespace: 'prod' }, spec: { template: { spec: { infrastructureRef: { kind: 'OpenStackMachineTemplate', name: 'w-1' } } } } },
        { apiVersion: 'cluster.x-k8s.io/v1beta2', kind: 'MachineDeployment', metadata: { name: 'md', namespace: 'prod' }, spec: { template: { spec: { infrastructureRef: { kind: 'OpenStackMachineTemplate', name: 'w-2' } } } } },
        { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta2', kind: 'KubeadmControlPlane', metadata: { name: 'cp', namespace: 'prod' }, spec: { machineTemplate: { spec: { infrastructureRef: { kind: 'OpenStackMachineTemplate', name: 'cp-2' } } } } },
        { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachine', metadata: { name: 'cp-x', namespace: 'prod', annotations: { 'cluster.x-k8s.io/cloned-from-name': 'cp-1' } } },
      ],
    };
    fs.writeFileSync(path.join(dir, 'dump.yaml'), JSON.stringify(dump));
    expect(plan('--unreferenced-templates', path.join(dir, 'dump.yaml')).text).toMatch(/^kubectl -n prod delete openstackmachinetemplate w-3 {4}#/);
    expect(plan('--unreferenced-templates').code).toBe(2);
  });
});

describe('capi-plan: topology clusters', () => {
  test('a version change upgrades the control plane, then the pools', () => {
    const dir = tmp();
    const old = classExample(path.join(dir, 'old'));
    const next = classExample(path.join(dir, 'new'), chart => {
      const dev = chart.clusters[0].clusterObject;
      dev.addJsonPatch(JsonPatch.replace('/spec/topology/version', 'v1.34.1'));
    });
    const { code, text } = plan(old, next);
    expect(code).toBe(0);
    expect(text).toMatch(/- cluster dev upgrades v1.33.2 → v1.34.1: the control plane's 1 machines first, then every pool \(general\)/);
  });
});

describe('capi-plan: version changes the webhooks refuse', () => {
  test('a control plane skipping a minor version: rejected (CAPI\'s KubeadmControlPlane webhook), exit 1', () => {
    const dir = tmp();
    const old = synth(path.join(dir, 'old'), { cluster: { kubernetesVersion: 'v1.31.5', image: MachineImage.fromName('ubuntu-2204-kube-v1.31.5') } });
    const next = synth(path.join(dir, 'new'), { cluster: { kubernetesVersion: 'v1.33.1', image: MachineImage.fromName('ubuntu-2204-kube-v1.33.1') } });
    const { code, text } = plan(old, next);
    expect(text).toMatch(/KubeadmControlPlane\/prod-control-plane: v1.31.5 → v1.33.1 skips a minor version: upgrade one minor at a time \(CAPI's KubeadmControlPlane webhook\)/);
    expect(code).toBe(1);
  });

  test('a topology cluster\'s downgrade or skipped minor: rejected (CAPI\'s Cluster webhook)', () => {
    const dir = tmp();
    const write = (outdir: string, version: string) => classExample(outdir, chart =>
      chart.clusters[0].clusterObject.addJsonPatch(JsonPatch.replace('/spec/topology/version', version)));
    const old = classExample(path.join(dir, 'old'));
    const down = plan(old, write(path.join(dir, 'down'), 'v1.32.4'));
    expect(down.text).toMatch(/cluster dev: spec.topology.version v1.33.2 → v1.32.4 is a downgrade, which is refused \(CAPI's Cluster webhook\)/);
    expect(down.code).toBe(1);
    expect(plan(old, write(path.join(dir, 'skip'), 'v1.35.0')).text).toMatch(/cluster dev: spec.topology.version v1.33.2 → v1.35.0 skips a minor version/);
    // A patch release of the next minor is one step.
    expect(plan(old, write(path.join(dir, 'next'), 'v1.34.3')).code).toBe(0);
  });

  test('a hosted control plane\'s downgrade: rejected (Kamaji\'s webhook); an upgrade rolls its pods, no machines', () => {
    const dir = tmp();
    const write = (outdir: string, kubernetesVersion: string) => {
      const app = new GitOpsApp({ outdir });
      const chart = new Chart(app, 'tenant');
      const dataStore = new KamajiDataStore(chart, 'Etcd', { name: 'default', endpoints: ['etcd-0.etcd.kamaji-system.svc:2379'], secretName: 'etcd-certs' });
      new HostedControlPlaneCluster(chart, 'blue', {
        name: 'blue', namespace: 'blue', kubernetesVersion, dataStore, image: MachineImage.fromName(`ubuntu-2404-kube-${kubernetesVersion}`),
      });
      app.synth();
      return outdir;
    };
    const old = write(path.join(dir, 'old'), 'v1.33.2');
    const down = plan(old, write(path.join(dir, 'down'), 'v1.32.4'));
    expect(down.text).toMatch(/KamajiControlPlane\/blue-control-plane: v1.33.2 → v1.32.4 is a downgrade, which is refused \(Kamaji's TenantControlPlane webhook/);
    expect(down.code).toBe(1);
    // Kamaji compares minors: a patch release down is accepted.
    expect(plan(old, write(path.join(dir, 'patch-down'), 'v1.33.1')).code).toBe(0);
    const up = plan(old, write(path.join(dir, 'up'), 'v1.34.1'));
    expect(up.text).toMatch(/hosted control plane blue-control-plane upgrades v1.33.2 → v1.34.1: its pods roll, no machines/);
    expect(up.code).toBe(0);
  });
});

describe('capi-plan: review of topology and class edits', () => {
  test('a topology cluster\'s nodeCidr cannot change: rejected, exit 1', () => {
    const dir = tmp();
    const { code, text } = plan(classExample(path.join(dir, 'old')), classExample(path.join(dir, 'new'), chart =>
      chart.clusters[2].clusterObject.addJsonPatch(JsonPatch.replace('/spec/topology/variables/4/value', '10.6.9.0/24'))));
    expect(text).toMatch(/cluster prod: variable nodeCidr 10.6.3.0\/24 → 10.6.9.0\/24: the OpenStackCluster's subnet cannot change/);
    expect(code).toBe(1);
  });

  test('--unreferenced-templates lists a class\'s own templates too', () => {
    const dir = tmp();
    const template = (kind: string, name: string) => ({ apiVersion: 'x/v1', kind, metadata: { name, namespace: 'c' }, spec: {} });
    fs.writeFileSync(path.join(dir, 'dump.yaml'), JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        template('KubeadmControlPlaneTemplate', 'k-old'), template('OpenStackClusterTemplate', 'o-old'), template('KubeadmControlPlaneTemplate', 'k-new'),
        {
          apiVersion: 'cluster.x-k8s.io/v1beta2',
          kind: 'ClusterClass',
          metadata: { name: 'c', namespace: 'c' },
          spec: { controlPlane: { templateRef: { kind: 'KubeadmControlPlaneTemplate', name: 'k-new' } } },
        },
      ],
    }));
    expect(plan('--unreferenced-templates', path.join(dir, 'dump.yaml')).text.split('\n').map(l => l.split('    #')[0])).toEqual([
      'kubectl -n c delete kubeadmcontrolplanetemplate k-old', 'kubectl -n c delete openstackclustertemplate o-old',
    ]);
  });
});

test('capi-plan: a class whose OpenStackClusterTemplate changes an immutable field is a rejected edit', () => {
  const dir = tmp();
  const write = (outdir: string, external?: string) => {
    const app = new GitOpsApp({ outdir });
    const chart = new Chart(app, 'class');
    new OpenStackClusterClass(chart, 'Class', {
      name: 'std',
      namespace: 'clusters',
      cluster: { ...MINIMAL_CLUSTER_PROPS, externalNetworkId: external },
      workerClasses: { general: { flavor: Flavor.named('m1.large') } },
    });
    app.synth();
    return outdir;
  };
  const { code, text } = plan(write(path.join(dir, 'old')), write(path.join(dir, 'new'), '6c90b532-7ba0-418a-a276-5ae55060b5b0'));
  expect(text).toMatch(/ClusterClass std: its OpenStackClusterTemplate changes spec.externalNetwork, which the OpenStackClusters of its clusters cannot change/);
  expect(code).toBe(1);
});
