#!/usr/bin/env bash
# The prepared GPU check (issue 10; runs bench/gpu-check.ts): `unlearn info`, the webgpu numeric tests, the bench
# at k = 16, 32, 64 and a bounded paper-profile original training, with one summary table; under 10 minutes.
# Needs only Node ≥ 20 and this checkout with its node_modules/ and data/cifar10/ (no npm install; see
# environment.md, "GPU compute"). Usage: bash scripts/gpu-check.sh [--train-seconds 150] [--json]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null || { echo "gpu-check: node (≥ 20) not found" >&2; exit 2; }
[ -d node_modules/tsx ] || { echo "gpu-check: node_modules/ missing: copy it with the checkout (environment.md, GPU compute)" >&2; exit 2; }
[ -d node_modules/webgpu ] || echo "gpu-check: node_modules/webgpu missing: the webgpu backend cannot load" >&2
command -v vulkaninfo >/dev/null && { vulkaninfo --summary 2>/dev/null | grep -E 'deviceName|driverName|driverInfo|apiVersion' || true; }
command -v nvidia-smi >/dev/null && { nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true; }
exec timeout 590 node --import tsx bench/gpu-check.ts "$@"
