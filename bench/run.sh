#!/usr/bin/env bash
# The benchmark suite in one command (see bench/README.md and docs/benchmarks.md):
#   bench/run.sh             full run: 3 repetitions of every scenario (under an hour); updates
#                            docs/benchmarks.md and docs/benchmarks/
#   bench/run.sh --quick     one short repetition (under 5 minutes once built); results in build/bench-results/quick/
#   bench/run.sh --cluster   several nodes on PostgreSQL (bench/runner/cluster.mjs, about 20 minutes); updates
#                            the "Several nodes on PostgreSQL" figures of docs/benchmarks.md. With --quick: a
#                            short check, results in build/bench-results/cluster-quick/; --parts cpu,cross,...;
#                            --buses postgres (NOTIFY only; both NOTIFY and Redis by default)
#   bench/run.sh --failover  Socket.IO failover side by side: Tertulia against Node Socket.IO with the Redis
#                            Streams and the Postgres adapters, one node SIGKILLed (bench/runner/failover.mjs,
#                            about 5 minutes); updates "Failover side by side" in docs/benchmarks.md. With
#                            --quick: one run each, results in build/bench-results/failover-quick/;
#                            --only tertulia,redis-streams,postgres; --drop: the control (transports closed, no kill)
#   bench/run.sh --commit    the commit ceiling: messages/s a store commits at batch 1, 16 and 64, SQLite and
#                            PostgreSQL, with and without NOTIFY, one writer and three at once
#                            (bench/runner/commit.mjs, about 6 minutes); updates docs/benchmarks.md. --quick:
#                            one short run; --batches 1,8; --reps N; --seconds S.
#   bench/run.sh --history   live deliveries while clients page a room of 100 000 messages, long store reads on
#                            the event loop against the reader thread, SQLite and PostgreSQL
#                            (bench/runner/history.mjs); updates docs/benchmarks.md. --quick: one short run.
# Other options go to bench/runner/run.mjs: --reps N, --only tertulia,tertulia-sio,uws,bun,ws,sio-uws,sio,
# --scenarios lowload,a,b,c,idle,storm, --no-callgrind, --doc / --no-doc, --out DIR.
set -euo pipefail
cluster=0
failover=0
history=0
commit=0
for arg in "$@"; do
    [ "$arg" = --commit ] && commit=1
    [ "$arg" = --cluster ] && cluster=1
    [ "$arg" = --failover ] && failover=1
    [ "$arg" = --history ] && history=1
done
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TERTULIA_BENCH_BUILD:-$root/build/bench}

# Tools: the project's build dependencies, plus gnuplot (chart), valgrind (callgrind figure), taskset.
bash "$root/.ci/deps.sh" build
missing=()
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v taskset >/dev/null || missing+=(util-linux)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
# The cluster measurements start their own PostgreSQL; the server needs Qt's driver for it.
if [ "$cluster" = 1 ] || [ "$failover" = 1 ] || [ "$history" = 1 ] || [ "$commit" = 1 ]; then
    ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
    dpkg-query -W -f='${Status}' libqt6sql6-psql 2>/dev/null | grep -q "install ok installed" || missing+=(libqt6sql6-psql)
fi
# The cluster measurements run the nodes on the Redis bus too: the server needs hiredis at build time
# (before the configure step below) and a redis-server to talk to.
if [ "$cluster" = 1 ]; then
    dpkg-query -W -f='${Status}' libhiredis-dev 2>/dev/null | grep -q "install ok installed" || missing+=(libhiredis-dev)
    command -v redis-server >/dev/null || missing+=(redis-server)
fi
# The failover comparison puts HAProxy in front of every contender and runs a Redis for the Streams adapter.
if [ "$failover" = 1 ]; then
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v redis-server >/dev/null || missing+=(redis-server)
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A Release build of the generator and, once it exists, the server (never the Debug tree: the numbers
# would measure the optimiser's absence). Two jobs at most: the machine has two cores.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DTERTULIA_BUILD_APP=OFF \
    -DTERTULIA_WERROR=OFF >/dev/null
targets=(tertulia-loadgen)
[ -f "$root/server/main.cpp" ] && targets+=(tertulia-server tertulia-bench-seed tertulia-bench-commit)
cmake --build "$build" -j2 --target "${targets[@]}"

# The Node peers (and, for --failover, the Socket.IO cluster adapters and client), exactly as locked in
# their package-lock.json (reinstalled only when the lock changes).
node_packages=("$root/bench/peers")
[ "$failover" = 1 ] && node_packages+=("$root/bench/failover")
for dir in "${node_packages[@]}"; do
    stamp=$dir/node_modules/.tertulia-lock-sha256
    want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$want" >"$stamp"
    fi
done

# 19 000 clients need 19 000 descriptors in the generator and in the server.
ulimit -n "$(ulimit -Hn)"
if [ "$failover" = 1 ]; then
    exec node "$root/bench/runner/failover.mjs" --server "$build/server/tertulia-server" \
        --seed "$build/bench/tertulia-bench-seed" "$@"
fi
if [ "$commit" = 1 ]; then
    exec node "$root/bench/runner/commit.mjs" --tool "$build/bench/tertulia-bench-commit" \
        --seed "$build/bench/tertulia-bench-seed" "$@"
fi
if [ "$history" = 1 ]; then
    exec node "$root/bench/runner/history.mjs" --loadgen "$build/bench/loadgen/tertulia-loadgen" \
        --server "$build/server/tertulia-server" --seed "$build/bench/tertulia-bench-seed" "$@"
fi
if [ "$cluster" = 1 ]; then
    exec node "$root/bench/runner/cluster.mjs" --loadgen "$build/bench/loadgen/tertulia-loadgen" \
        --server "$build/server/tertulia-server" --seed "$build/bench/tertulia-bench-seed" "$@"
fi
exec node "$root/bench/runner/run.mjs" --loadgen "$build/bench/loadgen/tertulia-loadgen" \
    --server "$build/server/tertulia-server" --seed "$build/bench/tertulia-bench-seed" "$@"
