import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CloudCredentials, ClusterNetwork, Flavor, Fleet, FleetEntry, IFleetBlueprint, MachineImage, NetworkReference, OpenStackCapiCluster,
  OpenStackClusterClass, OpenStackClusterIdentity, OpenStackTopologyCluster, RouterReference,
} from '../src';
import { errorOf, MINIMAL_CLUSTER_PROPS } from './fixtures';

/** A blueprint whose values are cluster props: enough to make every cross-cluster case. */
const BLUEPRINT: IFleetBlueprint = {
  instantiate(scope: Construct, entry: FleetEntry) {
    const chart = new Chart(scope, entry.name);
    new OpenStackCapiCluster(chart, 'Cluster', { ...MINIMAL_CLUSTER_PROPS, name: entry.name, ...entry.values });
    return chart;
  },
};

const SCHEMA = {
  'type': 'object',
  'properties': {
    nodeCidr: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+$' },
    controlPlaneReplicas: { type: 'integer', enum: [1, 3, 5] },
  },
  'x-kubernetes-validations': [{ rule: '!has(self.controlPlaneReplicas) || self.controlPlaneReplicas != 1 || has(self.nodeCidr)', message: 'a single control plane needs its own nodeCidr' }],
};

function fleet(entries: FleetEntry[], schema?: any) {
  const app = Testing.app();
  const f = new Fleet(app, 'fleet', { blueprint: BLUEPRINT, entries, valuesSchema: schema });
  return { app, fleet: f, problems: () => app.node.findAll().flatMap(c => c.node.validate()) };
}

const SHARED_NETWORK = () => ClusterNetwork.existing({ network: NetworkReference.fromName('shared'), nodeCidr: '10.0.0.0/16' });

describe('Fleet', () => {
  test('one chart per entry, built by the blueprint, each cluster valid', () => {
    const { app, fleet: f, problems } = fleet([{ name: 'a', values: { nodeCidr: '10.1.0.0/24' } }, { name: 'b', values: { nodeCidr: '10.2.0.0/24' } }]);
    expect(Object.keys(f.members)).toEqual(['a', 'b']);
    expect(app.charts.map(c => c.node.path)).toEqual(['fleet/a', 'fleet/b']);
    expect(problems()).toEqual([]);
  });

  test('entries are checked against the values schema before anything is built, every error naming its entry', () => {
    const message = errorOf(() => fleet([
      { name: 'a', values: { nodeCidr: 'ten' } },
      { name: 'Bad_Name' },
      { name: 'c', values: { controlPlaneReplicas: 2, flavour: 'x' } },
      { name: 'd', values: { controlPlaneReplicas: 1 } },
      { name: 'a' },
      { name: 'e', team: 'x' } as any,
    ], SCHEMA));
    expect(message).toMatch(/fleet: entries\[0\] \(a\)\.values\.nodeCidr = "ten": must match the pattern/);
    expect(message).toMatch(/entries\[1\] \(Bad_Name\)\.name = "Bad_Name": must be a DNS-1123 label/);
    expect(message).toMatch(/entries\[2\] \(c\)\.values\.controlPlaneReplicas = 2: must be one of 1, 3, 5/);
    expect(message).toMatch(/entries\[2\] \(c\)\.values\.flavour = .*unknown field/);
    expect(message).toMatch(/entries\[3\] \(d\)\.values = .*a single control plane needs its own nodeCidr/);
    expect(message).toMatch(/entries\[4\] \(a\)\.name = "a": is the name of another entry/);
    expect(message).toMatch(/entries\[5\] \(e\)\.team = "x": is not a field of an entry/);
  });

  test('an inventory file, YAML or JSON; a broken one names the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));
    fs.writeFileSync(path.join(dir, 'inventory.yaml'), 'clusters:\n  - name: a\n    tenant: payments\n    values:\n      nodeCidr: 10.1.0.0/24\n');
    expect(Fleet.loadInventory(path.join(dir, 'inventory.yaml'))).toEqual([{ name: 'a', tenant: 'payments', values: { nodeCidr: '10.1.0.0/24' } }]);
    fs.writeFileSync(path.join(dir, 'inventory.json'), JSON.stringify({ clusters: [{ name: 'b' }] }));
    expect(Fleet.loadInventory(path.join(dir, 'inventory.json'))).toEqual([{ name: 'b' }]);
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'clusters: [\n');
    expect(errorOf(() => Fleet.loadInventory(path.join(dir, 'broken.yaml')))).toMatch(/^Fleet inventory .*broken.yaml: cannot be read as YAML or JSON/);
    fs.writeFileSync(path.join(dir, 'list.yaml'), '- name: a\n');
    expect(errorOf(() => Fleet.loadInventory(path.join(dir, 'list.yaml')))).toMatch(/list.yaml: must be an object with a list "clusters"/);
  });

  test('shared namespace, overlapping subnets on a shared network or router, one floating IP twice: refused at synth', () => {
    const { problems } = fleet([
      { name: 'a', values: { namespace: 'shared', network: SHARED_NETWORK(), apiServer: { floatingIp: '203.0.113.10' } } },
      { name: 'b', values: { namespace: 'shared', network: SHARED_NETWORK(), apiServer: { floatingIp: '203.0.113.10' } } },
      { name: 'c', values: { network: ClusterNetwork.managed({ cidr: '10.9.0.0/24', router: RouterReference.fromName('edge') }) } },
      { name: 'd', values: { network: ClusterNetwork.managed({ cidr: '10.9.0.0/25', router: RouterReference.fromName('edge') }) } },
      // Managed networks of their own: the same range twice is fine.
      { name: 'e', values: { nodeCidr: '10.7.0.0/24' } },
      { name: 'f', values: { nodeCidr: '10.7.0.0/24' } },
    ]);
    const list = problems().join('\n');
    expect(list).toMatch(/fleet: a \(fleet\/a\/Cluster\) and b \(fleet\/b\/Cluster\): share namespace "shared"/);
    expect(list).toMatch(/a .* and b .*: node subnets 10.0.0.0\/16 and 10.0.0.0\/16 overlap on a shared network \(\{"filter":\{"name":"shared"\}\}\)/);
    expect(list).toMatch(/a .* and b .*: both take the API server floating IP 203.0.113.10/);
    expect(list).toMatch(/c .* and d .*: node subnets 10.9.0.0\/24 and 10.9.0.0\/25 overlap on a shared router/);
    expect(list).not.toMatch(/e \(fleet\/e\/Cluster\) and f/);
    expect(problems()).toHaveLength(4);
  });

  test('credentials stay with their tenant: an identity admits each namespace and serves one tenant', () => {
    const app = Testing.app();
    const identities = new Chart(app, 'identities');
    const payments = new OpenStackClusterIdentity(identities, 'Payments', { name: 'payments', secretName: 'payments-clouds', secretNamespace: 'capo-system', allowedNamespaces: ['payments-dev'] });
    const f = new Fleet(app, 'fleet', {
      blueprint: BLUEPRINT,
      entries: [
        { name: 'payments-dev', tenant: 'payments', values: { credentials: payments.credentials() } },
        { name: 'payments-prod', tenant: 'payments', values: { credentials: payments.credentials(), nodeCidr: '10.2.0.0/24' } },
        { name: 'search-dev', tenant: 'search', values: { credentials: CloudCredentials.fromClusterIdentity('payments'), nodeCidr: '10.3.0.0/24' } },
      ],
    });
    const list = f.node.validate().join('\n');
    expect(list).toMatch(/payments-prod \(fleet\/payments-prod\/Cluster\): the OpenStackClusterIdentity "payments" does not admit namespace "payments-prod"/);
    expect(list).toMatch(/payments-dev .* and search-dev .*: tenants payments and search both use the OpenStackClusterIdentity "payments"/);
    expect(list).not.toMatch(/payments-dev \(fleet\/payments-dev\/Cluster\): the OpenStackClusterIdentity/);
  });
});

test('a fleet of topology clusters: they share their class\'s namespace, and are checked as plain ones', () => {
  const app = Testing.app();
  const classChart = new Chart(app, 'class');
  const cls = new OpenStackClusterClass(classChart, 'Class', {
    name: 'std',
    namespace: 'clusters',
    cluster: { kubernetesVersion: 'v1.32.4', controlPlaneFlavor: Flavor.named('m1.large'), image: MachineImage.fromName('img') },
    workerClasses: { general: { flavor: Flavor.named('m1.large') } },
  });
  const f = new Fleet(app, 'fleet', {
    blueprint: { instantiate: (scope, entry) => new OpenStackTopologyCluster(new Chart(scope, entry.name), 'Cluster', { name: entry.name, clusterClass: cls, kubernetesVersion: 'v1.32.4' }) },
    entries: [{ name: 'a' }, { name: 'b' }, { name: 'a2' }],
  });
  expect(f.node.validate()).toEqual([]);
});
