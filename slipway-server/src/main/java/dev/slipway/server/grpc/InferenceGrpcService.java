package dev.slipway.server.grpc;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Ticker;
import dev.slipway.inference.InferenceService;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelMetadata;
import dev.slipway.observe.Served;
import dev.slipway.observe.ServingListeners;
import dev.slipway.rollout.EndpointPolicy;
import dev.slipway.rollout.Router;
import dev.slipway.rollout.ServiceCalls;
import dev.slipway.server.Access;
import dev.slipway.server.RepositoryLoad;
import dev.slipway.server.Routing;
import dev.slipway.server.Statistics;
import dev.slipway.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.slipway.server.grpc.proto.ModelConfigRequest;
import dev.slipway.server.grpc.proto.ModelConfigResponse;
import dev.slipway.server.grpc.proto.ModelInferRequest;
import dev.slipway.server.grpc.proto.ModelInferResponse;
import dev.slipway.server.grpc.proto.ModelMetadataRequest;
import dev.slipway.server.grpc.proto.ModelMetadataResponse;
import dev.slipway.server.grpc.proto.ModelReadyRequest;
import dev.slipway.server.grpc.proto.ModelReadyResponse;
import dev.slipway.server.grpc.proto.ModelStatisticsRequest;
import dev.slipway.server.grpc.proto.ModelStatisticsResponse;
import dev.slipway.server.grpc.proto.RepositoryIndexRequest;
import dev.slipway.server.grpc.proto.RepositoryIndexResponse;
import dev.slipway.server.grpc.proto.RepositoryModelLoadRequest;
import dev.slipway.server.grpc.proto.RepositoryModelLoadResponse;
import dev.slipway.server.grpc.proto.RepositoryModelUnloadRequest;
import dev.slipway.server.grpc.proto.RepositoryModelUnloadResponse;
import dev.slipway.server.grpc.proto.ServerLiveRequest;
import dev.slipway.server.grpc.proto.ServerLiveResponse;
import dev.slipway.server.grpc.proto.ServerMetadataRequest;
import dev.slipway.server.grpc.proto.ServerMetadataResponse;
import dev.slipway.server.grpc.proto.ServerReadyRequest;
import dev.slipway.server.grpc.proto.ServerReadyResponse;
import dev.slipway.server.telemetry.RequestLog;
import dev.slipway.server.telemetry.ServerTracing;
import dev.slipway.server.telemetry.Traced;
import dev.slipway.spi.TensorSpec;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The Open Inference Protocol over gRPC: the same dispatch path as REST, a thin adapter. Small requests run on the
 * gRPC transport thread; big ones and repository changes go to the inference executor.
 */
final class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    /** Requests above this many raw bytes are decoded and run on the inference executor. */
    static final int INLINE_BYTES = 64 * 1024;

    private final InferenceService service;
    private final Router router;
    private final ServingListeners listeners;
    private final Access access;
    private final Executor inference;
    private final GrpcCodec codec;
    private final Ticker ticker;
    private final @Nullable ServerTracing tracing;

    InferenceGrpcService(
            InferenceService service,
            Router router,
            ServingListeners listeners,
            Access access,
            Executor inference,
            Ticker ticker,
            @Nullable ServerTracing tracing) {
        this.service = service;
        this.router = router;
        this.listeners = listeners;
        this.access = access;
        this.inference = inference;
        this.codec = new GrpcCodec(service.limits());
        this.ticker = ticker;
        this.tracing = tracing;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> response) {
        answer(response, "ServerLive", () -> ServerLiveResponse.newBuilder()
                .setLive(true)
                .build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> response) {
        answer(response, "ServerReady", () -> ServerReadyResponse.newBuilder()
                .setReady(service.ready())
                .build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
        answer(response, "ModelReady", () -> ModelReadyResponse.newBuilder()
                .setReady(service.modelReady(request.getName(), emptyToNull(request.getVersion())))
                .build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> response) {
        answer(response, "ServerMetadata", () -> ServerMetadataResponse.newBuilder()
                .setName(service.server().name())
                .setVersion(service.server().version())
                .addAllExtensions(service.server().extensions())
                .build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> response) {
        answer(response, "ModelMetadata", () -> {
            ModelMetadata metadata = service.metadata(request.getName(), emptyToNull(request.getVersion()));
            ModelMetadataResponse.Builder builder = ModelMetadataResponse.newBuilder()
                    .setName(metadata.name())
                    .addAllVersions(metadata.versions())
                    .setPlatform(metadata.platform())
                    .putAllProperties(metadata.properties());
            for (TensorSpec input : metadata.inputs()) {
                builder.addInputs(tensor(input));
            }
            for (TensorSpec output : metadata.outputs()) {
                builder.addOutputs(tensor(output));
            }
            return builder.build();
        });
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> response) {
        answer(response, "ModelConfig", () -> ModelConfigResponse.newBuilder()
                .setConfig(
                        GrpcModelConfig.of(service.configuration(request.getName(), emptyToNull(request.getVersion()))))
                .build());
    }

    private static ModelMetadataResponse.TensorMetadata tensor(TensorSpec spec) {
        return ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(spec.name())
                .setDatatype(spec.datatype().name())
                .addAllShape(spec.shape())
                .build();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
        long arrival = ticker.nanos();
        long deadline = deadline();
        Metadata headers = AccessInterceptor.HEADERS.get();
        Metadata metadata = headers == null ? new Metadata() : headers;
        int bytes = request.getSerializedSize();
        if (bytes <= INLINE_BYTES) {
            infer(request, deadline, arrival, metadata, response);
            return;
        }
        try {
            inference.execute(() -> infer(request, deadline, arrival, metadata, response));
        } catch (RejectedExecutionException e) {
            response.onError(GrpcErrors.status(
                    new SlipwayException(
                            ErrorCode.OVERLOADED, "server is overloaded: inference queue is full (retry later)"),
                    "ModelInfer"));
        }
    }

    private void infer(
            ModelInferRequest message,
            long deadline,
            long arrival,
            Metadata headers,
            StreamObserver<ModelInferResponse> response) {
        if (tracing == null) {
            infer(message, deadline, arrival, headers, response, null);
            return;
        }
        Traced trace =
                tracing.start(SPAN, headers, METADATA, false, requestId(message, arrival), message.getModelName());
        try (Scope scope = Traced.enter(trace)) {
            infer(message, deadline, arrival, headers, response, trace);
        }
    }

    private static final String SPAN = "inference.GRPCInferenceService/ModelInfer";

    /** Reads the W3C trace context from the call's metadata. */
    private static final TextMapGetter<Metadata> METADATA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata carrier) {
            return carrier.keys();
        }

        @Override
        public @Nullable String get(@Nullable Metadata carrier, String key) {
            return carrier == null ? null : carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        }
    };

    private static String requestId(ModelInferRequest message, long arrival) {
        return message.getId().isEmpty() ? "grpc-" + arrival : message.getId();
    }

    private void infer(
            ModelInferRequest message,
            long deadline,
            long arrival,
            Metadata headers,
            StreamObserver<ModelInferResponse> response,
            @Nullable Traced trace) {
        InferenceRequest decoded = null;
        try {
            InferenceRequest request = codec.request(message);
            decoded = request;
            String version = request.version();
            CompletableFuture<Router.Routed<InferenceResponse>> answer;
            if (version != null && !version.isEmpty()) {
                service.repository().resolve(request.model(), version);
                answer = ServiceCalls.infer(service, request)
                        .run(request.model(), Long.parseLong(version), deadline)
                        .thenApply(result -> new Router.Routed<>(result, Router.PINNED, 0));
            } else {
                Long pinned = Routing.pinned(headers.get(PIN));
                if (pinned != null) {
                    access.check(Access.Need.OPERATOR, headers.get(AUTHORIZATION));
                }
                EndpointPolicy policy = router.policy(request.model());
                answer = router.route(
                        new Router.Request(
                                request.model(),
                                Routing.key(
                                        policy,
                                        request.parameters(),
                                        name -> headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER))),
                                pinned,
                                deadline),
                        ServiceCalls.infer(service, request));
            }
            answer.whenComplete((result, failure) -> {
                if (failure != null) {
                    fail(response, failure, message, arrival, trace);
                } else {
                    try {
                        response.onNext(GrpcCodec.response(Routing.stamp(result)));
                        response.onCompleted();
                    } catch (RuntimeException e) {
                        fail(response, e, message, arrival, trace);
                    }
                }
                report(message, arrival, request, result, failure, trace);
            });
        } catch (RuntimeException e) {
            fail(response, e, message, arrival, trace);
            report(message, arrival, decoded, null, e, trace);
        }
    }

    /** Answers with the failure; its log line (for server-side failures) carries the request and trace ids. */
    private static void fail(
            StreamObserver<ModelInferResponse> response,
            Throwable failure,
            ModelInferRequest message,
            long arrival,
            @Nullable Traced trace) {
        try (Scope scope = Traced.enter(trace);
                RequestLog ids = RequestLog.of(requestId(message, arrival))) {
            response.onError(GrpcErrors.status(failure, "ModelInfer"));
        }
    }

    /** Tells the listeners how a request went; nothing to do when nobody listens. */
    private void report(
            ModelInferRequest message,
            long arrival,
            @Nullable InferenceRequest request,
            Router.@Nullable Routed<?> routed,
            @Nullable Throwable failure,
            @Nullable Traced trace) {
        Traced.end(trace, routed, failure);
        if (listeners.active()) {
            listeners.served(Served.of(
                    listeners.now(),
                    requestId(message, arrival),
                    "grpc",
                    message.getModelName(),
                    ticker.nanos() - arrival,
                    request,
                    request == null ? 0 : Served.rows(request),
                    routed,
                    failure));
        }
    }

    private static final Metadata.Key<String> PIN =
            Metadata.Key.of(Routing.PIN_HEADER, Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** The caller's gRPC deadline on the {@link Ticker}, or none. */
    private long deadline() {
        Deadline deadline = Context.current().getDeadline();
        if (deadline == null) {
            return InferenceService.NO_DEADLINE;
        }
        return ticker.nanos() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> response) {
        answer(response, "ModelStatistics", () -> {
            ModelStatisticsResponse.Builder builder = ModelStatisticsResponse.newBuilder();
            for (LoadedModel model : Statistics.select(
                    service.repository(), emptyToNull(request.getName()), emptyToNull(request.getVersion()))) {
                builder.addModelStats(GrpcStatistics.of(model));
            }
            return builder.build();
        });
    }

    @Override
    public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> response) {
        answer(response, "RepositoryIndex", () -> {
            RepositoryIndexResponse.Builder builder = RepositoryIndexResponse.newBuilder();
            for (LoadedModel model : service.repository().all()) {
                if (request.getReady() && !model.ready()) {
                    continue;
                }
                builder.addModels(RepositoryIndexResponse.ModelIndex.newBuilder()
                        .setName(model.name())
                        .setVersion(model.versionString())
                        .setState(model.state().name())
                        .setReason(model.reason() == null ? "" : model.reason()));
            }
            return builder.build();
        });
    }

    @Override
    public void repositoryModelLoad(
            RepositoryModelLoadRequest request, StreamObserver<RepositoryModelLoadResponse> response) {
        offload(response, "RepositoryModelLoad", () -> {
            RepositoryLoad.refuseSuppliedFiles(request.getParametersMap().keySet());
            service.repository().load(request.getModelName());
            return RepositoryModelLoadResponse.getDefaultInstance();
        });
    }

    @Override
    public void repositoryModelUnload(
            RepositoryModelUnloadRequest request, StreamObserver<RepositoryModelUnloadResponse> response) {
        offload(response, "RepositoryModelUnload", () -> {
            service.repository().unload(request.getModelName());
            return RepositoryModelUnloadResponse.getDefaultInstance();
        });
    }

    private <T> void offload(StreamObserver<T> response, String method, Supplier<T> work) {
        try {
            inference.execute(() -> answer(response, method, work));
        } catch (RejectedExecutionException e) {
            response.onError(GrpcErrors.status(
                    new SlipwayException(ErrorCode.OVERLOADED, "server is overloaded (retry later)"), method));
        }
    }

    private static <T> void answer(StreamObserver<T> response, String method, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.status(e, method));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    private static @Nullable String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }
}
