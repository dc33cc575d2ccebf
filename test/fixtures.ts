import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ClusterNetwork, Flavor, MachineImage, OpenStackCapiCluster, OpenStackCapiClusterProps, OpenStackClusterClassProps, SecurityGroupRule } from '../src';

/** The fewest props a cluster needs, for tests that vary one prop at a time. */
export const MINIMAL_CLUSTER_PROPS: OpenStackCapiClusterProps = {
  kubernetesVersion: 'v1.32.4',
  controlPlaneFlavor: Flavor.named('m1.large'),
  image: MachineImage.fromName('ubuntu-2204-kube-v1.32.4'),
};

/** A ClusterClass "standard" in namespace "platform": the class's cluster choices, without worker classes. */
export const CLASS_BASE: Pick<OpenStackClusterClassProps, 'name' | 'namespace' | 'cluster'> = {
  name: 'standard',
  namespace: 'platform',
  cluster: {
    kubernetesVersion: 'v1.32.4',
    controlPlaneFlavor: Flavor.named('m1.large'),
    image: MachineImage.fromName('ubuntu-2404-kube-v1.32.4'),
    network: ClusterNetwork.managed({ cidr: '10.6.0.0/24', mtu: 1450 }),
    securityGroupRules: SecurityGroupRule.calico(),
  },
};

export const WORKER_FLAVOR = Flavor.of('m1.xlarge', { vcpus: 4, memoryMiB: 8192, diskGiB: 40 });

/** A chart holding a cluster named "demo" with the minimal props and the given overrides. */
export function clusterChart(overrides: Partial<OpenStackCapiClusterProps> = {}): { chart: Chart; cluster: OpenStackCapiCluster } {
  const chart = Testing.chart();
  const cluster = new OpenStackCapiCluster(chart, 'demo', { ...MINIMAL_CLUSTER_PROPS, ...overrides });
  return { chart, cluster };
}

/** The synthesized object of the given kind (and name, when several). */
export function objectOf(manifests: any[], kind: string, name?: string): any {
  const found = manifests.filter(m => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** The message of the error `build` throws; fails the test when it throws none. */
export function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, got none');
}

/** Every file below `dir`, with its content, by its path relative to `dir` (with "/"). */
export function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}
