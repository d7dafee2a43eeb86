package dev.slipway.feedback;

import dev.slipway.api.manifest.OutputKind;
import org.jspecify.annotations.Nullable;

/**
 * Labels and predicted labels as the store keeps them, so that equal outcomes compare equal however they were sent:
 * for probabilities and scores {@code "1"} or {@code "0"} (from {@code true}/{@code false} or 1/0), for class labels
 * the class's text (a whole number without a decimal point), for values the number's shortest round-trip text.
 */
final class Labels {
    private Labels() {}

    /** The stored form of a label sent for an output of {@code kind}; {@code null} when it does not fit the kind. */
    static @Nullable String normalize(OutputKind kind, Object label) {
        return switch (kind) {
            case PROBABILITY, SCORE -> {
                if (label instanceof Boolean b) {
                    yield b ? "1" : "0";
                }
                if (label instanceof Number number) {
                    double d = number.doubleValue();
                    yield d == 1 ? "1" : d == 0 ? "0" : null;
                }
                yield null;
            }
            case LABEL -> {
                if (label instanceof String s) {
                    yield s.isEmpty() || s.length() > 256 ? null : s;
                }
                if (label instanceof Boolean b) {
                    yield b.toString();
                }
                if (label instanceof Number number && whole(number.doubleValue())) {
                    yield Long.toString((long) number.doubleValue());
                }
                yield null;
            }
            case VALUE -> label instanceof Number number && Double.isFinite(number.doubleValue())
                    ? Double.toString(number.doubleValue())
                    : null;
        };
    }

    /** What a label of {@code kind} must look like, for error messages. */
    static String expectation(OutputKind kind, String output) {
        return switch (kind) {
            case PROBABILITY, SCORE -> "true, false, 1 or 0 for the "
                    + kind.name().toLowerCase(java.util.Locale.ROOT) + " output '" + output + "'";
            case LABEL -> "a class label (a string or a whole number) for the label output '" + output + "'";
            case VALUE -> "a number for the value output '" + output + "'";
        };
    }

    /** A predicted class label's stored form; {@code null} for a value that cannot be one. */
    static @Nullable String predictedClass(@Nullable Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return whole(d) ? Long.toString((long) d) : Double.isFinite(d) ? Double.toString(d) : null;
        }
        return null;
    }

    /** A stored label as JSON shows it: a boolean for binary kinds, a number for values, else the text. */
    static Object display(OutputKind kind, String stored) {
        return switch (kind) {
            case PROBABILITY, SCORE -> "1".equals(stored);
            case VALUE -> Double.parseDouble(stored);
            case LABEL -> stored;
        };
    }

    private static boolean whole(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15;
    }
}
