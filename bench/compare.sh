#!/usr/bin/env bash
# Slipway side by side with two typical hand-written model services on the same model, one command: ./bench/compare.sh
#
# Serves, on loopback and at the same time, the sample's stall-detector (examples/whatsup-logistics):
#   slipway-v1       ./slipway serve with the sample's slipway.yaml (as shipped: metrics, drift and SLO monitors,
#                    endpoint policy on), version 1: the XGBoost trees on Slipway's JVM evaluator
#   slipway-v2       the same server, version 2: the same trees in ONNX Runtime (dynamic batching, as configured)
#   spring-onnx      bench/compare/spring-onnx: Spring Boot 3.5 MVC (Tomcat) + ONNX Runtime 1.28, one shared
#                    OrtSession, version 2
#   fastapi-xgboost  bench/compare/fastapi-xgboost: FastAPI + pydantic + xgboost under uvicorn --workers 2 (one
#                    process per core, uvloop + httptools, no access log), one Booster per worker, version 1
# Every service answers KServe V1 POST .../stall-detector:predict with the same single-row JSON body (the first row
# of examples/whatsup-logistics/requests/v1-stalled.json). Before any load, each comparator's answer to that whole
# sample request must match Slipway's stall_probability for the same version to 1e-5 (and the same stalled
# decisions), or the script stops.
# Load: wrk -t1 -c32 (bench/wrk/post.lua). Each service is first warmed up in 5 s slices until its throughput stops
# rising (two slices in a row not 3 % above its best; at least BENCH_WARMUP s, at most BENCH_MAX_WARMUP s): Spring Boot
# took about a minute of load on this 2-core machine to reach its plateau, Slipway a few seconds. Then BENCH_ROUNDS
# rounds (default 3) measure the services in turn; each one's median round (by req/s) is reported, so a slow moment of a shared machine does
# not land on one service only. Server CPU µs/request is the server's processes' user + system time (/proc, the
# uvicorn master and its workers summed) ÷ requests; "rest of machine" is the CPU the machine spent during the run
# outside the measured server and wrk (other processes, idle servers, kernel threads).
# Prints, and writes to bench/results/<time>/compare.md, req/s, p50, p99, CPU µs/request and Slipway's ratios.
# Needs: a JDK 17, wrk, and Debian's Python packages for the FastAPI service (the script says which are missing).
# BENCH_SECONDS (default 10) sets each measured run's length; BENCH_WARMUP (default 15) and BENCH_MAX_WARMUP (default
# 120) bound each warm-up.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${BENCH_SECONDS:-10}"
warmup="${BENCH_WARMUP:-15}"
max_warmup="${BENCH_MAX_WARMUP:-120}"
rounds="${BENCH_ROUNDS:-3}"
connections="${BENCH_CONNECTIONS:-32}"
python="${BENCH_PYTHON:-/usr/bin/python3}"  # Debian's interpreter, the one the python3-* packages install into
out="bench/results/$(date +%Y%m%d-%H%M%S)"
work="$(mktemp -d)"
mkdir -p "$out"
sample=examples/whatsup-logistics
command -v wrk >/dev/null || { echo "bench: wrk is missing (Debian: apt-get install wrk)" >&2; exit 1; }
if ! "$python" -c 'import fastapi, uvicorn, pydantic, xgboost, numpy, uvloop, httptools' 2>/dev/null; then
  echo "bench: the FastAPI comparator needs Debian's Python packages for $python; install them with:" >&2
  echo "  apt-get update && apt-get install -y python3-fastapi python3-uvicorn python3-xgboost python3-numpy" \
       "python3-uvloop python3-httptools" >&2
  exit 1
fi

slipway_port=18480; spring_port=18481; fastapi_port=18482
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]:-}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for port in $slipway_port $spring_port $fastapi_port; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "bench: something already answers on port $port; stop it first" >&2; exit 1
  fi
done

echo "bench: building Slipway and the Spring Boot comparator..." >&2
./slipway --version >/dev/null
./mvnw -q -B -f bench/compare/spring-onnx/pom.xml package

# Bodies: the sample request (two rows, one with a missing distance) for the answer check; its first row alone for load.
"$python" -c 'import json, sys; d = json.load(open(sys.argv[1])); json.dump({"instances": d["instances"][:1]}, open(sys.argv[2], "w"))' \
    "$sample/requests/v1-stalled.json" "$out/body.json"

hz=$(getconf CLK_TCK)
# The CPU ticks (user + system) of a process and all its descendants.
descendants() { echo "$1"; local child; for child in $(pgrep -P "$1" || true); do descendants "$child"; done; }
cpu_ticks() {
  local total=0 pid
  for pid in $(descendants "$1"); do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done
  echo "$total"
}
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
# The CPU of this shell's finished children (wrk), from bash's times builtin: `times > FILE` must run in this shell
# itself (in a $(...) subshell it would count the subshell's children); child_ticks FILE reads it back in ticks.
child_ticks() {
  awk -v hz="$hz" 'NR == 2 { split($1, u, "m"); split($2, s, "m"); printf "%d\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * hz }' "$1"
}
# wait_post <name> <url>: until the service answers the load body with a 2xx.
wait_post() {
  for _ in $(seq 1 240); do
    curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$out/body.json" "$2" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "bench: $1 never answered on $2 (its log: $out/$1.log)" >&2; exit 1
}

echo "bench: starting the three servers..." >&2
./slipway serve --port "$slipway_port" --grpc-port -1 --config "$sample/slipway.yaml" > "$out/slipway.log" 2>&1 &
pids+=($!); slipway_pid=$!
java -jar bench/compare/spring-onnx/target/stall-detector-service.jar --server.port="$spring_port" \
    --model.path="$PWD/$sample/models/stall-detector/2/model.onnx" > "$out/spring-onnx.log" 2>&1 &
pids+=($!); spring_pid=$!
(cd bench/compare/fastapi-xgboost && MODEL_PATH="$OLDPWD/$sample/models/stall-detector/1/model.json" exec "$python" \
    -m uvicorn app:app --host 127.0.0.1 --port "$fastapi_port" --workers 2 --loop uvloop --http httptools \
    --no-access-log --log-level warning) > "$out/fastapi-xgboost.log" 2>&1 &
pids+=($!); fastapi_pid=$!

names=(slipway-v1 slipway-v2 spring-onnx fastapi-xgboost)
urls=("http://127.0.0.1:$slipway_port/v1/models/stall-detector/versions/1:predict"
      "http://127.0.0.1:$slipway_port/v1/models/stall-detector/versions/2:predict"
      "http://127.0.0.1:$spring_port/v1/models/stall-detector:predict"
      "http://127.0.0.1:$fastapi_port/v1/models/stall-detector:predict")
servers=("$slipway_pid" "$slipway_pid" "$spring_pid" "$fastapi_pid")
for i in "${!names[@]}"; do wait_post "${names[$i]}" "${urls[$i]}"; done

echo "bench: checking the comparators' answers against Slipway's..." >&2
for i in "${!names[@]}"; do
  curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$sample/requests/v1-stalled.json" "${urls[$i]}" \
      > "$out/answer-${names[$i]}.json" || { echo "bench: ${names[$i]} fails the sample request" >&2; exit 1; }
done
same() {  # same <slipway-answer> <comparator-answer>
  "$python" - "$out/answer-$1.json" "$out/answer-$2.json" <<'PY'
import json, sys
ours, theirs = (json.load(open(path))["predictions"] for path in sys.argv[1:3])
name = sys.argv[2].rsplit("answer-", 1)[1][:-5]
if len(ours) != len(theirs):
    sys.exit(f"bench: {name} answers {len(theirs)} rows, Slipway {len(ours)}")
worst = 0.0
for row, (a, b) in enumerate(zip(ours, theirs)):
    diff = abs(a["stall_probability"] - b["stall_probability"])
    worst = max(worst, diff)
    if diff > 1e-5 or a["stalled"] != b["stalled"]:
        sys.exit(f"bench: {name} row {row}: {b} but Slipway {a} (|diff| {diff:.2e}, tolerance 1e-5)")
print(f"bench: {name} matches Slipway on the sample request (largest |diff| {worst:.1e})", file=sys.stderr)
PY
}
same slipway-v2 spring-onnx
same slipway-v1 fastapi-xgboost

# measure <index> <seconds> [round]: one wrk run; with a round, its summary and the CPU figures are kept.
measure() {
  local name=${names[$1]} url=${urls[$1]} pid=${servers[$1]} server0 machine0 wrk0 server1 machine1 wrk1
  machine0=$(machine_ticks); server0=$(cpu_ticks "$pid"); times > "$work/times0"
  wrk -t1 -c"$connections" -d"$2s" --latency -s bench/wrk/post.lua "$url" -- "$out/body.json" > "$work/wrk.out"
  times > "$work/times1"; server1=$(cpu_ticks "$pid"); machine1=$(machine_ticks)
  wrk0=$(child_ticks "$work/times0"); wrk1=$(child_ticks "$work/times1")
  if [ -n "${3:-}" ]; then
    local line; line=$(tail -1 "$work/wrk.out")
    echo "bench: round $3 $name $line" >&2
    echo "$name $3 $((server1 - server0)) $((wrk1 - wrk0)) $((machine1 - machine0)) $line" >> "$out/compare-runs.txt"
  fi
}

# warm <index>: 5 s slices until two in a row are not 3 % above the best (within the bounds above).
warm() {
  local best=0 flat=0 elapsed=0 rps
  while [ "$elapsed" -lt "$max_warmup" ]; do
    measure "$1" 5; elapsed=$((elapsed + 5))
    rps=$(sed -nE 's/.*"rps": ([0-9.]+).*/\1/p' "$work/wrk.out")
    if awk -v r="$rps" -v b="$best" 'BEGIN { exit !(r > b * 1.03) }'; then flat=0; else flat=$((flat + 1)); fi
    best=$(awk -v r="$rps" -v b="$best" 'BEGIN { print (r > b ? r : b) }')
    [ "$elapsed" -ge "$warmup" ] && [ "$flat" -ge 2 ] && break
  done
  echo "bench: warmed up ${names[$1]} for $elapsed s (best 5 s slice: $best req/s)" >&2
  echo "${names[$1]} $elapsed" >> "$work/warmups"
}
echo "bench: warming up each service..." >&2
for i in "${!names[@]}"; do warm "$i"; done
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$rounds"); do
  for i in "${!names[@]}"; do measure "$i" "$seconds" "$round"; done
done

# One line per service, its median round: name rps p50_ms p99_ms cpu_us_per_request server_cores rest_cores errors
for name in "${names[@]}"; do
  grep "^$name " "$out/compare-runs.txt" | awk -v hz="$hz" '
    { match($0, /"rps": [0-9.]+/); rps = substr($0, RSTART + 7, RLENGTH - 7) + 0;
      match($0, /"requests": [0-9]+/); n = substr($0, RSTART + 12, RLENGTH - 12) + 0;
      match($0, /"seconds": [0-9.]+/); s = substr($0, RSTART + 11, RLENGTH - 11) + 0;
      match($0, /"p50_us": [0-9]+/); p50 = substr($0, RSTART + 10, RLENGTH - 10) / 1000;
      match($0, /"p99_us": [0-9]+/); p99 = substr($0, RSTART + 10, RLENGTH - 10) / 1000;
      match($0, /"errors": [0-9]+/); errors = substr($0, RSTART + 10, RLENGTH - 10);
      rest = ($5 - $3 - $4) / hz / s; if (rest < 0) rest = 0;
      printf "%s %.1f %.2f %.2f %.1f %.2f %.2f %s\n", $1, rps, p50, p99, $3 / hz * 1e6 / n, $3 / hz / s, rest, errors }' \
    | sort -k2 -n | awk -v rounds="$rounds" 'NR == int((rounds + 1) / 2)'
done > "$work/medians"

versions=$("$python" -c 'import fastapi, uvicorn, pydantic, xgboost, numpy
print(f"FastAPI {fastapi.__version__}, uvicorn {uvicorn.__version__}, pydantic {pydantic.VERSION}, xgboost {xgboost.__version__}, numpy {numpy.__version__}")')
java_version=$(java -version 2>&1 | head -1)
{
  echo "# Slipway side by side with typical services, on the sample's stall-detector"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, loopback, wrk -t1 -c$connections, single-row V1 JSON," \
       "${seconds} s per run, median of $rounds rounds; load average at the start of the rounds: $loadavg"
  echo
  echo "| service | model | req/s | p50 ms | p99 ms | server CPU µs/request | server cores | rest of machine, cores | errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
  awk '
    BEGIN { what["slipway-v1"] = "Slipway (`./slipway serve`, sample config) | v1 XGBoost JSON, JVM evaluator";
            what["slipway-v2"] = "Slipway (`./slipway serve`, sample config) | v2 ONNX, ONNX Runtime, batching";
            what["spring-onnx"] = "Spring Boot 3.5.7 + ONNX Runtime 1.28.0 | v2 ONNX";
            what["fastapi-xgboost"] = "FastAPI + xgboost, uvicorn --workers 2 | v1 XGBoost JSON" }
    { printf "| %s | %.0f | %.2f | %.2f | %.1f | %.2f | %.2f | %s |\n", what[$1], $2, $3, $4, $5, $6, $7, $8 }' \
    "$work/medians"
  echo
  echo "Slipway's ratio to each (req/s: Slipway ÷ other, higher is better; CPU: other's µs/request ÷ Slipway's)." \
       "**Bold**: the same model file on both sides."
  echo
  echo "| Slipway | req/s ÷ Spring + ORT | CPU/request, Spring ÷ Slipway | req/s ÷ FastAPI + xgboost | CPU/request, FastAPI ÷ Slipway |"
  echo "|---|---|---|---|---|"
  awk '
    { rps[$1] = $2; cpu[$1] = $5 }
    END {
      split("slipway-v1 slipway-v2", mine, " ");
      for (k = 1; k <= 2; k++) {
        m = mine[k]; sb = (m == "slipway-v2") ? "**" : ""; fb = (m == "slipway-v1") ? "**" : "";
        printf "| %s | %s%.1f×%s | %s%.1f×%s | %s%.1f×%s | %s%.1f×%s |\n", (m == "slipway-v1" ? "v1 (XGBoost JSON)" : "v2 (ONNX)"),
          sb, rps[m] / rps["spring-onnx"], sb, sb, cpu["spring-onnx"] / cpu[m], sb,
          fb, rps[m] / rps["fastapi-xgboost"], fb, fb, cpu["fastapi-xgboost"] / cpu[m], fb
      }
    }' "$work/medians"
  echo
  echo "Each comparator's answer to $sample/requests/v1-stalled.json matched Slipway's stall_probability for the" \
       "same version to 1e-5 before the load. Warm-up before the rounds, until throughput stopped rising:" \
       "$(awk '{ printf "%s%s %d s", (NR > 1 ? ", " : ""), $1, $2 }' "$work/warmups"). Versions: $java_version; Spring Boot 3.5.7, ONNX Runtime 1.28.0" \
       "(intra-op 1, inter-op 1, Tomcat defaults); $versions; uvicorn --workers 2 --loop uvloop --http httptools" \
       "--no-access-log (one worker process per core). Raw runs: compare-runs.txt beside this file."
} > "$out/compare.md"
cat "$out/compare.md"
