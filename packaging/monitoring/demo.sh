#!/usr/bin/env bash
# Try the monitoring examples on one machine, on loopback only: a tertulia-server with seeded users, Prometheus
# (Debian's `prometheus` package) scraping it every 2 s with tertulia-alerts.yml loaded, and a bounded load from
# the benchmark's generator (two minutes of rising and falling fan-out). With Chromium it then saves three
# pictures: the dashboard itself (tertulia-dashboard.json drawn by render-dashboard.mjs over the run, with uPlot
# from npm), Prometheus's own graph of its headline queries (messages/s, delivery p99) and the alerts page.
# Grafana itself is neither in Debian nor on npm (docs/administration.md#the-grafana-dashboard).
#   usage: packaging/monitoring/demo.sh [BUILD_DIR (build/ci)] [OUT_DIR (docs/screenshots)]
#   DASHBOARD_HTML=FILE also keeps the dashboard's page (it embeds the data) to open in a browser.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(realpath "${1:-$root/build/ci}")"
out="$(realpath "${2:-$root/docs/screenshots}")"
for tool in "$build/server/tertulia-server" "$build/bench/tertulia-bench-seed" "$build/bench/loadgen/tertulia-loadgen"; do
    [ -x "$tool" ] || { echo "missing $tool: build the ci preset first (cmake --build --preset ci)" >&2; exit 1; }
done
command -v prometheus >/dev/null || { echo "prometheus not found (Debian: apt install prometheus)" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
server_port="$(free_port)"; prometheus_port="$(free_port)"

mkdir -p "$work/data" "$work/prometheus"
"$build/bench/tertulia-bench-seed" --data-dir "$work/data" --users 200 >/dev/null 2>&1
# The generator's 200 clients come from one address at once: lift the per-address connection limits.
echo '{"limits":{"max_connections_per_ip":20000,"ip_connect_burst":100000,"ip_connect_per_second":100000,"user_connect_burst":100000,"user_connect_per_second":100000}}' > "$work/limits.json"
"$build/server/tertulia-server" --listen "127.0.0.1:$server_port" --data-dir "$work/data" --config "$work/limits.json" \
    > "$work/server.log" 2>&1 &
pids+=($!)
cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 2s, evaluation_interval: 2s}
rule_files: ['$root/packaging/monitoring/tertulia-alerts.yml']
scrape_configs:
  - job_name: tertulia
    metrics_path: /metrics
    static_configs: [{targets: ['127.0.0.1:$server_port']}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
    --web.listen-address="127.0.0.1:$prometheus_port" > "$work/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$server_port/healthz" >/dev/null && break; sleep 0.1; done

from="$(date +%s)"
echo "Prometheus: http://127.0.0.1:$prometheus_port  (tertulia-server on 127.0.0.1:$server_port)"
timeout 300 "$build/bench/loadgen/tertulia-loadgen" --port "$server_port" --secret-file "$work/data/secret.key" \
    --mode fanout --clients 200 --rooms 10 --rates 2000,4000,6000,3000,8000,2000,5000 --step-seconds 20 \
    --source-addresses 0 > "$work/load.json"

if command -v chromium >/dev/null; then
    # The dashboard over the run: from the start of the load to the last scrape that still saw its sessions
    # open (the generator closes them all when it ends), so the stat panels show the load's last step.
    sleep 4  # one more scrape and rule evaluation after the load
    to="$(curl -sf "http://127.0.0.1:$prometheus_port/api/v1/query_range" --data-urlencode 'query=sum(tertulia_connections_active) > 0' \
              --data-urlencode "start=$from" --data-urlencode "end=$(date +%s)" --data-urlencode step=2 |
          python3 -c 'import json, sys, time
result = json.load(sys.stdin)["data"]["result"]
print(result[0]["values"][-1][0] if result else int(time.time()))')"
    (cd "$root/packaging/monitoring" && { npm ls --depth=0 >/dev/null 2>&1 || npm ci --prefer-offline --no-audit --no-fund --loglevel=error; })
    node "$root/packaging/monitoring/render-dashboard.mjs" --prometheus "http://127.0.0.1:$prometheus_port" \
        --from "$((from - 10))" --to "$to" --scrape-interval 2s --png "$out/dashboard.png" ${DASHBOARD_HTML:+--html "$DASHBOARD_HTML"}
    query="$(python3 -c 'import urllib.parse
queries = ["sum(rate(tertulia_messages_received_total[20s]))",
           "histogram_quantile(0.99, sum by (le) (rate(tertulia_delivery_latency_seconds_bucket[20s])))"]
params = {}
for i, q in enumerate(queries):
    params.update({f"g{i}.expr": q, f"g{i}.tab": "0", f"g{i}.range_input": "5m"})
print(urllib.parse.urlencode(params))')"
    shot() { timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$1" \
                 --virtual-time-budget=20000 --screenshot="$2" "$3" >/dev/null 2>&1; }
    shot 1400,1250 "$out/prometheus-dashboard-queries.png" "http://127.0.0.1:$prometheus_port/graph?$query"
    shot 1400,700 "$out/prometheus-alerts.png" "http://127.0.0.1:$prometheus_port/classic/alerts"
    echo "saved $out/dashboard.png, $out/prometheus-dashboard-queries.png and $out/prometheus-alerts.png"
fi
