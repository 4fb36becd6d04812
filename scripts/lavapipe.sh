#!/usr/bin/env bash
# Installs Mesa's lavapipe (a CPU Vulkan driver) new enough for Dawn's WebGPU, following
# ../shared/notes/webgpu.md: on Debian 12 from bookworm-backports (Mesa 25), the suite added to a file of our
# own derived from the machine's existing apt sources (no mirror host written here). Elsewhere: skip.
# Usage: bash scripts/lavapipe.sh   (root or passwordless sudo; exits 0 with a message when it skips)
set -euo pipefail

say() { printf '==> lavapipe: %s\n' "$*"; }
PKGS="mesa-vulkan-drivers libvulkan1 vulkan-tools"
SRC=/etc/apt/sources.list.d/debian.sources
OWN=/etc/apt/sources.list.d/unlearn-bookworm-backports.sources

. /etc/os-release 2>/dev/null || true
if [ "${ID:-}" != debian ] || [ "${VERSION_CODENAME:-}" != bookworm ]; then
  say "skipped: not Debian 12 (${PRETTY_NAME:-unknown OS}); install a Mesa ≥ 24 Vulkan driver (package mesa-vulkan-drivers) yourself to test webgpu without a GPU"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; else
    say "skipped: needs root or passwordless sudo (run: sudo bash scripts/lavapipe.sh)"; exit 0
  fi
fi
# Already there: the backports Mesa (25.x) and the loader.
installed=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
if [ -n "$installed" ] && dpkg --compare-versions "$installed" ge 24 && dpkg -s libvulkan1 vulkan-tools >/dev/null 2>&1; then
  say "Mesa $installed already installed"; exit 0
fi
if [ ! -f "$OWN" ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  if [ ! -f "$SRC" ]; then say "skipped: no $SRC to derive bookworm-backports from"; exit 0; fi
  # The first deb822 stanza whose Suites contain 'bookworm': same URIs, components and key, suite backports.
  awk 'BEGIN{RS=""; FS="\n"} /Suites:[^\n]*bookworm( |$|\n)/ && !done {
         for (i = 1; i <= NF; i++) {
           if ($i ~ /^Suites:/) print "Suites: bookworm-backports";
           else if ($i !~ /^#/) print $i;
         }
         done = 1 }' "$SRC" | $SUDO tee "$OWN" >/dev/null
  if ! grep -q '^URIs:' "$OWN"; then $SUDO rm -f "$OWN"; say "skipped: no bookworm stanza in $SRC"; exit 0; fi
  say "added $OWN"
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports $PKGS
say "installed Mesa $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
