package dev.slipway.rollout;

/**
 * What one variant did in an observation window.
 *
 * @param requests requests routed to it
 * @param errors of those, how many it failed (whether or not a fallback then answered)
 * @param fallbacks of those, how many a fallback answered instead
 * @param units distinct routing keys among its requests (a request without a key is its own unit)
 * @param latenciesMs a uniform sample of its answer times, in milliseconds
 * @param scores a uniform sample of the scores it returned (the decision output, one per row)
 * @param rows every row it scored (not a sample)
 * @param positives of those, rows whose decision was positive (score at or above the model's threshold)
 * @param scoreMean the mean score over every scored row
 * @param scoreVariance the sample variance of the scores over every scored row
 */
public record VariantSample(
        long requests,
        long errors,
        long fallbacks,
        long units,
        double[] latenciesMs,
        double[] scores,
        long rows,
        long positives,
        double scoreMean,
        double scoreVariance) {
    /** Nothing observed. */
    public static final VariantSample EMPTY =
            new VariantSample(0, 0, 0, 0, new double[0], new double[0], 0, 0, Double.NaN, Double.NaN);

    /** The share of scored rows decided positive, 0 without rows. */
    public double positiveRate() {
        return rows == 0 ? 0 : (double) positives / rows;
    }

    /** The error share, 0 without requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** The fallback share, 0 without requests. */
    public double fallbackRate() {
        return requests == 0 ? 0 : (double) fallbacks / requests;
    }
}
