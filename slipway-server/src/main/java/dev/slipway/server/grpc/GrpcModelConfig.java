package dev.slipway.server.grpc;

import dev.slipway.inference.ModelConfiguration;
import dev.slipway.server.grpc.proto.DataType;
import dev.slipway.server.grpc.proto.ModelConfig;
import dev.slipway.server.grpc.proto.ModelDynamicBatching;
import dev.slipway.server.grpc.proto.ModelInput;
import dev.slipway.server.grpc.proto.ModelInstanceGroup;
import dev.slipway.server.grpc.proto.ModelOutput;
import dev.slipway.spi.TensorSpec;
import java.time.Duration;

/** A {@link ModelConfiguration} as the {@code ModelConfig} message of Triton's schema. */
final class GrpcModelConfig {
    private GrpcModelConfig() {}

    static ModelConfig of(ModelConfiguration configuration) {
        ModelConfig.Builder config = ModelConfig.newBuilder()
                .setName(configuration.name())
                .setPlatform(configuration.platform())
                .setBackend(configuration.backend())
                .setMaxBatchSize(configuration.maxBatchSize())
                .addInstanceGroup(ModelInstanceGroup.newBuilder()
                        .setName(configuration.name())
                        .setKind(ModelInstanceGroup.Kind.KIND_CPU)
                        .setCount(configuration.instances()));
        for (TensorSpec input : configuration.inputs()) {
            config.addInput(ModelInput.newBuilder()
                    .setName(input.name())
                    .setDataType(type(input))
                    .addAllDims(input.shape()));
        }
        for (TensorSpec output : configuration.outputs()) {
            config.addOutput(ModelOutput.newBuilder()
                    .setName(output.name())
                    .setDataType(type(output))
                    .addAllDims(output.shape()));
        }
        Duration delay = configuration.maxQueueDelay();
        if (delay != null) {
            config.setDynamicBatching(
                    ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(delay.toNanos() / 1000));
        }
        return config.build();
    }

    private static DataType type(TensorSpec spec) {
        return DataType.valueOf(ModelConfiguration.typeName(spec.datatype()));
    }
}
