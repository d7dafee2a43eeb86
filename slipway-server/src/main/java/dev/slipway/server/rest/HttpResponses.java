package dev.slipway.server.rest;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.server.telemetry.RequestLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds REST responses. Errors keep the protocol's {@code {"error": "..."}} body; the stable code travels in the
 * {@code Slipway-Error-Code} header. Unexpected exceptions become 500 with a generic message and are logged once with
 * the request id.
 */
final class HttpResponses {
    static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");
    static final AsciiString ERROR_CODE = AsciiString.cached("slipway-error-code");
    private static final Logger LOG = LoggerFactory.getLogger(HttpResponses.class);

    private HttpResponses() {}

    /** The caller's {@code x-request-id} when it is safe to echo (1-128 visible ASCII characters), else null. */
    static @Nullable String givenRequestId(HttpHeaders headers) {
        String given = headers.get(REQUEST_ID);
        if (given != null
                && !given.isEmpty()
                && given.length() <= 128
                && given.chars().allMatch(c -> c > 32 && c < 127)) {
            return given;
        }
        return null;
    }

    static FullHttpResponse json(HttpResponseStatus status, ByteBuf body, String requestId) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(REQUEST_ID, requestId);
        return response;
    }

    static FullHttpResponse empty(HttpResponseStatus status, String requestId) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0).set(REQUEST_ID, requestId);
        return response;
    }

    static FullHttpResponse error(ChannelHandlerContext ctx, Throwable failure, String requestId) {
        SlipwayException error = failure instanceof SlipwayException slipway ? slipway : unexpected(failure, requestId);
        ByteBuf body = JsonBodies.write(ctx.alloc(), JsonBodies.error(error.getMessage()));
        FullHttpResponse response = json(HttpResponseStatus.valueOf(error.code().httpStatus()), body, requestId);
        response.headers().set(ERROR_CODE, error.code().name());
        if (error.code() == ErrorCode.OVERLOADED) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        if (error.code() == ErrorCode.UNAUTHENTICATED) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"slipway\"");
        }
        if (!error.code().clientError()) {
            try (RequestLog ids = RequestLog.of(requestId)) {
                LOG.warn("request {} failed: {} {}", requestId, error.code(), error.getMessage());
            }
        }
        return response;
    }

    private static SlipwayException unexpected(Throwable failure, String requestId) {
        try (RequestLog ids = RequestLog.of(requestId)) {
            LOG.error("request {} failed unexpectedly", requestId, failure);
        }
        return new SlipwayException(ErrorCode.INTERNAL, "internal error (request id " + requestId + ")");
    }
}
