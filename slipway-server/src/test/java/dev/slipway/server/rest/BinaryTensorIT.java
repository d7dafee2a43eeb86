package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP binary tensor data extension, the way tritonclient uses it: binary inputs, binary outputs on request. */
class BinaryTensorIT {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension().models(TestModels.fraud(1), TestModels.fraud(2));

    private static final String FRAUD = "/v2/models/fraud/versions/2/infer";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Binary(int status, String contentType, String headerLength, byte[] body) {
        int jsonLength() {
            return headerLength == null ? body.length : Integer.parseInt(headerLength);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(new String(body, 0, jsonLength(), StandardCharsets.UTF_8));
        }

        ByteBuffer tail() {
            return ByteBuffer.wrap(body, jsonLength(), body.length - jsonLength())
                    .slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    /** Sends JSON followed by binary tensor bytes, as tritonclient does: no Content-Type, the JSON length header. */
    static Binary send(String json, byte[] tail, String headerLength) throws Exception {
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, body, head.length, tail.length);
        HttpResponse<byte[]> response = server.client()
                .send(
                        server.request(FRAUD)
                                .header("Inference-Header-Content-Length", headerLength)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        return new Binary(
                response.statusCode(),
                response.headers().firstValue("content-type").orElse(""),
                response.headers().firstValue("inference-header-content-length").orElse(null),
                response.body());
    }

    static Binary send(String json, byte[] tail) throws Exception {
        return send(json, tail, Integer.toString(json.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    @Specification(number = "8.1", text = "binary inputs and binary outputs, split by Inference-Header-Content-Length")
    void binaryInputsAndOutputsRoundTrip() throws Exception {
        String json = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[2,2],"
                + "\"parameters\":{\"binary_data_size\":16}}],"
                + "\"outputs\":[{\"name\":\"fraud_probability\",\"parameters\":{\"binary_data\":true}},"
                + "{\"name\":\"fraudulent\",\"parameters\":{\"binary_data\":false}}]}";

        Binary response = send(json, floats(1500, 30, 20, 400));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/octet-stream");
        JsonNode outputs = response.json().get("outputs");
        assertThat(outputs.get(0).get("parameters").get("binary_data_size").asInt())
                .isEqualTo(8);
        assertThat(outputs.get(0).has("data")).isFalse();
        assertThat(outputs.get(1).get("data")).hasSize(2);
        ByteBuffer tail = response.tail();
        assertThat(tail.remaining()).isEqualTo(8);
        assertThat(tail.getFloat()).isCloseTo(TestModels.fraudProbability(2, 1500, 30), within(1e-7f));
        assertThat(tail.getFloat()).isCloseTo(TestModels.fraudProbability(2, 20, 400), within(1e-7f));
    }

    @Test
    @Specification(number = "8.1", text = "binary_data_output makes every output binary unless one says otherwise")
    void binaryDataOutputAppliesToEveryOutput() throws Exception {
        String json = "{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\"input\","
                + "\"datatype\":\"FP32\",\"shape\":[1,2],\"parameters\":{\"binary_data_size\":8}}]}";

        Binary response = send(json, floats(1500, 30));

        JsonNode outputs = response.json().get("outputs");
        int total = 0;
        for (JsonNode output : outputs) {
            assertThat(output.has("data")).as(output.toString()).isFalse();
            total += output.get("parameters").get("binary_data_size").asInt();
        }
        assertThat(response.tail().remaining()).isEqualTo(total);
        assertThat(response.tail().getFloat()).isCloseTo(TestModels.fraudProbability(2, 1500, 30), within(1e-7f));
    }

    @Test
    @Specification(number = "8.1", text = "without binary outputs the answer is plain JSON")
    void jsonOutputsStayJson() throws Exception {
        String json = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,2],"
                + "\"parameters\":{\"binary_data_size\":8}}]}";

        Binary response = send(json, floats(1500, 30));

        assertThat(response.contentType()).isEqualTo("application/json");
        assertThat(response.headerLength()).isNull();
        assertThat(response.json().get("outputs").get(0).get("data").get(0).floatValue())
                .isCloseTo(TestModels.fraudProbability(2, 1500, 30), within(1e-7f));
    }

    @Test
    @Specification(number = "8.1", text = "tail shorter than binary_data_size, leftover bytes, bad header: 400")
    void sizeMistakesAreRejected() throws Exception {
        String json = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,2],"
                + "\"parameters\":{\"binary_data_size\":8}}]}";
        String wrongSize = json.replace("\"binary_data_size\":8", "\"binary_data_size\":12");

        Binary shortTail = send(json, floats(1500));
        Binary leftover = send(json, floats(1500, 30, 7));
        Binary mismatch = send(wrongSize, floats(1500, 30, 7));
        Binary badHeader = send(json, floats(1500, 30), "99999");

        assertThat(new String(shortTail.body(), StandardCharsets.UTF_8)).contains("unexpected size for input");
        assertThat(new String(leftover.body(), StandardCharsets.UTF_8)).contains("unexpected additional input data");
        assertThat(new String(mismatch.body(), StandardCharsets.UTF_8)).contains("12 bytes of raw data (expected: 8");
        assertThat(new String(badHeader.body(), StandardCharsets.UTF_8)).contains("Inference-Header-Content-Length");
        for (Binary response : new Binary[] {shortTail, leftover, mismatch, badHeader}) {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.contentType()).isEqualTo("application/json");
        }
    }

    @Test
    @Specification(number = "8.1", text = "binary_data_size without the header is refused")
    void binaryInputWithoutHeaderIsRejected() {
        String json = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,2],"
                + "\"parameters\":{\"binary_data_size\":8}}]}";

        String message = assertError(server.post(FRAUD, json), 400, "INVALID_INPUT");

        assertThat(message).contains("Inference-Header-Content-Length");
    }

    @Test
    @Specification(number = "6.2", text = "an expired Slipway-Timeout-Ms or a bad one")
    void timeoutHeaderIsValidated() {
        String json = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[1500,30]}]}";

        String bad = assertError(
                server.send(server.request(FRAUD)
                        .header("Slipway-Timeout-Ms", "soon")
                        .POST(HttpRequest.BodyPublishers.ofString(json))),
                400,
                "INVALID_INPUT");
        ServerExtension.HttpResult ok = server.send(server.request(FRAUD)
                .header("Slipway-Timeout-Ms", "5000")
                .POST(HttpRequest.BodyPublishers.ofString(json)));

        assertThat(bad).contains("Slipway-Timeout-Ms").contains("soon");
        assertThat(ok.status()).isEqualTo(200);
    }
}
