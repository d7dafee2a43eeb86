package dev.slipway.server.rest;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;

/** Aggregates request bodies up to the limit; a bigger body gets 413 with the protocol's error body, then a close. */
final class LimitedAggregator extends HttpObjectAggregator {
    private final long maxBytes;

    LimitedAggregator(int maxBytes) {
        super(maxBytes, true);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse response = tooLarge(ctx.alloc(), oversized);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
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
