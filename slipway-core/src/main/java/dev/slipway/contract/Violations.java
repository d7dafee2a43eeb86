package dev.slipway.contract;

import dev.slipway.api.SlipwayException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every contract violation of one request, so the caller learns about all of them at once. Each reads {@code
 * field: value (expected: expectation)}, prefixed with {@code row N: } when the request has several rows.
 */
final class Violations {
    static final int MAX_LISTED = 50;

    private final boolean multiRow;
    private final List<String> listed = new ArrayList<>();
    private int total;

    Violations(int rows) {
        this.multiRow = rows > 1;
    }

    void add(int row, String field, String value, String expectation) {
        add((multiRow ? "row " + row + ": " : "") + field + ": " + value + " (expected: " + expectation + ")");
    }

    void add(String message) {
        total++;
        if (listed.size() < MAX_LISTED) {
            listed.add(message);
        }
    }

    boolean isEmpty() {
        return total == 0;
    }

    void throwIfAny() {
        if (total == 0) {
            return;
        }
        List<String> problems = new ArrayList<>(listed);
        if (total > listed.size()) {
            problems.add("and " + (total - listed.size()) + " more violations");
        }
        throw SlipwayException.invalidInput(problems);
    }
}
