package dev.slipway.feedback;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.SlipwayException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the body of {@code POST /v1/models/{name}/feedback}:
 *
 * <pre>
 * {"feedback": [
 *   {"request_id": "ping-42", "label": true},             // a request of one row
 *   {"request_id": "batch-7", "row": 1, "label": 0},      // row 1 of a request of several rows
 *   {"request_id": "ping-43", "label": "urban"}           // a class label, for a label output
 * ]}
 * </pre>
 *
 * Every problem is reported at once, each naming the field, the value and what was expected.
 */
public final class FeedbackBody {
    /** The most items one body may carry. */
    public static final int MAX_ITEMS = 10_000;
    /** The longest request id. */
    public static final int MAX_ID_LENGTH = 256;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> ITEM_KEYS = Set.of("request_id", "row", "label");

    private FeedbackBody() {}

    /**
     * Parses and checks a body.
     *
     * @throws SlipwayException {@code INVALID_INPUT} listing every problem
     */
    public static List<Feedback> parse(InputStream body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw SlipwayException.invalidInput("body: not valid JSON: %s", e.getOriginalMessage());
        } catch (IOException e) {
            throw SlipwayException.invalidInput("body: cannot be read: %s", e.getMessage());
        }
        return parse(root);
    }

    /** Checks a parsed body; see {@link #parse(InputStream)}. */
    public static List<Feedback> parse(@Nullable JsonNode root) {
        String example = "{\"feedback\": [{\"request_id\": \"...\", \"row\": 0, \"label\": true}]}";
        if (root == null || !root.isObject()) {
            throw SlipwayException.invalidInput("body: %s (expected: a JSON object such as %s)", shown(root), example);
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("feedback")) {
                problems.add("'" + abbreviate(name) + "': unknown key (expected: feedback)");
            }
        }
        JsonNode items = root.get("feedback");
        if (items == null || !items.isArray() || items.isEmpty()) {
            problems.add("feedback: " + shown(items) + " (expected: an array of 1.." + MAX_ITEMS + " items such as "
                    + example + ")");
            throw SlipwayException.invalidInput(problems);
        }
        if (items.size() > MAX_ITEMS) {
            problems.add("feedback: " + items.size() + " items (expected: at most " + MAX_ITEMS + " per request)");
            throw SlipwayException.invalidInput(problems);
        }
        List<Feedback> feedback = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Feedback item = item("feedback[" + i + "]", items.get(i), problems);
            if (item != null) {
                feedback.add(item);
            }
        }
        if (!problems.isEmpty()) {
            throw SlipwayException.invalidInput(problems);
        }
        return feedback;
    }

    private static @Nullable Feedback item(String path, JsonNode item, List<String> problems) {
        if (!item.isObject()) {
            problems.add(path + ": " + shown(item)
                    + " (expected: an object with request_id, label and, for requests of several rows, row)");
            return null;
        }
        int before = problems.size();
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ITEM_KEYS.contains(name)) {
                problems.add(path + "." + abbreviate(name) + ": unknown key (expected: request_id, row or label)");
            }
        }
        JsonNode id = item.get("request_id");
        String requestId = null;
        if (id == null
                || !id.isTextual()
                || id.asText().isEmpty()
                || id.asText().length() > MAX_ID_LENGTH) {
            problems.add(path + ".request_id: " + shown(id) + " (expected: the request's id, a string of 1.."
                    + MAX_ID_LENGTH + " characters)");
        } else if (id.asText().chars().anyMatch(Character::isISOControl)) {
            problems.add(path + ".request_id: " + shown(id) + " (expected: no control characters)");
        } else {
            requestId = id.asText();
        }
        JsonNode rowNode = item.get("row");
        Integer row = null;
        if (rowNode != null && !rowNode.isNull()) {
            if (!rowNode.isIntegralNumber() || !rowNode.canConvertToInt() || rowNode.asInt() < 0) {
                problems.add(path + ".row: " + shown(rowNode)
                        + " (expected: the row's index in the request, an integer >= 0)");
            } else {
                row = rowNode.asInt();
            }
        }
        JsonNode labelNode = item.get("label");
        Object label = null;
        if (labelNode == null || labelNode.isNull()) {
            problems.add(path + ".label: " + shown(labelNode)
                    + " (expected: the true outcome: true/false or 1/0, a class label or a number)");
        } else if (labelNode.isBoolean()) {
            label = labelNode.asBoolean();
        } else if (labelNode.isIntegralNumber() && labelNode.canConvertToLong()) {
            label = labelNode.asLong();
        } else if (labelNode.isNumber() && Double.isFinite(labelNode.asDouble())) {
            label = labelNode.asDouble();
        } else if (labelNode.isTextual()
                && !labelNode.asText().isEmpty()
                && labelNode.asText().length() <= 256) {
            label = labelNode.asText();
        } else {
            problems.add(path + ".label: " + shown(labelNode)
                    + " (expected: a boolean, a finite number or a string of 1..256 characters)");
        }
        if (problems.size() > before || requestId == null || label == null) {
            return null;
        }
        return new Feedback(requestId, row, label);
    }

    private static String shown(@Nullable JsonNode node) {
        if (node == null) {
            return "missing";
        }
        return abbreviate(node.toString());
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
