package dev.slipway.server.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.server.rest.ServerExtension.HttpResult;
import java.util.ArrayList;
import java.util.List;

/** Checks shared by the REST conformance tests. */
final class RestAssertions {
    private RestAssertions() {}

    /** A 200 with a JSON body; returns the body. */
    static JsonNode assertOk(HttpResult response) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        return response.json();
    }

    /**
     * The protocol's error response (OIP §3.6, §6.2): the status, {@code Content-Type: application/json}, a body that
     * is exactly {@code {"error": "<non-empty message>"}} and the stable code in {@code slipway-error-code}.
     *
     * @return the error message
     */
    static String assertError(HttpResult response, int status, String errorCode) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.header("content-type"))
                .as("content type of %s", response)
                .isEqualTo("application/json");
        assertThat(response.header("slipway-error-code"))
                .as("error code of %s", response)
                .isEqualTo(errorCode);
        JsonNode body = response.json();
        assertThat(body.isObject()).as("body %s is an object", response.body()).isTrue();
        assertThat(fieldNames(body)).as("keys of %s", response.body()).containsExactly("error");
        assertThat(body.get("error").isTextual()).isTrue();
        String message = body.get("error").asText();
        assertThat(message).isNotBlank();
        return message;
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The output named {@code name} of an inference response. */
    static JsonNode output(JsonNode response, String name) {
        for (JsonNode output : response.get("outputs")) {
            if (output.get("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output '" + name + "' in " + response);
    }

    static List<String> outputNames(JsonNode response) {
        List<String> names = new ArrayList<>();
        for (JsonNode output : response.get("outputs")) {
            names.add(output.get("name").asText());
        }
        return names;
    }

    /** The elements of a JSON number array as floats (as a client reading FP32 would). */
    static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            assertThat(array.get(i).isNumber()).as("element %d of %s", i, array).isTrue();
            values[i] = (float) array.get(i).doubleValue();
        }
        return values;
    }

    static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            assertThat(array.get(i).isNumber()).as("element %d of %s", i, array).isTrue();
            values[i] = array.get(i).doubleValue();
        }
        return values;
    }

    static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        for (JsonNode element : array) {
            assertThat(element.isIntegralNumber()).as("element of %s", array).isTrue();
            values.add(element.longValue());
        }
        return values;
    }

    static List<Boolean> booleans(JsonNode array) {
        List<Boolean> values = new ArrayList<>();
        for (JsonNode element : array) {
            assertThat(element.isBoolean()).as("element of %s", array).isTrue();
            values.add(element.booleanValue());
        }
        return values;
    }

    /** A request-input object. */
    static String input(String name, String datatype, String shape, String data) {
        return "{\"name\": \"" + name + "\", \"datatype\": \"" + datatype + "\", \"shape\": " + shape + ", \"data\": "
                + data + "}";
    }

    /** An inference request body with these inputs. */
    static String inferBody(String... inputs) {
        return "{\"inputs\": [" + String.join(", ", inputs) + "]}";
    }
}
