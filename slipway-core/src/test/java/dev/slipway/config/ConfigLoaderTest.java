package dev.slipway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void theShippedSampleConfigParses() {
        Path file = Path.of("../examples/whatsup-logistics/slipway.yaml");

        SlipwayConfig config = ConfigLoader.load(file);

        assertThat(config.serverConfig()).isEqualTo(ServerConfig.defaults());
        assertThat(config.enginesConfig()).isEqualTo(EnginesConfig.defaults());
        assertThat(Path.of(config.modelsConfig().repositoryPath()))
                .isEqualTo(file.toAbsolutePath().getParent().resolve("models").normalize());
        assertThat(config.servingConfig().optionsFor("stall-detector", 2).maxBatchSize())
                .isEqualTo(64);
        assertThat(config.servingConfig().optionsFor("stall-detector", 1).batching())
                .isFalse();
        assertThat(config.metricsConfig()).isEqualTo(MetricsConfig.defaults());
        assertThat(config.monitoringConfig()).isEqualTo(MonitoringConfig.defaults());
        assertThat(config.tracingConfig()).isEqualTo(TracingConfig.off());
        assertThat(config.payloadLogConfig().on()).isFalse();
        assertThat(Path.of(config.payloadLogConfig().directoryPath()))
                .isEqualTo(file.toAbsolutePath()
                        .getParent()
                        .resolve("slipway-data/payloads")
                        .normalize());
        assertThat(config.feedbackConfig().on()).isFalse();
        assertThat(Path.of(config.feedbackConfig().databasePath()))
                .isEqualTo(file.toAbsolutePath()
                        .getParent()
                        .resolve("slipway-data/feedback.db")
                        .normalize());
        assertThat(config.feedbackConfig().windowLength()).isEqualTo(FeedbackConfig.DEFAULT_WINDOW);
    }

    @Test
    void servingOptionsResolveVersionThenModelThenDefaults() {
        ServingConfig serving = new ServingConfig(
                new ServingConfig.Entry(null, 100L, 50, null),
                java.util.Map.of(
                        "m", new ServingConfig.Entry(8, null, null, 2),
                        "m:3", new ServingConfig.Entry(32, null, null, null)));

        var three = serving.optionsFor("m", 3);
        var one = serving.optionsFor("m", 1);
        var other = serving.optionsFor("other", 1);

        assertThat(three.maxBatchSize()).isEqualTo(32);
        assertThat(three.instances()).isEqualTo(2);
        assertThat(three.maxQueueDelay()).isEqualTo(java.time.Duration.ofNanos(100_000));
        assertThat(three.maxConcurrency()).isEqualTo(50);
        assertThat(one.maxBatchSize()).isEqualTo(8);
        assertThat(other.maxBatchSize()).isEqualTo(1);
        assertThat(other.instances()).isEqualTo(1);
    }

    @Test
    void servingKeysMustNameAModelOrAVersion() {
        assertThatThrownBy(() -> ConfigLoader.parse(
                        "serving:\n  models:\n    \"bad name!\": {max-batch-size: 0}\n", "slipway.yaml"))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.details())
                        .anySatisfy(p -> assertThat(p).startsWith("serving.models.bad name!: not a model name"))
                        .anySatisfy(p -> assertThat(p).startsWith("serving.models.bad name!.max-batch-size: 0")));
    }

    @Test
    void anEmptyFileIsTheDefaults() {
        assertThat(ConfigLoader.parse("", "slipway.yaml")).isEqualTo(SlipwayConfig.defaults());
    }

    @Test
    void everyBadValueIsListedWithItsPath() {
        String text =
                """
                server:
                  http-port: 70000
                  max-rows: 0
                  max-body-bytes: 10
                engines:
                  intra-op-threads: 0
                """;

        assertThatThrownBy(() -> ConfigLoader.parse(text, "slipway.yaml"))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.details())
                            .containsExactly(
                                    "server.http-port: 70000 (expected: 0..65535)",
                                    "server.max-body-bytes: 10 (expected: 1024..2147483647)",
                                    "server.max-rows: 0 (expected: >= 1)",
                                    "engines.intra-op-threads: 0 (expected: 1..256)");
                });
    }

    @Test
    void aTypoNamesTheKeyAndTheKnownKeys() {
        assertThatThrownBy(() -> ConfigLoader.parse("server:\n  http-prot: 1\n", "slipway.yaml"))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.getMessage())
                        .contains("server.http-prot: unknown key")
                        .contains("http-port"));
    }

    @Test
    void aWrongTypeNamesThePath() {
        assertThatThrownBy(() -> ConfigLoader.parse("server:\n  http-port: eighty\n", "slipway.yaml"))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.getMessage()).contains("server.http-port"));
    }
}
