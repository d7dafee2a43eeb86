package dev.slipway.slo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.drift.DriftGauge;
import java.util.List;
import java.util.Objects;

/**
 * A Grafana dashboard (JSON model, schema 39) for one model version: traffic by outcome, error ratio and p99 latency
 * against the objectives, burn rates over every window, the remaining 30-day budget, firing alerts, and the drift and
 * data-quality gauges. Its queries read the metrics {@link PrometheusRules} names and the recorded ratios.
 */
public final class GrafanaDashboard {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GrafanaDashboard() {}

    public static String render(ModelManifest manifest) {
        String model = manifest.name();
        String version = manifest.versionString();
        String selector = "model=\"" + model + "\",version=\"" + version + "\"";
        List<Objective> objectives = Objective.of(manifest.slo());
        ObjectNode root = JSON.createObjectNode();
        root.put("title", "Slipway: " + model + " version " + version);
        root.put("uid", uid(model + "-" + version));
        root.put("schemaVersion", 39);
        root.put("version", 1);
        root.put("editable", true);
        root.putArray("tags").add("slipway").add(model);
        root.putObject("time").put("from", "now-24h").put("to", "now");
        root.put("refresh", "1m");
        ObjectNode datasource = root.putObject("templating")
                .putArray("list")
                .addObject()
                .put("name", "datasource")
                .put("type", "datasource")
                .put("query", "prometheus")
                .put("label", "Prometheus");
        datasource.putObject("current");
        ArrayNode panels = root.putArray("panels");
        Layout layout = new Layout();
        timeseries(
                panels,
                layout,
                "Requests by outcome",
                "reqps",
                target(
                        "sum by (outcome) (rate(" + PrometheusRules.REQUESTS + "{" + selector + "}[5m]))",
                        "{{outcome}}"));
        for (Objective objective : objectives) {
            String slo = objective.kind().label();
            String recorded = "{" + selector + ",slo=\"" + slo + "\"}";
            if (objective.kind() == SloKind.AVAILABILITY) {
                timeseries(
                        panels,
                        layout,
                        "Error ratio (budget " + PrometheusRules.plain(objective.budget()) + ")",
                        "percentunit",
                        target(PrometheusRules.ERROR_RATIO + "rate5m" + recorded, "5m"),
                        target(PrometheusRules.ERROR_RATIO + "rate1h" + recorded, "1h"),
                        target("slipway:slo_error_budget:ratio" + recorded, "budget"));
            } else {
                String threshold = PrometheusRules.plain(Objects.requireNonNull(objective.latencyThresholdSeconds()));
                timeseries(
                        panels,
                        layout,
                        "p99 latency (objective " + threshold + " s)",
                        "s",
                        target(
                                "histogram_quantile(0.99, sum by (le) (rate(" + PrometheusRules.DURATION_BUCKETS + "{"
                                        + selector + "}[5m])))",
                                "p99"),
                        target("vector(" + threshold + ")", "objective"));
            }
            ArrayNode burns = JSON.createArrayNode();
            for (String window : List.of("5m", "30m", "1h", "6h", "3d")) {
                burns.add(target(
                        PrometheusRules.ERROR_RATIO + "rate" + window + recorded + " / on (model, version, slo) "
                                + "slipway:slo_error_budget:ratio" + recorded,
                        window));
            }
            ObjectNode burnPanel = timeseries(panels, layout, "Burn rate: " + slo, "x");
            burnPanel.set("targets", burns);
            ObjectNode steps = burnPanel.with("fieldConfig").with("defaults").with("thresholds");
            steps.put("mode", "absolute");
            ArrayNode stepList = steps.putArray("steps");
            stepList.addObject().put("color", "green").putNull("value");
            stepList.addObject().put("color", "orange").put("value", 1);
            stepList.addObject().put("color", "red").put("value", 14.4);
            burnPanel
                    .with("fieldConfig")
                    .with("defaults")
                    .with("custom")
                    .with("thresholdsStyle")
                    .put("mode", "line");
            ObjectNode remaining = panel(panels, layout, "stat", "Budget left, 30 days: " + slo, "percentunit");
            String bad = objective.kind() == SloKind.AVAILABILITY
                    ? "sum(increase(" + PrometheusRules.REQUESTS + "{" + selector + ",outcome=\"server_error\"}[30d]))"
                            + " / sum(increase(" + PrometheusRules.REQUESTS + "{" + selector + "}[30d]))"
                    : "1 - sum(increase(" + PrometheusRules.DURATION_BUCKETS + "{" + selector + ",le=\""
                            + PrometheusRules.le(Objects.requireNonNull(objective.latencyThresholdSeconds()))
                            + "\"}[30d])) / sum(increase(" + PrometheusRules.DURATION_COUNT + "{" + selector
                            + "}[30d]))";
            remaining
                    .putArray("targets")
                    .add(target("1 - (" + bad + ") / " + PrometheusRules.plain(objective.budget()), "left"));
        }
        ObjectNode alerts = panel(panels, layout, "table", "Firing SLO alerts", "none");
        alerts.putArray("targets")
                .add(target("ALERTS{" + selector + ",alertstate=\"firing\"}", "{{alertname}} {{slo}} {{rule}}")
                        .put("instant", true)
                        .put("format", "table"));
        timeseries(
                panels,
                layout,
                "Drift: PSI by feature (0.1 warning, 0.2 drift)",
                "none",
                target(DriftGauge.PSI.metricName() + "{" + selector + "}", "{{feature}}"));
        timeseries(
                panels,
                layout,
                "Drift: Jensen-Shannon distance by feature",
                "none",
                target(DriftGauge.JS_DISTANCE.metricName() + "{" + selector + "}", "{{feature}}"));
        timeseries(
                panels,
                layout,
                "Drifted features (1 = drifted in the last window)",
                "none",
                target(DriftGauge.DRIFTED.metricName() + "{" + selector + "}", "{{feature}}"));
        timeseries(
                panels,
                layout,
                "Data quality: missing, out of contract, unseen",
                "percentunit",
                target(DriftGauge.MISSING_RATIO.metricName() + "{" + selector + "}", "missing {{feature}}"),
                target(
                        DriftGauge.OUT_OF_CONTRACT_RATIO.metricName() + "{" + selector + "}",
                        "out of contract {{feature}}"),
                target(DriftGauge.UNSEEN_CATEGORY_RATIO.metricName() + "{" + selector + "}", "unseen {{feature}}"));
        for (com.fasterxml.jackson.databind.JsonNode panel : panels) {
            int ref = 0;
            for (com.fasterxml.jackson.databind.JsonNode target : panel.get("targets")) {
                ((ObjectNode) target).put("refId", String.valueOf((char) ('A' + ref++)));
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new SlipwayException(ErrorCode.INTERNAL, "cannot render dashboard: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode timeseries(
            ArrayNode panels, Layout layout, String title, String unit, ObjectNode... targets) {
        ObjectNode panel = panel(panels, layout, "timeseries", title, unit);
        ArrayNode list = panel.putArray("targets");
        for (ObjectNode target : targets) {
            list.add(target);
        }
        return panel;
    }

    private static ObjectNode panel(ArrayNode panels, Layout layout, String type, String title, String unit) {
        ObjectNode panel = panels.addObject();
        panel.put("id", panels.size());
        panel.put("type", type);
        panel.put("title", title);
        panel.putObject("datasource").put("type", "prometheus").put("uid", "${datasource}");
        panel.set("gridPos", layout.next(type.equals("stat") ? 6 : 12));
        panel.putObject("fieldConfig").putObject("defaults").put("unit", unit);
        return panel;
    }

    private static ObjectNode target(String expr, String legend) {
        ObjectNode target = JSON.createObjectNode();
        target.putObject("datasource").put("type", "prometheus").put("uid", "${datasource}");
        target.put("expr", expr);
        target.put("legendFormat", legend);
        target.put("refId", "A");
        return target;
    }

    private static String uid(String name) {
        String cleaned = ("slipway-" + name).replaceAll("[^A-Za-z0-9_-]", "-");
        return cleaned.length() <= 40 ? cleaned : cleaned.substring(0, 40);
    }

    /** Places panels left to right, 24 columns wide, 8 rows high. */
    private static final class Layout {
        private int x;
        private int y;

        ObjectNode next(int width) {
            if (x + width > 24) {
                x = 0;
                y += 8;
            }
            ObjectNode position = JSON.createObjectNode()
                    .put("h", 8)
                    .put("w", width)
                    .put("x", x)
                    .put("y", y);
            x += width;
            return position;
        }
    }
}
