package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.config.ServingConfig;
import dev.slipway.inference.LoadedModel;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admission control and deadlines over REST, on a model whose batcher holds the first request of a batch for two
 * seconds and admits one request at a time.
 */
class AdmissionIT {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension()
            .models(TestModels.fraud(1))
            .serving(new ServingConfig(null, Map.of("fraud", new ServingConfig.Entry(8, 2_000_000L, 1, 1))));

    private static final String FRAUD = "/v2/models/fraud/infer";
    private static final String BODY =
            "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1500,30]}]}";

    static LoadedModel fraud() {
        return server.server().repository().resolve("fraud", null);
    }

    @Test
    @Specification(number = "6.2", text = "beyond the model's concurrency limit: 429 with Retry-After, at once")
    void aFullModelAnswersTooManyRequestsAtOnce() throws Exception {
        CompletableFuture<HttpResponse<String>> first = server.client()
                .sendAsync(
                        server.request(FRAUD)
                                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        await().atMost(10, TimeUnit.SECONDS).until(() -> fraud().inFlight() == 1);

        ServerExtension.HttpResult refused = server.post(FRAUD, BODY);

        assertThat(assertError(refused, 429, "OVERLOADED")).contains("limit of 1 requests in flight");
        assertThat(refused.header("retry-after")).isEqualTo("1");
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    @Specification(number = "6.2", text = "work past the caller's Slipway-Timeout-Ms is dropped before the engine: 504")
    void expiredWorkIsDroppedBeforeTheEngine() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> fraud().inFlight() == 0);
        long executions = fraud().stats().executionCount();

        ServerExtension.HttpResult late = server.send(server.request(FRAUD)
                .header("Slipway-Timeout-Ms", "100")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)));

        assertThat(assertError(late, 504, "DEADLINE_EXCEEDED")).contains("deadline passed");
        assertThat(fraud().stats().executionCount()).isEqualTo(executions);
    }
}
