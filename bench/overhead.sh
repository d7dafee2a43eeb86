#!/usr/bin/env bash
# What Slipway's observability and delivery features cost on the request path, one command: ./bench/overhead.sh
#
# Serves the sample's stall-detector from a registry (version 1 in production, version 2 pushed) and drives
# the same closed-loop load in every configuration of one run: wrk -t1 -c32, single-row V1 JSON requests,
# each with its own X-Truck-Id (bench/wrk/trucks.lua). Configurations:
#   bare       no metrics, no drift or SLO monitors, no payload log, no endpoint policy: the baseline
#   observed   Prometheus metrics, drift and SLO monitors (drift fed up to 1,000 requests/s, the default), the
#              payload log at its default sample (10 % of requests)
#   with-feedback the same, plus the prediction store keeping every prediction for delayed labels
#   routed     observed + the sample's endpoint policy: routing key, fallback chain, circuit breaker, time limiter
#   shadow     routed + a rollout in its shadow phase copying every request to version 2 (ONNX Runtime)
#   shadow-10  the same, copying 10 % of requests
#   shadow-cpu-guard  shadow (100 %) with shadow.shed-above-cpu: 0.9: copies shed while the machine is busy
# BENCH_CONFIGS="bare observed" runs only the configurations named. BENCH_BREAKDOWN=1 adds one run per observability part on its own (metrics, drift, SLO, payload log).
# Every configuration runs in its own server (own registry copy, own port) started at the same time; after a
# warm-up of each, the configurations are measured in turn, BENCH_ROUNDS times (default 3), and each one's
# median round is reported, so a slow moment of the machine does not land on one configuration only.
# Prints (and writes to bench/results/overhead-<time>.md) req/s, p50, p99, server CPU per request and each
# one's throughput ratio to "bare".
# Needs: a JDK 17 and wrk (Debian: apt-get install wrk). BENCH_SECONDS (default 10) sets each run's length.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-32}"
work="$(mktemp -d)"
out="bench/results/overhead-$(date +%Y%m%d-%H%M%S).md"
mkdir -p bench/results
command -v wrk >/dev/null || { echo "bench: wrk is missing (Debian: apt-get install wrk)" >&2; exit 1; }
rounds="${BENCH_ROUNDS:-3}"
base_port=18280
pids=()
cleanup() { for pid in "${pids[@]:-}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
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
server: {host: 127.0.0.1, http-port: $1, grpc-port: -1}
registry: {poll-interval: PT1S}
rollouts: {tick-interval: PT1S, lease: PT5S, instance-id: bench}
serving:
  models:
    stall-detector:2: {max-batch-size: 64, max-queue-delay-us: 0}
YAML
}
telemetry_off() {
  cat <<YAML
metrics: {enabled: false}
monitoring: {drift: false, slo: false}
YAML
}
telemetry_on() {
  cat <<YAML
metrics: {enabled: true}
monitoring: {drift: true, slo: true}
payload-log: {enabled: true, directory: $work/payloads-$1}
YAML
}
feedback_on() {
  cat <<YAML
feedback: {enabled: true, sample-rate: 1.0, database: $work/feedback-$1.db}
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
  [ -z "${1:-}" ] || echo "    shadow: {shed-above-cpu: $1}"
}

# start <name> <port> <config-file>: a server on its own copy of the registry.
names=(); ports=()
want() { [ -z "${BENCH_CONFIGS:-}" ] || [[ " $BENCH_CONFIGS " == *" $1 "* ]]; }
start() {
  want "$1" || return 0
  cp "$db" "$work/$1.db"
  ./slipway serve --config "$3" --registry "$work/$1.db" > "$work/$1.log" 2>&1 &
  pids+=($!); names+=("$1"); ports+=("$2")
}
ready() {
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$1/v2/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "bench: the server on port $1 never became ready" >&2; exit 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
server_pid() { pgrep -f "registry $work/$1.db" | head -1; }

# shadow <name> <sample-percent>: holds a rollout of version 2 in its shadow phase on that server's registry.
shadow() {
  cat > "$work/plan-$1.yaml" <<YAML
shadow: {duration: PT1H, min-requests: 1000000000, sample: $2, max-disagreement: 1.0}
steps:
  - {weight: 10, bake: PT1H, min-requests: 100}
deadline: PT2H
YAML
  ./slipway rollout start stall-detector --candidate 2 --plan "$work/plan-$1.yaml" --registry "$work/$1.db" >/dev/null
  for _ in $(seq 1 120); do
    ./slipway rollout status stall-detector --registry "$work/$1.db" --json | grep -q '"phase" *: *"SHADOW"' && return 0
    sleep 1
  done
  echo "bench: the rollout on $1 never reached its shadow phase" >&2; exit 1
}

# measure <name> <port> <seconds> [round]: one wrk run; with a round, its summary and the server's CPU are kept.
measure() {
  local url="http://127.0.0.1:$2/v1/models/stall-detector:predict" pid before after line
  pid=$(server_pid "$1")
  before=$(cpu_ticks "$pid")
  line=$(wrk -t1 -c"$connections" -d"$3s" --latency -s bench/wrk/trucks.lua "$url" -- "$work/body.json" | tail -1)
  after=$(cpu_ticks "$pid")
  if [ -n "${4:-}" ]; then
    echo "bench: round $4 $1 $line" >&2
    echo "$1 $4 $((after - before)) $line" >> "$work/results"
  fi
}

parts=()
if [ "${BENCH_BREAKDOWN:-0}" = 1 ]; then  # each observability part on its own
  parts=("metrics:metrics: {enabled: true}|monitoring: {drift: false, slo: false}"
         "drift:metrics: {enabled: false}|monitoring: {drift: true, slo: false}"
         "slo:metrics: {enabled: false}|monitoring: {drift: false, slo: true}")
fi
port=$base_port
{ base_config $port; telemetry_off; } > "$work/bare.yaml"; start bare $port "$work/bare.yaml"
for part in "${parts[@]:-}"; do
  [ -n "$part" ] || continue
  port=$((port + 1)); name="only-${part%%:*}"
  { base_config $port; echo "${part#*:}" | tr '|' '\n'; } > "$work/$name.yaml"; start "$name" $port "$work/$name.yaml"
done
if [ "${BENCH_BREAKDOWN:-0}" = 1 ]; then
  port=$((port + 1))
  { base_config $port; telemetry_off; echo "payload-log: {enabled: true, sample-rate: 1.0, directory: $work/payloads-$port}"; } \
      > "$work/only-payload-log.yaml"
  start only-payload-log $port "$work/only-payload-log.yaml"
fi
port=$((port + 1)); { base_config $port; telemetry_on $port; } > "$work/observed.yaml"; start observed $port "$work/observed.yaml"
if [ "${BENCH_BREAKDOWN:-0}" = 1 ]; then  # observed with one part taken away
  for part in metrics drift slo payload-log; do
    port=$((port + 1))
    { base_config $port; telemetry_on $port | sed -E \
        -e "$( [ $part = metrics ] && echo 's/^metrics: .*/metrics: {enabled: false}/' || echo 's/^$//' )" \
        -e "$( [ $part = drift ] && echo 's/drift: true/drift: false/' || echo 's/^$//' )" \
        -e "$( [ $part = slo ] && echo 's/slo: true/slo: false/' || echo 's/^$//' )" \
        -e "$( [ $part = payload-log ] && echo '/^payload-log/d' || echo 's/^$//' )"; } > "$work/without-$part.yaml"
    start "without-$part" $port "$work/without-$part.yaml"
  done
fi
port=$((port + 1)); { base_config $port; telemetry_on $port; feedback_on $port; } > "$work/feedback.yaml"
start with-feedback $port "$work/feedback.yaml"
port=$((port + 1)); { base_config $port; telemetry_on $port; routed_policy; } > "$work/routed.yaml"; start routed $port "$work/routed.yaml"
for name in shadow shadow-10 shadow-cpu-guard; do
  guard=""; [ $name = shadow-cpu-guard ] && guard=0.9
  port=$((port + 1)); { base_config $port; telemetry_on $port; routed_policy $guard; } > "$work/$name.yaml"
  start $name $port "$work/$name.yaml"
done
for port in "${ports[@]}"; do ready "$port"; done
if want shadow; then shadow shadow 100; fi
if want shadow-10; then shadow shadow-10 10; fi
if want shadow-cpu-guard; then shadow shadow-cpu-guard 100; fi

echo "bench: warming up ${#names[@]} servers..." >&2
for i in "${!names[@]}"; do measure "${names[$i]}" "${ports[$i]}" 8; done
for round in $(seq 1 "$rounds"); do
  for i in "${!names[@]}"; do measure "${names[$i]}" "${ports[$i]}" "$seconds" "$round"; done
done
for i in "${!names[@]}"; do
  [ "${names[$i]}" = shadow-10 ] && ./slipway rollout status stall-detector --registry "$work/shadow-10.db" > "$work/status.txt" || true
done
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done; pids=()
payload_lines=$(find "$work" -path "*payloads-*" -type f -exec cat {} + 2>/dev/null | wc -l)

{
  echo "# Observability and delivery overhead on the sample"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t1 -c$connections, ${seconds} s per run, median of $rounds rounds"
  echo
  echo "| configuration | req/s | vs ${names[0]} | p50 ms | p99 ms | server CPU µs/request | errors |"
  echo "|---|---|---|---|---|---|---|"
  hz=$(getconf CLK_TCK)
  for name in "${names[@]}"; do
    grep "^$name " "$work/results" | awk -v hz="$hz" '
      { match($0, /"rps": [0-9.]+/); rps = substr($0, RSTART + 7, RLENGTH - 7) + 0;
        match($0, /"requests": [0-9]+/); n = substr($0, RSTART + 12, RLENGTH - 12) + 0;
        match($0, /"p50_us": [0-9]+/); p50 = substr($0, RSTART + 10, RLENGTH - 10) / 1000;
        match($0, /"p99_us": [0-9]+/); p99 = substr($0, RSTART + 10, RLENGTH - 10) / 1000;
        match($0, /"errors": [0-9]+/); errors = substr($0, RSTART + 10, RLENGTH - 10);
        printf "%s %.1f %.2f %.2f %.1f %s\n", $1, rps, p50, p99, $3 / hz * 1e6 / n, errors }' \
      | sort -k2 -n | awk -v rounds="$rounds" 'NR == int((rounds + 1) / 2)'
  done | awk '
    NR == 1 { base = $2 }
    { printf "| %s | %.0f | %.2f | %.2f | %.2f | %.1f | %s |\n", $1, $2, $2 / base, $3, $4, $5, $6 }'
  echo
  echo "Payload log lines written (all configurations with a payload log, warm-up included): $payload_lines"
  echo
  if [ -f "$work/status.txt" ]; then
    echo "The shadow-10 server's rollout at the end (copies made, shed, compared):"
    echo
    echo '```'
    cat "$work/status.txt"
    echo '```'
  fi
} > "$out"
cat "$out"
