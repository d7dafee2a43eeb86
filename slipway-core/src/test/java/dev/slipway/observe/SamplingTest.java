package dev.slipway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SamplingTest {
    /**
     * Values of the documented hash computed independently in Python (FNV-1a 64 over UTF-8, fmix64, top 53 bits), so
     * tools outside the JVM can tell which requests are in a sample.
     */
    @Test
    void theHashIsTheDocumentedOne() {
        assertThat(Sampling.unit("ping-42")).isEqualTo(0.12998539305906087);
        assertThat(Sampling.unit("ping-43")).isEqualTo(0.40732027888279665);
        assertThat(Sampling.unit("")).isEqualTo(0.93676944839044);
        assertThat(Sampling.unit("ünïcode-id")).isEqualTo(0.8793817227346618);
    }

    @Test
    void theShareSampledIsTheRateWithinSamplingError() {
        int n = 100_000;
        for (double rate : new double[] {0.01, 0.1, 0.5, 0.9}) {
            int in = 0;
            for (int i = 0; i < n; i++) {
                in += Sampling.sampled("req-" + i, rate) ? 1 : 0;
            }
            // 5 standard deviations of a binomial share: fails by chance about once in 3.5 million runs
            double tolerance = 5 * Math.sqrt(rate * (1 - rate) / n);
            assertThat((double) in / n).as("rate %s", rate).isCloseTo(rate, within(tolerance));
        }
    }

    @Test
    void membershipIsDeterministicAndNestedAcrossRates() {
        for (int i = 0; i < 10_000; i++) {
            String id = "ping-" + i;
            assertThat(Sampling.sampled(id, 0.3)).isEqualTo(Sampling.sampled(id, 0.3));
            if (Sampling.sampled(id, 0.1)) {
                assertThat(Sampling.sampled(id, 0.3))
                        .as("an id in the 10%% sample is in the 30%% one")
                        .isTrue();
            }
        }
        assertThat(Sampling.sampled("anything", 1)).isTrue();
        assertThat(Sampling.sampled("anything", 0)).isFalse();
    }
}
