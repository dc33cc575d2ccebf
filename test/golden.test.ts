import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { CapiUbuntuOpenStack, PLACEHOLDERS } from '../examples/capi-ubuntu-openstack/cluster';
import { UpstreamVersions } from '../src';

/**
 * The example reproduces the blog post's cluster: same objects, same fields, apart from the
 * deliberate differences named below.
 */

/** The post's placeholders, filled with the example's values. */
const FILLED: Array<[string, string]> = [
  ['<POD CIDR Block>', '192.168.0.0/16'],
  ['<External-NetworkID>', PLACEHOLDERS.externalNetworkId],
  ['<Subnet CIDR block>', PLACEHOLDERS.nodeCidr],
  ['<NameServer1>', PLACEHOLDERS.dnsNameservers[0]],
  ['<NameServer2>', PLACEHOLDERS.dnsNameservers[1]],
  ['<k8s-version>', 'v1.32.4'],
  ['<image-name>', PLACEHOLDERS.imageName],
  // The post's control plane template has a stray ">" after this placeholder.
  ['<SSH-KeyName>>', PLACEHOLDERS.sshKeyName],
  ['<SSH-KeyName>', PLACEHOLDERS.sshKeyName],
];

/** Each deliberate difference: what the library writes instead of the post, and why. */
const DIFFERENCES: Array<{ why: string; apply: (obj: any) => void }> = [
  {
    why: 'The Cluster also carries cluster.x-k8s.io/cluster-name: the label the add-ons\' ClusterResourceSets select it by.',
    apply: obj => {
      if (obj.kind === 'Cluster') obj.metadata.labels['cluster.x-k8s.io/cluster-name'] = obj.metadata.name;
    },
  },
  {
    why: 'An autoscaled MachineDeployment leaves spec.replicas unset: CAPI starts it at min-size, and a '
      + 'replicas field re-applied by GitOps would fight the autoscaler.',
    apply: obj => {
      if (obj.kind === 'MachineDeployment') delete obj.spec.replicas;
    },
  },
  {
    why: 'selector.matchLabels is {} rather than null: null is not a valid value of that field '
      + '(the API server drops it, leaving the same empty selector).',
    apply: obj => {
      if (obj.kind === 'MachineDeployment') obj.spec.selector.matchLabels = {};
    },
  },
  {
    why: 'The memory capacity is what a node of the flavor offers, not its RAM (the post\'s "8G"): the kernel keeps '
      + 'RAM/64 + 128 MiB and the kubelet evicts below 100 MiB, so 8192 MiB of RAM announce 7836Mi (Flavor.nodeMemoryMiB). '
      + 'Announcing more lets the autoscaler pick a pool whose node cannot fit the pod.',
    apply: obj => {
      const annotations = obj.metadata.annotations ?? {};
      const key = 'capacity.cluster-autoscaler.kubernetes.io/memory';
      const announced: { [post: string]: string } = { '8G': '7836Mi', '4G': '3804Mi' };
      if (annotations[key]) annotations[key] = announced[annotations[key]];
    },
  },
  {
    why: 'The control plane rolls its machines 21 days before their certificates expire (rolloutBefore): kubeadm\'s '
      + 'certificates last a year, and a cluster not upgraded within it would stop (CAPI book, "Automatically rotate certificates on KCP").',
    apply: obj => {
      if (obj.kind === 'KubeadmControlPlane') obj.spec.rolloutBefore = { certificatesExpiryDays: 21 };
    },
  },
];

const GOLDEN_KINDS = ['Cluster', 'OpenStackCluster', 'KubeadmControlPlane', 'KubeadmConfigTemplate', 'MachineDeployment', 'OpenStackMachineTemplate'];

function byKindAndName(objects: any[]): Map<string, any> {
  return new Map(objects.filter(o => GOLDEN_KINDS.includes(o.kind)).map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

function blogPostObjects(): any[] {
  let text = fs.readFileSync(path.join(__dirname, 'golden', 'blog-post-cluster.yaml'), 'utf8');
  for (const [placeholder, value] of FILLED) text = text.split(placeholder).join(value);
  return parseAllDocuments(text).map(d => d.toJSON()).filter(Boolean);
}

describe('the example reproduces the blog post cluster', () => {
  const app = Testing.app();
  // The post's management cluster runs CAPI v1.10, whose objects are v1beta1 (v1beta2: golden-capo-template.test.ts).
  const chart = new CapiUbuntuOpenStack(app, 'golden', { templateHashing: false, upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12 });
  const synthesized = byKindAndName(Testing.synth(chart));
  const expected = blogPostObjects();
  for (const difference of DIFFERENCES) expected.forEach(difference.apply);
  const reference = byKindAndName(expected);

  test('the same objects', () => {
    expect(reference.size).toBe(9);
    expect([...synthesized.keys()].sort()).toEqual([...reference.keys()].sort());
  });

  test.each([...reference.keys()].sort())('%s has the same fields', key => {
    expect(synthesized.get(key)).toEqual(reference.get(key));
  });

  test('every placeholder of the post is filled', () => {
    expect(JSON.stringify(expected)).not.toMatch(/<[^>]+>/);
  });
});
