package dev.slipway.contract;

import dev.slipway.api.TensorData;
import dev.slipway.api.manifest.Category;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.FeatureType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks and encodes one feature's values. Encoded values are what the model sees: numbers as they are, booleans as
 * 0/1, categories as their codes, and a missing value as {@code NaN} (or the feature's default).
 */
final class FeatureRule {
    private final FeatureSpec spec;
    private final String expectation;
    private final String elementExpectation;
    private final double min;
    private final double max;
    private final Map<String, Integer> codesByName = new HashMap<>();
    private final Set<Integer> codes = new HashSet<>();

    FeatureRule(FeatureSpec spec) {
        this.spec = spec;
        this.expectation = spec.type() == FeatureType.FLOAT && (spec.min() != null || spec.max() != null)
                ? bounds(spec)
                : spec.expectation();
        this.min = spec.min() == null ? Double.NEGATIVE_INFINITY : spec.min();
        this.max = spec.max() == null ? Double.POSITIVE_INFINITY : spec.max();
        for (Category category : spec.categories()) {
            codesByName.put(category.name(), category.code());
            codes.add(category.code());
        }
        this.elementExpectation = spec.type() == FeatureType.CATEGORICAL ? codes(spec) : expectation;
    }

    /** What a tensor element of a categorical feature must be: one of the codes, each named. */
    private static String codes(FeatureSpec spec) {
        return "a category code: "
                + String.join(
                        ", ",
                        spec.categories().stream()
                                .map(category -> category.code() + " (" + category.name() + ")")
                                .toList());
    }

    private static String bounds(FeatureSpec spec) {
        String text = spec.expectation();
        return text.startsWith("a number in ") ? text.substring("a number in ".length()) : text;
    }

    String name() {
        return spec.name();
    }

    /** The category name of an encoded value, for tensors that carry names; empty for a missing or unknown code. */
    String categoryName(double code) {
        for (Category category : spec.categories()) {
            if (category.code() == code) {
                return category.name();
            }
        }
        return "";
    }

    FeatureSpec spec() {
        return spec;
    }

    /** Whether the rule accepts a row without this feature. */
    boolean optional() {
        return spec.nullable() || spec.defaultValue() != null;
    }

    /** The encoded value of a missing feature, or a violation when it may not be missing. */
    double missing(int row, Violations violations) {
        if (spec.defaultValue() != null) {
            return spec.defaultValue();
        }
        if (spec.nullable()) {
            return Double.NaN;
        }
        violations.add(row, spec.name(), "missing", expectation);
        return Double.NaN;
    }

    /**
     * Checks element {@code index} of a tensor: its encoded number, {@code NaN} counting as missing. The element is
     * rendered only for a violation.
     */
    double element(TensorData data, int index, int row, Violations violations) {
        double value = data.asDouble(index);
        if (Double.isNaN(value)) {
            return missing(row, violations);
        }
        if (!valid(value)) {
            violations.add(row, spec.name(), data.render(index), elementExpectation);
        }
        return value;
    }

    /** Checks a number from a record; {@code NaN} counts as missing. */
    double number(Number number, int row, Violations violations) {
        double value = number.doubleValue();
        if (Double.isNaN(value)) {
            return missing(row, violations);
        }
        if (!valid(value)) {
            violations.add(row, spec.name(), render(number), expectation);
        }
        return value;
    }

    private boolean valid(double value) {
        return switch (spec.type()) {
            case FLOAT -> !Double.isInfinite(value) && value >= min && value <= max;
            case INT -> value == Math.rint(value) && value >= min && value <= max;
            case BOOL -> value == 0 || value == 1;
            case CATEGORICAL -> value == Math.rint(value) && validCode(value);
        };
    }

    private boolean validCode(double value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE && codes.contains((int) value);
    }

    /** Checks a JSON/record value: a number, boolean, string (category name) or {@code null}. */
    double value(@Nullable Object value, int row, Violations violations) {
        if (value == null) {
            return missing(row, violations);
        }
        if (value instanceof Boolean flag) {
            if (spec.type() == FeatureType.BOOL) {
                return flag ? 1 : 0;
            }
            violations.add(row, spec.name(), flag.toString(), expectation);
            return Double.NaN;
        }
        if (value instanceof Number number) {
            return number(number, row, violations);
        }
        if (value instanceof String text) {
            return text(text, row, violations);
        }
        String kind =
                value instanceof java.util.List<?> ? "a list" : value instanceof Map<?, ?> ? "an object" : "a value";
        violations.add(row, spec.name(), kind, expectation);
        return Double.NaN;
    }

    /** Checks a string value: a category name for categorical features; anything else is a violation. */
    double text(String text, int row, Violations violations) {
        if (spec.type() == FeatureType.CATEGORICAL) {
            Integer code = codesByName.get(text);
            if (code != null) {
                return code;
            }
        }
        violations.add(row, spec.name(), '"' + text + '"', expectation);
        return Double.NaN;
    }

    static String render(Number number) {
        if (number instanceof Double || number instanceof Float) {
            return Double.toString(number.doubleValue());
        }
        return number.toString();
    }
}
