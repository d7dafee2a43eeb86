package dev.slipway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one benchmark run's result files into the Markdown table: throughput, latency, server CPU per request, and
 * each figure's ratio to the HTTP floor and to the in-process compute limit; then the hot pieces and the targets.
 *
 * <p>Usage: {@code BenchReport <results-dir> <connections>}
 */
public final class BenchReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<String, Double> computeNanos = new HashMap<>();
    private final Map<String, Double> hotPieces = new HashMap<>();
    private final StringBuilder out = new StringBuilder();

    private BenchReport(Path dir) throws Exception {
        this.dir = dir;
        JsonNode jmh = JSON.readTree(dir.resolve("jmh.json").toFile());
        for (JsonNode result : jmh) {
            String name = result.get("benchmark").asText();
            String simple = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            JsonNode params = result.path("params");
            String key = simple + params.toString();
            double score = result.get("primaryMetric").get("score").asDouble();
            if (simple.startsWith("ComputeLimitBenchmark")) {
                computeNanos.put(params.get("version").asText() + "/" + params.get("rows").asText(), 1e9 / score);
            }
            hotPieces.put(key, score);
        }
    }

    public static void main(String[] args) throws Exception {
        BenchReport report = new BenchReport(Path.of(args[0]));
        System.out.print(report.render(args.length > 1 ? args[1] : "32"));
    }

    private String render(String connections) throws Exception {
        line("# Slipway serving benchmark");
        line("");
        line("One run on this machine (" + Runtime.getRuntime().availableProcessors() + " cores), loopback, `wrk -t1 -c"
                + connections + "` for REST, `h2load -c4 -m8` (32 calls in flight) for gRPC; model "
                + "`stall-detector` (v1 = XGBoost trees on Slipway's JVM evaluator, v2 = the same trees in ONNX "
                + "Runtime); server CPU from /proc (user + system) divided by requests.");
        line("");
        line("| scenario | rows/req | req/s | rows/s | p50 µs | p99 µs | p99.9 µs | CPU µs/req | req/s ÷ floor | rows/s ÷ compute limit |");
        line("|---|---|---|---|---|---|---|---|---|---|");
        Run floor = run("floor");
        row("HTTP floor (fixed body)", floor, 1, floor, null);
        for (int version : new int[] {1, 2}) {
            for (int rows : new int[] {1, 64, 1024}) {
                row("REST JSON v" + version, run("rest-json-v" + version + "-" + rows), rows, floor, version + "/" + rows);
            }
            for (int rows : new int[] {64, 1024}) {
                row("REST binary v" + version, run("rest-binary-v" + version + "-" + rows), rows, floor,
                        version + "/" + rows);
            }
            for (int rows : new int[] {1, 1024}) {
                row("gRPC raw v" + version, run("grpc-v" + version + "-" + rows), rows, floor, version + "/" + rows);
            }
        }
        line("");
        line("Compute limit (JMH, engine calls from one thread per core, no protocol):");
        line("");
        line("| version | rows/call | ns/call (all threads) | rows/s |");
        line("|---|---|---|---|");
        for (int version : new int[] {1, 2}) {
            for (int rows : new int[] {1, 64, 1024}) {
                Double nanos = computeNanos.get(version + "/" + rows);
                if (nanos != null) {
                    line(String.format(Locale.ROOT, "| v%d | %d | %.0f | %.0f |", version, rows, nanos, rows * 1e9 / nanos));
                }
            }
        }
        line("");
        line("Hot pieces (JMH, ns/op):");
        line("");
        line("| benchmark | ns/op |");
        line("|---|---|");
        hotPieces.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("ComputeLimit"))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> line(String.format(Locale.ROOT, "| %s | %.0f |", e.getKey(), e.getValue())));
        line("");
        targets(floor);
        return out.toString();
    }

    private void targets(Run floor) throws Exception {
        line("Targets:");
        line("");
        for (int version : new int[] {1, 2}) {
            Run single = run("rest-json-v" + version + "-1");
            Run grpc = run("grpc-v" + version + "-1");
            line(String.format(Locale.ROOT, "- REST single-row v%d = %.0f%% of the floor's req/s (target >= 40%%)",
                    version, 100 * single.rps / floor.rps));
            line(String.format(Locale.ROOT, "- gRPC single-row v%d / REST single-row = %.2f (target >= 1)",
                    version, grpc.rps / single.rps));
            Double nanos = computeNanos.get(version + "/1024");
            if (nanos != null) {
                double limit = 1024 * 1e9 / nanos;
                line(String.format(Locale.ROOT,
                        "- 1024-row v%d rows/s vs compute limit: JSON %.0f%%, binary %.0f%%, gRPC %.0f%% (target >= 70%%)",
                        version, 100 * run("rest-json-v" + version + "-1024").rps * 1024 / limit,
                        100 * run("rest-binary-v" + version + "-1024").rps * 1024 / limit,
                        100 * run("grpc-v" + version + "-1024").rps * 1024 / limit));
            }
        }
        Run half = run("rest-json-v1-1-half");
        Run floorHalf = run("floor-half");
        line(String.format(Locale.ROOT,
                "- p99 at about half the maximum: Slipway v1 %d µs at %.0f req/s, floor %d µs at %.0f req/s "
                        + "(target: Slipway <= floor + 1000 µs)",
                half.p99, half.rps, floorHalf.p99, floorHalf.rps));
    }

    private void row(String name, Run run, int rows, Run floor, String computeKey) {
        Double nanos = computeKey == null ? null : computeNanos.get(computeKey);
        String compute = nanos == null ? "" : String.format(Locale.ROOT, "%.2f", run.rps * rows / (rows * 1e9 / nanos));
        line(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %d | %d | %d | %s | %.2f | %s |",
                name, rows, run.rps, run.rps * rows, run.p50, run.p99, run.p999, run.cpuMicros(), run.rps / floor.rps,
                compute));
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    private Run run(String name) throws Exception {
        JsonNode result = JSON.readTree(Files.readString(dir.resolve(name + ".json")));
        Path cpu = dir.resolve(name + ".cpu");
        double cpuSeconds = -1;
        if (Files.exists(cpu)) {
            JsonNode ticks = JSON.readTree(Files.readString(cpu));
            cpuSeconds = ticks.get("cpu_ticks").asDouble() / ticks.get("hz").asDouble();
        }
        return new Run(
                result.get("rps").asDouble(), result.get("requests").asLong(), result.get("p50_us").asLong(),
                result.get("p99_us").asLong(), result.get("p999_us").asLong(), cpuSeconds);
    }

    private record Run(double rps, long requests, long p50, long p99, long p999, double cpuSeconds) {
        String cpuMicros() {
            return cpuSeconds < 0 || requests == 0 ? "" : String.format(Locale.ROOT, "%.1f", cpuSeconds * 1e6 / requests);
        }
    }
}
