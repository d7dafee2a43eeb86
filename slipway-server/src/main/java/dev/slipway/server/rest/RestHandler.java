package dev.slipway.server.rest;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RecordsRequest;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.RequestedOutput;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.Ticker;
import dev.slipway.inference.InferenceService;
import dev.slipway.observe.Served;
import dev.slipway.observe.ServingListeners;
import dev.slipway.rollout.EndpointPolicy;
import dev.slipway.rollout.Router;
import dev.slipway.rollout.ServiceCalls;
import dev.slipway.server.Access;
import dev.slipway.server.Management;
import dev.slipway.server.RepositoryLoad;
import dev.slipway.server.Routing;
import dev.slipway.server.Statistics;
import dev.slipway.server.telemetry.MetricsServer;
import dev.slipway.server.telemetry.ServerTracing;
import dev.slipway.server.telemetry.Telemetry;
import dev.slipway.server.telemetry.Traced;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Serves the Open Inference Protocol v2 REST endpoints (with the binary tensor data, repository and statistics
 * extensions) and the KServe V1 records endpoints.
 *
 * <p>Health, metadata and small inference requests run on the event loop: decoding, validation and a direct engine
 * call take microseconds for tabular rows, and a hand-off would cost more. Bodies above {@link #INLINE_BYTES} and
 * repository changes go to the inference executor (429 at once when it is full); with dynamic batching the engine runs
 * on the model's batch worker and the response is written from there. One connection's requests are answered in
 * order: a request that arrives while the previous one is in flight waits for it.
 */
@ChannelHandler.Sharable
final class RestHandler extends ChannelInboundHandlerAdapter {
    /** Bodies up to this size are decoded and run on the event loop. */
    static final int INLINE_BYTES = 16 * 1024;

    static final AsciiString TIMEOUT_MS = AsciiString.cached("slipway-timeout-ms");
    static final AsciiString HEADER_LENGTH = AsciiString.cached("inference-header-content-length");
    private static final AttributeKey<Connection> CONNECTION = AttributeKey.valueOf("slipway.connection");
    private static final long MAX_TIMEOUT_MS = 24L * 3600 * 1000;

    /** One connection's requests: the one in flight, and those that arrived behind it. */
    private static final class Connection {
        boolean busy;
        final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    }

    private final InferenceService service;
    private final Router router;
    private final ServingListeners listeners;
    private final Access access;
    private final AdminApi admin;
    private final FeedbackApi feedback;
    private final Ticker ticker;
    private final Executor inference;
    private final InferRequestDecoder inferDecoder;
    private final RecordsRequestDecoder recordsDecoder;
    private final Telemetry telemetry;
    private final @Nullable ServerTracing tracing;
    private final AtomicLong requestCounter = new AtomicLong();
    private final String requestIdPrefix = Long.toString(System.identityHashCode(this), 36) + "-";

    RestHandler(
            InferenceService service,
            Executor inference,
            Ticker ticker,
            Access access,
            Management management,
            Telemetry telemetry) {
        this.service = service;
        this.router = management.delivery().router();
        this.listeners = management.listeners();
        this.access = access;
        this.admin = new AdminApi(management, access);
        this.feedback = new FeedbackApi(management.feedback());
        this.ticker = ticker;
        this.inference = inference;
        this.inferDecoder = new InferRequestDecoder(service.limits());
        this.recordsDecoder = new RecordsRequestDecoder(service.limits());
        this.telemetry = telemetry;
        this.tracing = telemetry.tracing();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(message);
            return;
        }
        Connection connection = connection(ctx);
        if (connection.busy) {
            connection.waiting.add(request);
            return;
        }
        connection.busy = true;
        handle(ctx, request);
    }

    private static Connection connection(ChannelHandlerContext ctx) {
        Connection connection = ctx.channel().attr(CONNECTION).get();
        if (connection == null) {
            connection = new Connection();
            ctx.channel().attr(CONNECTION).set(connection);
        }
        return connection;
    }

    /** Answers the next request of the connection, if one is waiting; runs on the event loop. */
    private void next(ChannelHandlerContext ctx) {
        Connection connection = connection(ctx);
        connection.busy = false;
        FullHttpRequest waiting = connection.waiting.poll();
        if (waiting == null) {
            return;
        }
        if (!ctx.channel().isActive()) {
            waiting.release();
            next(ctx);
            return;
        }
        connection.busy = true;
        handle(ctx, waiting);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Connection connection = connection(ctx);
        FullHttpRequest waiting;
        while ((waiting = connection.waiting.poll()) != null) {
            waiting.release();
        }
        super.channelInactive(ctx);
    }

    /** Answers one request exactly once, and releases it. */
    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean handedOver = false;
        try {
            handedOver = route(ctx, request);
        } finally {
            if (!handedOver) {
                request.release();
            }
        }
    }

    /** Routes a request; returns whether its release was handed over to asynchronous work. */
    private boolean route(ChannelHandlerContext ctx, FullHttpRequest request) {
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
            return false;
        }
        if (request.uri().startsWith("/admin/")) {
            return offload(ctx, request, requestId, () -> respond(ctx, admin.handle(request, requestId)));
        }
        if (scrape(request.uri())) {
            return offload(ctx, request, requestId, () -> respond(ctx, metrics(ctx, request, requestId)));
        }
        Route.Match match;
        try {
            match = Route.match(request.uri());
        } catch (SlipwayException e) {
            respond(ctx, HttpResponses.error(ctx, e, requestId));
            return false;
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
            return false;
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
            return false;
        }
        try {
            access.check(need(match.route()), request.headers().get(HttpHeaderNames.AUTHORIZATION));
            switch (match.route()) {
                case MODEL_INFER, V1_PREDICT -> {
                    long arrival = ticker.nanos();
                    long deadline = deadline(request);
                    if (request.content().readableBytes() <= INLINE_BYTES) {
                        infer(ctx, request, match, requestId, deadline, arrival);
                        return false;
                    }
                    return offload(
                            ctx, request, requestId, () -> infer(ctx, request, match, requestId, deadline, arrival));
                }
                case V1_FEEDBACK -> {
                    return offload(ctx, request, requestId, () -> feedback(ctx, request, match, requestId));
                }
                case V1_QUALITY -> {
                    return offload(
                            ctx,
                            request,
                            requestId,
                            () -> complete(
                                    ctx, requestId, null, () -> feedback.quality(request, model(match), requestId)));
                }
                case REPOSITORY_LOAD, REPOSITORY_UNLOAD -> {
                    return offload(
                            ctx,
                            request,
                            requestId,
                            () -> complete(ctx, requestId, null, () -> repository(match, request, requestId)));
                }
                default -> respond(ctx, inline(ctx, match, request, requestId));
            }
        } catch (RuntimeException e) {
            respond(ctx, HttpResponses.error(ctx, e, requestId));
        }
        return false;
    }

    /** Whether the URI is the Prometheus scrape on this port (query string ignored). */
    private boolean scrape(String uri) {
        String path = telemetry.metricsConfig().scrapePath();
        return uri.startsWith(path)
                && (uri.length() == path.length() || uri.charAt(path.length()) == '?')
                && telemetry.scrapesOnRestPort(path);
    }

    /** The Prometheus text exposition, under the access rule of inference. */
    private FullHttpResponse metrics(ChannelHandlerContext ctx, FullHttpRequest request, String id) {
        try {
            if (!request.method().equals(HttpMethod.GET)) {
                FullHttpResponse refused = HttpResponses.error(
                        ctx,
                        new SlipwayException(
                                ErrorCode.METHOD_NOT_ALLOWED,
                                "Method Not Allowed: " + request.method() + " (expected: GET)"),
                        id);
                refused.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
                return refused;
            }
            access.check(Access.Need.INFERENCE, request.headers().get(HttpHeaderNames.AUTHORIZATION));
            ByteBuf body = ctx.alloc().buffer();
            body.writeCharSequence(telemetry.scrape(), java.nio.charset.StandardCharsets.UTF_8);
            FullHttpResponse response = HttpResponses.json(HttpResponseStatus.OK, body, id);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, MetricsServer.CONTENT_TYPE);
            return response;
        } catch (RuntimeException e) {
            return HttpResponses.error(ctx, e, id);
        }
    }

    private static Access.Need need(Route route) {
        return switch (route) {
            case SERVER_LIVE, SERVER_READY -> Access.Need.NOTHING;
            case REPOSITORY_LOAD, REPOSITORY_UNLOAD -> Access.Need.OPERATOR;
            default -> Access.Need.INFERENCE;
        };
    }

    /** The request's deadline from the {@code Slipway-Timeout-Ms} header, on the {@link Ticker}; none without it. */
    private long deadline(FullHttpRequest request) {
        String header = request.headers().get(TIMEOUT_MS);
        if (header == null) {
            return InferenceService.NO_DEADLINE;
        }
        long millis;
        try {
            millis = Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 1 || millis > MAX_TIMEOUT_MS) {
            throw SlipwayException.invalidInput(
                    "header Slipway-Timeout-Ms: '%s' (expected: milliseconds, 1..%d)",
                    JsonInput.abbreviate(header), MAX_TIMEOUT_MS);
        }
        return ticker.nanos() + millis * 1_000_000;
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
            case MODEL_CONFIG -> HttpResponses.json(
                    HttpResponseStatus.OK,
                    JsonBodies.write(
                            ctx.alloc(),
                            JsonBodies.configuration(service.configuration(model(match), match.version()))),
                    id);
            case MODEL_STATISTICS -> HttpResponses.json(
                    HttpResponseStatus.OK,
                    JsonBodies.write(
                            ctx.alloc(),
                            JsonBodies.statistics(
                                    Statistics.select(service.repository(), match.model(), match.version()))),
                    id);
            case REPOSITORY_INDEX -> HttpResponses.json(
                    HttpResponseStatus.OK,
                    JsonBodies.write(
                            ctx.alloc(),
                            JsonBodies.index(
                                    service.repository().all(), RepositoryBodies.readyOnly(request.content()))),
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

    /** Runs work on the inference executor, which then owns (and releases) the request. */
    private boolean offload(ChannelHandlerContext ctx, FullHttpRequest request, String requestId, Runnable work) {
        try {
            inference.execute(() -> {
                try {
                    work.run();
                } finally {
                    request.release();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            respond(
                    ctx,
                    HttpResponses.error(
                            ctx,
                            new SlipwayException(
                                    ErrorCode.OVERLOADED,
                                    "server is overloaded: inference queue is full (retry later)"),
                            requestId));
            return false;
        }
    }

    /** Joins labels; the response is written when the feedback writer has applied them. */
    private void feedback(ChannelHandlerContext ctx, FullHttpRequest request, Route.Match match, String id) {
        CompletableFuture<FullHttpResponse> answer;
        try {
            answer = feedback.feedback(request, model(match), id);
        } catch (RuntimeException e) {
            respond(ctx, HttpResponses.error(ctx, e, id));
            return;
        }
        answer.whenComplete((response, failure) -> complete(ctx, id, failure, () -> response));
    }

    private FullHttpResponse repository(Route.Match match, FullHttpRequest request, String id) {
        if (match.route() == Route.REPOSITORY_LOAD) {
            RepositoryLoad.refuseSuppliedFiles(RepositoryBodies.loadParameters(request.content()));
            service.repository().load(model(match));
        } else {
            service.repository().unload(model(match));
        }
        return HttpResponses.empty(HttpResponseStatus.OK, id);
    }

    /**
     * Decodes and runs an inference; the response is written when the engine answers, from the thread it answered
     * on. The request's body is fully copied out while decoding, so the caller may release it when this returns.
     */
    private void infer(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            Route.Match match,
            String id,
            long deadline,
            long arrival) {
        if (tracing == null) {
            infer(ctx, request, match, id, deadline, arrival, null);
            return;
        }
        Traced trace = tracing.start(
                spanName(match), request.headers(), HEADERS, true, id, Objects.requireNonNullElse(match.model(), ""));
        try (Scope scope = Traced.enter(trace)) {
            infer(ctx, request, match, id, deadline, arrival, trace);
        }
    }

    private static String spanName(Route.Match match) {
        if (match.route() == Route.V1_PREDICT) {
            return "POST /v1/models/{model}:predict";
        }
        return match.version() == null
                ? "POST /v2/models/{model}/infer"
                : "POST /v2/models/{model}/versions/{version}/infer";
    }

    /** Reads the W3C trace context headers of a REST request. */
    private static final TextMapGetter<HttpHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
            return carrier.names();
        }

        @Override
        public @Nullable String get(@Nullable HttpHeaders carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private void infer(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            Route.Match match,
            String id,
            long deadline,
            long arrival,
            @Nullable Traced trace) {
        boolean v1 = match.route() == Route.V1_PREDICT;
        String model = model(match);
        Object decodedRequest = null;
        try {
            service.repository().resolve(model, match.version());
            Long pinned = pinned(request);
            EndpointPolicy policy = router.policy(model);
            if (v1) {
                RecordsRequest records = recordsDecoder.decode(
                        new ByteBufInputStream(request.content().duplicate()),
                        model,
                        match.version(),
                        () -> service.featureNames(model, match.version()));
                decodedRequest = records;
                CompletableFuture<Router.Routed<RecordsResponse>> answer = match.version() != null
                        ? direct(ServiceCalls.predict(service, records), model, match.version(), deadline)
                        : router.route(
                                new Router.Request(
                                        model,
                                        Routing.key(policy, Map.of(), name -> request.headers()
                                                .get(name)),
                                        pinned,
                                        deadline),
                                ServiceCalls.predict(service, records));
                answer.whenComplete((routed, failure) -> {
                    try (Scope scope = Traced.enter(trace)) {
                        complete(
                                ctx,
                                id,
                                failure,
                                () -> stamped(
                                        HttpResponses.json(
                                                HttpResponseStatus.OK,
                                                JsonBodies.write(ctx.alloc(), JsonBodies.records(routed.response())),
                                                id),
                                        routed));
                    }
                    report(
                            id,
                            "rest-v1",
                            model,
                            arrival,
                            records,
                            records.instances().size(),
                            routed,
                            failure,
                            trace);
                });
                return;
            }
            InferenceRequest decoded = decode(request, model, match.version());
            decodedRequest = decoded;
            long effective = Math.min(deadline, parameterDeadline(decoded));
            CompletableFuture<Router.Routed<InferenceResponse>> answer = match.version() != null
                    ? direct(ServiceCalls.infer(service, decoded), model, match.version(), effective)
                    : router.route(
                            new Router.Request(
                                    model,
                                    Routing.key(policy, decoded.parameters(), name -> request.headers()
                                            .get(name)),
                                    pinned,
                                    effective),
                            ServiceCalls.infer(service, decoded));
            answer.whenComplete((routed, failure) -> {
                try (Scope scope = Traced.enter(trace)) {
                    complete(ctx, id, failure, () -> stamped(encode(ctx, decoded, Routing.stamp(routed), id), routed));
                }
                report(id, "rest-v2", model, arrival, decoded, Served.rows(decoded), routed, failure, trace);
            });
        } catch (RuntimeException e) {
            respond(ctx, HttpResponses.error(ctx, e, id));
            report(id, v1 ? "rest-v1" : "rest-v2", model, arrival, decodedRequest, 0, null, e, trace);
        }
    }

    /** Tells the listeners how a request went; nothing to do when nobody listens. */
    private void report(
            String id,
            String protocol,
            String endpoint,
            long arrival,
            @Nullable Object request,
            int rows,
            Router.@Nullable Routed<?> routed,
            @Nullable Throwable failure,
            @Nullable Traced trace) {
        Traced.end(trace, routed, failure);
        if (listeners.active()) {
            listeners.served(Served.of(
                    listeners.now(), id, protocol, endpoint, ticker.nanos() - arrival, request, rows, routed, failure));
        }
    }

    /** A version named in the URL: the protocol's explicit addressing, outside routing. */
    private static <R> CompletableFuture<Router.Routed<R>> direct(
            Router.Call<R> call, String model, String version, long deadline) {
        return call.run(model, Long.parseLong(version), deadline)
                .thenApply(answer -> new Router.Routed<>(answer, Router.PINNED, 0));
    }

    /** The pin header's version, once the caller is known to hold the operator role. */
    private @Nullable Long pinned(FullHttpRequest request) {
        Long pinned = Routing.pinned(request.headers().get(Routing.PIN_HEADER));
        if (pinned != null) {
            access.check(Access.Need.OPERATOR, request.headers().get(HttpHeaderNames.AUTHORIZATION));
        }
        return pinned;
    }

    private static FullHttpResponse stamped(FullHttpResponse response, Router.Routed<?> routed) {
        response.headers()
                .set(Routing.VARIANT_HEADER, routed.variant())
                .set(Routing.MODEL_HEADER, routed.model())
                .set(Routing.PIN_HEADER, routed.version())
                .set(Routing.EPOCH_HEADER, routed.epoch());
        return response;
    }

    private InferenceRequest decode(FullHttpRequest request, String model, @Nullable String version) {
        ByteBuf content = request.content();
        String header = request.headers().get(HEADER_LENGTH);
        if (header == null) {
            return inferDecoder.decode(
                    new ByteBufInputStream(content.duplicate()), content.readableBytes(), null, model, version);
        }
        int total = content.readableBytes();
        int jsonLength;
        try {
            jsonLength = Integer.parseInt(header.strip());
        } catch (NumberFormatException e) {
            jsonLength = -1;
        }
        if (jsonLength < 0 || jsonLength > total) {
            throw SlipwayException.invalidInput(
                    "header Inference-Header-Content-Length: '%s' (expected: the JSON part's length, 0..%d)",
                    JsonInput.abbreviate(header), total);
        }
        if (jsonLength == 0) {
            throw SlipwayException.unsupported(
                    "Inference-Header-Content-Length 0 (a raw binary body without JSON) is not supported "
                            + "(expected: a JSON part naming the inputs)");
        }
        ByteBuffer tail = content.nioBuffer(content.readerIndex() + jsonLength, total - jsonLength);
        return inferDecoder.decode(
                new ByteBufInputStream(content.slice(content.readerIndex(), jsonLength)),
                jsonLength,
                tail,
                model,
                version);
    }

    /** The deadline from the protocol's {@code timeout} request parameter (microseconds), or none. */
    private long parameterDeadline(InferenceRequest request) {
        Object timeout = request.parameters().get("timeout");
        if (!(timeout instanceof Long micros)) {
            return InferenceService.NO_DEADLINE;
        }
        if (micros < 1) {
            throw SlipwayException.invalidInput("parameters.timeout: %d (expected: microseconds, >= 1)", micros);
        }
        return ticker.nanos() + Math.min(micros, MAX_TIMEOUT_MS * 1000) * 1000;
    }

    private static FullHttpResponse encode(
            ChannelHandlerContext ctx, InferenceRequest request, InferenceResponse response, String id) {
        Set<String> binary = binaryOutputs(request, response);
        ByteBuf body = JsonBodies.write(ctx.alloc(), JsonBodies.inference(response, binary));
        if (binary.isEmpty()) {
            return HttpResponses.json(HttpResponseStatus.OK, body, id);
        }
        int jsonLength = body.readableBytes();
        JsonBodies.appendBinary(body, response, binary);
        FullHttpResponse http = HttpResponses.json(HttpResponseStatus.OK, body, id);
        http.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .setInt(HEADER_LENGTH, jsonLength);
        return http;
    }

    /** Outputs sent as binary: each one's own {@code binary_data}, else the request's {@code binary_data_output}. */
    private static Set<String> binaryOutputs(InferenceRequest request, InferenceResponse response) {
        boolean byDefault = Boolean.TRUE.equals(request.parameters().get("binary_data_output"));
        Set<String> binary = new HashSet<>();
        for (Tensor output : response.outputs()) {
            Boolean own = null;
            for (RequestedOutput requested : request.outputs()) {
                if (requested.name().equals(output.name())) {
                    own = requested.binary();
                }
            }
            if (own != null ? own : byDefault) {
                binary.add(output.name());
            }
        }
        return binary;
    }

    /** Answers with the work's failure, or with the response built by {@code success} (or its own failure). */
    private void complete(
            ChannelHandlerContext ctx, String id, @Nullable Throwable failure, Supplier<FullHttpResponse> success) {
        FullHttpResponse response;
        try {
            response = failure != null ? HttpResponses.error(ctx, unwrap(failure), id) : success.get();
        } catch (RuntimeException e) {
            response = HttpResponses.error(ctx, e, id);
        }
        respond(ctx, response);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }

    private static String model(Route.Match match) {
        return Objects.requireNonNull(match.model(), "model");
    }

    /** Writes the one response of the connection's current request, then answers the next one waiting. */
    private void respond(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response).addListener(written -> next(ctx));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, @Nullable Throwable cause) {
        ctx.close();
    }
}
