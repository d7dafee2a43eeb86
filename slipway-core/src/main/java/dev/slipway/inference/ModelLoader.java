package dev.slipway.inference;

import dev.slipway.api.SlipwayException;
import dev.slipway.api.Ticker;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.contract.BoundBatch;
import dev.slipway.contract.DataContract;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.manifest.Sha256;
import dev.slipway.parity.CsvRows;
import dev.slipway.parity.ParityGate;
import dev.slipway.parity.ParityReport;
import dev.slipway.spi.EngineOptions;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one model version directory: reads its manifest, checks the artifact's sha256, loads it with the engine for
 * its format, binds the contract to the engine's signature and runs the parity gate, which also warms the model up. A
 * version that fails any step is returned FAILED with the reason, never thrown.
 */
public final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    /** Warm-up calls run on every version before it reports ready, so the first requests meet compiled code. */
    public static final int WARMUP_CALLS = 200;

    private final Engines engines;
    private final EngineOptions options;
    private final ServingPolicy serving;
    private final Clock clock;
    private final Ticker ticker;

    /** A loader using these engines, with default serving options. */
    public ModelLoader(Engines engines, EngineOptions options, Clock clock) {
        this(engines, options, (name, version) -> ServingOptions.defaults(), clock, Ticker.system());
    }

    /** The serving options of each model version. */
    @FunctionalInterface
    public interface ServingPolicy {
        /** The options model {@code name} version {@code version} is served with. */
        ServingOptions optionsFor(String name, long version);
    }

    /** A loader using these engines and the serving options each model version gets. */
    public ModelLoader(Engines engines, EngineOptions options, ServingPolicy serving, Clock clock, Ticker ticker) {
        this.engines = engines;
        this.options = options;
        this.serving = serving;
        this.clock = clock;
        this.ticker = ticker;
    }

    /**
     * Loads the version in {@code directory}, expected to hold model {@code name} version {@code version} (the
     * directory layout); a manifest that says otherwise fails the version.
     */
    public LoadedModel load(Path directory, String name, long version) {
        return load(directory, name, version, true);
    }

    /**
     * Loads a version as {@link #load(Path, String, long)} does; with {@code strictVersion} false the manifest may state
     * another version (a registry numbers versions itself), but it must still name the model.
     */
    public LoadedModel load(Path directory, String name, long version, boolean strictVersion) {
        ModelManifest manifest = null;
        ParityReport parity = null;
        ModelInstance instance = null;
        try {
            manifest = ManifestReader.read(directory);
            checkLayout(manifest, name, version, strictVersion);
            Path artifact = directory.resolve(manifest.artifact().file());
            Sha256.verify(artifact, manifest.artifact().sha256());
            instance = engines.forFormat(manifest.format()).load(new ModelArtifact(artifact, options));
            DataContract contract = DataContract.bind(manifest, instance.signature());
            if (manifest.golden() != null) {
                parity = ParityGate.run(contract, instance, manifest.golden(), directory);
                if (!parity.passed()) {
                    return refuse(name, version, directory, manifest, parity, parity.summary(), instance);
                }
            }
            warmUp(contract, instance, manifest, directory);
            LoadedModel loaded = LoadedModel.ready(
                    name,
                    version,
                    manifest,
                    directory,
                    contract,
                    instance,
                    parity,
                    serving.optionsFor(name, version),
                    clock,
                    ticker);
            LOG.info(
                    "model {}:{} READY ({}, {})",
                    name,
                    version,
                    manifest.format(),
                    parity == null ? "no golden examples" : parity.summary());
            return loaded;
        } catch (SlipwayException e) {
            return refuse(name, version, directory, manifest, parity, e.getMessage(), instance);
        } catch (RuntimeException e) {
            LOG.error("model {}:{} failed to load unexpectedly", name, version, e);
            return refuse(name, version, directory, manifest, parity, "unexpected failure: " + e, instance);
        }
    }

    private LoadedModel refuse(
            String name,
            long version,
            Path directory,
            @Nullable ModelManifest manifest,
            @Nullable ParityReport parity,
            String reason,
            @Nullable ModelInstance instance) {
        if (instance != null) {
            instance.close();
        }
        LOG.error("model {}:{} FAILED and will not serve: {}", name, version, reason);
        return LoadedModel.failed(name, version, directory, manifest, parity, reason, clock);
    }

    /** Runs the golden rows one by one until {@link #WARMUP_CALLS} calls have been made. */
    private static void warmUp(DataContract contract, ModelInstance instance, ModelManifest manifest, Path directory) {
        if (manifest.golden() == null) {
            return;
        }
        List<String> features =
                manifest.features().stream().map(FeatureSpec::name).toList();
        List<Map<String, @Nullable Object>> rows =
                CsvRows.read(directory.resolve(manifest.golden().file())).select(features);
        for (int call = 0; call < WARMUP_CALLS && !rows.isEmpty(); call++) {
            BoundBatch batch = contract.bindRecords(List.of(rows.get(call % rows.size())));
            contract.serve(instance.infer(batch.inputs()), List.of());
        }
    }

    /** A version refused before its directory could be read (such as a registry file failing its digest). */
    public LoadedModel refused(String name, long version, String reason) {
        return LoadedModel.failed(name, version, Path.of(""), null, null, reason, clock);
    }

    private static void checkLayout(ModelManifest manifest, String name, long version, boolean strictVersion) {
        if (!manifest.name().equals(name) || (strictVersion && manifest.version() != version)) {
            throw new SlipwayException(
                    dev.slipway.api.ErrorCode.CONFIG_INVALID,
                    "manifest says " + manifest.name() + ":" + manifest.version() + " (expected: " + name + ":"
                            + version + ", from the directory layout <name>/<version>/)");
        }
    }
}
