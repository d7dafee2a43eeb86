package dev.slipway.engine.xgboost;

import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.spi.Engine;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import java.util.Arrays;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs XGBoost models saved by {@code Booster.save_model} as JSON ({@code .json}) or UBJSON ({@code .ubj}), through
 * xgboost4j. Format {@code xgboost}. Input {@code input} FP32 {@code [rows, features]} with {@code NaN} as missing;
 * output {@code prediction} FP32 {@code [rows]}, or {@code [rows, k]} for models with k outputs per row (multi-class
 * probabilities): what Python's {@code Booster.predict} returns.
 */
public final class XgboostEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(XgboostEngine.class);

    /** The input tensor's name. */
    public static final String INPUT = "input";

    /** The output tensor's name. */
    public static final String OUTPUT = "prediction";

    @Override
    public String format() {
        return "xgboost";
    }

    @Override
    public ModelInstance load(ModelArtifact artifact) {
        Booster booster;
        try {
            booster = XGBoost.loadModel(artifact.file().toString());
        } catch (XGBoostError | RuntimeException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "xgboost model '" + artifact.file().getFileName() + "' cannot be loaded: " + firstLine(e),
                    e);
        }
        try {
            booster.setParam("nthread", artifact.options().intraOpThreads());
            int features = Math.toIntExact(booster.getNumFeature());
            if (features < 1) {
                throw new SlipwayException(
                        ErrorCode.CONFIG_INVALID,
                        "xgboost model '" + artifact.file().getFileName() + "' has no features (not a trained model)");
            }
            List<String> columnNames = featureNames(booster.getFeatureNames(), features);
            int width = outputsPerRow(booster, features);
            TensorSpec input = new TensorSpec(INPUT, DataType.FP32, List.of(-1L, (long) features), columnNames);
            TensorSpec output = width == 1
                    ? TensorSpec.of(OUTPUT, DataType.FP32, -1)
                    : TensorSpec.of(OUTPUT, DataType.FP32, -1, width);
            TreeEnsemble ensemble = verifiedEnsemble(
                    booster, features, width, artifact.file().getFileName().toString());
            return new XgboostModel(booster, ensemble, new Signature(List.of(input), List.of(output)), features, width);
        } catch (XGBoostError | RuntimeException e) {
            booster.dispose();
            if (e instanceof SlipwayException slipway) {
                throw slipway;
            }
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "xgboost model '" + artifact.file().getFileName() + "' cannot be described: " + firstLine(e),
                    e);
        }
    }

    /**
     * The feature names saved with the model, or empty when it has none: xgboost4j gives an array of {@code null}s for a
     * model trained without names (such as an {@code XGBRegressor} fitted on a bare numpy array).
     */
    static List<String> featureNames(String @Nullable [] names, int features) {
        if (names == null || names.length != features) {
            return List.of();
        }
        for (String name : names) {
            if (name == null || name.isEmpty()) {
                return List.of();
            }
        }
        return List.of(names);
    }

    /**
     * The JVM evaluator for this model when it covers the model and agrees with XGBoost's predictor on probe rows;
     * otherwise {@code null}, and XGBoost's own predictor serves.
     */
    private static @Nullable TreeEnsemble verifiedEnsemble(Booster booster, int features, int width, String name)
            throws XGBoostError {
        StringBuilder whyNot = new StringBuilder();
        TreeEnsemble ensemble =
                XgboostJson.read(booster.toByteArray("json"), whyNot).orElse(null);
        if (ensemble == null || ensemble.features() != features || ensemble.outputsPerRow() != width) {
            LOG.info(
                    "xgboost model {}: XGBoost's predictor serves ({})",
                    name,
                    whyNot.length() > 0 ? whyNot : "JVM evaluator disagrees on the output shape");
            return null;
        }
        double difference = EvaluatorCheck.maxDifference(ensemble, booster);
        if (!(difference <= EvaluatorCheck.TOLERANCE)) {
            LOG.warn(
                    "xgboost model {}: JVM evaluator differs from XGBoost by {} on probe rows; XGBoost's predictor serves",
                    name,
                    difference);
            return null;
        }
        LOG.info(
                "xgboost model {}: JVM tree evaluator serves ({} trees; max difference to XGBoost {} on probe rows)",
                name,
                ensemble.trees(),
                difference);
        return ensemble;
    }

    /** How many values the model predicts per row, learned from one prediction on a row of missing values. */
    private static int outputsPerRow(Booster booster, int features) throws XGBoostError {
        float[] row = new float[features];
        Arrays.fill(row, Float.NaN);
        float[][] prediction = booster.inplace_predict(row, 1, features, Float.NaN);
        return prediction[0].length;
    }

    static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
