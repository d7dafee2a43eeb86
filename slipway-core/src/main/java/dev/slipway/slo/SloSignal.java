package dev.slipway.slo;

import java.time.Duration;
import java.util.List;

/**
 * What the rollout controller and the metrics registry read about a model version's objectives. Implementations are
 * thread-safe and cheap to read.
 */
public interface SloSignal {
    /** Whether any page-severity burn-rate alert is firing: stop or roll back a rollout. */
    boolean paging();

    /** Whether any ticket-severity burn-rate alert is firing. */
    boolean ticketing();

    /** Every alert of every objective, as of the last evaluation. */
    List<AlertState> alerts();

    /**
     * The burn rate of an objective over one of the evaluated windows (5m, 30m, 1h, 6h, 3d): the bad-event ratio over
     * the last complete minutes of that window divided by the budget. 0 with no traffic; NaN for an objective the
     * manifest does not state or a window not evaluated.
     */
    double burnRate(SloKind slo, Duration window);
}
