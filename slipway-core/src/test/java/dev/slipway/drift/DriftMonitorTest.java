package dev.slipway.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.manifest.DriftSpec;
import dev.slipway.api.manifest.DriftThresholds;
import dev.slipway.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Tumbling windows driven by a manual clock: no sleeping, every boundary explicit. */
class DriftMonitorTest {
    static final Instant NOON = Instant.parse("2026-11-27T12:00:00Z");
    static final DriftSpec HOURLY = new DriftSpec(Duration.ofHours(1), 30, DriftThresholds.inherit(), Map.of());

    final ReferenceProfile profile = WindowMergeTest.sampleProfile();
    final List<Map<String, @Nullable Object>> drifted = WindowMergeTest.driftedRows();
    final ManualClock clock = new ManualClock(NOON.plus(Duration.ofMinutes(20)));

    DriftMonitor monitor(int keep) {
        return new DriftMonitor(profile, HOURLY, clock, Runnable::run, keep, 4, ReferenceProfile.DEFAULT_EXACT_LIMIT);
    }

    @Test
    void aWindowClosesOnlyOnceTheClockReachesItsEnd() {
        DriftMonitor monitor = monitor(3);
        drifted.subList(0, 500).forEach(monitor::observeRecord);

        clock.advance(Duration.ofMinutes(39).plusSeconds(59));
        monitor.tick();
        assertThat(monitor.latest()).isEmpty();
        assertThat(monitor.gauge("speed_kmh", DriftGauge.PSI)).isNaN();

        clock.advance(Duration.ofSeconds(1));
        monitor.tick();

        DriftReport report = monitor.latest().orElseThrow();
        assertThat(report.start()).isEqualTo(NOON);
        assertThat(report.end()).isEqualTo(NOON.plus(Duration.ofHours(1)));
        assertThat(report.rows()).isEqualTo(500);
        assertThat(report.source()).isEqualTo("window");
    }

    @Test
    void theFirstRowAfterTheBoundaryClosesTheWindowAndStartsTheNext() {
        DriftMonitor monitor = monitor(3);
        drifted.subList(0, 300).forEach(monitor::observeRecord);
        clock.advance(Duration.ofMinutes(45));

        drifted.subList(300, 400).forEach(monitor::observeRecord);

        assertThat(monitor.latest().orElseThrow().rows()).isEqualTo(300);
        assertThat(monitor.snapshot().rows()).isEqualTo(100);
        assertThat(monitor.snapshot().start()).isEqualTo(NOON.plus(Duration.ofHours(1)));
    }

    @Test
    void gaugesReadTheLatestReportAndTheLastNReportsAreKept() {
        DriftMonitor monitor = monitor(2);
        for (int hour = 0; hour < 3; hour++) {
            List<Map<String, @Nullable Object>> rows = hour == 1 ? drifted : referenceRows();
            rows.forEach(monitor::observeRecord);
            clock.advance(Duration.ofHours(1));
            monitor.tick();
        }

        assertThat(monitor.reports()).hasSize(2);
        assertThat(monitor.reports().get(0).start()).isEqualTo(NOON.plus(Duration.ofHours(1)));
        assertThat(monitor.reports().get(0).driftDetected()).isTrue();
        DriftReport latest = monitor.latest().orElseThrow();
        assertThat(latest.start()).isEqualTo(NOON.plus(Duration.ofHours(2)));
        assertThat(latest.drifted()).isEmpty();
        assertThat(monitor.drifted()).isZero();
        FeatureDrift speed = latest.feature("speed_kmh").orElseThrow();
        assertThat(monitor.gauge("speed_kmh", DriftGauge.PSI))
                .isEqualTo(speed.scores().psi())
                .isZero();
        assertThat(monitor.gauge("speed_kmh", DriftGauge.KS_P_VALUE)).isEqualTo(1.0);
        assertThat(monitor.gauge("road_type", DriftGauge.CHI_SQUARED_P_VALUE)).isEqualTo(1.0);
        assertThat(monitor.gauge("speed_kmh", DriftGauge.DRIFTED)).isZero();
        assertThat(monitor.gauge("no_such_column", DriftGauge.PSI)).isNaN();
    }

    @Test
    void aQuietHourLeavesNoReportAndAWindowAfterAGapStartsOnItsOwnBoundary() {
        DriftMonitor monitor = monitor(5);
        drifted.subList(0, 10).forEach(monitor::observeRecord);
        clock.advance(Duration.ofHours(5));

        drifted.subList(10, 20).forEach(monitor::observeRecord);

        assertThat(monitor.reports()).singleElement().satisfies(r -> {
            assertThat(r.rows()).isEqualTo(10);
            assertThat(r.features()).allSatisfy(f -> assertThat(f.status()).isEqualTo(DriftStatus.INSUFFICIENT_DATA));
        });
        assertThat(monitor.snapshot().start()).isEqualTo(NOON.plus(Duration.ofHours(5)));
    }

    @Test
    void encodedRowsFollowTheProfileColumnOrder() {
        DriftMonitor monitor = monitor(1);
        assertThat(profile.columns())
                .startsWith("speed_kmh", "minutes_since_last_move")
                .endsWith("road_type", "stall_probability");
        assertThat(profile.predictions()).containsExactly("stall_probability");
        double[] row = {12.5, 0, 2, Double.NaN, 30, 1, 14, 6.5, 1, 3, 0.25};

        monitor.observe(row);
        monitor.observe(new double[] {12.5, 0, 2, 10, 30, 0, 14, 6.5, 1, 9, 0.25});

        WindowState state = monitor.snapshot();
        assertThat(state.rows()).isEqualTo(2);
        FeatureDrift road = profile.compare(state, HOURLY).feature("road_type").orElseThrow();
        assertThat(road.bins()).extracting(BinCount::label).contains("yard", "code 9");
        assertThat(road.quality().outOfContract()).isEqualTo(1);
        assertThat(road.quality().unseen()).isEqualTo(1);
        FeatureDrift destination = profile.compare(state, HOURLY)
                .feature("distance_to_destination_km")
                .orElseThrow();
        assertThat(destination.quality().missing()).isEqualTo(1);
        assertThatThrownBy(() -> monitor.observe(new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("row: 3 values (expected: 11");
    }

    @Test
    void concurrentObserversLoseNoRow() throws Exception {
        DriftMonitor monitor = monitor(1);
        int threads = 4;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        monitor.observeRecord(drifted.get((offset * perThread + i) % drifted.size()));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        clock.advance(Duration.ofHours(1));
        monitor.tick();

        DriftReport report = monitor.latest().orElseThrow();
        assertThat(report.rows()).isEqualTo((long) threads * perThread);
        assertThat(report.feature("road_type").orElseThrow().quality().rows()).isEqualTo((long) threads * perThread);
        assertThat(report.feature("speed_kmh").orElseThrow().scores().ksMethod())
                .isEqualTo(KsMethod.SKETCH);
    }

    @Test
    void closingRunsOnTheGivenExecutor() {
        List<Runnable> queued = new ArrayList<>();
        DriftMonitor monitor = new DriftMonitor(profile, HOURLY, clock, queued::add);
        drifted.subList(0, 50).forEach(monitor::observeRecord);
        clock.advance(Duration.ofHours(1));

        monitor.observeRecord(drifted.get(0));
        assertThat(monitor.latest()).isEmpty();
        queued.forEach(Runnable::run);

        assertThat(monitor.latest().orElseThrow().rows()).isEqualTo(50);
        assertThat(monitor.snapshot().rows()).isEqualTo(1);
    }

    static List<Map<String, @Nullable Object>> referenceRows() {
        return dev.slipway.parity.CsvRows.read(WindowMergeTest.MODEL.resolve("reference.csv"))
                .rows();
    }
}
