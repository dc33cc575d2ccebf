import { Testing } from 'cdk8s';
import { clusterChart } from './fixtures';
import { findImages, findSecretMaterial, unpinnedReason } from './output-scan';
import { CapiUbuntuOpenStack } from '../examples/capi-ubuntu-openstack/cluster';
import { CloudCredentials, GitOpsApp } from '../src';

function exampleOutput(): any[] {
  const app = new GitOpsApp({ outdir: '/nonexistent' });
  new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
  return app.synthManifests().flatMap(chart => chart.manifests);
}

describe('safe for Git', () => {
  const output = exampleOutput();

  test('the example\'s whole output holds no secret-looking material', () => {
    expect(output.length).toBeGreaterThanOrEqual(10);
    expect(findSecretMaterial(output)).toEqual([]);
  });

  test('the scan finds planted credentials (it can fail)', () => {
    const cloudsYaml = 'clouds:\n  openstack:\n    auth:\n      password: s3cr3t-Pa55\n';
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const { chart } = clusterChart({ credentials: CloudCredentials.fromCloudsYaml({ cloudsYaml }) });
    warn.mockRestore();
    expect(findSecretMaterial(Testing.synth(chart))).toEqual(['Secret/demo-cloud-config: a clouds.yaml password']);
    expect(findSecretMaterial([{ kind: 'ConfigMap', metadata: { name: 'kc' }, data: { k: 'users:\n- user:\n    token: abcdefghijklmnopqrstuvwxyz' } }]))
      .toEqual(['ConfigMap/kc: a kubeconfig token']);
    expect(findSecretMaterial([{ kind: 'ConfigMap', metadata: { name: 'k' }, data: { k: '-----BEGIN RSA PRIVATE KEY-----' } }]))
      .toEqual(['ConfigMap/k: a private key']);
  });

  test('every image in the output is pinned, and none is always pulled', () => {
    const images = findImages(output);
    // the Calico Job's two containers, the CCM DaemonSet and the autoscaler Deployment, inside ConfigMaps
    expect(images.length).toBeGreaterThanOrEqual(4);
    for (const { where, image, pullPolicy } of images) {
      expect([where, unpinnedReason(image)]).toEqual([where, undefined]);
      expect([where, pullPolicy]).not.toEqual([where, 'Always']);
    }
  });

  test('the image scan finds unpinned images, even inside add-on ConfigMaps (it can fail)', () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: bitnami/kubectl:latest\n';
    const images = findImages([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'addon' }, data: { 'job.yaml': job } }]);
    expect(images).toEqual([{ where: 'Job/j container c', image: 'bitnami/kubectl:latest', pullPolicy: undefined }]);
    expect(unpinnedReason('bitnami/kubectl:latest')).toBe('tagged :latest');
    expect(unpinnedReason('busybox')).toBe('no tag (means :latest)');
    expect(unpinnedReason('localhost:5000/busybox')).toBe('no tag (means :latest)');
    expect(unpinnedReason('registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.1')).toBeUndefined();
  });
});
