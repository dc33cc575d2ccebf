import { GitOpsApp } from 'cdk8s-capi-openstack';
import { CapiUbuntuOpenStack } from './cluster';

// Writes dist/capi-ubuntu-openstack/ (one file per object, plus kustomization.yaml).
const app = new GitOpsApp();
new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
app.synth();
