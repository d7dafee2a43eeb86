package dev.slipway.server.grpc;

import dev.slipway.api.SlipwayException;
import dev.slipway.server.Access;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Applies {@link Access} to gRPC calls from the {@code authorization} metadata, before any handler runs. */
final class AccessInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** The call's metadata, for routing keys and the pin header. */
    static final Context.Key<Metadata> HEADERS = Context.key("slipway-headers");

    private final Access access;

    AccessInterceptor(Access access) {
        this.access = access;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        try {
            access.check(need(call.getMethodDescriptor().getFullMethodName()), headers.get(AUTHORIZATION));
        } catch (SlipwayException e) {
            call.close(Status.fromCodeValue(e.code().grpcCode()).withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
    }

    private static Access.Need need(String method) {
        if (method.startsWith("grpc.health.") || method.endsWith("/ServerLive") || method.endsWith("/ServerReady")) {
            return Access.Need.NOTHING;
        }
        if (method.endsWith("/RepositoryModelLoad") || method.endsWith("/RepositoryModelUnload")) {
            return Access.Need.OPERATOR;
        }
        return Access.Need.INFERENCE;
    }
}
