package dev.slipway.metrics;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelRepository;
import dev.slipway.observe.Attribution;
import dev.slipway.observe.Served;
import dev.slipway.observe.ServingListener;
import dev.slipway.rollout.Router;
import dev.slipway.slo.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Counts and times every served request, by model, version, variant, protocol and outcome:
 *
 * <ul>
 *   <li>{@code slipway_requests_total} — requests; {@code outcome} is {@code success}, {@code client_error} or {@code
 *       server_error} ({@link Outcome#of(ErrorCode)}), as the generated SLO rules read it;
 *   <li>{@code slipway_request_duration_seconds} — a histogram from arrival to answer, with explicit bucket bounds:
 *       the configured ones plus the version's {@code slo.p99-latency-ms}, so a latency SLO reads a bucket exactly;
 *   <li>{@code slipway_request_rows} — a histogram of rows per answered request;
 *   <li>{@code slipway_request_errors_total} — failures by {@code code} ({@link ErrorCode});
 *   <li>{@code slipway_fallbacks_total} — requests of an {@code endpoint} answered by its fallback chain.
 * </ul>
 *
 * <p>Runs on the request thread: the meters of each label combination are made once and then found through a few
 * map lookups keyed by the event's own strings, so a request allocates nothing here. A failure that no version
 * answered is labelled as {@link Attribution} says.
 */
public final class ServingMetrics implements ServingListener {
    public static final String REQUESTS = "slipway.requests";
    public static final String DURATION = "slipway.request.duration";
    public static final String ROWS = "slipway.request.rows";
    public static final String ERRORS = "slipway.request.errors";
    public static final String FALLBACKS = "slipway.fallbacks";

    private static final double[] ROW_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384, 65536};
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final ErrorCode[] CODES = ErrorCode.values();

    private final MeterRegistry registry;
    private final ModelRepository repository;
    private final Attribution attribution;
    private final List<Double> bucketsMs;
    private final Map<String, Map<String, VersionMeters>> byModel = new ConcurrentHashMap<>();

    /**
     * Metrics of requests served from a repository.
     *
     * @param bucketsMs the latency histogram's bucket bounds in milliseconds; each version's SLO threshold is added
     */
    public ServingMetrics(
            MeterRegistry registry, ModelRepository repository, Attribution attribution, List<Double> bucketsMs) {
        this.registry = registry;
        this.repository = repository;
        this.attribution = attribution;
        this.bucketsMs = List.copyOf(bucketsMs);
    }

    @Override
    public void served(Served event) {
        String model = event.model();
        String version = event.version();
        if (model == null || version == null) {
            model = attribution.model(event);
            version = attribution.version(event);
        }
        VersionMeters meters = version(model, version);
        String variant = event.variant().isEmpty() ? Attribution.NONE : event.variant();
        ProtocolMeters protocol = meters.variant(variant).protocol(event.protocol());
        ErrorCode error = event.error();
        OutcomeMeters outcome = protocol.outcome(error == null ? Outcome.SUCCESS : Outcome.of(error));
        outcome.requests.increment();
        outcome.latency.record(event.latencyNanos(), TimeUnit.NANOSECONDS);
        if (error == null) {
            protocol.rows.record(event.rows());
        } else {
            protocol.errors(error).increment();
        }
        if (Router.FALLBACK.equals(variant)) {
            meters.fallback(event.endpoint()).increment();
        }
    }

    private VersionMeters version(String model, String version) {
        Map<String, VersionMeters> versions = byModel.get(model);
        if (versions == null) {
            versions = byModel.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        }
        VersionMeters meters = versions.get(version);
        if (meters == null) {
            meters = versions.computeIfAbsent(version, v -> new VersionMeters(model, v, buckets(model, v)));
        }
        return meters;
    }

    /** The configured bucket bounds plus the version's latency objective, as durations. */
    private Duration[] buckets(String model, String version) {
        TreeSet<Long> nanos = new TreeSet<>();
        for (double ms : bucketsMs) {
            nanos.add(Math.round(ms * 1e6));
        }
        LoadedModel loaded = repository.find(model, version).orElse(null);
        ModelManifest manifest = loaded == null ? null : loaded.manifest();
        Double threshold = manifest == null ? null : manifest.slo().p99LatencyMs();
        if (threshold != null && threshold > 0) {
            nanos.add(Math.round(threshold * 1e6));
        }
        return nanos.stream().map(Duration::ofNanos).toArray(Duration[]::new);
    }

    /** The meters of one model version. */
    private final class VersionMeters {
        final String model;
        final String version;
        final Duration[] buckets;
        final Map<String, VariantMeters> variants = new ConcurrentHashMap<>();
        final Map<String, Counter> fallbacks = new ConcurrentHashMap<>();

        VersionMeters(String model, String version, Duration[] buckets) {
            this.model = model;
            this.version = version;
            this.buckets = buckets;
        }

        VariantMeters variant(String variant) {
            VariantMeters meters = variants.get(variant);
            return meters != null ? meters : variants.computeIfAbsent(variant, v -> new VariantMeters(this, v));
        }

        Counter fallback(String endpoint) {
            Counter counter = fallbacks.get(endpoint);
            return counter != null
                    ? counter
                    : fallbacks.computeIfAbsent(endpoint, e -> Counter.builder(FALLBACKS)
                            .description("Requests answered by the endpoint's fallback chain")
                            .tags("endpoint", e, "model", model, "version", version)
                            .register(registry));
        }
    }

    private final class VariantMeters {
        final VersionMeters version;
        final String variant;
        final Map<String, ProtocolMeters> protocols = new ConcurrentHashMap<>();

        VariantMeters(VersionMeters version, String variant) {
            this.version = version;
            this.variant = variant;
        }

        ProtocolMeters protocol(String protocol) {
            ProtocolMeters meters = protocols.get(protocol);
            return meters != null ? meters : protocols.computeIfAbsent(protocol, p -> new ProtocolMeters(this, p));
        }
    }

    private final class ProtocolMeters {
        final VariantMeters variant;
        final Tags tags;
        final DistributionSummary rows;
        final @Nullable OutcomeMeters[] outcomes = new OutcomeMeters[OUTCOMES.length];
        final @Nullable Counter[] errors = new Counter[CODES.length];

        ProtocolMeters(VariantMeters variant, String protocol) {
            this.variant = variant;
            this.tags = Tags.of(
                    "model",
                    variant.version.model,
                    "version",
                    variant.version.version,
                    "variant",
                    variant.variant,
                    "protocol",
                    protocol);
            this.rows = DistributionSummary.builder(ROWS)
                    .description("Rows per answered request")
                    .baseUnit("rows")
                    .tags(tags)
                    .serviceLevelObjectives(ROW_BUCKETS)
                    .register(registry);
        }

        OutcomeMeters outcome(Outcome outcome) {
            OutcomeMeters meters = outcomes[outcome.ordinal()];
            if (meters == null) {
                meters = new OutcomeMeters(this, outcome);
                outcomes[outcome.ordinal()] = meters;
            }
            return meters;
        }

        Counter errors(ErrorCode code) {
            Counter counter = errors[code.ordinal()];
            if (counter == null) {
                counter = Counter.builder(ERRORS)
                        .description("Failed requests by error code")
                        .tags(tags.and("code", code.name()))
                        .register(registry);
                errors[code.ordinal()] = counter;
            }
            return counter;
        }
    }

    /** Racily made at most a few times: the registry hands every maker the same meters. */
    private final class OutcomeMeters {
        final Counter requests;
        final Timer latency;

        OutcomeMeters(ProtocolMeters protocol, Outcome outcome) {
            Tags tags = protocol.tags.and("outcome", outcome.label());
            this.requests = Counter.builder(REQUESTS)
                    .description("Inference requests answered or refused")
                    .tags(tags)
                    .register(registry);
            this.latency = Timer.builder(DURATION)
                    .description("Inference request latency, from arrival to answer")
                    .tags(tags)
                    .serviceLevelObjectives(protocol.variant.version.buckets)
                    .register(registry);
        }
    }
}
