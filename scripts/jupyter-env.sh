# Jupyter environment kept inside the project (kernelspec via JUPYTER_PATH, config/data/runtime under .jupyter/).
# Source it: `source scripts/jupyter-env.sh`. Follows Jupyter's documented JUPYTER_* / IPYTHONDIR variables.
# Debian's Jupyter runs with /usr/bin/python3: set JUPYTER_PYTHON to use another interpreter.
UNLEARN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export UNLEARN_ROOT
export JUPYTER_PATH="$UNLEARN_ROOT/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_CONFIG_DIR="$UNLEARN_ROOT/.jupyter/config"
export JUPYTER_DATA_DIR="$UNLEARN_ROOT/.jupyter/data"
export JUPYTER_RUNTIME_DIR="$UNLEARN_ROOT/.jupyter/runtime"
export IPYTHONDIR="$UNLEARN_ROOT/.jupyter/ipython"
export JUPYTER_PYTHON="${JUPYTER_PYTHON:-/usr/bin/python3}"
mkdir -p "$JUPYTER_CONFIG_DIR" "$JUPYTER_DATA_DIR" "$JUPYTER_RUNTIME_DIR" "$IPYTHONDIR"
