package dev.slipway.drift;

import java.util.function.ToDoubleFunction;

/**
 * The per-column values a metrics registry exports from {@link DriftMonitor#gauge}, each with its Prometheus name (to
 * be tagged {@code model}, {@code version}, {@code feature}). Values are those of the last closed window; NaN before
 * the first window closes or where a statistic does not apply.
 */
public enum DriftGauge {
    PSI("slipway_drift_psi", f -> f.scores().psi()),
    JS_DISTANCE("slipway_drift_js_distance", f -> f.scores().jsDistance()),
    KS_STATISTIC("slipway_drift_ks_statistic", f -> f.scores().ksStatistic()),
    KS_P_VALUE("slipway_drift_ks_p_value", f -> f.scores().ksPValue()),
    WASSERSTEIN("slipway_drift_wasserstein", f -> f.scores().wasserstein()),
    WASSERSTEIN_NORMALIZED(
            "slipway_drift_wasserstein_normalized", f -> f.scores().wassersteinNormalized()),
    CHI_SQUARED_P_VALUE("slipway_drift_chi_squared_p_value", f -> f.scores().chiSquaredPValue()),
    MISSING_RATIO("slipway_data_missing_ratio", f -> f.quality().missingShare()),
    OUT_OF_CONTRACT_RATIO("slipway_data_out_of_contract_ratio", f -> f.quality().outOfContractShare()),
    UNSEEN_CATEGORY_RATIO("slipway_data_unseen_category_ratio", f -> f.quality().unseenShare()),
    /** 1 when the column drifted, 0 when not, NaN when there was too little data to judge. */
    DRIFTED("slipway_drift_detected", f -> switch (f.status()) {
        case DRIFTED -> 1.0;
        case OK, WARNING -> 0.0;
        case INSUFFICIENT_DATA -> Double.NaN;
    });

    private final String metricName;
    private final ToDoubleFunction<FeatureDrift> value;

    DriftGauge(String metricName, ToDoubleFunction<FeatureDrift> value) {
        this.metricName = metricName;
        this.value = value;
    }

    /** The Prometheus metric name. */
    public String metricName() {
        return metricName;
    }

    /** This gauge's value in one column's result. */
    public double of(FeatureDrift drift) {
        return value.applyAsDouble(drift);
    }
}
