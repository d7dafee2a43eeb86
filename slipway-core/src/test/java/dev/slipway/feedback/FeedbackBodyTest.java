package dev.slipway.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feedback body: what is accepted, and every problem named with its field, value and expectation. */
class FeedbackBodyTest {
    private static List<Feedback> parse(String json) {
        return FeedbackBody.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> problems(String json) {
        try {
            parse(json);
        } catch (SlipwayException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
            return e.details().isEmpty() ? List.of(e.getMessage()) : e.details();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void itemsKeepTheirIdRowAndLabelAsSent() {
        List<Feedback> items = parse("{\"feedback\": [{\"request_id\": \"ping-42\", \"label\": true},"
                + " {\"request_id\": \"batch-7\", \"row\": 1, \"label\": 0},"
                + " {\"request_id\": \"ping-43\", \"label\": \"urban\"}, {\"request_id\": \"v\", \"label\": 2.5}]}");

        assertThat(items)
                .containsExactly(
                        new Feedback("ping-42", null, true),
                        new Feedback("batch-7", 1, 0L),
                        new Feedback("ping-43", null, "urban"),
                        new Feedback("v", null, 2.5));
    }

    @Test
    void everyBadFieldIsNamedWithItsValueAndWhatWasExpected() {
        assertThat(problems("{\"feedback\": [{\"label\": true}, {\"request_id\": 7, \"label\": true},"
                        + " {\"request_id\": \"a\", \"row\": -1, \"label\": true}, {\"request_id\": \"b\"},"
                        + " {\"request_id\": \"c\", \"label\": [1]}, {\"request_id\": \"d\", \"label\": true,"
                        + " \"lable\": 1}, 5]}"))
                .containsExactly(
                        "feedback[0].request_id: missing (expected: the request's id, a string of 1..256 characters)",
                        "feedback[1].request_id: 7 (expected: the request's id, a string of 1..256 characters)",
                        "feedback[2].row: -1 (expected: the row's index in the request, an integer >= 0)",
                        "feedback[3].label: missing (expected: the true outcome: true/false or 1/0, a class label or a"
                                + " number)",
                        "feedback[4].label: [1] (expected: a boolean, a finite number or a string of 1..256"
                                + " characters)",
                        "feedback[5].lable: unknown key (expected: request_id, row or label)",
                        "feedback[6]: 5 (expected: an object with request_id, label and, for requests of several"
                                + " rows, row)");
    }

    @Test
    void theBodyMustBeAnObjectWithANonEmptyArray() {
        assertThat(problems("[]").get(0)).startsWith("body: [] (expected: a JSON object such as {\"feedback\"");
        assertThat(problems("{\"feedback\": []}").get(0)).startsWith("feedback: [] (expected: an array of 1..10000");
        assertThat(problems("{\"labels\": [], \"feedback\": [{\"request_id\": \"a\", \"label\": 1}]}"))
                .containsExactly("'labels': unknown key (expected: feedback)");
        assertThat(problems("{\"feedback\": [")).singleElement().asString().startsWith("body: not valid JSON");
    }

    @Test
    void tooManyItemsAreRefusedWithTheirCountAndTheLimit() {
        StringBuilder body = new StringBuilder("{\"feedback\": [");
        for (int i = 0; i <= FeedbackBody.MAX_ITEMS; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"request_id\": \"r-")
                    .append(i)
                    .append("\", \"label\": 1}");
        }
        body.append("]}");

        assertThat(problems(body.toString()))
                .containsExactly("feedback: 10001 items (expected: at most 10000 per request)");
        assertThat(parse(body.toString()
                        .replace("{\"request_id\": \"r-10000\", \"label\": 1}", "")
                        .replace(",]", "]")))
                .hasSize(FeedbackBody.MAX_ITEMS);
    }
}
