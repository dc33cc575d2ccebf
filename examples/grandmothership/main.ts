import { GitOpsApp } from 'cdk8s-capi-openstack';
import { Mothership, Tenants } from './clusters';

// Two levels, two GitOps folders: dist/mothership/ for the seed's management cluster, and
// dist/grandmothership/ for the grandmothership once it manages clusters itself.
const mothership = new GitOpsApp({ outdir: 'dist/mothership' });
new Mothership(mothership, 'grandmothership');
mothership.synth();

const grandmothership = new GitOpsApp({ outdir: 'dist/grandmothership' });
new Tenants(grandmothership, 'tenants');
grandmothership.synth();
