package dev.slipway.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a candidate is rolled out: an optional shadow phase, canary steps of rising weight, how long a step may hold for
 * lack of evidence, and the thresholds of the checks. Declared under {@code rollout:} in a model's manifest, under an
 * endpoint in {@code slipway.yaml}, or in a file given to {@code slipway rollout start --plan}; every key has a
 * default.
 *
 * <pre>
 * shadow: {duration: PT5M, min-requests: 500, sample: 100, max-disagreement: 0.05}
 * steps:
 *   - {weight: 5, bake: PT5M, min-requests: 500}
 *   - {weight: 25, bake: PT5M, min-requests: 1000}
 *   - {weight: 50, bake: PT10M, min-requests: 2000}
 * deadline: PT30M
 * checks: {alpha: 0.01, latency-tolerance: 0.2, latency-slack-ms: 1, max-prediction-shift: 0.1, srm-alpha: 0.001}
 * </pre>
 *
 * @param shadow the shadow phase, or none to start at the first canary step
 * @param steps canary steps of strictly rising weight below 100 %; promotion follows the last
 * @param deadline how long past its bake time a step may hold on insufficient evidence before the rollout fails
 * @param checks the thresholds of the checks
 */
public record RolloutPlan(@Nullable ShadowPhase shadow, List<Step> steps, Duration deadline, Checks checks) {
    private static final List<Step> DEFAULT_STEPS = List.of(
            Step.of(5.0, Duration.ofMinutes(5), 500L),
            Step.of(25.0, Duration.ofMinutes(5), 1000L),
            Step.of(50.0, Duration.ofMinutes(10), 2000L));

    /** The plan used when none is declared. */
    public static final RolloutPlan DEFAULT = of(null, null, null, null);

    public RolloutPlan {
        steps = List.copyOf(steps);
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(checks, "checks");
    }

    /** A plan from its file form; a missing key takes its default. */
    @JsonCreator
    public static RolloutPlan of(
            @JsonProperty("shadow") @Nullable ShadowPhase shadow,
            @JsonProperty("steps") @Nullable List<Step> steps,
            @JsonProperty("deadline") @Nullable Duration deadline,
            @JsonProperty("checks") @Nullable Checks checks) {
        return new RolloutPlan(
                shadow,
                steps == null ? DEFAULT_STEPS : steps,
                deadline == null ? Duration.ofMinutes(30) : deadline,
                checks == null ? Checks.of(null, null, null, null, null) : checks);
    }

    /**
     * The shadow phase: the candidate gets copies of live traffic and its answers are compared with the primary's.
     *
     * @param duration how long it lasts at least
     * @param minRequests compared requests needed before it can pass
     * @param sample the share of requests copied, in percent
     * @param maxDisagreement the largest share of rows whose decisions may differ
     */
    public record ShadowPhase(Duration duration, long minRequests, double sample, double maxDisagreement) {
        /** A shadow phase from its file form. */
        @JsonCreator
        public static ShadowPhase of(
                @JsonProperty("duration") @Nullable Duration duration,
                @JsonProperty("min-requests") @Nullable Long minRequests,
                @JsonProperty("sample") @Nullable Double sample,
                @JsonProperty("max-disagreement") @Nullable Double maxDisagreement) {
            return new ShadowPhase(
                    duration == null ? Duration.ofMinutes(5) : duration,
                    minRequests == null ? 500L : minRequests,
                    sample == null ? 100.0 : sample,
                    maxDisagreement == null ? 0.05 : maxDisagreement);
        }

        /** The copied share in basis points. */
        public int sampleBasisPoints() {
            return (int) Math.round(sample * 100);
        }
    }

    /**
     * One canary step.
     *
     * @param weight the candidate's share of live traffic, in percent
     * @param bake how long the step lasts at least
     * @param minRequests requests the candidate must answer before the step can pass
     */
    public record Step(double weight, Duration bake, long minRequests) {
        /** A step from its file form. */
        @JsonCreator
        public static Step of(
                @JsonProperty("weight") @Nullable Double weight,
                @JsonProperty("bake") @Nullable Duration bake,
                @JsonProperty("min-requests") @Nullable Long minRequests) {
            return new Step(
                    weight == null ? 0.0 : weight,
                    bake == null ? Duration.ofMinutes(5) : bake,
                    minRequests == null ? 500L : minRequests);
        }

        /** The weight in basis points. */
        public int basisPoints() {
            return (int) Math.round(weight * 100);
        }
    }

    /**
     * Check thresholds.
     *
     * @param alpha significance level of the error-rate, latency, prediction-shift and fallback tests when a step
     *     ends; before that a test fails the step only at {@code alpha / 100}, so looking at every tick does not
     *     inflate false alarms
     * @param latencyTolerance how much slower (relative) the candidate's p50 or p99 may be before a significant
     *     difference fails it
     * @param latencySlackMs absolute slack added to the latency tolerance, so sub-millisecond jitter never fails
     * @param maxPredictionShift the largest Kolmogorov-Smirnov distance between the arms' scores that is not a
     *     failure; 1 turns the check off (for a challenger expected to score differently)
     * @param srmAlpha significance level of the sample-ratio-mismatch test (chi-squared)
     */
    public record Checks(
            double alpha, double latencyTolerance, double latencySlackMs, double maxPredictionShift, double srmAlpha) {
        /** Thresholds from their file form. */
        @JsonCreator
        public static Checks of(
                @JsonProperty("alpha") @Nullable Double alpha,
                @JsonProperty("latency-tolerance") @Nullable Double latencyTolerance,
                @JsonProperty("latency-slack-ms") @Nullable Double latencySlackMs,
                @JsonProperty("max-prediction-shift") @Nullable Double maxPredictionShift,
                @JsonProperty("srm-alpha") @Nullable Double srmAlpha) {
            return new Checks(
                    alpha == null ? 0.01 : alpha,
                    latencyTolerance == null ? 0.2 : latencyTolerance,
                    latencySlackMs == null ? 1.0 : latencySlackMs,
                    maxPredictionShift == null ? 0.1 : maxPredictionShift,
                    srmAlpha == null ? 0.001 : srmAlpha);
        }
    }

    /** Every problem of the plan, each naming the key under {@code path}, the value and what was expected. */
    public List<String> problems(String path) {
        List<String> problems = new ArrayList<>();
        if (shadow != null) {
            positive(problems, path + ".shadow.duration", shadow.duration());
            if (shadow.minRequests() < 1) {
                problems.add(path + ".shadow.min-requests: " + shadow.minRequests() + " (expected: >= 1)");
            }
            if (!(shadow.sample() > 0 && shadow.sample() <= 100)) {
                problems.add(path + ".shadow.sample: " + shadow.sample() + " (expected: percent, >0..100)");
            }
            if (!(shadow.maxDisagreement() >= 0 && shadow.maxDisagreement() <= 1)) {
                problems.add(path + ".shadow.max-disagreement: " + shadow.maxDisagreement() + " (expected: 0..1)");
            }
        }
        if (steps.isEmpty()) {
            problems.add(path + ".steps: [] (expected: at least one canary step)");
        }
        double previous = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String at = path + ".steps[" + i + "]";
            if (!(step.weight() > previous && step.weight() < 100) || step.basisPoints() < 1) {
                problems.add(at + ".weight: " + step.weight()
                        + " (expected: percent above the previous step's " + previous
                        + " and below 100; promotion follows the last step)");
            }
            previous = Math.max(previous, step.weight());
            positive(problems, at + ".bake", step.bake());
            if (step.minRequests() < 1) {
                problems.add(at + ".min-requests: " + step.minRequests() + " (expected: >= 1)");
            }
        }
        positive(problems, path + ".deadline", deadline);
        probability(problems, path + ".checks.alpha", checks.alpha());
        probability(problems, path + ".checks.srm-alpha", checks.srmAlpha());
        if (!(checks.latencyTolerance() >= 0)) {
            problems.add(path + ".checks.latency-tolerance: " + checks.latencyTolerance() + " (expected: >= 0)");
        }
        if (!(checks.latencySlackMs() >= 0)) {
            problems.add(path + ".checks.latency-slack-ms: " + checks.latencySlackMs() + " (expected: >= 0)");
        }
        if (!(checks.maxPredictionShift() > 0 && checks.maxPredictionShift() <= 1)) {
            problems.add(path + ".checks.max-prediction-shift: " + checks.maxPredictionShift()
                    + " (expected: a Kolmogorov-Smirnov distance in (0, 1]; 1 turns the check off)");
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(key + ": " + value + " (expected: a positive ISO-8601 duration such as PT5M)");
        }
    }

    private static void probability(List<String> problems, String key, double value) {
        if (!(value > 0 && value < 1)) {
            problems.add(key + ": " + value + " (expected: a probability in (0, 1))");
        }
    }
}
