package dev.slipway.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.api.manifest.OutputKind;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Slipway's quality metrics against scikit-learn's on the same rows ({@code quality-cases.json}). */
class QualityMathTest {
    static List<QualityCases.Case> cases() {
        return QualityCases.all();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void metricsMatchScikitLearn(QualityCases.Case c) {
        int n = c.rows().size();
        double[] scores = new double[n];
        String[] predicted = new String[n];
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            scores[i] = c.rows().get(i).score();
            predicted[i] = c.rows().get(i).predicted();
            labels[i] = c.rows().get(i).label();
        }

        QualityMetrics metrics = QualityMath.metrics(c.kind(), n, scores, predicted, labels);

        assertMetrics(c, metrics);
    }

    /** Every metric of a case: equal to scikit-learn's to 1e-12, or absent exactly when it has none. */
    static void assertMetrics(QualityCases.Case c, QualityMetrics metrics) {
        assertThat(metrics.labelled()).isEqualTo(c.rows().size());
        boolean binary = c.kind() == OutputKind.PROBABILITY || c.kind() == OutputKind.SCORE;
        check(c, "accuracy", metrics.accuracy(), c.kind() != OutputKind.VALUE);
        check(c, "precision", metrics.precision(), c.kind() != OutputKind.VALUE);
        check(c, "recall", metrics.recall(), c.kind() != OutputKind.VALUE);
        check(c, "log_loss", metrics.logLoss(), binary);
        check(c, "roc_auc", metrics.rocAuc(), binary);
        check(c, "positive_rate", metrics.positiveRate(), binary);
        check(c, "mean_score", metrics.meanScore(), binary);
        check(c, "mean_absolute_error", metrics.meanAbsoluteError(), c.kind() == OutputKind.VALUE);
        check(c, "root_mean_squared_error", metrics.rootMeanSquaredError(), c.kind() == OutputKind.VALUE);
    }

    private static void check(QualityCases.Case c, String metric, @Nullable Double actual, boolean applies) {
        Double expected = applies ? QualityCases.expected(c, metric) : null;
        if (expected == null) {
            assertThat(actual).as("%s of %s", metric, c).isNull();
        } else {
            assertThat(actual).as("%s of %s", metric, c).isNotNull().isCloseTo(expected, within(1e-12));
        }
    }
}
