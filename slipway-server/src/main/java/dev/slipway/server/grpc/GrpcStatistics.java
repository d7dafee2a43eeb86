package dev.slipway.server.grpc;

import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelStats;
import dev.slipway.server.grpc.proto.InferBatchStatistics;
import dev.slipway.server.grpc.proto.InferStatistics;
import dev.slipway.server.grpc.proto.ModelStatistics;
import dev.slipway.server.grpc.proto.StatisticDuration;

/** A model version's counters as the statistics extension's message. */
final class GrpcStatistics {
    private GrpcStatistics() {}

    static ModelStatistics of(LoadedModel model) {
        ModelStats stats = model.stats();
        ModelStatistics.Builder builder = ModelStatistics.newBuilder()
                .setName(model.name())
                .setVersion(model.versionString())
                .setLastInference(stats.lastInferenceMillis())
                .setInferenceCount(stats.inferenceCount())
                .setExecutionCount(stats.executionCount())
                .setInferenceStats(InferStatistics.newBuilder()
                        .setSuccess(duration(stats.success()))
                        .setFail(duration(stats.fail()))
                        .setQueue(duration(stats.queue()))
                        .setComputeInput(duration(new ModelStats.Duration(0, 0)))
                        .setComputeInfer(duration(stats.computeInfer()))
                        .setComputeOutput(duration(new ModelStats.Duration(0, 0))));
        for (ModelStats.BatchStat batch : stats.batches()) {
            builder.addBatchStats(InferBatchStatistics.newBuilder()
                    .setBatchSize(batch.batchSize())
                    .setComputeInfer(duration(batch.compute())));
        }
        return builder.build();
    }

    private static StatisticDuration duration(ModelStats.Duration duration) {
        return StatisticDuration.newBuilder()
                .setCount(duration.count())
                .setNs(duration.nanos())
                .build();
    }
}
