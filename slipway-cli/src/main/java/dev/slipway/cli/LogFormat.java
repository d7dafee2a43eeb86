package dev.slipway.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Switches the log format after the configuration file is read: {@code logging.format} sets the {@code
 * slipway.log.format} property that {@code logback.xml} picks its appender by, and the file is applied again.
 */
final class LogFormat {
    static final String PROPERTY = "slipway.log.format";

    private LogFormat() {}

    /** Applies {@code text} or {@code json}; none leaves the format to the property or the environment. */
    static void apply(@Nullable String format) {
        if (format == null || format.equals(System.getProperty(PROPERTY))) {
            return;
        }
        System.setProperty(PROPERTY, format);
        URL file = LogFormat.class.getResource("/logback.xml");
        if (file == null || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(file);
        } catch (JoranException e) {
            System.err.println("warning: the log format could not be switched to " + format + ": " + e.getMessage());
        }
    }
}
