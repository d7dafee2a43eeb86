package dev.slipway.cli;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.config.EnginesConfig;
import dev.slipway.inference.Engines;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelLoader;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.parity.ParityReport;
import dev.slipway.parity.ParityRow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slipway validate}: the parity gate on one model version directory. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Loads a model version directory (model.yaml + artifact), checks the artifact's sha256 and its signature",
            "against the manifest, runs the golden examples and prints a per-example diff table.",
            "Exit code 0 when the model keeps parity, 1 when it does not, 78 for an invalid manifest."
        })
final class ValidateCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init")
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "directory holding model.yaml")
    @SuppressWarnings("NullAway.Init")
    Path directory;

    @Option(names = "--all", description = "list every compared value, not only mismatches and a sample")
    boolean all;

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        ModelManifest manifest = ManifestReader.read(directory);
        dev.slipway.rollout.RolloutPlans.fromManifest(
                java.nio.file.Files.readString(directory.resolve(ManifestReader.FILE_NAME)),
                "manifest of " + manifest.name());
        out.printf(
                "model %s version %d (%s, artifact %s)%n",
                manifest.name(),
                manifest.version(),
                manifest.format(),
                manifest.artifact().file());
        ModelLoader loader =
                new ModelLoader(Engines.discover(), EnginesConfig.defaults().options(), Clock.systemUTC());
        try (LoadedModel model = loader.load(directory, manifest.name(), manifest.version())) {
            ParityReport parity = model.parity();
            if (parity != null) {
                printTable(out, parity);
                out.printf(
                        Locale.ROOT, "max abs error %.3g (tolerance %.3g)%n", parity.maxAbsError(), parity.tolerance());
            } else if (manifest.golden() == null) {
                out.println("no golden examples in the manifest: parity not checked");
            }
            if (!model.ready()) {
                out.println("FAILED: " + model.reason());
                throw new SlipwayException(
                        ErrorCode.PARITY_MISMATCH,
                        "model " + manifest.name() + ":" + manifest.version() + " does not pass validation: "
                                + model.reason());
            }
            out.println("PASSED: " + (parity == null ? "signature matches the manifest" : parity.summary()));
            return ExitCodes.OK;
        }
    }

    private void printTable(PrintWriter out, ParityReport report) {
        out.printf("%5s  %-22s %22s %22s %12s  %s%n", "row", "output", "expected", "actual", "abs error", "");
        int shown = 0;
        for (ParityRow row : report.rows()) {
            boolean show = all || !row.ok() || shown < 10;
            if (!show) {
                continue;
            }
            shown++;
            out.printf(
                    Locale.ROOT,
                    "%5d  %-22s %22s %22s %12.3g  %s%n",
                    row.row(),
                    row.output(),
                    row.expected(),
                    row.actual(),
                    row.absError(),
                    row.ok() ? "ok" : "MISMATCH");
        }
        if (shown < report.rows().size()) {
            out.printf(
                    "... %d more values within tolerance (--all lists them)%n",
                    report.rows().size() - shown);
        }
        for (String problem : report.problems()) {
            out.println("problem: " + problem);
        }
    }
}
