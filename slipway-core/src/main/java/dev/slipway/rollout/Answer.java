package dev.slipway.rollout;

/**
 * One model version's answer to a routed request, with what the judge compares: the score of each row (the model's
 * decision output, NaN where it has none) and the threshold its decision is taken at.
 *
 * @param response the protocol response
 * @param model the model that answered
 * @param version its version
 * @param scores one score per row
 * @param threshold the decision threshold; NaN when the model declares none
 */
public record Answer<R>(R response, String model, long version, double[] scores, double threshold) {
    /** The decision on one row: its score at or above the threshold. */
    public boolean decision(int row) {
        return scores[row] >= threshold;
    }
}
