package dev.slipway.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateSamplerTest {
    static final long SECOND = 1_000_000_000L;

    final AtomicLong nanos = new AtomicLong(7 * SECOND + 123);

    @Test
    void quietTrafficIsAllAdmittedAndBusyTrafficIsThinnedToTheRateFromTheSecondBefore() {
        RateSampler sampler = new RateSampler(1000, nanos::get);

        assertThat(admitted(sampler, 5000))
                .as("the first second: nothing known yet")
                .isEqualTo(5000);
        nanos.addAndGet(SECOND);
        int second = admitted(sampler, 10_000);
        nanos.addAndGet(SECOND);
        int third = admitted(sampler, 10_000);
        nanos.addAndGet(3 * SECOND);
        int afterPause = admitted(sampler, 10);

        // share 1000/5000 = 0.2 of 10,000: binomial sd 40; share 1000/10,000 = 0.1: sd 30 (6 sd either side)
        assertThat(second).isBetween(2000 - 240, 2000 + 240);
        assertThat(third).isBetween(1000 - 180, 1000 + 180);
        assertThat(afterPause).as("a quiet second resets the share").isEqualTo(10);
    }

    @Test
    void trafficBelowTheRateIsNeverThinned() {
        RateSampler sampler = new RateSampler(1000, nanos::get);
        for (int s = 0; s < 5; s++) {
            assertThat(admitted(sampler, 999)).isEqualTo(999);
            nanos.addAndGet(SECOND);
        }
        assertThat(sampler.share()).isEqualTo(1.0);
    }

    @Test
    void zeroAdmitsEveryRequest() {
        RateSampler sampler = new RateSampler(0, nanos::get);
        admitted(sampler, 50_000);
        nanos.addAndGet(SECOND);
        assertThat(admitted(sampler, 50_000)).isEqualTo(50_000);
    }

    @Test
    void bigBatchesCountByTheirRows() {
        RateSampler sampler = new RateSampler(1000, nanos::get);
        admitted(sampler, 1000, 1024);
        nanos.addAndGet(SECOND);

        int requests = admitted(sampler, 1000, 1024);

        // share 1000 rows / 1,024,000 rows: about one 1,024-row request a second (binomial sd ~1)
        assertThat(requests).isBetween(0, 7);
        assertThat(sampler.share()).isCloseTo(1000.0 / 1_024_000, org.assertj.core.api.Assertions.within(1e-9));
    }

    private static int admitted(RateSampler sampler, int offered) {
        return admitted(sampler, offered, 1);
    }

    private static int admitted(RateSampler sampler, int offered, int rows) {
        int admitted = 0;
        for (int i = 0; i < offered; i++) {
            if (sampler.admit(rows)) {
                admitted++;
            }
        }
        return admitted;
    }
}
