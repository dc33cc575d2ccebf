import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  CloudCredentials, Flavor, MachineImage, OpenStackCapiCluster, SchemaValidator, SecurityGroupRule, UpstreamVersions,
} from '../src';

/**
 * The v1beta2 output has the shape of CAPO v0.14.7's own `templates/cluster-template.yaml` (CAPI
 * v1beta2 objects beside CAPO v1beta1 ones), field by field, apart from the deliberate differences
 * named below. The template is copied unmodified into test/golden/.
 */

const CLUSTER = 'capo-cluster';
const NAMESPACE = 'capo';

/** The template's variables, filled with the values the cluster below is given. */
const FILLED: Array<[string, string]> = [
  ['${CLUSTER_NAME}', CLUSTER],
  ['${WORKER_MACHINE_COUNT}', '2'],
  ['${OPENSTACK_FAILURE_DOMAIN}', 'nova'],
  ['${KUBERNETES_VERSION}', 'v1.33.1'],
  ['${CONTROL_PLANE_MACHINE_COUNT}', '3'],
  ['${OPENSTACK_EXTERNAL_NETWORK_ID}', '6c90b532-7ba0-418a-a276-5ae55060b5b0'],
  ['${OPENSTACK_CLOUD}', 'openstack'],
  ['${OPENSTACK_DNS_NAMESERVERS}', '8.8.8.8'],
  ['${OPENSTACK_CONTROL_PLANE_MACHINE_FLAVOR}', 'm1.large'],
  ['${OPENSTACK_NODE_MACHINE_FLAVOR}', 'm1.xlarge'],
  ['${OPENSTACK_IMAGE_NAME}', 'ubuntu-2404-kube-v1.33.1'],
  ['${OPENSTACK_SSH_KEY_NAME}', 'ops'],
];

/** Each deliberate difference: what the library writes instead of the template, and why. */
const DIFFERENCES: Array<{ why: string; apply: (objects: any[]) => any[] }> = [
  {
    why: 'The credentials Secret is referenced, never written (CloudCredentials.fromSecretName): nothing secret in Git.',
    apply: objects => objects.filter(o => o.kind !== 'Secret'),
  },
  {
    why: 'Every object names its namespace (the template leaves it to `kubectl -n`); a GitOps tool applies the files as they are.',
    apply: objects => objects.map(o => ({ ...o, metadata: { ...o.metadata, namespace: NAMESPACE } })),
  },
  {
    why: 'A pool is named "<cluster>-<pool>-worker" (its machine template too), and pools that register alike share one '
      + 'KubeadmConfigTemplate, "<cluster>-config-template".',
    apply: objects => objects.map(o => {
      const renamed = JSON.parse(JSON.stringify(o).split(`"${CLUSTER}-md-0"`).join(`"${CLUSTER}-md-0-worker"`));
      if (o.kind === 'KubeadmConfigTemplate') renamed.metadata.name = `${CLUSTER}-config-template`;
      if (o.kind === 'MachineDeployment') renamed.spec.template.spec.bootstrap.configRef.name = `${CLUSTER}-config-template`;
      return renamed;
    }),
  },
  {
    why: 'The Cluster and each MachineDeployment carry cluster.x-k8s.io/cluster-name: add-ons select the cluster by it.',
    apply: objects => objects.map(o => ['Cluster', 'MachineDeployment'].includes(o.kind)
      ? { ...o, metadata: { ...o.metadata, labels: { 'cluster.x-k8s.io/cluster-name': CLUSTER } } } : o),
  },
  {
    why: 'selector.matchLabels is {} rather than null: null is not a valid value (the API server drops it).',
    apply: objects => objects.map(o => o.kind === 'MachineDeployment' ? { ...o, spec: { ...o.spec, selector: { matchLabels: {} } } } : o),
  },
  {
    why: 'All traffic flows between the nodes by default (allowAllInClusterTraffic: true), as in the blog post; '
      + 'CAPO\'s default is false.',
    apply: objects => objects.map(o => o.kind === 'OpenStackCluster'
      ? { ...o, spec: { ...o.spec, managedSecurityGroups: { ...o.spec.managedSecurityGroups, allowAllInClusterTraffic: true } } } : o),
  },
  {
    why: 'The control plane rolls its machines 21 days before their certificates expire (rollout.before): kubeadm\'s '
      + 'certificates last a year (CAPI book, "Automatically rotate certificates on KCP").',
    apply: objects => objects.map(o => o.kind === 'KubeadmControlPlane'
      ? { ...o, spec: { ...o.spec, rollout: { before: { certificatesExpiryDays: 21 } } } } : o),
  },
];

function templateObjects(): any[] {
  let text = fs.readFileSync(path.join(__dirname, 'golden', 'capo-v0.14.7-cluster-template.yaml'), 'utf8');
  for (const [variable, value] of FILLED) text = text.split(variable).join(value);
  return parseAllDocuments(text).map(d => d.toJSON()).filter(Boolean);
}

function libraryObjects(): any[] {
  const chart = Testing.chart();
  const cluster = new OpenStackCapiCluster(chart, CLUSTER, {
    namespace: NAMESPACE,
    createNamespace: false,
    upstreamVersions: UpstreamVersions.CAPI_1_14_CAPO_0_14,
    kubernetesVersion: 'v1.33.1',
    externalNetworkId: '6c90b532-7ba0-418a-a276-5ae55060b5b0',
    dnsNameservers: ['8.8.8.8'],
    securityGroupRules: SecurityGroupRule.calico(),
    controlPlaneFlavor: Flavor.named('m1.large'),
    image: MachineImage.fromName('ubuntu-2404-kube-v1.33.1'),
    sshKeyName: 'ops',
    credentials: CloudCredentials.fromSecretName(`${CLUSTER}-cloud-config`, { cloudName: 'openstack' }),
    templateHashing: false,
  });
  cluster.addNodePool('md-0', { flavor: Flavor.named('m1.xlarge'), replicas: 2, failureDomain: 'nova' });
  return Testing.synth(chart);
}

const key = (o: any) => `${o.kind}/${o.metadata.name}`;

describe('the v1beta2 output has the shape of CAPO v0.14.7\'s cluster template', () => {
  const expected = new Map(DIFFERENCES.reduce((objects, d) => d.apply(objects), templateObjects()).map(o => [key(o), o]));
  const synthesized = new Map(libraryObjects().map(o => [key(o), o]));

  test('the same objects, and a MachineHealthCheck for the control plane and the pool (health checks are on by default)', () => {
    expect(expected.size).toBe(7);
    const healthChecks = [...synthesized.keys()].filter(k => k.startsWith('MachineHealthCheck/'));
    expect(healthChecks.sort()).toEqual([`MachineHealthCheck/${CLUSTER}-control-plane`, `MachineHealthCheck/${CLUSTER}-md-0-worker`]);
    expect([...synthesized.keys()].filter(k => !healthChecks.includes(k)).sort()).toEqual([...expected.keys()].sort());
  });

  test.each([...expected.keys()].sort())('%s has the same fields', name => {
    expect(synthesized.get(name)).toEqual(expected.get(name));
  });

  test('the template itself is valid against the pinned CAPI v1.14.0 + CAPO v0.14.7 schemas', () => {
    const validator = new SchemaValidator({ versions: UpstreamVersions.CAPI_1_14_CAPO_0_14 });
    expect(validator.validate([...expected.values()])).toEqual([]);
    expect(validator.validate([...synthesized.values()])).toEqual([]);
  });
});
