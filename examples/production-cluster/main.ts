import { GitOpsApp } from 'cdk8s-capi-openstack';
import { ProductionCluster } from './cluster';

// Writes dist/production-cluster/ (one file per object, plus kustomization.yaml), all or nothing.
// The folder is given explicitly: `cdk8s synth` empties its own output folder (.cdk8s-out) first.
const app = new GitOpsApp({ outdir: 'dist' });
// For a management cluster on CAPI v1.10 + CAPO v0.12 (v1beta1 objects), pass
// { upstreamVersions: UpstreamVersions.CAPI_1_10_CAPO_0_12, clusterIdentity: false, apiServerHealthMonitor: false }.
new ProductionCluster(app, 'production-cluster');
app.synth();
