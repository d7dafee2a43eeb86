package dev.slipway.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.SloSpec;
import dev.slipway.manifest.ManifestReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusRulesTest {
    static final Path MODEL = Path.of("../examples/whatsup-logistics/models/stall-detector/2");

    static JsonNode rules() throws Exception {
        return new YAMLMapper().readTree(PrometheusRules.render(ManifestReader.read(MODEL)));
    }

    @Test
    void recordsEveryWindowOfBothObjectives() throws Exception {
        JsonNode recording = rules().get("groups").get(0).get("rules");
        List<String> names = new ArrayList<>();
        recording.forEach(r -> names.add(
                r.get("record").asText() + "/" + r.get("labels").get("slo").asText()));

        assertThat(names)
                .contains(
                        "slipway:slo_error_ratio:rate5m/availability",
                        "slipway:slo_error_ratio:rate3d/availability",
                        "slipway:slo_error_ratio:rate30m/latency",
                        "slipway:slo_error_budget:ratio/availability")
                .hasSize(2 * (2 + 5));
        assertThat(recording.get(2).get("expr").asText())
                .isEqualTo(
                        "(sum by (model, version) (rate(slipway_requests_total{model=\"stall-detector\","
                                + "version=\"2\",outcome=\"server_error\"}[5m])) or 0 * sum by (model, version) "
                                + "(rate(slipway_requests_total{model=\"stall-detector\",version=\"2\"}[5m]))) / sum by "
                                + "(model, version) (rate(slipway_requests_total{model=\"stall-detector\",version=\"2\"}[5m]))");
        assertThat(recording.get(0).get("expr").asText()).isEqualTo("vector(0.999)");
        assertThat(recording.get(0).get("labels").get("version").isTextual()).isTrue();
    }

    @Test
    void latencyReadsTheBucketAtTheThreshold() {
        Objective latency = new Objective(SloKind.LATENCY, Objective.P99_BUDGET, new BigDecimal("0.025"));

        assertThat(PrometheusRules.errorRatio("m", "3", latency, "1h"))
                .isEqualTo("1 - (sum by (model, version) (rate(slipway_request_duration_seconds_bucket{model=\"m\","
                        + "version=\"3\",le=\"0.025\"}[1h])) / sum by (model, version) "
                        + "(rate(slipway_request_duration_seconds_count{model=\"m\",version=\"3\"}[1h])))");
        assertThat(PrometheusRules.le(new BigDecimal("1"))).isEqualTo("1.0");
        assertThat(PrometheusRules.le(new BigDecimal("0.25"))).isEqualTo("0.25");
    }

    @Test
    void alertsAreTheMultiWindowRulesWithExactLimits() throws Exception {
        JsonNode alerts = rules().get("groups").get(1).get("rules");

        assertThat(alerts).hasSize(6);
        JsonNode page = alerts.get(0);
        assertThat(page.get("alert").asText()).isEqualTo("SlipwayErrorBudgetBurn");
        assertThat(page.get("expr").asText())
                .isEqualTo("slipway:slo_error_ratio:rate1h{model=\"stall-detector\",version=\"2\",slo=\"availability\"}"
                        + " > 0.0144 and slipway:slo_error_ratio:rate5m{model=\"stall-detector\",version=\"2\","
                        + "slo=\"availability\"} > 0.0144");
        assertThat(page.get("labels").get("severity").asText()).isEqualTo("page");
        assertThat(alerts.get(1).get("expr").asText())
                .contains("rate6h")
                .contains("rate30m")
                .contains("> 0.006 and");
        assertThat(alerts.get(2).get("expr").asText())
                .contains("rate3d")
                .contains("rate6h")
                .contains("> 0.001 and");
        assertThat(alerts.get(2).get("labels").get("severity").asText()).isEqualTo("ticket");
        assertThat(alerts.get(3).get("alert").asText()).isEqualTo("SlipwayLatencyBudgetBurn");
        assertThat(alerts.get(3).get("expr").asText()).contains("> 0.144 and");
    }

    @Test
    void aManifestWithoutObjectivesHasNoRules() {
        ModelManifest manifest = ManifestReader.read(MODEL);
        ModelManifest none = new ModelManifest(
                manifest.name(),
                manifest.version(),
                manifest.format(),
                manifest.description(),
                manifest.artifact(),
                manifest.features(),
                manifest.tensors(),
                manifest.outputs(),
                manifest.golden(),
                manifest.reference(),
                SloSpec.none(),
                manifest.owners(),
                manifest.retraining());

        assertThatThrownBy(() -> PrometheusRules.render(none))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("states no objective");
    }

    @Test
    void theDashboardHasAPanelPerConcernWithUniqueQueryIds() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(GrafanaDashboard.render(ManifestReader.read(MODEL)));

        assertThat(dashboard.get("title").asText()).isEqualTo("Slipway: stall-detector version 2");
        List<String> titles = new ArrayList<>();
        dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles)
                .contains(
                        "Requests by outcome",
                        "Error ratio (budget 0.001)",
                        "p99 latency (objective 0.025 s)",
                        "Burn rate: availability",
                        "Burn rate: latency",
                        "Firing SLO alerts",
                        "Drift: PSI by feature (0.1 warning, 0.2 drift)");
        for (JsonNode panel : dashboard.get("panels")) {
            List<String> refs = new ArrayList<>();
            panel.get("targets").forEach(t -> refs.add(t.get("refId").asText()));
            assertThat(refs)
                    .as(panel.get("title").asText())
                    .doesNotHaveDuplicates()
                    .isNotEmpty();
        }
    }
}
