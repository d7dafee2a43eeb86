#!/usr/bin/env bash
# Slipway's serving benchmark, one command: ./bench/run.sh
#
# Measures in one run, on loopback:
#   - the HTTP floor: a minimal Netty server answering a fixed body of the size of Slipway's answer;
#   - Slipway REST (JSON single row, 64 and 1024 rows; binary 64 and 1024 rows) and gRPC (raw tensors, driven by
#     h2load: gRPC is HTTP/2, and a C load tool keeps the client from eating the server's cores) on the
#     sample's stall-detector, version 1 (XGBoost trees, JVM evaluator) and version 2 (ONNX Runtime);
#   - the in-process compute limit and the hot pieces with JMH;
# then prints a Markdown table (also written to bench/results/<time>/report.md and bench/results/latest.md).
# Needs: a JDK 17, wrk and h2load (Debian: apt-get install wrk nghttp2-client). BENCH_SECONDS (default 10) sets each load run's length.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-32}"
out="bench/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
command -v wrk >/dev/null || { echo "bench: wrk is missing (Debian: apt-get install wrk)" >&2; exit 1; }
command -v h2load >/dev/null || { echo "bench: h2load is missing (Debian: apt-get install nghttp2-client)" >&2; exit 1; }

echo "bench: building the distribution and the benchmark jar..." >&2
./slipway --version >/dev/null
./mvnw -q -B -Pbench -pl bench -am package -Dmaven.test.skip=true -Dspotless.check.skip=true
cp="bench/target/slipway-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"

rest=18180; grpc=18181; floor=18190
pids=()
cleanup() { for pid in "${pids[@]:-}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_http() { for _ in $(seq 1 240); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "bench: $1 never answered" >&2; exit 1; }

# Request bodies: one sample row repeated, as JSON and as the binary tensor extension.
java -cp "$cp" dev.slipway.bench.Bodies "$out"
java -cp "$cp" dev.slipway.bench.GrpcBodies "$out"

# load <name> <server-pid> <url> <body> [pause-ms] [header-length] [connections]
load() {
  local name=$1 pid=$2 url=$3 body=$4 pause=${5:-0} header=${6:-} conns=${7:-$connections}
  wrk -t1 -c"$conns" -d3s -s bench/wrk/post.lua "$url" -- "$body" "$pause" $header >/dev/null
  local before; before=$(cpu_ticks "$pid")
  wrk -t1 -c"$conns" -d"${seconds}s" --latency -s bench/wrk/post.lua "$url" -- "$body" "$pause" $header \
      | tail -1 > "$out/$name.json"
  local after; after=$(cpu_ticks "$pid")
  echo "{\"cpu_ticks\": $((after - before)), \"hz\": $(getconf CLK_TCK)}" > "$out/$name.cpu"
  echo "bench: $name $(cat "$out/$name.json")" >&2
}

# grpc_load <name> <server-pid> <framed-body>: h2load drives ModelInfer over HTTP/2, 4 connections x 8 streams.
grpc_load() {
  local name=$1 pid=$2 body=$3 url="http://127.0.0.1:$grpc/inference.GRPCInferenceService/ModelInfer"
  local headers=(-H 'content-type: application/grpc' -H 'te: trailers')
  curl -s --http2-prior-knowledge "${headers[@]}" --data-binary @"$body" "$url" -D - -o /dev/null \
      | grep -q 'grpc-status: 0' || { echo "bench: $name: the gRPC call does not succeed" >&2; exit 1; }
  h2load -c4 -m8 -t1 -D 3 "${headers[@]}" -d "$body" "$url" >/dev/null
  local before; before=$(cpu_ticks "$pid")
  h2load -c4 -m8 -t1 -D "$seconds" "${headers[@]}" -d "$body" --log-file="$out/$name.log" "$url" > "$out/$name.h2load"
  local after; after=$(cpu_ticks "$pid")
  echo "{\"cpu_ticks\": $((after - before)), \"hz\": $(getconf CLK_TCK)}" > "$out/$name.cpu"
  java -cp "$cp" dev.slipway.bench.H2loadResult "$out/$name.h2load" "$out/$name.log" > "$out/$name.json"
  rm -f "$out/$name.log"
  echo "bench: $name $(cat "$out/$name.json")" >&2
}

echo "bench: starting slipway serve..." >&2
./slipway serve --port "$rest" --grpc-port "$grpc" --config examples/whatsup-logistics/slipway.yaml > "$out/serve.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$rest/v2/health/ready"
server=$(pgrep -f "dev.slipway.cli.SlipwayCli serve --port $rest" | head -1)
curl -s -X POST "http://127.0.0.1:$rest/v2/models/stall-detector/versions/1/infer" \
    -d @"$out/json-1.json" > "$out/response-1.json"

echo "bench: warming up (JIT)..." >&2
# Every path is warmed before anything is measured: REST JSON, the binary extension and gRPC. gRPC needs the longest
# (gRPC, protobuf and HTTP/2 code on top of Slipway's): with 3 s it measured ~40% below its steady state.
for version in 1 2; do
  for body in json-1.json json-64.json json-1024.json; do
    wrk -t1 -c"$connections" -d3s -s bench/wrk/post.lua \
        "http://127.0.0.1:$rest/v2/models/stall-detector/versions/$version/infer" -- "$out/$body" >/dev/null
  done
  for rows in 64 1024; do
    wrk -t1 -c"$connections" -d3s -s bench/wrk/post.lua \
        "http://127.0.0.1:$rest/v2/models/stall-detector/versions/$version/infer" -- "$out/binary-$rows.bin" 0 \
        "$(cat "$out/binary-$rows.header")" >/dev/null
  done
  for rows in 1 1024; do
    h2load -c4 -m8 -t1 -D 10 -H 'content-type: application/grpc' -H 'te: trailers' -d "$out/grpc-v$version-$rows.bin" \
        "http://127.0.0.1:$grpc/inference.GRPCInferenceService/ModelInfer" >/dev/null
  done
done

for version in 1 2; do
  base="http://127.0.0.1:$rest/v2/models/stall-detector/versions/$version/infer"
  for rows in 1 64 1024; do
    load "rest-json-v$version-$rows" "$server" "$base" "$out/json-$rows.json"
  done
  for rows in 64 1024; do
    load "rest-binary-v$version-$rows" "$server" "$base" "$out/binary-$rows.bin" 0 "$(cat "$out/binary-$rows.header")"
  done
  for rows in 1 1024; do
    grpc_load "grpc-v$version-$rows" "$server" "$out/grpc-v$version-$rows.bin"
  done
done
# Half of the measured single-row maximum, paced with a 1 ms pause per request and connection.
max=$(sed -E 's/.*"rps": ([0-9.]+).*/\1/' "$out/rest-json-v1-1.json")
half_conns=$(awk -v m="$max" 'BEGIN { c = int(m / 2 / 1000 * 1.2); if (c < 1) c = 1; print c }')
load "rest-json-v1-1-half" "$server" "http://127.0.0.1:$rest/v2/models/stall-detector/versions/1/infer" \
    "$out/json-1.json" 1 "" "$half_conns"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()

echo "bench: starting the HTTP floor server..." >&2
java -cp "$cp" dev.slipway.bench.FloorServer "$floor" "$out/response-1.json" > "$out/floor.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$floor/"
load "floor" "${pids[0]}" "http://127.0.0.1:$floor/" "$out/json-1.json"
fmax=$(sed -E 's/.*"rps": ([0-9.]+).*/\1/' "$out/floor.json")
fhalf=$(awk -v m="$fmax" 'BEGIN { c = int(m / 2 / 1000 * 1.2); if (c < 1) c = 1; print c }')
load "floor-half" "${pids[0]}" "http://127.0.0.1:$floor/" "$out/json-1.json" 1 "" "$fhalf"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true; pids=()

echo "bench: JMH (compute limit and hot pieces)..." >&2
java -Dslipway.models=examples/whatsup-logistics/models -cp "$cp" org.openjdk.jmh.Main \
    -f 1 -wi 3 -w 1s -i 5 -r 1s -rf json -rff "$out/jmh.json" \
    'ComputeLimitBenchmark|ContractBenchmark|JsonBenchmark|BatcherBenchmark' > "$out/jmh.log" 2>&1

java -cp "$cp" dev.slipway.bench.BenchReport "$out" "$connections" > "$out/report.md"
cp "$out/report.md" bench/results/latest.md
cat "$out/report.md"
