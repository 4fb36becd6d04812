#!/usr/bin/env bash
# Idempotent setup of the project-local Jupyter: link plotly.js into the plotly-mime nbextension and enable
# it in the project's config (.jupyter/). Follows `jupyter nbextension enable` of Notebook 6.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/jupyter-env.sh"
cd "$UNLEARN_ROOT"

bundle="node_modules/plotly.js-dist/plotly.js"
link="jupyter/nbextensions/plotly-mime/plotly.js"
if [[ ! -f "$bundle" ]]; then
  echo "jupyter-setup: $bundle missing; run 'npm install' first" >&2
  exit 1
fi
# Relative link so the checkout can move.
if [[ "$(readlink "$link" 2>/dev/null || true)" != "../../../$bundle" ]]; then
  ln -sfn "../../../$bundle" "$link"
fi

if "$JUPYTER_PYTHON" -c 'import notebook.nbextensions' 2>/dev/null; then
  # Writes {"load_extensions": {"plotly-mime/main": true}} to $JUPYTER_CONFIG_DIR/nbconfig/notebook.json.
  if ! out="$("$JUPYTER_PYTHON" -W ignore -m notebook.nbextensions enable plotly-mime/main --section=notebook 2>&1)"; then
    echo "$out" >&2
    exit 1
  fi
else
  echo "jupyter-setup: classic Notebook not found for $JUPYTER_PYTHON (apt-get install jupyter-notebook);" \
    "the kernel and scripts/run-notebooks.py work without it" >&2
fi
echo "jupyter-setup: kernel 'unlearn-tslab' in $UNLEARN_ROOT/jupyter/kernels, plotly-mime nbextension enabled"
