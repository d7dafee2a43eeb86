package dev.slipway.parity;

import java.util.List;
import java.util.Locale;

/**
 * The result of running a model's golden examples: a decision, not an exception.
 *
 * @param rows every compared value
 * @param tolerance the largest accepted absolute difference
 * @param maxAbsError the largest absolute difference seen over numeric outputs
 * @param problems problems that stop the comparison (unreadable file, rows the contract rejects); empty when it ran
 */
public record ParityReport(List<ParityRow> rows, double tolerance, double maxAbsError, List<String> problems) {
    public ParityReport {
        rows = List.copyOf(rows);
        problems = List.copyOf(problems);
    }

    /** Whether the model keeps parity: it ran, compared at least one value, and every value is within tolerance. */
    public boolean passed() {
        return problems.isEmpty() && !rows.isEmpty() && rows.stream().allMatch(ParityRow::ok);
    }

    /** The number of values outside tolerance. */
    public long mismatches() {
        return rows.stream().filter(r -> !r.ok()).count();
    }

    /** One line for logs and model metadata. */
    public String summary() {
        if (!problems.isEmpty()) {
            return "parity gate could not run: " + String.join("; ", problems);
        }
        if (rows.isEmpty()) {
            return "parity gate compared nothing: the golden file has no column named like a served output";
        }
        long examples = rows.stream().mapToInt(ParityRow::row).distinct().count();
        return String.format(
                Locale.ROOT,
                "parity gate %s: %d golden rows, %d values, %d outside tolerance %s, max abs error %s",
                passed() ? "passed" : "failed",
                examples,
                rows.size(),
                mismatches(),
                tolerance,
                maxAbsError);
    }
}
