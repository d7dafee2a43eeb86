package dev.slipway.inference;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RecordsRequest;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.contract.DataContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * The one dispatch path every protocol adapter calls: resolves the model version, checks the request against its
 * contract, runs the engine and shapes the outputs. Synchronous and thread-safe.
 */
public final class InferenceService {
    /** A deadline that never passes. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final int MAX_RESOLVE_ATTEMPTS = 3;

    private final ModelRepository repository;
    private final Limits limits;
    private final ServerMetadata server;

    /** A service over a repository. */
    public InferenceService(ModelRepository repository, Limits limits, ServerMetadata server) {
        this.repository = repository;
        this.limits = limits;
        this.server = server;
    }

    /** The repository served. */
    public ModelRepository repository() {
        return repository;
    }

    /** The request limits. */
    public Limits limits() {
        return limits;
    }

    /** The server metadata. */
    public ServerMetadata server() {
        return server;
    }

    /** Whether the server is ready: every known model has a ready version. */
    public boolean ready() {
        return repository.allModelsServing();
    }

    /**
     * Runs a tensor request and waits for it.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND}, {@code MODEL_NOT_READY}, {@code INVALID_INPUT}, {@code
     *     PAYLOAD_TOO_LARGE}, {@code OVERLOADED}, {@code DEADLINE_EXCEEDED} or {@code ENGINE_FAILURE}
     */
    public InferenceResponse infer(InferenceRequest request) {
        return join(inferAsync(request, NO_DEADLINE));
    }

    /**
     * Runs a tensor request: checks and binds it on the calling thread, then completes when the engine (directly or
     * through the model's batcher) has answered.
     *
     * @param deadlineNanos the {@link dev.slipway.api.Ticker} time after which the work is dropped; {@link
     *     #NO_DEADLINE} for none
     * @throws SlipwayException for what is found before the engine is queued (the future carries the rest)
     */
    public CompletableFuture<InferenceResponse> inferAsync(InferenceRequest request, long deadlineNanos) {
        if (!request.inputs().isEmpty()) {
            checkRows(
                    request.inputs().get(0).rank() == 0
                            ? 1
                            : request.inputs().get(0).dim(0));
        }
        return submit(
                request.model(),
                request.version(),
                model -> model.submit(
                        contract -> contract.bindTensors(request.inputs()),
                        (contract, outputs) -> new InferenceResponse(
                                model.name(),
                                model.versionString(),
                                request.id(),
                                contract.serve(outputs, request.outputs()),
                                Map.of()),
                        deadlineNanos));
    }

    /**
     * Resolves the version and submits to it. A request without a version that meets its version being swapped out
     * (between reading the snapshot and admission) is resolved again, so swapping the default version never fails a
     * request.
     */
    private <T> CompletableFuture<T> submit(
            String name,
            @Nullable String version,
            java.util.function.Function<LoadedModel, CompletableFuture<T>> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.apply(repository.resolve(name, version));
            } catch (SlipwayException e) {
                boolean versionless = version == null || version.isEmpty();
                if (e.code() != ErrorCode.MODEL_NOT_READY || !versionless || attempt == MAX_RESOLVE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Runs a records request and waits for it.
     *
     * @throws SlipwayException as {@link #infer}
     */
    public RecordsResponse predict(RecordsRequest request) {
        return join(predictAsync(request, NO_DEADLINE));
    }

    /** Runs a records request asynchronously, as {@link #inferAsync}. */
    public CompletableFuture<RecordsResponse> predictAsync(RecordsRequest request, long deadlineNanos) {
        checkRows(request.instances().size());
        int rows = request.instances().size();
        return submit(
                request.model(),
                request.version(),
                model -> model.submit(
                        contract -> contract.bindRecords(request.instances()),
                        (contract, outputs) -> new RecordsResponse(
                                model.name(),
                                model.versionString(),
                                DataContract.toRecords(contract.serve(outputs, List.of()), rows)),
                        deadlineNanos));
    }

    /** Waits for a result, rethrowing its failure as thrown by the work. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void checkRows(long rows) {
        if (rows > limits.maxRows()) {
            throw new SlipwayException(
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "rows: " + rows + " (expected: at most " + limits.maxRows() + " per request; split the batch)");
        }
    }

    /**
     * Whether a model version is ready.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} for an unknown model or version
     */
    public boolean modelReady(String name, @Nullable String version) {
        if (version == null || version.isEmpty()) {
            return repository.versions(name).values().stream().anyMatch(LoadedModel::ready);
        }
        return repository
                .find(name, version)
                .orElseThrow(() -> SlipwayException.modelNotFound(name, version))
                .ready();
    }

    /**
     * Describes a model version; without a version, the one requests go to (or the newest, when none is ready).
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} for an unknown model or version
     */
    public ModelMetadata metadata(String name, @Nullable String version) {
        NavigableMap<Long, LoadedModel> versions = repository.versions(name);
        LoadedModel model = described(name, version, versions);
        List<String> ready = new ArrayList<>();
        for (LoadedModel candidate : versions.values()) {
            if (candidate.ready()) {
                ready.add(candidate.versionString());
            }
        }
        List<String> listed = version == null || version.isEmpty() ? ready : List.of(model.versionString());
        DataContract contract = model.contract();
        ModelManifest manifest = model.manifest();
        return new ModelMetadata(
                name,
                listed,
                platform(manifest),
                contract == null ? List.of() : contract.inputSpecs(),
                contract == null ? List.of() : contract.outputSpecs(),
                properties(model, manifest));
    }

    /**
     * The feature names of the version {@link #metadata} describes, in the order its contract lists them: what a
     * record given as an array of values means.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND}, or {@code MODEL_NOT_READY} when that version has no contract
     */
    public List<String> featureNames(String name, @Nullable String version) {
        LoadedModel model = described(name, version, repository.versions(name));
        ModelManifest manifest = model.manifest();
        if (manifest == null) {
            throw model.notReady();
        }
        return manifest.features().stream().map(FeatureSpec::name).toList();
    }

    /**
     * Describes a model version as Triton's model configuration (the {@code model_configuration} extension): what
     * {@link #metadata} says, with the batch dimension split off and how the version is batched.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} for an unknown model or version
     */
    public ModelConfiguration configuration(String name, @Nullable String version) {
        LoadedModel model = described(name, version, repository.versions(name));
        return ModelConfiguration.of(metadata(name, model.versionString()), model.serving(), limits.maxRows());
    }

    /** The version a description without a version is of: the one requests go to; else the one asked for. */
    private LoadedModel described(String name, @Nullable String version, NavigableMap<Long, LoadedModel> versions) {
        if (version == null || version.isEmpty()) {
            return defaultOrNewest(name, versions);
        }
        return repository.find(name, version).orElseThrow(() -> SlipwayException.modelNotFound(name, version));
    }

    /** The version requests without a version go to; the newest when none is ready, so its reason can be shown. */
    private LoadedModel defaultOrNewest(String name, NavigableMap<Long, LoadedModel> versions) {
        if (versions.isEmpty()) {
            throw SlipwayException.modelNotFound(name, null);
        }
        try {
            return repository.resolve(name, null);
        } catch (SlipwayException e) {
            if (e.code() != ErrorCode.MODEL_NOT_READY) {
                throw e;
            }
            return versions.lastEntry().getValue();
        }
    }

    private static String platform(@Nullable ModelManifest manifest) {
        if (manifest == null) {
            return "unknown";
        }
        return switch (manifest.format()) {
            case "onnx" -> "onnxruntime_onnx";
            case "rules" -> "slipway_rules";
            default -> manifest.format();
        };
    }

    private static Map<String, String> properties(LoadedModel model, @Nullable ModelManifest manifest) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("version", model.versionString());
        properties.put("state", model.state().name());
        if (model.reason() != null) {
            properties.put("reason", model.reason());
        }
        if (model.parity() != null) {
            properties.put("parity", model.parity().summary());
        }
        if (manifest == null) {
            return properties;
        }
        properties.put("format", manifest.format());
        properties.put("description", manifest.description());
        properties.put("owners.team", manifest.owners().team());
        properties.put("owners.on-call", manifest.owners().onCall());
        if (manifest.slo().p99LatencyMs() != null) {
            properties.put("slo.p99-latency-ms", manifest.slo().p99LatencyMs().toString());
        }
        if (manifest.slo().maxErrorRate() != null) {
            properties.put("slo.max-error-rate", manifest.slo().maxErrorRate().toString());
        }
        if (manifest.retraining() != null) {
            properties.put("retraining.cadence", manifest.retraining().cadence().toString());
        }
        for (FeatureSpec feature : manifest.features()) {
            properties.put("feature." + feature.name(), describe(feature));
        }
        return properties;
    }

    private static String describe(FeatureSpec feature) {
        StringBuilder text = new StringBuilder(feature.type().name().toLowerCase(java.util.Locale.ROOT));
        if (feature.unit() != null) {
            text.append(", unit ").append(feature.unit());
        }
        text.append(", expected ").append(feature.expectation());
        if (feature.nullable()) {
            text.append(", nullable");
        }
        if (feature.defaultValue() != null) {
            text.append(", default ").append(feature.defaultValue());
        }
        return text.toString();
    }
}
