package dev.slipway.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.manifest.ManifestReader;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated rules through Prometheus' own tool: {@code promtool check rules}, and {@code promtool test rules} on a
 * scripted outage. Skipped, saying why, where promtool is not installed ({@code .ci/run} installs Debian's prometheus
 * package).
 */
class PrometheusRulesIT {
    static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path directory;

    static Optional<Path> promtool() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @BeforeAll
    static void needsPromtool() {
        assumeTrue(
                promtool().isPresent(),
                "promtool is not on the PATH: install Debian's prometheus package (apt-get install prometheus), as"
                        + " .ci/run does, to check the generated rules");
    }

    record Result(int exit, String output) {}

    Result promtool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = promtool().orElseThrow().toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    Path sampleRules() throws Exception {
        return Files.writeString(
                directory.resolve("rules.yaml"),
                PrometheusRules.render(ManifestReader.read(PrometheusRulesTest.MODEL)));
    }

    @Test
    void promtoolAcceptsTheGeneratedRules() throws Exception {
        sampleRules();

        Result result = promtool("check", "rules", "rules.yaml");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 20 rules found");
    }

    @Test
    void anOutageFiresTheAvailabilityAlertsInPrometheusToo() throws Exception {
        // 1000 good requests a minute throughout; from minute 60 also 100 failed ones (9 % errors, 91x the budget).
        // At 50m nothing fires; at 70m every availability rule's two windows exceed their limit.
        JsonNode rules = YAML.readTree(sampleRules().toFile());
        ObjectNode test = YAML.createObjectNode();
        test.putArray("rule_files").add("rules.yaml");
        test.put("evaluation_interval", "1m");
        ObjectNode scenario = test.putArray("tests").addObject();
        scenario.put("interval", "1m");
        ArrayNode series = scenario.putArray("input_series");
        series.addObject()
                .put("series", "slipway_requests_total{model=\"stall-detector\",version=\"2\",outcome=\"success\"}")
                .put("values", "0+1000x120");
        series.addObject()
                .put(
                        "series",
                        "slipway_requests_total{model=\"stall-detector\",version=\"2\",outcome=\"server_error\"}")
                .put("values", "0x60 100+100x59");
        ArrayNode checks = scenario.putArray("alert_rule_test");
        checks.addObject()
                .put("eval_time", "50m")
                .put("alertname", "SlipwayErrorBudgetBurn")
                .putArray("exp_alerts");
        ArrayNode expected = checks.addObject()
                .put("eval_time", "70m")
                .put("alertname", "SlipwayErrorBudgetBurn")
                .putArray("exp_alerts");
        for (JsonNode alert : rules.get("groups").get(1).get("rules")) {
            if (alert.get("alert").asText().equals("SlipwayErrorBudgetBurn")) {
                ObjectNode one = expected.addObject();
                one.set("exp_labels", alert.get("labels"));
                one.set("exp_annotations", alert.get("annotations"));
            }
        }
        checks.addObject()
                .put("eval_time", "70m")
                .put("alertname", "SlipwayLatencyBudgetBurn")
                .putArray("exp_alerts");
        YAML.writeValue(directory.resolve("test.yaml").toFile(), test);

        Result result = promtool("test", "rules", "test.yaml");

        assertThat(expected).hasSize(3);
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }
}
