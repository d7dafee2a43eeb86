package dev.slipway.inference;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.DataType;
import dev.slipway.spi.TensorSpec;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A model version in the shape of Triton's model configuration, which Triton clients and tools read ({@code
 * get_model_config}, perf_analyzer): with {@code maxBatchSize > 0} every tensor's first dimension is the batch and
 * {@code dims} leave it out; with 0 the dims are the whole shapes.
 *
 * @param name the model name
 * @param platform as in the model metadata ({@code onnxruntime_onnx}, {@code xgboost}, {@code slipway_rules})
 * @param backend the runtime behind it ({@code onnxruntime}, {@code xgboost}, {@code slipway_rules})
 * @param maxBatchSize the most rows one request may carry, or 0 when the tensors have no batch dimension
 * @param inputs the input tensors, shapes as dims
 * @param outputs the output tensors, shapes as dims
 * @param maxQueueDelay how long a request may wait to be batched with others; {@code null} without dynamic batching
 * @param instances engine workers running in parallel
 */
public record ModelConfiguration(
        String name,
        String platform,
        String backend,
        int maxBatchSize,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        @Nullable Duration maxQueueDelay,
        int instances) {
    public ModelConfiguration {
        requireNonNull(name, "name");
        requireNonNull(platform, "platform");
        requireNonNull(backend, "backend");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    static ModelConfiguration of(ModelMetadata metadata, ServingOptions serving, int maxRows) {
        boolean batched = Stream.concat(metadata.inputs().stream(), metadata.outputs().stream())
                        .allMatch(
                                spec -> !spec.shape().isEmpty() && spec.shape().get(0) < 0)
                && !metadata.inputs().isEmpty();
        return new ModelConfiguration(
                metadata.name(),
                metadata.platform(),
                metadata.platform().equals("onnxruntime_onnx") ? "onnxruntime" : metadata.platform(),
                batched ? maxRows : 0,
                batched ? withoutBatch(metadata.inputs()) : metadata.inputs(),
                batched ? withoutBatch(metadata.outputs()) : metadata.outputs(),
                serving.batching() ? serving.maxQueueDelay() : null,
                serving.instances());
    }

    /** Triton's name for a datatype: {@code TYPE_FP32}, {@code TYPE_STRING} for BYTES. */
    public static String typeName(DataType datatype) {
        return "TYPE_" + (datatype == DataType.BYTES ? "STRING" : datatype.name());
    }

    private static List<TensorSpec> withoutBatch(List<TensorSpec> specs) {
        return specs.stream()
                .map(spec -> new TensorSpec(
                        spec.name(),
                        spec.datatype(),
                        spec.shape().subList(1, spec.shape().size()),
                        spec.columnNames()))
                .toList();
    }
}
