package dev.slipway.metrics;

import dev.slipway.drift.DriftGauge;
import dev.slipway.drift.DriftMonitor;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelRepository;
import dev.slipway.inference.ModelStats;
import dev.slipway.monitoring.ModelMonitoring;
import dev.slipway.monitoring.VersionMonitors;
import dev.slipway.rollout.Buckets;
import dev.slipway.rollout.Router;
import dev.slipway.rollout.RoutingTable;
import dev.slipway.slo.AlertState;
import dev.slipway.slo.Objective;
import dev.slipway.slo.SloMonitor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What is read rather than counted, refreshed by {@link #refresh()} on the monitoring tick so a scrape only reads:
 *
 * <ul>
 *   <li>per model version: {@code slipway_model_ready}, {@code slipway_requests_in_flight}, {@code
 *       slipway_batch_queue_depth}; {@code slipway_batch_queue_wait_seconds} and {@code
 *       slipway_engine_duration_seconds} (count and sum, from the version's statistics: time queued in the dynamic
 *       batcher, time in the engine per engine call) and {@code slipway_engine_rows_total};
 *   <li>per routing table: {@code slipway_routing_weight{model,variant,version}}, the share of requests each arm
 *       answers (and the share copied to a shadow), {@code slipway_routing_epoch{model}}; and {@code
 *       slipway_flag_evaluation_failures_total} (evaluations that fell back to the coded default);
 *   <li>per circuit breaker: {@code slipway_circuit_breaker_state{model,version,state}}, 1 for the current state;
 *       {@code version} is {@code default} for the breaker of a model's production version;
 *   <li>per monitored column: every {@link DriftGauge} ({@code slipway_drift_psi{model,version,feature}}, ...) of the
 *       last closed window, and {@code slipway_drift_window_rows{model,version}};
 *   <li>per objective: {@code slipway_slo_burn_rate{model,version,slo,window}} and {@code
 *       slipway_slo_alert_firing{model,version,slo,rule,severity}};
 *   <li>the drift hand-off: {@code slipway_monitoring_skipped_total{reason}}, {@code slipway_monitoring_rows_total},
 *       {@code slipway_monitoring_queue_depth}.
 * </ul>
 */
public final class ModelGauges {
    private final MeterRegistry registry;
    private final ModelRepository repository;
    private final @Nullable Router router;
    private final @Nullable ModelMonitoring monitoring;
    private final Map<String, MultiGauge> gauges = new HashMap<>();
    private final Map<String, List<Object>> rowObjects = new HashMap<>();
    private final Map<String, LoadedModel> timed = new HashMap<>();
    private final Map<String, List<Meter>> timers = new HashMap<>();

    /** Gauges over a repository, its router's circuit breakers and the monitors, when there are some. */
    public ModelGauges(
            MeterRegistry registry,
            ModelRepository repository,
            @Nullable Router router,
            @Nullable ModelMonitoring monitoring) {
        this.registry = registry;
        this.repository = repository;
        this.router = router;
        this.monitoring = monitoring;
        if (router != null) {
            FunctionCounter.builder("slipway.flag.evaluation.failures", router, Router::flagFailures)
                    .description("Feature-flag evaluations that failed and gave the coded default")
                    .register(registry);
        }
        if (monitoring != null) {
            for (ModelMonitoring.Skip skip : ModelMonitoring.Skip.values()) {
                FunctionCounter.builder("slipway.monitoring.skipped", monitoring, m -> m.skipped(skip))
                        .description("Served requests that fed no drift rows, by reason (queue_full: dropped)")
                        .tag("reason", skip.label())
                        .register(registry);
            }
            FunctionCounter.builder("slipway.monitoring.rows", monitoring, ModelMonitoring::rows)
                    .description("Rows fed to drift monitors")
                    .register(registry);
            Gauge.builder("slipway.monitoring.queue.depth", monitoring, ModelMonitoring::queued)
                    .description("Served requests waiting for the drift worker")
                    .register(registry);
        }
    }

    /** Registers gauges of versions, breakers and monitors that appeared, and removes those of the gone ones. */
    public synchronized void refresh() {
        List<LoadedModel> models = repository.all();
        List<Row> ready = new ArrayList<>();
        List<Row> inFlight = new ArrayList<>();
        List<Row> queued = new ArrayList<>();
        Map<String, LoadedModel> live = new HashMap<>();
        for (LoadedModel model : models) {
            Tags tags = Tags.of("model", model.name(), "version", model.versionString());
            ready.add(new Row(tags, model, m -> ((LoadedModel) m).ready() ? 1 : 0));
            if (model.ready()) {
                inFlight.add(new Row(tags, model, m -> ((LoadedModel) m).inFlight()));
                queued.add(new Row(tags, model, m -> ((LoadedModel) m).queued()));
                live.put(model.name() + "\u0000" + model.versionString(), model);
            }
        }
        register("slipway.model.ready", "1 when the version serves requests, else 0", ready);
        register("slipway.requests.in.flight", "Requests admitted and not yet answered", inFlight);
        register("slipway.batch.queue.depth", "Requests waiting in the version's dynamic batcher", queued);
        timers(live);
        breakers();
        routing();
        if (monitoring != null) {
            drift(monitoring.versions());
            slo(monitoring.versions());
        }
    }

    private void timers(Map<String, LoadedModel> live) {
        for (Map.Entry<String, LoadedModel> entry : new ArrayList<>(timed.entrySet())) {
            if (live.get(entry.getKey()) != entry.getValue()) {
                timers.getOrDefault(entry.getKey(), List.of()).forEach(registry::remove);
                timers.remove(entry.getKey());
                timed.remove(entry.getKey());
            }
        }
        live.forEach((key, model) -> {
            if (timed.containsKey(key)) {
                return;
            }
            Tags tags = Tags.of("model", model.name(), "version", model.versionString());
            ModelStats stats = model.stats();
            List<Meter> meters = List.of(
                    FunctionTimer.builder(
                                    "slipway.batch.queue.wait",
                                    stats,
                                    s -> s.queue().count(),
                                    s -> s.queue().nanos(),
                                    TimeUnit.NANOSECONDS)
                            .description("Time requests waited in the dynamic batcher")
                            .tags(tags)
                            .register(registry),
                    FunctionTimer.builder(
                                    "slipway.engine.duration",
                                    stats,
                                    s -> s.computeInfer().count(),
                                    s -> s.computeInfer().nanos(),
                                    TimeUnit.NANOSECONDS)
                            .description("Time in the engine, per engine call (a dynamic batch is one call)")
                            .tags(tags)
                            .register(registry),
                    FunctionCounter.builder("slipway.engine.rows", stats, ModelStats::inferenceCount)
                            .description("Rows inferred successfully")
                            .tags(tags)
                            .register(registry));
            timed.put(key, model);
            timers.put(key, meters);
        });
    }

    private void routing() {
        List<Row> weights = new ArrayList<>();
        List<Row> epochs = new ArrayList<>();
        if (router != null) {
            for (RoutingTable table : router.tables()) {
                for (RoutingTable.Arm arm : table.arms()) {
                    weights.add(new Row(
                            Tags.of("model", table.endpoint(), "variant", arm.variant(), "version", version(arm)),
                            table,
                            t -> arm.weight() / (double) Buckets.COUNT));
                }
                RoutingTable.Shadow shadow = table.shadow();
                if (shadow != null) {
                    weights.add(new Row(
                            Tags.of("model", table.endpoint(), "variant", "shadow", "version", "" + shadow.version()),
                            table,
                            t -> shadow.sample() / (double) Buckets.COUNT));
                }
                epochs.add(new Row(Tags.of("model", table.endpoint()), table, t -> ((RoutingTable) t).epoch()));
            }
        }
        register(
                "slipway.routing.weight",
                "Share of the endpoint's requests each variant answers (shadow: copied)",
                weights);
        register("slipway.routing.epoch", "Epoch of the endpoint's routing table in force", epochs);
    }

    private static String version(RoutingTable.Arm arm) {
        return Long.toString(arm.version());
    }

    private void breakers() {
        List<Row> rows = new ArrayList<>();
        if (router != null) {
            Router routing = router;
            routing.circuitBreakers().forEach((target, state) -> {
                int colon = target.lastIndexOf(':');
                String model = colon < 0 ? target : target.substring(0, colon);
                String version = colon < 0 ? "default" : target.substring(colon + 1);
                for (String each : List.of("closed", "open", "half_open", "forced_open", "disabled", "metrics_only")) {
                    rows.add(new Row(
                            Tags.of("model", model, "version", version, "state", each),
                            routing,
                            r -> each.equals(((Router) r).circuitBreakers().get(target)) ? 1 : 0));
                }
            });
        }
        register("slipway.circuit.breaker.state", "1 for the circuit breaker's current state, else 0", rows);
    }

    private void drift(List<VersionMonitors> versions) {
        DriftGauge[] kinds = DriftGauge.values();
        List<List<Row>> rows = new ArrayList<>();
        List<Row> windowRows = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            rows.add(new ArrayList<>());
        }
        for (VersionMonitors monitors : versions) {
            DriftMonitor drift = monitors.drift().orElse(null);
            if (drift == null) {
                continue;
            }
            windowRows.add(new Row(
                    Tags.of("model", monitors.name(), "version", monitors.version()),
                    drift,
                    d -> ((DriftMonitor) d).latest().map(r -> (double) r.rows()).orElse(Double.NaN)));
            for (String column : drift.profile().columns()) {
                Tags tags = Tags.of("model", monitors.name(), "version", monitors.version(), "feature", column);
                for (DriftGauge gauge : kinds) {
                    rows.get(gauge.ordinal()).add(new Row(tags, drift, d -> ((DriftMonitor) d).gauge(column, gauge)));
                }
            }
        }
        for (DriftGauge gauge : kinds) {
            register(
                    gauge.metricName(),
                    "Drift of the last closed window (" + gauge.name() + ")",
                    rows.get(gauge.ordinal()));
        }
        register("slipway.drift.window.rows", "Rows in the last closed drift window", windowRows);
    }

    private void slo(List<VersionMonitors> versions) {
        List<Row> burnRates = new ArrayList<>();
        List<Row> alerts = new ArrayList<>();
        for (VersionMonitors monitors : versions) {
            SloMonitor slo = monitors.slo().orElse(null);
            if (slo == null) {
                continue;
            }
            for (Objective objective : slo.objectives()) {
                for (Duration window : slo.windows()) {
                    burnRates.add(new Row(
                            Tags.of(
                                    "model",
                                    monitors.name(),
                                    "version",
                                    monitors.version(),
                                    "slo",
                                    objective.kind().label(),
                                    "window",
                                    window(window)),
                            slo,
                            s -> ((SloMonitor) s).burnRate(objective.kind(), window)));
                }
            }
            for (AlertState alert : slo.alerts()) {
                String rule = alert.rule().name();
                alerts.add(new Row(
                        Tags.of(
                                "model",
                                monitors.name(),
                                "version",
                                monitors.version(),
                                "slo",
                                alert.slo().label(),
                                "rule",
                                rule,
                                "severity",
                                alert.rule().severity().label()),
                        slo,
                        s -> firing((SloMonitor) s, alert.slo(), rule)));
            }
        }
        register(
                "slipway.slo.burn.rate",
                "Error budget burn rate over the window (1 = the budget lasts the SLO period)",
                burnRates);
        register("slipway.slo.alert.firing", "1 while the burn-rate alert fires, else 0", alerts);
    }

    private static double firing(SloMonitor slo, dev.slipway.slo.SloKind kind, String rule) {
        for (AlertState alert : slo.alerts()) {
            if (alert.slo() == kind && alert.rule().name().equals(rule)) {
                return alert.firing() ? 1 : 0;
            }
        }
        return Double.NaN;
    }

    /** A window in Prometheus' notation: {@code 5m}, {@code 1h}, {@code 3d}. */
    static String window(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private record Row(Tags tags, Object source, java.util.function.ToDoubleFunction<Object> value) {}

    /**
     * Registers a multi-gauge's rows; rows whose source object was replaced (a reloaded version) are registered anew,
     * the others are kept as they are.
     */
    private void register(String name, String description, List<Row> rows) {
        MultiGauge gauge = gauges.computeIfAbsent(
                name, n -> MultiGauge.builder(n).description(description).register(registry));
        List<Object> sources = new ArrayList<>(rows.size());
        rows.forEach(row -> sources.add(row.source()));
        List<Object> before = rowObjects.get(name);
        boolean changed = before == null || !sameObjects(before, sources);
        List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>(rows.size());
        for (Row row : rows) {
            gaugeRows.add(MultiGauge.Row.of(row.tags(), row.source(), row.value()));
        }
        gauge.register(gaugeRows, changed);
        rowObjects.put(name, sources);
    }

    private static boolean sameObjects(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        seen.addAll(a);
        for (Object o : b) {
            if (!seen.contains(o)) {
                return false;
            }
        }
        return true;
    }
}
