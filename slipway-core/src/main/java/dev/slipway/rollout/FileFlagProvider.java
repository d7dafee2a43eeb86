package dev.slipway.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenFeature provider reading flags from a YAML file, re-read by {@link #refresh()} when it changes. A flag is a
 * plain value, or a default plus rules matched against the evaluation's targeting key (the routing key):
 *
 * <pre>
 * force-fallback.stall-detector: false          # kill switch: answer from the fallback chain
 * shadow.stall-detector: true                   # copy traffic to the shadow
 * rollout-freeze.stall-detector: false          # the controller holds the rollout where it is
 * route.stall-detector:                         # per-segment routing
 *   default: ""
 *   rules:
 *     - {key-prefix: "TRK-9", value: canary}    # a variant, or "version:3"
 *     - {keys: [TRK-0001, TRK-0002], value: primary}
 *     - {buckets: [0, 500], value: canary}      # 5 % of keys, by the flag's own hash
 * </pre>
 *
 * A file that cannot be read or parsed keeps the last good flags (none at first): evaluations then return the coded
 * default with an error, which {@link Flags} counts.
 */
public final class FileFlagProvider extends EventProvider {
    private static final Logger LOG = LoggerFactory.getLogger(FileFlagProvider.class);
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Path file;
    private volatile Map<String, Flag> flags = Map.of();
    private volatile @Nullable String problem;
    private @Nullable FileTime seen;
    private long seenSize = -1;

    /** One flag: its default and its rules. */
    private record Flag(JsonNode value, List<Rule> rules) {}

    /** A rule: a value for targeting keys matching a prefix, a list, or a bucket range. */
    private record Rule(@Nullable String prefix, List<String> keys, int from, int to, JsonNode value) {
        boolean matches(String flagKey, @Nullable String targetingKey) {
            if (targetingKey == null) {
                return false;
            }
            if (prefix != null) {
                return targetingKey.startsWith(prefix);
            }
            if (!keys.isEmpty()) {
                return keys.contains(targetingKey);
            }
            int bucket = Buckets.of(flagKey, targetingKey);
            return bucket >= from && bucket < to;
        }
    }

    /** A provider over a file; reads it once now. */
    public FileFlagProvider(Path file) {
        this.file = file;
        refresh();
    }

    @Override
    public Metadata getMetadata() {
        return () -> "slipway-file:" + file;
    }

    /** Re-reads the file if it changed; returns whether the flags changed. */
    public synchronized boolean refresh() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(seen) && size == seenSize) {
                return false;
            }
            Map<String, Flag> parsed = parse(YAML.readTree(file.toFile()));
            seen = modified;
            seenSize = size;
            flags = parsed;
            problem = null;
            emitProviderConfigurationChanged(ProviderEventDetails.builder()
                    .flagsChanged(new ArrayList<>(parsed.keySet()))
                    .message("flags file re-read")
                    .build());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            String message = "flags file '" + file + "' cannot be used: " + e.getMessage();
            if (!message.equals(problem)) {
                LOG.warn("{}; keeping the {} flags read before", message, flags.size());
            }
            problem = message;
            return false;
        }
    }

    /** Why the file is not in use, or none. */
    public @Nullable String problem() {
        return problem;
    }

    private static Map<String, Flag> parse(@Nullable JsonNode root) {
        if (root == null || root.isNull() || root.isMissingNode()) {
            return Map.of();
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("expected a mapping of flag keys to values");
        }
        Map<String, Flag> parsed = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode node = entry.getValue();
            if (node.isObject() && (node.has("rules") || node.has("default"))) {
                List<Rule> rules = new ArrayList<>();
                for (JsonNode rule : node.path("rules")) {
                    rules.add(rule(entry.getKey(), rule));
                }
                parsed.put(entry.getKey(), new Flag(node.path("default"), rules));
            } else {
                parsed.put(entry.getKey(), new Flag(node, List.of()));
            }
        }
        return parsed;
    }

    private static Rule rule(String flag, JsonNode rule) {
        if (!rule.has("value")) {
            throw new IllegalArgumentException(flag + ".rules: a rule without 'value'");
        }
        List<String> keys = new ArrayList<>();
        rule.path("keys").forEach(key -> keys.add(key.asText()));
        JsonNode buckets = rule.path("buckets");
        int from = 0;
        int to = 0;
        if (buckets.isArray()) {
            from = buckets.path(0).asInt(-1);
            to = buckets.path(1).asInt(-1);
            if (from < 0 || to <= from || to > Buckets.COUNT) {
                throw new IllegalArgumentException(flag + ".rules.buckets: " + buckets
                        + " (expected: [from, to) within 0.." + Buckets.COUNT + ")");
            }
        }
        String prefix = rule.hasNonNull("key-prefix") ? rule.get("key-prefix").asText() : null;
        if (prefix == null && keys.isEmpty() && !buckets.isArray()) {
            throw new IllegalArgumentException(flag + ".rules: a rule needs key-prefix, keys or buckets");
        }
        return new Rule(prefix, keys, from, to, rule.get("value"));
    }

    private @Nullable JsonNode resolve(String key, EvaluationContext context) {
        Flag flag = flags.get(key);
        if (flag == null) {
            return null;
        }
        String targetingKey = context == null ? null : context.getTargetingKey();
        for (Rule rule : flag.rules()) {
            if (rule.matches(key, targetingKey)) {
                return rule.value();
            }
        }
        return flag.value();
    }

    private <T> ProviderEvaluation<T> evaluate(
            String key,
            T defaultValue,
            EvaluationContext context,
            Class<T> type,
            java.util.function.Function<JsonNode, @Nullable T> read) {
        JsonNode node = resolve(key, context);
        if (node == null || node.isMissingNode() || node.isNull()) {
            String current = problem;
            return ProviderEvaluation.<T>builder()
                    .value(defaultValue)
                    .reason(current == null ? Reason.DEFAULT.name() : Reason.ERROR.name())
                    .errorCode(current == null ? ErrorCode.FLAG_NOT_FOUND : ErrorCode.GENERAL)
                    .errorMessage(current == null ? "no flag '" + key + "' in " + file : current)
                    .build();
        }
        T value = read.apply(node);
        if (value == null) {
            return ProviderEvaluation.<T>builder()
                    .value(defaultValue)
                    .reason(Reason.ERROR.name())
                    .errorCode(ErrorCode.TYPE_MISMATCH)
                    .errorMessage("flag '" + key + "' is " + node + " (expected: a " + type.getSimpleName() + ")")
                    .build();
        }
        return ProviderEvaluation.<T>builder()
                .value(value)
                .reason(Reason.TARGETING_MATCH.name())
                .build();
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Boolean.class, node -> node.isBoolean() ? node.booleanValue() : null);
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, String.class, node -> node.isTextual() ? node.textValue() : null);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return evaluate(
                key,
                defaultValue,
                ctx,
                Integer.class,
                node -> node.canConvertToInt() && node.isIntegralNumber() ? node.intValue() : null);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Double.class, node -> node.isNumber() ? node.doubleValue() : null);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return evaluate(
                key, defaultValue, ctx, Value.class, node -> node.isTextual() ? new Value(node.textValue()) : null);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof FileFlagProvider provider && Objects.equals(provider.file, file);
    }

    @Override
    public int hashCode() {
        return file.hashCode();
    }
}
