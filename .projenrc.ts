import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-capi-openstack',
  description:
    'cdk8s constructs for Cluster API (CAPI) clusters on OpenStack (CAPO): typed, validated, GitOps-ready manifests.',
  keywords: ['cdk8s', 'cluster-api', 'capi', 'capo', 'openstack', 'kubernetes', 'gitops'],
  author: 'cdk8s-capi-openstack contributors',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/example/cdk8s-capi-openstack.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // cdk8s 2.x and constructs 10.x as peer dependencies (the projen defaults are 1.x / 3.x).
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.4.2',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  peerDeps: ['cdk8s-plus-30@^2.4.10'],
  // Runtime dependencies are bundled into the package, as jsii requires.
  bundledDeps: [
    'ipaddr.js@^2.2.0', // IPv4 CIDR parsing and overlap checks
    'semver@^7.7.0', // Kubernetes version comparison (skew policy)
    '@marcbachmann/cel-js@^8.0.0', // evaluates the CRDs' CEL x-kubernetes-validations rules
    'js-yaml@^5.5.0', // parses the pinned CRDs at first use, about 5x faster than yaml on them
    'yaml@2.9.1', // reads manifests as YAML 1.1, as kubectl does; writes the output with its stringifyString, the version cdk8s bundles
  ],
  // The CEL library is ES modules only: require() of it needs Node 20.19 or later.
  minNodeVersion: '20.19.0',
  devDeps: [
    'cdk8s-plus-30@2.4.10',
    // `cdk8s import` (used programmatically by scripts/import-crds.ts) and `cdk8s synth` for the example.
    'cdk8s-cli@2.207.60',
    '@types/semver@^7',
    'fast-check@^4.10.2', // property-based tests
    // Source of the Kubernetes v1.32 API schemas written to imports/kubernetes/ (exact pin: its
    // models are generated from the v1.32.0 OpenAPI document).
    '@kubernetes/client-node@1.1.2',
    'tsconfig-paths@^4', // resolves the example's import of the library to this repository's build
    '@types/node@^20',
  ],

  // CI is `.ci/run`; releases are not automated from this repository.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  jestOptions: {
    // A snapshot that drifts must fail the test run, never be rewritten silently.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    extraCliOptions: ['--json', '--outputFile=test-reports/jest.json'],
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
      // Tests run the example against the library's source, through its public entry point.
      moduleNameMapper: { '^cdk8s-capi-openstack$': '<rootDir>/src/index.ts' },
      // The CEL library ships ES modules only, which jest on Node 20 cannot load untransformed.
      transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
      transform: {
        '^.+\\.[t]sx?$': new javascript.Transform('ts-jest', { tsconfig: 'test/tsconfig.json' }),
        '^.+/@marcbachmann/cel-js/.+\\.js$': new javascript.Transform('ts-jest', {
          tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true },
        }),
      },
    },
  },
  eslintOptions: {
    dirs: ['src'],
    ignorePatterns: ['src/imports/**', 'examples/**/dist/**', 'examples/**/dist-argocd/**'],
  },
  gitignore: ['examples/*/dist/', 'examples/*/dist-argocd/', 'examples/*/node_modules/', '.cdk8s-out/', 'benchmark/.build/', 'test/.cli-synth-*/', 'test/.readme-*'],
});

// unrs-resolver (used by jest and the eslint import resolver) 1.13 has native bindings for this
// platform only on the registry reachable here; npm then leaves the other platforms' bindings
// out of the lock file, and `npm ci` refuses the lock. 1.12.2 is complete for every platform.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Snapshots are updated only by hand (`npx jest --ci=false -u <test>`), with the reason in the
// commit: no task rewrites them.
project.tasks.removeTask('test:update');

// Regenerates src/imports/ from the pinned CRD files in imports/ (no network).
project.addTask('import', {
  description: 'Regenerate the typed CRD classes in src/imports/ from the pinned CRDs in imports/',
  exec: 'ts-node --project test/tsconfig.json scripts/import-crds.ts',
});

// Regenerates imports/kubernetes/ (the built-in kinds' schemas) from @kubernetes/client-node.
project.addTask('import:kubernetes', {
  description: 'Regenerate the Kubernetes schemas in imports/kubernetes/ from @kubernetes/client-node',
  exec: 'node scripts/import-kubernetes-schemas.mjs',
});

// `npm run synth`: the README's main command. Each example app writes its own dist/.
const EXAMPLES = ['capi-ubuntu-openstack', 'production-cluster', 'blueprint-app', 'cluster-class', 'grandmothership'];
project.addTask('synth', {
  description: `Synthesize the example clusters into ${EXAMPLES.map(e => `examples/${e}/dist/`).join(' and ')}`,
  steps: [
    { spawn: 'compile' },
    ...EXAMPLES.map(example => ({ exec: 'ts-node -r tsconfig-paths/register main.ts', cwd: `examples/${example}` })),
  ],
});

// `npm run bench`: synth speed and memory, from the example to a fleet (see BENCHMARK.md).
project.addTask('bench', {
  description: 'Benchmark synth and validation speed and memory',
  steps: [
    { spawn: 'compile' },
    { exec: 'rm -rf benchmark/.build && tsc -p benchmark/tsconfig.json' },
    // The compiled apps import the library by its package name, as an installed app would.
    { exec: 'mkdir -p benchmark/.build/node_modules && ln -s ../../.. benchmark/.build/node_modules/cdk8s-capi-openstack' },
    { exec: 'node benchmark/.build/benchmark/run.js' },
  ],
});

// API.md documents the library's own constructs; the classes generated from the CRDs (the `capi`,
// `capo` and `capiV1beta2` submodules, thousands of types) get a file per submodule in docs/api/,
// linked from API.md's "Submodules" list. jsii-docgen writes those files beside its index, so the
// index is generated in docs/api/ and moved to the root with its links rewritten.
const API_DOCS = 'docs/api';
const docgen = project.tasks.tryFind('docgen')!;
docgen.description = `Generate API.md (the library's own API) and ${API_DOCS}/ (the generated CRD classes) from the .jsii manifest`;
docgen.reset(`rm -rf ${API_DOCS}`);
docgen.exec(`jsii-docgen --split-by-submodule -o ${API_DOCS}/API.md`);
docgen.exec(`node -e 'const fs = require("fs"); const index = fs.readFileSync("${API_DOCS}/API.md", "utf8"); `
  + `fs.writeFileSync("API.md", index.replace(/^- \\[(.+)\\]\\(\\.\\/(.+)\\)$/gm, "- [$1](./${API_DOCS}/$2)")); fs.rmSync("${API_DOCS}/API.md");'`);
project.annotateGenerated(`/${API_DOCS}/*.md`);
// The reference is read on GitHub; the package carries API.md only.
project.addPackageIgnore(`/${API_DOCS}/`);

// Upstream files that only the tests read stay out of the package; the CRDs (and the Kubernetes
// schemas) ship, for the validator.
for (const path of [
  '/examples/', '/scripts/', '/.ci/', '/benchmark/',
  '/imports/calico/', '/imports/autoscaler/', '/imports/cloud-provider-openstack/', '/imports/metrics-server/',
  '/imports/cluster-api-provider-openstack/*/templates/',
]) {
  project.addPackageIgnore(path);
}

project.synth();
