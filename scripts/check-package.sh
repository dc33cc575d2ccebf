#!/usr/bin/env bash
# Installs the packed library (dist/js/*.tgz) into a fresh app, the way a user's `npm install`
# would, synthesizes the examples there, and compares the output with the repository's own synth:
# a file missing from the package fails here, not for a user. Then follows the README's quick
# start in a new app as `cdk8s init typescript-app` makes it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARBALL=$(ls "$ROOT"/dist/js/*.tgz | head -1)
EXAMPLE="$ROOT/examples/capi-ubuntu-openstack"
APP=$(mktemp -d)
trap 'rm -rf "$APP"' EXIT

# the versions this repository builds and tests with
dev() { node -p "require('$ROOT/node_modules/$1/package.json').version"; }

cp "$EXAMPLE"/cluster.ts "$EXAMPLE"/main.ts "$APP"/
cd "$APP"
cat > package.json <<JSON
{ "name": "example-app", "version": "0.0.0", "private": true }
JSON
cat > tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": true, "types": ["node"] } }
JSON
npm install --no-audit --no-fund --loglevel=error "$TARBALL" \
  "cdk8s@$(dev cdk8s)" "constructs@$(dev constructs)" "cdk8s-plus-30@$(dev cdk8s-plus-30)" \
  "ts-node@$(dev ts-node)" "typescript@$(dev typescript)" "@types/node@$(dev @types/node)" "cdk8s-cli@$(dev cdk8s-cli)"
npx ts-node main.ts
diff -r "$APP/dist" "$EXAMPLE/dist"
echo "packed library: example output identical ($(find "$APP/dist" -type f | wc -l) files)"
# The validator's command and the schemas it reads ship in the package: the example (v1beta2)
# validates against every pinned pair that serves v1beta2, each object's kind found in their schemas.
# (--all-versions would also take CAPI v1.10, which serves v1beta1 only and refuses the example.)
PAIRS=$(node -p "require('cdk8s-capi-openstack').UpstreamVersions.all()
  .filter(v => v.clusterApiVersion === 'v1beta2').map(v => '--capi ' + v.clusterApi).join(' ')")
npx capi-validate $PAIRS dist | tee "$APP/validate.txt"
if grep -q 'without a pinned schema' "$APP/validate.txt"; then
  echo "capi-validate: a schema is missing from the package" >&2
  exit 1
fi

# The production example too, from the same installed package.
PRODUCTION="$ROOT/examples/production-cluster"
mkdir "$APP/production"
cp "$PRODUCTION"/cluster.ts "$PRODUCTION"/main.ts "$APP/production"/
(cd "$APP/production" && ln -s ../node_modules node_modules && npx ts-node -P ../tsconfig.json main.ts)
diff -r "$APP/production/dist" "$PRODUCTION/dist"
npx capi-validate $PAIRS "$APP/production/dist" | tee "$APP/validate-production.txt"
# metrics-server's APIService (apiregistration.k8s.io) is the one kind the pinned Kubernetes
# schemas lack (@kubernetes/client-node has no model of it): any other schema-less object fails.
if grep -q 'without a pinned schema' "$APP/validate-production.txt" \
  && ! { grep -q ' 1 object of a kind without a pinned schema' "$APP/validate-production.txt" && grep -rq 'kind: APIService' "$APP/production/dist"; }; then
  echo "capi-validate: a schema is missing from the package" >&2
  exit 1
fi
echo "packed library: production example output identical ($(find "$APP/production/dist" -type f | wc -l) files)"

# The README's quick start: it installs this very tarball; its code, in an app with the cdk8s.yaml
# and tsconfig.json of `cdk8s init typescript-app` (type-checked against the packed declarations),
# synthesizes with `cdk8s synth` and the command's defaults.
grep -qF "dist/js/$(basename "$TARBALL") " "$ROOT/README.md" \
  || { echo "README.md: the quick start should install dist/js/$(basename "$TARBALL")" >&2; exit 1; }
mkdir "$APP/quickstart"
cd "$APP/quickstart"
cp "$ROOT"/node_modules/cdk8s-cli/templates/typescript-app/{cdk8s.yaml,tsconfig.json} .
node -e 'process.stdout.write(require("fs").readFileSync(process.argv[1], "utf8").split("## Quick start")[1].match(/```ts\n([\s\S]*?)```/)[1])' \
  "$ROOT/README.md" > main.ts
npx cdk8s synth
test -f gitops/prod/kustomization.yaml
test "$(ls dist)" = prod.k8s.yaml
npx capi-validate gitops
echo "packed library: the README quick start synthesizes with cdk8s synth ($(find gitops -type f | wc -l) files in gitops/)"

# The blueprint app: a team's own app with its own package.json and snapshot tests, as a user keeps
# it. Installed with the packed library and the versions this repository tests with, its jest
# snapshots (committed beside it) must pass unchanged, and its synth must match the repository's.
BLUEPRINT="$ROOT/examples/blueprint-app"
mkdir "$APP/blueprint"
cd "$APP/blueprint"
cp -r "$BLUEPRINT"/package.json "$BLUEPRINT"/*.ts "$BLUEPRINT"/*.yaml "$BLUEPRINT"/test .
cat > tsconfig.json <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": true, "types": ["node", "jest"] } }
JSON
npm install --no-audit --no-fund --loglevel=error "$TARBALL" \
  "cdk8s@$(dev cdk8s)" "constructs@$(dev constructs)" "cdk8s-plus-30@$(dev cdk8s-plus-30)" \
  "jest@$(dev jest)" "ts-jest@$(dev ts-jest)" "@types/jest@$(dev @types/jest)" \
  "ts-node@$(dev ts-node)" "typescript@$(dev typescript)" "@types/node@$(dev @types/node)"
npx jest --ci
npx ts-node main.ts
diff -r dist "$BLUEPRINT/dist"
diff -r dist-argocd "$BLUEPRINT/dist-argocd"
echo "packed library: the blueprint app's snapshot tests pass and its output is identical ($(find dist -type f | wc -l) files)"
