package dev.slipway.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A YAML mapping being read field by field. Every problem is added to a shared list with its YAML path, so a whole
 * document can be checked before anything fails.
 */
final class YamlNode {
    private final JsonNode node;
    private final String path;
    private final List<String> problems;

    YamlNode(JsonNode node, String path, List<String> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String text) {
        problems.add(pathOf(key) + ": " + text);
    }

    /** Reports keys this mapping has beyond {@code known}. */
    void rejectUnknownKeys(Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problem(
                        name,
                        "unknown key (expected one of: "
                                + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    @Nullable
    String text(String key, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problem(key, "missing (expected: a string)");
            }
            return null;
        }
        if (!value.isValueNode() || value.isBoolean()) {
            problem(key, render(value) + " (expected: a string)");
            return null;
        }
        String text = value.asText().strip();
        if (text.isEmpty() && required) {
            problem(key, "empty (expected: a non-empty string)");
            return null;
        }
        return text;
    }

    @Nullable
    Double number(String key, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problem(key, "missing (expected: a number)");
            }
            return null;
        }
        if (!value.isNumber()) {
            problem(key, render(value) + " (expected: a number)");
            return null;
        }
        double number = value.asDouble();
        if (!Double.isFinite(number)) {
            problem(key, render(value) + " (expected: a finite number)");
            return null;
        }
        return number;
    }

    @Nullable
    Long integer(String key, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problem(key, "missing (expected: an integer)");
            }
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problem(key, render(value) + " (expected: an integer)");
            return null;
        }
        return value.asLong();
    }

    @Nullable
    Boolean bool(String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            problem(key, render(value) + " (expected: true or false)");
            return null;
        }
        return value.asBoolean();
    }

    /** The raw node at {@code key}, or {@code null} when absent. */
    @Nullable
    JsonNode raw(String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    @Nullable
    YamlNode mapping(String key, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problem(key, "missing (expected: a mapping)");
            }
            return null;
        }
        if (!value.isObject()) {
            problem(key, render(value) + " (expected: a mapping)");
            return null;
        }
        return new YamlNode(value, pathOf(key), problems);
    }

    /** Reads every element of a sequence of mappings; elements that are not mappings are reported and skipped. */
    <T> List<T> list(String key, boolean required, Function<YamlNode, @Nullable T> reader) {
        JsonNode value = node.get(key);
        List<T> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            if (required) {
                problem(key, "missing (expected: a list)");
            }
            return out;
        }
        if (!value.isArray()) {
            problem(key, render(value) + " (expected: a list)");
            return out;
        }
        if (value.isEmpty() && required) {
            problem(key, "empty (expected: at least one entry)");
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String elementPath = pathOf(key) + "[" + i + "]";
            if (!element.isObject()) {
                problems.add(elementPath + ": " + render(element) + " (expected: a mapping)");
                continue;
            }
            T item = reader.apply(new YamlNode(element, elementPath, problems));
            if (item != null) {
                out.add(item);
            }
        }
        return out;
    }

    /** Reads a sequence of strings. */
    List<String> strings(String key, boolean required) {
        JsonNode value = node.get(key);
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            if (required) {
                problem(key, "missing (expected: a list of strings)");
            }
            return out;
        }
        if (!value.isArray()) {
            problem(key, render(value) + " (expected: a list of strings)");
            return out;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isTextual()) {
                problems.add(pathOf(key) + "[" + i + "]: " + render(element) + " (expected: a string)");
                continue;
            }
            out.add(element.asText());
        }
        if (out.isEmpty() && required && value.isEmpty()) {
            problem(key, "empty (expected: at least one entry)");
        }
        return out;
    }

    static String render(JsonNode value) {
        if (value.isTextual()) {
            return "'" + value.asText() + "'";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        return value.toString();
    }
}
