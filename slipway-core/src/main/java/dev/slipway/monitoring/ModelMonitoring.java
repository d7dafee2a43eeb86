package dev.slipway.monitoring;

import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RecordsRequest;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.config.MonitoringConfig;
import dev.slipway.drift.DriftMonitor;
import dev.slipway.drift.ReferenceProfile;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelRepository;
import dev.slipway.observe.Attribution;
import dev.slipway.observe.Pace;
import dev.slipway.observe.Served;
import dev.slipway.observe.ServingListener;
import dev.slipway.slo.Objective;
import dev.slipway.slo.Outcome;
import dev.slipway.slo.SloMonitor;
import dev.slipway.slo.SloSignal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drift and SLO monitoring of every served model version, fed by the serving events.
 *
 * <p>On the request thread {@link #served} does two cheap things: counts the request into its version's {@link
 * SloMonitor} (a few atomic increments; a failure counts against the version {@link Attribution} names), and, for an
 * answered request of a version with a reference sample that is in the drift sample ({@link RateSampler}: requests carrying
 * at most {@code monitoring.drift-sample-per-second} rows a second, uniformly), offers the event to a bounded queue; when the
 * queue is full the event is dropped and counted, never waited for. A worker thread of its own drains the queue every
 * 10 ms (never woken per request) and feeds each row (features and predictions) to the version's {@link DriftMonitor}: records requests as they came,
 * tensor requests through the manifest's tensor bindings ({@link TensorRows}). {@link #tick} (from a scheduler)
 * picks up versions loaded or unloaded since, reads new versions' reference profiles, and closes drift windows and SLO
 * minutes without traffic.
 */
public final class ModelMonitoring implements ServingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelMonitoring.class);

    /** Why a served request fed no drift rows. */
    public enum Skip {
        /** The drift queue was full: the request was dropped. */
        QUEUE_FULL,
        /** Traffic above {@code monitoring.drift-sample-per-second}: the request was not in the sample. */
        SAMPLED_OUT,
        /** Its version has no reference sample, or its reference could not be read. */
        NOT_WATCHED,
        /** A tensor request whose inputs map to no feature (see {@link TensorRows}). */
        TENSOR_UNMAPPED,
        /** The request held no rows, or its kind is not monitored. */
        EMPTY,
        /** Feeding the rows failed (logged). */
        FAILED;

        /** The value of a {@code reason} label. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final ModelRepository repository;
    private final Attribution attribution;
    private final MonitoringConfig config;
    private final Clock clock;
    private final Executor closer;
    private final ArrayBlockingQueue<Served> queue;
    private final RateSampler sampler;
    private final Map<String, Map<String, VersionMonitors>> byModel = new ConcurrentHashMap<>();
    private final LongAdder[] skipped = new LongAdder[Skip.values().length];
    private final LongAdder rows = new LongAdder();
    private final Object lifecycle = new Object();
    private @Nullable Thread worker;
    private volatile boolean closed;

    /**
     * Monitoring of a repository's versions.
     *
     * @param closer where drift windows are closed and compared (merging and statistics): the scheduler's thread
     */
    public ModelMonitoring(
            ModelRepository repository,
            Attribution attribution,
            MonitoringConfig config,
            Clock clock,
            Executor closer) {
        this.repository = repository;
        this.attribution = attribution;
        this.config = config;
        this.clock = clock;
        this.closer = closer;
        this.queue = new ArrayBlockingQueue<>(config.capacity());
        this.sampler = new RateSampler(config.driftSample(), dev.slipway.api.Ticker.system()::nanos);
        for (int i = 0; i < skipped.length; i++) {
            skipped[i] = new LongAdder();
        }
    }

    /** Starts the drift worker thread. */
    public ModelMonitoring start() {
        synchronized (lifecycle) {
            if (worker == null && !closed && config.driftOn()) {
                Thread thread = new Thread(this::work, "slipway-drift-worker");
                thread.setDaemon(true);
                thread.start();
                worker = thread;
            }
        }
        return this;
    }

    @Override
    public void served(Served event) {
        if (!config.sloOn() && !config.driftOn()) {
            return;
        }
        VersionMonitors monitors;
        if (event.ok()) {
            String model = event.model();
            String version = event.version();
            monitors = model == null || version == null ? null : monitors(model, version);
        } else {
            LoadedModel failed = attribution.failedVersion(event);
            monitors = failed == null ? null : monitors(failed.name(), failed.versionString());
        }
        if (monitors == null) {
            return;
        }
        SloMonitor slo = monitors.sloMonitor();
        if (slo != null) {
            dev.slipway.api.ErrorCode error = event.error();
            slo.record(error == null ? Outcome.SUCCESS : Outcome.of(error), event.latencyNanos());
        }
        if (config.driftOn() && event.ok() && event.request() != null && !"off".equals(monitors.driftStatus())) {
            if (monitors.driftMonitor() == null && !"pending".equals(monitors.driftStatus())) {
                skipped[Skip.NOT_WATCHED.ordinal()].increment();
            } else if (!sampler.admit(event.rows())) {
                skipped[Skip.SAMPLED_OUT.ordinal()].increment();
            } else if (!queue.offer(event)) {
                skipped[Skip.QUEUE_FULL.ordinal()].increment();
            }
        }
    }

    /** The monitors of one version, made on first sight; none for a version the repository does not hold. */
    private @Nullable VersionMonitors monitors(String model, String version) {
        Map<String, VersionMonitors> versions = byModel.get(model);
        VersionMonitors found = versions == null ? null : versions.get(version);
        if (found != null) {
            return found;
        }
        LoadedModel loaded = repository.find(model, version).orElse(null);
        if (loaded == null || loaded.manifest() == null) {
            return null;
        }
        return byModel.computeIfAbsent(model, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(version, v -> create(loaded));
    }

    private VersionMonitors create(LoadedModel model) {
        ModelManifest manifest = java.util.Objects.requireNonNull(model.manifest());
        SloMonitor slo = config.sloOn() && !Objective.of(manifest.slo()).isEmpty()
                ? new SloMonitor(manifest.slo(), clock)
                : null;
        String drift = !config.driftOn() ? "off" : manifest.reference() == null ? "no reference sample" : "pending";
        return new VersionMonitors(model, slo, drift);
    }

    /** Reads the version's reference profile if not yet done; the drift monitor, or none when it cannot watch. */
    private @Nullable DriftMonitor drift(VersionMonitors monitors) {
        DriftMonitor drift = monitors.driftMonitor();
        if (drift != null || !"pending".equals(monitors.driftStatus())) {
            return drift;
        }
        synchronized (monitors) {
            drift = monitors.driftMonitor();
            if (drift != null || !"pending".equals(monitors.driftStatus())) {
                return drift;
            }
            LoadedModel model = monitors.model();
            ModelManifest manifest = java.util.Objects.requireNonNull(model.manifest());
            try {
                ReferenceProfile profile = ReferenceProfile.load(model.directory(), manifest);
                drift = new DriftMonitor(profile, manifest.drift(), clock, closer);
                monitors.watch(drift, new TensorRows(manifest, profile.columns()));
                return drift;
            } catch (RuntimeException e) {
                LOG.warn(
                        "model {} version {}: drift is not watched: its reference cannot be read: {}",
                        model.name(),
                        model.versionString(),
                        e.getMessage());
                monitors.noDrift("reference unreadable: " + e.getMessage());
                return null;
            }
        }
    }

    private void work() {
        // Request threads never wake this thread (no signal, no unpark per request): it drains every PACE.
        Pace pace = new Pace();
        while (!closed && !Thread.currentThread().isInterrupted()) {
            if (drain() > 0) {
                pace.found();
            } else {
                pace.rest();
            }
        }
    }

    /** Feeds every queued event to its drift monitor on the calling thread; returns how many were taken. */
    int drain() {
        int taken = 0;
        Served event;
        while ((event = queue.poll()) != null) {
            observe(event);
            taken++;
        }
        return taken;
    }

    private void observe(Served event) {
        String model = event.model();
        String version = event.version();
        VersionMonitors monitors = model == null || version == null ? null : monitors(model, version);
        DriftMonitor drift = monitors == null ? null : drift(monitors);
        if (monitors == null || drift == null) {
            skipped[Skip.NOT_WATCHED.ordinal()].increment();
            return;
        }
        try {
            Skip skip = feed(event, monitors, drift);
            if (skip != null) {
                skipped[skip.ordinal()].increment();
            }
        } catch (RuntimeException e) {
            skipped[Skip.FAILED.ordinal()].increment();
            if (skipped[Skip.FAILED.ordinal()].sum() <= 10) {
                LOG.warn("drift rows of request {} could not be recorded: {}", event.requestId(), e.toString());
            }
        }
    }

    private @Nullable Skip feed(Served event, VersionMonitors monitors, DriftMonitor drift) {
        Object request = event.request();
        Object response = event.response();
        if (request instanceof RecordsRequest records) {
            List<Map<String, Object>> predictions =
                    response instanceof RecordsResponse answer ? answer.predictions() : List.of();
            if (records.instances().isEmpty()) {
                return Skip.EMPTY;
            }
            for (int i = 0; i < records.instances().size(); i++) {
                Map<String, @Nullable Object> row =
                        new HashMap<>(records.instances().get(i));
                if (i < predictions.size()) {
                    row.putAll(predictions.get(i));
                }
                drift.observeRecord(row);
            }
            rows.add(records.instances().size());
            return null;
        }
        TensorRows tensors = monitors.tensorRows();
        if (request instanceof InferenceRequest tensorRequest && tensors != null) {
            TensorRows.Skip skip =
                    tensors.observe(tensorRequest, response instanceof InferenceResponse answer ? answer : null, drift);
            if (skip == null) {
                rows.add(event.rows());
                return null;
            }
            return skip == TensorRows.Skip.UNMAPPED ? Skip.TENSOR_UNMAPPED : Skip.EMPTY;
        }
        return Skip.EMPTY;
    }

    /**
     * Brings the monitors in line with the repository (new versions get theirs and have their reference read; gone or
     * reloaded versions lose theirs), then closes drift windows and SLO minutes whose time has passed.
     */
    public void tick() {
        Map<String, Map<String, LoadedModel>> served = new HashMap<>();
        for (LoadedModel model : repository.all()) {
            if (model.ready() && model.manifest() != null) {
                served.computeIfAbsent(model.name(), n -> new HashMap<>()).put(model.versionString(), model);
            }
        }
        byModel.forEach((name, versions) -> versions.entrySet().removeIf(entry -> {
            Map<String, LoadedModel> current = served.get(name);
            LoadedModel now = current == null ? null : current.get(entry.getKey());
            return now != entry.getValue().model();
        }));
        byModel.values().removeIf(Map::isEmpty);
        served.forEach((name, versions) -> versions.forEach((version, model) -> monitors(name, version)));
        for (VersionMonitors monitors : versions()) {
            if (config.driftOn()) {
                drift(monitors);
            }
            DriftMonitor drift = monitors.driftMonitor();
            if (drift != null) {
                drift.tick();
            }
            SloMonitor slo = monitors.sloMonitor();
            if (slo != null) {
                slo.tick();
            }
        }
    }

    /** The monitors of every watched version, by model name and version. */
    public List<VersionMonitors> versions() {
        List<VersionMonitors> all = new ArrayList<>();
        new java.util.TreeMap<>(byModel)
                .forEach((name, versions) -> all.addAll(new java.util.TreeMap<>(versions).values()));
        return all;
    }

    /** The monitors of one version, when it is served. */
    public Optional<VersionMonitors> version(String model, long version) {
        return Optional.ofNullable(monitors(model, Long.toString(version)));
    }

    /**
     * The SLO signal of one version, for a rollout controller: burn rates and firing alerts of its objectives; empty
     * when the version is not served, states no objective, or SLO monitoring is off.
     */
    public Optional<SloSignal> slo(String model, long version) {
        return version(model, version).flatMap(VersionMonitors::sloSignal);
    }

    /** The drift monitor of one version, once its reference profile is read. */
    public Optional<DriftMonitor> drift(String model, long version) {
        return version(model, version).flatMap(VersionMonitors::drift);
    }

    /** Requests that fed no drift rows, for one reason. */
    public long skipped(Skip reason) {
        return skipped[reason.ordinal()].sum();
    }

    /** Rows fed to drift monitors. */
    public long rows() {
        return rows.sum();
    }

    /** Requests waiting for the drift worker. */
    public int queued() {
        return queue.size();
    }

    /** The settings. */
    public MonitoringConfig config() {
        return config;
    }

    @Override
    public void close() {
        Thread running;
        synchronized (lifecycle) {
            closed = true;
            running = worker;
            worker = null;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        queue.clear();
    }
}
