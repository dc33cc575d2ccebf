import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  CapiTesting, ClusterNetwork, Flavor, MachineImage, OpenStackClusterClass, OpenStackTopologyCluster, SecurityGroupRule,
} from '../src';

/**
 * Where the library's ClusterClass and topology cluster overlap CAPO v0.14.7's own
 * (`templates/clusterclass-dev-test.yaml` and `cluster-template-topology.yaml`, byte-exact copies in
 * test/golden/), they have its structure: the same template kinds and API versions in the same
 * slots, the identity set by the same patch, the same topology fields. CAPO's class goes further
 * in Flatcar/ORC specifics (ignition, imageRef) the library does not write.
 */
const golden = (file: string) => parseAllDocuments(fs.readFileSync(path.join(__dirname, 'golden', file), 'utf8')).map(d => d.toJSON());

describe('the ClusterClass against CAPO v0.14.7\'s clusterclass-dev-test.yaml', () => {
  const capo = golden('capo-v0.14.7-clusterclass-dev-test.yaml');
  const capoClass = capo.find(o => o.kind === 'ClusterClass');
  const chart = new Chart(Testing.app(), 'class');
  const cls = new OpenStackClusterClass(chart, 'Class', {
    name: 'dev-test',
    namespace: 'default',
    cluster: {
      kubernetesVersion: 'v1.32.4',
      controlPlaneFlavor: Flavor.named('m1.medium'),
      image: MachineImage.fromName('node-image'),
      network: ClusterNetwork.managed(),
      securityGroupRules: SecurityGroupRule.calico(),
    },
    workerClasses: { 'default-worker': { flavor: Flavor.named('m1.small') } },
  });
  const objects = CapiTesting.synth(chart);
  const ours = objects.find(o => o.kind === 'ClusterClass');
  const slot = (cc: any) => ({
    controlPlane: strip(cc.spec.controlPlane.templateRef),
    controlPlaneMachine: strip(cc.spec.controlPlane.machineInfrastructure.templateRef),
    infrastructure: strip(cc.spec.infrastructure.templateRef),
    workers: cc.spec.workers.machineDeployments.map((md: any) => ({
      class: md.class, bootstrap: strip(md.bootstrap.templateRef), infrastructure: strip(md.infrastructure.templateRef),
    })),
  });
  function strip(ref: any) {
    return { apiVersion: ref.apiVersion, kind: ref.kind };
  }

  test('the same template kinds and API versions in the same slots', () => {
    expect(ours.apiVersion).toBe(capoClass.apiVersion);
    expect(slot(ours)).toEqual(slot(capoClass));
    // Every template the class names is in the output, with that kind and version.
    for (const ref of [ours.spec.controlPlane.templateRef, ours.spec.infrastructure.templateRef]) {
      expect(objects.find(o => o.kind === ref.kind && o.metadata.name === ref.name).apiVersion).toBe(ref.apiVersion);
    }
    expect(cls.workerClassNames).toEqual(['default-worker']);
  });

  test('the identity is patched into the OpenStackClusterTemplate as CAPO\'s class does it', () => {
    const patchOf = (cc: any) => cc.spec.patches.find((p: any) => p.name === 'identityRef').definitions[0];
    expect(patchOf(ours)).toEqual(patchOf(capoClass));
    const variable = (cc: any) => cc.spec.variables.find((v: any) => v.name === 'identityRef').schema.openAPIV3Schema;
    expect(Object.keys(variable(ours).properties)).toEqual(expect.arrayContaining(Object.keys(variable(capoClass).properties)));
  });

  test('a topology cluster has the fields of CAPO\'s cluster-template-topology.yaml', () => {
    const capoCluster = golden('capo-v0.14.7-cluster-template-topology.yaml')[0];
    const cluster = new OpenStackTopologyCluster(chart, 'dev', {
      name: 'dev', clusterClass: cls, kubernetesVersion: 'v1.32.4', workers: [{ class: 'default-worker', name: 'md-0', replicas: 1 }],
    });
    const topology = cluster.clusterObject.toJson().spec.topology;
    expect(Object.keys(topology).sort()).toEqual(Object.keys(capoCluster.spec.topology).sort());
    const [ourPool, capoPool] = [topology.workers.machineDeployments[0], capoCluster.spec.topology.workers.machineDeployments[0]];
    expect(Object.keys(ourPool).sort()).toEqual(Object.keys(capoPool).sort());
    expect(topology.classRef).toEqual({ name: 'dev-test' });
    expect(topology.variables.find((v: any) => v.name === 'identityRef').value).toEqual({ name: 'dev-cloud-config', cloudName: 'openstack' });
  });
});
