package dev.slipway.server.grpc;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns failures into gRPC statuses through {@link ErrorCode}'s table; anything unexpected becomes a generic INTERNAL. */
final class GrpcErrors {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {}

    static StatusRuntimeException status(Throwable failure, String method) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof StatusRuntimeException status) {
            return status;
        }
        if (cause instanceof SlipwayException slipway) {
            if (!slipway.code().clientError()) {
                LOG.warn("gRPC {} failed: {} {}", method, slipway.code(), slipway.getMessage());
            }
            return Status.fromCodeValue(slipway.code().grpcCode())
                    .withDescription(slipway.getMessage())
                    .asRuntimeException();
        }
        LOG.error("gRPC {} failed unexpectedly", method, cause);
        return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }
}
