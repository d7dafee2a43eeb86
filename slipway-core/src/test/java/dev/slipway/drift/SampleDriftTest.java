package dev.slipway.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.DriftSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.parity.CsvRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample model's reference against the drifted pings, read from the CSV files as the CLI reads them, column by
 * column against numbers scipy computed from the same files (sample-report.json).
 */
class SampleDriftTest {
    static final Path SAMPLE = Path.of("../examples/whatsup-logistics");
    static final Path MODEL = SAMPLE.resolve("models/stall-detector/2");
    static final double TOLERANCE = 1e-9;

    @TempDir
    Path directory;

    static DriftReport sampleReport() {
        ModelManifest manifest = ManifestReader.read(MODEL);
        ReferenceProfile profile = ReferenceProfile.load(MODEL, manifest);
        return profile.compare(
                CsvRows.read(SAMPLE.resolve("data/pings-drifted.csv")), manifest.drift(), "pings-drifted.csv");
    }

    @Test
    void everyColumnOfTheSampleMatchesScipy() {
        DriftReport report = sampleReport();

        SoftAssertions soft = new SoftAssertions();
        List<String> names = new ArrayList<>();
        for (JsonNode column : Fixtures.SAMPLE_REPORT.get("columns")) {
            String name = column.get("name").asText();
            names.add(name);
            JsonNode expected = column.get("expected");
            FeatureDrift drift = report.feature(name).orElseThrow();
            DriftScores scores = drift.scores();
            soft.assertThat(drift.bins().stream().mapToLong(BinCount::reference).toArray())
                    .as(name)
                    .containsExactly(Fixtures.longs(expected.get("reference_counts")));
            soft.assertThat(drift.bins().stream().mapToLong(BinCount::current).toArray())
                    .as(name)
                    .containsExactly(Fixtures.longs(expected.get("current_counts")));
            soft.assertThat(scores.psi())
                    .as(name + " psi")
                    .isCloseTo(expected.get("psi").asDouble(), within(TOLERANCE));
            soft.assertThat(scores.jsDistance())
                    .as(name + " js")
                    .isCloseTo(expected.get("js_distance").asDouble(), within(TOLERANCE));
            soft.assertThat(drift.quality().missingShare())
                    .as(name + " missing")
                    .isCloseTo(expected.get("missing_share").asDouble(), within(TOLERANCE));
            soft.assertThat(drift.quality().outOfContractShare())
                    .as(name + " out of contract")
                    .isCloseTo(expected.get("out_of_contract_share").asDouble(), within(TOLERANCE));
            if (column.get("kind").asText().equals("numeric")) {
                soft.assertThat(scores.ksStatistic())
                        .as(name + " ks")
                        .isCloseTo(expected.get("ks_statistic").asDouble(), within(TOLERANCE));
                soft.assertThat(scores.ksPValue())
                        .as(name + " ks p")
                        .isCloseTo(expected.get("ks_p_value").asDouble(), within(TOLERANCE));
                soft.assertThat(scores.wasserstein())
                        .as(name + " wasserstein")
                        .isCloseTo(expected.get("wasserstein").asDouble(), within(TOLERANCE));
                soft.assertThat(scores.wassersteinNormalized())
                        .as(name + " wasserstein/std")
                        .isCloseTo(expected.get("wasserstein_normalized").asDouble(), within(TOLERANCE));
            } else {
                soft.assertThat(drift.bins().stream().map(BinCount::label).toList())
                        .as(name)
                        .isEqualTo(labels(expected.get("bins")));
                soft.assertThat(scores.chiSquared())
                        .as(name + " chi2")
                        .isCloseTo(expected.get("chi_squared").asDouble(), within(TOLERANCE));
                soft.assertThat(scores.chiSquaredPValue())
                        .as(name + " chi2 p")
                        .isCloseTo(expected.get("chi_squared_p_value").asDouble(), within(TOLERANCE));
                soft.assertThat(drift.quality().unseenShare())
                        .as(name + " unseen")
                        .isCloseTo(expected.get("unseen_share").asDouble(), within(TOLERANCE));
            }
        }
        soft.assertThat(report.features().stream().map(FeatureDrift::name).toList())
                .isEqualTo(names);
        soft.assertAll();
    }

    @Test
    void theVerdictNamesTheShiftedFeaturesAndNotTheStableOnes() {
        DriftReport report = sampleReport();

        assertThat(report.drifted())
                .contains("speed_kmh", "minutes_since_last_ping", "road_type")
                .doesNotContain("in_geofence", "hour_of_day", "driver_hours_today", "ignition_on");
        assertThat(report.qualityIssues()).containsExactlyInAnyOrder("distance_to_destination_km", "road_type");
        assertThat(report.feature("speed_kmh").orElseThrow().quality().outOfContract())
                .isEqualTo(17);
        assertThat(report.feature("road_type").orElseThrow().reasons())
                .anySatisfy(r -> assertThat(r).startsWith("unseen-category share 0.0245 > 0.01"));
        assertThat(report.feature("distance_to_destination_km").orElseThrow().reasons())
                .anySatisfy(r -> assertThat(r).startsWith("missing share 0.2145 > 0.0775"));
    }

    @Test
    void aCurrentFileWithoutAFeatureColumnIsRefusedNamingIt() throws Exception {
        ModelManifest manifest = ManifestReader.read(MODEL);
        ReferenceProfile profile = ReferenceProfile.load(MODEL, manifest);
        Path current = directory.resolve("current.csv");
        Files.writeString(current, "speed_kmh,road_type\n1.0,urban\n");

        assertThatThrownBy(() -> profile.compare(CsvRows.read(current), DriftSpec.defaults(), "current.csv"))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.getMessage())
                            .startsWith("'current.csv' lacks the feature columns minutes_since_last_move, "
                                    + "minutes_since_last_ping, distance_to_destination_km");
                });
    }

    private static List<String> labels(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
