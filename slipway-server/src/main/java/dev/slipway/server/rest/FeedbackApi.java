package dev.slipway.server.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.feedback.Feedback;
import dev.slipway.feedback.FeedbackBody;
import dev.slipway.feedback.FeedbackService;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Delayed labels and live quality over REST, beside the model's V1 endpoints (same access as inference):
 *
 * <pre>
 * POST /v1/models/{m}/feedback          {"feedback": [{"request_id": "ping-42", "row": 0, "label": true}, ...]}
 *      200 {"accepted": 1, "duplicates": 0, "unknown": ["ping-7"], "not_sampled": []}
 *      400 INVALID_INPUT  a malformed body, more than 10,000 items, a label of the wrong type, a row the request
 *                         did not have: every problem named (field, value, expectation); nothing applied
 *      404 MODEL_NOT_FOUND a model neither served nor in the prediction store
 *      409 CONFLICT       a row already has another label: every such item named; nothing applied
 * GET  /v1/models/{m}/quality?windows=24
 *      200 per answering model version and variant: metrics over the retained windows and per recent window
 * </pre>
 *
 * Request ids are the {@code x-request-id} of the answered inference (the caller's, or the one the server gave and
 * returned in that header). Sending the same feedback again changes nothing and answers it as duplicates.
 *
 * Bodies use snake_case keys like the rest of the protocol. Runs on the inference executor; the join itself runs on
 * the feedback writer thread and the response is written when it is done.
 */
final class FeedbackApi {
    static final int DEFAULT_WINDOWS = 24;
    static final int MAX_WINDOWS = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    private final @Nullable FeedbackService service;

    FeedbackApi(@Nullable FeedbackService service) {
        this.service = service;
    }

    /** Parses, checks and joins a feedback body; the future fails with the error to answer. */
    CompletableFuture<FullHttpResponse> feedback(FullHttpRequest request, String model, String id) {
        FeedbackService feedback = service();
        List<Feedback> items =
                FeedbackBody.parse(new ByteBufInputStream(request.content().duplicate()));
        return feedback.submit(model, items).thenApply(result -> ok(result, id));
    }

    /** The model's live quality. */
    FullHttpResponse quality(FullHttpRequest request, String model, String id) {
        FeedbackService feedback = service();
        return ok(feedback.quality(model, windows(new QueryStringDecoder(request.uri()))), id);
    }

    private FeedbackService service() {
        if (service == null) {
            throw new SlipwayException(
                    ErrorCode.UNSUPPORTED,
                    "feedback is off on this server (expected: feedback.enabled: true in slipway.yaml)");
        }
        return service;
    }

    private static int windows(QueryStringDecoder uri) {
        List<String> values = uri.parameters().get("windows");
        if (values == null || values.isEmpty()) {
            return DEFAULT_WINDOWS;
        }
        String text = values.get(0);
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) > MAX_WINDOWS) {
            throw SlipwayException.invalidInput(
                    "windows: '%s' (expected: 0..%d, how many recent windows to list)",
                    JsonInput.abbreviate(text), MAX_WINDOWS);
        }
        return Integer.parseInt(text);
    }

    private static FullHttpResponse ok(Object value, String id) {
        try {
            return HttpResponses.json(HttpResponseStatus.OK, Unpooled.wrappedBuffer(JSON.writeValueAsBytes(value)), id);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
