package dev.slipway.server.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.slipway.api.SlipwayException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

/** The small JSON bodies of the model repository extension: index {@code {"ready": bool}}, load parameters. */
final class RepositoryBodies {
    private RepositoryBodies() {}

    /** Reads one field's value; the parser is on the value's first token's predecessor (the field name). */
    private interface FieldReader {
        void read(String field, JsonParser parser) throws IOException;
    }

    /** Whether an index body asks for ready models only; an empty body does not. */
    static boolean readyOnly(ByteBuf body) {
        boolean[] ready = {false};
        fields(body, "{\"ready\": true}", (field, parser) -> {
            JsonToken value = parser.nextToken();
            if (!field.equals("ready")) {
                parser.skipChildren();
            } else if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                ready[0] = value == JsonToken.VALUE_TRUE;
            } else {
                throw SlipwayException.invalidInput("ready: %s (expected: true or false)", parser.getText());
            }
        });
        return ready[0];
    }

    /** The names of a load body's parameters ({@code {"parameters": {...}}}); none for an empty body. */
    static Set<String> loadParameters(ByteBuf body) {
        Set<String> names = new HashSet<>();
        fields(body, "{\"parameters\": {}}", (field, parser) -> {
            if (field.equals("parameters")) {
                names.addAll(
                        InferRequestDecoder.parameters(parser, "parameters").keySet());
            } else {
                parser.nextToken();
                parser.skipChildren();
            }
        });
        return names;
    }

    /** Hands each top-level field of a JSON object body to {@code reader}; an empty body has none. */
    private static void fields(ByteBuf body, String example, FieldReader reader) {
        if (!body.isReadable()) {
            return;
        }
        try (JsonParser parser =
                InferRequestDecoder.JSON.createParser((InputStream) new ByteBufInputStream(body.duplicate()))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw SlipwayException.invalidInput("body: expected a JSON object such as %s", example);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                reader.read(parser.currentName(), parser);
            }
        } catch (IOException e) {
            throw SlipwayException.invalidInput("body: not valid JSON: %s", e.getMessage());
        }
    }
}
