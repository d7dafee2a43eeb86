package dev.slipway.slo;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.manifest.SloSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Multi-window multi-burn-rate evaluation of a model version's objectives, in process. {@link #record} counts each
 * request into per-minute counters (total, failed, slower than the latency threshold) in a ring buffer covering the
 * longest window (3 days); it is thread-safe and lock-free except when the minute turns. At each minute boundary
 * (reached by a {@code record}, a {@link #tick()} or a read) every rule is evaluated over the last complete minutes:
 * a window's ratio is its bad events over its events, summed per minute (never an average of ratios). A rule fires
 * when the ratio over both its windows exceeds {@code burnRate * budget}, exactly as the generated Prometheus alerts.
 */
public final class SloMonitor implements SloSignal {
    private static final long MINUTE_MILLIS = 60_000;

    private final List<Objective> objectives;
    private final List<BurnRateRule> rules;
    private final Clock clock;
    private final int slots;
    private final long slowNanos;
    private final AtomicLongArray total;
    private final AtomicLongArray failed;
    private final AtomicLongArray slow;
    private final List<Duration> windows;
    private final Object rotation = new Object();
    private volatile long minute;
    private volatile Evaluation evaluation;

    /** A monitor of the manifest's objectives with the {@linkplain BurnRateRule#DEFAULTS default rules}. */
    public SloMonitor(SloSpec spec, Clock clock) {
        this(Objective.of(spec), BurnRateRule.DEFAULTS, clock);
    }

    public SloMonitor(List<Objective> objectives, List<BurnRateRule> rules, Clock clock) {
        this.objectives = List.copyOf(objectives);
        this.rules = List.copyOf(rules);
        this.clock = requireNonNull(clock, "clock");
        TreeSet<Duration> evaluated = new TreeSet<>();
        for (BurnRateRule rule : rules) {
            evaluated.add(rule.longWindow());
            evaluated.add(rule.shortWindow());
        }
        this.windows = List.copyOf(evaluated);
        long longest = evaluated.isEmpty() ? 1 : evaluated.last().toMinutes();
        this.slots = (int) longest + 1;
        this.total = new AtomicLongArray(slots);
        this.failed = new AtomicLongArray(slots);
        this.slow = new AtomicLongArray(slots);
        long threshold = Long.MAX_VALUE;
        for (Objective objective : objectives) {
            if (objective.latencyThresholdSeconds() != null) {
                threshold =
                        objective.latencyThresholdSeconds().movePointRight(9).longValue();
            }
        }
        this.slowNanos = threshold;
        this.minute = Math.floorDiv(clock.millis(), MINUTE_MILLIS);
        this.evaluation = evaluate(minute, clock.instant(), Map.of());
    }

    /** The objectives evaluated. */
    public List<Objective> objectives() {
        return objectives;
    }

    /** Counts one request: how it ended and how long it took. */
    public void record(Outcome outcome, Duration latency) {
        record(outcome, latency.toNanos());
    }

    /** Counts one request: how it ended and how long it took, in nanoseconds. */
    public void record(Outcome outcome, long latencyNanos) {
        recordMany(outcome, latencyNanos, 1);
    }

    /** Counts {@code count} requests alike; for scripted streams in tests. */
    void recordMany(Outcome outcome, long latencyNanos, long count) {
        int slot = slot(advance());
        total.addAndGet(slot, count);
        if (outcome == Outcome.SERVER_ERROR) {
            failed.addAndGet(slot, count);
        }
        if (latencyNanos > slowNanos) {
            slow.addAndGet(slot, count);
        }
    }

    /** Evaluates the rules if a minute boundary has passed since the last evaluation. */
    public void tick() {
        advance();
    }

    @Override
    public boolean paging() {
        return firing(BurnRateRule.Severity.PAGE);
    }

    @Override
    public boolean ticketing() {
        return firing(BurnRateRule.Severity.TICKET);
    }

    @Override
    public List<AlertState> alerts() {
        advance();
        return evaluation.alerts;
    }

    @Override
    public double burnRate(SloKind slo, Duration window) {
        advance();
        Map<Duration, Double> rates = evaluation.burnRates.get(slo);
        return rates == null ? Double.NaN : value(rates, window);
    }

    /** The windows evaluated, shortest first. */
    public List<Duration> windows() {
        return windows;
    }

    /** When the rules were last evaluated: the start of the current minute. */
    public Instant evaluatedAt() {
        advance();
        return evaluation.at;
    }

    private boolean firing(BurnRateRule.Severity severity) {
        for (AlertState alert : alerts()) {
            if (alert.firing() && alert.rule().severity() == severity) {
                return true;
            }
        }
        return false;
    }

    private int slot(long minuteIndex) {
        return (int) Math.floorMod(minuteIndex, (long) slots);
    }

    /** Moves to the current minute: clears the slots of minutes skipped and re-evaluates. Returns the minute. */
    private long advance() {
        long now = Math.floorDiv(clock.millis(), MINUTE_MILLIS);
        long current = minute;
        if (now <= current) {
            return current;
        }
        synchronized (rotation) {
            current = minute;
            if (now <= current) {
                return current;
            }
            long steps = Math.min(now - current, slots);
            for (long m = now - steps + 1; m <= now; m++) {
                int slot = slot(m);
                total.set(slot, 0);
                failed.set(slot, 0);
                slow.set(slot, 0);
            }
            Map<String, AlertState> previous = new java.util.HashMap<>();
            for (AlertState alert : evaluation.alerts) {
                previous.put(alert.slo() + "/" + alert.rule().name(), alert);
            }
            evaluation = evaluate(now, Instant.ofEpochMilli(now * MINUTE_MILLIS), previous);
            minute = now;
            return now;
        }
    }

    /** Evaluates every rule over the complete minutes before {@code current}. */
    private Evaluation evaluate(long current, Instant at, Map<String, AlertState> previous) {
        Map<SloKind, Map<Duration, Double>> burnRates = new EnumMap<>(SloKind.class);
        List<AlertState> alerts = new ArrayList<>();
        for (Objective objective : objectives) {
            Map<Duration, Double> rates = new java.util.HashMap<>();
            Map<Duration, Double> errorRatios = new java.util.HashMap<>();
            AtomicLongArray bad = objective.kind() == SloKind.AVAILABILITY ? failed : slow;
            double budget = objective.budget().doubleValue();
            for (Duration window : windows) {
                long events = 0;
                long bads = 0;
                for (long m = current - window.toMinutes(); m < current; m++) {
                    int slot = slot(m);
                    events += total.get(slot);
                    bads += bad.get(slot);
                }
                double ratio = events == 0 ? 0 : bads / (double) events;
                errorRatios.put(window, ratio);
                rates.put(window, budget == 0 ? (ratio == 0 ? 0 : Double.POSITIVE_INFINITY) : ratio / budget);
            }
            burnRates.put(objective.kind(), Map.copyOf(rates));
            for (BurnRateRule rule : rules) {
                double limit = objective.limit(rule.burnRate()).doubleValue();
                boolean firing =
                        value(errorRatios, rule.longWindow()) > limit && value(errorRatios, rule.shortWindow()) > limit;
                AlertState before = previous.get(objective.kind() + "/" + rule.name());
                Instant since = before == null || before.firing() != firing ? at : before.since();
                alerts.add(new AlertState(
                        objective.kind(),
                        rule,
                        firing,
                        value(rates, rule.longWindow()),
                        value(rates, rule.shortWindow()),
                        since));
            }
        }
        return new Evaluation(at, List.copyOf(alerts), burnRates);
    }

    private static double value(Map<Duration, Double> values, Duration window) {
        Double value = values.get(window);
        return value == null ? Double.NaN : value;
    }

    private static final class Evaluation {
        final Instant at;
        final List<AlertState> alerts;
        final Map<SloKind, Map<Duration, Double>> burnRates;

        Evaluation(Instant at, List<AlertState> alerts, Map<SloKind, Map<Duration, Double>> burnRates) {
            this.at = at;
            this.alerts = alerts;
            this.burnRates = burnRates;
        }
    }
}
