package dev.slipway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an h2load run (its summary and its per-request log) into the JSON line wrk's script prints: requests,
 * errors, seconds, req/s and latency percentiles in microseconds.
 *
 * <p>Usage: {@code H2loadResult <summary-file> <log-file>}
 */
public final class H2loadResult {
    private static final Pattern FINISHED = Pattern.compile("finished in ([0-9.]+)(m?s), ([0-9.]+) req/s");
    private static final Pattern REQUESTS = Pattern.compile("requests: (\\d+) total.* (\\d+) succeeded, (\\d+) failed");

    private H2loadResult() {}

    public static void main(String[] args) throws Exception {
        String summary = Files.readString(Path.of(args[0]));
        Matcher finished = FINISHED.matcher(summary);
        Matcher requests = REQUESTS.matcher(summary);
        if (!finished.find() || !requests.find()) {
            throw new IllegalStateException("not an h2load summary: " + summary);
        }
        double seconds = Double.parseDouble(finished.group(1)) / (finished.group(2).equals("ms") ? 1000 : 1);
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        long[] micros = lines.stream()
                .map(line -> line.split("\t"))
                .filter(cells -> cells.length >= 3)
                .mapToLong(cells -> Long.parseLong(cells[2].strip()))
                .sorted()
                .toArray();
        System.out.printf(
                Locale.ROOT,
                "{\"requests\": %d, \"errors\": %d, \"seconds\": %.3f, \"rps\": %s, \"p50_us\": %d, \"p99_us\": %d, "
                        + "\"p999_us\": %d}%n",
                Long.parseLong(requests.group(2)), Long.parseLong(requests.group(3)), seconds, finished.group(3),
                percentile(micros, 50), percentile(micros, 99), percentile(micros, 99.9));
    }

    static long percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
