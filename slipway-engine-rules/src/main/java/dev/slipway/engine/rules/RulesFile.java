package dev.slipway.engine.rules;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A rules model file:
 *
 * <pre>
 * input:
 *   name: input                 # the input tensor, FP64 [rows, columns]
 *   columns: [a, b]             # CEL variable names, in column order
 * output:
 *   name: probability           # the output tensor, FP64 [rows]
 * rules:                        # first match wins, top to bottom
 *   - name: a-high
 *     when: "a > 1.0 &amp;&amp; b &lt; 0.5"
 *     score: 0.8
 * default-score: 0.1
 * </pre>
 *
 * @param inputName the input tensor's name
 * @param columns the column (variable) names
 * @param outputName the score output's name
 * @param rules the rules, in order
 * @param defaultScore the score when no rule matches
 */
record RulesFile(String inputName, List<String> columns, String outputName, List<Rule> rules, double defaultScore) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final long MAX_BYTES = 1 << 20;

    /** One rule. */
    record Rule(String name, String when, double score) {}

    static RulesFile read(Path file) {
        Object root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw invalid(file, List.of("larger than " + MAX_BYTES + " bytes"));
            }
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            if (e instanceof SlipwayException slipway) {
                throw slipway;
            }
            throw invalid(file, List.of("not a readable YAML file: " + e.getMessage()));
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw invalid(file, List.of("(root): expected a mapping with input, output, rules and default-score"));
        }
        List<String> problems = new ArrayList<>();
        for (Object key : map.keySet()) {
            if (!Set.of("input", "output", "rules", "default-score").contains(String.valueOf(key))) {
                problems.add(key + ": unknown key (expected one of: default-score, input, output, rules)");
            }
        }
        Map<?, ?> input = mapping(map, "input", problems);
        String inputName = input == null ? null : text(input, "name", "input.name", problems);
        List<String> columns = input == null ? List.of() : columns(input, problems);
        Map<?, ?> output = mapping(map, "output", problems);
        String outputName = output == null ? "probability" : text(output, "name", "output.name", problems);
        List<Rule> rules = rules(map, problems);
        Double defaultScore = number(map.get("default-score"), "default-score", problems);
        if (!problems.isEmpty() || inputName == null || outputName == null || defaultScore == null) {
            throw invalid(file, problems);
        }
        return new RulesFile(inputName, columns, outputName, rules, defaultScore);
    }

    private static List<String> columns(Map<?, ?> input, List<String> problems) {
        Object raw = input.get("columns");
        List<String> columns = new ArrayList<>();
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            problems.add("input.columns: " + raw + " (expected: a non-empty list of names)");
            return columns;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String name = String.valueOf(list.get(i));
            if (!IDENTIFIER.matcher(name).matches()) {
                problems.add(
                        "input.columns[" + i + "]: '" + name + "' (expected: an identifier, [A-Za-z_][A-Za-z0-9_]*)");
            } else if (!seen.add(name)) {
                problems.add("input.columns[" + i + "]: '" + name + "' is listed twice");
            }
            columns.add(name);
        }
        return columns;
    }

    private static List<Rule> rules(Map<?, ?> map, List<String> problems) {
        Object raw = map.get("rules");
        List<Rule> rules = new ArrayList<>();
        if (!(raw instanceof List<?> list)) {
            problems.add("rules: " + (raw == null ? "missing" : raw) + " (expected: a list of rules)");
            return rules;
        }
        for (int i = 0; i < list.size(); i++) {
            String path = "rules[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> rule)) {
                problems.add(path + ": expected a mapping with name, when and score");
                continue;
            }
            String name = rule.containsKey("name") ? String.valueOf(rule.get("name")) : "rule " + i;
            String when = text(rule, "when", path + ".when", problems);
            Double score = number(rule.get("score"), path + ".score", problems);
            if (when != null && score != null) {
                rules.add(new Rule(name, when, score));
            }
        }
        return rules;
    }

    private static @Nullable Map<?, ?> mapping(Map<?, ?> map, String key, List<String> problems) {
        Object raw = map.get(key);
        if (raw instanceof Map<?, ?> mapping) {
            return mapping;
        }
        if (raw != null || key.equals("input")) {
            problems.add(key + ": " + (raw == null ? "missing" : raw) + " (expected: a mapping)");
        }
        return null;
    }

    private static @Nullable String text(Map<?, ?> map, String key, String path, List<String> problems) {
        Object raw = map.get(key);
        if (!(raw instanceof String text) || text.isBlank()) {
            problems.add(path + ": " + (raw == null ? "missing" : raw) + " (expected: a non-empty string)");
            return null;
        }
        return text;
    }

    private static @Nullable Double number(@Nullable Object raw, String path, List<String> problems) {
        if (!(raw instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            problems.add(path + ": " + (raw == null ? "missing" : raw) + " (expected: a finite number)");
            return null;
        }
        return number.doubleValue();
    }

    private static SlipwayException invalid(Path file, List<String> problems) {
        return new SlipwayException(
                ErrorCode.CONFIG_INVALID,
                "rules model '" + file.getFileName() + "' is invalid: " + String.join("; ", problems),
                problems,
                null);
    }
}
