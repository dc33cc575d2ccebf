import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { VALIDATORS } from './fixtures';
import { PLACEHOLDERS } from '../../examples/capi-ubuntu-openstack/cluster';
import { UpstreamVersions } from '../../src/validation';

/** Manifests written by others validate as they are, once their variables are filled. */

function parseObjects(text: string): any[] {
  return parseAllDocuments(text).map(d => d.toJS()).filter(Boolean);
}

function fill(text: string, values: Record<string, string>): string {
  let filled = text;
  for (const [placeholder, value] of Object.entries(values)) filled = filled.split(placeholder).join(value);
  return filled;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** CAPO's reference cluster, with what `clusterctl generate cluster` would substitute. */
const CAPO_TEMPLATE_VARIABLES = {
  '${CLUSTER_NAME}': 'capo-reference',
  '${CONTROL_PLANE_MACHINE_COUNT}': '3',
  '${WORKER_MACHINE_COUNT}': '2',
  '${KUBERNETES_VERSION}': 'v1.32.4',
  '${OPENSTACK_CLOUD_CACERT_B64}': base64('-----BEGIN CERTIFICATE-----\n'),
  '${OPENSTACK_CLOUD_YAML_B64}': base64('clouds:\n  openstack: {}\n'),
  '${OPENSTACK_CLOUD}': 'openstack',
  '${OPENSTACK_CONTROL_PLANE_MACHINE_FLAVOR}': 'm1.medium',
  '${OPENSTACK_NODE_MACHINE_FLAVOR}': 'm1.small',
  '${OPENSTACK_DNS_NAMESERVERS}': '8.8.8.8',
  '${OPENSTACK_EXTERNAL_NETWORK_ID}': PLACEHOLDERS.externalNetworkId,
  '${OPENSTACK_FAILURE_DOMAIN}': 'nova',
  '${OPENSTACK_IMAGE_NAME}': PLACEHOLDERS.imageName,
  '${OPENSTACK_SSH_KEY_NAME}': PLACEHOLDERS.sshKeyName,
};

/** The blog post's placeholders, filled with the example's values (as test/golden.test.ts does). */
const BLOG_POST_PLACEHOLDERS = {
  '<POD CIDR Block>': '192.168.0.0/16',
  '<External-NetworkID>': PLACEHOLDERS.externalNetworkId,
  '<Subnet CIDR block>': PLACEHOLDERS.nodeCidr,
  '<NameServer1>': PLACEHOLDERS.dnsNameservers[0],
  '<NameServer2>': PLACEHOLDERS.dnsNameservers[1],
  '<k8s-version>': 'v1.32.4',
  '<image-name>': PLACEHOLDERS.imageName,
  '<SSH-KeyName>>': PLACEHOLDERS.sshKeyName,
  '<SSH-KeyName>': PLACEHOLDERS.sshKeyName,
};

const capoTemplate = path.join(__dirname, '..', '..', 'imports', 'cluster-api-provider-openstack', 'v0.12.4', 'templates', 'cluster-template.yaml');
const blogPost = path.join(__dirname, '..', 'golden', 'blog-post-cluster.yaml');

describe.each(VALIDATORS.map(v => [v.versions.toString(), v]))('against %s', (_name, validator) => {
  test('CAPO\'s cluster-template.yaml validates with its variables filled', () => {
    const text = fill(fs.readFileSync(capoTemplate, 'utf8'), CAPO_TEMPLATE_VARIABLES);
    expect(text).not.toMatch(/\$\{/);
    const report = validator.validateObjects(parseObjects(text));
    expect(report.errors).toEqual([]);
    expect(report.objectsChecked).toBe(8);
    expect(report.objectsWithoutSchema).toBe(0);
  });

  test('CAPO\'s cluster-template.yaml is caught with its variables unfilled', () => {
    const errors = validator.validate(parseObjects(fs.readFileSync(capoTemplate, 'utf8')));
    expect(errors).toContainEqual(expect.stringMatching(/^MachineDeployment\/\$\{CLUSTER_NAME\}-md-0: spec\.replicas = "\$\{WORKER_MACHINE_COUNT\}": must be of type integer$/));
  });

  const blogPostTest = fs.existsSync(blogPost) ? test : test.skip;
  blogPostTest('the blog post\'s manifests validate with their placeholders filled', () => {
    const report = validator.validateObjects(parseObjects(fill(fs.readFileSync(blogPost, 'utf8'), BLOG_POST_PLACEHOLDERS)));
    expect(report.errors).toEqual([]);
    expect(report.objectsChecked).toBeGreaterThanOrEqual(9);
  });
});

test('both pinned pairs are covered', () => {
  expect(VALIDATORS.map(v => v.versions)).toEqual(UpstreamVersions.all());
});
