package dev.slipway.server.rest;

import static dev.slipway.server.rest.JsonInput.describe;
import static dev.slipway.server.rest.JsonInput.next;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.RecordsRequest;
import dev.slipway.api.SlipwayException;
import dev.slipway.inference.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a KServe V1 predict body, {@code {"instances": [{"feature": value, ...}, ...]}}. Values are numbers,
 * booleans, strings or {@code null}; nested values are kept as lists or maps so the contract can name them. An
 * instance may also be an array of the features' values in the order the model's contract lists them ({@code
 * [0.0, 240.0, ...]}, as stock V1 clients send rows); {@code "inputs"} is accepted in place of {@code "instances"}.
 */
final class RecordsRequestDecoder {
    private final Limits limits;

    RecordsRequestDecoder(Limits limits) {
        this.limits = limits;
    }

    /**
     * Decodes a body.
     *
     * @param featureOrder the model's feature names in contract order, asked for only when an instance is an array
     */
    RecordsRequest decode(
            InputStream body, String model, @Nullable String version, Supplier<List<String>> featureOrder) {
        try (JsonParser parser = InferRequestDecoder.JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw SlipwayException.invalidInput(
                        "body: %s (expected: a JSON object with \"instances\")",
                        first == null ? "empty" : describe(parser, first));
            }
            List<Map<String, @Nullable Object>> instances = null;
            while (next(parser) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (field.equals("instances") || (field.equals("inputs") && instances == null)) {
                    instances = instances(parser, field, featureOrder);
                } else {
                    next(parser);
                    parser.skipChildren();
                }
            }
            if (instances == null) {
                throw SlipwayException.invalidInput(
                        "instances: missing (expected: an array of records such as {\"speed_kmh\": 0.0})");
            }
            return new RecordsRequest(model, version, instances);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw SlipwayException.invalidInput("body: not valid JSON: %s", e.getOriginalMessage());
        } catch (IOException e) {
            throw SlipwayException.invalidInput("body: cannot be read: %s", e.getMessage());
        }
    }

    private List<Map<String, @Nullable Object>> instances(
            JsonParser parser, String field, Supplier<List<String>> featureOrder) throws IOException {
        JsonToken start = next(parser);
        if (start != JsonToken.START_ARRAY) {
            throw SlipwayException.invalidInput(
                    "%s: %s (expected: an array of records)", field, describe(parser, start));
        }
        List<Map<String, @Nullable Object>> instances = new ArrayList<>();
        while (next(parser) != JsonToken.END_ARRAY) {
            if (instances.size() >= limits.maxRows()) {
                throw new SlipwayException(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        "instances: more than " + limits.maxRows() + " records (expected: at most " + limits.maxRows()
                                + " per request; split the batch)");
            }
            JsonToken token = parser.currentToken();
            if (token == JsonToken.START_ARRAY) {
                instances.add(positional(parser, field + "[" + instances.size() + "]", featureOrder.get()));
                continue;
            }
            if (token != JsonToken.START_OBJECT) {
                throw SlipwayException.invalidInput(
                        "%s[%d]: %s (expected: a record object of feature name to value, or an array of values in"
                                + " the contract's feature order)",
                        field, instances.size(), describe(parser, token));
            }
            Map<String, @Nullable Object> record = new LinkedHashMap<>();
            while (next(parser) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                record.put(name, value(parser, next(parser)));
            }
            instances.add(record);
        }
        return instances;
    }

    /** An array instance, named by position: value i is the contract's feature i. */
    private static Map<String, @Nullable Object> positional(JsonParser parser, String path, List<String> names)
            throws IOException {
        Map<String, @Nullable Object> record = new LinkedHashMap<>();
        int count = 0;
        JsonToken token;
        while ((token = next(parser)) != JsonToken.END_ARRAY) {
            if (count < names.size()) {
                record.put(names.get(count), value(parser, token));
            } else {
                parser.skipChildren();
            }
            count++;
        }
        if (count != names.size()) {
            throw SlipwayException.invalidInput(
                    "%s: %d values (expected: %d, in the contract's feature order: %s)",
                    path, count, names.size(), String.join(", ", names));
        }
        return record;
    }

    private static @Nullable Object value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> null;
            case START_ARRAY -> {
                parser.skipChildren();
                yield List.of();
            }
            default -> {
                parser.skipChildren();
                yield Map.of();
            }
        };
    }
}
