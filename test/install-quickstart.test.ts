import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The README's quick start, followed as written: install, then a new app made by
 * `cdk8s init typescript-app`, then `cdk8s synth` with the command's defaults.
 *
 * Here the app runs against the library's source (fast, on every test run). CI also runs it
 * against the packed library, installed from the tarball and type-checked (scripts/check-package.sh).
 */

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const QUICK_START = README.split('## Quick start')[1].split(/^## /m)[0];
// The files `cdk8s init typescript-app` writes, from the cdk8s-cli this repository uses.
const TEMPLATE = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** The quick start's shell commands, one per line, without comments. */
function commands(): string[] {
  return [...QUICK_START.matchAll(/```bash\n([\s\S]*?)```/g)]
    .flatMap(block => block[1].split('\n'))
    .map(line => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

test('the quick start installs the tarball `npx projen package:js` writes, and every peer dependency cdk8s init does not', () => {
  const tarball = `dist/js/${pkg.name}@${pkg.version}.jsii.tgz`;
  expect(commands()).toEqual(expect.arrayContaining([
    'npx projen compile && npx projen package:js',
    'npx cdk8s-cli init typescript-app',
    'npx cdk8s synth',
  ]));
  const install = commands().find(c => c.startsWith('npm install '))?.split(/\s+/).slice(2) ?? [];
  expect(install[0]).toMatch(new RegExp(`(^|/)${tarball.replace(/[.@]/g, '\\$&')}$`));
  const templateDeps = Object.keys(JSON.parse(fs.readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8')).dependencies);
  const missing = Object.keys(pkg.peerDependencies).filter(dep => !templateDeps.includes(dep) && !install.includes(dep));
  expect(missing).toEqual([]);
});

test('the quick start code, in a new cdk8s app, synthesizes with `cdk8s synth` and its defaults', () => {
  const code = QUICK_START.match(/```ts\n([\s\S]*?)```/)![1];
  // Inside the repository (and ignored by git), so that the app resolves cdk8s from node_modules.
  const app = fs.mkdtempSync(path.join(__dirname, '.cli-synth-quickstart-'));
  try {
    // The app as `cdk8s init typescript-app` makes it: its cdk8s.yaml and tsconfig.json as they are.
    for (const file of ['cdk8s.yaml', 'tsconfig.json']) fs.copyFileSync(path.join(TEMPLATE, file), path.join(app, file));
    fs.writeFileSync(path.join(app, 'main.ts'), code);
    // The library, as `npm install` would link it, but its source: a package whose main is src/index.ts.
    const shim = path.join(app, 'library');
    fs.mkdirSync(shim);
    fs.writeFileSync(path.join(shim, 'package.json'), JSON.stringify({ name: pkg.name, main: path.join(ROOT, 'src', 'index.ts') }));
    fs.mkdirSync(path.join(app, 'node_modules'));
    fs.symlinkSync(shim, path.join(app, 'node_modules', pkg.name), 'dir');

    const synth = spawnSync('npx', ['cdk8s', 'synth'], {
      cwd: app,
      encoding: 'utf8',
      // The library's source is type-checked by its own build; the packed declarations by CI.
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    // (the command's own upgrade check may print an error when the registry is out of reach)
    if (synth.status !== 0) throw new Error(`cdk8s synth failed:\n${synth.stderr}`);

    const gitops = fs.readdirSync(path.join(app, 'gitops', 'prod'));
    expect(fs.readFileSync(path.join(app, 'gitops', 'kustomization.yaml'), 'utf8')).toMatch(/resources:\n {2}- prod\n/);
    expect(gitops).toEqual(expect.arrayContaining(['kustomization.yaml', 'cluster-prod.yaml', 'machinedeployment-prod-gpu-worker.yaml']));
    expect(synth.stderr).toContain(`GitOpsApp: wrote ${gitops.length + 1} files to gitops/\n`);
    expect(fs.readdirSync(path.join(app, 'dist'))).toEqual(['prod.k8s.yaml']);
  } finally {
    fs.rmSync(app, { recursive: true, force: true });
  }
}, 120_000);
