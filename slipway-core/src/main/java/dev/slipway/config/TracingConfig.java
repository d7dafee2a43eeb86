package dev.slipway.config;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry tracing: spans per request (server, routing, contract, queue, engine) exported over OTLP, with the
 * caller's W3C {@code traceparent} continued on REST and gRPC. Off by default.
 *
 * <pre>
 * tracing:
 *   enabled: true
 *   endpoint: http://127.0.0.1:4317     # the collector's OTLP endpoint
 *   protocol: grpc                      # grpc (port 4317) or http/protobuf (port 4318, path /v1/traces)
 *   sample-ratio: 0.1                   # share of new traces kept; a caller's sampled flag is followed
 *   service-name: slipway               # the service.name resource attribute
 * </pre>
 *
 * @param enabled whether spans are made and exported
 * @param endpoint the OTLP endpoint
 * @param protocol {@code grpc} or {@code http/protobuf}
 * @param sampleRatio the share of root traces sampled, 0..1
 * @param serviceName the {@code service.name} of the spans
 */
public record TracingConfig(
        @Nullable Boolean enabled,
        @Nullable String endpoint,
        @Nullable String protocol,
        @Nullable Double sampleRatio,
        @Nullable String serviceName) {
    public static final String GRPC = "grpc";
    public static final String HTTP_PROTOBUF = "http/protobuf";

    public TracingConfig {
        enabled = enabled == null ? Boolean.FALSE : enabled;
        protocol = protocol == null ? GRPC : protocol;
        endpoint = endpoint == null
                ? (HTTP_PROTOBUF.equals(protocol) ? "http://127.0.0.1:4318/v1/traces" : "http://127.0.0.1:4317")
                : endpoint;
        sampleRatio = sampleRatio == null ? 1.0 : sampleRatio;
        serviceName = serviceName == null ? "slipway" : serviceName;
    }

    /** Tracing off. */
    public static TracingConfig off() {
        return new TracingConfig(null, null, null, null, null);
    }

    /** Whether spans are made and exported. */
    public boolean on() {
        return Boolean.TRUE.equals(enabled);
    }

    /** The endpoint (never null after construction). */
    public String endpointUrl() {
        return Objects.requireNonNull(endpoint);
    }

    /** The protocol (never null after construction). */
    public String protocolName() {
        return Objects.requireNonNull(protocol);
    }

    /** The sample ratio (never null after construction). */
    public double ratio() {
        return Objects.requireNonNull(sampleRatio);
    }

    /** The service name (never null after construction). */
    public String service() {
        return Objects.requireNonNull(serviceName);
    }

    void problems(String prefix, List<String> problems) {
        if (!GRPC.equals(protocol) && !HTTP_PROTOBUF.equals(protocol)) {
            problems.add(prefix + ".protocol: '" + protocol + "' (expected: grpc or http/protobuf)");
        }
        URI uri = null;
        try {
            uri = URI.create(endpointUrl());
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (uri == null
                || uri.getHost() == null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            problems.add(prefix + ".endpoint: '" + endpoint + "' (expected: an http:// or https:// URL with a host,"
                    + " such as http://127.0.0.1:4317)");
        }
        if (!(ratio() >= 0 && ratio() <= 1)) {
            problems.add(prefix + ".sample-ratio: " + sampleRatio + " (expected: 0..1)");
        }
        if (service().isBlank()) {
            problems.add(prefix + ".service-name: '" + serviceName + "' (expected: a name such as slipway)");
        }
    }
}
