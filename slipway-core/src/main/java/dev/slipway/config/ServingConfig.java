package dev.slipway.config;

import dev.slipway.inference.ServingOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Dynamic batching, admission control and parallelism: defaults for every model, and overrides per model or per model
 * version.
 *
 * <pre>
 * serving:
 *   defaults: {max-batch-size: 1, max-queue-delay-us: 0, max-concurrency: 1024, instances: 1}
 *   models:
 *     stall-detector: {max-concurrency: 256}
 *     stall-detector:2: {max-batch-size: 64, max-queue-delay-us: 0}
 * </pre>
 *
 * @param defaults settings every model gets
 * @param models overrides per model ({@code name}) or per version ({@code name:version}); a version's keys win over
 *     its model's, which win over the defaults
 */
public record ServingConfig(@Nullable Entry defaults, @Nullable Map<String, Entry> models) {
    private static final String KEY = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}(:[1-9][0-9]{0,17})?";

    public ServingConfig {
        defaults = defaults == null ? Entry.EMPTY : defaults;
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    /** No overrides: every model gets the built-in serving options. */
    public static ServingConfig none() {
        return new ServingConfig(null, null);
    }

    /**
     * One set of settings; {@code null} inherits.
     *
     * @param maxBatchSize the most rows per engine call; 1 turns dynamic batching off
     * @param maxQueueDelayUs microseconds the first request of a batch may wait for more
     * @param maxConcurrency requests in flight per model version before 429
     * @param instances batch workers per model version
     */
    public record Entry(
            @Nullable Integer maxBatchSize,
            @Nullable Long maxQueueDelayUs,
            @Nullable Integer maxConcurrency,
            @Nullable Integer instances) {
        static final Entry EMPTY = new Entry(null, null, null, null);

        void problems(String path, List<String> problems) {
            if (maxBatchSize != null && (maxBatchSize < 1 || maxBatchSize > 65_536)) {
                problems.add(path + ".max-batch-size: " + maxBatchSize + " (expected: 1..65536; 1 = no batching)");
            }
            if (maxQueueDelayUs != null && (maxQueueDelayUs < 0 || maxQueueDelayUs > 10_000_000)) {
                problems.add(path + ".max-queue-delay-us: " + maxQueueDelayUs + " (expected: 0..10000000)");
            }
            if (maxConcurrency != null && maxConcurrency < 1) {
                problems.add(path + ".max-concurrency: " + maxConcurrency + " (expected: >= 1)");
            }
            if (instances != null && (instances < 1 || instances > 64)) {
                problems.add(path + ".instances: " + instances + " (expected: 1..64)");
            }
        }
    }

    /** The options a model version gets: its own keys, else its model's, else the defaults, else built-in ones. */
    public ServingOptions optionsFor(String model, long version) {
        Map<String, Entry> overrides = Objects.requireNonNull(models);
        Entry own = overrides.getOrDefault(model + ":" + version, Entry.EMPTY);
        Entry shared = overrides.getOrDefault(model, Entry.EMPTY);
        Entry base = Objects.requireNonNull(defaults);
        ServingOptions builtIn = ServingOptions.defaults();
        long delayUs = pick(
                builtIn.maxQueueDelay().toNanos() / 1000,
                own.maxQueueDelayUs(),
                shared.maxQueueDelayUs(),
                base.maxQueueDelayUs());
        return new ServingOptions(
                pick(builtIn.maxBatchSize(), own.maxBatchSize(), shared.maxBatchSize(), base.maxBatchSize()),
                Duration.ofNanos(1000 * delayUs),
                pick(builtIn.maxConcurrency(), own.maxConcurrency(), shared.maxConcurrency(), base.maxConcurrency()),
                pick(builtIn.instances(), own.instances(), shared.instances(), base.instances()));
    }

    /** The most specific value given, else the built-in default. */
    private static <T> T pick(T builtIn, @Nullable T mostSpecific, @Nullable T shared, @Nullable T base) {
        return mostSpecific != null ? mostSpecific : shared != null ? shared : base != null ? base : builtIn;
    }

    void problems(String path, List<String> problems) {
        Objects.requireNonNull(defaults).problems(path + ".defaults", problems);
        for (Map.Entry<String, Entry> model : new TreeMap<>(Objects.requireNonNull(models)).entrySet()) {
            if (!model.getKey().matches(KEY)) {
                problems.add(path + ".models." + model.getKey() + ": not a model name or name:version (expected: "
                        + "such as stall-detector or stall-detector:2)");
            }
            model.getValue().problems(path + ".models." + model.getKey(), problems);
        }
    }
}
