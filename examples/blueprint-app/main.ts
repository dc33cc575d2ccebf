import { GitOpsApp, GitOpsDelivery } from 'cdk8s-capi-openstack';
import { ClusterSize, TeamCluster } from './team-cluster';

// One app, one blueprint, three environments; Argo CD delivers each from the repository.
const app = new GitOpsApp({
  outdir: 'dist',
  delivery: GitOpsDelivery.argoCd({ repoUrl: 'https://git.example.com/payments/clusters.git', targetRevision: 'main', outdir: 'dist-argocd' }),
});
new TeamCluster(app, 'payments-dev', { team: 'payments', environment: 'dev', size: ClusterSize.SMALL, kubernetesVersion: 'v1.33.2', nodeCidr: '10.30.1.0/24' });
new TeamCluster(app, 'payments-staging', { team: 'payments', environment: 'staging', size: ClusterSize.MEDIUM, kubernetesVersion: 'v1.32.4', nodeCidr: '10.30.2.0/24' });
new TeamCluster(app, 'payments-prod', { team: 'payments', environment: 'prod', size: ClusterSize.LARGE, kubernetesVersion: 'v1.32.4', nodeCidr: '10.30.3.0/24' });
app.synth();
