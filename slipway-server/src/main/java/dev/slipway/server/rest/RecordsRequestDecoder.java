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
import org.jspecify.annotations.Nullable;

/**
 * Decodes a KServe V1 predict body, {@code {"instances": [{"feature": value, ...}, ...]}}. Values are numbers,
 * booleans, strings or {@code null}; nested values are kept as lists or maps so the contract can name them.
 */
final class RecordsRequestDecoder {
    private final Limits limits;

    RecordsRequestDecoder(Limits limits) {
        this.limits = limits;
    }

    RecordsRequest decode(InputStream body, String model, @Nullable String version) {
        try (JsonParser parser = InferRequestDecoder.JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw SlipwayException.invalidInput(
                        "body: %s (expected: a JSON object with \"instances\")",
                        first == null ? "empty" : describe(parser, first));
            }
            List<Map<String, @Nullable Object>> instances = null;
            while (next(parser) == JsonToken.FIELD_NAME) {
                if (parser.currentName().equals("instances")) {
                    instances = instances(parser);
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

    private List<Map<String, @Nullable Object>> instances(JsonParser parser) throws IOException {
        JsonToken start = next(parser);
        if (start != JsonToken.START_ARRAY) {
            throw SlipwayException.invalidInput(
                    "instances: %s (expected: an array of records)", describe(parser, start));
        }
        List<Map<String, @Nullable Object>> instances = new ArrayList<>();
        while (next(parser) != JsonToken.END_ARRAY) {
            if (instances.size() >= limits.maxRows()) {
                throw new SlipwayException(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        "instances: more than " + limits.maxRows() + " records (expected: at most " + limits.maxRows()
                                + " per request; split the batch)");
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw SlipwayException.invalidInput(
                        "instances[%d]: %s (expected: a record object of feature name to value)",
                        instances.size(), describe(parser, parser.currentToken()));
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
