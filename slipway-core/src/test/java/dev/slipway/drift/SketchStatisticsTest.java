package dev.slipway.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.manifest.DriftSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Past the exact-value limit a window keeps only its KLL sketch: bins stay exact, KS and Wasserstein come from the
 * sketch's distribution and stay within its documented error of scipy's exact values.
 */
class SketchStatisticsTest {
    @ParameterizedTest
    @ValueSource(strings = {"normal-shift", "small-shift", "missing-values", "large-window-asymptotic"})
    void sketchKsIsWithinTheRankErrorOfScipyAndItsPValueIsConservative(String name) {
        JsonNode fixture = Fixtures.namedCase(name);
        JsonNode expected = fixture.get("expected");
        ReferenceProfile profile = Fixtures.profile(fixture);
        WindowState window = Fixtures.window(profile, Fixtures.values(fixture.get("current")), 100);

        FeatureDrift drift =
                profile.compare(window, DriftSpec.defaults()).features().get(0);

        DriftScores scores = drift.scores();
        double d = expected.get("ks_statistic").asDouble();
        long n = drift.bins().stream().mapToLong(BinCount::reference).sum();
        long m = drift.quality().values();
        assertThat(scores.ksMethod()).isEqualTo(KsMethod.SKETCH);
        assertThat(scores.ksError()).isEqualTo(window.column(0).sketch().getNormalizedRankError(false));
        assertThat(scores.ksStatistic()).isCloseTo(d, within(scores.ksError()));
        // the p-value is that of D - eps: never below the limiting distribution's p-value of the exact D
        assertThat(scores.ksPValue())
                .isCloseTo(
                        DriftMath.kolmogorovSf(Math.sqrt((double) n * m / (n + m))
                                * Math.max(0, scores.ksStatistic() - scores.ksError())),
                        within(1e-15))
                .isGreaterThanOrEqualTo(DriftMath.kolmogorovSf(Math.sqrt((double) n * m / (n + m)) * d));
        double range = window.column(0).sketch().getMaxItem()
                - window.column(0).sketch().getMinItem();
        assertThat(scores.wasserstein())
                .isCloseTo(expected.get("wasserstein").asDouble(), within(scores.ksError() * range));
        assertThat(scores.psi()).isCloseTo(expected.get("psi").asDouble(), within(1e-9));
        assertThat(scores.jsDistance()).isCloseTo(expected.get("js_distance").asDouble(), within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(strings = {"large-window-asymptotic"})
    void aWindowOverTheDefaultLimitFallsBackToTheSketch(String name) {
        JsonNode fixture = Fixtures.namedCase(name);
        ReferenceProfile profile = Fixtures.profile(fixture);
        WindowState window =
                Fixtures.window(profile, Fixtures.values(fixture.get("current")), ReferenceProfile.DEFAULT_EXACT_LIMIT);

        FeatureDrift drift =
                profile.compare(window, DriftSpec.defaults()).features().get(0);

        assertThat(drift.quality().values()).isGreaterThan(ReferenceProfile.DEFAULT_EXACT_LIMIT);
        assertThat(drift.scores().ksMethod()).isEqualTo(KsMethod.SKETCH);
        assertThat(drift.scores().ksStatistic())
                .isCloseTo(
                        fixture.get("expected").get("ks_statistic").asDouble(),
                        within(drift.scores().ksError()));
    }
}
