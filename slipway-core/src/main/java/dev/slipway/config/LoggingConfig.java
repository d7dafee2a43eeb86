package dev.slipway.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the server logs.
 *
 * <pre>
 * logging:
 *   format: json     # text (a line for humans) or json (one JSON object per line, with request_id and trace_id)
 * </pre>
 *
 * <p>Without {@code format}, the system property {@code slipway.log.format} or the environment variable {@code
 * SLIPWAY_LOG_FORMAT} decides, and text is the default.
 *
 * @param format {@code text} or {@code json}; none leaves it to the property or environment
 */
public record LoggingConfig(@Nullable String format) {
    public static final List<String> FORMATS = List.of("text", "json");

    /** The format left to the system property or the environment. */
    public static LoggingConfig unset() {
        return new LoggingConfig(null);
    }

    void problems(String prefix, List<String> problems) {
        if (format != null && !FORMATS.contains(format)) {
            problems.add(prefix + ".format: '" + format + "' (expected: text or json)");
        }
    }
}
