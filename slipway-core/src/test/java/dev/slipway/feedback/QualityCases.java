package dev.slipway.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.manifest.OutputKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The scikit-learn fixtures of {@code quality-cases.json} (made by {@code make_quality_fixtures.py} beside it): labelled
 * rows and the metrics scikit-learn computes for them.
 */
final class QualityCases {
    /** One case: its rows in the store's form and the expected metrics. */
    record Case(String name, OutputKind kind, double threshold, List<Row> rows, JsonNode expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One labelled row: score ({@code NaN} for class labels), predicted label, label. */
    record Row(double score, @Nullable String predicted, String label) {}

    private QualityCases() {}

    static List<Case> all() {
        JsonNode root;
        try (InputStream in = QualityCases.class.getResourceAsStream("quality-cases.json")) {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            OutputKind kind = OutputKind.valueOf(c.get("kind").asText());
            List<Row> rows = new ArrayList<>();
            for (JsonNode r : c.get("rows")) {
                double score = r.has("score") ? Float.parseFloat(r.get("score").asText()) : Double.NaN;
                String predicted = r.has("predicted") ? r.get("predicted").asText() : null;
                String label = kind == OutputKind.VALUE
                        ? Double.toString(r.get("label").asDouble())
                        : r.get("label").asText();
                rows.add(new Row(score, predicted, label));
            }
            double threshold = c.has("threshold") ? c.get("threshold").asDouble() : Double.NaN;
            cases.add(new Case(c.get("name").asText(), kind, threshold, rows, c.get("expected")));
        }
        return cases;
    }

    /** The expected value of a metric; {@code null} when scikit-learn's value is undefined or not applicable. */
    static @Nullable Double expected(Case c, String metric) {
        JsonNode value = c.expected().get(metric);
        return value == null || value.isNull() ? null : value.asDouble();
    }
}
