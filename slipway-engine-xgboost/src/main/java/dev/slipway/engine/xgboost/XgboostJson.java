package dev.slipway.engine.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the trees of an XGBoost model from its JSON form ({@code save_model("model.json")}, or what xgboost4j exports
 * for any model it loaded) into a {@link TreeEnsemble}. Models the JVM evaluator does not cover (gblinear, dart,
 * categorical splits, vector leaves, unknown objectives) give empty, and the engine keeps XGBoost's own predictor.
 */
final class XgboostJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private XgboostJson() {}

    /** The ensemble, or empty with the reason logged by the caller when the JVM evaluator cannot run this model. */
    static Optional<TreeEnsemble> read(byte[] json, StringBuilder whyNot) {
        try {
            JsonNode learner = JSON.readTree(json).path("learner");
            JsonNode booster = learner.path("gradient_booster");
            if (!"gbtree".equals(booster.path("name").asText())) {
                whyNot.append("booster '").append(booster.path("name").asText()).append("' is not gbtree");
                return Optional.empty();
            }
            String objective = learner.path("objective").path("name").asText();
            TreeEnsemble.Transform transform = transform(objective);
            if (transform == null) {
                whyNot.append("objective '").append(objective).append("' has no JVM transform");
                return Optional.empty();
            }
            JsonNode params = learner.path("learner_model_param");
            int features = Integer.parseInt(params.path("num_feature").asText("0"));
            int classes = Integer.parseInt(params.path("num_class").asText("0"));
            int targets = Integer.parseInt(params.path("num_target").asText("1"));
            if (targets > 1) {
                whyNot.append("multi-target models are not supported by the JVM evaluator");
                return Optional.empty();
            }
            int groups = Math.max(1, classes);
            float baseMargin = margin(baseScore(params.path("base_score").asText("0.5")), objective);
            return trees(booster.path("model"), features, groups, baseMargin, transform, whyNot);
        } catch (IOException | RuntimeException e) {
            whyNot.append("model JSON not understood: ").append(e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<TreeEnsemble> trees(
            JsonNode model,
            int features,
            int groups,
            float baseMargin,
            TreeEnsemble.Transform transform,
            StringBuilder whyNot) {
        JsonNode trees = model.path("trees");
        JsonNode treeInfo = model.path("tree_info");
        int total = 0;
        for (JsonNode tree : trees) {
            total += tree.path("left_children").size();
            for (JsonNode type : tree.path("split_type")) {
                if (type.asInt() != 0) {
                    whyNot.append("categorical splits are not supported by the JVM evaluator");
                    return Optional.empty();
                }
            }
            if (tree.path("tree_param").path("size_leaf_vector").asInt(0) > 1) {
                whyNot.append("vector leaves are not supported by the JVM evaluator");
                return Optional.empty();
            }
        }
        int[] roots = new int[trees.size()];
        int[] treeGroup = new int[trees.size()];
        int[] left = new int[total];
        int[] right = new int[total];
        int[] feature = new int[total];
        float[] value = new float[total];
        boolean[] defaultLeft = new boolean[total];
        int offset = 0;
        for (int t = 0; t < trees.size(); t++) {
            JsonNode tree = trees.get(t);
            roots[t] = offset;
            treeGroup[t] = treeInfo.size() > t ? treeInfo.get(t).asInt() : 0;
            if (treeGroup[t] < 0 || treeGroup[t] >= groups) {
                whyNot.append("tree ").append(t).append(" belongs to group ").append(treeGroup[t]);
                return Optional.empty();
            }
            JsonNode lefts = tree.path("left_children");
            for (int n = 0; n < lefts.size(); n++) {
                int l = lefts.get(n).asInt();
                int i = offset + n;
                left[i] = l < 0 ? -1 : offset + l;
                int r = tree.path("right_children").get(n).asInt();
                right[i] = r < 0 ? -1 : offset + r;
                feature[i] = tree.path("split_indices").get(n).asInt();
                value[i] = (float) tree.path("split_conditions").get(n).asDouble();
                JsonNode defaults = tree.path("default_left").get(n);
                defaultLeft[i] = defaults.isBoolean() ? defaults.asBoolean() : defaults.asInt() != 0;
                if (l >= 0 && (feature[i] < 0 || feature[i] >= features)) {
                    whyNot.append("tree ")
                            .append(t)
                            .append(" splits on feature ")
                            .append(feature[i]);
                    return Optional.empty();
                }
            }
            offset += lefts.size();
        }
        return Optional.of(new TreeEnsemble(
                features, groups, baseMargin, transform, roots, treeGroup, left, right, feature, value, defaultLeft));
    }

    private static TreeEnsemble.@Nullable Transform transform(String objective) {
        return switch (objective) {
            case "binary:logistic", "reg:logistic" -> TreeEnsemble.Transform.SIGMOID;
            case "binary:logitraw",
                    "reg:squarederror",
                    "reg:linear",
                    "reg:pseudohubererror",
                    "reg:absoluteerror",
                    "reg:squaredlogerror" -> TreeEnsemble.Transform.IDENTITY;
            case "count:poisson", "reg:gamma", "reg:tweedie" -> TreeEnsemble.Transform.EXP;
            case "multi:softprob" -> TreeEnsemble.Transform.SOFTMAX;
            case "multi:softmax" -> TreeEnsemble.Transform.ARGMAX;
            default -> null;
        };
    }

    /** The base score as stored: {@code "5E-1"} in XGBoost 1.x/2.x, {@code "[5E-1]"} in 3.x. */
    static double baseScore(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("[")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1).split(",")[0].strip();
        }
        return Double.parseDouble(trimmed);
    }

    /** The base score moved into margin space, as each XGBoost objective's {@code ProbToMargin} does. */
    private static float margin(double baseScore, String objective) {
        return switch (objective) {
            case "binary:logistic", "reg:logistic", "binary:logitraw" -> (float) Math.log(baseScore / (1 - baseScore));
            case "count:poisson", "reg:gamma", "reg:tweedie" -> (float) Math.log(baseScore);
            default -> (float) baseScore;
        };
    }
}
