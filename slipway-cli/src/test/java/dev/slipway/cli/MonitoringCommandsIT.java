package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway drift report} and {@code slipway monitoring rules}, in-process on the sample model. */
class MonitoringCommandsIT {
    static final Path SAMPLE = CommandsIT.SAMPLE;
    static final String MODEL = SAMPLE.resolve("models/stall-detector/2").toString();
    static final String DRIFTED = SAMPLE.resolve("data/pings-drifted.csv").toString();

    @TempDir
    Path directory;

    @Test
    void driftReportWritesHtmlAndJsonWithTheVerdict() throws Exception {
        CommandsIT.Run run = CommandsIT.run(
                "drift", "report", "--model-dir", MODEL, "--current", DRIFTED, "--out", directory.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("DRIFT in speed_kmh, minutes_since_last_ping, road_type, stall_probability")
                .contains("data-quality problems in distance_to_destination_km, road_type");
        JsonNode json = new ObjectMapper()
                .readTree(directory.resolve("drift-report.json").toFile());
        assertThat(json.get("verdict").get("drift_detected").asBoolean()).isTrue();
        assertThat(json.get("features")).hasSize(11);
        assertThat(json.get("features").get(0).get("scores").get("ks_method").asText())
                .isEqualTo("exact");
        String html = Files.readString(directory.resolve("drift-report.html"));
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<svg")
                .contains("Drift in 4 of 11 columns: speed_kmh, minutes_since_last_ping, road_type, stall_probability")
                .doesNotContain("<script")
                .doesNotContain("http://cdn")
                .doesNotContain("https://");
    }

    @Test
    void theCheckedInExampleReportIsCurrent() throws Exception {
        CommandsIT.Run run = CommandsIT.run(
                "drift", "report", "--model-dir", MODEL, "--current", DRIFTED, "--out", directory.toString());
        assertThat(run.exit()).as(run.err()).isZero();

        // the example was rendered from the repository root, so its paths lack this module's "../"
        String fresh = Files.readString(directory.resolve("drift-report.html")).replace("../examples/", "examples/");
        assertThat(Files.readString(Path.of("../docs/drift-report-example.html")))
                .as("docs/drift-report-example.html: re-render it with ./slipway drift report (see README)")
                .isEqualTo(fresh);
    }

    @Test
    void aReferenceFileCanReplaceTheManifestsAndFailOnDriftSetsTheExitCode() {
        CommandsIT.Run same = CommandsIT.run(
                "drift",
                "report",
                "--model-dir",
                MODEL,
                "--reference",
                DRIFTED,
                "--current",
                DRIFTED,
                "--out",
                directory.toString(),
                "--fail-on-drift");
        CommandsIT.Run drifted = CommandsIT.run(
                "drift",
                "report",
                "--model-dir",
                MODEL,
                "--current",
                DRIFTED,
                "--out",
                directory.toString(),
                "--fail-on-drift");

        assertThat(same.exit()).as(same.err()).isZero();
        assertThat(same.out()).contains("no drift detected");
        assertThat(drifted.exit()).isEqualTo(ExitCodes.PARITY_MISMATCH);
    }

    @Test
    void aCurrentFileMissingColumnsIsRefusedNamingThem() throws Exception {
        Path current = Files.writeString(directory.resolve("thin.csv"), "speed_kmh,hour_of_day\n3.5,4\n");

        CommandsIT.Run run = CommandsIT.run(
                "drift",
                "report",
                "--model-dir",
                MODEL,
                "--current",
                current.toString(),
                "--out",
                directory.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(run.err()).contains("lacks the feature columns minutes_since_last_move, minutes_since_last_ping");
        assertThat(run.err()).doesNotContain("hour_of_day,").doesNotContain("speed_kmh,");
    }

    @Test
    void aMissingCurrentFileIsNamed() {
        CommandsIT.Run run = CommandsIT.run(
                "drift", "report", "--model-dir", MODEL, "--current", "nowhere.csv", "--out", directory.toString());

        assertThat(run.exit()).isEqualTo(ExitCodes.DATA);
        assertThat(run.err()).contains("--current: 'nowhere.csv' is not a readable file");
    }

    @Test
    void monitoringRulesWritesRulesAndADashboard() throws Exception {
        CommandsIT.Run run = CommandsIT.run("monitoring", "rules", "--model-dir", MODEL, "--out", directory.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(Files.readString(directory.resolve("stall-detector-2-slo-rules.yaml")))
                .contains("alert: SlipwayErrorBudgetBurn")
                .contains("alert: SlipwayLatencyBudgetBurn")
                .contains("le=\"0.025\"");
        JsonNode dashboard = new ObjectMapper()
                .readTree(directory.resolve("stall-detector-2-dashboard.json").toFile());
        assertThat(dashboard.get("panels").size()).isGreaterThan(8);
    }
}
