package dev.slipway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes model version directories for the fake engine: a logistic model over features {@code f0..fk-1} (floats in
 * -100..100), a manifest and golden examples whose expected probabilities are computed here, independently of the
 * engine.
 */
public final class FakeModels {
    /** Rows of the golden file: each row's features. */
    public static final float[][] GOLDEN_ROWS = {{0.5f, -1f, 2f}, {3f, 0.25f, -4f}, {-2f, -2f, -2f}, {10f, 1f, 0f}};

    private FakeModels() {}

    /** A version that passes its parity gate. */
    public static Path write(Path root, String name, long version, float[] weights, float bias) {
        return write(root, name, version, weights, bias, 0.0);
    }

    /**
     * A version whose golden probabilities are off by {@code goldenError} (0 for a version that passes its gate).
     */
    public static Path write(Path root, String name, long version, float[] weights, float bias, double goldenError) {
        try {
            Path directory = Files.createDirectories(root.resolve(name).resolve(Long.toString(version)));
            Path artifact = FakeEngine.write(directory.resolve("model.fake"), weights, bias);
            Files.writeString(
                    directory.resolve("model.yaml"), manifest(name, version, weights.length, sha256(artifact)));
            StringBuilder golden = new StringBuilder();
            for (int c = 0; c < weights.length; c++) {
                golden.append('f').append(c).append(',');
            }
            golden.append("probability\n");
            for (float[] row : GOLDEN_ROWS) {
                for (int c = 0; c < weights.length; c++) {
                    golden.append(row[c % row.length]).append(',');
                }
                golden.append(probability(row, weights, bias) + goldenError).append('\n');
            }
            Files.writeString(directory.resolve("golden.csv"), golden);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes a written version's engine fail (ENGINE_FAILURE) on rows whose first feature exceeds {@code threshold},
     * keeping its manifest's sha256 true.
     */
    public static Path failAbove(Path directory, double threshold) {
        try {
            Path artifact = directory.resolve("model.fake");
            Files.writeString(artifact, Files.readString(artifact) + "fail-above=" + threshold + "\n");
            Path manifest = directory.resolve("model.yaml");
            Files.writeString(
                    manifest,
                    Files.readString(manifest).replaceAll("sha256: [0-9a-f]{64}", "sha256: " + sha256(artifact)));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The logistic probability, computed as the fake engine documents it. */
    public static double probability(float[] row, float[] weights, float bias) {
        double z = bias;
        for (int c = 0; c < weights.length; c++) {
            z += row[c % row.length] * weights[c];
        }
        return (float) (1 / (1 + Math.exp(-z)));
    }

    /** The lower-case hex sha256 of a file. */
    public static String sha256(Path file) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String manifest(String name, long version, int features, String sha256) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                """
                name: %s
                version: %d
                format: fake
                description: a logistic model for tests
                artifact:
                  file: model.fake
                  sha256: %s
                features:
                """,
                name,
                version,
                sha256));
        StringBuilder columns = new StringBuilder();
        for (int c = 0; c < features; c++) {
            text.append("  - {name: f").append(c).append(", type: float, min: -100, max: 100}\n");
            columns.append(c == 0 ? "" : ", ").append('f').append(c);
        }
        text.append("tensors:\n  - {name: input, datatype: FP32, columns: [")
                .append(columns)
                .append("]}\n");
        text.append(
                """
                outputs:
                  - {name: probability, from: probabilities, column: 1, datatype: FP32, kind: probability, threshold: 0.5, decision: positive}
                  - {name: label, from: label, datatype: INT64, kind: label}
                golden: {file: golden.csv, tolerance: 1.0e-6}
                slo: {p99-latency-ms: 25, max-error-rate: 0.001}
                owners: {team: test-team, on-call: test-oncall}
                """);
        return text.toString();
    }
}
