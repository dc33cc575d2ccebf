#!/usr/bin/env bash
# Installs the packed library (dist/js/*.tgz) into a fresh app, the way a user's `npm install`
# would, synthesizes the example there, and compares the output with the repository's own synth:
# a file missing from the package fails here, not for a user.
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
  "ts-node@$(dev ts-node)" "typescript@$(dev typescript)" "@types/node@$(dev @types/node)"
npx ts-node main.ts
diff -r "$APP/dist" "$EXAMPLE/dist"
echo "packed library: example output identical ($(find "$APP/dist" -type f | wc -l) files)"
# The validator's command and the schemas it reads ship in the package.
npx capi-validate --all-versions dist
