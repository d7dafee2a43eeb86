package dev.slipway.monitoring;

import dev.slipway.drift.DriftMonitor;
import dev.slipway.inference.LoadedModel;
import dev.slipway.slo.SloMonitor;
import dev.slipway.slo.SloSignal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The monitors of one loaded model version: its SLO monitor (when its manifest states an objective) and its drift
 * monitor (once its reference profile is read; never without a reference sample).
 */
public final class VersionMonitors {
    private final LoadedModel model;
    private final @Nullable SloMonitor slo;
    private volatile @Nullable DriftMonitor drift;
    private volatile @Nullable TensorRows tensors;
    private volatile String driftStatus;

    VersionMonitors(LoadedModel model, @Nullable SloMonitor slo, String driftStatus) {
        this.model = model;
        this.slo = slo;
        this.driftStatus = driftStatus;
    }

    /** The version watched. */
    public LoadedModel model() {
        return model;
    }

    /** The model name. */
    public String name() {
        return model.name();
    }

    /** The version, as labels render it. */
    public String version() {
        return model.versionString();
    }

    /** The SLO monitor, when the manifest states an objective and SLO monitoring is on. */
    public Optional<SloMonitor> slo() {
        return Optional.ofNullable(slo);
    }

    /** The same, as the signal a rollout controller reads. */
    public Optional<SloSignal> sloSignal() {
        return Optional.ofNullable(slo);
    }

    /** The drift monitor, once the reference profile is read. */
    public Optional<DriftMonitor> drift() {
        return Optional.ofNullable(drift);
    }

    /** Why drift is or is not watched: {@code watching}, {@code pending}, {@code off}, or the reason it cannot be. */
    public String driftStatus() {
        return driftStatus;
    }

    @Nullable
    SloMonitor sloMonitor() {
        return slo;
    }

    @Nullable
    DriftMonitor driftMonitor() {
        return drift;
    }

    @Nullable
    TensorRows tensorRows() {
        return tensors;
    }

    void watch(DriftMonitor monitor, TensorRows rows) {
        this.tensors = rows;
        this.drift = monitor;
        this.driftStatus = "watching";
    }

    void noDrift(String reason) {
        this.driftStatus = reason;
    }
}
