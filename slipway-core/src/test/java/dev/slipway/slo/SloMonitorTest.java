package dev.slipway.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.manifest.SloSpec;
import dev.slipway.testing.ManualClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Burn-rate alerts on scripted request streams, minute by minute with a manual clock. Each expected minute is worked
 * out by hand in the test's comment from the workbook's rule: fire when the error ratio over both windows exceeds
 * burn rate x budget.
 */
class SloMonitorTest {
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final Duration FAST = Duration.ofMillis(10);
    static final Duration SLOW = Duration.ofMillis(40);

    final ManualClock clock = new ManualClock(START);
    final SloMonitor monitor = new SloMonitor(new SloSpec(25.0, 0.001), clock);

    /** One minute of traffic: {@code requests} requests, {@code errors} of them failed, {@code slow} slower than 25 ms. */
    void minute(int requests, int errors, int slowOnes) {
        monitor.recordMany(Outcome.SERVER_ERROR, FAST.toNanos(), errors);
        monitor.recordMany(Outcome.SUCCESS, SLOW.toNanos(), slowOnes);
        monitor.recordMany(Outcome.SUCCESS, FAST.toNanos(), requests - errors - slowOnes);
        clock.advance(Duration.ofMinutes(1));
        monitor.tick();
    }

    void cleanMinutes(int minutes) {
        cleanMinutes(minutes, 1000);
    }

    void cleanMinutes(int minutes, int requests) {
        for (int i = 0; i < minutes; i++) {
            minute(requests, 0, 0);
        }
    }

    AlertState alert(SloKind slo, String rule) {
        return monitor.alerts().stream()
                .filter(a -> a.slo() == slo && a.rule().name().equals(rule))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void objectivesComeFromTheManifestAsExactDecimals() {
        assertThat(monitor.objectives())
                .containsExactly(
                        new Objective(SloKind.AVAILABILITY, new BigDecimal("0.001"), null),
                        new Objective(SloKind.LATENCY, new BigDecimal("0.01"), new BigDecimal("0.025")));
        assertThat(monitor.objectives().get(0).limit(new BigDecimal("14.4"))).isEqualByComparingTo("0.0144");
        assertThat(monitor.windows())
                .containsExactly(
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(30),
                        Duration.ofHours(1),
                        Duration.ofHours(6),
                        Duration.ofDays(3));
        assertThat(BurnRateRule.DEFAULTS)
                .extracting(BurnRateRule::name)
                .containsExactly("page-1h", "page-6h", "ticket-3d");
    }

    @Test
    void fastBurnPagesWhenBothHourAndFiveMinutesExceedAndResolvesWhenFiveMinutesRecover() {
        // a day of clean traffic, then 2 % errors (20x the 0.1 % budget). The 1 h window exceeds 14.4 x 0.001 once
        // 20k / 60000 > 0.0144, k >= 44 error minutes; the 5 min window from k = 4. The 6 h rule needs
        // 20k / 360000 > 0.006, k > 108: it stays quiet.
        cleanMinutes(24 * 60);
        for (int k = 1; k <= 43; k++) {
            minute(1000, 20, 0);
            assertThat(monitor.paging()).as("after %d error minutes", k).isFalse();
        }
        minute(1000, 20, 0);
        assertThat(monitor.paging()).isTrue();
        AlertState page = alert(SloKind.AVAILABILITY, "page-1h");
        assertThat(page.firing()).isTrue();
        assertThat(page.since()).isEqualTo(START.plus(Duration.ofMinutes(24 * 60 + 44)));
        assertThat(page.longBurnRate()).isCloseTo(20.0 * 44 / 60, within(1e-9));
        assertThat(page.shortBurnRate()).isCloseTo(20.0, within(1e-9));
        assertThat(alert(SloKind.AVAILABILITY, "page-6h").firing()).isFalse();
        assertThat(alert(SloKind.LATENCY, "page-1h").firing()).isFalse();
        for (int k = 45; k <= 50; k++) {
            minute(1000, 20, 0);
        }
        assertThat(monitor.paging()).isTrue();

        // recovery: the 5 min window holds 5 - j error minutes after j clean ones: 20(5 - j) / 5000 > 0.0144 only
        // while j <= 1, so the page resolves at the second clean minute although the hour is still bad.
        minute(1000, 0, 0);
        assertThat(monitor.paging()).isTrue();
        minute(1000, 0, 0);
        assertThat(monitor.paging()).isFalse();
        assertThat(alert(SloKind.AVAILABILITY, "page-1h").since())
                .isEqualTo(START.plus(Duration.ofMinutes(24 * 60 + 52)));
        // all 50 error minutes are still inside the hour
        assertThat(monitor.burnRate(SloKind.AVAILABILITY, Duration.ofHours(1))).isCloseTo(20.0 * 50 / 60, within(1e-9));
    }

    @Test
    void moderateBurnPagesOnTheSixHourRule() {
        // 1 % errors (10x): never 14.4x, so the 1 h rule stays quiet; the 6 h window exceeds 6 x 0.001 when
        // 10k / 360000 > 0.006, k >= 217 (k = 216 is exactly 0.006: not above); the 30 min window from k = 19.
        cleanMinutes(6 * 60);
        for (int k = 1; k <= 216; k++) {
            minute(1000, 10, 0);
        }
        assertThat(monitor.paging()).isFalse();
        minute(1000, 10, 0);
        assertThat(alert(SloKind.AVAILABILITY, "page-6h").firing()).isTrue();
        assertThat(alert(SloKind.AVAILABILITY, "page-1h").firing()).isFalse();
        assertThat(monitor.paging()).isTrue();

        // the 30 min window: 10(30 - j) / 30000 > 0.006 while j < 12: resolved at the 12th clean minute
        List<Boolean> paging = new ArrayList<>();
        for (int j = 1; j <= 12; j++) {
            minute(1000, 0, 0);
            paging.add(monitor.paging());
        }
        assertThat(paging.subList(0, 11)).containsOnly(true);
        assertThat(paging.get(11)).isFalse();
    }

    @Test
    void slowBurnOpensATicketAfterTwoDaysAtOnePointFiveTimesTheBudget() {
        // 0.15 % errors: 1.5x. The 3 d window exceeds 1 x 0.001 when 1.5k / 4320 > 1, k > 2880 minutes; the 6 h
        // window exceeds as soon as 1.5 min(k, 360) / 360 > 1. Traffic: 2000 requests a minute, 3 failed.
        cleanMinutes(3 * 24 * 60, 2000);
        for (int k = 1; k <= 2880; k++) {
            minute(2000, 3, 0);
        }
        assertThat(monitor.ticketing()).isFalse();
        minute(2000, 3, 0);
        assertThat(monitor.ticketing()).isTrue();
        assertThat(monitor.paging()).isFalse();
        assertThat(monitor.burnRate(SloKind.AVAILABILITY, Duration.ofHours(6))).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void latencyBurnCountsRequestsSlowerThanTheThreshold() {
        // p99 25 ms: 1 % budget. 30 % slow: 30x. The 1 h window: 300k / 60000 > 0.144, k >= 29;
        // the 5 min window from k = 3 (900 / 5000 = 0.18); after six clean hours the 6 h rule needs
        // 300k / 360000 > 0.06, k > 72.
        cleanMinutes(6 * 60);
        for (int k = 1; k <= 28; k++) {
            minute(1000, 0, 300);
        }
        assertThat(monitor.paging()).isFalse();
        minute(1000, 0, 300);
        assertThat(alert(SloKind.LATENCY, "page-1h").firing()).isTrue();
        assertThat(alert(SloKind.AVAILABILITY, "page-1h").firing()).isFalse();
        assertThat(monitor.burnRate(SloKind.LATENCY, Duration.ofMinutes(5))).isCloseTo(30.0, within(1e-9));
        // exactly the threshold is not slow
        monitor.record(Outcome.SUCCESS, Duration.ofMillis(25));
        assertThat(monitor.burnRate(SloKind.LATENCY, Duration.ofMinutes(5))).isCloseTo(30.0, within(1e-9));
    }

    @Test
    void aQuietServiceBurnsNothingAndAGapLongerThanTheRingClearsIt() {
        cleanMinutes(10);
        for (int k = 0; k < 60; k++) {
            minute(1000, 100, 0);
        }
        assertThat(monitor.paging()).isTrue();

        clock.advance(Duration.ofDays(4));

        assertThat(monitor.paging()).isFalse();
        assertThat(monitor.burnRate(SloKind.AVAILABILITY, Duration.ofDays(3))).isZero();
        assertThat(monitor.burnRate(SloKind.AVAILABILITY, Duration.ofMinutes(7)))
                .isNaN();
    }

    @Test
    void onlyServerErrorsBurnTheAvailabilityBudget() {
        assertThat(Outcome.of(ErrorCode.INVALID_INPUT)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(Outcome.of(ErrorCode.MODEL_NOT_FOUND)).isEqualTo(Outcome.CLIENT_ERROR);
        assertThat(Outcome.of(ErrorCode.OVERLOADED)).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(Outcome.of(ErrorCode.ENGINE_FAILURE)).isEqualTo(Outcome.SERVER_ERROR);
        assertThat(Outcome.of(ErrorCode.DEADLINE_EXCEEDED)).isEqualTo(Outcome.SERVER_ERROR);

        monitor.recordMany(Outcome.CLIENT_ERROR, FAST.toNanos(), 500);
        monitor.recordMany(Outcome.SUCCESS, FAST.toNanos(), 500);
        clock.advance(Duration.ofMinutes(1));

        assertThat(monitor.burnRate(SloKind.AVAILABILITY, Duration.ofMinutes(5)))
                .isZero();
    }
}
