import { GitOpsApp } from 'cdk8s-capi-openstack';
import { CapiUbuntuOpenStack } from './cluster';

// Writes dist/capi-ubuntu-openstack/ (one file per object, plus kustomization.yaml), all or nothing.
// The folder is given explicitly: `cdk8s synth` empties its own output folder (.cdk8s-out) first.
const app = new GitOpsApp({ outdir: 'dist' });
new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
app.synth();
