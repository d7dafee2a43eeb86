package dev.slipway.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one exception type of Slipway: a stable {@link ErrorCode} and a message for humans. Messages start lower-case,
 * quote the subject, show the rejected value, then the expectation: {@code speed_kmh: -5.0 (expected: 0..160)}.
 * Client errors carry no stack trace.
 */
public final class SlipwayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final List<String> details;

    /** Creates an exception with a code and a message. */
    public SlipwayException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    /** Creates an exception with a code, a message and the cause it wraps. */
    public SlipwayException(ErrorCode code, String message, @Nullable Throwable cause) {
        this(code, message, List.of(), cause);
    }

    /**
     * Creates an exception that lists several problems at once (every contract violation of a request, every problem
     * of a manifest); the message joins them.
     */
    public SlipwayException(ErrorCode code, String message, List<String> details, @Nullable Throwable cause) {
        super(
                requireNonNull(message, "message"),
                cause,
                true,
                !requireNonNull(code, "code").clientError());
        this.code = code;
        this.details = List.copyOf(details);
    }

    /** The message for humans; never {@code null}. */
    @Override
    public String getMessage() {
        return requireNonNull(super.getMessage());
    }

    /** The stable code of this failure. */
    public ErrorCode code() {
        return code;
    }

    /** The individual problems behind this failure, when there were several; otherwise empty. */
    public List<String> details() {
        return details;
    }

    /** {@code INVALID_INPUT} with a formatted message. */
    public static SlipwayException invalidInput(String format, @Nullable Object... args) {
        return new SlipwayException(ErrorCode.INVALID_INPUT, String.format(java.util.Locale.ROOT, format, args));
    }

    /** {@code INVALID_INPUT} listing every problem, joined with {@code "; "}. */
    public static SlipwayException invalidInput(List<String> problems) {
        return new SlipwayException(ErrorCode.INVALID_INPUT, String.join("; ", problems), problems, null);
    }

    /** {@code MODEL_NOT_FOUND} for a model name, with an optional version. */
    public static SlipwayException modelNotFound(String model, @Nullable String version) {
        String subject = version == null ? "model '" + model + "'" : "model '" + model + "' version '" + version + "'";
        return new SlipwayException(ErrorCode.MODEL_NOT_FOUND, subject + " is not registered");
    }

    /** {@code UNSUPPORTED} with a formatted message. */
    public static SlipwayException unsupported(String format, @Nullable Object... args) {
        return new SlipwayException(ErrorCode.UNSUPPORTED, String.format(java.util.Locale.ROOT, format, args));
    }

    /** {@code ENGINE_FAILURE} wrapping an engine's native exception. */
    public static SlipwayException engineFailure(String message, Throwable cause) {
        return new SlipwayException(ErrorCode.ENGINE_FAILURE, message, cause);
    }
}
