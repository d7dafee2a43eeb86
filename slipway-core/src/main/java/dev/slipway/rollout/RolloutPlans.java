package dev.slipway.rollout;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads rollout plans from a plan file, a manifest's {@code rollout:} section or any YAML node. */
public final class RolloutPlans {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new JavaTimeModule())
            .build();

    private RolloutPlans() {}

    /**
     * A plan from a YAML node, with every problem (unknown keys, wrong types, bad values) named under {@code path}.
     *
     * @return the plan, or the problems in {@code problems}
     */
    public static Optional<RolloutPlan> parse(JsonNode node, String path, List<String> problems) {
        RolloutPlan plan;
        try {
            plan = YAML.treeToValue(node, RolloutPlan.class);
        } catch (UnrecognizedPropertyException e) {
            problems.add(at(path, e) + ": unknown key (expected one of: "
                    + String.join(
                            ", ",
                            e.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .toList())
                    + ")");
            return Optional.empty();
        } catch (JsonMappingException e) {
            problems.add(at(path, e) + ": " + e.getOriginalMessage());
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            problems.add(path + ": " + e.getMessage());
            return Optional.empty();
        }
        if (plan == null) {
            problems.add(path + ": empty (expected: a rollout plan)");
            return Optional.empty();
        }
        List<String> own = plan.problems(path);
        problems.addAll(own);
        return own.isEmpty() ? Optional.of(plan) : Optional.empty();
    }

    /**
     * A plan file given to {@code slipway rollout start --plan}.
     *
     * @throws SlipwayException {@code CONFIG_INVALID} naming the file and every problem
     */
    public static RolloutPlan read(Path file) {
        JsonNode node;
        try {
            node = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "plan '" + file + "' cannot be read: " + e, e);
        }
        return orThrow(node == null ? YAML.nullNode() : node, "plan '" + file + "'");
    }

    /** The {@code rollout:} section of a manifest's text, if it has one. */
    public static Optional<RolloutPlan> fromManifest(String manifestYaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(manifestYaml);
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, source + " is not valid YAML: " + e.getMessage(), e);
        }
        JsonNode section = root == null ? null : root.get("rollout");
        return section == null || section.isNull() ? Optional.empty() : Optional.of(orThrow(section, source));
    }

    /**
     * The plan a rollout follows: the one given, else the candidate manifest's {@code rollout:} section, else the
     * endpoint's in {@code slipway.yaml}, else {@link RolloutPlan#DEFAULT}.
     */
    public static RolloutPlan choose(
            @org.jspecify.annotations.Nullable RolloutPlan given,
            String candidateManifest,
            String candidateName,
            @org.jspecify.annotations.Nullable RolloutPlan endpointDefault) {
        if (given != null) {
            return given;
        }
        Optional<RolloutPlan> declared = fromManifest(candidateManifest, "manifest of " + candidateName);
        if (declared.isPresent()) {
            return declared.get();
        }
        return endpointDefault != null ? endpointDefault : RolloutPlan.DEFAULT;
    }

    /**
     * A plan from a JSON or YAML node given over the admin API.
     *
     * @throws SlipwayException {@code INVALID_INPUT} naming every problem
     */
    public static RolloutPlan fromRequest(JsonNode node) {
        List<String> problems = new ArrayList<>();
        Optional<RolloutPlan> plan = parse(node, "plan", problems);
        if (plan.isEmpty()) {
            throw SlipwayException.invalidInput(problems);
        }
        return plan.get();
    }

    private static RolloutPlan orThrow(JsonNode node, String source) {
        List<String> problems = new ArrayList<>();
        Optional<RolloutPlan> plan = parse(node, "rollout", problems);
        if (plan.isEmpty()) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    source + " has an invalid rollout plan: " + String.join("; ", problems),
                    problems,
                    null);
        }
        return plan.get();
    }

    private static String at(String path, JsonMappingException e) {
        StringBuilder at = new StringBuilder(path);
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                at.append('.').append(reference.getFieldName());
            } else {
                at.append('[').append(reference.getIndex()).append(']');
            }
        }
        return at.toString();
    }
}
