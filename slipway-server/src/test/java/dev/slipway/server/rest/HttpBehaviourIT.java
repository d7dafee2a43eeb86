package dev.slipway.server.rest;

import static dev.slipway.server.rest.RestAssertions.assertError;
import static dev.slipway.server.rest.RestAssertions.assertOk;
import static dev.slipway.server.rest.RestAssertions.inferBody;
import static dev.slipway.server.rest.RestAssertions.input;
import static dev.slipway.server.rest.RestAssertions.output;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.server.rest.ServerExtension.HttpResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP itself: routing, methods, connections and request ids. */
class HttpBehaviourIT {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension().models(TestModels.fraud(1));

    private static final String ONE_ROW = inferBody(input("input", "FP32", "[1, 2]", "[1500, 30]"));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/v3",
                "/v2/health",
                "/v2/health/dead",
                "/v2/models",
                "/v2/models/fraud/versions",
                "/v2/models/fraud/versions/1/bogus",
                "/v2/models/fraud/infer/extra",
                "/v2/repository",
                "/v2/repository/models/fraud",
                "/v1/models",
                "/v2/metrics"
            })
    @Specification(number = "2", text = "unknown path: 404 with the error object")
    void unknownPathReturnsNotFound(String path) {
        String message = assertError(server.get(path), 404, "ROUTE_NOT_FOUND");

        assertThat(message).contains("Not Found");
    }

    @ParameterizedTest
    @CsvSource({
        "DELETE, /v2/health/live, GET",
        "POST, /v2/health/ready, GET",
        "PUT, /v2, GET",
        "POST, /v2/models/fraud, GET",
        "POST, /v2/models/fraud/versions/1/ready, GET",
        "GET, /v2/models/fraud/infer, POST",
        "PUT, /v2/models/fraud/versions/1/infer, POST",
        "GET, /v2/repository/index, POST",
        "GET, /v2/repository/models/fraud/load, POST",
        "DELETE, /v2/repository/models/fraud/unload, POST",
        "GET, /v1/models/fraud:predict, POST",
        "POST, /v1/models/fraud, GET"
    })
    @Specification(number = "2", text = "wrong method on a known path: 405 with Allow")
    void wrongMethodReturnsMethodNotAllowed(String method, String path, String allowed) {
        HttpResult response = server.send(server.request(path).method(method, HttpRequest.BodyPublishers.noBody()));

        String message = assertError(response, 405, "METHOD_NOT_ALLOWED");
        assertThat(message).contains("Method Not Allowed");
        assertThat(response.header("allow")).isEqualTo(allowed);
    }

    @Test
    @Specification(number = "2", text = "a query string does not change the route")
    void queryStringIsIgnored() {
        assertThat(assertOk(server.get("/v2/health/live?verbose=1")).get("live").asBoolean())
                .isTrue();
    }

    @Test
    @Specification(number = "6.2", text = "x-request-id is echoed on success and on errors")
    void requestIdIsEchoed() {
        HttpResult ok = server.send(server.request("/v2/models/fraud/infer")
                .header("x-request-id", "trace-abc-123")
                .POST(HttpRequest.BodyPublishers.ofString(ONE_ROW)));
        HttpResult error = server.send(server.request("/v2/models/nope").header("x-request-id", "trace-def-456"));
        HttpResult inline = server.send(server.request("/v2/health/live").header("x-request-id", "trace-ghi-789"));

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("x-request-id")).isEqualTo("trace-abc-123");
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.header("x-request-id")).isEqualTo("trace-def-456");
        assertThat(inline.header("x-request-id")).isEqualTo("trace-ghi-789");
    }

    @Test
    @Specification(number = "6.2", text = "a request without x-request-id gets a fresh one")
    void requestIdIsGeneratedWhenAbsent() {
        String first = server.get("/v2/health/live").header("x-request-id");
        String second = server.get("/v2/health/live").header("x-request-id");

        assertThat(first).isNotBlank();
        assertThat(second).isNotBlank().isNotEqualTo(first);
    }

    @Test
    @Specification(number = "6.2", text = "x-request-id is echoed on a 413 for an oversized body")
    void requestIdIsEchoedOnOversizedBody() {
        String body = " ".repeat((int) server.maxBodyBytes() + 1);

        HttpResult response = server.send(server.request("/v2/models/fraud/infer")
                .header("x-request-id", "trace-big-1")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

        assertError(response, 413, "PAYLOAD_TOO_LARGE");
        assertThat(response.header("x-request-id")).isEqualTo("trace-big-1");
    }

    @Test
    @Specification(number = "9", text = "the default JDK client (HTTP/2 upgrade offered on plain HTTP) works")
    void defaultClientWorks() {
        HttpClient client = HttpClient.newHttpClient();

        HttpResult live =
                ServerExtension.send(client, server.request("/v2/health/live").build());
        HttpResult inferred = ServerExtension.send(
                client,
                server.request("/v2/models/fraud/infer")
                        .POST(HttpRequest.BodyPublishers.ofString(ONE_ROW))
                        .build());

        assertThat(assertOk(live).get("live").asBoolean()).isTrue();
        assertThat((float) output(assertOk(inferred), "fraud_probability")
                        .get("data")
                        .get(0)
                        .doubleValue())
                .isEqualTo(TestModels.fraudProbability(1, 1500, 30));
    }

    @Test
    @Specification(number = "2", text = "several requests, errors included, share one keep-alive connection")
    void requestsShareOneKeepAliveConnection() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) ServerExtension.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();

            RawResponse live = exchange(out, in, "GET", "/v2/health/live", null);
            RawResponse missing = exchange(out, in, "GET", "/v2/models/nope", null);
            RawResponse badBody = exchange(out, in, "POST", "/v2/models/fraud/infer", "{\"inputs\": []}");
            RawResponse inferred = exchange(out, in, "POST", "/v2/models/fraud/infer", ONE_ROW);
            RawResponse ready = exchange(out, in, "GET", "/v2/models/fraud/ready", null);

            assertThat(live.status()).isEqualTo(200);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(badBody.status()).isEqualTo(400);
            assertThat(inferred.status()).isEqualTo(200);
            assertThat(ready.status()).isEqualTo(200);
            JsonNode body = ServerExtension.JSON.readTree(inferred.body());
            assertThat((float)
                            output(body, "fraud_probability").get("data").get(0).doubleValue())
                    .isEqualTo(TestModels.fraudProbability(1, 1500, 30));
            for (RawResponse response : new RawResponse[] {live, missing, badBody, inferred, ready}) {
                assertThat(response.headers().getOrDefault("connection", "")).isNotEqualToIgnoringCase("close");
            }
        }
    }

    @Test
    @Specification(number = "1", text = "a malformed percent-escape in the path is 400, not a dropped connection")
    void malformedPercentEscapeIsAClientError() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) ServerExtension.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();

            RawResponse response = exchange(out, in, "GET", "/v2/models/fr%zzaud/ready", null);
            RawResponse next = exchange(out, in, "GET", "/v2/models/fraud/ready", null);

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.headers().get("content-type")).isEqualTo("application/json");
            assertThat(response.headers().get("slipway-error-code")).isEqualTo("INVALID_INPUT");
            assertThat(ServerExtension.JSON
                            .readTree(response.body())
                            .get("error")
                            .asText())
                    .contains("fr%zzaud")
                    .contains("percent-escape");
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    @Specification(
            number = "6.2",
            text = "a request line too long for the server is a client error; the client carries on")
    void tooLongRequestLineIsAClientErrorAndTheClientCarriesOn() {
        String path = "/v2/models/" + "m".repeat(5000);

        HttpResult tooLong = server.get(path);
        HttpResult next = server.get("/v2/health/live");

        assertError(tooLong, 400, "INVALID_INPUT");
        assertThat(assertOk(next).get("live").asBoolean()).isTrue();
    }

    @Test
    @Specification(number = "6.2", text = "headers too large for the server are a client error; the client carries on")
    void tooLargeHeadersAreAClientErrorAndTheClientCarriesOn() {
        HttpResult tooLarge = server.send(server.request("/v2/health/live").header("x-padding", "p".repeat(20_000)));
        HttpResult next = server.get("/v2/health/live");

        assertError(tooLarge, 400, "INVALID_INPUT");
        assertThat(assertOk(next).get("live").asBoolean()).isTrue();
    }

    @Test
    @Specification(number = "1", text = "a chunked request body is accepted")
    void chunkedBodyIsAccepted() {
        HttpResult response = server.send(server.request("/v2/models/fraud/infer")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(ONE_ROW.getBytes(UTF_8)))));

        assertThat((float) output(assertOk(response), "fraud_probability")
                        .get("data")
                        .get(0)
                        .doubleValue())
                .isEqualTo(TestModels.fraudProbability(1, 1500, 30));
    }

    @Test
    @Specification(number = "6.2", text = "a chunked body above max-body-bytes is 413 with the error object")
    void oversizedChunkedBodyIsRejected() {
        byte[] body = (ONE_ROW + " ".repeat((int) server.maxBodyBytes())).getBytes(UTF_8);

        HttpResult response = server.send(server.request("/v2/models/fraud/infer")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));

        assertError(response, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    @Specification(number = "6.2", text = "Expect: 100-continue with a body above max-body-bytes is 413 at once")
    void oversizedBodyWithExpectContinueIsRejectedBeforeItIsSent() throws IOException {
        // A raw socket: the JDK 17 client waits forever for a 100 when the server answers 413 at once (JDK-8286171).
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) ServerExtension.TIMEOUT.toMillis());
            String head = "POST /v2/models/fraud/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                    + "x-request-id: trace-continue-1\r\nContent-Length: " + (server.maxBodyBytes() + 1) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(US_ASCII));
            socket.getOutputStream().flush();

            RawResponse response = read(socket.getInputStream());

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.headers().get("content-type")).isEqualTo("application/json");
            assertThat(response.headers().get("slipway-error-code")).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(response.headers().get("x-request-id")).isEqualTo("trace-continue-1");
            assertThat(ServerExtension.JSON
                            .readTree(response.body())
                            .get("error")
                            .asText())
                    .contains(Long.toString(server.maxBodyBytes()));
        }
    }

    @Test
    @Specification(number = "1", text = "Expect: 100-continue with an acceptable body is served")
    void expectContinueIsServed() {
        HttpResult response = server.send(server.request("/v2/models/fraud/infer")
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(ONE_ROW)));

        assertThat(assertOk(response).get("model_name").asText()).isEqualTo("fraud");
    }

    /** A response read off a raw socket. */
    private record RawResponse(int status, Map<String, String> headers, String body) {}

    /** Writes one HTTP/1.1 request and reads exactly one response (by its Content-Length), leaving the socket open. */
    private static RawResponse exchange(
            OutputStream out, InputStream in, String method, String path, @Nullable String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\n")
                + "Content-Length: " + content.length + "\r\n\r\n";
        out.write(head.getBytes(US_ASCII));
        out.write(content);
        out.flush();
        return read(in);
    }

    /** Reads exactly one response (by its Content-Length), leaving the socket open. */
    private static RawResponse read(InputStream in) throws IOException {
        String statusLine = readLine(in);
        assertThat(statusLine).startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] responseBody = in.readNBytes(length);
        assertThat(responseBody).hasSize(length);
        return new RawResponse(status, headers, new String(responseBody, UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed after: " + line.toString(US_ASCII));
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(US_ASCII);
    }
}
