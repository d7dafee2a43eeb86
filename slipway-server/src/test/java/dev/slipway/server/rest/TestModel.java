package dev.slipway.server.rest;

import dev.slipway.manifest.Sha256;
import dev.slipway.testing.FakeEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One model version written into a temporary repository: a {@link FakeEngine} artifact, a {@code model.yaml} whose
 * sha256 matches it, and a {@code golden.csv} whose expected probabilities come from {@link #probability}, computed
 * here rather than by the server.
 */
final class TestModel {
    private final String name;
    private final int version;
    private final List<String> columns = new ArrayList<>();
    private final List<String> features = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final List<String> goldenCells = new ArrayList<>();
    private final List<double[]> goldenEncoded = new ArrayList<>();
    private float[] weights = {1f};
    private float bias;
    private @Nullable Double failAbove;
    private String goldenOutput = "score";
    private boolean wrongGolden;

    private TestModel(String name, int version) {
        this.name = name;
        this.version = version;
    }

    static TestModel named(String name, int version) {
        return new TestModel(name, version);
    }

    /** A feature, as the inside of a YAML flow mapping without its name: {@code type: float, min: 0, max: 160}. */
    TestModel feature(String featureName, String yaml) {
        columns.add(featureName);
        features.add("{name: " + featureName + ", " + yaml + "}");
        return this;
    }

    TestModel weights(float newBias, float... newWeights) {
        this.bias = newBias;
        this.weights = newWeights.clone();
        return this;
    }

    /** Makes the engine fail with ENGINE_FAILURE when the first column of a row exceeds {@code limit}. */
    TestModel failAbove(double limit) {
        this.failAbove = limit;
        return this;
    }

    /** An output, as the inside of a YAML flow mapping: {@code name: score, from: probabilities, column: 1}. */
    TestModel output(String yaml) {
        outputs.add("{" + yaml + "}");
        return this;
    }

    /** The served output the golden file holds the probability of class 1 for. */
    TestModel goldenOutput(String outputName) {
        this.goldenOutput = outputName;
        return this;
    }

    /** A golden example: its CSV feature cells and the numbers the engine sees for them. */
    TestModel golden(String cells, double... encoded) {
        goldenCells.add(cells);
        goldenEncoded.add(encoded.clone());
        return this;
    }

    /** Writes golden values that are off by 0.3, so the parity gate fails and the version is FAILED. */
    TestModel wrongGolden() {
        this.wrongGolden = true;
        return this;
    }

    String name() {
        return name;
    }

    /** The probability of class 1 the fake engine must compute for encoded feature values. */
    float probability(double... encoded) {
        return probability(weights, bias, encoded);
    }

    /**
     * The logistic model, p = 1 / (1 + exp(-(x·w + b))), in float arithmetic like the fake engine: each product in
     * float, a missing value ({@code NaN}) adding nothing.
     */
    static float probability(float[] weights, float bias, double... encoded) {
        if (encoded.length != weights.length) {
            throw new IllegalArgumentException(encoded.length + " values for " + weights.length + " weights");
        }
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            float x = (float) encoded[i];
            z += Float.isNaN(x) ? 0 : x * weights[i];
        }
        return (float) (1 / (1 + Math.exp(-z)));
    }

    void writeTo(Path root) {
        try {
            Path directory = Files.createDirectories(root.resolve(name).resolve(Integer.toString(version)));
            Path artifact = FakeEngine.write(directory.resolve("model.fake"), weights, bias);
            if (failAbove != null) {
                Files.writeString(artifact, "fail-above=" + failAbove + "\n", StandardOpenOption.APPEND);
            }
            StringBuilder golden = new StringBuilder(String.join(",", columns)).append(',');
            golden.append(goldenOutput).append('\n');
            for (int i = 0; i < goldenCells.size(); i++) {
                double expected = probability(goldenEncoded.get(i)) + (wrongGolden ? 0.3 : 0);
                golden.append(goldenCells.get(i)).append(',').append(expected).append('\n');
            }
            Files.writeString(directory.resolve("golden.csv"), golden);
            Files.writeString(directory.resolve("model.yaml"), manifest(Sha256.of(artifact)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String manifest(String sha256) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("name: ").append(name).append('\n');
        yaml.append("version: ").append(version).append('\n');
        yaml.append("format: fake\n");
        yaml.append("description: REST conformance test model\n");
        yaml.append("artifact:\n  file: model.fake\n  sha256: ").append(sha256).append('\n');
        yaml.append("features:\n");
        for (String feature : features) {
            yaml.append("  - ").append(feature).append('\n');
        }
        yaml.append("tensors:\n  - name: input\n    datatype: FP32\n    columns: [")
                .append(String.join(", ", columns))
                .append("]\n");
        yaml.append("outputs:\n");
        for (String output : outputs) {
            yaml.append("  - ").append(output).append('\n');
        }
        yaml.append("golden:\n  file: golden.csv\n  tolerance: 1.0e-6\n");
        yaml.append("owners:\n  team: serving\n  on-call: serving-oncall@example.com\n");
        return yaml.toString();
    }
}
