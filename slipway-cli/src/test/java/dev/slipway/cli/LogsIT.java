package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.slipway.server.grpc.proto.InferTensorContents;
import dev.slipway.server.grpc.proto.ModelInferRequest;
import dev.slipway.testing.FakeModels;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log lines of {@code slipway serve} about a failed request carry its request id and the trace id of the caller's
 * {@code traceparent}: JSON objects with {@code logging.format: json}, a {@code [trace_id=...]} suffix in text.
 */
class LogsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Pattern REST_URL = Pattern.compile("REST \\(Open Inference Protocol v2\\)\\s+(http://\\S+)/v2");
    static final Pattern GRPC_PORT = Pattern.compile("gRPC \\(inference.GRPCInferenceService.*\\)\\s+\\S+:(\\d+)");
    static final float[] WEIGHTS = {0.5f, -1.25f, 2f};

    @TempDir
    Path temp;

    /** Starts {@code slipway serve} on free ports over a model that fails above f0 = 50, tracing on. */
    Processes.Running serve(String format) throws Exception {
        FakeModels.failAbove(FakeModels.write(temp.resolve("models"), "failing", 1, WEIGHTS, 0f), 50);
        // the collector's port is closed: spans are dropped, which only logs
        Path config = Files.writeString(
                temp.resolve("slipway.yaml"),
                """
                models: {repository: models}
                tracing: {enabled: true, endpoint: "http://127.0.0.1:9", sample-ratio: 1}
                logging: {format: %s}
                """
                        .formatted(format));
        return Processes.java(
                temp,
                SlipwayCli.class.getName(),
                "serve",
                "--config",
                config.toString(),
                "--port",
                "0",
                "--grpc-port",
                "0");
    }

    static HttpResponse<String> failOverRest(String base, String traceparent) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/v2/models/failing/infer"))
                        .header("traceparent", traceparent)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3],\"datatype\":\"FP32\","
                                        + "\"data\":[60,0,0]}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonLogLinesCarryTheRequestIdAndTheTraceId() throws Exception {
        try (Processes.Running server = serve("json")) {
            String base = server.await(REST_URL, 60).group(1);
            int grpcPort = Integer.parseInt(server.await(GRPC_PORT, 10).group(1));
            String restTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

            HttpResponse<String> response = failOverRest(base, "00-" + restTrace + "-00f067aa0ba902b7-01");

            assertThat(response.statusCode()).isEqualTo(500);
            String requestId = response.headers().firstValue("x-request-id").orElseThrow();
            JsonNode rest =
                    JSON.readTree(server.await(Pattern.compile("^\\{.*\"" + Pattern.quote(requestId) + "\".*"), 20)
                            .group());
            assertThat(rest.path("level").asText()).isEqualTo("WARN");
            assertThat(rest.path("mdc").path("request_id").asText()).isEqualTo(requestId);
            assertThat(rest.path("mdc").path("trace_id").asText()).isEqualTo(restTrace);
            assertThat(rest.path("mdc").path("span_id").asText()).matches("[0-9a-f]{16}");
            assertThat(rest.path("formattedMessage").asText()).contains("ENGINE_FAILURE");

            String grpcTrace = "0af7651916cd43dd8448eb211c80319c";
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
                    .usePlaintext()
                    .build();
            try {
                Metadata metadata = new Metadata();
                metadata.put(
                        Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                        "00-" + grpcTrace + "-b7ad6b7169203331-01");
                assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(channel)
                                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                                .modelInfer(ModelInferRequest.newBuilder()
                                        .setModelName("failing")
                                        .setId("truck-42-ping-7")
                                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                                                .setName("input")
                                                .setDatatype("FP32")
                                                .addShape(1)
                                                .addShape(3)
                                                .setContents(InferTensorContents.newBuilder()
                                                        .addFp32Contents(60)
                                                        .addFp32Contents(0)
                                                        .addFp32Contents(0)))
                                        .build()))
                        .isInstanceOf(StatusRuntimeException.class);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            JsonNode grpc = JSON.readTree(server.await(Pattern.compile("^\\{.*\"truck-42-ping-7\".*"), 20)
                    .group());
            assertThat(grpc.path("mdc").path("request_id").asText()).isEqualTo("truck-42-ping-7");
            assertThat(grpc.path("mdc").path("trace_id").asText()).isEqualTo(grpcTrace);
        }
    }

    @Test
    void textLogLinesEndWithTheTraceId() throws Exception {
        try (Processes.Running server = serve("text")) {
            String base = server.await(REST_URL, 60).group(1);
            String trace = "5bf92f3577b34da6a3ce929d0e0e4737";

            HttpResponse<String> response = failOverRest(base, "00-" + trace + "-00f067aa0ba902b8-01");

            assertThat(response.statusCode()).isEqualTo(500);
            String requestId = response.headers().firstValue("x-request-id").orElseThrow();
            Matcher line = server.await(Pattern.compile("request " + Pattern.quote(requestId) + " failed.*"), 20);
            assertThat(line.group()).contains("ENGINE_FAILURE").endsWith("[trace_id=" + trace + "]");
        }
    }
}
