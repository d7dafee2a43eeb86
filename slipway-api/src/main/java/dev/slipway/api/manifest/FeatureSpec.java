package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One named input feature and the contract its values must meet.
 *
 * @param name the feature name
 * @param type the kind of value
 * @param unit the unit, for humans ({@code km/h}); {@code null} when unitless
 * @param min the inclusive lower bound, if any (FLOAT and INT)
 * @param max the inclusive upper bound, if any (FLOAT and INT)
 * @param nullable whether a row may leave the value missing; the model then sees {@code NaN}
 * @param defaultValue the value used when a row leaves it missing, if any (encoded form: a category's code, 0/1)
 * @param categories the allowed categories (CATEGORICAL only), in declaration order
 * @param description what the feature means, for humans
 */
public record FeatureSpec(
        String name,
        FeatureType type,
        @Nullable String unit,
        @Nullable Double min,
        @Nullable Double max,
        boolean nullable,
        @Nullable Double defaultValue,
        List<Category> categories,
        @Nullable String description) {
    public FeatureSpec {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        categories = List.copyOf(categories);
    }

    /** A float feature with bounds and no other options; convenient in code and tests. */
    public static FeatureSpec ofFloat(String name, @Nullable Double min, @Nullable Double max) {
        return new FeatureSpec(name, FeatureType.FLOAT, null, min, max, false, null, List.of(), null);
    }

    /** The category with this name, if declared. */
    public Optional<Category> category(String categoryName) {
        return categories.stream().filter(c -> c.name().equals(categoryName)).findFirst();
    }

    /** The category with this code, if declared. */
    public Optional<Category> category(int code) {
        return categories.stream().filter(c -> c.code() == code).findFirst();
    }

    /** The expectation shown in error messages, such as {@code 0..160} or {@code one of highway, urban}. */
    public String expectation() {
        return switch (type) {
            case BOOL -> "true, false, 1 or 0";
            case CATEGORICAL -> "one of "
                    + String.join(", ", categories.stream().map(Category::name).toList());
            case INT -> "an integer" + rangeText();
            case FLOAT -> "a number" + rangeText();
        };
    }

    private String rangeText() {
        if (min == null && max == null) {
            return "";
        }
        return " in " + bound(min) + ".." + bound(max);
    }

    private static String bound(@Nullable Double value) {
        if (value == null) {
            return "";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString(value.longValue())
                : Double.toString(value);
    }
}
