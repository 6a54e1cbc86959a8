#!/usr/bin/env bash
# Regenerates docs/screenshots/app-*.png from the real window under Xvfb: a scripted scenario
# (tests/app/ui/screenshots.cpp) with a server in-process, a few people, rooms and messages, a cut
# connection, the health panel, the dark palette, Spanish, the account dialog, and a hosted chat's share card.
#   app/ui/screenshots.sh [BUILD_DIR]          (default build/dev; Xvfb and xauth must be installed)
# Extra environment is passed through, e.g. QT_SCALE_FACTOR=2 to check high-DPI rendering.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/dev}
out=${SCREENSHOT_DIR:-docs/screenshots}

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake --preset dev >/dev/null
fi
cmake --build "$build" --target tertulia_screenshots -j2

# A throwaway HOME: the scenario never touches the user's settings, data or keychain.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_RUNTIME_DIR=$tmp/run
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
export LANG=${SCREENSHOT_LANG:-en_US.UTF-8} QT_LOGGING_RULES=${QT_LOGGING_RULES:-"*.info=false"}
xvfb-run -a -s "-screen 0 1280x800x24" "$build/tests/app/ui/tertulia_screenshots" "$out"
