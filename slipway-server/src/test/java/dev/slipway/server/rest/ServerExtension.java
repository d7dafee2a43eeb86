package dev.slipway.server.rest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.config.EnginesConfig;
import dev.slipway.config.ModelsConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.config.ServingConfig;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.inference.Engines;
import dev.slipway.server.SlipwayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@link SlipwayServer} on 127.0.0.1, port 0, over a temporary model repository written before the test
 * class runs, and stops it afterwards (Armeria's {@code ServerExtension}, configured inline). Requests go through the
 * JDK's stock {@link HttpClient}.
 */
final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<Consumer<Path>> models = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    private long maxBodyBytes = 64 * 1024;
    private int maxRows = 100;
    private long maxTensorElements = 10_000;
    private ServingConfig serving = ServingConfig.none();
    private @Nullable Path root;
    private @Nullable SlipwayServer server;

    /** Serves these model versions. */
    ServerExtension models(TestModel... added) {
        for (TestModel model : added) {
            models.add(model::writeTo);
        }
        return this;
    }

    /** Serves the model versions {@code writer} puts into the repository directory it is given. */
    ServerExtension repository(Consumer<Path> writer) {
        models.add(writer);
        return this;
    }

    /** The request limits (defaults: 64 KiB bodies, 100 rows, 10,000 elements per tensor). */
    /** Serves with these batching and admission settings. */
    ServerExtension serving(ServingConfig settings) {
        this.serving = settings;
        return this;
    }

    ServerExtension limits(long bodyBytes, int rows, long tensorElements) {
        this.maxBodyBytes = bodyBytes;
        this.maxRows = rows;
        this.maxTensorElements = tensorElements;
        return this;
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    int maxRows() {
        return maxRows;
    }

    long maxTensorElements() {
        return maxTensorElements;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path directory = Files.createTempDirectory("slipway-rest-");
        root = directory;
        for (Consumer<Path> model : models) {
            model.accept(directory);
        }
        ServerConfig serverConfig =
                new ServerConfig("127.0.0.1", 0, -1, 1, 2, maxBodyBytes, maxRows, maxTensorElements, 1024);
        SlipwayConfig config = new SlipwayConfig(
                serverConfig, new ModelsConfig(directory.toString()), EnginesConfig.defaults(), serving);
        server = SlipwayServer.start(config, Engines.discover(), Clock.systemUTC());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (root != null) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(file);
                    }
                }
            }
        }
    }

    /** The running server. */
    SlipwayServer server() {
        return requireNonNull(server, "server not started");
    }

    int port() {
        return server().httpPort();
    }

    /** An address on the server; {@code path} is used as is, percent-escapes included. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    HttpClient client() {
        return client;
    }

    /** A request builder for {@code path} with the default timeout. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
    }

    HttpResult get(String path) {
        return send(request(path).GET());
    }

    /** POSTs a JSON body with {@code Content-Type: application/json}. */
    HttpResult post(String path, String body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResult send(HttpRequest.Builder request) {
        return send(client, request.build());
    }

    static HttpResult send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new HttpResult(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response: status, headers and body text, with the body parsed on demand. */
    record HttpResult(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("body is not JSON: " + body, e);
            }
        }

        @Nullable
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
