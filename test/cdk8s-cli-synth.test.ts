import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The example run by the `cdk8s synth` command, as a user runs it: a failed synth exits non-zero
 * and leaves the previous GitOps output exactly as it was (the command empties only its own
 * scratch folder).
 */

const ROOT = path.join(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'capi-ubuntu-openstack');

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach(e => {
    const full = path.join(d, e.name);
    if (e.isDirectory()) walk(full); else files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
  });
  walk(dir);
  return files;
}

function cdk8sSynth(cwd: string, app?: string) {
  return spawnSync('npx', ['cdk8s', 'synth', ...(app ? ['--app', app] : [])], {
    cwd,
    encoding: 'utf8',
    // Run the app against the library's source, without type-checking it again.
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
}

test('`cdk8s synth` of the example: a failed synth exits non-zero and leaves dist/ untouched', () => {
  // A copy of the example app inside the repository, so that it resolves cdk8s from node_modules.
  const app = fs.mkdtempSync(path.join(__dirname, '.cli-synth-'));
  try {
    for (const file of ['cdk8s.yaml', 'main.ts', 'cluster.ts']) fs.copyFileSync(path.join(EXAMPLE, file), path.join(app, file));
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', esModuleInterop: true, skipLibCheck: true, baseUrl: '.', paths: { 'cdk8s-capi-openstack': [path.join(ROOT, 'src')] } },
    }));
    fs.writeFileSync(path.join(app, 'failing-main.ts'), [
      "import { GitOpsApp } from 'cdk8s-capi-openstack';",
      "import { CapiUbuntuOpenStack } from './cluster';",
      "const app = new GitOpsApp({ outdir: 'dist' });",
      "const chart = new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');",
      "chart.node.addValidation({ validate: () => ['a planted mistake'] });",
      'app.synth();',
    ].join('\n'));

    const good = cdk8sSynth(app);
    // (the command's own upgrade check may print an error when the registry is out of reach)
    if (good.status !== 0) throw new Error(`cdk8s synth failed:\n${good.stderr}`);
    const before = readTree(path.join(app, 'dist'));
    expect(Object.keys(before)).toContain('capi-ubuntu-openstack/kustomization.yaml');

    const bad = cdk8sSynth(app, 'npx ts-node -r tsconfig-paths/register failing-main.ts');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/capi-ubuntu-openstack: a planted mistake/);
    expect(readTree(path.join(app, 'dist'))).toEqual(before);
  } finally {
    fs.rmSync(app, { recursive: true, force: true });
  }
}, 120_000);
