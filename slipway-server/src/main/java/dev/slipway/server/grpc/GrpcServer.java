package dev.slipway.server.grpc;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Ticker;
import dev.slipway.config.SecurityConfig;
import dev.slipway.config.ServerConfig;
import dev.slipway.inference.InferenceService;
import dev.slipway.observe.ServingListeners;
import dev.slipway.rollout.Router;
import dev.slipway.server.Access;
import dev.slipway.server.telemetry.Telemetry;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The gRPC listener: {@code inference.GRPCInferenceService} and the standard {@code grpc.health.v1.Health} service
 * (SERVING while the server is ready, refreshed every second) on their own port.
 */
public final class GrpcServer implements AutoCloseable {
    static final String SERVICE = "inference.GRPCInferenceService";

    private final Server server;
    private final ScheduledExecutorService healthRefresh;

    private GrpcServer(Server server, ScheduledExecutorService healthRefresh) {
        this.server = server;
        this.healthRefresh = healthRefresh;
    }

    /** Binds the gRPC port and starts serving. */
    public static GrpcServer start(
            InferenceService service,
            Router router,
            ServingListeners listeners,
            ServerConfig config,
            Executor inference,
            Ticker ticker,
            Access access,
            @Nullable SecurityConfig tls,
            Telemetry telemetry) {
        HealthStatusManager health = new HealthStatusManager();
        NettyServerBuilder builder =
                NettyServerBuilder.forAddress(new InetSocketAddress(config.bindHost(), config.grpcPortNumber()));
        if (tls != null && tls.tls()) {
            try {
                builder.sslContext(GrpcSslContexts.forServer(
                                new File(java.util.Objects.requireNonNull(tls.tlsCert())),
                                new File(java.util.Objects.requireNonNull(tls.tlsKey())))
                        .build());
            } catch (IOException | IllegalArgumentException e) {
                throw new SlipwayException(
                        ErrorCode.CONFIG_INVALID, "gRPC TLS certificate or key cannot be used: " + e.getMessage(), e);
            }
        }
        Server server = builder.directExecutor()
                .intercept(new AccessInterceptor(access))
                .maxInboundMessageSize(
                        (int) Math.min(Integer.MAX_VALUE, service.limits().maxBodyBytes()))
                .addService(new InferenceGrpcService(
                        service, router, listeners, access, inference, ticker, telemetry.tracing()))
                .addService(health.getHealthService())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot listen for gRPC on " + config.bindHost() + ":" + config.grpcPortNumber() + ": "
                            + e.getMessage() + " (expected: a free port; 0 picks one, -1 turns gRPC off)",
                    e);
        }
        ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slipway-grpc-health");
            thread.setDaemon(true);
            return thread;
        });
        refresh.scheduleAtFixedRate(
                () -> {
                    ServingStatus status = service.ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
                    health.setStatus("", status);
                    health.setStatus(SERVICE, status);
                },
                0,
                1,
                TimeUnit.SECONDS);
        return new GrpcServer(server, refresh);
    }

    /** The bound port. */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        healthRefresh.shutdownNow();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
