import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { VALIDATORS } from './fixtures';
import { main } from '../../src/validation/cli';

/**
 * Where a naive schema check and the API server part ways: each case is what the API server (with
 * the pinned CRDs) does, and the validator must do the same.
 */

const [validator] = VALIDATORS;
const ns = { namespace: 'demo' };

function configMapWithPayload(text: string): any[] {
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'addons', ...ns }, data: { 'addon.yaml': text } },
    {
      apiVersion: 'addons.cluster.x-k8s.io/v1beta1',
      kind: 'ClusterResourceSet',
      metadata: { name: 'addons', ...ns },
      spec: { clusterSelector: { matchLabels: { a: 'b' } }, resources: [{ kind: 'ConfigMap', name: 'addons' }] },
    },
  ];
}

function cli(args: string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  return { code: main(args, line => lines.push(line)), lines };
}

describe('secret values never reach an error message', () => {
  test('a misspelled Secret field', () => {
    const errors = validator.validate([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', ...ns }, stringdata: { password: 'hunter2' } }]);
    expect(errors).toEqual(['Secret/demo/s: stringdata = <not shown>: unknown field: the schema has no such field']);
  });

  test('a wrongly typed field named like a credential, in any kind', () => {
    const errors = validator.validate([{
      apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
      kind: 'KubeadmConfigTemplate',
      metadata: { name: 'k', ...ns },
      spec: { template: { spec: { files: [{ path: '/etc/key.pem', content: ['-----BEGIN RSA PRIVATE KEY-----'] }] } } },
    }]);
    expect(errors.join('\n')).toMatch(/files\[0\]\.content = <redacted>: must be of type string/);
    expect(errors.join('\n')).not.toContain('PRIVATE KEY');
  });
});

describe('kinds', () => {
  test('an unknown kind of a Cluster API group is an error, as "no matches for kind"', () => {
    expect(validator.validate([{ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'MachineDeploymnet', metadata: { name: 'x', ...ns }, spec: {} }]))
      .toEqual(['MachineDeploymnet/demo/x: kind = "MachineDeploymnet": is not a kind of cluster.x-k8s.io in CAPI v1.10.5 + CAPO v0.12.4 (a typo?)']);
  });

  test('every kind of the pinned releases is known, e.g. Machine and OpenStackMachine', () => {
    for (const v of VALIDATORS) {
      expect(v.validateObjects([
        { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Machine', metadata: { name: 'm', ...ns }, spec: { clusterName: 'c', bootstrap: { dataSecretName: 'd' }, infrastructureRef: { kind: 'OpenStackMachine', name: 'o' } } },
        { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'OpenStackMachine', metadata: { name: 'o', ...ns }, spec: { flavor: 'm1', image: { filter: { name: 'ubuntu' } } } },
      ])).toMatchObject({ errors: [], objectsWithoutSchema: 0 });
    }
  });

  test('a built-in kind at each of its served versions (autoscaling/v1 and v2)', () => {
    const hpa = (apiVersion: string, spec: any) => ({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', ...ns }, spec });
    expect(validator.validate([
      hpa('autoscaling/v1', { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 }),
      hpa('autoscaling/v2', { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 }),
    ])).toEqual([]);
  });
});

describe('values', () => {
  test('base64 with line breaks is valid byte data (Go\'s decoder skips them)', () => {
    expect(validator.validate([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', ...ns }, data: { k: 'aGVs\nbG8=' } }])).toEqual([]);
  });

  test('quantities are checked', () => {
    const errors = validator.validate([{
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', ...ns },
      spec: { containers: [{ name: 'c', image: 'x:1.0', resources: { requests: { memory: '512MB', cpu: '1 core' }, limits: { memory: '1Gi', cpu: 2 } } }] },
    }]);
    expect(errors).toEqual([
      expect.stringMatching(/requests\["memory"\] = "512MB": must be in format "quantity"|requests\.memory = "512MB": must be in format "quantity"/),
      expect.stringMatching(/cpu = "1 core": must be in format "quantity"/),
    ]);
  });

  test('status is not checked: the API server drops it when an object is created', () => {
    expect(validator.validate([{
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Cluster',
      metadata: { name: 'c', ...ns },
      spec: {},
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    }])).toEqual([]);
  });
});

describe('YAML as kubectl reads it', () => {
  test('times and dates stay strings', () => {
    const payload = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: demo\ndata:\n  time: 12:30\n  date: 2024-01-01\n';
    expect(validator.validate(configMapWithPayload(payload))).toEqual([]);
  });

  test('a payload that is a JSON list has each element checked', () => {
    const payload = JSON.stringify([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', namespace: 'kube-system' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'b', namespace: 'kube-system' }, automountServiceAccountToken: 'no' },
    ]);
    expect(validator.validate(configMapWithPayload(payload))).toEqual([
      'ServiceAccount/kube-system/b (in ConfigMap/demo/addons data["addon.yaml"] document 1): automountServiceAccountToken = "no": must be of type boolean',
    ]);
  });

  test('an alias bomb is reported, not thrown', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdef'[i]}`).join(', ')}]`)].join('\n');
    const errors = validator.validate(configMapWithPayload(bomb));
    expect(errors).toEqual([expect.stringMatching(/ConfigMap\/demo\/addons: data\["addon.yaml"\] = .*: a ClusterResourceSet resource must be YAML: document 1: /)]);
  });
});

describe('capi-validate', () => {
  test('a folder without objects is a usage error, not a pass', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'capi-validate-empty-'));
    expect(cli([empty])).toEqual({ code: 2, lines: [`capi-validate: no Kubernetes objects found in ${empty}`] });
  });

  test('--capi takes a release, not a bare major', () => {
    const { code, lines } = cli(['--capi', '1', '.']);
    expect(code).toBe(2);
    expect(lines[0]).toBe('capi-validate: --capi takes a CAPI release such as v1.13.5 or 1.13, not "1"');
  });
});
