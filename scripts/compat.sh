#!/usr/bin/env bash
# npm run test:compat: evalgate under Vitest 5 on Node 22, as a user installs it.
#
#   1. compat/ gets Vitest 5.1.1, Node 22 (the `node` npm package), TypeScript, @types/node and
#      evalgate's dependencies and optional peers from its committed lockfile (npm ci).
#   2. evalgate is built, packed (exactly the published files) and unpacked as a real directory
#      into compat/node_modules/evalgate, so its `import 'vitest'` resolves to Vitest 5.
#   3. The repo's integration tests run with their fixture projects under compat/.work, where
#      `vitest` and `evalgate` resolve to compat/node_modules, on the Node 22 binary.
#   4. The type tests of test/types run under Vitest 5 (typecheck only), against the packed
#      package's .d.ts instead of the sources, then tsc checks them with skipLibCheck off.
#
# Slow (a fresh install and every integration test): not part of `npm test`.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMPAT="$REPO/compat"
WORK="$COMPAT/.work"
NODE22="$COMPAT/node_modules/node/bin/node"
started=$SECONDS

step() { printf '\n==> %s (%ss)\n' "$1" "$((SECONDS - started))"; }
fail() { printf 'compat: %s\n' "$1" >&2; exit 1; }

cd "$REPO"

step 'npm ci --prefix compat (Vitest 5, Node 22)'
npm ci --prefix "$COMPAT" --no-audit --no-fund
[ -x "$NODE22" ] || fail "no Node binary at $NODE22: the \`node\` package did not install it"
node22_version="$("$NODE22" --version)"
case "$node22_version" in
  v22.*) ;;
  *) fail "expected Node 22 at $NODE22, found $node22_version" ;;
esac
vitest5_version="$("$NODE22" -p "require('$COMPAT/node_modules/vitest/package.json').version")"
case "$vitest5_version" in
  5.*) ;;
  *) fail "expected Vitest 5 in compat/node_modules, found $vitest5_version" ;;
esac

# evalgate is unpacked by hand, so npm installs none of its dependencies or (optional) peers:
# compat/package.json pins them, at the versions the repo builds and tests with.
"$NODE22" --input-type=module -e "
  import { readFileSync } from 'node:fs'
  const read = (p) => JSON.parse(readFileSync(p, 'utf8'))
  const pkg = read('$REPO/package.json')
  const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]
  const wrong = []
  for (const dep of deps.filter((d) => d !== 'vitest')) {
    const want = read('$REPO/node_modules/' + dep + '/package.json').version
    let have = 'missing'
    try { have = read('$COMPAT/node_modules/' + dep + '/package.json').version } catch {}
    if (have !== want) wrong.push(dep + ': repo has ' + want + ', compat has ' + have)
  }
  if (wrong.length > 0) {
    console.error('compat: pin these in compat/package.json (npm install -D --save-exact --prefix compat <dep>@<version>):\\n  ' + wrong.join('\\n  '))
    process.exit(1)
  }
"

step 'npm run build'
npm run build

step 'pack evalgate into compat/node_modules/evalgate'
pack_dir="$(mktemp -d)"
trap 'rm -rf "$pack_dir"' EXIT
tarball="$(npm pack --ignore-scripts --silent --pack-destination "$pack_dir" | tail -n 1)"
rm -rf "$COMPAT/node_modules/evalgate"
mkdir -p "$COMPAT/node_modules/evalgate"
tar -xzf "$pack_dir/$tarball" -C "$COMPAT/node_modules/evalgate" --strip-components=1
resolved="$(cd "$COMPAT" && "$NODE22" -p "require.resolve('evalgate/package.json')")"
[ "$resolved" = "$COMPAT/node_modules/evalgate/package.json" ] ||
  fail "evalgate resolves to $resolved from compat/, not to the packed copy"

rm -rf "$WORK"
mkdir -p "$WORK"

step "integration tests: fixture projects on Vitest $vitest5_version, Node $node22_version"
EVALGATE_IT_WORKROOT="$WORK" EVALGATE_IT_NODE="$NODE22" npx vitest run --project integration

step "type tests on Vitest $vitest5_version against the packed .d.ts"
types="$WORK/types"
mkdir -p "$types"
cp "$REPO"/test/types/*.test-d.ts "$types/"
cp "$COMPAT"/types/subject.ts "$COMPAT"/types/tsconfig.json "$COMPAT"/types/vitest.config.mjs "$types/"
# tsc runs as `node .../tsc`: put Node 22 first on PATH for it too.
(cd "$types" && PATH="$(dirname "$NODE22"):$PATH" "$NODE22" "$COMPAT/node_modules/vitest/vitest.mjs" run)
# Vitest reports type errors in test files only. tsc itself, with skipLibCheck off, also checks
# the packed .d.ts: a matcher augmentation that does not merge with Vitest 5's (TS2428) fails here.
"$NODE22" "$COMPAT/node_modules/typescript/bin/tsc" -p "$types/tsconfig.json"

step "compat passed in $((SECONDS - started))s"
