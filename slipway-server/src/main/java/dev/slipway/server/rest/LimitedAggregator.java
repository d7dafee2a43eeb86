package dev.slipway.server.rest;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import org.jspecify.annotations.Nullable;

/**
 * Aggregates request bodies up to the limit; a bigger body gets 413 with the protocol's error body. The rest of a body
 * whose declared length is too big is discarded and the connection kept; a body found too big while streaming closes it.
 */
final class LimitedAggregator extends HttpObjectAggregator {
    private final long maxBytes;

    LimitedAggregator(int maxBytes) {
        super(maxBytes, true);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse response = tooLarge(ctx.alloc(), oversized);
        // Closing while the client still sends the declared body resets the connection, and the reset can destroy the
        // 413 before the client reads it; so, like Netty's own aggregator, keep a keep-alive connection open and let
        // the aggregator discard the rest of the body. Close only when the body was already partly aggregated.
        if (oversized instanceof FullHttpMessage || !HttpUtil.isKeepAlive(oversized)) {
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    @Override
    protected @Nullable Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse full
                && full.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            full.release();
            return tooLarge(pipeline.channel().alloc(), start);
        }
        return response;
    }

    private FullHttpResponse tooLarge(ByteBufAllocator allocator, HttpMessage request) {
        String requestId = HttpResponses.givenRequestId(request.headers());
        SlipwayException error = new SlipwayException(
                ErrorCode.PAYLOAD_TOO_LARGE,
                "body: larger than " + maxBytes + " bytes (expected: at most " + maxBytes
                        + "; split the batch or raise server.max-body-bytes)");
        FullHttpResponse response = HttpResponses.json(
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                JsonBodies.write(allocator, JsonBodies.error(error.getMessage())),
                requestId == null ? "oversized" : requestId);
        response.headers().set(HttpResponses.ERROR_CODE, error.code().name());
        return response;
    }
}
