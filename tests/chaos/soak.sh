#!/usr/bin/env bash
# The chaos soak (not part of CI): tertulia-server built with AddressSanitizer + UndefinedBehaviorSanitizer
# (preset asan) under mixed load and the chaos suite's faults for N minutes, its resident memory sampled
# every few seconds. At the end it says whether memory stayed flat (the slope of the last two thirds of the
# samples), whether any sanitizer reported anything, and whether every client ends up with the same history.
#
#   tests/chaos/soak.sh [MINUTES]          # default 30; results in build/soak/<date>/ (summary.txt)
#
# Load: SOAK_PEERS tertulia-chaos-peer processes (default 6) in three rooms, each in two of them, sending
# for ever at different paces and sizes (up to 16 KB), retrying with the same client_msg_id and resuming
# after every drop. Every SOAK_CHAOS_SECONDS (2) one fault, picked at random:
#   - a client connection killed with `ss -K`;
#   - a client frozen with SIGSTOP for 3-8 s (its room keeps going: cut as a slow consumer or by the idle
#     timeout, or it catches up), then SIGCONT;
#   - a client SIGKILLed and started again (a new process, a new outbox, the whole history to page in);
#   - slowloris: 20 connections trickling a request head for 8 s;
#   - a failing disk for 2 s: strace attached to the server, pwrite64 ENOSPC or fdatasync EIO
#     (the server runs with --full-sync, so every commit syncs);
#   - a flood: a client sending 1 000 messages a second for 5 s (rate-limited, closed with 4008, back);
#   - nothing.
# After each fault, GET /healthz must answer 200. Then the clients stop sending (`pause`), settle, and report:
# no anomaly, nothing unacknowledged, and every client of a room holds exactly the same messages (count and
# digest). The server stops on SIGTERM (exit 0, LeakSanitizer's check) and the clients quit.
#
# Exit status 0 only when: memory flat (growth over the last two thirds under 4 MiB or 5 % of the mean),
# no sanitizer report from the server or a client, every health check answered, no client died by itself,
# the clients consistent, and the server's exit clean.
#
# Environment: SOAK_PEERS, SOAK_CHAOS_SECONDS, SOAK_SAMPLE_SECONDS (5), SOAK_OUT (output directory),
# SOAK_PRESET (asan; `ci` soaks the build without sanitizers, to tell the server's memory from ASan's),
# SOAK_ASAN_OPTIONS (more ASAN_OPTIONS, e.g. print_stats=1:atexit=1 for the allocator's figures at exit),
# SOAK_NO_BUILD=1 (use the build as it is), JOBS (build parallelism, 2), ASAN_QUARANTINE_MB (32: ASan keeps
# freed memory in quarantine; the default 256 MB would dominate the RSS curve for the first minutes).
# Needs: cmake, ninja, curl, ss, strace (bash .ci/deps.sh test), root for ss -K and strace -p.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Like nohup, for this script and everything it starts: a soak outlives the terminal that started it. (Without
# this, a client frozen with SIGSTOP in a process group orphaned by that terminal's exit makes the kernel send
# the whole group SIGHUP.) A command to a client that died is an error to report, not a SIGPIPE to die of.
trap '' HUP PIPE

minutes=${1:-30}
preset=${SOAK_PRESET:-asan}
peers=${SOAK_PEERS:-6}
chaos_every=${SOAK_CHAOS_SECONDS:-2}
sample_every=${SOAK_SAMPLE_SECONDS:-5}
out=${SOAK_OUT:-build/soak/$(date +%Y%m%d-%H%M%S)}

need() { command -v "$1" >/dev/null 2>&1 || { echo "soak: $1 is needed ($2)" >&2; exit 2; }; }
need curl "the HTTP API"
need ss "forced disconnects (iproute2)"
need strace "disk faults"
need awk "the RSS slope"

if [ -z "${SOAK_NO_BUILD:-}" ]; then
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j"${JOBS:-2}" --target tertulia-server tertulia-chaos-peer
fi
server_bin=build/$preset/server/tertulia-server
peer_bin=build/$preset/tests/chaos/tertulia-chaos-peer
if [ ! -x "$server_bin" ] || [ ! -x "$peer_bin" ]; then
    echo "soak: build/$preset has no $server_bin or $peer_bin" >&2
    exit 2
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?') # now: the tree may move during a long run
echo "soak: $minutes min, $peers clients, a fault every ${chaos_every}s; output in $out"

# Every process of the run reports into the output directory (file names end in the pid).
# malloc_context_size=2: ASan records a stack for every allocation, found by following frame pointers; through
# Debian's Qt and SQLite, built without them, it reads stack garbage, and about one allocation in seven makes
# a "new" stack. With the default 30 frames its StackDepot then grows by some 16 MB a minute (1.7 million
# stacks, 96 MB after 6 min here) and the server's RSS measures ASan, not the server. Two frames (the
# allocating function and its caller) keep it at about a thousand stacks; a report still shows the whole stack
# of the bad access. SOAK_ASAN_OPTIONS=malloc_context_size=30 for full allocation stacks on a short rerun.
export ASAN_OPTIONS="log_path=$out/sanitizer:detect_leaks=1:halt_on_error=1:quarantine_size_mb=${ASAN_QUARANTINE_MB:-32}:malloc_context_size=2${SOAK_ASAN_OPTIONS:+:$SOAK_ASAN_OPTIONS}"
export UBSAN_OPTIONS="log_path=$out/sanitizer:print_stacktrace=1:halt_on_error=1"
export QT_LOGGING_RULES="tertulia.*.info=false"

# Limits: clients that reconnect all the time and a soak that outlives an access token; the rate limits
# stay low enough for the flood to hit them.
cat > "$out/server.json" <<'EOF'
{"access_token_ttl": 86400,
 "limits": {"rate_burst": 200, "rate_per_second": 100, "user_rate_burst": 400, "user_rate_per_second": 200,
            "ip_connect_burst": 100000, "ip_connect_per_second": 100000,
            "user_connect_burst": 100000, "user_connect_per_second": 100000}}
EOF

declare -a peer_pid peer_fd peer_args
children=()
cleanup() {
    set +e
    for pid in "${peer_pid[@]}" "${children[@]}" ${server_pid:-}; do
        kill -CONT "$pid" 2>/dev/null; kill -KILL "$pid" 2>/dev/null
    done
    rm -f "$out"/in.*
}
trap cleanup EXIT

"$server_bin" --listen 127.0.0.1:0 --data-dir "$out/data" --config "$out/server.json" --full-sync \
    >"$out/server.out" 2>"$out/server.log" &
server_pid=$!
server_pid0=$server_pid
for _ in $(seq 100); do [ -s "$out/server.out" ] && break; kill -0 "$server_pid" || break; sleep 0.2; done
url=$(head -1 "$out/server.out")
[ -n "$url" ] || { echo "soak: the server did not start; see $out/server.log" >&2; exit 1; }
port=${url##*:}; port=${port%%/*}
ws="ws://127.0.0.1:$port/ws"
echo "soak: server pid $server_pid on $url"

token_of() { # user -> access token file
    local body="{\"username\":\"$1\",\"password\":\"password123\"}"
    curl -s -o /dev/null -H 'Content-Type: application/json' -d "$body" "${url}api/v1/register"
    curl -s -H 'Content-Type: application/json' -d "$body" "${url}api/v1/login" |
        sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' >"$out/token.$1"
    [ -s "$out/token.$1" ]
}

rooms=(soak-a soak-b soak-c)
start_peer() { # index
    local i=$1
    mkfifo "$out/in.$i" 2>/dev/null || true
    # shellcheck disable=SC2086
    "$peer_bin" ${peer_args[$i]} <"$out/in.$i" >>"$out/peer.$i.out" 2>>"$out/peer.$i.err" &
    peer_pid[$i]=$!
    exec {fd}>"$out/in.$i"
    peer_fd[$i]=$fd
}
stop_peer() { # index: SIGKILL (a crash: the outbox goes with it)
    local i=$1
    kill -CONT "${peer_pid[$i]}" 2>/dev/null || true
    kill -KILL "${peer_pid[$i]}" 2>/dev/null || true
    wait "${peer_pid[$i]}" 2>/dev/null || true
    eval "exec ${peer_fd[$i]}>&-"
}

for i in $(seq 0 $((peers - 1))); do
    token_of "soak$i" || { echo "soak: cannot sign in soak$i" >&2; exit 1; }
    case $i in
        0) pace="--every-ms 100 --text-bytes 64" ;;
        1) pace="--every-ms 1000 --text-bytes 16000" ;;
        *) pace="--every-ms 400 --text-bytes 200" ;;
    esac
    peer_args[$i]="--url $ws --user soak$i --token-file $out/token.soak$i --ensure-rooms --forever $pace
        --rooms ${rooms[$((i % 3))]},${rooms[$(((i + 1) % 3))]}"
    start_peer "$i"
done
token_of soakflood

# Resident memory of the server, every few seconds, while it lives.
start=$(date +%s)
(
    while kill -0 "$server_pid" 2>/dev/null; do
        rss=$(awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || true)
        [ -n "$rss" ] && echo "$(($(date +%s) - start)) $rss" >>"$out/rss.tsv"
        sleep "$sample_every"
    done
) &
children+=($!)

declare -A done_count
count() { done_count[$1]=$((${done_count[$1]:-0} + 1)); }
deadline=$((start + minutes * 60))
fault=0
health_failures=0
while [ "$(date +%s)" -lt "$deadline" ]; do
    kill -0 "$server_pid" 2>/dev/null || { echo "soak: the server died; see $out/server.log and sanitizer.*" >&2; break; }
    i=$((RANDOM % peers))
    case $((RANDOM % 7)) in
        0)  line=$(ss -Htn state established dst 127.0.0.1 dport = ":$port" | shuf -n 1 || true)
            sport=$(echo "$line" | awk '{print $3}' | sed 's/.*://')
            if [ -n "$sport" ]; then
                ss -K -t dst 127.0.0.1 dport = ":$port" sport = ":$sport" >/dev/null 2>&1 && count killed
            fi ;;
        1)  kill -STOP "${peer_pid[$i]}" 2>/dev/null && count frozen
            pid=${peer_pid[$i]}
            (sleep $((3 + RANDOM % 6)); kill -CONT "$pid" 2>/dev/null) &
            children+=($!) ;;
        2)  stop_peer "$i"; start_peer "$i"; count restarted ;;
        3)  for _ in $(seq 20); do
                (exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 0
                 for c in G E T ' ' / w s ' ' H T T P / 1 . 1; do printf %s "$c" >&3 2>/dev/null || exit 0; sleep 0.5; done) &
                children+=($!)
            done
            count slowloris ;;
        4)  if [ $((fault++ % 2)) -eq 0 ]; then inject="pwrite64:error=ENOSPC"; else inject="fdatasync:error=EIO"; fi
            timeout -s TERM 2 strace -f -qq -p "$server_pid" -e trace="${inject%%:*}" -e inject="$inject" \
                -o /dev/null 2>/dev/null || true
            count "disk-${inject#*error=}" ;;
        5)  # Its input ends after 5 s, and with it the flood (a clean exit: LeakSanitizer looks at it too).
            sleep 5 | "$peer_bin" --url "$ws" --user soakflood --token-file "$out/token.soakflood" --ensure-rooms \
                --rooms soak-a --forever --every-ms 1 >/dev/null 2>>"$out/flood.err" &
            children+=($!)
            count flood ;;
        *)  count quiet ;;
    esac
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "${url}healthz" || true)
    [ "$code" = 200 ] || health_failures=$((health_failures + 1))
    sleep "$chaos_every"
done
elapsed=$(($(date +%s) - start))

# Settle: everyone thawed and still, then the same history everywhere.
for i in "${!peer_pid[@]}"; do kill -CONT "${peer_pid[$i]}" 2>/dev/null || true; done
sleep 6 # the last frozen ones thaw, the flooder is gone
# Clients that died by themselves (not restarted by the soak) are a finding: an abort, a sanitizer report.
died=0
for i in "${!peer_pid[@]}"; do kill -0 "${peer_pid[$i]}" 2>/dev/null || died=$((died + 1)); done
for i in "${!peer_pid[@]}"; do echo pause 1>&"${peer_fd[$i]}" 2>/dev/null || true; done
consistent=no
for _ in $(seq 12); do
    sleep 10
    : >"$out/reports.txt"
    for i in "${!peer_pid[@]}"; do
        before=$(grep -c '"event":"report"' "$out/peer.$i.out" || true)
        echo report 1>&"${peer_fd[$i]}" 2>/dev/null || true
        for _ in $(seq 50); do
            [ "$(grep -c '"event":"report"' "$out/peer.$i.out" || true)" -gt "$before" ] && break
            sleep 0.2
        done
        grep '"event":"report"' "$out/peer.$i.out" | tail -1 >>"$out/reports.txt"
    done
    # One line per (room, count, digest) and the clients' state: consistent when each room has one line.
    awk '
        { synced = ($0 ~ /"synced":true/); unacked = $0; sub(/.*"unacked":/, "", unacked); sub(/[,}].*/, "", unacked)
          if (!synced || unacked != 0 || $0 !~ /"anomalies":\[\]/) bad++
          rest = $0; sub(/.*"rooms":\{/, "", rest)
          while (match(rest, /"[^"]+":\{"count":[0-9]+,"digest":"[0-9a-f]+"/)) {
              entry = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
              room = entry; sub(/":.*/, "", room); sub(/^"/, "", room)
              views[room "|" entry] = 1
          } }
        END { for (k in views) { split(k, p, "|"); n[p[1]]++ }
              for (r in n) if (n[r] != 1) bad++
              exit bad ? 1 : 0 }' "$out/reports.txt" && { consistent=yes; break; }
done
metrics=$(curl -s "${url}metrics" | grep -E '^tertulia_(messages_received_total|messages_duplicate_total|sessions_opened_total|closes_total|slow_consumer_closes_total|store_errors_total|resumes_total)' || true)

# What every client of a room holds (when consistent, the same for all of them): "room count" per line.
held=$(grep -o '"[^"]*":{"count":[0-9]*' "$out/reports.txt" | sed 's/"\([^"]*\)":{"count":\([0-9]*\)/\1 \2/' |
    sort -u | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')

# A clean stop: LeakSanitizer reports at exit.
server_exit=0
if kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || server_exit=$?
else
    wait "$server_pid" || server_exit=$?
    [ "$server_exit" -ne 0 ] || server_exit=255 # gone before the end: never a pass
fi
server_pid=
for i in "${!peer_pid[@]}"; do echo quit 1>&"${peer_fd[$i]}" 2>/dev/null || true; done
# The clients exit (and LeakSanitizer writes its report) before their reports are read; 60 s at most.
for i in "${!peer_pid[@]}"; do
    for _ in $(seq 300); do kill -0 "${peer_pid[$i]}" 2>/dev/null || break; sleep 0.2; done
done
wait "${children[@]}" 2>/dev/null || true

# Memory: least-squares slope of RSS over the last two thirds of the samples, and what it adds up to there.
read -r samples slope_kb_min growth_kb mean_kb first_kb last_kb peak_kb < <(awk '
    { t[NR] = $1; r[NR] = $2; if ($2 > peak) peak = $2 }
    END { from = int(NR / 3) + 1; n = NR - from + 1
          for (i = from; i <= NR; i++) { st += t[i]; sr += r[i]; stt += t[i] * t[i]; str += t[i] * r[i] }
          slope = (n * stt - st * st) ? (n * str - st * sr) / (n * stt - st * st) : 0
          printf "%d %.1f %.0f %.0f %d %d %d\n", NR, slope * 60, slope * (t[NR] - t[from]), sr / n, r[from], r[NR], peak }' "$out/rss.tsv")
flat=$(awk -v g="$growth_kb" -v m="$mean_kb" 'BEGIN { print (g < 4096 || g < 0.05 * m) ? "yes" : "no" }')

# Sanitizer logs are named sanitizer.<pid>: the server's, and the clients' (reported apart: a finding in
# the test client is worth knowing, but it is not the server's).
pattern='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:'
server_reports=0
if [ -f "$out/sanitizer.$server_pid0" ]; then server_reports=$(grep -cE "$pattern" "$out/sanitizer.$server_pid0" || true); fi
client_reports=$(find "$out" -name 'sanitizer.*' ! -name "sanitizer.$server_pid0" -exec cat {} + 2>/dev/null |
    grep -cE "$pattern" || true)

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
memory=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
{
    echo "Tertulia chaos soak, $(date -u +%Y-%m-%dT%H:%MZ), commit $commit"
    echo "machine: $(nproc) cores ($cpu), $memory, Linux $(uname -r)"
    echo "run: $((elapsed / 60)) min $((elapsed % 60)) s, $peers clients, a fault every ${chaos_every}s, build $preset, ASan quarantine ${ASAN_QUARANTINE_MB:-32} MB"
    echo -n "faults:"; for k in $(printf '%s\n' "${!done_count[@]}" | sort); do echo -n " $k ${done_count[$k]}"; done; echo
    echo "health checks failed: $health_failures"
    echo "server RSS: $samples samples every ${sample_every}s; first third excluded; from $first_kb KB to $last_kb KB (peak $peak_kb KB);"
    echo "  slope ${slope_kb_min} KB/min over the last two thirds = $growth_kb KB there (mean $mean_kb KB): flat: $flat"
    echo "sanitizer reports: server $server_reports, clients $client_reports"
    echo "server exit code after SIGTERM: $server_exit"
    echo "clients consistent (each room: one count and digest; no anomaly; nothing unacknowledged): $consistent"
    echo "messages held by every client at the end: $held"
    echo "clients that died by themselves: $died"
    echo "$metrics"
} | tee "$out/summary.txt"

[ "$flat" = yes ] && [ "$server_reports" -eq 0 ] && [ "$client_reports" -eq 0 ] && [ "$server_exit" -eq 0 ] &&
    [ "$consistent" = yes ] && [ "$health_failures" -eq 0 ] && [ "$died" -eq 0 ]
