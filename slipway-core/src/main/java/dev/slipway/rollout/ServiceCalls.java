package dev.slipway.rollout;

import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RecordsRequest;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.Tensor;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.OutputKind;
import dev.slipway.api.manifest.OutputSpec;
import dev.slipway.inference.InferenceService;
import dev.slipway.inference.LoadedModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Routed calls over the dispatch path: the same request run on whichever model version routing picks, with each
 * answer's scores taken from the answering version's first probability or score output (its decision threshold with
 * it), as the judge and the shadow comparison need them.
 */
public final class ServiceCalls {
    private ServiceCalls() {}

    /** A tensor request as a routed call. */
    public static Router.Call<InferenceResponse> infer(InferenceService service, InferenceRequest request) {
        return (model, version, deadline) -> service.inferAsync(
                        new InferenceRequest(
                                model,
                                version == null ? null : Long.toString(version),
                                request.id(),
                                request.inputs(),
                                request.outputs(),
                                request.parameters()),
                        deadline)
                .thenApply(response -> {
                    Optional<OutputSpec> decision = decision(service, response.model(), response.version());
                    return new Answer<>(
                            response,
                            response.model(),
                            Long.parseLong(response.version()),
                            decision.map(spec -> tensorScores(response, spec.name()))
                                    .orElse(new double[0]),
                            threshold(decision));
                });
    }

    /** A records request as a routed call. */
    public static Router.Call<RecordsResponse> predict(InferenceService service, RecordsRequest request) {
        return (model, version, deadline) -> service.predictAsync(
                        new RecordsRequest(model, version == null ? null : Long.toString(version), request.instances()),
                        deadline)
                .thenApply(response -> {
                    Optional<OutputSpec> decision = decision(service, response.model(), response.version());
                    return new Answer<>(
                            response,
                            response.model(),
                            Long.parseLong(response.version()),
                            decision.map(spec -> recordScores(response.predictions(), spec.name()))
                                    .orElse(new double[0]),
                            threshold(decision));
                });
    }

    /** The first probability or score output the answering version declares. */
    private static Optional<OutputSpec> decision(InferenceService service, String model, String version) {
        ModelManifest manifest = service.repository()
                .find(model, version)
                .map(LoadedModel::manifest)
                .orElse(null);
        if (manifest == null) {
            return Optional.empty();
        }
        return manifest.outputs().stream()
                .filter(output -> output.kind() == OutputKind.PROBABILITY || output.kind() == OutputKind.SCORE)
                .findFirst();
    }

    private static double threshold(Optional<OutputSpec> decision) {
        @Nullable Double threshold = decision.map(OutputSpec::threshold).orElse(null);
        return threshold == null ? Double.NaN : threshold;
    }

    /** One score per row: the first element of each row of the named output. */
    private static double[] tensorScores(InferenceResponse response, String name) {
        for (Tensor output : response.outputs()) {
            if (output.name().equals(name)) {
                int rows = output.rank() == 0 ? 1 : (int) output.dim(0);
                int perRow = rows == 0 ? 0 : output.size() / rows;
                double[] scores = new double[rows];
                for (int row = 0; row < rows; row++) {
                    scores[row] = output.data().asDouble(row * perRow);
                }
                return scores;
            }
        }
        return new double[0];
    }

    private static double[] recordScores(List<Map<String, Object>> records, String name) {
        double[] scores = new double[records.size()];
        for (int row = 0; row < scores.length; row++) {
            Object value = records.get(row).get(name);
            scores[row] = value instanceof Number number ? number.doubleValue() : Double.NaN;
        }
        return scores;
    }
}
