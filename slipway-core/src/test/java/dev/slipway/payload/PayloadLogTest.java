package dev.slipway.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.config.PayloadLogConfig;
import dev.slipway.observe.Sampling;
import dev.slipway.observe.Served;
import dev.slipway.observe.TestEvents;
import dev.slipway.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-11-27T10:15:00.123Z");
    private static final String SALT = "sixteen-chars-salt!";

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(AT);

    private PayloadLogConfig config(double rate, List<String> redact, List<String> hash, int queue) {
        return new PayloadLogConfig(
                true, directory.toString(), rate, redact, hash, hash.isEmpty() ? null : SALT, null, null, null, queue);
    }

    /** Every line of every payload file, in order, each parsed (so each must be one JSON object). */
    private List<JsonNode> lines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        List<Path> files;
        try (var list = Files.list(directory)) {
            files = list.sorted().toList();
        }
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as("line %s", line).isTrue();
                lines.add(node);
            }
        }
        return lines;
    }

    @Test
    void eachRequestIsOneJsonLineWithNamedFeaturesPredictionsAndWhoAnswered() throws IOException {
        try (PayloadLog log =
                PayloadLog.start(config(1, List.of(), List.of(), 100), TestEvents.stallManifests(), clock)) {
            log.served(TestEvents.records("ping-42", AT, 0.92f, 0.04f));
            float[] row = {0f, 240f, 2f, Float.NaN, 95f, 0f, 14f, 6f, 1f, 3f};
            log.served(TestEvents.tensors("t-7", AT, new float[][] {row}, new float[] {0.88f}));
            log.served(TestEvents.refused("bad-1", AT));
        }

        List<JsonNode> lines = lines();

        assertThat(lines).hasSize(3);
        JsonNode first = lines.get(0);
        assertThat(first.get("timestamp").asText()).isEqualTo("2026-11-27T10:15:00.123Z");
        assertThat(first.get("request_id").asText()).isEqualTo("ping-42");
        assertThat(first.get("protocol").asText()).isEqualTo("rest-v1");
        assertThat(first.get("endpoint").asText()).isEqualTo("stall-detector");
        assertThat(first.get("model").asText()).isEqualTo("stall-detector");
        assertThat(first.get("version").asText()).isEqualTo("2");
        assertThat(first.get("variant").asText()).isEqualTo("primary");
        assertThat(first.get("epoch").asLong()).isEqualTo(3);
        assertThat(first.get("latency_ms").asDouble()).isEqualTo(0.41);
        assertThat(first.get("rows").asInt()).isEqualTo(2);
        assertThat(first.has("error")).isFalse();
        assertThat(first.get("features")).hasSize(2);
        assertThat(first.get("features").get(0).get("minutes_since_last_move").asDouble())
                .isEqualTo(240);
        assertThat(first.get("features")
                        .get(0)
                        .get("distance_to_destination_km")
                        .isNull())
                .isTrue();
        assertThat(first.get("predictions").get(0).get("stall_probability").floatValue())
                .isEqualTo(0.92f);
        assertThat(first.get("predictions").get(1).get("stalled").asBoolean()).isFalse();

        JsonNode tensor = lines.get(1);
        assertThat(tensor.get("variant").asText()).isEqualTo("canary");
        JsonNode features = tensor.get("features").get(0);
        assertThat(features.get("road_type").asText()).isEqualTo("yard");
        assertThat(features.get("ignition_on").asBoolean()).isTrue();
        assertThat(features.get("in_geofence").isBoolean()).isTrue();
        assertThat(features.get("hour_of_day").isIntegralNumber()).isTrue();
        assertThat(features.get("distance_to_destination_km").isNull()).isTrue();

        JsonNode refused = lines.get(2);
        assertThat(refused.get("error").asText()).isEqualTo("INVALID_INPUT");
        assertThat(refused.get("model").isNull()).isTrue();
        assertThat(refused.get("predictions").isNull()).isTrue();
        assertThat(refused.get("features").get(0).get("speed_kmh").asDouble()).isEqualTo(-5);
    }

    @Test
    void theSampleIsTheRequestsWhoseIdHashesBelowTheRate() throws IOException {
        int n = 4000;
        int expected = 0;
        try (PayloadLog log =
                PayloadLog.start(config(0.25, List.of(), List.of(), n), TestEvents.stallManifests(), clock)) {
            for (int i = 0; i < n; i++) {
                log.served(TestEvents.records("req-" + i, AT, 0.5f));
                expected += Sampling.sampled("req-" + i, 0.25) ? 1 : 0;
            }
            log.close();
            PayloadLogStats stats = log.stats();
            assertThat(stats.written()).isEqualTo(expected);
            assertThat(stats.sampledOut()).isEqualTo(n - expected);
            assertThat(stats.dropped()).isZero();
        }

        List<JsonNode> lines = lines();

        assertThat(lines).hasSize(expected);
        assertThat((double) lines.size() / n).isCloseTo(0.25, within(5 * Math.sqrt(0.25 * 0.75 / n)));
        assertThat(lines).allSatisfy(line -> assertThat(
                        Sampling.sampled(line.get("request_id").asText(), 0.25))
                .isTrue());
    }

    @Test
    void redactedFieldsAreDroppedAndHashedOnesReplacedByTheKeyedHash() throws IOException {
        PayloadLogConfig config =
                config(1, List.of("minutes_since_last_ping", "stalled"), List.of("road_type", "speed_kmh"), 10);
        try (PayloadLog log = PayloadLog.start(config, TestEvents.stallManifests(), clock)) {
            Served ping = TestEvents.records("ping-1", AT, 0.92f);
            log.served(ping);
            float[] row = {87.5f, 0f, 1f, 12f, 5f, 1f, 9f, 2f, 1f, 2f};
            log.served(TestEvents.tensors("t-1", AT, new float[][] {row}, new float[] {0.04f}));
        }

        List<JsonNode> lines = lines();

        JsonNode records = lines.get(0).get("features").get(0);
        assertThat(records.has("minutes_since_last_ping")).isFalse();
        assertThat(records.has("minutes_since_last_move")).isTrue();
        // HMAC-SHA256 keyed by the salt, computed independently with Python's hmac module
        assertThat(records.get("road_type").asText())
                .isEqualTo("9adbf26d2ddfc431d375b9e7de6d392dc00d753fb0996b08fc7e4e29bcc5c36b");
        assertThat(lines.get(0).get("predictions").get(0).has("stalled")).isFalse();
        assertThat(lines.get(0).get("predictions").get(0).has("stall_probability"))
                .isTrue();
        JsonNode tensor = lines.get(1).get("features").get(0);
        assertThat(tensor.get("road_type").asText())
                .isEqualTo("9dd2c79ae8d94c771a4cabccfee1ab4e5e3c0272d5352268963007d44852eb95");
        assertThat(tensor.get("speed_kmh").asText())
                .isEqualTo("a277ba7f303d678fe8449de19cc706c50b062515ceecdf39445920007d30e587");
        assertThat(tensor.has("minutes_since_last_ping")).isFalse();
        assertThat(lines.get(1).toString()).doesNotContain("rural").doesNotContain("87.5");
    }

    /** A sink whose first write blocks until released; it keeps the lines it is given. */
    private static final class BlockingSink implements LineSink {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void write(byte[] line) {
            writing.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(new String(line, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {}

        @Override
        public void tick() {}

        @Override
        public void close() {}
    }

    @Test
    void aFullQueueDropsAndCountsWhileTheWriterIsBlocked() throws Exception {
        BlockingSink sink = new BlockingSink();
        int capacity = 3;
        PayloadLog log = new PayloadLog(
                config(1, List.of(), List.of(), capacity), TestEvents.stallManifests(), sink, null, Thread::new);
        try {
            log.served(TestEvents.records("r-0", AT, 0.5f));
            assertThat(sink.writing.await(20, TimeUnit.SECONDS)).isTrue(); // the writer holds r-0, stuck in write

            // a hand-off that waited for room would hang here until the sink is released
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 1; i <= capacity + 5; i++) {
                    log.served(TestEvents.records("r-" + i, AT, 0.5f));
                }
            });

            PayloadLogStats blocked = log.stats();
            assertThat(blocked.queued()).isEqualTo(capacity);
            assertThat(blocked.dropped()).isEqualTo(5);
            assertThat(blocked.written()).isZero();
        } finally {
            sink.release.countDown();
            log.close();
        }
        PayloadLogStats done = log.stats();
        assertThat(done.written()).isEqualTo(1 + capacity);
        assertThat(done.dropped()).isEqualTo(5);
        assertThat(done.offered()).isEqualTo(1 + capacity + 5);
        assertThat(sink.lines).hasSize(1 + capacity);
        for (String line : sink.lines) {
            assertThat(line).endsWith("\n");
            assertThat(JSON.readTree(line).get("request_id").asText()).matches("r-[0-3]");
        }
    }

    @Test
    void requestsWithoutABodyAreSkippedAndCounted() {
        try (PayloadLog log =
                PayloadLog.start(config(1, List.of(), List.of(), 10), TestEvents.stallManifests(), clock)) {
            Served undecoded = new Served(
                    "x-1",
                    "rest-v2",
                    "stall-detector",
                    null,
                    null,
                    "",
                    0,
                    dev.slipway.api.ErrorCode.INVALID_INPUT,
                    1000,
                    0,
                    AT,
                    null,
                    null);
            log.served(undecoded);
            log.close();
            assertThat(log.stats().skipped()).isEqualTo(1);
            assertThat(log.stats().written()).isZero();
        }
    }
}
