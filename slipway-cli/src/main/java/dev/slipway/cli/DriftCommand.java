package dev.slipway.cli;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.drift.DriftReport;
import dev.slipway.drift.DriftReportHtml;
import dev.slipway.drift.DriftReportJson;
import dev.slipway.drift.FeatureDrift;
import dev.slipway.drift.ReferenceProfile;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.parity.CsvRows;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code slipway drift ...}: drift and data-quality reports. */
@Command(
        name = "drift",
        mixinStandardHelpOptions = true,
        description = "Drift and data-quality reports against a model version's reference sample.",
        subcommands = {DriftCommand.Report.class})
final class DriftCommand {
    private DriftCommand() {}

    /** {@code slipway drift report}: offline, two CSV files. */
    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = {
                "Compares a CSV file of current rows with the model version's reference sample (reference.file in",
                "model.yaml, or --reference) column by column: PSI, Jensen-Shannon distance, Kolmogorov-Smirnov,",
                "Wasserstein, chi-squared, missing / out-of-contract / unseen shares, judged by the manifest's drift",
                "thresholds. Writes drift-report.html (charts, statistics, verdict) and drift-report.json.",
                "Exit code 0, or 1 with --fail-on-drift when a column drifted."
            })
    static final class Report implements Callable<Integer> {
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
                names = "--current",
                required = true,
                paramLabel = "FILE",
                description = "CSV of current rows: a column per feature, predictions optional")
        @SuppressWarnings("NullAway.Init")
        Path current;

        @Option(
                names = "--reference",
                paramLabel = "FILE",
                description = "CSV reference sample instead of the manifest's reference.file")
        @Nullable
        Path reference;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description = "where to write drift-report.html and drift-report.json (default: the current directory)")
        @Nullable
        Path out;

        @Option(names = "--fail-on-drift", description = "exit with 1 when any column drifted")
        boolean failOnDrift;

        @Override
        public Integer call() throws IOException {
            PrintWriter printer = spec.commandLine().getOut();
            ModelManifest manifest = ManifestReader.read(modelDirectory);
            ReferenceProfile profile;
            String referenceName;
            if (reference != null) {
                requireFile(reference, "--reference");
                profile = ReferenceProfile.of(manifest, CsvRows.read(reference), reference.toString());
                referenceName = reference.toString();
            } else {
                profile = ReferenceProfile.load(modelDirectory, manifest);
                referenceName = profile.source();
            }
            requireFile(current, "--current");
            DriftReport report = profile.compare(CsvRows.read(current), manifest.drift(), current.toString());
            Path directory = out == null ? Path.of("") : out;
            Files.createDirectories(directory.toAbsolutePath());
            Path html = directory.resolve("drift-report.html");
            Path json = directory.resolve("drift-report.json");
            Files.writeString(html, DriftReportHtml.render(report, referenceName));
            Files.writeString(json, DriftReportJson.render(report, referenceName));
            print(printer, report);
            printer.println("wrote " + html + " and " + json);
            return failOnDrift && report.driftDetected() ? ExitCodes.PARITY_MISMATCH : ExitCodes.OK;
        }

        private static void requireFile(Path file, String option) {
            if (!Files.isRegularFile(file)) {
                throw new SlipwayException(ErrorCode.INVALID_INPUT, option + ": '" + file + "' is not a readable file");
            }
        }

        private static void print(PrintWriter out, DriftReport report) {
            out.printf(
                    Locale.ROOT,
                    "%-30s %-18s %9s %9s %10s %9s%n",
                    "column",
                    "status",
                    "psi",
                    "js",
                    "p-value",
                    "missing");
            for (FeatureDrift f : report.features()) {
                double p = f.scores().ksPValue();
                if (Double.isNaN(p)) {
                    p = f.scores().chiSquaredPValue();
                }
                out.printf(
                        Locale.ROOT,
                        "%-30s %-18s %9.4f %9.4f %10.3g %8.1f%%%n",
                        f.name(),
                        f.status().name().toLowerCase(Locale.ROOT) + (f.qualityIssue() ? " +quality" : ""),
                        f.scores().psi(),
                        f.scores().jsDistance(),
                        p,
                        f.quality().missingShare() * 100);
            }
            out.println(
                    report.driftDetected() ? "DRIFT in " + String.join(", ", report.drifted()) : "no drift detected");
            if (!report.qualityIssues().isEmpty()) {
                out.println("data-quality problems in " + String.join(", ", report.qualityIssues()));
            }
        }
    }
}
