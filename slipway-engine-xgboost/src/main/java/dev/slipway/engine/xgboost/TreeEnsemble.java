package dev.slipway.engine.xgboost;

import java.util.Arrays;

/**
 * A gradient-boosted tree ensemble flattened into arrays and evaluated on the JVM, the way XGBoost's CPU predictor
 * does it: from the base margin, add each tree's leaf value in tree order in float arithmetic, then apply the
 * objective's transform. A missing value ({@code NaN}) follows the node's default direction; otherwise {@code x <
 * threshold} goes left. Immutable and thread-safe.
 */
final class TreeEnsemble {
    /** The objective's output transform. */
    enum Transform {
        IDENTITY,
        SIGMOID,
        EXP,
        SOFTMAX,
        ARGMAX
    }

    private final int features;
    private final int groups;
    private final float baseMargin;
    private final Transform transform;
    private final int[] roots;
    private final int[] treeGroup;
    private final int[] left;
    private final int[] right;
    private final int[] feature;
    private final float[] value;
    private final boolean[] defaultLeft;

    TreeEnsemble(
            int features,
            int groups,
            float baseMargin,
            Transform transform,
            int[] roots,
            int[] treeGroup,
            int[] left,
            int[] right,
            int[] feature,
            float[] value,
            boolean[] defaultLeft) {
        this.features = features;
        this.groups = groups;
        this.baseMargin = baseMargin;
        this.transform = transform;
        this.roots = roots;
        this.treeGroup = treeGroup;
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.value = value;
        this.defaultLeft = defaultLeft;
    }

    int features() {
        return features;
    }

    /** Values per row of the output: 1, or the number of classes for multi-class probabilities. */
    int outputsPerRow() {
        return transform == Transform.SOFTMAX ? groups : 1;
    }

    int trees() {
        return roots.length;
    }

    /** The distinct split thresholds of each feature. */
    float[][] thresholdsByFeature() {
        java.util.List<java.util.Set<Float>> cuts = new java.util.ArrayList<>();
        for (int f = 0; f < features; f++) {
            cuts.add(new java.util.TreeSet<>());
        }
        for (int n = 0; n < left.length; n++) {
            if (left[n] >= 0) {
                cuts.get(feature[n]).add(value[n]);
            }
        }
        float[][] out = new float[features][];
        for (int f = 0; f < features; f++) {
            out[f] = new float[cuts.get(f).size()];
            int i = 0;
            for (float cut : cuts.get(f)) {
                out[f][i++] = cut;
            }
        }
        return out;
    }

    /**
     * Predicts {@code rows} rows of {@code x} (row-major, {@code features} wide) into {@code out}. Batches walk one
     * tree over every row before the next tree, which keeps the tree in cache; each row still adds its leaves in tree
     * order, so the sums are the same as row by row.
     */
    void predict(float[] x, int rows, float[] out) {
        float[] margins = new float[rows * groups];
        Arrays.fill(margins, baseMargin);
        for (int t = 0; t < roots.length; t++) {
            int root = roots[t];
            int group = treeGroup[t];
            for (int r = 0, offset = 0; r < rows; r++, offset += features) {
                margins[r * groups + group] += leaf(root, x, offset);
            }
        }
        for (int r = 0; r < rows; r++) {
            write(margins, r, out);
        }
    }

    private float leaf(int root, float[] x, int offset) {
        int node = root;
        int next;
        while ((next = left[node]) >= 0) {
            float v = x[offset + feature[node]];
            if (Float.isNaN(v)) {
                node = defaultLeft[node] ? next : right[node];
            } else {
                node = v < value[node] ? next : right[node];
            }
        }
        return value[node];
    }

    private void write(float[] margins, int row, float[] out) {
        int base = row * groups;
        switch (transform) {
            case IDENTITY -> out[row] = margins[base];
            case SIGMOID -> out[row] = (float) (1.0 / (1.0 + Math.exp(-margins[base])));
            case EXP -> out[row] = (float) Math.exp(margins[base]);
            case SOFTMAX -> {
                float max = margins[base];
                for (int g = 1; g < groups; g++) {
                    max = Math.max(max, margins[base + g]);
                }
                double sum = 0;
                for (int g = 0; g < groups; g++) {
                    sum += Math.exp(margins[base + g] - max);
                }
                for (int g = 0; g < groups; g++) {
                    out[base + g] = (float) (Math.exp(margins[base + g] - max) / sum);
                }
            }
            case ARGMAX -> {
                int best = 0;
                for (int g = 1; g < groups; g++) {
                    if (margins[base + g] > margins[base + best]) {
                        best = g;
                    }
                }
                out[row] = best;
            }
        }
    }
}
