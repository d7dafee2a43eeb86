package dev.slipway.inference;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.Ticker;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.contract.BoundBatch;
import dev.slipway.contract.DataContract;
import dev.slipway.parity.ParityReport;
import dev.slipway.spi.ModelInstance;
import dev.slipway.trace.Spans;
import io.opentelemetry.api.trace.Span;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One model version in this process: its manifest, contract and engine instance when it loaded, or the reason it did
 * not. Counts in-flight calls so the engine is closed only after the last one returns.
 */
public final class LoadedModel implements AutoCloseable {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final long DRAIN_POLL_NANOS = 1_000_000;

    private final String name;
    private final long version;
    private final Path directory;
    private final @Nullable ModelManifest manifest;
    private final @Nullable DataContract contract;
    private final @Nullable ModelInstance instance;
    private final @Nullable ParityReport parity;
    private final @Nullable String reason;
    private final Instant loadedAt;
    private final ServingOptions serving;
    private final Clock clock;
    private final Ticker ticker;
    private final ModelStats stats = new ModelStats();
    private final @Nullable ModelRunner runner;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile ModelState state;

    private LoadedModel(
            String name,
            long version,
            Path directory,
            @Nullable ModelManifest manifest,
            @Nullable DataContract contract,
            @Nullable ModelInstance instance,
            @Nullable ParityReport parity,
            ModelState state,
            @Nullable String reason,
            Instant loadedAt,
            ServingOptions serving,
            Clock clock,
            Ticker ticker) {
        this.name = name;
        this.version = version;
        this.directory = directory;
        this.manifest = manifest;
        this.contract = contract;
        this.instance = instance;
        this.parity = parity;
        this.state = state;
        this.reason = reason;
        this.loadedAt = loadedAt;
        this.serving = serving;
        this.clock = clock;
        this.ticker = ticker;
        this.runner = instance == null ? null : new ModelRunner(name + "-" + version, instance, serving, ticker, stats);
    }

    static LoadedModel ready(
            String name,
            long version,
            ModelManifest manifest,
            Path directory,
            DataContract contract,
            ModelInstance instance,
            @Nullable ParityReport parity,
            ServingOptions serving,
            Clock clock,
            Ticker ticker) {
        return new LoadedModel(
                name,
                version,
                directory,
                manifest,
                contract,
                instance,
                parity,
                ModelState.READY,
                null,
                clock.instant(),
                serving,
                clock,
                ticker);
    }

    static LoadedModel failed(
            String name,
            long version,
            Path directory,
            @Nullable ModelManifest manifest,
            @Nullable ParityReport parity,
            String reason,
            Clock clock) {
        return new LoadedModel(
                name,
                version,
                directory,
                manifest,
                null,
                null,
                parity,
                ModelState.FAILED,
                reason,
                clock.instant(),
                ServingOptions.defaults(),
                clock,
                Ticker.system());
    }

    /** The model name. */
    public String name() {
        return name;
    }

    /** The version number. */
    public long version() {
        return version;
    }

    /** The version as the protocol renders it. */
    public String versionString() {
        return Long.toString(version);
    }

    /** The directory the version was loaded from. */
    public Path directory() {
        return directory;
    }

    /** The current state. */
    public ModelState state() {
        return state;
    }

    /** Why the version is not ready, when it is not. */
    public @Nullable String reason() {
        return reason;
    }

    /** The manifest, unless it could not be read. */
    public @Nullable ModelManifest manifest() {
        return manifest;
    }

    /** The contract, when the version loaded. */
    public @Nullable DataContract contract() {
        return contract;
    }

    /** The parity gate's report, when it ran. */
    public @Nullable ParityReport parity() {
        return parity;
    }

    /** When loading finished. */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** How this version is served. */
    public ServingOptions serving() {
        return serving;
    }

    /** The version's counters. */
    public ModelStats stats() {
        return stats;
    }

    /** Whether this version serves requests. */
    public boolean ready() {
        return state == ModelState.READY;
    }

    /**
     * Serves one request asynchronously: admits it (or refuses with {@code OVERLOADED} at once when {@code
     * max-concurrency} requests are in flight), binds it to the contract on the calling thread, runs the engine (on
     * this thread, or batched with others), then shapes the outputs on the thread that ran the engine.
     *
     * @param bind turns the request into checked engine inputs
     * @param finish turns the engine's outputs into the response
     * @param deadlineNanos the {@link Ticker} time after which the work is dropped; {@code Long.MAX_VALUE} for none
     * @throws SlipwayException for failures found before the engine is queued: overload, not ready, invalid input
     */
    public <T> CompletableFuture<T> submit(
            Function<DataContract, BoundBatch> bind,
            BiFunction<DataContract, List<Tensor>, T> finish,
            long deadlineNanos) {
        long start = ticker.nanos();
        if (inFlight.incrementAndGet() > serving.maxConcurrency()) {
            inFlight.decrementAndGet();
            throw new SlipwayException(
                    ErrorCode.OVERLOADED,
                    "model '" + name + "' version '" + version + "' is at its limit of " + serving.maxConcurrency()
                            + " requests in flight (retry later)");
        }
        CompletableFuture<T> result;
        try {
            ModelRunner running = runner;
            DataContract bound = contract;
            if (state != ModelState.READY || running == null || bound == null) {
                throw notReady();
            }
            if (deadlineNanos != Long.MAX_VALUE && start - deadlineNanos >= 0) {
                throw new SlipwayException(ErrorCode.DEADLINE_EXCEEDED, "deadline passed before the request was read");
            }
            BoundBatch batch = bindTraced(bind, bound);
            result = running.run(batch, deadlineNanos).thenApply(outputs -> finish.apply(bound, outputs));
            return result.whenComplete((value, failure) -> {
                inFlight.decrementAndGet();
                long elapsed = ticker.nanos() - start;
                if (failure == null) {
                    stats.success(elapsed, batch.rows(), clock.millis());
                } else {
                    stats.fail(elapsed);
                }
            });
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            stats.fail(ticker.nanos() - start);
            throw e;
        }
    }

    private static BoundBatch bindTraced(Function<DataContract, BoundBatch> bind, DataContract contract) {
        Span span = Spans.start(Spans.CONTRACT);
        if (span == null) {
            return bind.apply(contract);
        }
        try {
            BoundBatch batch = bind.apply(contract);
            span.setAttribute("slipway.rows", batch.rows());
            span.end();
            return batch;
        } catch (RuntimeException e) {
            Spans.end(span, e);
            throw e;
        }
    }

    /** Requests of this version admitted and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests of this version waiting in its dynamic batcher (0 without batching). */
    public int queued() {
        ModelRunner running = runner;
        return running == null ? 0 : running.queued();
    }

    /**
     * Runs a call on the engine, counted as in flight so unloading waits for it.
     *
     * @throws SlipwayException {@code MODEL_NOT_READY} when the version is not (or no longer) ready
     */
    public <T> T call(EngineCall<T> work) {
        inFlight.incrementAndGet();
        try {
            ModelInstance engine = instance;
            DataContract bound = contract;
            if (state != ModelState.READY || engine == null || bound == null) {
                throw notReady();
            }
            return work.run(bound, engine);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The exception for a request that reaches this version while it is not ready. */
    public SlipwayException notReady() {
        return new SlipwayException(
                ErrorCode.MODEL_NOT_READY,
                "model '" + name + "' version '" + version + "' is not ready: " + state
                        + (reason == null ? "" : " (" + reason + ")"));
    }

    /** Stops serving this version and waits for in-flight calls before closing the engine. */
    void unload(ModelState finalState) {
        if (state == ModelState.READY) {
            state = ModelState.UNLOADING;
        }
        long polls = DRAIN_TIMEOUT.toNanos() / DRAIN_POLL_NANOS;
        for (long poll = 0; poll < polls && inFlight.get() > 0; poll++) {
            LockSupport.parkNanos(DRAIN_POLL_NANOS);
        }
        if (runner != null) {
            runner.close();
        }
        if (instance != null) {
            instance.close();
        }
        if (state != ModelState.FAILED) {
            state = finalState;
        }
    }

    @Override
    public void close() {
        unload(ModelState.UNAVAILABLE);
    }

    /** Work done with a ready version's contract and engine. */
    @FunctionalInterface
    public interface EngineCall<T> {
        /** Runs the work. */
        T run(DataContract contract, ModelInstance engine);
    }
}
