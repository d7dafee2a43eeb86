package dev.slipway.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.ArtifactSpec;
import dev.slipway.api.manifest.Category;
import dev.slipway.api.manifest.DriftSpec;
import dev.slipway.api.manifest.DriftThresholds;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.FeatureType;
import dev.slipway.api.manifest.GoldenSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.OutputKind;
import dev.slipway.api.manifest.OutputSpec;
import dev.slipway.api.manifest.Owners;
import dev.slipway.api.manifest.ReferenceSpec;
import dev.slipway.api.manifest.Retraining;
import dev.slipway.api.manifest.SloSpec;
import dev.slipway.api.manifest.TensorBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a model manifest ({@code model.yaml}) into a {@link ModelManifest}, checking the whole document first: one
 * {@code CONFIG_INVALID} exception lists every problem with its YAML path.
 */
public final class ManifestReader {
    /** The manifest's file name inside a model version directory. */
    public static final String FILE_NAME = "model.yaml";

    /** Model names: letters, digits, {@code .}, {@code _}, {@code -}; starting with a letter or digit; at most 64. */
    public static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final Pattern FEATURE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final long MAX_MANIFEST_BYTES = 1 << 20;
    private static final double DEFAULT_TOLERANCE = 1e-6;
    private static final Set<DataType> TENSOR_TYPES = Set.of(
            DataType.FP32,
            DataType.FP64,
            DataType.INT32,
            DataType.INT64,
            DataType.INT16,
            DataType.INT8,
            DataType.BOOL,
            DataType.BYTES);
    private static final Set<DataType> OUTPUT_TYPES =
            Set.of(DataType.FP32, DataType.FP64, DataType.INT32, DataType.INT64, DataType.BOOL, DataType.BYTES);
    private static final Map<String, Period> CADENCE_WORDS = Map.of(
            "daily",
            Period.ofDays(1),
            "weekly",
            Period.ofWeeks(1),
            "monthly",
            Period.ofMonths(1),
            "quarterly",
            Period.ofMonths(3),
            "yearly",
            Period.ofYears(1));

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ManifestReader() {}

    /** Reads {@code model.yaml} from a model version directory and checks the files it names exist there. */
    public static ModelManifest read(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        String text;
        try {
            if (Files.size(file) > MAX_MANIFEST_BYTES) {
                throw invalid(file, List.of("file is larger than " + MAX_MANIFEST_BYTES + " bytes"));
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "manifest '" + file + "' does not exist");
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "manifest '" + file + "' cannot be read: " + e, e);
        }
        return parse(text, file.toString(), directory);
    }

    /**
     * Parses manifest text. When {@code directory} is given, the artifact, golden and reference files must exist in
     * it.
     */
    public static ModelManifest parse(String text, String source, @Nullable Path directory) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid(source, List.of("not valid YAML: " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw invalid(source, List.of("(root): expected a mapping of manifest keys"));
        }
        ModelManifest manifest = new ManifestReader.Reading(new YamlNode(root, "", problems), directory).manifest();
        if (!problems.isEmpty() || manifest == null) {
            throw invalid(source, problems);
        }
        return manifest;
    }

    private static SlipwayException invalid(Object source, List<String> problems) {
        return new SlipwayException(
                ErrorCode.CONFIG_INVALID,
                "manifest '" + source + "' has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                        + ": " + String.join("; ", problems),
                problems,
                null);
    }

    /** One reading of one document. */
    private static final class Reading {
        private final YamlNode root;
        private final @Nullable Path directory;

        Reading(YamlNode root, @Nullable Path directory) {
            this.root = root;
            this.directory = directory;
        }

        @Nullable
        ModelManifest manifest() {
            root.rejectUnknownKeys(Set.of(
                    "name",
                    "version",
                    "format",
                    "description",
                    "artifact",
                    "features",
                    "tensors",
                    "outputs",
                    "golden",
                    "reference",
                    "slo",
                    "owners",
                    "retraining",
                    "drift",
                    "rollout"));
            String name = modelName();
            Long version = root.integer("version", true);
            if (version != null && version < 1) {
                root.problem("version", version + " (expected: a positive integer)");
            }
            String format = root.text("format", true);
            if (format != null && !format.equals(format.toLowerCase(Locale.ROOT))) {
                root.problem("format", "'" + format + "' (expected: lower-case, such as onnx, xgboost or rules)");
            }
            String description = root.text("description", false);
            ArtifactSpec artifact = artifact();
            List<FeatureSpec> features = root.list("features", true, this::feature);
            checkUniqueFeatures(features);
            List<TensorBinding> tensors = root.list("tensors", true, node -> tensor(node, features));
            checkEveryFeatureBound(features, tensors);
            List<OutputSpec> outputs = root.list("outputs", true, this::output);
            checkUniqueOutputs(outputs);
            GoldenSpec golden = golden();
            ReferenceSpec reference = reference();
            SloSpec slo = slo();
            Owners owners = owners();
            Retraining retraining = retraining();
            DriftSpec drift = drift(features, outputs);
            if (name == null || version == null || format == null || artifact == null || owners == null) {
                return null;
            }
            return new ModelManifest(
                    name,
                    version,
                    format,
                    description == null ? "" : description,
                    artifact,
                    features,
                    tensors,
                    outputs,
                    golden,
                    reference,
                    slo,
                    owners,
                    retraining,
                    drift);
        }

        private @Nullable String modelName() {
            String name = root.text("name", true);
            if (name != null && !MODEL_NAME.matcher(name).matches()) {
                root.problem(
                        "name",
                        "'" + name + "' (expected: 1-64 letters, digits, '.', '_' or '-', "
                                + "starting with a letter or digit)");
                return null;
            }
            return name;
        }

        private @Nullable ArtifactSpec artifact() {
            YamlNode node = root.mapping("artifact", true);
            if (node == null) {
                return null;
            }
            node.rejectUnknownKeys(Set.of("file", "sha256"));
            String file = relativeFile(node, "file", true);
            JsonNode rawDigest = node.raw("sha256");
            if (rawDigest != null && !rawDigest.isTextual()) {
                node.problem(
                        "sha256",
                        YamlNode.render(rawDigest) + " (expected: 64 hex digits as a string; quote it, "
                                + "YAML read it as a number)");
                return null;
            }
            String sha256 = node.text("sha256", true);
            if (sha256 != null && !SHA256.matcher(sha256).matches()) {
                node.problem("sha256", "'" + sha256 + "' (expected: 64 lower-case hex digits)");
                sha256 = null;
            }
            return file == null || sha256 == null ? null : new ArtifactSpec(file, sha256);
        }

        private @Nullable String relativeFile(YamlNode node, String key, boolean required) {
            String file = node.text(key, required);
            if (file == null) {
                return null;
            }
            Path path = Path.of(file).normalize();
            if (path.isAbsolute() || path.startsWith("..") || file.contains("\\")) {
                node.problem(key, "'" + file + "' (expected: a file name inside the model directory)");
                return null;
            }
            if (directory != null && !Files.isRegularFile(directory.resolve(path))) {
                node.problem(key, "'" + file + "' does not exist in " + directory);
                return null;
            }
            return path.toString();
        }

        private @Nullable FeatureSpec feature(YamlNode node) {
            node.rejectUnknownKeys(
                    Set.of("name", "type", "unit", "min", "max", "nullable", "default", "categories", "description"));
            String name = node.text("name", true);
            if (name != null && !FEATURE_NAME.matcher(name).matches()) {
                node.problem(
                        "name",
                        "'" + name + "' (expected: letters, digits, '_', '.', '-', starting with a "
                                + "letter or '_', at most 128)");
                name = null;
            }
            FeatureType type = enumValue(node, "type", FeatureType.class, true);
            Double min = node.number("min", false);
            Double max = node.number("max", false);
            if (min != null && max != null && min > max) {
                node.problem("max", max + " is below min " + min);
            }
            Boolean nullable = node.bool("nullable");
            List<Category> categories = categories(node, type);
            if (type != null && type != FeatureType.FLOAT && type != FeatureType.INT && (min != null || max != null)) {
                node.problem(min != null ? "min" : "max", "only float and int features have bounds");
            }
            if (name == null || type == null) {
                return null;
            }
            FeatureSpec partial = new FeatureSpec(
                    name,
                    type,
                    node.text("unit", false),
                    min,
                    max,
                    Boolean.TRUE.equals(nullable),
                    null,
                    categories,
                    node.text("description", false));
            Double defaultValue = defaultValue(node, partial);
            return new FeatureSpec(
                    name,
                    type,
                    partial.unit(),
                    min,
                    max,
                    partial.nullable(),
                    defaultValue,
                    categories,
                    partial.description());
        }

        private List<Category> categories(YamlNode node, @Nullable FeatureType type) {
            JsonNode raw = node.raw("categories");
            List<Category> out = new ArrayList<>();
            if (raw == null) {
                if (type == FeatureType.CATEGORICAL) {
                    node.problem("categories", "missing (expected: a mapping of category name to integer code)");
                }
                return out;
            }
            if (type != FeatureType.CATEGORICAL) {
                node.problem("categories", "only categorical features have categories");
                return out;
            }
            Set<Integer> codes = new HashSet<>();
            if (raw.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = raw.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    JsonNode code = entry.getValue();
                    if (!code.isIntegralNumber() || !code.canConvertToInt()) {
                        node.problem(
                                "categories." + entry.getKey(), YamlNode.render(code) + " (expected: an integer code)");
                        continue;
                    }
                    if (!codes.add(code.asInt())) {
                        node.problem("categories." + entry.getKey(), "code " + code.asInt() + " is used twice");
                    }
                    out.add(new Category(entry.getKey(), code.asInt()));
                }
            } else if (raw.isArray()) {
                for (int i = 0; i < raw.size(); i++) {
                    if (!raw.get(i).isTextual()) {
                        node.problem("categories[" + i + "]", YamlNode.render(raw.get(i)) + " (expected: a name)");
                        continue;
                    }
                    out.add(new Category(raw.get(i).asText(), i));
                }
            } else {
                node.problem("categories", YamlNode.render(raw) + " (expected: a mapping of name to code, or a list)");
            }
            if (out.isEmpty()) {
                node.problem("categories", "empty (expected: at least one category)");
            }
            Set<String> names = new HashSet<>();
            for (Category category : out) {
                if (!names.add(category.name())) {
                    node.problem("categories", "category '" + category.name() + "' is listed twice");
                }
            }
            return out;
        }

        private @Nullable Double defaultValue(YamlNode node, FeatureSpec feature) {
            JsonNode raw = node.raw("default");
            if (raw == null) {
                return null;
            }
            String bad = YamlNode.render(raw) + " (expected: " + feature.expectation() + ")";
            double value;
            switch (feature.type()) {
                case CATEGORICAL -> {
                    if (raw.isTextual() && feature.category(raw.asText()).isPresent()) {
                        return (double) feature.category(raw.asText()).get().code();
                    }
                    if (raw.isIntegralNumber() && feature.category(raw.asInt()).isPresent()) {
                        return raw.asDouble();
                    }
                    node.problem("default", bad);
                    return null;
                }
                case BOOL -> {
                    if (raw.isBoolean()) {
                        return raw.asBoolean() ? 1.0 : 0.0;
                    }
                    if (raw.isIntegralNumber() && (raw.asInt() == 0 || raw.asInt() == 1)) {
                        return raw.asDouble();
                    }
                    node.problem("default", bad);
                    return null;
                }
                default -> {
                    if (!raw.isNumber()) {
                        node.problem("default", bad);
                        return null;
                    }
                    value = raw.asDouble();
                }
            }
            boolean integral = value == Math.rint(value);
            if (!Double.isFinite(value)
                    || (feature.type() == FeatureType.INT && !integral)
                    || (feature.min() != null && value < feature.min())
                    || (feature.max() != null && value > feature.max())) {
                node.problem("default", bad);
                return null;
            }
            return value;
        }

        private void checkUniqueFeatures(List<FeatureSpec> features) {
            Set<String> seen = new HashSet<>();
            for (FeatureSpec feature : features) {
                if (!seen.add(feature.name())) {
                    root.problem("features", "feature '" + feature.name() + "' is declared twice");
                }
            }
        }

        private @Nullable TensorBinding tensor(YamlNode node, List<FeatureSpec> features) {
            node.rejectUnknownKeys(Set.of("name", "datatype", "columns"));
            String name = node.text("name", true);
            DataType datatype = datatype(node, TENSOR_TYPES);
            List<String> columns = node.strings("columns", true);
            Set<String> seen = new HashSet<>();
            for (String column : columns) {
                if (features.stream().noneMatch(f -> f.name().equals(column))) {
                    node.problem("columns", "'" + column + "' is not a declared feature");
                }
                if (!seen.add(column)) {
                    node.problem("columns", "'" + column + "' is listed twice");
                }
                features.stream()
                        .filter(f -> f.name().equals(column))
                        .findFirst()
                        .ifPresent(feature -> checkHolds(node, datatype, feature));
            }
            return name == null || datatype == null || columns.isEmpty()
                    ? null
                    : new TensorBinding(name, datatype, columns);
        }

        /** A BYTES tensor carries category names, a BOOL tensor booleans: only features of that kind fit them. */
        private void checkHolds(YamlNode node, @Nullable DataType datatype, FeatureSpec feature) {
            if (datatype == DataType.BYTES && feature.type() != FeatureType.CATEGORICAL) {
                node.problem(
                        "columns",
                        "'" + feature.name() + "' is a " + feature.type().name().toLowerCase(Locale.ROOT)
                                + " feature (expected: categorical features only in a BYTES tensor, which carries their names)");
            }
            if (datatype == DataType.BOOL && feature.type() != FeatureType.BOOL) {
                node.problem(
                        "columns",
                        "'" + feature.name() + "' is a " + feature.type().name().toLowerCase(Locale.ROOT)
                                + " feature (expected: bool features only in a BOOL tensor)");
            }
        }

        private void checkEveryFeatureBound(List<FeatureSpec> features, List<TensorBinding> tensors) {
            Set<String> tensorNames = new HashSet<>();
            for (TensorBinding tensor : tensors) {
                if (!tensorNames.add(tensor.name())) {
                    root.problem("tensors", "tensor '" + tensor.name() + "' is declared twice");
                }
            }
            for (FeatureSpec feature : features) {
                long uses = tensors.stream()
                        .filter(t -> t.columns().contains(feature.name()))
                        .count();
                if (uses == 0 && !tensors.isEmpty()) {
                    root.problem("tensors", "feature '" + feature.name() + "' is not a column of any tensor");
                } else if (uses > 1) {
                    root.problem("tensors", "feature '" + feature.name() + "' is a column of " + uses + " tensors");
                }
            }
        }

        private @Nullable DataType datatype(YamlNode node, Set<DataType> allowed) {
            String text = node.text("datatype", true);
            if (text == null) {
                return null;
            }
            DataType type = DataType.fromWire(text).orElse(null);
            if (type == null || !allowed.contains(type)) {
                node.problem(
                        "datatype",
                        "'" + text + "' (expected: one of "
                                + String.join(
                                        ", ",
                                        allowed.stream()
                                                .map(Enum::name)
                                                .sorted()
                                                .toList()) + ")");
                return null;
            }
            return type;
        }

        private @Nullable OutputSpec output(YamlNode node) {
            node.rejectUnknownKeys(Set.of(
                    "name", "from", "column", "datatype", "kind", "description", "threshold", "decision", "labels"));
            String name = node.text("name", true);
            String from = node.text("from", true);
            Long column = node.integer("column", false);
            if (column != null && (column < 0 || column > Integer.MAX_VALUE)) {
                node.problem("column", column + " (expected: a column index >= 0)");
                column = null;
            }
            DataType datatype = datatype(node, OUTPUT_TYPES);
            OutputKind kind = node.has("kind") ? enumValue(node, "kind", OutputKind.class, false) : OutputKind.VALUE;
            Double threshold = node.number("threshold", false);
            String decision = node.text("decision", false);
            if (threshold != null && kind != OutputKind.PROBABILITY && kind != OutputKind.SCORE) {
                node.problem("threshold", "only probability and score outputs have a threshold");
            }
            if (threshold != null && kind == OutputKind.PROBABILITY && (threshold < 0 || threshold > 1)) {
                node.problem("threshold", threshold + " (expected: 0..1 for a probability)");
            }
            if (decision != null && threshold == null) {
                node.problem("decision", "'" + decision + "' needs a threshold");
            }
            if (datatype == DataType.BYTES && (kind == OutputKind.PROBABILITY || kind == OutputKind.SCORE)) {
                node.problem(
                        "datatype",
                        "BYTES (expected: a numeric type for a " + kind
                                + (threshold != null ? " output with a threshold" : " output")
                                + "; BYTES is for kind: label)");
            }
            List<String> labels = node.strings("labels", false);
            if (labels.stream().anyMatch(String::isBlank)) {
                node.problem("labels", labels + " (expected: a non-blank label per column)");
            }
            if (name == null || from == null || datatype == null || kind == null) {
                return null;
            }
            return new OutputSpec(
                    name,
                    from,
                    column == null ? null : column.intValue(),
                    datatype,
                    kind,
                    node.text("description", false),
                    threshold,
                    decision,
                    labels);
        }

        private void checkUniqueOutputs(List<OutputSpec> outputs) {
            Set<String> seen = new HashSet<>();
            for (OutputSpec output : outputs) {
                if (!seen.add(output.name())) {
                    root.problem("outputs", "output '" + output.name() + "' is declared twice");
                }
                if (output.decision() != null && !seen.add(output.decision())) {
                    root.problem("outputs", "decision '" + output.decision() + "' clashes with another output name");
                }
            }
        }

        private @Nullable GoldenSpec golden() {
            YamlNode node = root.mapping("golden", false);
            if (node == null) {
                return null;
            }
            node.rejectUnknownKeys(Set.of("file", "tolerance"));
            String file = relativeFile(node, "file", true);
            Double tolerance = node.number("tolerance", false);
            if (tolerance != null && tolerance < 0) {
                node.problem("tolerance", tolerance + " (expected: >= 0)");
            }
            return file == null ? null : new GoldenSpec(file, tolerance == null ? DEFAULT_TOLERANCE : tolerance);
        }

        private @Nullable ReferenceSpec reference() {
            YamlNode node = root.mapping("reference", false);
            if (node == null) {
                return null;
            }
            node.rejectUnknownKeys(Set.of("file"));
            String file = relativeFile(node, "file", true);
            return file == null ? null : new ReferenceSpec(file);
        }

        private SloSpec slo() {
            YamlNode node = root.mapping("slo", false);
            if (node == null) {
                return SloSpec.none();
            }
            node.rejectUnknownKeys(Set.of("p99-latency-ms", "max-error-rate"));
            Double p99 = node.number("p99-latency-ms", false);
            if (p99 != null && p99 <= 0) {
                node.problem("p99-latency-ms", p99 + " (expected: > 0)");
            }
            Double errorRate = node.number("max-error-rate", false);
            if (errorRate != null && (errorRate < 0 || errorRate > 1)) {
                node.problem("max-error-rate", errorRate + " (expected: 0..1)");
            }
            return new SloSpec(p99, errorRate);
        }

        private @Nullable Owners owners() {
            YamlNode node = root.mapping("owners", true);
            if (node == null) {
                return null;
            }
            node.rejectUnknownKeys(Set.of("team", "on-call"));
            String team = node.text("team", true);
            String onCall = node.text("on-call", true);
            return team == null || onCall == null ? null : new Owners(team, onCall);
        }

        private @Nullable Retraining retraining() {
            YamlNode node = root.mapping("retraining", false);
            if (node == null) {
                return null;
            }
            node.rejectUnknownKeys(Set.of("cadence", "trigger"));
            String cadence = node.text("cadence", true);
            if (cadence == null) {
                return null;
            }
            Period period = CADENCE_WORDS.get(cadence.toLowerCase(Locale.ROOT));
            if (period == null) {
                try {
                    period = Period.parse(cadence);
                } catch (DateTimeParseException e) {
                    node.problem(
                            "cadence",
                            "'" + cadence + "' (expected: an ISO-8601 period such as P30D, or "
                                    + "daily, weekly, monthly, quarterly, yearly)");
                    return null;
                }
            }
            return new Retraining(period, node.text("trigger", false));
        }

        private DriftSpec drift(List<FeatureSpec> features, List<OutputSpec> outputs) {
            YamlNode node = root.mapping("drift", false);
            if (node == null) {
                return DriftSpec.defaults();
            }
            node.rejectUnknownKeys(Set.of("window", "min-rows", "thresholds", "features"));
            Duration window = DriftSpec.DEFAULT_WINDOW;
            String windowText = node.text("window", false);
            if (windowText != null) {
                try {
                    window = Duration.parse(windowText);
                } catch (DateTimeParseException e) {
                    window = null;
                }
                if (window == null || window.isNegative() || window.isZero()) {
                    node.problem(
                            "window", "'" + windowText + "' (expected: a positive ISO-8601 duration such as PT1H)");
                    window = DriftSpec.DEFAULT_WINDOW;
                }
            }
            int minRows = DriftSpec.DEFAULT_MIN_ROWS;
            Long minRowsValue = node.integer("min-rows", false);
            if (minRowsValue != null) {
                if (minRowsValue < 1 || minRowsValue > Integer.MAX_VALUE) {
                    node.problem("min-rows", minRowsValue + " (expected: a positive integer)");
                } else {
                    minRows = minRowsValue.intValue();
                }
            }
            YamlNode shared = node.mapping("thresholds", false);
            DriftThresholds thresholds = shared == null ? DriftThresholds.inherit() : thresholds(shared);
            Map<String, DriftThresholds> perColumn = new LinkedHashMap<>();
            JsonNode rawFeatures = node.raw("features");
            if (rawFeatures != null && !rawFeatures.isObject()) {
                node.problem(
                        "features",
                        YamlNode.render(rawFeatures) + " (expected: a mapping of feature name to thresholds)");
            } else if (rawFeatures != null) {
                Set<String> columns = new java.util.LinkedHashSet<>();
                features.forEach(f -> columns.add(f.name()));
                outputs.forEach(o -> columns.add(o.name()));
                YamlNode featuresNode = node.mapping("features", false);
                for (Iterator<String> names = rawFeatures.fieldNames(); names.hasNext(); ) {
                    String column = names.next();
                    YamlNode columnNode = featuresNode == null ? null : featuresNode.mapping(column, false);
                    if (!columns.contains(column)) {
                        node.problem(
                                "features." + column,
                                "not a feature or output of this model (expected one of: " + String.join(", ", columns)
                                        + ")");
                        continue;
                    }
                    if (columnNode != null) {
                        perColumn.put(column, thresholds(columnNode));
                    }
                }
            }
            return new DriftSpec(window, minRows, thresholds, perColumn);
        }

        private DriftThresholds thresholds(YamlNode node) {
            node.rejectUnknownKeys(Set.of(
                    "psi-warning",
                    "psi",
                    "js-distance",
                    "ks-p-value",
                    "chi-squared-p-value",
                    "wasserstein-normalized",
                    "missing-share-increase",
                    "out-of-contract-share",
                    "unseen-share"));
            Double psiWarning = limit(node, "psi-warning", Double.POSITIVE_INFINITY, false);
            Double psi = limit(node, "psi", Double.POSITIVE_INFINITY, false);
            if (psiWarning != null && psi != null && psiWarning > psi) {
                node.problem("psi-warning", psiWarning + " is above psi " + psi);
            }
            return new DriftThresholds(
                    psiWarning,
                    psi,
                    limit(node, "js-distance", 1, false),
                    limit(node, "ks-p-value", 1, true),
                    limit(node, "chi-squared-p-value", 1, true),
                    limit(node, "wasserstein-normalized", Double.POSITIVE_INFINITY, false),
                    limit(node, "missing-share-increase", 1, false),
                    limit(node, "out-of-contract-share", 1, false),
                    limit(node, "unseen-share", 1, false));
        }

        /** A limit in [0, max], or {@code off}: +inf for upper limits, 0 for p-values (nothing is below 0). */
        private static @Nullable Double limit(YamlNode node, String key, double max, boolean pValue) {
            JsonNode raw = node.raw(key);
            if (raw == null) {
                return null;
            }
            String range = max == Double.POSITIVE_INFINITY ? ">= 0" : "0.." + (max == 1 ? "1" : Double.toString(max));
            // YAML 1.1 reads a bare off as false
            boolean off = (raw.isBoolean() && !raw.asBoolean())
                    || (raw.isTextual() && raw.asText().strip().equalsIgnoreCase("off"));
            if (off) {
                return pValue ? 0.0 : DriftThresholds.OFF;
            }
            if (!raw.isNumber()) {
                node.problem(key, YamlNode.render(raw) + " (expected: a number " + range + ", or off)");
                return null;
            }
            Double value = node.number(key, false);
            if (value == null) {
                return null;
            }
            if (value < 0 || value > max) {
                node.problem(key, value + " (expected: " + range + ", or off)");
                return null;
            }
            return value;
        }

        private static <E extends Enum<E>> @Nullable E enumValue(
                YamlNode node, String key, Class<E> type, boolean required) {
            String text = node.text(key, required);
            if (text == null) {
                return null;
            }
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(text)) {
                    return constant;
                }
            }
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name().toLowerCase(Locale.ROOT));
            }
            node.problem(key, "'" + text + "' (expected: one of " + String.join(", ", names) + ")");
            return null;
        }
    }
}
