#!/usr/bin/env bash
# Runs the Node tests of the Socket.IO endpoint and the guest page against the real tertulia-server.
#   tests/node/run.sh [--server PATH] [--native-peer PATH] [--fixture PATH] [--screenshots DIR] [-- node --test args]
# Paths default to $TERTULIA_SERVER / $TERTULIA_NATIVE_PEER / $TERTULIA_FIXTURE, then to the newest
# build under build/. Installs the pinned npm packages with `npm ci` (skipped when node_modules already
# matches package-lock.json, so it also works offline). Exits non-zero if any test fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

server="${TERTULIA_SERVER:-}"
peer="${TERTULIA_NATIVE_PEER:-}"
fixture="${TERTULIA_FIXTURE:-}"
screenshots="${TERTULIA_SCREENSHOT_DIR:-}"
while [ $# -gt 0 ]; do
    case "$1" in
        --server) server="$2"; shift 2 ;;
        --native-peer) peer="$2"; shift 2 ;;
        --fixture) fixture="$2"; shift 2 ;;
        --screenshots) screenshots="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

newest() { # the most recently built file of that name under build/
    find "$root/build" -type f -name "$1" -perm -u+x -printf '%T@ %p\n' 2>/dev/null | sort -nr | head -n1 | cut -d' ' -f2-
}
[ -n "$server" ] || server="$(newest tertulia-server)"
[ -n "$peer" ] || peer="$(newest tertulia-native-peer)"
[ -n "$fixture" ] || fixture="$(newest tertulia-socketio-fixture)"
for binary in "$server" "$peer"; do
    if [ -z "$binary" ] || [ ! -x "$binary" ]; then
        echo "run.sh: build tertulia-server and tertulia-native-peer first, or pass --server/--native-peer" >&2
        exit 2
    fi
done

cd "$here"
if ! npm ls --depth=0 >/dev/null 2>&1; then
    npm ci --prefer-offline --no-audit --no-fund --loglevel=error
fi

export TERTULIA_SERVER="$server" TERTULIA_NATIVE_PEER="$peer" TERTULIA_FIXTURE="$fixture"
export TERTULIA_SCREENSHOT_DIR="${screenshots:-$(mktemp -d)}"
export TERTULIA_CHROMIUM="${TERTULIA_CHROMIUM:-/usr/bin/chromium}"
echo "run.sh: server $server"
echo "run.sh: screenshots in $TERTULIA_SCREENSHOT_DIR"
# One file at a time: each starts its own servers (and Chromium), and the machine may be small.
exec node --test --test-concurrency=1 --test-timeout=180000 "$@" test/
