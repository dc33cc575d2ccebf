import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTree } from './fixtures';

/**
 * The `cdk8s synth` command run on an app, as a user runs it. The command deletes its output
 * folder (`dist/` by default) before it runs the app: the GitOps folder must be another one, so
 * that a failed synth exits non-zero and leaves the previous GitOps output exactly as it was.
 */

const ROOT = path.join(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'capi-ubuntu-openstack');

/**
 * A new app with the example's `cluster.ts`, inside the repository so that it resolves cdk8s from
 * node_modules, importing the library's source. Removed after `body`.
 */
function withApp(files: Record<string, string>, body: (app: string) => void) {
  const app = fs.mkdtempSync(path.join(__dirname, '.cli-synth-'));
  try {
    fs.copyFileSync(path.join(EXAMPLE, 'cluster.ts'), path.join(app, 'cluster.ts'));
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', esModuleInterop: true, skipLibCheck: true, baseUrl: '.', paths: { 'cdk8s-capi-openstack': [path.join(ROOT, 'src')] } },
    }));
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(app, name), content);
    body(app);
  } finally {
    fs.rmSync(app, { recursive: true, force: true });
  }
}

function cdk8sSynth(cwd: string, app?: string) {
  return spawnSync('npx', ['cdk8s', 'synth', ...(app ? ['--app', app] : [])], {
    cwd,
    encoding: 'utf8',
    // Run the app against the library's source, without type-checking it again.
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
}

/** An app synthesizing the example's chart into a GitOpsApp made with `props`, optionally with a mistake. */
function mainTs(props: string, mistake = false): string {
  return [
    "import { GitOpsApp } from 'cdk8s-capi-openstack';",
    "import { CapiUbuntuOpenStack } from './cluster';",
    `const app = new GitOpsApp(${props});`,
    "const chart = new CapiUbuntuOpenStack(app, 'capi-ubuntu-openstack');",
    ...(mistake ? ["chart.node.addValidation({ validate: () => ['a planted mistake'] });"] : []),
    'app.synth();',
  ].join('\n');
}

const RUN_APP = 'npx ts-node -r tsconfig-paths/register';

test('`cdk8s synth` of the example: a failed synth exits non-zero and leaves dist/ untouched', () => {
  withApp({
    'cdk8s.yaml': fs.readFileSync(path.join(EXAMPLE, 'cdk8s.yaml'), 'utf8'),
    'main.ts': fs.readFileSync(path.join(EXAMPLE, 'main.ts'), 'utf8'),
    'failing-main.ts': mainTs("{ outdir: 'dist' }", true),
  }, app => {
    const good = cdk8sSynth(app);
    // (the command's own upgrade check may print an error when the registry is out of reach)
    if (good.status !== 0) throw new Error(`cdk8s synth failed:\n${good.stderr}`);
    const before = readTree(path.join(app, 'dist'));
    expect(Object.keys(before)).toContain('capi-ubuntu-openstack/kustomization.yaml');
    expect(fs.readdirSync(path.join(app, '.cdk8s-out'))).toEqual(['capi-ubuntu-openstack.k8s.yaml']);

    const bad = cdk8sSynth(app, `${RUN_APP} failing-main.ts`);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/capi-ubuntu-openstack: a planted mistake/);
    expect(readTree(path.join(app, 'dist'))).toEqual(before);
  });
}, 120_000);

test('`cdk8s synth` with every default: GitOps output in gitops/, one file per chart in the command\'s dist/', () => {
  withApp({
    // No `output`: the command's folder is dist/.
    'cdk8s.yaml': `language: typescript\napp: ${RUN_APP} main.ts\n`,
    'main.ts': mainTs(''),
    'failing-main.ts': mainTs('', true),
  }, app => {
    const good = cdk8sSynth(app);
    if (good.status !== 0) throw new Error(`cdk8s synth failed:\n${good.stderr}`);
    const gitops = readTree(path.join(app, 'gitops'));
    const objectFiles = Object.keys(gitops).filter(f => f.startsWith('capi-ubuntu-openstack/') && !f.endsWith('kustomization.yaml'));
    expect(Object.keys(gitops)).toEqual(expect.arrayContaining(['kustomization.yaml', 'capi-ubuntu-openstack/kustomization.yaml']));
    // The app says where its output went (on stderr: the command discards the app's stdout).
    expect(good.stderr).toContain(`GitOpsApp: wrote ${Object.keys(gitops).length} files to gitops/\n`);
    // The command's folder: one file per chart, with every object, as the command lists it.
    expect(fs.readdirSync(path.join(app, 'dist'))).toEqual(['capi-ubuntu-openstack.k8s.yaml']);
    expect(fs.readFileSync(path.join(app, 'dist', 'capi-ubuntu-openstack.k8s.yaml'), 'utf8').split(/^---$/m)).toHaveLength(objectFiles.length);
    expect(good.stdout).toContain('dist/capi-ubuntu-openstack.k8s.yaml');

    const bad = cdk8sSynth(app, `${RUN_APP} failing-main.ts`);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/capi-ubuntu-openstack: a planted mistake/);
    expect(readTree(path.join(app, 'gitops'))).toEqual(gitops);
  });
}, 120_000);
