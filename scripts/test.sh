#!/usr/bin/env bash
# The test command (npm test): strict type check, formatting check (Prettier), tslab-compatibility check, unit tests, and every
# notebook executed headless at the smoke profile through Jupyter (nbclient).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
echo "== type check (TypeScript $(node -p "require('typescript/package.json').version"), strict)"
node node_modules/typescript/bin/tsc -p tsconfig.json
echo "== formatting (Prettier $(node -p "require('prettier/package.json').version"); npm run format fixes it)"
npm run -s format:check -- --log-level warn
echo "== tslab compatibility (lib/ compiles with tslab's TypeScript $(node -p "require('@tslab/typescript-for-tslab/package.json').version"))"
node scripts/check-tslab-compat.js
echo "== unit tests"
node --import tsx --test --test-concurrency=1 test/*.test.ts
echo "== notebooks at the smoke profile"
/usr/bin/python3 scripts/run-notebooks.py --profile smoke notebooks/*.ipynb
echo "== every claim has data in the smoke tables the notebooks wrote"
node bin/unlearn.js findings --profile smoke --require-data > /dev/null
echo "== all tests passed in $(( $(date +%s) - t0 )) s"
