package dev.slipway.server.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.slipway.api.SlipwayException;
import java.io.IOException;

/** Small helpers over Jackson's streaming parser that turn surprises into {@code INVALID_INPUT} with a JSON path. */
final class JsonInput {
    private JsonInput() {}

    static JsonToken next(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw SlipwayException.invalidInput("body: ends early (expected: complete JSON)");
        }
        return token;
    }

    static void expect(JsonParser parser, JsonToken expected, String path, String what) throws IOException {
        JsonToken token = next(parser);
        if (token != expected) {
            throw SlipwayException.invalidInput("%s: %s (expected: %s)", path, describe(parser, token), what);
        }
    }

    static String text(JsonParser parser, String path) throws IOException {
        JsonToken token = next(parser);
        if (token != JsonToken.VALUE_STRING) {
            throw SlipwayException.invalidInput("%s: %s (expected: a string)", path, describe(parser, token));
        }
        return parser.getText();
    }

    static String describe(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> '"' + abbreviate(parser.getText()) + '"';
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
