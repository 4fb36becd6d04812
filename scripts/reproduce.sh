#!/usr/bin/env bash
# Executes every figure notebook headless at UNLEARN_PROFILE (default cpu), saving outputs in place,
# results/<profile>/*.csv and results/<profile>/figures/*.png. Computed models are reused from the store.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE="${UNLEARN_PROFILE:-cpu}"
echo "reproducing all notebooks at profile '$PROFILE' (backend: ${UNLEARN_BACKEND:-auto})"
exec /usr/bin/python3 scripts/run-notebooks.py --profile "$PROFILE" --inplace notebooks/*.ipynb
