package dev.slipway.slo;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A multi-window burn-rate alert (Google SRE Workbook, "Alerting on SLOs", table 5-8): fires while the error ratio over
 * both the long and the short window exceeds {@code burnRate} times the budget; the short window lets it resolve soon
 * after a recovery.
 *
 * @param severity page or ticket
 * @param longWindow the long window
 * @param shortWindow the short window (1/12 of the long one)
 * @param burnRate how many times faster than sustainable the budget burns
 */
public record BurnRateRule(Severity severity, Duration longWindow, Duration shortWindow, BigDecimal burnRate) {
    /** Page on 2 % of a 30-day budget in 1 h, page on 5 % in 6 h, ticket on 10 % in 3 days. */
    public static final List<BurnRateRule> DEFAULTS = List.of(
            new BurnRateRule(Severity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), new BigDecimal("14.4")),
            new BurnRateRule(Severity.PAGE, Duration.ofHours(6), Duration.ofMinutes(30), new BigDecimal("6")),
            new BurnRateRule(Severity.TICKET, Duration.ofDays(3), Duration.ofHours(6), new BigDecimal("1")));

    /** Alert severity. */
    public enum Severity {
        /** Wake someone up. */
        PAGE,
        /** Look at it during working hours. */
        TICKET;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BurnRateRule {
        requireNonNull(severity, "severity");
        requireNonNull(longWindow, "longWindow");
        requireNonNull(shortWindow, "shortWindow");
        requireNonNull(burnRate, "burnRate");
        if (shortWindow.compareTo(longWindow) >= 0 || shortWindow.toMinutes() < 1) {
            throw new IllegalArgumentException(
                    "shortWindow: " + shortWindow + " (expected: at least a minute, shorter than " + longWindow + ")");
        }
    }

    /** A short name: {@code page-1h}, {@code ticket-3d}. */
    public String name() {
        return severity.label() + "-" + PromDuration.of(longWindow);
    }
}
