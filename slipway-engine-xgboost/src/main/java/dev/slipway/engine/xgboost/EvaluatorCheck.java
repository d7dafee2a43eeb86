package dev.slipway.engine.xgboost;

import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Proves the JVM evaluator agrees with XGBoost's own predictor on one model before it is used: probe rows are built
 * from the model's split thresholds (each threshold, its float neighbours, missing values, values outside the range)
 * so every branch and default direction is exercised.
 */
final class EvaluatorCheck {
    static final double TOLERANCE = 1e-6;
    private static final int ROWS = 512;

    private EvaluatorCheck() {}

    /** The largest absolute difference between the two predictors over the probe rows. */
    static double maxDifference(TreeEnsemble ensemble, Booster booster) throws XGBoostError {
        float[] rows = probeRows(ensemble.features(), ensemble.thresholdsByFeature());
        float[][] expected = booster.inplace_predict(rows, ROWS, ensemble.features(), Float.NaN);
        float[] actual = new float[ROWS * ensemble.outputsPerRow()];
        ensemble.predict(rows, ROWS, actual);
        double max = 0;
        for (int r = 0; r < ROWS; r++) {
            if (expected[r].length != ensemble.outputsPerRow()) {
                return Double.POSITIVE_INFINITY;
            }
            for (int c = 0; c < expected[r].length; c++) {
                max = Math.max(max, Math.abs(expected[r][c] - actual[r * expected[r].length + c]));
            }
        }
        return max;
    }

    static float[] probeRows(int features, float[][] thresholds) {
        Random random = new Random(42);
        float[] rows = new float[ROWS * features];
        for (int r = 0; r < ROWS; r++) {
            for (int f = 0; f < features; f++) {
                rows[r * features + f] = probeValue(random, thresholds[f]);
            }
        }
        return rows;
    }

    private static float probeValue(Random random, float[] cuts) {
        int choice = random.nextInt(10);
        if (choice == 0 || cuts.length == 0) {
            return choice == 0 ? Float.NaN : (float) random.nextGaussian();
        }
        float cut = cuts[random.nextInt(cuts.length)];
        return switch (choice) {
            case 1, 2 -> cut;
            case 3, 4 -> Math.nextUp(cut);
            case 5, 6 -> Math.nextDown(cut);
            case 7 -> cut + (float) random.nextGaussian() * Math.max(1f, Math.abs(cut));
            default -> cuts[random.nextInt(cuts.length)] + (float) random.nextGaussian();
        };
    }
}
