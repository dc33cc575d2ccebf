import { GitOpsApp } from 'cdk8s-capi-openstack';
import { ClusterClassExample } from './clusters';

// Writes dist/cluster-class/: the class, its templates, and three topology clusters with their add-ons.
const app = new GitOpsApp({ outdir: 'dist' });
new ClusterClassExample(app, 'cluster-class');
app.synth();
