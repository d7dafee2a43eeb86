package dev.slipway.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.api.manifest.DriftSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.parity.CsvRows;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Merging N replicas' window states gives what one process that saw all the traffic computes. */
class WindowMergeTest {
    static final Path SAMPLE = Path.of("../examples/whatsup-logistics");
    static final Path MODEL = SAMPLE.resolve("models/stall-detector/2");
    static final Instant START = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant END = START.plusSeconds(3600);

    static ReferenceProfile sampleProfile() {
        ModelManifest manifest = ManifestReader.read(MODEL);
        return ReferenceProfile.load(MODEL, manifest);
    }

    static List<Map<String, @Nullable Object>> driftedRows() {
        return CsvRows.read(SAMPLE.resolve("data/pings-drifted.csv")).rows();
    }

    /** Splits rows among {@code parts} states at random, then merges them into a fresh state. */
    static WindowState mergedAcross(
            ReferenceProfile profile, List<Map<String, @Nullable Object>> rows, int parts, int exactLimit, long seed) {
        Random random = new Random(seed);
        List<WindowState> replicas = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            replicas.add(profile.newWindow(START, END, exactLimit));
        }
        for (Map<String, @Nullable Object> row : rows) {
            replicas.get(random.nextInt(parts)).observeRecord(row);
        }
        WindowState merged = profile.newWindow(START, END, exactLimit);
        replicas.forEach(merged::merge);
        return merged;
    }

    static WindowState single(ReferenceProfile profile, List<Map<String, @Nullable Object>> rows, int exactLimit) {
        WindowState state = profile.newWindow(START, END, exactLimit);
        rows.forEach(state::observeRecord);
        return state;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7})
    void replicaStatesMergeIntoExactlyTheReportOfOneProcess(int replicas) {
        ReferenceProfile profile = sampleProfile();
        List<Map<String, @Nullable Object>> rows = driftedRows();

        DriftReport merged = profile.compare(
                mergedAcross(profile, rows, replicas, ReferenceProfile.DEFAULT_EXACT_LIMIT, replicas),
                DriftSpec.defaults());
        DriftReport one =
                profile.compare(single(profile, rows, ReferenceProfile.DEFAULT_EXACT_LIMIT), DriftSpec.defaults());

        // record equality: every count, bin, share, statistic (bit for bit) and verdict
        assertThat(merged).isEqualTo(one);
        assertThat(merged.rows()).isEqualTo(rows.size());
        assertThat(merged.features())
                .allSatisfy(f -> assertThat(f.scores().ksMethod()).isIn(KsMethod.EXACT, KsMethod.NONE));
        assertThat(merged.drifted()).isNotEmpty();
    }

    @Test
    void sketchedWindowsMergeToEqualCountsAndKsWithinTheSketchError() {
        ReferenceProfile profile = sampleProfile();
        List<Map<String, @Nullable Object>> rows = driftedRows();
        int exactLimit = 100;

        DriftReport merged = profile.compare(mergedAcross(profile, rows, 4, exactLimit, 42), DriftSpec.defaults());
        WindowState oneState = single(profile, rows, exactLimit);
        DriftReport one = profile.compare(oneState, DriftSpec.defaults());
        DriftReport exact = profile.compare(single(profile, rows, Integer.MAX_VALUE), DriftSpec.defaults());

        for (int i = 0; i < one.features().size(); i++) {
            FeatureDrift a = merged.features().get(i);
            FeatureDrift b = one.features().get(i);
            FeatureDrift truth = exact.features().get(i);
            assertThat(a.bins()).as(a.name()).isEqualTo(b.bins());
            assertThat(a.quality()).as(a.name()).isEqualTo(b.quality());
            assertThat(a.scores().psi()).as(a.name()).isEqualTo(b.scores().psi());
            assertThat(a.scores().jsDistance())
                    .as(a.name())
                    .isEqualTo(b.scores().jsDistance());
            if (a.kind() == ColumnKind.NUMERIC) {
                double epsilon = a.scores().ksError();
                assertThat(a.scores().ksMethod()).isEqualTo(KsMethod.SKETCH);
                assertThat(epsilon).isCloseTo(0.0068, within(0.0005));
                assertThat(a.scores().ksStatistic())
                        .as(a.name())
                        .isCloseTo(truth.scores().ksStatistic(), within(epsilon));
                assertThat(b.scores().ksStatistic())
                        .as(a.name())
                        .isCloseTo(truth.scores().ksStatistic(), within(epsilon));
                // both CDFs are within eps of the truth over [min, max], which the sketch keeps exactly
                double range = oneState.column(i).sketch().getMaxItem()
                        - oneState.column(i).sketch().getMinItem();
                assertThat(a.scores().wasserstein())
                        .as(a.name())
                        .isCloseTo(truth.scores().wasserstein(), within(epsilon * range));
            } else {
                assertThat(a.scores()).as(a.name()).isEqualTo(b.scores());
            }
        }
    }

    @Test
    void aMergedWindowKeepsExactValuesOnlyWithinTheLimit() {
        JsonNode fixture = Fixtures.namedCase("normal-shift");
        ReferenceProfile profile = Fixtures.profile(fixture);
        List<@Nullable Object> current = Fixtures.values(fixture.get("current"));
        WindowState left = Fixtures.window(profile, current.subList(0, 700), 1500);
        WindowState right = Fixtures.window(profile, current.subList(700, 1400), 1500);
        WindowState last = Fixtures.window(profile, current.subList(1400, 1500), 1500);

        left.merge(right);
        assertThat(left.column(0).exact()).isTrue();
        left.merge(last);

        assertThat(left.column(0).exact()).isTrue();
        assertThat(left.column(0).count()).isEqualTo(1500);
        left.merge(Fixtures.window(profile, current.subList(0, 1), 1500));
        assertThat(left.column(0).exact()).isFalse();
        assertThat(left.column(0).sketch().getN()).isEqualTo(1501);
    }
}
