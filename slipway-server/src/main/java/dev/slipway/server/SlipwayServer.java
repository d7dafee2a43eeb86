package dev.slipway.server;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Ticker;
import dev.slipway.config.RegistryConfig;
import dev.slipway.config.RolloutsConfig;
import dev.slipway.config.SecurityConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.feedback.FeedbackService;
import dev.slipway.inference.Engines;
import dev.slipway.inference.InferenceService;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelLoader;
import dev.slipway.inference.ModelRepository;
import dev.slipway.inference.ServerMetadata;
import dev.slipway.monitoring.ModelMonitoring;
import dev.slipway.observe.Manifests;
import dev.slipway.observe.ServingListeners;
import dev.slipway.payload.PayloadLog;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.registry.RegistryLocation;
import dev.slipway.registry.RegistryRollouts;
import dev.slipway.registry.RegistrySource;
import dev.slipway.registry.RegistryWatcher;
import dev.slipway.rollout.Delivery;
import dev.slipway.server.grpc.GrpcServer;
import dev.slipway.server.rest.RestServer;
import dev.slipway.server.telemetry.MetricsServer;
import dev.slipway.server.telemetry.Telemetry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Slipway server: the model repository, the inference executor and the REST listener. Started with {@link
 * #start}; {@link #close} stops them in reverse order.
 */
public final class SlipwayServer implements AutoCloseable {
    /** The protocol extensions this server implements, named as Triton names them. */
    public static final List<String> EXTENSIONS =
            List.of("binary_tensor_data", "classification", "model_configuration", "model_repository", "statistics");

    private static final Logger LOG = LoggerFactory.getLogger(SlipwayServer.class);

    private final ModelRepository repository;
    private final @Nullable ModelRegistry registry;
    private final List<AutoCloseable> registryParts;
    private final InferenceService service;
    private final Delivery delivery;
    private final ServingListeners listeners;
    private final List<AutoCloseable> monitors;
    private final ThreadPoolExecutor inference;
    private final RestServer rest;
    private final @Nullable GrpcServer grpc;
    private final Telemetry telemetry;
    private final @Nullable MetricsServer metrics;

    private SlipwayServer(
            ModelRepository repository,
            @Nullable ModelRegistry registry,
            List<AutoCloseable> registryParts,
            InferenceService service,
            Delivery delivery,
            ServingListeners listeners,
            List<AutoCloseable> monitors,
            ThreadPoolExecutor inference,
            RestServer rest,
            @Nullable GrpcServer grpc,
            Telemetry telemetry,
            @Nullable MetricsServer metrics) {
        this.repository = repository;
        this.registry = registry;
        this.registryParts = registryParts;
        this.service = service;
        this.delivery = delivery;
        this.listeners = listeners;
        this.monitors = monitors;
        this.inference = inference;
        this.rest = rest;
        this.grpc = grpc;
        this.telemetry = telemetry;
        this.metrics = metrics;
    }

    /**
     * Loads every model of the configured repository (a version that fails its checks is kept FAILED, with the
     * reason), then binds the REST port.
     */
    public static SlipwayServer start(SlipwayConfig config, Engines engines, Clock clock) {
        return start(config, engines, clock, null);
    }

    /**
     * Starts a server that traces with {@code openTelemetry} (its tracer provider and exporter) instead of an SDK made
     * from the configuration's {@code tracing} section.
     */
    public static SlipwayServer start(
            SlipwayConfig config, Engines engines, Clock clock, @Nullable OpenTelemetry openTelemetry) {
        Ticker ticker = Ticker.system();
        ModelLoader loader = new ModelLoader(
                engines, config.enginesConfig().options(), config.servingConfig()::optionsFor, clock, ticker);
        ModelRegistry registry = null;
        List<AutoCloseable> registryParts = new ArrayList<>();
        ModelRepository repository;
        long generation = 0;
        if (config.registryConfig().enabled()) {
            RegistryConfig settings = config.registryConfig();
            registry = ModelRegistry.open(
                    RegistryLocation.parse(
                            java.util.Objects.requireNonNull(settings.location()),
                            settings.artifacts() == null ? null : Path.of(settings.artifacts())),
                    clock);
            RegistrySource source = new RegistrySource(registry);
            registryParts.add(source);
            repository = new ModelRepository(source, loader);
            generation = registry.generation();
        } else {
            repository = new ModelRepository(Path.of(config.modelsConfig().repositoryPath()), loader);
        }
        ThreadPoolExecutor inference = null;
        RestServer rest = null;
        Telemetry telemetry = null;
        MetricsServer metrics = null;
        List<AutoCloseable> monitors = new ArrayList<>();
        try {
            repository.sync();
            Delivery delivery = delivery(config, repository, registry, clock, ticker);
            registryParts.add(0, delivery);
            if (registry != null) {
                registryParts.add(
                        0,
                        RegistryWatcher.start(
                                registry,
                                repository,
                                generation,
                                config.registryConfig().interval(),
                                delivery::refresh));
            }
            InferenceService service = new InferenceService(
                    repository, config.serverConfig().limits(), new ServerMetadata("slipway", version(), EXTENSIONS));
            int threads = config.serverConfig().resolvedInferenceThreads();
            inference = new ThreadPoolExecutor(
                    threads,
                    threads,
                    0,
                    TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(config.serverConfig().queueCapacity()),
                    new DefaultThreadFactory("slipway-inference", true),
                    new ThreadPoolExecutor.AbortPolicy());
            SecurityConfig security = config.securityConfig();
            Access access = new Access(
                    security.tokens(),
                    security.inferenceProtected(),
                    loopbackOnly(config.serverConfig().bindHost()));
            ServingListeners listeners = new ServingListeners(clock);
            Manifests manifests = manifests(repository);
            PayloadLog payloadLog = null;
            if (config.payloadLogConfig().on()) {
                payloadLog = PayloadLog.start(config.payloadLogConfig(), manifests, clock);
                monitors.add(payloadLog);
                listeners.add(payloadLog);
            }
            FeedbackService feedback = null;
            if (config.feedbackConfig().on()) {
                feedback = FeedbackService.open(config.feedbackConfig(), manifests, clock);
                monitors.add(feedback);
                listeners.add(feedback);
            }
            Management management =
                    new Management(registry, loader, repository, delivery, listeners, payloadLog, feedback);
            telemetry = Telemetry.start(
                    config, repository, delivery.router(), listeners, inference, clock, openTelemetry, version());
            if (telemetry.prometheusOn() && config.metricsConfig().separatePort()) {
                metrics = MetricsServer.start(
                        telemetry,
                        config.serverConfig().bindHost(),
                        java.util.Objects.requireNonNull(config.metricsConfig().port()),
                        access);
            }
            rest = RestServer.start(
                    service,
                    config.serverConfig(),
                    inference,
                    ticker,
                    access,
                    management,
                    restTls(security),
                    telemetry);
            GrpcServer grpc = config.serverConfig().grpcPortNumber() < 0
                    ? null
                    : GrpcServer.start(
                            service,
                            delivery.router(),
                            listeners,
                            config.serverConfig(),
                            inference,
                            ticker,
                            access,
                            security,
                            telemetry);
            return new SlipwayServer(
                    repository,
                    registry,
                    registryParts,
                    service,
                    delivery,
                    listeners,
                    monitors,
                    inference,
                    rest,
                    grpc,
                    telemetry,
                    metrics);
        } catch (RuntimeException e) {
            if (rest != null) {
                rest.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            if (telemetry != null) {
                telemetry.close();
            }
            if (inference != null) {
                inference.shutdownNow();
            }
            closeAll(monitors);
            repository.close();
            closeAll(registryParts);
            throw e;
        }
    }

    /**
     * Manifests from the served repository: a named version in any state, or for no version the one requests go to
     * (else the highest version that has a manifest).
     */
    private static Manifests manifests(ModelRepository repository) {
        return (model, version) -> {
            if (version != null) {
                return repository.find(model, version).map(LoadedModel::manifest);
            }
            try {
                return java.util.Optional.ofNullable(
                        repository.resolve(model, null).manifest());
            } catch (SlipwayException e) {
                if (e.code() == ErrorCode.MODEL_NOT_FOUND) {
                    return java.util.Optional.empty();
                }
            }
            try {
                return repository.versions(model).descendingMap().values().stream()
                        .map(LoadedModel::manifest)
                        .filter(java.util.Objects::nonNull)
                        .findFirst();
            } catch (SlipwayException e) {
                return java.util.Optional.empty();
            }
        };
    }

    private static Delivery delivery(
            SlipwayConfig config,
            ModelRepository repository,
            @Nullable ModelRegistry registry,
            Clock clock,
            Ticker ticker) {
        RolloutsConfig rollouts = config.rolloutsConfig();
        return Delivery.start(
                config.endpointPolicies(),
                repository,
                registry == null ? null : new RegistryRollouts(registry, clock),
                rollouts.flagsFile() == null ? null : Path.of(rollouts.flagsFile()),
                rollouts.tick(),
                rollouts.leaseDuration(),
                rollouts.instance(),
                clock,
                ticker);
    }

    private static boolean loopbackOnly(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "server.host: '" + host + "' is not a known address");
        }
    }

    private static @Nullable SslContext restTls(SecurityConfig security) {
        if (!security.tls()) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(
                            new java.io.File(java.util.Objects.requireNonNull(security.tlsCert())),
                            new java.io.File(java.util.Objects.requireNonNull(security.tlsKey())))
                    .build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID, "REST TLS certificate or key cannot be used: " + e.getMessage(), e);
        }
    }

    /** The Slipway version from the jar manifest, or {@code dev} when run from classes. */
    public static String version() {
        String version = SlipwayServer.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The REST port actually bound. */
    public int httpPort() {
        return rest.port();
    }

    /** The gRPC port actually bound; -1 when gRPC is off. */
    public int grpcPort() {
        return grpc == null ? -1 : grpc.port();
    }

    /** The dispatch path, for embedding and tests. */
    public InferenceService service() {
        return service;
    }

    /** Routing, flags and the rollout controller. */
    public Delivery delivery() {
        return delivery;
    }

    /** Told of every answered request; add a listener to watch them. */
    public ServingListeners listeners() {
        return listeners;
    }

    /** The models served. */
    public ModelRepository repository() {
        return repository;
    }

    /** Metrics registries, tracing and the model monitors. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /**
     * The drift and SLO monitors of every served version, when monitoring is on: the SLO signal a rollout controller
     * reads is {@code monitoring().flatMap(m -> m.slo(model, version))}.
     */
    public java.util.Optional<ModelMonitoring> monitoring() {
        return telemetry.monitoring();
    }

    /** The port of the separate metrics listener; -1 when the scrape is on the REST port or off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    @Override
    public void close() {
        if (grpc != null) {
            grpc.close();
        }
        rest.close();
        if (metrics != null) {
            metrics.close();
        }
        inference.shutdown();
        try {
            if (!inference.awaitTermination(10, TimeUnit.SECONDS)) {
                inference.shutdownNow();
            }
        } catch (InterruptedException e) {
            inference.shutdownNow();
            Thread.currentThread().interrupt();
        }
        telemetry.close();
        closeAll(monitors); // after the listeners' last events: what is queued is written
        repository.close();
        closeAll(registryParts);
        LOG.info("slipway stopped");
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", part, e.toString());
            }
        }
    }

    /** The registry served from, when there is one. */
    public java.util.Optional<ModelRegistry> registry() {
        return java.util.Optional.ofNullable(registry);
    }
}
