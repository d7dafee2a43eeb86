package dev.slipway.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.manifest.DriftSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every drift statistic against numbers numpy and scipy computed independently (drift-cases.json, made by
 * make_fixtures.py), to 1e-9, on exact (non-sketch) windows.
 */
class DriftStatisticsTest {
    static final double TOLERANCE = 1e-9;

    static Stream<Arguments> numericCases() {
        return cases("numeric");
    }

    static Stream<Arguments> categoricalCases() {
        return cases("categorical");
    }

    private static Stream<Arguments> cases(String kind) {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode fixture : Fixtures.CASES.get("cases")) {
            if (fixture.get("kind").asText().equals(kind)) {
                out.add(Arguments.of(fixture.get("name").asText(), fixture));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numericCases")
    void numericStatisticsMatchScipy(String name, JsonNode fixture) {
        JsonNode expected = fixture.get("expected");
        ReferenceProfile profile = Fixtures.profile(fixture);
        WindowState window = Fixtures.window(profile, Fixtures.values(fixture.get("current")), Integer.MAX_VALUE);

        FeatureDrift drift =
                profile.compare(window, DriftSpec.defaults()).features().get(0);

        DriftScores scores = drift.scores();
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(profile.edges(name)).containsExactly(Fixtures.doubles(expected.get("edges")));
        soft.assertThat(drift.bins().stream().mapToLong(BinCount::reference).toArray())
                .containsExactly(Fixtures.longs(expected.get("reference_counts")));
        soft.assertThat(drift.bins().stream().mapToLong(BinCount::current).toArray())
                .containsExactly(Fixtures.longs(expected.get("current_counts")));
        soft.assertThat(scores.psi()).as("psi").isCloseTo(expected.get("psi").asDouble(), within(TOLERANCE));
        soft.assertThat(scores.jsDistance())
                .as("js")
                .isCloseTo(expected.get("js_distance").asDouble(), within(TOLERANCE));
        soft.assertThat(scores.ksStatistic())
                .as("ks D")
                .isCloseTo(expected.get("ks_statistic").asDouble(), within(TOLERANCE));
        soft.assertThat(scores.ksPValue())
                .as("ks p")
                .isCloseTo(expected.get("ks_p_value").asDouble(), within(TOLERANCE));
        soft.assertThat(scores.ksMethod().name().toLowerCase(java.util.Locale.ROOT))
                .isEqualTo(expected.get("ks_method").asText());
        soft.assertThat(scores.wasserstein())
                .as("wasserstein")
                .isCloseTo(expected.get("wasserstein").asDouble(), within(TOLERANCE));
        if (expected.get("wasserstein_normalized").isNull()) {
            soft.assertThat(scores.wassersteinNormalized()).isNaN();
        } else {
            soft.assertThat(scores.wassersteinNormalized())
                    .as("normalised wasserstein")
                    .isCloseTo(expected.get("wasserstein_normalized").asDouble(), within(TOLERANCE));
        }
        soft.assertThat(scores.referenceMean())
                .isCloseTo(expected.get("reference_mean").asDouble(), within(TOLERANCE));
        soft.assertThat(scores.referenceStd())
                .isCloseTo(expected.get("reference_std").asDouble(), within(TOLERANCE));
        soft.assertThat(drift.quality().missingShare())
                .isCloseTo(expected.get("missing_share").asDouble(), within(TOLERANCE));
        soft.assertThat(drift.quality().referenceMissingShare())
                .isCloseTo(expected.get("reference_missing_share").asDouble(), within(TOLERANCE));
        soft.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("categoricalCases")
    void categoricalStatisticsMatchScipy(String name, JsonNode fixture) {
        JsonNode expected = fixture.get("expected");
        ReferenceProfile profile = Fixtures.profile(fixture);
        WindowState window = Fixtures.window(profile, Fixtures.values(fixture.get("current")), Integer.MAX_VALUE);

        FeatureDrift drift =
                profile.compare(window, DriftSpec.defaults()).features().get(0);

        DriftScores scores = drift.scores();
        List<String> bins = new ArrayList<>();
        expected.get("bins").forEach(b -> bins.add(b.asText()));
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(drift.bins().stream().map(BinCount::label).toList()).isEqualTo(bins);
        soft.assertThat(drift.bins().stream().mapToLong(BinCount::reference).toArray())
                .containsExactly(Fixtures.longs(expected.get("reference_counts")));
        soft.assertThat(drift.bins().stream().mapToLong(BinCount::current).toArray())
                .containsExactly(Fixtures.longs(expected.get("current_counts")));
        soft.assertThat(scores.psi()).as("psi").isCloseTo(expected.get("psi").asDouble(), within(TOLERANCE));
        soft.assertThat(scores.jsDistance())
                .as("js")
                .isCloseTo(expected.get("js_distance").asDouble(), within(TOLERANCE));
        soft.assertThat(scores.chiSquared())
                .as("chi2")
                .isCloseTo(expected.get("chi_squared").asDouble(), within(TOLERANCE));
        soft.assertThat(scores.chiSquaredPValue())
                .as("chi2 p")
                .isCloseTo(expected.get("chi_squared_p_value").asDouble(), within(TOLERANCE));
        soft.assertThat(scores.chiSquaredDof())
                .isEqualTo(expected.get("chi_squared_dof").asInt());
        soft.assertThat(drift.quality().missingShare())
                .isCloseTo(expected.get("missing_share").asDouble(), within(TOLERANCE));
        soft.assertThat(drift.quality().unseenShare())
                .isCloseTo(expected.get("unseen_share").asDouble(), within(TOLERANCE));
        soft.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numericCases")
    void smallPValuesAgreeRelativelyToo(String name, JsonNode fixture) {
        ReferenceProfile profile = Fixtures.profile(fixture);
        WindowState window = Fixtures.window(profile, Fixtures.values(fixture.get("current")), Integer.MAX_VALUE);
        double expected = fixture.get("expected").get("ks_p_value").asDouble();

        double p = profile.compare(window, DriftSpec.defaults())
                .features()
                .get(0)
                .scores()
                .ksPValue();

        if (expected > 0 && expected < 1e-3) {
            assertThat(p).isCloseTo(expected, within(expected * 1e-6));
        }
    }

    static Stream<Arguments> kolmogorovPoints() {
        List<Arguments> out = new ArrayList<>();
        Fixtures.CASES
                .get("kolmogorov_sf")
                .forEach(p ->
                        out.add(Arguments.of(p.get("x").asDouble(), p.get("sf").asDouble())));
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("kolmogorovPoints")
    void limitingKolmogorovSurvivalMatchesScipy(double x, double expected) {
        assertThat(DriftMath.kolmogorovSf(x)).isCloseTo(expected, within(1e-12));
    }
}
