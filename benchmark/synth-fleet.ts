/**
 * One measured run, in its own process, over a fleet of N clusters:
 * - `synth`: synthesizes the fleet with GitOpsApp into OUTDIR (the process does nothing else, so
 *   its wall time is the whole-process synth time);
 * - `floor`: builds the same objects, then times only their serialization to YAML with the same
 *   library, the floor synth cannot go below.
 * Prints one JSON line of figures.
 *
 * With FLEET_ONE_CHART=true, all clusters share one chart (one output folder) instead of a chart
 * each: nothing may grow with the size of a chart either.
 *
 * usage: node synth-fleet.js synth|floor N [OUTDIR]
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Yaml } from 'cdk8s';
import { GitOpsApp } from 'cdk8s-capi-openstack';
import { addFleetCluster, FleetCluster, fleetClusterName } from './fleet';

const [mode, n, outdir] = [process.argv[2], Number(process.argv[3]), process.argv[4]];

function fleetApp(): GitOpsApp {
  const app = new GitOpsApp({ outdir: outdir ?? 'unused' });
  if (process.env.FLEET_ONE_CHART === 'true') {
    const chart = new Chart(app, 'fleet');
    for (let i = 0; i < n; i++) addFleetCluster(chart, fleetClusterName(i));
  } else {
    for (let i = 0; i < n; i++) new FleetCluster(app, fleetClusterName(i));
  }
  return app;
}

function bytesBelow(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? bytesBelow(full) : fs.statSync(full).size);
  }, 0);
}

if (mode === 'synth') {
  const started = process.hrtime.bigint();
  fleetApp().synth();
  const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(JSON.stringify({ synthMs, outputBytes: bytesBelow(outdir) }));
} else {
  const objects = fleetApp().synthManifests().flatMap(chart => chart.manifests);
  const started = process.hrtime.bigint();
  for (const object of objects) Yaml.stringify(object);
  const floorMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(JSON.stringify({ floorMs, objects: objects.length }));
}
