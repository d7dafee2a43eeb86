package dev.slipway.config;

import dev.slipway.rollout.EndpointPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The whole of {@code slipway.yaml}. Every key has a default, so an empty file (or none) is a valid configuration.
 *
 * @param server network, threading and request limits
 * @param models where models come from
 * @param engines engine runtime settings
 * @param serving dynamic batching, admission control and parallelism, per model
 * @param registry serving from a model registry instead of {@code models.repository}
 * @param security tokens, roles and TLS
 * @param endpoints routing keys, fallback chains, circuit breakers and default rollout plans, per endpoint
 * @param rollouts the rollout controller and feature flags
 * @param metrics the Prometheus scrape endpoint and the StatsD (Datadog) registry
 * @param tracing OpenTelemetry spans and their OTLP exporter
 * @param monitoring in-process drift and SLO monitoring of every served version
 * @param logging the log format
 * @param payloadLog the sampled, redacted payload log
 * @param feedback the prediction store, delayed labels and live quality metrics
 */
public record SlipwayConfig(
        @Nullable ServerConfig server,
        @Nullable ModelsConfig models,
        @Nullable EnginesConfig engines,
        @Nullable ServingConfig serving,
        @Nullable RegistryConfig registry,
        @Nullable SecurityConfig security,
        @Nullable Map<String, EndpointPolicy> endpoints,
        @Nullable RolloutsConfig rollouts,
        @Nullable MetricsConfig metrics,
        @Nullable TracingConfig tracing,
        @Nullable MonitoringConfig monitoring,
        @Nullable LoggingConfig logging,
        @Nullable PayloadLogConfig payloadLog,
        @Nullable FeedbackConfig feedback) {
    public SlipwayConfig {
        server = server == null ? ServerConfig.defaults() : server;
        models = models == null ? ModelsConfig.defaults() : models;
        engines = engines == null ? EnginesConfig.defaults() : engines;
        serving = serving == null ? ServingConfig.none() : serving;
        registry = registry == null ? RegistryConfig.none() : registry;
        security = security == null ? SecurityConfig.none() : security;
        endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
        rollouts = rollouts == null ? RolloutsConfig.defaults() : rollouts;
        metrics = metrics == null ? MetricsConfig.defaults() : metrics;
        tracing = tracing == null ? TracingConfig.off() : tracing;
        monitoring = monitoring == null ? MonitoringConfig.defaults() : monitoring;
        logging = logging == null ? LoggingConfig.unset() : logging;
        payloadLog = payloadLog == null ? PayloadLogConfig.disabled() : payloadLog;
        feedback = feedback == null ? FeedbackConfig.disabled() : feedback;
    }

    /** A configuration with default metrics, tracing, monitoring and logging. */
    public SlipwayConfig(
            @Nullable ServerConfig server,
            @Nullable ModelsConfig models,
            @Nullable EnginesConfig engines,
            @Nullable ServingConfig serving,
            @Nullable RegistryConfig registry,
            @Nullable SecurityConfig security,
            @Nullable Map<String, EndpointPolicy> endpoints,
            @Nullable RolloutsConfig rollouts) {
        this(
                server, models, engines, serving, registry, security, endpoints, rollouts, null, null, null, null, null,
                null);
    }

    /** A configuration without endpoint policies or rollout settings. */
    public SlipwayConfig(
            @Nullable ServerConfig server,
            @Nullable ModelsConfig models,
            @Nullable EnginesConfig engines,
            @Nullable ServingConfig serving,
            @Nullable RegistryConfig registry,
            @Nullable SecurityConfig security) {
        this(server, models, engines, serving, registry, security, null, null);
    }

    /** The same configuration with another models section. */
    public SlipwayConfig withModels(ModelsConfig newModels) {
        Sections copy = new Sections(this);
        copy.models = newModels;
        return copy.build();
    }

    /** The same configuration with another rollouts section. */
    public SlipwayConfig withRollouts(RolloutsConfig newRollouts) {
        Sections copy = new Sections(this);
        copy.rollouts = newRollouts;
        return copy.build();
    }

    /** The same configuration with other metrics, tracing, monitoring and logging sections. */
    public SlipwayConfig withTelemetry(
            @Nullable MetricsConfig newMetrics,
            @Nullable TracingConfig newTracing,
            @Nullable MonitoringConfig newMonitoring,
            @Nullable LoggingConfig newLogging) {
        Sections copy = new Sections(this);
        copy.metrics = newMetrics;
        copy.tracing = newTracing;
        copy.monitoring = newMonitoring;
        copy.logging = newLogging;
        return copy.build();
    }

    /** The metrics section (never null after construction). */
    public MetricsConfig metricsConfig() {
        return java.util.Objects.requireNonNull(metrics);
    }

    /** The tracing section (never null after construction). */
    public TracingConfig tracingConfig() {
        return java.util.Objects.requireNonNull(tracing);
    }

    /** The monitoring section (never null after construction). */
    public MonitoringConfig monitoringConfig() {
        return java.util.Objects.requireNonNull(monitoring);
    }

    /** The logging section (never null after construction). */
    public LoggingConfig loggingConfig() {
        return java.util.Objects.requireNonNull(logging);
    }

    /** The same configuration with another payload-log section. */
    public SlipwayConfig withPayloadLog(PayloadLogConfig newPayloadLog) {
        Sections copy = new Sections(this);
        copy.payloadLog = newPayloadLog;
        return copy.build();
    }

    /** The same configuration with another feedback section. */
    public SlipwayConfig withFeedback(FeedbackConfig newFeedback) {
        Sections copy = new Sections(this);
        copy.feedback = newFeedback;
        return copy.build();
    }

    /** The payload-log section (never null after construction). */
    public PayloadLogConfig payloadLogConfig() {
        return java.util.Objects.requireNonNull(payloadLog);
    }

    /** The feedback section (never null after construction). */
    public FeedbackConfig feedbackConfig() {
        return java.util.Objects.requireNonNull(feedback);
    }

    /** The endpoints section (never null after construction). */
    public Map<String, EndpointPolicy> endpointPolicies() {
        return java.util.Objects.requireNonNull(endpoints);
    }

    /** The rollouts section (never null after construction). */
    public RolloutsConfig rolloutsConfig() {
        return java.util.Objects.requireNonNull(rollouts);
    }

    /** A configuration without security settings. */
    public SlipwayConfig(
            @Nullable ServerConfig server,
            @Nullable ModelsConfig models,
            @Nullable EnginesConfig engines,
            @Nullable ServingConfig serving,
            @Nullable RegistryConfig registry) {
        this(server, models, engines, serving, registry, null, null, null);
    }

    /** A configuration without a registry. */
    public SlipwayConfig(
            @Nullable ServerConfig server,
            @Nullable ModelsConfig models,
            @Nullable EnginesConfig engines,
            @Nullable ServingConfig serving) {
        this(server, models, engines, serving, null, null, null, null);
    }

    /** A configuration with default serving options. */
    public SlipwayConfig(
            @Nullable ServerConfig server, @Nullable ModelsConfig models, @Nullable EnginesConfig engines) {
        this(server, models, engines, null, null, null, null, null);
    }

    /** The defaults. */
    public static SlipwayConfig defaults() {
        return new SlipwayConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The server section (never null after construction). */
    public ServerConfig serverConfig() {
        return java.util.Objects.requireNonNull(server);
    }

    /** The models section (never null after construction). */
    public ModelsConfig modelsConfig() {
        return java.util.Objects.requireNonNull(models);
    }

    /** The serving section (never null after construction). */
    public ServingConfig servingConfig() {
        return java.util.Objects.requireNonNull(serving);
    }

    /** The registry section (never null after construction). */
    public RegistryConfig registryConfig() {
        return java.util.Objects.requireNonNull(registry);
    }

    /** The security section (never null after construction). */
    public SecurityConfig securityConfig() {
        return java.util.Objects.requireNonNull(security);
    }

    /** The engines section (never null after construction). */
    public EnginesConfig enginesConfig() {
        return java.util.Objects.requireNonNull(engines);
    }

    /** Every problem with the values, each with its YAML path and expectation; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        serverConfig().problems("server", problems);
        modelsConfig().problems("models", problems);
        enginesConfig().problems("engines", problems);
        servingConfig().problems("serving", problems);
        registryConfig().problems("registry", problems);
        securityConfig().problems("security", problems);
        endpointPolicies().forEach((name, policy) -> {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                problems.add(
                        "endpoints." + name + ": unknown model name (expected: 1-64 letters, digits, '.', '_' or '-')");
            }
            problems.addAll(policy.problems("endpoints." + name));
        });
        rolloutsConfig().problems("rollouts", problems);
        metricsConfig().problems("metrics", problems);
        tracingConfig().problems("tracing", problems);
        monitoringConfig().problems("monitoring", problems);
        loggingConfig().problems("logging", problems);
        payloadLogConfig().problems("payload-log", problems);
        feedbackConfig().problems("feedback", problems);
        return problems;
    }

    /** The sections of a configuration, to copy one with some of them replaced. */
    private static final class Sections {
        @Nullable
        ServerConfig server;

        @Nullable
        ModelsConfig models;

        @Nullable
        EnginesConfig engines;

        @Nullable
        ServingConfig serving;

        @Nullable
        RegistryConfig registry;

        @Nullable
        SecurityConfig security;

        @Nullable
        Map<String, EndpointPolicy> endpoints;

        @Nullable
        RolloutsConfig rollouts;

        @Nullable
        MetricsConfig metrics;

        @Nullable
        TracingConfig tracing;

        @Nullable
        MonitoringConfig monitoring;

        @Nullable
        LoggingConfig logging;

        @Nullable
        PayloadLogConfig payloadLog;

        @Nullable
        FeedbackConfig feedback;

        Sections(SlipwayConfig config) {
            server = config.server;
            models = config.models;
            engines = config.engines;
            serving = config.serving;
            registry = config.registry;
            security = config.security;
            endpoints = config.endpoints;
            rollouts = config.rollouts;
            metrics = config.metrics;
            tracing = config.tracing;
            monitoring = config.monitoring;
            logging = config.logging;
            payloadLog = config.payloadLog;
            feedback = config.feedback;
        }

        SlipwayConfig build() {
            return new SlipwayConfig(
                    server,
                    models,
                    engines,
                    serving,
                    registry,
                    security,
                    endpoints,
                    rollouts,
                    metrics,
                    tracing,
                    monitoring,
                    logging,
                    payloadLog,
                    feedback);
        }
    }
}
