package dev.slipway.cli;

import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.slo.GrafanaDashboard;
import dev.slipway.slo.PrometheusRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway monitoring ...}: monitoring configuration generated from a manifest. */
@Command(
        name = "monitoring",
        mixinStandardHelpOptions = true,
        description = "Monitoring configuration generated from a model version's manifest.",
        subcommands = {MonitoringCommand.Rules.class})
final class MonitoringCommand {
    private MonitoringCommand() {}

    /** {@code slipway monitoring rules}. */
    @Command(
            name = "rules",
            mixinStandardHelpOptions = true,
            description = {
                "Writes Prometheus recording and alerting rules for the manifest's SLO (multi-window multi-burn-rate:",
                "page at 14.4x over 1h and 5m or 6x over 6h and 30m, ticket at 1x over 3d and 6h), reading",
                "slipway_requests_total{model,version,outcome} and slipway_request_duration_seconds_bucket{le}, and a",
                "Grafana dashboard: <model>-<version>-slo-rules.yaml and <model>-<version>-dashboard.json."
            })
    static final class Rules implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init")
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--model-dir",
                required = true,
                paramLabel = "DIR",
                description = "model version directory holding model.yaml")
        @SuppressWarnings("NullAway.Init")
        Path modelDirectory;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description = "where to write the files (default: the current directory)")
        @Nullable
        Path out;

        @Override
        public Integer call() throws IOException {
            PrintWriter printer = spec.commandLine().getOut();
            ModelManifest manifest = ManifestReader.read(modelDirectory);
            String rules = PrometheusRules.render(manifest);
            String dashboard = GrafanaDashboard.render(manifest);
            Path directory = out == null ? Path.of("") : out;
            Files.createDirectories(directory.toAbsolutePath());
            String stem = manifest.name() + "-" + manifest.version();
            Path rulesFile = directory.resolve(stem + "-slo-rules.yaml");
            Path dashboardFile = directory.resolve(stem + "-dashboard.json");
            Files.writeString(rulesFile, rules);
            Files.writeString(dashboardFile, dashboard);
            printer.println("wrote " + rulesFile + " (check with: promtool check rules " + rulesFile + ")");
            printer.println("wrote " + dashboardFile + " (import into Grafana)");
            return ExitCodes.OK;
        }
    }
}
