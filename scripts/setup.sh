#!/usr/bin/env bash
# One-time set-up on Debian/Ubuntu: system packages (Jupyter, Chromium, Fashion-MNIST), npm ci, the project-local
# Jupyter kernel and nbextension, and the CIFAR-10 data. Usage: npm run setup [-- --from PATH] [-- --no-apt] [-- --lavapipe]
# --lavapipe (CI) also installs Mesa's software Vulkan driver from bookworm-backports (scripts/lavapipe.sh) to test webgpu.
set -euo pipefail
cd "$(dirname "$0")/.."

FROM="${CIFAR10_FROM:-}"
APT=1
LAVAPIPE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --from) FROM="$2"; shift 2 ;;
    --no-apt) APT=0; shift ;;
    --lavapipe) LAVAPIPE=1; shift ;;
    *) echo "setup: unknown option '$1' (expected --from PATH, --no-apt, --lavapipe)" >&2; exit 2 ;;
  esac
done

say() { printf '\n==> %s\n' "$*"; }

# 1. Node.js
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required (found $(node -v 2>/dev/null || echo none)). Install it from https://nodejs.org or your distribution." >&2
  exit 1
fi

# 2. System packages (Debian/Ubuntu names); dataset-fashion-mnist puts the Fashion-MNIST IDX files (gzip) in
#    /usr/share/datasets/fashion-mnist, where lib/data/fashion-mnist.ts reads them (the cpu-fmnist profile, its tests)
PKGS="jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client jupyter-nbformat chromium libdnnl-dev g++ make dataset-fashion-mnist"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ] && [ "$APT" = 1 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null && SUDO="sudo"
  if command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; }; then
    say "installing Debian packages:$missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
  else
    cat >&2 <<MSG
setup: these system packages are missing:$missing
  On Debian/Ubuntu run:  sudo apt-get install -y --no-install-recommends$missing
  Elsewhere: install Jupyter (classic Notebook 6 or JupyterLab, with nbclient) with pip/conda, and
  Chromium or Chrome (set CHROMIUM_PATH to its binary) for static plot images. Then re-run npm run setup -- --no-apt.
MSG
    exit 1
  fi
fi

# 2b. Software Vulkan driver for the webgpu tests (opt-in: it upgrades Mesa from bookworm-backports)
if [ "$LAVAPIPE" = 1 ] && [ "$APT" = 1 ]; then
  say "lavapipe (Mesa software Vulkan) for webgpu tests"
  bash scripts/lavapipe.sh
fi

# 3. npm packages (tfjs-node / tfjs-node-gpu are optional: their failed download does not fail npm ci);
#    postinstall builds the optional oneDNN addon (native/), skipped with a message when it cannot build
say "npm ci"
npm ci --no-audit --no-fund

# 4. Jupyter kernel + plotly renderer, kept inside the project
say "project-local Jupyter kernel and nbextension"
bash scripts/jupyter-setup.sh

# 5. Data
say "CIFAR-10"
if [ -n "$FROM" ]; then
  node bin/unlearn.js data prepare --from "$FROM"
else
  node bin/unlearn.js data prepare
fi
node bin/unlearn.js info
say "set-up done. Next: npm run reproduce (all notebooks at UNLEARN_PROFILE=${UNLEARN_PROFILE:-cpu}), npm test, npm run notebook"
