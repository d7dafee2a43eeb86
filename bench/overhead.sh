#!/usr/bin/env bash
# What Slipway's delivery features cost on the request path, one command: ./bench/overhead.sh
#
# Serves the sample's stall-detector from a registry (version 1 in production, version 2 pushed) and drives
# the same closed-loop load in every configuration of one run: wrk -t1 -c32, single-row V1 JSON requests,
# each with its own X-Truck-Id (bench/wrk/trucks.lua). Configurations:
#   direct     no endpoint policy: requests go straight to the production version
#   routed     the sample's endpoint policy: routing key, fallback chain, circuit breaker and time limiter
#   shadow     the same, with a rollout in its shadow phase copying every request to version 2 (ONNX Runtime)
#   shadow-10  the same, copying 10 % of requests
# Prints (and writes to bench/results/overhead-<time>.md) req/s, p50, p99 and each one's ratio to "direct".
# Needs: a JDK 17 and wrk (Debian: apt-get install wrk). BENCH_SECONDS (default 10) sets each run's length.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-32}"
work="$(mktemp -d)"
out="bench/results/overhead-$(date +%Y%m%d-%H%M%S).md"
mkdir -p bench/results
command -v wrk >/dev/null || { echo "bench: wrk is missing (Debian: apt-get install wrk)" >&2; exit 1; }
port=18280
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

./slipway --version >/dev/null
db="$work/registry.db"
sample=examples/whatsup-logistics
./slipway models push "$sample/models/stall-detector/1" --registry "$db" --alias production >/dev/null
./slipway models push "$sample/models/stall-detector/2" --registry "$db" >/dev/null
./slipway models push "$sample/models/stall-rules/1" --registry "$db" --alias production >/dev/null
cat > "$work/body.json" <<'JSON'
{"instances": [{"speed_kmh": 0.0, "minutes_since_last_move": 240.0, "minutes_since_last_ping": 2.0,
 "distance_to_destination_km": 180.0, "distance_to_nearest_depot_km": 95.0, "in_geofence": false,
 "hour_of_day": 14, "driver_hours_today": 6.0, "ignition_on": true, "road_type": "highway"}]}
JSON

base_config() {
  cat <<YAML
server: {host: 127.0.0.1, http-port: $port, grpc-port: -1}
registry: {poll-interval: PT1S}
rollouts: {tick-interval: PT1S, lease: PT5S, instance-id: bench}
serving:
  models:
    stall-detector:2: {max-batch-size: 64, max-queue-delay-us: 0}
YAML
}
routed_policy() {
  cat <<YAML
endpoints:
  stall-detector:
    routing-key: {header: X-Truck-Id}
    fallback: [primary, stall-rules]
    timeout-ms: 250
    circuit-breaker: {failure-rate: 50, minimum-calls: 20, window: 100, open-for: PT30S, half-open-calls: 5}
YAML
}

# serve <config-file>: (re)starts the server on the registry and waits until it is ready.
serve() {
  [ -n "$server" ] && { kill "$server"; wait "$server" 2>/dev/null || true; }
  ./slipway serve --config "$1" --registry "$db" > "$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "bench: the server never became ready:" >&2; cat "$work/serve.log" >&2; exit 1
}

# measure <name>: warms up, then one measured run; appends the summary to the results.
measure() {
  local url="http://127.0.0.1:$port/v1/models/stall-detector:predict"
  wrk -t1 -c"$connections" -d5s -s bench/wrk/trucks.lua "$url" -- "$work/body.json" >/dev/null
  local line
  line=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/wrk/trucks.lua "$url" -- "$work/body.json" | tail -1)
  echo "bench: $1 $line" >&2
  echo "$1 $line" >> "$work/results"
}

# shadow <sample-percent>: starts a rollout held in its shadow phase.
shadow() {
  cat > "$work/plan.yaml" <<YAML
shadow: {duration: PT1H, min-requests: 1000000000, sample: $1, max-disagreement: 1.0}
steps:
  - {weight: 10, bake: PT1H, min-requests: 100}
deadline: PT2H
YAML
  ./slipway rollout abort stall-detector --registry "$db" >/dev/null 2>&1 || true
  ./slipway rollout start stall-detector --candidate 2 --plan "$work/plan.yaml" --registry "$db" >/dev/null
  for _ in $(seq 1 120); do
    ./slipway rollout status stall-detector --registry "$db" --json | grep -q '"phase" *: *"SHADOW"' && return 0
    sleep 1
  done
  echo "bench: the rollout never reached its shadow phase" >&2; exit 1
}

base_config > "$work/direct.yaml"
{ base_config; routed_policy; } > "$work/routed.yaml"

serve "$work/direct.yaml"; measure direct
serve "$work/routed.yaml"; measure routed
shadow 100; measure shadow
shadow 10; measure shadow-10
./slipway rollout status stall-detector --registry "$db" > "$work/status.txt" || true

{
  echo "# Delivery overhead on the sample ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t1 -c$connections, ${seconds} s per run)"
  echo
  echo "| configuration | req/s | vs direct | p50 ms | p99 ms | errors |"
  echo "|---|---|---|---|---|---|"
  awk '
    { name = $1; sub(/^[^ ]+ /, "");
      match($0, /"rps": [0-9.]+/); rps = substr($0, RSTART + 7, RLENGTH - 7) + 0;
      match($0, /"p50_us": [0-9]+/); p50 = substr($0, RSTART + 10, RLENGTH - 10) / 1000;
      match($0, /"p99_us": [0-9]+/); p99 = substr($0, RSTART + 10, RLENGTH - 10) / 1000;
      match($0, /"errors": [0-9]+/); errors = substr($0, RSTART + 10, RLENGTH - 10);
      if (NR == 1) base = rps;
      printf "| %s | %.0f | %.2f | %.2f | %.2f | %s |\n", name, rps, rps / base, p50, p99, errors }
  ' "$work/results"
  echo
  echo "Shadow phase at the end of the run (copies made and shed):"
  echo
  echo '```'
  cat "$work/status.txt"
  echo '```'
} > "$out"
cat "$out"
