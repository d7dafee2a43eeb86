package dev.slipway.rollout;

import dev.slipway.api.Ticker;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelRepository;
import dev.slipway.inference.ModelState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progressive delivery in a server: the router every request goes through, the flags, and — when serving from a
 * registry — the rollout controller ticking on a schedule and the routing tables reloaded whenever the registry
 * changes.
 */
public final class Delivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    private static final Duration FLAG_REFRESH = Duration.ofSeconds(1);

    private final Router router;
    private final Flags flags;
    private final @Nullable RolloutStore store;
    private final @Nullable RolloutController controller;
    private final ScheduledExecutorService scheduler;

    private Delivery(
            Router router,
            Flags flags,
            @Nullable RolloutStore store,
            @Nullable RolloutController controller,
            ScheduledExecutorService scheduler) {
        this.router = router;
        this.flags = flags;
        this.store = store;
        this.controller = controller;
        this.scheduler = scheduler;
    }

    /**
     * Starts delivery.
     *
     * @param store where rollouts live; none (serving a folder) means routing by production version and fallback
     *     chains only
     * @param flagsFile the flags file, or none for coded defaults
     */
    public static Delivery start(
            Map<String, EndpointPolicy> policies,
            ModelRepository repository,
            @Nullable RolloutStore store,
            @Nullable Path flagsFile,
            Duration tick,
            Duration lease,
            String instance,
            Clock clock,
            Ticker ticker) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slipway-rollouts");
            thread.setDaemon(true);
            return thread;
        });
        FileFlagProvider provider = flagsFile == null ? null : new FileFlagProvider(flagsFile);
        Flags flags = provider == null ? Flags.none() : new Flags(provider);
        Observations observations = new Observations(ticker);
        CpuLoad cpu = new CpuLoad();
        ServerLoad load = new ServerLoad() {
            @Override
            public int inFlight(String endpoint) {
                return Delivery.inFlight(repository, endpoint);
            }

            @Override
            public double cpu() {
                return cpu.get();
            }
        };
        Router router = new Router(policies, observations, flags, clock, ticker, null, load);
        RolloutController controller = store == null
                ? null
                : new RolloutController(
                        store,
                        observations,
                        (model, version) -> state(repository, model, version),
                        flags,
                        router::apply,
                        repository::sync,
                        clock,
                        instance,
                        lease);
        Delivery delivery = new Delivery(router, flags, store, controller, scheduler);
        delivery.refresh();
        scheduler.scheduleWithFixedDelay(() -> guarded("cpu load", cpu::refresh), 0, 250, TimeUnit.MILLISECONDS);
        if (provider != null) {
            long millis = FLAG_REFRESH.toMillis();
            scheduler.scheduleWithFixedDelay(
                    () -> guarded("flags refresh", provider::refresh), millis, millis, TimeUnit.MILLISECONDS);
        }
        if (controller != null) {
            long millis = Math.max(1, tick.toMillis());
            scheduler.scheduleWithFixedDelay(
                    () -> guarded("rollout tick", controller::tick), millis, millis, TimeUnit.MILLISECONDS);
        }
        return delivery;
    }

    /** Reloads every routing table from the store (the registry changed). */
    public void refresh() {
        if (store != null) {
            router.applyAll(store.all().stream().map(RolloutStore.Stored::table).toList());
        }
    }

    /** The request path. */
    public Router router() {
        return router;
    }

    /** The flags. */
    public Flags flags() {
        return flags;
    }

    /** The controller, when serving from a registry. */
    public Optional<RolloutController> controller() {
        return Optional.ofNullable(controller);
    }

    private static int inFlight(ModelRepository repository, String endpoint) {
        return repository
                .defaultVersion(endpoint)
                .flatMap(version -> repository.find(endpoint, Long.toString(version)))
                .map(LoadedModel::inFlight)
                .orElse(0);
    }

    private static VersionStatus.State state(ModelRepository repository, String model, long version) {
        Optional<LoadedModel> loaded = repository.find(model, Long.toString(version));
        if (loaded.isEmpty()) {
            return VersionStatus.State.LOADING;
        }
        if (loaded.get().ready()) {
            return VersionStatus.State.READY;
        }
        return loaded.get().state() == ModelState.FAILED
                ? new VersionStatus.State(false, String.valueOf(loaded.get().reason()))
                : VersionStatus.State.LOADING;
    }

    private static void guarded(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed: {}", what, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            // a tick in progress finishes its registry write before the caller closes (or deletes) the registry
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("a rollout tick still runs after 5 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        router.close();
        flags.close();
    }
}
