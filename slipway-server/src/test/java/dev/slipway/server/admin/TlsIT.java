package dev.slipway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.config.SecurityConfig;
import dev.slipway.server.SlipwayServer;
import dev.slipway.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.slipway.server.grpc.proto.ServerLiveRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REST and gRPC over TLS from PEM files (a self-signed certificate made by src/test/resources/tls/make_cert.sh). */
class TlsIT {
    static final Path CERT = Path.of("src/test/resources/tls/cert.pem");
    static final Path KEY = Path.of("src/test/resources/tls/key.pem");

    @TempDir
    static Path temp;

    static RegistryServer registry;
    static SlipwayServer server;

    @BeforeAll
    static void start() {
        registry = new RegistryServer(temp);
        registry.push("scorer", 0.25f, "production");
        server = registry.start(new SecurityConfig(null, null, CERT.toString(), KEY.toString()));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    static SSLContext trusting() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = java.nio.file.Files.newInputStream(CERT)) {
            store.setCertificateEntry(
                    "slipway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void restAnswersOverHttpsAndNotOverPlainHttp() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting()).build();
        HttpResponse<String> response = https.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.httpPort() + "/v2/models/scorer/infer"))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"model_version\":\"1\"");
        assertThatThrownBy(() -> HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + server.httpPort() + "/v2/health/ready"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void grpcAnswersOverTls() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .sslContext(
                        GrpcSslContexts.forClient().trustManager(CERT.toFile()).build())
                .build();
        try {
            assertThat(GRPCInferenceServiceGrpc.newBlockingStub(channel)
                            .serverLive(ServerLiveRequest.getDefaultInstance())
                            .getLive())
                    .isTrue();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
