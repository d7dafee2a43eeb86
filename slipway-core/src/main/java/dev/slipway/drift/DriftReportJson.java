package dev.slipway.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.util.Locale;

/** A {@link DriftReport} as JSON: the verdict, then per column its data quality, statistics and bins; NaN is null. */
public final class DriftReportJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DriftReportJson() {}

    /** The report as pretty-printed JSON; {@code reference} names the reference sample. */
    public static String render(DriftReport report, String reference) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", report.model());
        root.put("version", report.version());
        root.put("reference", reference);
        root.put("current", report.source());
        if (report.start() != null && report.end() != null) {
            root.put("start", report.start().toString());
            root.put("end", report.end().toString());
        }
        root.put("rows", report.rows());
        ObjectNode verdict = root.putObject("verdict");
        verdict.put("drift_detected", report.driftDetected());
        report.drifted().forEach(verdict.putArray("drifted")::add);
        report.warnings().forEach(verdict.putArray("warnings")::add);
        report.qualityIssues().forEach(verdict.putArray("data_quality")::add);
        ArrayNode features = root.putArray("features");
        for (FeatureDrift feature : report.features()) {
            ObjectNode node = features.addObject();
            node.put("name", feature.name());
            node.put("kind", feature.kind().name().toLowerCase(Locale.ROOT));
            node.put("prediction", feature.prediction());
            node.put("status", feature.status().name().toLowerCase(Locale.ROOT));
            node.put("quality_issue", feature.qualityIssue());
            feature.reasons().forEach(node.putArray("reasons")::add);
            DataQuality q = feature.quality();
            ObjectNode quality = node.putObject("quality");
            quality.put("rows", q.rows());
            quality.put("values", q.values());
            quality.put("missing", q.missing());
            quality.put("out_of_contract", q.outOfContract());
            quality.put("unseen", q.unseen());
            number(quality, "missing_share", q.missingShare());
            number(quality, "reference_missing_share", q.referenceMissingShare());
            number(quality, "out_of_contract_share", q.outOfContractShare());
            number(quality, "unseen_share", q.unseenShare());
            DriftScores s = feature.scores();
            ObjectNode scores = node.putObject("scores");
            number(scores, "psi", s.psi());
            number(scores, "js_distance", s.jsDistance());
            number(scores, "ks_statistic", s.ksStatistic());
            number(scores, "ks_p_value", s.ksPValue());
            scores.put("ks_method", s.ksMethod().name().toLowerCase(Locale.ROOT));
            number(scores, "ks_error", s.ksError());
            number(scores, "wasserstein", s.wasserstein());
            number(scores, "wasserstein_normalized", s.wassersteinNormalized());
            number(scores, "chi_squared", s.chiSquared());
            number(scores, "chi_squared_p_value", s.chiSquaredPValue());
            scores.put("chi_squared_dof", s.chiSquaredDof());
            number(scores, "reference_mean", s.referenceMean());
            number(scores, "reference_std", s.referenceStd());
            ArrayNode bins = node.putArray("bins");
            for (BinCount bin : feature.bins()) {
                ObjectNode b = bins.addObject();
                b.put("label", bin.label());
                if (feature.kind() == ColumnKind.NUMERIC) {
                    number(b, "lower", bin.lower());
                    number(b, "upper", bin.upper());
                }
                b.put("reference", bin.reference());
                b.put("current", bin.current());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new SlipwayException(ErrorCode.INTERNAL, "cannot render the drift report: " + e.getMessage(), e);
        }
    }

    private static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }
}
