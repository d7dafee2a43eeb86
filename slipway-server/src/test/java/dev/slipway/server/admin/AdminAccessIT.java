package dev.slipway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.config.SecurityConfig;
import dev.slipway.security.Role;
import dev.slipway.security.TokenStore;
import dev.slipway.server.SlipwayServer;
import dev.slipway.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.slipway.server.grpc.proto.InferTensorContents;
import dev.slipway.server.grpc.proto.ModelInferRequest;
import dev.slipway.server.grpc.proto.RepositoryModelLoadRequest;
import dev.slipway.server.grpc.proto.ServerLiveRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every role against every kind of endpoint: missing or wrong token 401, too weak a role 403, otherwise served; no
 * error body carries a stack trace.
 */
class AdminAccessIT {
    static final String READER = TokenStore.newToken();
    static final String OPERATOR = TokenStore.newToken();
    static final String ADMIN = TokenStore.newToken();
    static final String INFER =
            "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}";

    @TempDir
    static Path temp;

    static RegistryServer registry;
    static SlipwayServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        registry = new RegistryServer(temp);
        registry.push("scorer", 0.25f, "production");
        registry.push("scorer", 0.5f, "candidate");
        Path tokens = Files.writeString(
                temp.resolve("tokens"),
                String.join(
                        "\n",
                        "# test tokens",
                        TokenStore.entry("ann", Role.READER, READER),
                        TokenStore.entry("otto", Role.OPERATOR, OPERATOR),
                        TokenStore.entry("ada", Role.ADMIN, ADMIN)));
        server = registry.start(new SecurityConfig(tokens.toString(), "reader", null, null));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** A call, with what to prepare before it; path and body are computed when it runs. */
    record Call(String method, Supplier<String> path, Supplier<byte[]> body, Runnable before) {
        static Call of(String method, String path, String body) {
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return new Call(method, () -> path, () -> bytes, () -> {});
        }

        @Override
        public String toString() {
            return method + " " + path.get().replaceAll("/versions/\\d+/archive", "/versions/N/archive");
        }
    }

    static final Call HEALTH = Call.of("GET", "/v2/health/ready", "");
    static final Call INFERENCE = Call.of("POST", "/v2/models/scorer/infer", INFER);
    static final Call METADATA = Call.of("GET", "/v2/models/scorer", "");
    static final Call LOAD = Call.of("POST", "/v2/repository/models/scorer/load", "");
    static final Call MODELS = Call.of("GET", "/admin/v1/models", "");
    static final Call VERSIONS = Call.of("GET", "/admin/v1/models/scorer", "");
    static final Call VERSION = Call.of("GET", "/admin/v1/models/scorer/versions/production", "");
    static final Call AUDIT = Call.of("GET", "/admin/v1/audit?model=scorer&limit=5", "");
    static final Call ALIAS =
            Call.of("PUT", "/admin/v1/models/scorer/aliases/staging", "{\"version\": 2, \"reason\": \"t\"}");
    static final Call UNALIAS = new Call(
            "DELETE",
            () -> "/admin/v1/models/scorer/aliases/staging",
            () -> new byte[0],
            () -> registry.registry.alias("scorer", 2, "staging", "setup", null));
    static final Call PUSH = new Call(
            "POST",
            () -> "/admin/v1/models/scorer/versions?alias=candidate&reason=retrain",
            () -> RegistryServer.zip(registry.version("scorer", 0.75f)),
            () -> {});

    /** Archives a version pushed just before, so each call has a live version to archive. */
    static Call archive() {
        long[] version = new long[1];
        return new Call(
                "POST",
                () -> "/admin/v1/models/scorer/versions/" + version[0] + "/archive",
                () -> "{\"reason\":\"old\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                () -> version[0] = registry.push("scorer", 0.05f * (1 + ARCHIVES.incrementAndGet()), null));
    }

    static final java.util.concurrent.atomic.AtomicInteger ARCHIVES = new java.util.concurrent.atomic.AtomicInteger();

    static List<Arguments> matrix() {
        String none = null;
        return List.of(
                // call, token, expected status
                Arguments.of(HEALTH, none, 200),
                Arguments.of(HEALTH, "Bearer nope", 200),
                Arguments.of(INFERENCE, none, 401),
                Arguments.of(INFERENCE, "Bearer nope", 401),
                Arguments.of(INFERENCE, bearer(READER), 200),
                Arguments.of(INFERENCE, bearer(OPERATOR), 200),
                Arguments.of(INFERENCE, bearer(ADMIN), 200),
                Arguments.of(METADATA, none, 401),
                Arguments.of(METADATA, bearer(READER), 200),
                Arguments.of(LOAD, none, 401),
                Arguments.of(LOAD, bearer(READER), 403),
                Arguments.of(LOAD, bearer(OPERATOR), 200),
                Arguments.of(LOAD, bearer(ADMIN), 200),
                Arguments.of(MODELS, none, 401),
                Arguments.of(MODELS, "Basic abc", 401),
                Arguments.of(MODELS, bearer(READER), 403),
                Arguments.of(MODELS, bearer(OPERATOR), 200),
                Arguments.of(MODELS, bearer(ADMIN), 200),
                Arguments.of(VERSIONS, bearer(READER), 403),
                Arguments.of(VERSIONS, bearer(OPERATOR), 200),
                Arguments.of(VERSION, bearer(READER), 403),
                Arguments.of(VERSION, bearer(ADMIN), 200),
                Arguments.of(AUDIT, none, 401),
                Arguments.of(AUDIT, bearer(READER), 403),
                Arguments.of(AUDIT, bearer(OPERATOR), 200),
                Arguments.of(ALIAS, none, 401),
                Arguments.of(ALIAS, bearer(READER), 403),
                Arguments.of(ALIAS, bearer(OPERATOR), 200),
                Arguments.of(ALIAS, bearer(ADMIN), 200),
                Arguments.of(UNALIAS, bearer(READER), 403),
                Arguments.of(UNALIAS, bearer(OPERATOR), 200),
                Arguments.of(UNALIAS, bearer(ADMIN), 200),
                Arguments.of(PUSH, none, 401),
                Arguments.of(PUSH, bearer(READER), 403),
                Arguments.of(PUSH, bearer(OPERATOR), 201),
                Arguments.of(PUSH, bearer(ADMIN), 201),
                Arguments.of(archive(), none, 401),
                Arguments.of(archive(), bearer(READER), 403),
                Arguments.of(archive(), bearer(OPERATOR), 403),
                Arguments.of(archive(), bearer(ADMIN), 200));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @MethodSource("matrix")
    void everyRoleMeetsEveryEndpoint(Call call, String authorization, int expected) throws Exception {
        call.before().run();
        String path = call.path().get();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        call.method(),
                        HttpRequest.BodyPublishers.ofByteArray(call.body().get()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }

        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        if (expected == 401) {
            assertThat(response.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"slipway\"");
        }
        if (path.startsWith("/admin/") && expected >= 400) {
            assertThat(response.body())
                    .contains("\"code\":\"" + (expected == 401 ? "UNAUTHENTICATED" : "PERMISSION_DENIED"));
        }
    }

    @ParameterizedTest(name = "gRPC {0}")
    @MethodSource("grpcMatrix")
    void grpcCallsFollowTheSameRules(String name, String token, Supplier<Object> ignored, Status.Code expected) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
        try {
            Metadata headers = new Metadata();
            if (token != null) {
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), token);
            }
            var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            Status.Code actual;
            try {
                switch (name) {
                    case "live" -> stub.serverLive(ServerLiveRequest.getDefaultInstance());
                    case "infer" -> stub.modelInfer(ModelInferRequest.newBuilder()
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
                    default -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
                            .setModelName("scorer")
                            .build());
                }
                actual = Status.Code.OK;
            } catch (StatusRuntimeException e) {
                actual = e.getStatus().getCode();
            }
            assertThat(actual).isEqualTo(expected);
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<Arguments> grpcMatrix() {
        Supplier<Object> none = () -> null;
        return List.of(
                Arguments.of("live", null, none, Status.Code.OK),
                Arguments.of("infer", null, none, Status.Code.UNAUTHENTICATED),
                Arguments.of("infer", "Bearer nope", none, Status.Code.UNAUTHENTICATED),
                Arguments.of("infer", bearer(READER), none, Status.Code.OK),
                Arguments.of("load", bearer(READER), none, Status.Code.PERMISSION_DENIED),
                Arguments.of("load", bearer(OPERATOR), none, Status.Code.OK));
    }
}
