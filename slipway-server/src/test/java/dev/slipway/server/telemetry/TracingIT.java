package dev.slipway.server.telemetry;

import static dev.slipway.server.telemetry.TelemetryModels.inferBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.config.ModelsConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.config.ServingConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.server.SlipwayServer;
import dev.slipway.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.slipway.server.grpc.proto.InferTensorContents;
import dev.slipway.server.grpc.proto.ModelInferRequest;
import dev.slipway.testing.FakeModels;
import dev.slipway.trace.Spans;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracing on a real server: the caller's W3C {@code traceparent} (REST header, gRPC metadata) becomes the parent of the
 * server span, and routing, contract validation, queueing and the engine call are its descendants. Spans go to an
 * in-memory exporter through the server's {@code OpenTelemetry} seam.
 */
class TracingIT {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final String[] CHILDREN = {Spans.ROUTE, Spans.CONTRACT, Spans.QUEUE, Spans.ENGINE};

    @TempDir
    static Path root;

    static OpenTelemetrySdk sdk;
    static SlipwayServer server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() {
        TelemetryModels.plain(root, "scorer");
        FakeModels.failAbove(TelemetryModels.plain(root, "failing"), 50);
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(SPANS))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        // batched, so a request waits in the version's queue before its engine call
        ServingConfig serving = new ServingConfig(null, Map.of("scorer", new ServingConfig.Entry(8, 0L, null, null)));
        SlipwayConfig config = new SlipwayConfig(
                ServerConfig.defaults().withAddress("127.0.0.1", 0, 0),
                new ModelsConfig(root.toString()),
                null,
                serving);
        server = SlipwayServer.start(config, Engines.discover(), Clock.systemUTC(), sdk);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (sdk != null) {
            sdk.close();
        }
    }

    @BeforeEach
    void forgetSpans() {
        SPANS.reset();
    }

    static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The finished spans of one trace, once its server span and {@code expected} spans in all have ended. */
    static List<SpanData> trace(String traceId, int expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<SpanData> spans = finished(traceId);
            return spans.size() >= expected && spans.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER);
        });
        return finished(traceId);
    }

    static List<SpanData> finished(String traceId) {
        return SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId))
                .toList();
    }

    static SpanData server(List<SpanData> spans) {
        List<SpanData> servers =
                spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).toList();
        assertThat(servers).as("server spans of %s", spans).hasSize(1);
        return servers.get(0);
    }

    /** Asserts that each child span exists once and descends from the server span. */
    static void assertChildrenOf(SpanData server, List<SpanData> spans) {
        Map<String, SpanData> byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
        for (String name : CHILDREN) {
            List<SpanData> named =
                    spans.stream().filter(s -> s.getName().equals(name)).toList();
            assertThat(named).as("%s among %s", name, spans).hasSize(1);
            SpanData span = named.get(0);
            while (!span.getParentSpanId().equals(server.getSpanId())) {
                SpanData parent = byId.get(span.getParentSpanId());
                assertThat(parent)
                        .as("the parent of %s within the trace (spans: %s)", span.getName(), spans)
                        .isNotNull();
                span = parent;
            }
        }
    }

    @Test
    void aRestRequestContinuesTheCallersTrace() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";

        HttpResponse<String> response = post(
                "/v2/models/scorer/infer",
                inferBody(new float[] {1, 2, 3}),
                "traceparent",
                "00-" + traceId + "-" + callerSpan + "-01");

        assertThat(response.statusCode()).isEqualTo(200);
        List<SpanData> spans = trace(traceId, 1 + CHILDREN.length);
        SpanData server = server(spans);
        assertThat(server.getName()).isEqualTo("POST /v2/models/{model}/infer");
        assertThat(server.getParentSpanId()).isEqualTo(callerSpan);
        assertThat(server.getParentSpanContext().isRemote()).isTrue();
        assertThat(server.getAttributes().get(AttributeKey.stringKey("slipway.model")))
                .isEqualTo("scorer");
        assertThat(server.getAttributes().get(AttributeKey.longKey("slipway.version")))
                .isEqualTo(1L);
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                .isEqualTo(200L);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("slipway.request_id")))
                .isEqualTo(response.headers().firstValue("x-request-id").orElseThrow());
        assertChildrenOf(server, spans);
    }

    @Test
    void aGrpcRequestContinuesTheCallersTrace() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String callerSpan = "b7ad6b7169203331";
        Metadata metadata = new Metadata();
        metadata.put(
                Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                "00-" + traceId + "-" + callerSpan + "-01");

        GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .modelInfer(ModelInferRequest.newBuilder()
                        .setModelName("scorer")
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                .setName("input")
                                .setDatatype("FP32")
                                .addShape(1)
                                .addShape(3)
                                .setContents(InferTensorContents.newBuilder()
                                        .addFp32Contents(1)
                                        .addFp32Contents(2)
                                        .addFp32Contents(3)))
                        .build());

        List<SpanData> spans = trace(traceId, 1 + CHILDREN.length);
        SpanData server = server(spans);
        assertThat(server.getName()).isEqualTo("inference.GRPCInferenceService/ModelInfer");
        assertThat(server.getParentSpanId()).isEqualTo(callerSpan);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.system")))
                .isEqualTo("grpc");
        assertThat(server.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code")))
                .isZero();
        assertChildrenOf(server, spans);
    }

    @Test
    void withoutATraceparentTheServerSpanStartsATrace() throws Exception {
        assertThat(post("/v2/models/scorer/infer", inferBody(new float[] {1, 2, 3}))
                        .statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> SPANS.getFinishedSpanItems().stream().anyMatch(s -> s.getKind() == SpanKind.SERVER));
        SpanData server = SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER)
                .findFirst()
                .orElseThrow();
        assertThat(server.getParentSpanContext().isValid()).isFalse();
        assertThat(server.getTraceId()).isNotEqualTo("00000000000000000000000000000000");
    }

    @Test
    void aServerSideFailureMarksTheServerSpan() throws Exception {
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";

        HttpResponse<String> response = post(
                "/v2/models/failing/infer",
                inferBody(new float[] {60, 0, 0}),
                "traceparent",
                "00-" + traceId + "-00f067aa0ba902b8-01");

        assertThat(response.statusCode()).isEqualTo(500);
        SpanData server = server(trace(traceId, 1));
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo("ENGINE_FAILURE");
        assertThat(Optional.ofNullable(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))))
                .hasValue(500L);
    }
}
