package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A model version's manifest ({@code model.yaml} beside its artifact): what the model is, the data contract of its
 * inputs and outputs, how to prove parity with the notebook, its SLO and its owners. File names are relative to the
 * manifest's directory.
 *
 * @param name model name: lower-case letters, digits, {@code -}, {@code _} and {@code .}; at most 64 characters
 * @param version positive version number
 * @param format engine format: {@code onnx}, {@code xgboost} or {@code rules}
 * @param description what the model does, for humans
 * @param artifact the model file and its sha256
 * @param features the named input features, in declaration order
 * @param tensors how features map to the columns of the model's input tensors
 * @param outputs the outputs the service returns
 * @param golden golden examples for the parity gate, if any
 * @param reference the reference sample for drift checks, if any
 * @param slo the service level objective
 * @param owners who owns and answers for the model
 * @param retraining when the model is retrained, if stated
 * @param drift how the version is watched for drift; {@link DriftSpec#defaults()} when the manifest says nothing
 */
public record ModelManifest(
        String name,
        long version,
        String format,
        String description,
        ArtifactSpec artifact,
        List<FeatureSpec> features,
        List<TensorBinding> tensors,
        List<OutputSpec> outputs,
        @Nullable GoldenSpec golden,
        @Nullable ReferenceSpec reference,
        SloSpec slo,
        Owners owners,
        @Nullable Retraining retraining,
        DriftSpec drift) {
    public ModelManifest {
        requireNonNull(name, "name");
        requireNonNull(format, "format");
        requireNonNull(description, "description");
        requireNonNull(artifact, "artifact");
        features = List.copyOf(features);
        tensors = List.copyOf(tensors);
        outputs = List.copyOf(outputs);
        requireNonNull(slo, "slo");
        requireNonNull(owners, "owners");
        requireNonNull(drift, "drift");
    }

    /** A manifest without a {@code drift:} section: default drift settings. */
    public ModelManifest(
            String name,
            long version,
            String format,
            String description,
            ArtifactSpec artifact,
            List<FeatureSpec> features,
            List<TensorBinding> tensors,
            List<OutputSpec> outputs,
            @Nullable GoldenSpec golden,
            @Nullable ReferenceSpec reference,
            SloSpec slo,
            Owners owners,
            @Nullable Retraining retraining) {
        this(
                name,
                version,
                format,
                description,
                artifact,
                features,
                tensors,
                outputs,
                golden,
                reference,
                slo,
                owners,
                retraining,
                DriftSpec.defaults());
    }

    /** The version as the protocol renders it: a decimal string. */
    public String versionString() {
        return Long.toString(version);
    }

    /** The feature with this name, if declared. */
    public Optional<FeatureSpec> feature(String featureName) {
        return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
    }
}
