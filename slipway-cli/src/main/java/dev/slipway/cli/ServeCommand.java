package dev.slipway.cli;

import dev.slipway.api.Ticker;
import dev.slipway.config.ConfigLoader;
import dev.slipway.config.ModelsConfig;
import dev.slipway.config.RegistryConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.inference.LoadedModel;
import dev.slipway.server.SlipwayServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway serve}: serves a model repository over REST until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves every model version of a repository over the Open Inference Protocol (REST /v2) and KServe V1.",
            "Without options it serves the WhatsUp Logistics sample on http://127.0.0.1:8080."
        })
final class ServeCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "slipway.yaml to read (default: built-in defaults)")
    @Nullable
    Path config;

    @Option(
            names = "--models",
            paramLabel = "DIR",
            description = "model repository: <name>/<version>/model.yaml " + "(default: "
                    + ModelsConfig.DEFAULT_REPOSITORY + ")")
    @Nullable
    Path models;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "address to bind (default: 127.0.0.1)")
    @Nullable
    String host;

    @Option(
            names = {"--port", "--http-port"},
            paramLabel = "PORT",
            description = "REST port (default: 8080; 0 = any free port)")
    @Nullable
    Integer port;

    @Option(
            names = "--grpc-port",
            paramLabel = "PORT",
            description = "gRPC port (default: 8081; 0 = any free port, -1 = off)")
    @Nullable
    Integer grpcPort;

    @Option(
            names = "--registry",
            paramLabel = "FILE|JDBC_URL",
            description = "serve what this registry says (each model's production version, and its other aliased "
                    + "versions) instead of a folder")
    @Nullable
    String registry;

    @Option(
            names = "--artifacts",
            paramLabel = "DIR",
            description = "the registry's artifact store (default: beside a SQLite file)")
    @Nullable
    Path artifacts;

    @Override
    public Integer call() {
        Ticker ticker = Ticker.system();
        long started = ticker.nanos();
        SlipwayConfig configuration = effectiveConfig();
        LogFormat.apply(configuration.loggingConfig().format());
        PrintWriter out = spec.commandLine().getOut();
        SlipwayServer server = SlipwayServer.start(configuration, Engines.discover(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "slipway-shutdown"));
        printBanner(out, server, configuration, (ticker.nanos() - started) / 1e9);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    private SlipwayConfig effectiveConfig() {
        Path file = config != null ? config : models == null && registry == null ? sampleConfig() : null;
        SlipwayConfig base = file == null ? SlipwayConfig.defaults() : ConfigLoader.load(file);
        var server = base.serverConfig()
                .withAddress(
                        host == null ? base.serverConfig().bindHost() : host,
                        port == null ? base.serverConfig().port() : port,
                        grpcPort == null ? base.serverConfig().grpcPortNumber() : grpcPort);
        var modelsConfig = models != null ? new ModelsConfig(models.toString()) : base.modelsConfig();
        RegistryConfig registryConfig = registry == null
                ? base.registryConfig()
                : new RegistryConfig(
                        registry,
                        artifacts == null ? null : artifacts.toString(),
                        base.registryConfig().pollInterval());
        SlipwayConfig effective = new SlipwayConfig(
                server,
                modelsConfig,
                base.enginesConfig(),
                base.servingConfig(),
                registryConfig,
                base.securityConfig(),
                base.endpointPolicies(),
                base.rolloutsConfig(),
                base.metricsConfig(),
                base.tracingConfig(),
                base.monitoringConfig(),
                base.loggingConfig(),
                base.payloadLogConfig(),
                base.feedbackConfig());
        if (!effective.problems().isEmpty()) {
            throw new dev.slipway.api.SlipwayException(
                    dev.slipway.api.ErrorCode.CONFIG_INVALID, String.join("; ", effective.problems()));
        }
        return effective;
    }

    /** The sample deployment's config, which {@code serve} without options uses; {@code null} when absent. */
    private static @Nullable Path sampleConfig() {
        Path sample = Path.of(System.getProperty("slipway.home", "."))
                .resolve("examples/whatsup-logistics/slipway.yaml")
                .normalize();
        return java.nio.file.Files.isRegularFile(sample) ? sample : null;
    }

    private static void printBanner(PrintWriter out, SlipwayServer server, SlipwayConfig config, double seconds) {
        String host = config.serverConfig().bindHost();
        String shown = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        String base = "http://" + shown + ":" + server.httpPort();
        out.printf(
                "Slipway %s serving %s%n",
                SlipwayServer.version(), server.repository().describe());
        for (LoadedModel model : server.repository().all()) {
            out.printf(
                    "  %-24s v%-3s %-8s %s%n",
                    model.name(),
                    model.versionString(),
                    model.manifest() == null ? "?" : model.manifest().format(),
                    model.ready() ? "READY" : model.state() + ": " + model.reason());
        }
        out.printf("REST (Open Inference Protocol v2)  %s/v2%n", base);
        if (server.grpcPort() >= 0) {
            out.printf("gRPC (inference.GRPCInferenceService, grpc.health.v1)  %s:%d%n", shown, server.grpcPort());
        }
        if (server.telemetry().prometheusOn()) {
            int port = server.metricsPort() < 0 ? server.httpPort() : server.metricsPort();
            out.printf(
                    "Metrics (Prometheus)  http://%s:%d%s%n",
                    shown, port, config.metricsConfig().scrapePath());
        }
        out.printf("  ready      curl -s %s/v2/health/ready%n", base);
        out.printf("  metadata   curl -s %s/v2/models/stall-detector%n", base);
        out.printf(
                "  infer      curl -s -X POST %s/v1/models/stall-detector:predict -d @examples/whatsup-logistics/requests/v1-stalled.json%n",
                base);
        out.printf("Ready in %.1f s. Press Ctrl-C to stop.%n", seconds);
        out.flush();
    }
}
