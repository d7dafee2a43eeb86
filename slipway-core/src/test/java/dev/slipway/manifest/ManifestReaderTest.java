package dev.slipway.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.Category;
import dev.slipway.api.manifest.DriftSpec;
import dev.slipway.api.manifest.DriftThresholds;
import dev.slipway.api.manifest.FeatureType;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.OutputKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
    private static final Path SAMPLE = Path.of("../examples/whatsup-logistics/models/stall-detector/2");

    @TempDir
    Path directory;

    @Test
    void readsTheShippedSampleManifest() {
        ModelManifest manifest = ManifestReader.read(SAMPLE);

        assertThat(manifest.name()).isEqualTo("stall-detector");
        assertThat(manifest.version()).isEqualTo(2);
        assertThat(manifest.format()).isEqualTo("onnx");
        assertThat(manifest.artifact().file()).isEqualTo("model.onnx");
        assertThat(manifest.features()).hasSize(10);
        assertThat(manifest.feature("speed_kmh").orElseThrow().max()).isEqualTo(160.0);
        assertThat(manifest.feature("distance_to_destination_km").orElseThrow().nullable())
                .isTrue();
        assertThat(manifest.feature("road_type").orElseThrow().categories())
                .containsExactly(
                        new Category("highway", 0),
                        new Category("urban", 1),
                        new Category("rural", 2),
                        new Category("yard", 3));
        assertThat(manifest.feature("in_geofence").orElseThrow().type()).isEqualTo(FeatureType.BOOL);
        assertThat(manifest.tensors().get(0).datatype()).isEqualTo(DataType.FP32);
        assertThat(manifest.tensors().get(0).columns())
                .hasSize(10)
                .startsWith("speed_kmh")
                .endsWith("road_type");
        assertThat(manifest.outputs().get(0).column()).isEqualTo(1);
        assertThat(manifest.outputs().get(0).kind()).isEqualTo(OutputKind.PROBABILITY);
        assertThat(manifest.outputs().get(0).decision()).isEqualTo("stalled");
        assertThat(manifest.golden()).isNotNull();
        assertThat(manifest.golden().tolerance()).isEqualTo(1e-5);
        assertThat(manifest.slo().p99LatencyMs()).isEqualTo(25.0);
        assertThat(manifest.owners().team()).isEqualTo("fleet-data-science");
        assertThat(manifest.retraining().cadence()).isEqualTo(Period.ofDays(30));
    }

    @Test
    void reportsEveryProblemAtOnceWithItsYamlPath() {
        String text =
                """
                name: "bad name!"
                version: 0
                format: ONNX
                surprise: 1
                artifact: {file: ../model.onnx, sha256: abc}
                features:
                  - {name: speed, type: float, min: 10, max: 5}
                  - {name: road, type: categorical}
                  - {name: flag, type: bool, min: 0}
                  - {name: speed, type: int, default: 1.5}
                  - {name: kind, type: colour}
                tensors:
                  - {name: input, datatype: FP8, columns: [speed, ghost]}
                outputs:
                  - {name: p, from: probabilities, datatype: FP32, decision: flagged}
                  - {name: q, from: probabilities, datatype: FP32, kind: label, threshold: 0.5}
                  - {name: r, from: label, datatype: BYTES, kind: probability, labels: [a, " "]}
                slo: {p99-latency-ms: -1, max-error-rate: 2}
                owners: {team: t}
                retraining: {cadence: fortnightly}
                """;

        assertThatThrownBy(() -> ManifestReader.parse(text, "model.yaml", null))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.details())
                            .anySatisfy(p -> assertThat(p).startsWith("name: 'bad name!'"))
                            .anySatisfy(p -> assertThat(p).startsWith("version: 0"))
                            .anySatisfy(p -> assertThat(p).startsWith("format: 'ONNX'"))
                            .anySatisfy(p -> assertThat(p).startsWith("surprise: unknown key"))
                            .anySatisfy(p -> assertThat(p).startsWith("artifact.file: '../model.onnx'"))
                            .anySatisfy(p -> assertThat(p).startsWith("artifact.sha256: 'abc'"))
                            .anySatisfy(p -> assertThat(p).startsWith("features[0].max: 5.0 is below min 10.0"))
                            .anySatisfy(p -> assertThat(p).startsWith("features[1].categories: missing"))
                            .anySatisfy(p -> assertThat(p).startsWith("features[2].min: only float and int"))
                            .anySatisfy(p -> assertThat(p).startsWith("features[3].default: 1.5"))
                            .anySatisfy(p -> assertThat(p).startsWith("features[4].type: 'colour'"))
                            .anySatisfy(p -> assertThat(p).contains("feature 'speed' is declared twice"))
                            .anySatisfy(p -> assertThat(p).startsWith("tensors[0].datatype: 'FP8'"))
                            .anySatisfy(p -> assertThat(p).startsWith("tensors[0].columns: 'ghost' is not a declared"))
                            .anySatisfy(
                                    p -> assertThat(p).startsWith("outputs[0].decision: 'flagged' needs a threshold"))
                            .anySatisfy(p -> assertThat(p).startsWith("outputs[1].threshold: only probability"))
                            .anySatisfy(p -> assertThat(p)
                                    .startsWith(
                                            "outputs[2].datatype: BYTES (expected: a numeric type for a PROBABILITY"))
                            .anySatisfy(p -> assertThat(p).startsWith("outputs[2].labels: [a,  ]"))
                            .anySatisfy(p -> assertThat(p).startsWith("slo.p99-latency-ms: -1.0"))
                            .anySatisfy(p -> assertThat(p).startsWith("slo.max-error-rate: 2.0"))
                            .anySatisfy(p -> assertThat(p).startsWith("owners.on-call: missing"))
                            .anySatisfy(p -> assertThat(p).startsWith("retraining.cadence: 'fortnightly'"));
                    assertThat(e.getMessage())
                            .startsWith(
                                    "manifest 'model.yaml' has " + e.details().size() + " problems");
                });
    }

    @Test
    void anUnquotedNumericDigestIsRefusedWithAHint() {
        String text = minimal("m.bin", "").replace('"' + "0".repeat(64) + '"', "1" + "0".repeat(63));

        assertThatThrownBy(() -> ManifestReader.parse(text, "model.yaml", null))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.details())
                        .singleElement()
                        .satisfies(p ->
                                assertThat(p).startsWith("artifact.sha256:").contains("quote")));
    }

    @Test
    void everyFeatureMustFeedATensor() {
        String text = minimal("m.bin", "")
                .replace(
                        "features:\n  - {name: a, type: float}\n",
                        "features:\n  - {name: a, type: float}\n  - {name: b, type: int}\n");

        assertThatThrownBy(() -> ManifestReader.parse(text, "model.yaml", null))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.details())
                        .containsExactly("tensors: feature 'b' is not a column of any tensor"));
    }

    @Test
    void textAndBooleanTensorsHoldOnlyCategoricalAndBoolFeatures() {
        String text = minimal("m.bin", "")
                .replace(
                        "  - {name: input, datatype: FP32, columns: [a]}\n",
                        "  - {name: input, datatype: BYTES, columns: [a]}\n  - {name: flags, datatype: BOOL, columns: [c]}\n"
                                + "  - {name: roads, datatype: BYTES, columns: [r]}\n")
                .replace(
                        "  - {name: a, type: float}\n",
                        "  - {name: a, type: float}\n  - {name: c, type: categorical, categories: {x: 0}}\n"
                                + "  - {name: r, type: categorical, categories: {y: 1}}\n");

        assertThatThrownBy(() -> ManifestReader.parse(text, "model.yaml", null))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.details())
                        .containsExactly(
                                "tensors[0].columns: 'a' is a float feature (expected: categorical features only in a"
                                        + " BYTES tensor, which carries their names)",
                                "tensors[1].columns: 'c' is a categorical feature (expected: bool features only in a"
                                        + " BOOL tensor)"));
    }

    @Test
    void duplicateKeysAreRejected() {
        String text = "name: a\nname: b\n";

        assertThatThrownBy(() -> ManifestReader.parse(text, "model.yaml", null))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.getMessage()).contains("Duplicate field 'name'"));
    }

    @Test
    void filesNamedByTheManifestMustExistBesideIt() throws Exception {
        Files.writeString(directory.resolve("model.yaml"), minimal("missing.onnx", "golden: {file: nope.csv}\n"));

        assertThatThrownBy(() -> ManifestReader.read(directory))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.details())
                        .anySatisfy(p -> assertThat(p).startsWith("artifact.file: 'missing.onnx' does not exist"))
                        .anySatisfy(p -> assertThat(p).startsWith("golden.file: 'nope.csv' does not exist")));
    }

    @Test
    void aMissingManifestIsNamed() {
        assertThatThrownBy(() -> ManifestReader.read(directory.resolve("nowhere")))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("nowhere").contains("does not exist");
                });
    }

    @Test
    void defaultsOfCategoricalAndBoolFeaturesAreEncoded() throws Exception {
        Files.writeString(directory.resolve("m.bin"), "x");
        String text = minimal("m.bin", "")
                .replace(
                        "features:\n  - {name: a, type: float}\n",
                        "features:\n  - {name: a, type: float}\n  - {name: c, type: categorical, categories: [x, y], default: y}\n"
                                + "  - {name: b, type: bool, default: true}\n")
                .replace("columns: [a]", "columns: [a, c, b]");

        ModelManifest manifest = ManifestReader.parse(text, "model.yaml", directory);

        assertThat(manifest.feature("c").orElseThrow().defaultValue()).isEqualTo(1.0);
        assertThat(manifest.feature("b").orElseThrow().defaultValue()).isEqualTo(1.0);
        assertThat(manifest.golden()).isNull();
        assertThat(manifest.slo().p99LatencyMs()).isNull();
    }

    static String minimal(String artifact, String extra) {
        return """
                name: m
                version: 1
                format: onnx
                artifact: {file: %s, sha256: "%s"}
                features:
                  - {name: a, type: float}
                tensors:
                  - {name: input, datatype: FP32, columns: [a]}
                outputs:
                  - {name: p, from: y, datatype: FP32}
                owners: {team: t, on-call: o}
                """
                        .formatted(artifact, "0".repeat(64))
                + extra;
    }

    @Test
    void aManifestWithoutDriftSectionGetsTheDefaults() {
        ModelManifest manifest = ManifestReader.parse(minimal("m.bin", ""), "model.yaml", null);

        assertThat(manifest.drift()).isEqualTo(DriftSpec.defaults());
        assertThat(manifest.drift().thresholdsFor("a")).isEqualTo(DriftThresholds.defaults());
    }

    @Test
    void driftSectionSetsWindowAndThresholdsPerColumnOverTheSharedOnes() {
        String text = minimal(
                "m.bin",
                """
                drift:
                  window: PT15M
                  min-rows: 100
                  thresholds: {psi: 0.3, ks-p-value: off}
                  features:
                    a: {psi-warning: 0.05, wasserstein-normalized: 0.2, missing-share-increase: off}
                    p: {js-distance: 0.2}
                """);

        DriftSpec drift = ManifestReader.parse(text, "model.yaml", null).drift();

        assertThat(drift.window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(drift.minRows()).isEqualTo(100);
        DriftThresholds a = drift.thresholdsFor("a");
        assertThat(a.psiWarning()).isEqualTo(0.05);
        assertThat(a.psi()).isEqualTo(0.3);
        assertThat(a.ksPValue()).isEqualTo(0.0);
        assertThat(a.wassersteinNormalized()).isEqualTo(0.2);
        assertThat(a.missingShareIncrease()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(a.jsDistance()).isEqualTo(DriftThresholds.DEFAULT_JS_DISTANCE);
        DriftThresholds p = drift.thresholdsFor("p");
        assertThat(p.jsDistance()).isEqualTo(0.2);
        assertThat(p.psiWarning()).isEqualTo(DriftThresholds.DEFAULT_PSI_WARNING);
        assertThat(p.wassersteinNormalized()).isEqualTo(DriftThresholds.OFF);
    }

    @Test
    void badDriftValuesAreReportedWithTheirYamlPath() {
        String text = minimal(
                "m.bin",
                """
                drift:
                  window: 1h
                  min-rows: 0
                  colour: red
                  thresholds: {psi: -1, ks-p-value: 2, js-distance: lots, psi-warning: 0.5, unseen-share: 0.5}
                  features:
                    ghost: {psi: 0.1}
                    a: {psi: 0.1, psi-warning: 0.2, surprise: 1}
                """);

        assertThatThrownBy(() -> ManifestReader.parse(text, "model.yaml", null))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.details())
                        .containsExactlyInAnyOrder(
                                "drift.colour: unknown key (expected one of: features, min-rows, thresholds, window)",
                                "drift.window: '1h' (expected: a positive ISO-8601 duration such as PT1H)",
                                "drift.min-rows: 0 (expected: a positive integer)",
                                "drift.thresholds.psi: -1.0 (expected: >= 0, or off)",
                                "drift.thresholds.ks-p-value: 2.0 (expected: 0..1, or off)",
                                "drift.thresholds.js-distance: 'lots' (expected: a number 0..1, or off)",
                                "drift.features.ghost: not a feature or output of this model (expected one of: a, p)",
                                "drift.features.a.psi-warning: 0.2 is above psi 0.1",
                                "drift.features.a.surprise: unknown key (expected one of: chi-squared-p-value,"
                                        + " js-distance, ks-p-value, missing-share-increase, out-of-contract-share, psi,"
                                        + " psi-warning, unseen-share, wasserstein-normalized)"));
    }

    @Test
    void sha256DetectsAChangedArtifact() throws Exception {
        Path file = Files.writeString(directory.resolve("a.bin"), "model bytes");
        String digest = Sha256.of(file);
        Sha256.verify(file, digest);
        Files.writeString(file, "model bytez");

        assertThatThrownBy(() -> Sha256.verify(file, digest))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.getMessage())
                        .contains("sha256 " + Sha256.of(file))
                        .contains("expected: " + digest));
        assertThat(List.of(digest)).allMatch(d -> d.matches("[0-9a-f]{64}"));
    }
}
