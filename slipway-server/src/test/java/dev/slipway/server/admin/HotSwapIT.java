package dev.slipway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.config.SecurityConfig;
import dev.slipway.server.SlipwayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving the production alias through the admin API while clients keep calling: no request fails. */
class HotSwapIT {
    static final String INFER =
            "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}";

    @TempDir
    static Path temp;

    static RegistryServer registry;
    static SlipwayServer server;

    @BeforeAll
    static void start() {
        registry = new RegistryServer(temp);
        registry.push("scorer", 0.25f, "production");
        registry.push("scorer", 0.5f, null);
        registry.push("scorer", 0.75f, null);
        server = registry.start(SecurityConfig.none());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void swapsUnderContinuousLoadFailNoRequest() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI infer = URI.create("http://127.0.0.1:" + server.httpPort() + "/v2/models/scorer/infer");
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder served = new LongAdder();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        Map<String, Boolean> versionsSeen = new ConcurrentHashMap<>();
        Thread[] clients = new Thread[4];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = client.send(
                                HttpRequest.newBuilder(infer)
                                        .POST(HttpRequest.BodyPublishers.ofString(INFER))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            served.increment();
                            versionsSeen.put(
                                    response.body().replaceAll(".*\"model_version\":\"(\\d+)\".*", "$1"), true);
                        } else {
                            failures.merge(response.statusCode() + " " + response.body(), 1, Integer::sum);
                        }
                    } catch (Exception e) {
                        failures.merge(e.toString(), 1, Integer::sum);
                    }
                }
            });
            clients[i].start();
        }
        HttpClient admin = HttpClient.newHttpClient();
        AtomicInteger moves = new AtomicInteger();
        for (long version : new long[] {2, 3, 1, 3, 2, 1}) {
            HttpResponse<String> moved = admin.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                                    + "/admin/v1/models/scorer/aliases/production"))
                            .timeout(Duration.ofSeconds(30))
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": " + version + "}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
            moves.incrementAndGet();
        }
        running.set(false);
        for (Thread thread : clients) {
            thread.join(30_000);
        }

        assertThat(failures).isEmpty();
        assertThat(served.sum()).isGreaterThan(100);
        assertThat(versionsSeen).containsKeys("1", "2", "3");
        assertThat(moves.get()).isEqualTo(6);
        assertThat(server.repository().resolve("scorer", null).version()).isEqualTo(1);
    }
}
