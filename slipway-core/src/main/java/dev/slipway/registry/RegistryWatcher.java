package dev.slipway.registry;

import dev.slipway.inference.ModelRepository;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a serving repository in step with a shared registry: polls the registry's change counter and syncs the
 * repository when it moved, so every replica follows an alias change within one poll interval.
 */
public final class RegistryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryWatcher.class);

    private final ModelRegistry registry;
    private final ModelRepository repository;
    private final Runnable afterSync;
    private final ScheduledExecutorService scheduler;
    private volatile long seen;

    private RegistryWatcher(ModelRegistry registry, ModelRepository repository, long seen, Runnable afterSync) {
        this.registry = registry;
        this.repository = repository;
        this.seen = seen;
        this.afterSync = afterSync;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slipway-registry-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts watching. The repository should already be synced with {@code generation} (read before that sync), so a
     * change made during it is not missed.
     *
     * @param afterSync runs after each sync (routing tables reload there)
     */
    public static RegistryWatcher start(
            ModelRegistry registry,
            ModelRepository repository,
            long generation,
            Duration interval,
            Runnable afterSync) {
        RegistryWatcher watcher = new RegistryWatcher(registry, repository, generation, afterSync);
        long millis = Math.max(1, interval.toMillis());
        watcher.scheduler.scheduleWithFixedDelay(watcher::poll, millis, millis, TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** Checks once; syncs when the registry changed since the last look. */
    void poll() {
        try {
            long generation = registry.generation();
            if (generation != seen) {
                LOG.info("registry changed (generation {} -> {}); syncing served models", seen, generation);
                repository.sync();
                afterSync.run();
                seen = generation;
            }
        } catch (RuntimeException e) {
            LOG.warn("registry poll failed; still serving what was loaded: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
