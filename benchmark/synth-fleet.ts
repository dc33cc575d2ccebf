/**
 * One measured run, in its own process: synthesizes a fleet of N clusters with GitOpsApp into a
 * temporary folder, then serializes the very same objects again with the same YAML library (the
 * floor). Prints one JSON line of figures.
 *
 * usage: node synth-fleet.js N OUTDIR
 */
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { GitOpsApp } from 'cdk8s-capi-openstack';
import { FleetCluster, fleetClusterName } from './fleet';

const [n, outdir] = [Number(process.argv[2]), process.argv[3]];
const started = process.hrtime.bigint();
const app = new GitOpsApp({ outdir });
for (let i = 0; i < n; i++) new FleetCluster(app, fleetClusterName(i));
app.synth();
const synthMs = Number(process.hrtime.bigint() - started) / 1e6;

// The floor: the same objects, already plain JSON, to YAML with the same library.
const objects = app.synthManifests().flatMap(chart => chart.manifests);
const floorStarted = process.hrtime.bigint();
let floorBytes = 0;
for (const object of objects) floorBytes += Yaml.stringify(object).length;
const floorMs = Number(process.hrtime.bigint() - floorStarted) / 1e6;

let outputBytes = 0;
const walk = (dir: string) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full); else outputBytes += fs.statSync(full).size;
  }
};
walk(outdir);

console.log(JSON.stringify({
  synthMs, floorMs, floorBytes, outputBytes, objects: objects.length,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
}));
