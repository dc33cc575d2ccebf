import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CapiUbuntuOpenStack } from '../examples/capi-ubuntu-openstack/cluster';
import { GitOpsApp } from '../src';
import { main } from '../src/plan/diagram-cli';

/** The example's diagram, drawn by capi-diagram from its real output. */
function exampleDiagram(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-'));
  const app = new GitOpsApp({ outdir });
  new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
  app.synth();
  let out = '';
  expect(main([outdir], text => { out += text; })).toBe(0);
  return out;
}

describe('capi-diagram', () => {
  const diagram = exampleDiagram();
  const id = (label: string) => diagram.match(new RegExp(`^ {2}(n\\d+)\\["${label}`, 'm'))?.[1];

  test('draws the references: cluster, control plane, pools, templates, health checks, add-ons and what they carry', () => {
    const cluster = id('Cluster<br/>capi-ubuntu-openstack"');
    const kcp = id('KubeadmControlPlane<br/>');
    expect(diagram).toContain(`${cluster} -- infrastructure --> ${id('OpenStackCluster<br/>')}`);
    expect(diagram).toContain(`${cluster} -- control plane --> ${kcp}`);
    expect(diagram).toContain(`${kcp} -- machines --> ${id('OpenStackMachineTemplate<br/>capi-ubuntu-openstack-control-plane-')}`);
    expect(diagram).toContain(`${cluster} -- pool --> ${id('MachineDeployment<br/>capi-ubuntu-openstack-normal-worker')}`);
    expect(diagram).toContain(`${id('MachineHealthCheck<br/>capi-ubuntu-openstack-control-plane')} -. health .-> ${kcp}`);
    expect(diagram).toContain(`${id('ClusterResourceSet<br/>calico')} -. add-ons .-> ${cluster}`);
    expect(diagram).toMatch(new RegExp(`${id('ConfigMap<br/>calico')} -- carries --> (n\\d+)`));
    expect(diagram).toContain('["ServiceAccount<br/>ClusterRoleBinding<br/>Job"]');
  });

  test('the README shows the example\'s diagram as capi-diagram draws it (update the README when this fails)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const block = readme.split('<!-- capi-diagram examples/capi-ubuntu-openstack -->\n```mermaid\n')[1]?.split('```')[0];
    expect(block).toBe(diagram);
  });

  test('usage', () => {
    const out: string[] = [];
    expect(main([], t => out.push(t))).toBe(2);
    expect(main(['/nonexistent'], t => out.push(t))).toBe(3);
    expect(out.join('')).toMatch(/usage: capi-diagram PATH[^]*capi-diagram: \/nonexistent: no such file or folder/);
  });
});
