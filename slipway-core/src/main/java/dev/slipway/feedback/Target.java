package dev.slipway.feedback;

import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.OutputKind;
import dev.slipway.api.manifest.OutputSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The output a model version is judged on, and how a row's prediction is read from a response: the manifest's first
 * output of kind probability, else score, else label, else value.
 *
 * @param output the output's name
 * @param kind its kind
 * @param threshold the decision threshold of a probability or score ({@code NaN}: no decision)
 * @param decision the name of the derived decision output, if any
 */
record Target(String output, OutputKind kind, double threshold, @Nullable String decision) {
    private static final List<OutputKind> PREFERENCE =
            List.of(OutputKind.PROBABILITY, OutputKind.SCORE, OutputKind.LABEL, OutputKind.VALUE);

    /** The target of a manifest; empty when it has no outputs. */
    static Optional<Target> of(ModelManifest manifest) {
        for (OutputKind kind : PREFERENCE) {
            for (OutputSpec output : manifest.outputs()) {
                if (output.kind() == kind) {
                    double threshold = output.threshold() != null
                            ? output.threshold()
                            : kind == OutputKind.PROBABILITY ? 0.5 : Double.NaN;
                    return Optional.of(new Target(output.name(), kind, threshold, output.decision()));
                }
            }
        }
        return Optional.empty();
    }

    /** The score (probability, score or value) in a row of predictions; {@code NaN} when absent. */
    double score(Map<String, ?> row) {
        if (kind == OutputKind.LABEL) {
            return Double.NaN;
        }
        Object value = row.get(output);
        if (value instanceof List<?> list && list.size() == 1) {
            value = list.get(0);
        }
        return value instanceof Number number && Double.isFinite(number.doubleValue())
                ? number.doubleValue()
                : Double.NaN;
    }

    /**
     * The predicted label in a row: for probabilities and scores the decision output when the response has it, else
     * the score against the threshold ({@code "1"}/{@code "0"}); for class labels the label's text; none for values.
     */
    @Nullable
    String predicted(Map<String, ?> row, double score) {
        switch (kind) {
            case PROBABILITY, SCORE -> {
                Object said = decision == null ? null : row.get(decision);
                if (said instanceof Boolean b) {
                    return b ? "1" : "0";
                }
                if (Double.isNaN(score) || Double.isNaN(threshold)) {
                    return null;
                }
                return score >= threshold ? "1" : "0";
            }
            case LABEL -> {
                Object value = row.get(output);
                if (value instanceof List<?> list && list.size() == 1) {
                    value = list.get(0);
                }
                return Labels.predictedClass(value);
            }
            default -> {
                return null;
            }
        }
    }
}
