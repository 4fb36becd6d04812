#!/usr/bin/env bash
# `npm run notebook`: start Debian's classic Jupyter Notebook in the repository root with the project-local
# tslab kernel (jupyter/kernels/unlearn-tslab) and the plotly-mime nbextension; state stays in .jupyter/.
# Extra arguments go to `jupyter notebook` (e.g. --no-browser --ip=127.0.0.1 --port=8899).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/jupyter-env.sh"
cd "$UNLEARN_ROOT"
bash scripts/jupyter-setup.sh
if ! "$JUPYTER_PYTHON" -c 'import notebook.notebookapp' 2>/dev/null; then
  echo "notebook: classic Jupyter Notebook not found for $JUPYTER_PYTHON; install it with" \
    "'apt-get install -y --no-install-recommends jupyter-notebook' (or set JUPYTER_PYTHON)" >&2
  exit 1
fi
# The committed notebooks are the project's own: trust them (signatures in .jupyter/data), so their saved
# markdown/HTML outputs render instead of showing as raw text ("Not Trusted").
"$JUPYTER_PYTHON" -m nbformat.sign --log-level=WARN notebooks/*.ipynb >/dev/null 2>&1 ||
  echo "notebook: could not trust notebooks/*.ipynb (apt-get install jupyter-nbformat); saved outputs show as text" >&2
echo "notebook: open notebooks/ and pick the kernel 'TypeScript (unlearn, tslab)'; profile ${UNLEARN_PROFILE:-cpu} (UNLEARN_PROFILE=smoke npm run notebook to change)" >&2
extra=()
# Notebook 6 refuses to run as root without --allow-root (root is the norm in containers and CI).
[[ "$(id -u)" == 0 ]] && extra+=(--allow-root)
exec "$JUPYTER_PYTHON" -m notebook --notebook-dir="$UNLEARN_ROOT" "${extra[@]}" "$@"
