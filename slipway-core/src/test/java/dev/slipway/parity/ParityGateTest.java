package dev.slipway.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.contract.DataContract;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import dev.slipway.testing.FakeEngine;
import dev.slipway.testing.FakeModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParityGateTest {
    static final float[] WEIGHTS = {0.5f, -1.25f, 2f};

    @TempDir
    Path root;

    ParityReport gate(Path directory) {
        ModelManifest manifest = ManifestReader.read(directory);
        try (ModelInstance model = new FakeEngine().load(ModelArtifact.of(directory.resolve("model.fake")))) {
            DataContract contract = DataContract.bind(manifest, model.signature());
            return ParityGate.run(contract, model, manifest.golden(), directory);
        }
    }

    @Test
    void aModelThatReproducesTheNotebookPasses() {
        ParityReport report = gate(FakeModels.write(root, "m", 1, WEIGHTS, 0.25f));

        assertThat(report.passed()).isTrue();
        assertThat(report.rows()).hasSize(4).allMatch(ParityRow::ok);
        assertThat(report.maxAbsError()).isLessThanOrEqualTo(1e-6);
        assertThat(report.summary()).startsWith("parity gate passed: 4 golden rows");
    }

    @Test
    void aDeliberatelyWrongGoldenFileFailsTheGate() {
        ParityReport report = gate(FakeModels.write(root, "m", 1, WEIGHTS, 0.25f, 0.01));

        assertThat(report.passed()).isFalse();
        assertThat(report.mismatches()).isEqualTo(4);
        assertThat(report.maxAbsError()).isBetween(0.0099, 0.0101);
        assertThat(report.summary()).startsWith("parity gate failed").contains("4 outside tolerance");
    }

    @Test
    void aGoldenFileWithoutFeatureColumnsCannotRun() throws Exception {
        Path directory = FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        Files.writeString(directory.resolve("golden.csv"), "f0,probability\n1.0,0.5\n");

        ParityReport report = gate(directory);

        assertThat(report.passed()).isFalse();
        assertThat(report.problems()).singleElement().asString().contains("lacks feature columns [f1, f2]");
    }

    @Test
    void aGoldenFileThatComparesNothingDoesNotPass() throws Exception {
        Path directory = FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        Files.writeString(directory.resolve("golden.csv"), "f0,f1,f2,score\n1.0,2.0,3.0,0.5\n");

        ParityReport report = gate(directory);

        assertThat(report.passed()).isFalse();
        assertThat(report.summary()).contains("compared nothing");
    }

    @Test
    void goldenRowsThatBreakTheContractAreReported() throws Exception {
        Path directory = FakeModels.write(root, "m", 1, WEIGHTS, 0.25f);
        Files.writeString(directory.resolve("golden.csv"), "f0,f1,f2,probability\n1000.0,2.0,3.0,0.5\n");

        ParityReport report = gate(directory);

        assertThat(report.problems()).singleElement().asString().contains("f0: 1000.0 (expected: -100..100)");
    }
}
