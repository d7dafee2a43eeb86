package dev.slipway.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import dev.slipway.config.ModelsConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.config.ServingConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.server.SlipwayServer;
import dev.slipway.server.grpc.proto.DataType;
import dev.slipway.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.slipway.server.grpc.proto.InferParameter;
import dev.slipway.server.grpc.proto.InferTensorContents;
import dev.slipway.server.grpc.proto.ModelConfig;
import dev.slipway.server.grpc.proto.ModelConfigRequest;
import dev.slipway.server.grpc.proto.ModelInferRequest;
import dev.slipway.server.grpc.proto.ModelInferResponse;
import dev.slipway.server.grpc.proto.ModelMetadataRequest;
import dev.slipway.server.grpc.proto.ModelMetadataResponse;
import dev.slipway.server.grpc.proto.ModelOutput;
import dev.slipway.server.grpc.proto.ModelReadyRequest;
import dev.slipway.server.grpc.proto.ModelRepositoryParameter;
import dev.slipway.server.grpc.proto.ModelStatisticsRequest;
import dev.slipway.server.grpc.proto.RepositoryIndexRequest;
import dev.slipway.server.grpc.proto.RepositoryModelLoadRequest;
import dev.slipway.server.grpc.proto.RepositoryModelUnloadRequest;
import dev.slipway.server.grpc.proto.ServerLiveRequest;
import dev.slipway.server.grpc.proto.ServerMetadataRequest;
import dev.slipway.server.grpc.proto.ServerReadyRequest;
import dev.slipway.testing.FakeModels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rpc of {@code inference.GRPCInferenceService} and its status codes, through a real server and channel. */
class GrpcInferenceIT {
    static final float[] WEIGHTS = {0.5f, -1.25f, 2f};

    @TempDir
    static Path root;

    static SlipwayServer server;
    static ManagedChannel channel;
    static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeAll
    static void start() {
        FakeModels.write(root, "scorer", 1, WEIGHTS, 0.25f);
        FakeModels.write(root, "scorer", 2, WEIGHTS, -0.5f);
        FakeModels.write(root, "broken", 1, WEIGHTS, 0.25f, 0.5);
        FakeModels.write(root, "slow", 1, WEIGHTS, 0f);
        FakeModels.write(root, "spare", 1, WEIGHTS, 0f);
        FakeModels.failAbove(FakeModels.write(root, "flaky", 1, WEIGHTS, 0f), 50);
        ServingConfig serving = new ServingConfig(null, Map.of("slow", new ServingConfig.Entry(8, 2_000_000L, 1, 1)));
        SlipwayConfig config = new SlipwayConfig(
                ServerConfig.defaults().withAddress("127.0.0.1", 0, 0),
                new ModelsConfig(root.toString()),
                null,
                serving);
        server = SlipwayServer.start(config, Engines.discover(), Clock.systemUTC());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    static ModelInferRequest.Builder typedRequest(String model, float... row) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float value : row) {
            contents.addFp32Contents(value);
        }
        return ModelInferRequest.newBuilder()
                .setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input")
                        .setDatatype("FP32")
                        .addShape(row.length / 3)
                        .addShape(3)
                        .setContents(contents));
    }

    static ByteString raw(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return ByteString.copyFrom(buffer.array());
    }

    static float[] floats(ByteString bytes) {
        ByteBuffer buffer = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(out);
        return out;
    }

    static Status.Code code(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("expected a failed call");
    }

    @Test
    void healthAndServerMetadata() {
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
                .isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
                .isFalse();
        assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance())
                        .getExtensionsList())
                .contains("model_repository", "statistics");
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder()
                        .setService(GrpcServer.SERVICE)
                        .build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
    }

    @Test
    void modelReadyAndMetadata() {
        assertThat(stub.modelReady(
                                ModelReadyRequest.newBuilder().setName("scorer").build())
                        .getReady())
                .isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder()
                                .setName("broken")
                                .setVersion("1")
                                .build())
                        .getReady())
                .isFalse();
        assertThat(code(() -> stub.modelReady(
                        ModelReadyRequest.newBuilder().setName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> stub.modelReady(ModelReadyRequest.newBuilder()
                        .setName("scorer")
                        .setVersion("7")
                        .build())))
                .isEqualTo(Status.Code.NOT_FOUND);

        ModelMetadataResponse metadata = stub.modelMetadata(
                ModelMetadataRequest.newBuilder().setName("scorer").build());
        assertThat(metadata.getVersionsList()).containsExactly("1", "2");
        assertThat(metadata.getInputs(0).getShapeList()).containsExactly(-1L, 3L);
        assertThat(metadata.getOutputsList())
                .extracting(ModelMetadataResponse.TensorMetadata::getName)
                .containsExactly("probability", "positive", "label");
        assertThat(metadata.getPropertiesMap()).containsEntry("state", "READY");
        assertThat(code(() -> stub.modelMetadata(
                        ModelMetadataRequest.newBuilder().setName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void modelConfigInTritonsSchema() {
        ModelConfig config = stub.modelConfig(
                        ModelConfigRequest.newBuilder().setName("slow").build())
                .getConfig();

        assertThat(config.getName()).isEqualTo("slow");
        assertThat(config.getMaxBatchSize())
                .isEqualTo(ServerConfig.defaults().limits().maxRows());
        assertThat(config.getInput(0).getName()).isEqualTo("input");
        assertThat(config.getInput(0).getDataType()).isEqualTo(DataType.TYPE_FP32);
        assertThat(config.getInput(0).getDimsList()).containsExactly(3L);
        assertThat(config.getOutputList())
                .extracting(ModelOutput::getName, ModelOutput::getDataType)
                .containsExactly(
                        tuple("probability", DataType.TYPE_FP32),
                        tuple("positive", DataType.TYPE_BOOL),
                        tuple("label", DataType.TYPE_INT64));
        assertThat(config.getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(2_000_000L);
        assertThat(stub.modelConfig(ModelConfigRequest.newBuilder()
                                .setName("scorer")
                                .setVersion("1")
                                .build())
                        .getConfig()
                        .hasDynamicBatching())
                .isFalse();
        assertThat(code(() -> stub.modelConfig(
                        ModelConfigRequest.newBuilder().setName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void typedContentsInRawOutputsOut() {
        float[] row = {1f, 2f, 3f};
        ModelInferResponse response =
                stub.modelInfer(typedRequest("scorer", row).setId("abc").build());

        assertThat(response.getModelVersion()).isEqualTo("2");
        assertThat(response.getId()).isEqualTo("abc");
        assertThat(response.getRawOutputContentsCount()).isEqualTo(response.getOutputsCount());
        assertThat(response.getOutputs(0).hasContents()).isFalse();
        assertThat(response.getOutputs(0).getName()).isEqualTo("probability");
        assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L);
        assertThat(floats(response.getRawOutputContents(0))[0])
                .isCloseTo((float) FakeModels.probability(row, WEIGHTS, -0.5f), within(1e-7f));
        assertThat(response.getRawOutputContents(1).byteAt(0))
                .isEqualTo((byte) (FakeModels.probability(row, WEIGHTS, -0.5f) >= 0.5 ? 1 : 0));
    }

    @Test
    void rawInputContentsAndRequestedOutputs() {
        float[] rows = {1f, 2f, 3f, -4f, 0.5f, 0f};
        ModelInferRequest request = ModelInferRequest.newBuilder()
                .setModelName("scorer")
                .setModelVersion("1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input")
                        .setDatatype("FP32")
                        .addShape(2)
                        .addShape(3))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName("probability"))
                .addRawInputContents(raw(rows))
                .build();

        ModelInferResponse response = stub.modelInfer(request);

        assertThat(response.getOutputsList()).hasSize(1);
        float[] probabilities = floats(response.getRawOutputContents(0));
        assertThat(probabilities[0])
                .isCloseTo((float) FakeModels.probability(new float[] {1, 2, 3}, WEIGHTS, 0.25f), within(1e-7f));
        assertThat(probabilities[1])
                .isCloseTo((float) FakeModels.probability(new float[] {-4, 0.5f, 0}, WEIGHTS, 0.25f), within(1e-7f));
    }

    @Test
    void classificationParameterAnswersTopEntriesAsBytes() {
        float[] row = {1f, 2f, 3f};
        ModelInferRequest.InferRequestedOutputTensor.Builder classified =
                ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName("probability")
                        .putParameters(
                                "classification",
                                InferParameter.newBuilder().setInt64Param(3).build());

        ModelInferResponse response = stub.modelInfer(
                typedRequest("scorer", row).addOutputs(classified).build());

        assertThat(response.getOutputs(0).getDatatype()).isEqualTo("BYTES");
        assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 1L);
        ByteBuffer raw = response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] text = new byte[raw.getInt()];
        raw.get(text);
        assertThat(new String(text, StandardCharsets.UTF_8))
                .isEqualTo(
                        String.format(Locale.ROOT, "%f", (float) FakeModels.probability(row, WEIGHTS, -0.5f)) + ":0");

        ModelInferRequest.InferRequestedOutputTensor.Builder negative = classified.putParameters(
                "classification", InferParameter.newBuilder().setInt64Param(-2).build());
        assertThat(code(() -> stub.modelInfer(
                        typedRequest("scorer", row).addOutputs(negative).build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void badRequestsAreInvalidArgument() {
        ModelInferRequest mixed = typedRequest("scorer", 1, 2, 3)
                .addRawInputContents(raw(1, 2, 3))
                .build();
        ModelInferRequest shortRaw = ModelInferRequest.newBuilder()
                .setModelName("scorer")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input")
                        .setDatatype("FP32")
                        .addShape(1)
                        .addShape(3))
                .addRawInputContents(raw(1, 2))
                .build();
        ModelInferRequest violation = typedRequest("scorer", 1000, 2, 3).build();
        ModelInferRequest unknownOutput = typedRequest("scorer", 1, 2, 3)
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName("nope"))
                .build();

        assertThat(code(() -> stub.modelInfer(mixed))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> stub.modelInfer(shortRaw))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> stub.modelInfer(unknownOutput))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThatThrownBy(() -> stub.modelInfer(violation))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).isEqualTo("f0: 1000.0 (expected: -100..100)"));
    }

    @Test
    void unknownModelsAreNotFoundAndFailedVersionsUnavailable() {
        assertThat(code(() -> stub.modelInfer(typedRequest("nope", 1, 2, 3).build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> stub.modelInfer(
                        typedRequest("scorer", 1, 2, 3).setModelVersion("9").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> stub.modelInfer(typedRequest("broken", 1, 2, 3).build())))
                .isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void engineFailuresAreInternalWithoutInternals() {
        assertThatThrownBy(() -> stub.modelInfer(typedRequest("flaky", 60, 0, 0).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).isEqualTo("fake engine failure on row 0");
                });
        assertThat(stub.modelInfer(typedRequest("flaky", 10, 0, 0).build()).getOutputsCount())
                .isEqualTo(3);
    }

    @Test
    void theGrpcDeadlineDropsQueuedWork() {
        long before = server.repository().resolve("slow", null).stats().executionCount();

        Status.Code status = code(() -> stub.withDeadlineAfter(200, TimeUnit.MILLISECONDS)
                .modelInfer(typedRequest("slow", 1, 2, 3).build()));

        assertThat(status).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        org.awaitility.Awaitility.await()
                .atMost(10, TimeUnit.SECONDS)
                .until(() -> server.repository().resolve("slow", null).inFlight() == 0);
        assertThat(server.repository().resolve("slow", null).stats().executionCount())
                .isEqualTo(before);
    }

    @Test
    void beyondTheModelsConcurrencyLimitCallsAreRefusedAtOnce() throws Exception {
        GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub async = GRPCInferenceServiceGrpc.newFutureStub(channel);
        ListenableFuture<ModelInferResponse> first =
                async.modelInfer(typedRequest("slow", 1, 2, 3).build());
        org.awaitility.Awaitility.await()
                .atMost(10, TimeUnit.SECONDS)
                .until(() -> server.repository().resolve("slow", null).inFlight() == 1);

        assertThat(code(() -> stub.modelInfer(typedRequest("slow", 1, 2, 3).build())))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(first.get(10, TimeUnit.SECONDS).getOutputsCount()).isEqualTo(3);
    }

    @Test
    void statisticsCountInferences() {
        long before = stub.modelStatistics(ModelStatisticsRequest.newBuilder()
                        .setName("scorer")
                        .setVersion("1")
                        .build())
                .getModelStats(0)
                .getInferenceCount();

        stub.modelInfer(
                typedRequest("scorer", 1, 2, 3, 4, 5, 6).setModelVersion("1").build());

        var stats = stub.modelStatistics(ModelStatisticsRequest.newBuilder()
                        .setName("scorer")
                        .setVersion("1")
                        .build())
                .getModelStats(0);
        assertThat(stats.getInferenceCount()).isEqualTo(before + 2);
        assertThat(stats.getExecutionCount()).isPositive();
        assertThat(stats.getInferenceStats().getSuccess().getNs()).isPositive();
        assertThat(stats.getBatchStatsList())
                .anySatisfy(b -> assertThat(b.getBatchSize()).isEqualTo(2));
        assertThat(code(() -> stub.modelStatistics(
                        ModelStatisticsRequest.newBuilder().setName("nope").build())))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void repositoryIndexUnloadAndLoad() throws ExecutionException, InterruptedException {
        assertThat(stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance())
                        .getModelsList())
                .anySatisfy(m -> {
                    assertThat(m.getName()).isEqualTo("broken");
                    assertThat(m.getState()).isEqualTo("FAILED");
                    assertThat(m.getReason()).contains("parity gate failed");
                });
        assertThat(stub.repositoryIndex(RepositoryIndexRequest.newBuilder()
                                .setReady(true)
                                .build())
                        .getModelsList())
                .noneSatisfy(m -> assertThat(m.getName()).isEqualTo("broken"));

        stub.repositoryModelUnload(
                RepositoryModelUnloadRequest.newBuilder().setModelName("spare").build());
        assertThat(code(() -> stub.modelInfer(typedRequest("spare", 1, 2, 3).build())))
                .isEqualTo(Status.Code.UNAVAILABLE);
        stub.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("spare").build());
        assertThat(stub.modelInfer(typedRequest("spare", 1, 2, 3).build()).getModelName())
                .isEqualTo("spare");
        assertThat(code(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
                        .setModelName("ghost")
                        .build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
                        .setModelName("spare")
                        .putParameters(
                                "file:1/model.bin",
                                ModelRepositoryParameter.newBuilder()
                                        .setBytesParam(com.google.protobuf.ByteString.copyFromUtf8("x"))
                                        .build())
                        .build())))
                .isEqualTo(Status.Code.UNIMPLEMENTED);
    }
}
