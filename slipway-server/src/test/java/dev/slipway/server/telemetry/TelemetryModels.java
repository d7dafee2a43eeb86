package dev.slipway.server.telemetry;

import dev.slipway.testing.FakeModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Fake-engine model versions (features f0, f1, f2; {@code slo: {p99-latency-ms: 25, max-error-rate: 0.001}}). */
final class TelemetryModels {
    static final float[] WEIGHTS = {0.02f, -0.5f, 0.25f};

    private TelemetryModels() {}

    /** A version without a reference sample. */
    static Path plain(Path root, String name) {
        return FakeModels.write(root, name, 1, WEIGHTS, 0f);
    }

    /**
     * A version watched for drift over one-minute windows (at least 5 values), with a reference sample of 100 rows: f0
     * takes 0..99 once each, f1 and f2 alternate between -1 and 1.
     */
    static Path watched(Path root, String name) {
        Path directory = plain(root, name);
        StringBuilder reference = new StringBuilder("f0,f1,f2\n");
        for (int i = 0; i < 100; i++) {
            int sign = i % 2 == 0 ? 1 : -1;
            reference
                    .append(i)
                    .append(',')
                    .append(sign)
                    .append(',')
                    .append(-sign)
                    .append('\n');
        }
        try {
            Files.writeString(directory.resolve("reference.csv"), reference);
            Files.writeString(
                    directory.resolve("model.yaml"),
                    "reference: {file: reference.csv}\ndrift: {window: PT1M, min-rows: 5}\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory;
    }

    /** A V2 infer body of FP32 rows of three values. */
    static String inferBody(float[]... rows) {
        StringBuilder data = new StringBuilder();
        for (float[] row : rows) {
            for (float value : row) {
                data.append(data.length() == 0 ? "" : ",").append(value);
            }
        }
        return "{\"inputs\":[{\"name\":\"input\",\"shape\":[" + rows.length + ",3],\"datatype\":\"FP32\",\"data\":["
                + data + "]}]}";
    }
}
