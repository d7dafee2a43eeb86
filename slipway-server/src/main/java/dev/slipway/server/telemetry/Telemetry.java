package dev.slipway.server.telemetry;

import dev.slipway.config.MetricsConfig;
import dev.slipway.config.MonitoringConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.config.TracingConfig;
import dev.slipway.inference.ModelRepository;
import dev.slipway.metrics.ModelGauges;
import dev.slipway.metrics.ServingMetrics;
import dev.slipway.monitoring.ModelMonitoring;
import dev.slipway.observe.Attribution;
import dev.slipway.observe.ServingListeners;
import dev.slipway.rollout.Router;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's metrics registries, tracer and model monitors, made from the configuration's {@code metrics}, {@code
 * tracing} and {@code monitoring} sections, and the scheduler that ticks the monitors and refreshes the gauges.
 * Listeners are added to the server's {@link ServingListeners}: {@link ServingMetrics} when a registry is on, {@link
 * ModelMonitoring} when drift or SLO monitoring is on.
 */
public final class Telemetry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

    private final MetricsConfig metricsConfig;
    private final @Nullable MeterRegistry registry;
    private final @Nullable PrometheusMeterRegistry prometheus;
    private final @Nullable StatsdMeterRegistry statsd;
    private final @Nullable ServerTracing tracing;
    private final @Nullable OpenTelemetrySdk ownSdk;
    private final @Nullable ModelMonitoring monitoring;
    private final @Nullable ModelGauges gauges;
    private final ScheduledExecutorService scheduler;
    private final List<AutoCloseable> closeables;

    private Telemetry(
            MetricsConfig metricsConfig,
            @Nullable MeterRegistry registry,
            @Nullable PrometheusMeterRegistry prometheus,
            @Nullable StatsdMeterRegistry statsd,
            @Nullable ServerTracing tracing,
            @Nullable OpenTelemetrySdk ownSdk,
            @Nullable ModelMonitoring monitoring,
            @Nullable ModelGauges gauges,
            ScheduledExecutorService scheduler,
            List<AutoCloseable> closeables) {
        this.metricsConfig = metricsConfig;
        this.registry = registry;
        this.prometheus = prometheus;
        this.statsd = statsd;
        this.tracing = tracing;
        this.ownSdk = ownSdk;
        this.monitoring = monitoring;
        this.gauges = gauges;
        this.scheduler = scheduler;
        this.closeables = closeables;
    }

    /**
     * Starts the registries, the tracer and the monitors the configuration asks for, adds their listeners, and
     * schedules the monitoring tick (the first one at once).
     *
     * @param openTelemetry traces with this instead of an SDK made from {@code tracing} (tests; an embedding
     *     application's own SDK); none follows the configuration
     */
    public static Telemetry start(
            SlipwayConfig config,
            ModelRepository repository,
            Router router,
            ServingListeners listeners,
            ThreadPoolExecutor inference,
            java.time.Clock clock,
            @Nullable OpenTelemetry openTelemetry,
            String version) {
        MetricsConfig metrics = config.metricsConfig();
        MonitoringConfig monitoringConfig = config.monitoringConfig();
        List<AutoCloseable> closeables = new ArrayList<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slipway-monitoring");
            thread.setDaemon(true);
            return thread;
        });
        Attribution attribution = new Attribution(repository, router);
        PrometheusMeterRegistry prometheus =
                metrics.prometheusEnabled() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        StatsdMeterRegistry statsd = metrics.statsdEnabled() ? statsd(metrics.statsdConfig()) : null;
        MeterRegistry registry = registry(prometheus, statsd);
        if (registry != null) {
            // Micrometer's names for these break Prometheus' lint (a unit abbreviated, a gauge ending in _count)
            registry.config()
                    .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                            || id.getName().equals("system.cpu.count")));
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            closeables.add(gc);
            Gauge.builder("slipway.executor.queue.depth", inference, pool -> pool.getQueue()
                            .size())
                    .description("Requests waiting for the inference threads (large bodies, repository changes)")
                    .register(registry);
            Gauge.builder("slipway.executor.active", inference, ThreadPoolExecutor::getActiveCount)
                    .description("Inference threads busy")
                    .register(registry);
            listeners.add(new ServingMetrics(registry, repository, attribution, metrics.latencyBuckets()));
        }
        ModelMonitoring monitoring = null;
        if (monitoringConfig.driftOn() || monitoringConfig.sloOn()) {
            monitoring = new ModelMonitoring(repository, attribution, monitoringConfig, clock, scheduler).start();
            listeners.add(monitoring);
        }
        ModelGauges gauges = registry == null ? null : new ModelGauges(registry, repository, router, monitoring);
        OpenTelemetrySdk ownSdk = null;
        OpenTelemetry tracer = openTelemetry;
        if (tracer == null && config.tracingConfig().on()) {
            ownSdk = sdk(config.tracingConfig(), version);
            tracer = ownSdk;
        }
        ServerTracing tracing = tracer == null ? null : new ServerTracing(tracer, version);
        Telemetry telemetry = new Telemetry(
                metrics, registry, prometheus, statsd, tracing, ownSdk, monitoring, gauges, scheduler, closeables);
        long tick = monitoringConfig.tick().toMillis();
        scheduler.scheduleWithFixedDelay(telemetry::tick, 0, tick, TimeUnit.MILLISECONDS);
        return telemetry;
    }

    private static @Nullable MeterRegistry registry(
            @Nullable PrometheusMeterRegistry prometheus, @Nullable StatsdMeterRegistry statsd) {
        if (prometheus != null && statsd != null) {
            CompositeMeterRegistry composite = new CompositeMeterRegistry();
            composite.add(prometheus);
            composite.add(statsd);
            return composite;
        }
        return prometheus != null ? prometheus : statsd;
    }

    private static StatsdMeterRegistry statsd(MetricsConfig.Statsd settings) {
        StatsdFlavor flavor = StatsdFlavor.valueOf(settings.flavorName().toUpperCase(Locale.ROOT));
        StatsdConfig config = new StatsdConfig() {
            @Override
            public @Nullable String get(String key) {
                return null;
            }

            @Override
            public StatsdFlavor flavor() {
                return flavor;
            }

            @Override
            public String host() {
                return settings.hostName();
            }

            @Override
            public int port() {
                return settings.portNumber();
            }

            @Override
            public Duration step() {
                return settings.stepDuration();
            }
        };
        return new StatsdMeterRegistry(config, Clock.SYSTEM);
    }

    private static OpenTelemetrySdk sdk(TracingConfig settings, String version) {
        SpanExporter exporter = TracingConfig.HTTP_PROTOBUF.equals(settings.protocolName())
                ? OtlpHttpSpanExporter.builder()
                        .setEndpoint(settings.endpointUrl())
                        .build()
                : OtlpGrpcSpanExporter.builder()
                        .setEndpoint(settings.endpointUrl())
                        .build();
        Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        settings.service(),
                        AttributeKey.stringKey("service.version"),
                        version)));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.ratio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        LOG.info(
                "tracing to {} over OTLP {} (sample ratio {})",
                settings.endpointUrl(),
                settings.protocolName(),
                settings.ratio());
        return OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    private void tick() {
        try {
            if (monitoring != null) {
                monitoring.tick();
            }
            if (gauges != null) {
                gauges.refresh();
            }
        } catch (RuntimeException e) {
            LOG.warn("monitoring tick failed: {}", e.toString());
        }
    }

    /** Runs one monitoring tick now, on the scheduler, and waits for it (tests; operators after a change). */
    public void tickNow() {
        try {
            scheduler.submit(this::tick).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("monitoring tick failed", e);
        }
    }

    /** The metrics settings. */
    public MetricsConfig metricsConfig() {
        return metricsConfig;
    }

    /** The registry every meter is on, when metrics are on. */
    public java.util.Optional<MeterRegistry> registry() {
        return java.util.Optional.ofNullable(registry);
    }

    /** Whether {@code path} is the Prometheus scrape on the REST port. */
    public boolean scrapesOnRestPort(String path) {
        return prometheus != null && !metricsConfig.separatePort() && path.equals(metricsConfig.scrapePath());
    }

    /** The Prometheus text exposition of every meter; empty when Prometheus is off. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    /** Whether the Prometheus registry is on. */
    public boolean prometheusOn() {
        return prometheus != null;
    }

    /** Starts server spans; none when tracing is off. */
    public @Nullable ServerTracing tracing() {
        return tracing;
    }

    /** The drift and SLO monitors, when monitoring is on. */
    public java.util.Optional<ModelMonitoring> monitoring() {
        return java.util.Optional.ofNullable(monitoring);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (monitoring != null) {
            monitoring.close();
        }
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed: {}", closeable, e.toString());
            }
        }
        if (statsd != null) {
            statsd.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (ownSdk != null) {
            ownSdk.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
