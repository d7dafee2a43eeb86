package dev.slipway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void theShippedSampleConfigParsesToTheDefaults() {
        SlipwayConfig config = ConfigLoader.load(Path.of("../examples/whatsup-logistics/slipway.yaml"));

        assertThat(config.serverConfig()).isEqualTo(ServerConfig.defaults());
        assertThat(config.enginesConfig()).isEqualTo(EnginesConfig.defaults());
        assertThat(config.modelsConfig().repositoryPath()).isEqualTo(ModelsConfig.DEFAULT_REPOSITORY);
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
