package dev.slipway.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads {@code slipway.yaml} into a {@link SlipwayConfig} and rejects it with every problem listed. */
public final class ConfigLoader {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .build();

    private ConfigLoader() {}

    /**
     * Reads and checks a configuration file. A relative {@code models.repository} is relative to the file's
     * directory, so a deployment's config and models travel together.
     *
     * @throws SlipwayException {@code CONFIG_INVALID} naming the file, the YAML path and the expectation
     */
    public static SlipwayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "config '" + file + "' cannot be read: " + e, e);
        }
        SlipwayConfig config = parse(text, file.toString());
        Path base = java.util.Objects.requireNonNull(file.toAbsolutePath().getParent());
        Path repository = Path.of(config.modelsConfig().repositoryPath());
        if (!repository.isAbsolute() && mentionsRepository(text)) {
            config = config.withModels(
                    new ModelsConfig(base.resolve(repository).normalize().toString()));
        }
        RolloutsConfig rollouts = config.rolloutsConfig();
        if (rollouts.flagsFile() != null && !Path.of(rollouts.flagsFile()).isAbsolute()) {
            config = config.withRollouts(new RolloutsConfig(
                    rollouts.tickInterval(),
                    rollouts.lease(),
                    rollouts.instanceId(),
                    base.resolve(rollouts.flagsFile()).normalize().toString()));
        }
        if (mentions(text, "payload-log", "directory")
                && !Path.of(config.payloadLogConfig().directoryPath()).isAbsolute()) {
            config = config.withPayloadLog(config.payloadLogConfig()
                    .withDirectory(base.resolve(config.payloadLogConfig().directoryPath())
                            .normalize()
                            .toString()));
        }
        if (mentions(text, "feedback", "database")
                && !Path.of(config.feedbackConfig().databasePath()).isAbsolute()) {
            config = config.withFeedback(config.feedbackConfig()
                    .withDatabase(base.resolve(config.feedbackConfig().databasePath())
                            .normalize()
                            .toString()));
        }
        return config;
    }

    private static boolean mentionsRepository(String text) {
        return mentions(text, "models", "repository");
    }

    private static boolean mentions(String text, String section, String key) {
        try {
            return YAML.readTree(text).path(section).has(key);
        } catch (IOException e) {
            return false;
        }
    }

    /** Parses and checks configuration text. */
    public static SlipwayConfig parse(String text, String source) {
        SlipwayConfig config;
        try {
            config = text.isBlank() ? SlipwayConfig.defaults() : YAML.readValue(text, SlipwayConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw invalid(
                    source,
                    List.of(path(e) + ": unknown key (expected one of: "
                            + String.join(
                                    ", ",
                                    e.getKnownPropertyIds().stream()
                                            .map(String::valueOf)
                                            .sorted()
                                            .toList()) + ")"));
        } catch (JsonMappingException e) {
            throw invalid(source, List.of(path(e) + ": " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw invalid(source, List.of("not valid YAML: " + e.getMessage()));
        }
        if (config == null) {
            config = SlipwayConfig.defaults();
        }
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw invalid(source, problems);
        }
        return config;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(root)" : path.toString();
    }

    private static SlipwayException invalid(String source, List<String> problems) {
        return new SlipwayException(
                ErrorCode.CONFIG_INVALID,
                "config '" + source + "' is invalid: " + String.join("; ", problems),
                problems,
                null);
    }
}
