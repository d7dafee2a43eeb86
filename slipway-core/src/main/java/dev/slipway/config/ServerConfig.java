package dev.slipway.config;

import dev.slipway.inference.Limits;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Network, threading and request limits of the serving process.
 *
 * @param host the address to bind; {@code 127.0.0.1} by default, so nothing is exposed until asked
 * @param httpPort the REST port, 8080 by default; 0 picks a free port
 * @param grpcPort the gRPC port, 8081 by default; 0 picks a free port, -1 turns gRPC off
 * @param ioThreads network event-loop threads; 0 means one per core
 * @param inferenceThreads threads running inference; 0 means one per core
 * @param maxBodyBytes the largest request body, in bytes
 * @param maxRows the most rows per request
 * @param maxTensorElements the most elements per input tensor
 * @param maxQueuedRequests requests waiting for an inference thread beyond which new ones are refused with 429
 */
public record ServerConfig(
        @Nullable String host,
        @Nullable Integer httpPort,
        @Nullable Integer grpcPort,
        @Nullable Integer ioThreads,
        @Nullable Integer inferenceThreads,
        @Nullable Long maxBodyBytes,
        @Nullable Integer maxRows,
        @Nullable Long maxTensorElements,
        @Nullable Integer maxQueuedRequests) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MAX_QUEUED_REQUESTS = 1024;
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_GRPC_PORT = 8081;

    public ServerConfig {
        host = host == null ? DEFAULT_HOST : host;
        httpPort = httpPort == null ? DEFAULT_HTTP_PORT : httpPort;
        grpcPort = grpcPort == null ? DEFAULT_GRPC_PORT : grpcPort;
        ioThreads = ioThreads == null ? 0 : ioThreads;
        inferenceThreads = inferenceThreads == null ? 0 : inferenceThreads;
        maxBodyBytes = maxBodyBytes == null ? Limits.DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        maxRows = maxRows == null ? Limits.DEFAULT_MAX_ROWS : maxRows;
        maxTensorElements = maxTensorElements == null ? Limits.DEFAULT_MAX_TENSOR_ELEMENTS : maxTensorElements;
        maxQueuedRequests = maxQueuedRequests == null ? DEFAULT_MAX_QUEUED_REQUESTS : maxQueuedRequests;
    }

    /** The defaults. */
    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null, null);
    }

    /** The same settings bound to another host and REST port, keeping the gRPC port. */
    public ServerConfig withAddress(String newHost, int newHttpPort) {
        return withAddress(newHost, newHttpPort, grpcPortNumber());
    }

    /** The same settings bound to another host and ports. */
    public ServerConfig withAddress(String newHost, int newHttpPort, int newGrpcPort) {
        return new ServerConfig(
                newHost,
                newHttpPort,
                newGrpcPort,
                ioThreads,
                inferenceThreads,
                maxBodyBytes,
                maxRows,
                maxTensorElements,
                maxQueuedRequests);
    }

    /** The request limits. */
    public Limits limits() {
        return new Limits(value(maxBodyBytes), value(maxRows), value(maxTensorElements));
    }

    /** The bind address (never null after construction). */
    public String bindHost() {
        return java.util.Objects.requireNonNull(host);
    }

    /** The REST port (never null after construction). */
    public int port() {
        return value(httpPort);
    }

    /** The gRPC port; -1 when gRPC is off. */
    public int grpcPortNumber() {
        return value(grpcPort);
    }

    /** Event-loop threads, resolved: one per core when 0. */
    public int resolvedIoThreads() {
        int configured = value(ioThreads);
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /** Inference threads, resolved: one per core when 0. */
    public int resolvedInferenceThreads() {
        int configured = value(inferenceThreads);
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /** Requests that may wait for an inference thread (never null after construction). */
    public int queueCapacity() {
        return value(maxQueuedRequests);
    }

    void problems(String path, List<String> problems) {
        if (value(maxQueuedRequests) < 1) {
            problems.add(path + ".max-queued-requests: " + maxQueuedRequests + " (expected: >= 1)");
        }
        if (bindHost().isBlank()) {
            problems.add(path + ".host: '' (expected: an address such as 127.0.0.1 or 0.0.0.0)");
        }
        if (port() < 0 || port() > 65535) {
            problems.add(path + ".http-port: " + port() + " (expected: 0..65535)");
        }
        if (grpcPortNumber() < -1 || grpcPortNumber() > 65535) {
            problems.add(path + ".grpc-port: " + grpcPortNumber() + " (expected: 0..65535, or -1 for no gRPC)");
        }
        if (value(ioThreads) < 0 || value(ioThreads) > 1024) {
            problems.add(path + ".io-threads: " + ioThreads + " (expected: 0..1024, 0 = one per core)");
        }
        if (value(inferenceThreads) < 0 || value(inferenceThreads) > 1024) {
            problems.add(path + ".inference-threads: " + inferenceThreads + " (expected: 0..1024, 0 = one per core)");
        }
        if (value(maxBodyBytes) < 1024 || value(maxBodyBytes) > Integer.MAX_VALUE) {
            problems.add(path + ".max-body-bytes: " + maxBodyBytes + " (expected: 1024.." + Integer.MAX_VALUE + ")");
        }
        if (value(maxRows) < 1) {
            problems.add(path + ".max-rows: " + maxRows + " (expected: >= 1)");
        }
        if (value(maxTensorElements) < 1 || value(maxTensorElements) > Integer.MAX_VALUE) {
            problems.add(
                    path + ".max-tensor-elements: " + maxTensorElements + " (expected: 1.." + Integer.MAX_VALUE + ")");
        }
    }

    private static int value(@Nullable Integer boxed) {
        return boxed == null ? 0 : boxed;
    }

    private static long value(@Nullable Long boxed) {
        return boxed == null ? 0 : boxed;
    }
}
