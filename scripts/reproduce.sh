#!/usr/bin/env bash
# Executes every figure notebook headless at UNLEARN_PROFILE (default cpu), saving outputs in place,
# results/<profile>/*.csv and results/<profile>/figures/*.png. Computed models are reused from the store.
# Records each notebook's wall time in results/<profile>/run-times.json (shown in the notebook headers): as the
# cold times when the store was empty before the run, as the warm times when the run computed nothing; a run over
# a partly filled store is not recorded. Nothing is recorded unless every notebook passed.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE="${UNLEARN_PROFILE:-cpu}"
echo "reproducing all notebooks at profile '$PROFILE' (backend: ${UNLEARN_BACKEND:-auto})"
before=$(node bin/unlearn.js run-times store-count)
timings=$(mktemp "${TMPDIR:-/tmp}/reproduce-timings-XXXXXX")
trap 'rm -f "$timings"' EXIT
/usr/bin/python3 scripts/run-notebooks.py --profile "$PROFILE" --inplace --timings-json "$timings" notebooks/*.ipynb
UNLEARN_PROFILE="$PROFILE" node bin/unlearn.js run-times record --timings "$timings" --store-before "$before"
