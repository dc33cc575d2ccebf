import * as path from 'path';
import { Fleet, GitOpsApp, GitOpsDelivery } from 'cdk8s-capi-openstack';
import { TEAM_CLUSTER_BLUEPRINT, TEAM_CLUSTER_VALUES_SCHEMA } from './team-cluster';

// One app, one blueprint, the clusters of inventory.yaml; Argo CD delivers each from the repository.
const app = new GitOpsApp({
  outdir: 'dist',
  delivery: GitOpsDelivery.argoCd({ repoUrl: 'https://git.example.com/payments/clusters.git', targetRevision: 'main', outdir: 'dist-argocd' }),
});
const inventory = path.join(__dirname, 'inventory.yaml');
new Fleet(app, 'clusters', {
  blueprint: TEAM_CLUSTER_BLUEPRINT,
  entries: Fleet.loadInventory(inventory),
  valuesSchema: TEAM_CLUSTER_VALUES_SCHEMA,
  source: 'inventory.yaml',
});
app.synth();
