package dev.slipway.server.rest;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.SlipwayException;
import dev.slipway.inference.InferenceService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Serves the Open Inference Protocol v2 REST endpoints, the repository extension and the KServe V1 records endpoints.
 * Health and metadata answer on the event loop; inference and repository changes run on the inference executor, so
 * the event loop never waits on an engine. A full executor answers 429 at once.
 */
@ChannelHandler.Sharable
final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final InferenceService service;
    private final Executor inference;
    private final InferRequestDecoder inferDecoder;
    private final RecordsRequestDecoder recordsDecoder;
    private final AtomicLong requestCounter = new AtomicLong();
    private final String requestIdPrefix = Long.toString(System.identityHashCode(this), 36) + "-";

    RestHandler(InferenceService service, Executor inference) {
        this.service = service;
        this.inference = inference;
        this.inferDecoder = new InferRequestDecoder(service.limits());
        this.recordsDecoder = new RecordsRequestDecoder(service.limits());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String requestId = requestId(request);
        if (!request.decoderResult().isSuccess()) {
            FullHttpResponse response = HttpResponses.error(
                    ctx,
                    SlipwayException.invalidInput(
                            "request: malformed HTTP (%s)",
                            request.decoderResult().cause()),
                    requestId);
            // after a malformed message the decoder discards all further input, so the connection is done
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            respond(ctx, response);
            return;
        }
        Route.Match match;
        try {
            match = Route.match(request.uri());
        } catch (SlipwayException e) {
            respond(ctx, HttpResponses.error(ctx, e, requestId));
            return;
        }
        if (match == null) {
            String path = new QueryStringDecoder(request.uri()).path();
            respond(
                    ctx,
                    HttpResponses.error(
                            ctx,
                            new SlipwayException(
                                    ErrorCode.ROUTE_NOT_FOUND,
                                    "Not Found: no endpoint at '" + JsonInput.abbreviate(path) + "'"),
                            requestId));
            return;
        }
        if (!request.method().equals(match.route().method())) {
            FullHttpResponse response = HttpResponses.error(
                    ctx,
                    new SlipwayException(
                            ErrorCode.METHOD_NOT_ALLOWED,
                            "Method Not Allowed: " + request.method() + " (expected: "
                                    + match.route().method() + ")"),
                    requestId);
            response.headers().set(HttpHeaderNames.ALLOW, match.route().method().name());
            respond(ctx, response);
            return;
        }
        try {
            switch (match.route()) {
                case MODEL_INFER, V1_PREDICT, REPOSITORY_LOAD, REPOSITORY_UNLOAD -> offload(
                        ctx, request, match, requestId);
                default -> respond(ctx, inline(ctx, match, request, requestId));
            }
        } catch (RuntimeException e) {
            respond(ctx, HttpResponses.error(ctx, e, requestId));
        }
    }

    private String requestId(FullHttpRequest request) {
        String given = HttpResponses.givenRequestId(request.headers());
        return given != null ? given : requestIdPrefix + requestCounter.incrementAndGet();
    }

    private FullHttpResponse inline(ChannelHandlerContext ctx, Route.Match match, FullHttpRequest request, String id) {
        return switch (match.route()) {
            case SERVER_LIVE -> HttpResponses.json(
                    HttpResponseStatus.OK, JsonBodies.write(ctx.alloc(), JsonBodies.flag("live", true)), id);
            case SERVER_READY -> serverReady(ctx, id);
            case SERVER_METADATA -> HttpResponses.json(
                    HttpResponseStatus.OK, JsonBodies.write(ctx.alloc(), JsonBodies.server(service.server())), id);
            case MODEL_METADATA -> HttpResponses.json(
                    HttpResponseStatus.OK,
                    JsonBodies.write(ctx.alloc(), JsonBodies.metadata(service.metadata(model(match), match.version()))),
                    id);
            case MODEL_READY, V1_MODEL_STATUS -> modelReady(ctx, match, id);
            case REPOSITORY_INDEX -> HttpResponses.json(
                    HttpResponseStatus.OK,
                    JsonBodies.write(
                            ctx.alloc(), JsonBodies.index(service.repository().all(), readyOnly(request))),
                    id);
            default -> throw new IllegalStateException("route " + match.route() + " is not served inline");
        };
    }

    private FullHttpResponse serverReady(ChannelHandlerContext ctx, String id) {
        if (!service.ready()) {
            throw new SlipwayException(
                    ErrorCode.MODEL_NOT_READY, "server is not ready: not every model has a ready version");
        }
        return HttpResponses.json(
                HttpResponseStatus.OK, JsonBodies.write(ctx.alloc(), JsonBodies.flag("ready", true)), id);
    }

    private FullHttpResponse modelReady(ChannelHandlerContext ctx, Route.Match match, String id) {
        String model = model(match);
        // MODEL_NOT_FOUND, or MODEL_NOT_READY naming each version's state and reason (failed parity gate, unload)
        service.repository().resolve(model, match.version());
        return HttpResponses.json(
                HttpResponseStatus.OK, JsonBodies.write(ctx.alloc(), JsonBodies.modelReady(model, true)), id);
    }

    private static boolean readyOnly(FullHttpRequest request) {
        ByteBuf content = request.content();
        if (!content.isReadable()) {
            return false;
        }
        try (com.fasterxml.jackson.core.JsonParser parser = InferRequestDecoder.JSON.createParser(
                (java.io.InputStream) new ByteBufInputStream(content.duplicate()))) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw SlipwayException.invalidInput("body: expected a JSON object such as {\"ready\": true}");
            }
            boolean ready = false;
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
                if (field.equals("ready")) {
                    if (value != com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                            && value != com.fasterxml.jackson.core.JsonToken.VALUE_FALSE) {
                        throw SlipwayException.invalidInput("ready: %s (expected: true or false)", parser.getText());
                    }
                    ready = value == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
                } else {
                    parser.skipChildren();
                }
            }
            return ready;
        } catch (java.io.IOException e) {
            throw SlipwayException.invalidInput("body: not valid JSON: %s", e.getMessage());
        }
    }

    private void offload(ChannelHandlerContext ctx, FullHttpRequest request, Route.Match match, String requestId) {
        request.retain();
        try {
            inference.execute(() -> {
                try {
                    respond(ctx, offloaded(ctx, request, match, requestId));
                } catch (RuntimeException e) {
                    respond(ctx, HttpResponses.error(ctx, e, requestId));
                } finally {
                    request.release();
                }
            });
        } catch (RejectedExecutionException e) {
            request.release();
            respond(
                    ctx,
                    HttpResponses.error(
                            ctx,
                            new SlipwayException(
                                    ErrorCode.OVERLOADED,
                                    "server is overloaded: inference queue is full (retry later)"),
                            requestId));
        }
    }

    private FullHttpResponse offloaded(
            ChannelHandlerContext ctx, FullHttpRequest request, Route.Match match, String id) {
        String model = model(match);
        ByteBufInputStream body = new ByteBufInputStream(request.content().duplicate());
        switch (match.route()) {
            case MODEL_INFER -> {
                service.repository().resolve(model, match.version());
                InferenceResponse response = service.infer(inferDecoder.decode(body, model, match.version()));
                return HttpResponses.json(
                        HttpResponseStatus.OK, JsonBodies.write(ctx.alloc(), JsonBodies.inference(response)), id);
            }
            case V1_PREDICT -> {
                service.repository().resolve(model, match.version());
                RecordsResponse response = service.predict(recordsDecoder.decode(body, model, match.version()));
                return HttpResponses.json(
                        HttpResponseStatus.OK, JsonBodies.write(ctx.alloc(), JsonBodies.records(response)), id);
            }
            case REPOSITORY_LOAD -> {
                service.repository().load(model);
                return HttpResponses.empty(HttpResponseStatus.OK, id);
            }
            case REPOSITORY_UNLOAD -> {
                service.repository().unload(model);
                return HttpResponses.empty(HttpResponseStatus.OK, id);
            }
            default -> throw new IllegalStateException("route " + match.route() + " is not offloaded");
        }
    }

    private static String model(Route.Match match) {
        return Objects.requireNonNull(match.model(), "model");
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, @Nullable Throwable cause) {
        ctx.close();
    }
}
