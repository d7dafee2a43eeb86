package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.inference.Engines;
import dev.slipway.inference.ModelLoader;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.registry.PushListener;
import dev.slipway.registry.PushOptions;
import dev.slipway.registry.RegistryLocation;
import dev.slipway.spi.EngineOptions;
import dev.slipway.testing.FakeModels;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry across real processes: a fleet sharing PostgreSQL, and a push killed with SIGKILL halfway. */
class RegistryProcessesIT {
    static final float[] WEIGHTS = {0.5f, -1.25f, 2f};
    static final Pattern REST_URL = Pattern.compile("REST \\(Open Inference Protocol v2\\)\\s+(http://\\S+)/v2");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    ModelLoader loader() {
        return new ModelLoader(Engines.discover(), EngineOptions.defaults(), Clock.systemUTC());
    }

    static String servedVersion(String base) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/v2/models/scorer/infer"))
                        .timeout(Duration.ofSeconds(10))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().replaceAll(".*\"model_version\":\"(\\d+)\".*", "$1");
    }

    @Test
    void twoServersSharingPostgresFollowAnAliasMove() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            Path artifacts = temp.resolve("artifacts");
            ModelRegistry registry =
                    ModelRegistry.open(new RegistryLocation(url, artifacts, null, null), Clock.systemUTC());
            for (float bias : new float[] {0.25f, 0.5f}) {
                registry.push(
                        FakeModels.write(temp.resolve("src" + bias), "scorer", 1, WEIGHTS, bias),
                        new PushOptions("test", bias == 0.25f ? "production" : "candidate", null, null),
                        loader(),
                        PushListener.NONE);
            }
            Path config = Files.writeString(temp.resolve("slipway.yaml"), "registry:\n  poll-interval: PT0.5S\n");
            String[] serve = {
                "serve",
                "--config",
                config.toString(),
                "--registry",
                url,
                "--artifacts",
                artifacts.toString(),
                "--port",
                "0",
                "--grpc-port",
                "-1"
            };
            try (Processes.Running first = Processes.java(temp, SlipwayCli.class.getName(), serve);
                    Processes.Running second = Processes.java(temp, SlipwayCli.class.getName(), serve)) {
                String one = first.await(REST_URL, 60).group(1);
                String two = second.await(REST_URL, 60).group(1);
                assertThat(servedVersion(one)).isEqualTo("1");
                assertThat(servedVersion(two)).isEqualTo("1");

                long moved = System.nanoTime();
                registry.alias("scorer", 2, "production", "test", "promote");

                await().atMost(10, TimeUnit.SECONDS)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> servedVersion(one).equals("2")
                                && servedVersion(two).equals("2"));
                long convergedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - moved);
                System.out.println("fleet converged in " + convergedMillis + " ms (poll interval 500 ms)");
                assertThat(convergedMillis).isLessThan(5_000);
            }
        }
    }

    @Test
    void aPushKilledHalfwayLeavesNothingRegisteredAndTheNextPushIsConsistent() throws Exception {
        Path file = temp.resolve("registry.db");
        Path model = FakeModels.write(temp.resolve("src"), "scorer", 1, WEIGHTS, 0.25f);
        try (Processes.Running push =
                Processes.java(temp, PushAndHang.class.getName(), file.toString(), model.toString())) {
            push.await(Pattern.compile("STORED 3"), 60);
            push.process.destroyForcibly();
            assertThat(push.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        ModelRegistry registry = ModelRegistry.open(RegistryLocation.parse(file.toString(), null), Clock.systemUTC());
        assertThat(registry.list()).isEmpty();
        assertThat(registry.audit(null, 10)).isEmpty();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet check = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
            check.next();
            assertThat(check.getString(1)).isEqualTo("ok");
        }

        long version = registry.push(
                        model, new PushOptions("test", "production", null, null), loader(), PushListener.NONE)
                .version();
        assertThat(version).isEqualTo(1);
        assertThat(registry.version("scorer", "production").files()).hasSize(3);
        List<?> audit = registry.audit("scorer", 10);
        assertThat(audit).hasSize(2);
    }
}
