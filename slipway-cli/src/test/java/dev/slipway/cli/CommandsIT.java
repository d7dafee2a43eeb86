package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validate and predict commands, run in-process on the sample models. */
class CommandsIT {
    static final Path SAMPLE = Path.of("../examples/whatsup-logistics");

    @TempDir
    Path directory;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    Path copyOf(Path model) throws Exception {
        Path target = directory.resolve(model.getFileName());
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(model)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    @Test
    void validatePassesEverySampleModel() {
        for (String model :
                new String[] {"stall-detector/1", "stall-detector/2", "stall-detector-logreg/1", "stall-rules/1"}) {
            Run run = run("validate", SAMPLE.resolve("models").resolve(model).toString());

            assertThat(run.exit()).as(model + ": " + run.out() + run.err()).isZero();
            assertThat(run.out()).contains("PASSED: parity gate passed: 43 golden rows");
        }
    }

    @Test
    void validatePassesModelsExportedByAForeignNotebook() {
        Path parcel = Fixtures.modelVersion(
                directory.resolve("parcel"),
                "foreign-logreg.model.yaml",
                "foreign-logreg.onnx",
                "foreign-logreg-expected.csv");
        Path churn = Fixtures.modelVersion(
                directory.resolve("churn"),
                "foreign-churn.model.yaml",
                "foreign-churn.onnx",
                "foreign-churn-expected.csv");

        Run parcelRun = run("validate", parcel.toString());
        Run churnRun = run("validate", churn.toString());

        assertThat(parcelRun.exit()).as(parcelRun.out() + parcelRun.err()).isZero();
        assertThat(parcelRun.out()).contains("PASSED: parity gate passed: 12 golden rows, 48 values, 0 outside");
        assertThat(churnRun.exit()).as(churnRun.out() + churnRun.err()).isZero();
        assertThat(churnRun.out()).contains("PASSED: parity gate passed: 12 golden rows, 48 values, 0 outside");
    }

    @Test
    void validateFailsOnADeliberatelyWrongGoldenFile() throws Exception {
        Path model = copyOf(SAMPLE.resolve("models/stall-detector/1"));
        Path golden = model.resolve("golden.csv");
        Files.writeString(golden, Files.readString(golden).replace(",0.9205124378204346,", ",0.9305124378204346,"));

        Run run = run("validate", model.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.PARITY_MISMATCH);
        assertThat(run.out())
                .containsPattern("0\\s+stall_probability\\s+0.9305124378204346\\s+0.92051243\\d*\\s+0.0100\\s+MISMATCH")
                .contains("FAILED: parity gate failed: 43 golden rows, 86 values, 1 outside tolerance");
        assertThat(run.err()).contains("does not pass validation");
    }

    @Test
    void validateListsEveryManifestProblem() throws Exception {
        Path model = copyOf(SAMPLE.resolve("models/stall-detector/2"));
        Path manifest = model.resolve("model.yaml");
        Files.writeString(
                manifest,
                Files.readString(manifest)
                        .replace("max: 160", "max: -160")
                        .replace("datatype: FP32\n    columns", "datatype: FP7\n    columns"));

        Run run = run("validate", model.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err())
                .contains("features[0].max: -160.0 is below min 0.0")
                .contains("tensors[0].datatype: 'FP7'");
    }

    @Test
    void validateRefusesATamperedArtifact() throws Exception {
        Path model = copyOf(SAMPLE.resolve("models/stall-detector/2"));
        byte[] bytes = Files.readAllBytes(model.resolve("model.onnx"));
        Files.write(model.resolve("model.onnx"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        Run run = run("validate", model.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.PARITY_MISMATCH);
        assertThat(run.out()).contains("FAILED: artifact 'model.onnx': sha256");
    }

    @Test
    void predictScoresACsvFile() throws Exception {
        Path input = directory.resolve("pings.csv");
        try (Stream<String> lines = Files.lines(SAMPLE.resolve("data/pings.csv"))) {
            Files.write(input, lines.limit(6).toList());
        }

        Run run = run("predict", SAMPLE.resolve("models/stall-detector/2").toString(), "--input", input.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("stall_probability")
                .contains("stalled")
                .contains("5 rows scored by stall-detector version 2");
    }

    @Test
    void predictReadsV1JsonAndWritesJson() {
        Run run = run(
                "predict",
                SAMPLE.resolve("models/stall-detector/1").toString(),
                "--json",
                "--input",
                SAMPLE.resolve("requests/v1-stalled.json").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("\"predictions\"")
                .contains("\"stalled\" : true")
                .contains("\"model_version\" : \"1\"");
    }

    @Test
    void predictReportsContractViolationsWithTheDataExitCode() throws Exception {
        Path input = Files.writeString(directory.resolve("rows.jsonl"), "{\"speed_kmh\": 500}\n{\"speed_kmh\": 1}\n");

        Run run = run("predict", SAMPLE.resolve("models/stall-detector/2").toString(), "--input", input.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(run.err())
                .contains("row 0: speed_kmh: 500 (expected: 0..160)")
                .contains("row 1: road_type: missing");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"serve", "validate", "predict"}) {
            Run run = run(command, "--help");

            assertThat(run.exit()).isZero();
            assertThat(run.out()).contains("Usage: slipway " + command);
        }
    }
}
