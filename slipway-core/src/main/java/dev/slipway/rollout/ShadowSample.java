package dev.slipway.rollout;

/**
 * What the shadow did in an observation window, paired request by request with the primary's answers.
 *
 * @param copied requests copied to the shadow
 * @param shed requests not copied because the server was busy or the shadow queue full
 * @param errors copies the shadow failed
 * @param rows rows compared (both answered)
 * @param disagreements rows whose decisions (score at each model's own threshold) differ
 * @param absDiffs a uniform sample of |shadow score - primary score| per row
 * @param shadowLatenciesMs a uniform sample of the shadow's answer times
 * @param primaryLatenciesMs a uniform sample of the primary's answer times for the same requests
 * @param shadowScores a uniform sample of the shadow's scores
 * @param primaryScores a uniform sample of the primary's scores for the same rows
 */
public record ShadowSample(
        long copied,
        long shed,
        long errors,
        long rows,
        long disagreements,
        double[] absDiffs,
        double[] shadowLatenciesMs,
        double[] primaryLatenciesMs,
        double[] shadowScores,
        double[] primaryScores) {
    /** Nothing observed. */
    public static final ShadowSample EMPTY =
            new ShadowSample(0, 0, 0, 0, 0, new double[0], new double[0], new double[0], new double[0], new double[0]);

    /** Requests the shadow answered. */
    public long answered() {
        return copied - errors;
    }

    /** The share of compared rows whose decisions differ, 0 without rows. */
    public double disagreementRate() {
        return rows == 0 ? 0 : (double) disagreements / rows;
    }
}
