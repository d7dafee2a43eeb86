package dev.slipway.drift;

import dev.slipway.api.DataType;
import dev.slipway.api.manifest.Category;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.FeatureType;
import dev.slipway.api.manifest.OutputKind;
import dev.slipway.api.manifest.OutputSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One monitored column (a feature, or an output the reference sample holds) and its contract: how an encoded or raw
 * value is classified as missing, usable, or out of contract, and how a categorical code reads as a label.
 */
final class Column {
    private static final List<String> BOOL_LABELS = List.of("false", "true");

    private final String name;
    private final ColumnKind kind;
    private final boolean prediction;
    private final double min;
    private final double max;
    private final boolean integer;
    private final boolean bool;
    private final List<String> declared;
    private final Map<Integer, String> labelsByCode = new HashMap<>();

    private Column(
            String name,
            ColumnKind kind,
            boolean prediction,
            double min,
            double max,
            boolean integer,
            boolean bool,
            List<String> declared) {
        this.name = name;
        this.kind = kind;
        this.prediction = prediction;
        this.min = min;
        this.max = max;
        this.integer = integer;
        this.bool = bool;
        this.declared = List.copyOf(declared);
    }

    static Column of(FeatureSpec spec) {
        double min = spec.min() == null ? Double.NEGATIVE_INFINITY : spec.min();
        double max = spec.max() == null ? Double.POSITIVE_INFINITY : spec.max();
        return switch (spec.type()) {
            case FLOAT -> new Column(spec.name(), ColumnKind.NUMERIC, false, min, max, false, false, List.of());
            case INT -> new Column(spec.name(), ColumnKind.NUMERIC, false, min, max, true, false, List.of());
            case BOOL -> new Column(
                    spec.name(),
                    ColumnKind.CATEGORICAL,
                    false,
                    Double.NEGATIVE_INFINITY,
                    Double.POSITIVE_INFINITY,
                    false,
                    true,
                    BOOL_LABELS);
            case CATEGORICAL -> {
                Column column = new Column(
                        spec.name(),
                        ColumnKind.CATEGORICAL,
                        false,
                        Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY,
                        false,
                        false,
                        spec.categories().stream().map(Category::name).toList());
                for (Category category : spec.categories()) {
                    column.labelsByCode.put(category.code(), category.name());
                }
                yield column;
            }
        };
    }

    static Column of(OutputSpec spec) {
        if (spec.datatype() == DataType.BOOL) {
            return new Column(
                    spec.name(),
                    ColumnKind.CATEGORICAL,
                    true,
                    Double.NEGATIVE_INFINITY,
                    Double.POSITIVE_INFINITY,
                    false,
                    true,
                    BOOL_LABELS);
        }
        if (spec.kind() == OutputKind.LABEL || spec.datatype() == DataType.BYTES) {
            return new Column(
                    spec.name(),
                    ColumnKind.CATEGORICAL,
                    true,
                    Double.NEGATIVE_INFINITY,
                    Double.POSITIVE_INFINITY,
                    false,
                    false,
                    List.of());
        }
        boolean probability = spec.kind() == OutputKind.PROBABILITY;
        return new Column(
                spec.name(),
                ColumnKind.NUMERIC,
                true,
                probability ? 0 : Double.NEGATIVE_INFINITY,
                probability ? 1 : Double.POSITIVE_INFINITY,
                false,
                false,
                List.of());
    }

    /** A column from a feature spec; convenient in tests. */
    static Column of(String name, FeatureType type, List<String> categories) {
        List<Category> declared = new java.util.ArrayList<>();
        for (int i = 0; i < categories.size(); i++) {
            declared.add(new Category(categories.get(i), i));
        }
        return of(new FeatureSpec(name, type, null, null, null, true, null, declared, null));
    }

    String name() {
        return name;
    }

    ColumnKind kind() {
        return kind;
    }

    boolean numeric() {
        return kind == ColumnKind.NUMERIC;
    }

    boolean prediction() {
        return prediction;
    }

    /** The labels the contract declares, in declaration order; empty when any label is acceptable. */
    List<String> declared() {
        return declared;
    }

    /** Whether a finite number meets the contract's bounds (and integrality for INT). */
    boolean inContract(double value) {
        return value >= min && value <= max && (!integer || value == Math.rint(value));
    }

    /** Whether a label is one the contract allows. */
    boolean declares(String label) {
        return declared.isEmpty() || declared.contains(label);
    }

    /** The label of an encoded categorical value: a category's name, false/true, or the number itself. */
    String label(double code) {
        if (bool && (code == 0 || code == 1)) {
            return code == 1 ? "true" : "false";
        }
        if (code == Math.rint(code) && Math.abs(code) < 1e15) {
            long whole = (long) code;
            if (!labelsByCode.isEmpty()) {
                String label =
                        whole >= Integer.MIN_VALUE && whole <= Integer.MAX_VALUE ? labelsByCode.get((int) whole) : null;
                return label != null ? label : "code " + whole;
            }
            return bool ? "code " + whole : Long.toString(whole);
        }
        return bool || !labelsByCode.isEmpty() ? "code " + code : Double.toString(code);
    }

    /** The label of a raw categorical value, or {@code null} when the value has the wrong type entirely. */
    @Nullable
    String rawLabel(Object value) {
        if (value instanceof Boolean flag) {
            return bool ? flag.toString() : null;
        }
        if (value instanceof Number number) {
            double code = number.doubleValue();
            return Double.isNaN(code) ? null : label(code);
        }
        if (value instanceof String text) {
            return text;
        }
        return null;
    }
}
