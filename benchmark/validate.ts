/**
 * One measured run of the schema validator, in its own process: builds the objects (not timed),
 * validates them once cold (reading and compiling the schemas it needs) and once more warm
 * (validation only). Schema compilation is the difference. Prints one JSON line of figures.
 *
 * usage: node validate.js example | node validate.js fleet N
 */
import { GitOpsApp, SchemaValidator } from 'cdk8s-capi-openstack';
import { FleetCluster, fleetClusterName } from './fleet';
import { CapiUbuntuOpenStack } from '../examples/capi-ubuntu-openstack/cluster';

const [what, n] = [process.argv[2], Number(process.argv[3] ?? 1)];
const app = new GitOpsApp({ validateSchemas: false });
if (what === 'example') new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');
else for (let i = 0; i < n; i++) new FleetCluster(app, fleetClusterName(i));
const objects = app.synthManifests().flatMap(chart => chart.manifests);

const time = (run: () => unknown) => {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / 1e6;
};
let report: ReturnType<SchemaValidator['validateObjects']> | undefined;
const coldMs = time(() => { report = new SchemaValidator().validateObjects(objects); });
const warmMs = time(() => new SchemaValidator().validateObjects(objects));
if (report!.errors.length > 0) throw new Error(report!.errors.join('\n'));
console.log(JSON.stringify({
  coldMs, warmMs, compileMs: Math.max(0, coldMs - warmMs), objectsChecked: report!.objectsChecked, celRules: report!.celRulesEvaluated,
}));
