/**
 * `npm run bench`: measures synth speed and memory from the example to a fleet of a thousand
 * clusters, against the floor of serializing the same objects to YAML, and prints a table.
 * Every figure is the median of several runs, each in a fresh process, with min and max.
 *
 * BENCH_RUNS (default 5) sets the number of runs; BENCH_FLEET (default "1,10,100,1000") the sizes.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const BUILD = path.join(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FLEET = (process.env.BENCH_FLEET ?? '1,10,100,1000').split(',').map(Number);

interface Run { wallMs: number; maxRssMiB: number; figures: any }

/** Runs a script of the build in a fresh node process and returns its figures. */
function runNode(script: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Run {
  const usageFile = path.join(os.tmpdir(), `bench-usage-${process.pid}.json`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', path.join(BUILD, 'benchmark', 'report-usage.js'), path.join(BUILD, script), ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, ...env, BENCH_USAGE_FILE: usageFile },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${script} failed:\n${result.stderr}`);
  const lastLine = result.stdout.trim().split('\n').pop() ?? '';
  const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
  return { wallMs, maxRssMiB: usage.maxRssMiB, figures: lastLine.startsWith('{') ? JSON.parse(lastLine) : {} };
}

function repeat(times: number, run: () => Run): Run[] {
  return Array.from({ length: times }, run);
}

/** median (min–max) of a figure over runs */
function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const fmt = (values: number[], unit: string, digits = 0) => {
  const s = stats(values);
  return `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
};

function tempOutdir(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'dist');
}

/**
 * A run that writes into a fresh temporary folder, removed afterwards. The disk's pending
 * writes are flushed first (sync), so that a run does not pay for the previous runs' output:
 * each starts from the state a user's synth meets.
 */
function writingRun(run: (outdir: string) => Run): Run {
  const outdir = tempOutdir();
  spawnSync('sync');
  try {
    return run(outdir);
  } finally {
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  }
}

const rows: string[][] = [];
const summary: string[] = [];

// 1. The example app, whole process, compiled JavaScript.
// (it writes dist/ in its working directory: a temporary one)
const example = repeat(RUNS, () => writingRun(outdir => runNode('examples/capi-ubuntu-openstack/main.js', [], {}, path.dirname(outdir))));
rows.push(['example app: whole-process synth', fmt(example.map(r => r.wallMs), 'ms'), fmt(example.map(r => r.maxRssMiB), 'MiB'), '', '']);
summary.push(`example ${(stats(example.map(r => r.wallMs)).median / 1000).toFixed(2)} s`);

// 2 and 3. Fleets, and the YAML floor of the same objects.
for (const n of FLEET) {
  const times = n >= 1000 ? Math.min(RUNS, 3) : RUNS;
  const synth = repeat(times, () => writingRun(outdir => runNode('benchmark/synth-fleet.js', ['synth', String(n), outdir])));
  const floor = repeat(times, () => runNode('benchmark/synth-fleet.js', ['floor', String(n)]));
  const synthMs = synth.map(r => r.figures.synthMs);
  const floorMs = floor.map(r => r.figures.floorMs);
  const ratio = stats(synthMs).median / stats(floorMs).median;
  rows.push([
    `fleet N=${n}: whole process; synth ${fmt(synthMs, 'ms')}, ${fmt(synthMs.map(t => t / n), 'ms', 1)} per cluster`,
    fmt(synth.map(r => r.wallMs), 'ms'),
    fmt(synth.map(r => r.maxRssMiB), 'MiB'),
    `${(synth[0].figures.outputBytes / 1024).toFixed(0)} KiB, ${floor[0].figures.objects} objects`,
    `${fmt(floorMs, 'ms')}; synth/floor ${ratio.toFixed(1)}×`,
  ]);
  if (n === Math.max(...FLEET)) {
    summary.unshift(`fleet-${n} ${(stats(synth.map(r => r.wallMs)).median / 1000).toFixed(1)} s whole process`
      + ` (${stats(synthMs).median / n < 10 ? (stats(synthMs).median / n).toFixed(1) : (stats(synthMs).median / n).toFixed(0)} ms/cluster),`
      + ` peak ${stats(synth.map(r => r.maxRssMiB)).median.toFixed(0)} MiB, synth/floor ${ratio.toFixed(1)}×`);
  }
}

// The largest fleet again, every cluster in one chart (one output folder).
{
  const n = Math.max(...FLEET);
  const runs = repeat(1, () => writingRun(outdir => runNode('benchmark/synth-fleet.js', ['synth', String(n), outdir], { FLEET_ONE_CHART: 'true' })));
  rows.push([`fleet N=${n} in one chart: whole process; synth ${fmt(runs.map(r => r.figures.synthMs), 'ms')}`,
    fmt(runs.map(r => r.wallMs), 'ms'), fmt(runs.map(r => r.maxRssMiB), 'MiB'), `${(runs[0].figures.outputBytes / 1024).toFixed(0)} KiB`, '']);
}

// 4. Validation of the example's output and of the fleets', schema compilation counted apart.
for (const [label, args, n] of [['example', ['example'], 1], ...FLEET.map(k => [`fleet N=${k}`, ['fleet', String(k)], k])] as Array<[string, string[], number]>) {
  const runs = repeat(n >= 1000 ? Math.min(RUNS, 3) : RUNS, () => runNode('benchmark/validate.js', args));
  const f = (key: string) => runs.map(r => r.figures[key]);
  rows.push([
    `validation of the ${label} output (${runs[0].figures.objectsChecked} objects, ${runs[0].figures.celRules} CEL rules): first run`
      + ` (schemas compiled: ${fmt(f('compileMs'), 'ms')}), then validation alone ${fmt(f('warmMs'), 'ms')}`,
    fmt(f('coldMs'), 'ms'),
    fmt(runs.map(r => r.maxRssMiB), 'MiB'),
    '',
    '',
  ]);
  if (label === 'example') summary.push(`validation of the example ${stats(f('coldMs')).median.toFixed(0)} ms with compilation`);
}

// 5. Cold require() of the library.
const requireRuns = repeat(RUNS, () => runNode('benchmark/require-time.js', []));
rows.push(['cold require() of the library', fmt(requireRuns.map(r => r.figures.requireMs), 'ms'), fmt(requireRuns.map(r => r.maxRssMiB), 'MiB'), '', '']);
summary.push(`require ${stats(requireRuns.map(r => r.figures.requireMs)).median.toFixed(0)} ms`);

console.log(`\nmachine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${RUNS} runs each (3 at N=1000): median (min–max)\n`);
console.log('| what | time | peak memory (RSS) | output | YAML floor |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(`\nbench: ${summary.join('; ')}`);
