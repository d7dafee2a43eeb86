package dev.slipway.contract;

import static java.util.Objects.requireNonNull;

import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.RequestedOutput;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.OutputSpec;
import dev.slipway.api.manifest.TensorBinding;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A model version's data contract, bound to the engine signature it was checked against. Turns requests (the model's
 * own input tensors, one tensor per feature, or records) into checked engine inputs, listing every violation at once,
 * and turns engine outputs into the outputs the manifest promises. Immutable and thread-safe.
 */
public final class DataContract {
    private final ModelManifest manifest;
    private final Map<String, FeatureRule> rules = new LinkedHashMap<>();
    private final List<Binding> bindings = new ArrayList<>();
    private final Map<String, TensorSpec> engineOutputs = new HashMap<>();
    private final List<ServedOutput> served = new ArrayList<>();
    private final List<TensorSpec> servedSpecs = new ArrayList<>();
    /** Feature names a tensor may carry to mean that feature (see {@link #namesOnlyItsFeature}). */
    private final Set<String> featureTensorNames = new HashSet<>();

    private DataContract(ModelManifest manifest, Signature signature) {
        this.manifest = manifest;
        for (FeatureSpec feature : manifest.features()) {
            rules.put(feature.name(), new FeatureRule(feature));
        }
        for (TensorSpec input : signature.inputs()) {
            TensorBinding binding = manifest.tensors().stream()
                    .filter(t -> t.name().equals(input.name()))
                    .findFirst()
                    .orElseThrow();
            bindings.add(new Binding(
                    binding,
                    input.shape().size(),
                    binding.columns().stream().map(rules::get).toList()));
        }
        for (TensorSpec output : signature.outputs()) {
            engineOutputs.put(output.name(), output);
        }
        for (String feature : rules.keySet()) {
            if (namesOnlyItsFeature(feature)) {
                featureTensorNames.add(feature);
            }
        }
        for (OutputSpec output : manifest.outputs()) {
            TensorSpec source = engineOutputs.get(output.from());
            List<Long> shape = new ArrayList<>();
            shape.add(-1L);
            if (output.column() == null && source != null) {
                shape.addAll(source.shape().subList(1, source.shape().size()));
            }
            served.add(new ServedOutput(output, false));
            servedSpecs.add(new TensorSpec(output.name(), output.datatype(), shape, List.of()));
            if (output.decision() != null) {
                served.add(new ServedOutput(output, true));
                servedSpecs.add(TensorSpec.of(output.decision(), DataType.BOOL, -1));
            }
        }
    }

    /**
     * Binds a manifest to the signature of the loaded artifact.
     *
     * @throws SlipwayException {@code PARITY_MISMATCH} listing every way the two disagree
     */
    public static DataContract bind(ModelManifest manifest, Signature signature) {
        List<String> problems = SignatureCheck.problems(manifest, signature);
        if (!problems.isEmpty()) {
            throw new SlipwayException(
                    ErrorCode.PARITY_MISMATCH,
                    "model signature does not match the manifest: " + String.join("; ", problems),
                    problems,
                    null);
        }
        return new DataContract(manifest, signature);
    }

    /** The manifest this contract enforces. */
    public ModelManifest manifest() {
        return manifest;
    }

    /** The inputs clients send in tensor form: the model's input tensors, batch dimension first. */
    public List<TensorSpec> inputSpecs() {
        List<TensorSpec> specs = new ArrayList<>();
        for (Binding binding : bindings) {
            long[] shape = binding.engineRank == 1 ? new long[] {-1} : new long[] {-1, binding.width()};
            specs.add(new TensorSpec(
                    binding.spec.name(),
                    binding.spec.datatype(),
                    java.util.Arrays.stream(shape).boxed().toList(),
                    binding.spec.columns()));
        }
        return specs;
    }

    /** The outputs the service returns, in order, each decision right after its output. */
    public List<TensorSpec> outputSpecs() {
        return List.copyOf(servedSpecs);
    }

    /**
     * Checks request tensors and turns them into engine inputs in signature order. Tensors named like the model's
     * inputs are checked column by column; tensors named like features ({@code [rows]} or {@code [rows, 1]}) are
     * checked and assembled. A model input that holds only the feature of its own name (one input per DataFrame
     * column) is read as that feature.
     *
     * @throws SlipwayException {@code INVALID_INPUT} listing every violation
     */
    public BoundBatch bindTensors(List<Tensor> inputs) {
        if (inputs.isEmpty()) {
            throw SlipwayException.invalidInput("inputs: empty (expected: %s)", expectedInputs());
        }
        if (allNamedIn(inputs, featureTensorNames)) {
            return bindFeatureTensors(inputs);
        }
        if (inputs.stream().allMatch(t -> binding(t.name()) != null)) {
            return bindModelTensors(inputs);
        }
        if (inputs.stream().allMatch(t -> rules.containsKey(t.name()))) {
            return bindFeatureTensors(inputs);
        }
        List<String> problems = new ArrayList<>();
        for (Tensor input : inputs) {
            if (binding(input.name()) == null && !rules.containsKey(input.name())) {
                problems.add("input '" + input.name() + "': unknown input (expected: " + expectedInputs() + ")");
            }
        }
        if (problems.isEmpty()) {
            problems.add("inputs: model tensors and feature tensors are mixed (expected: " + expectedInputs() + ")");
        }
        throw SlipwayException.invalidInput(problems);
    }

    private static boolean allNamedIn(List<Tensor> inputs, Set<String> names) {
        for (Tensor input : inputs) {
            if (!names.contains(input.name())) {
                return false;
            }
        }
        return true;
    }

    private String expectedInputs() {
        StringBuilder text = new StringBuilder();
        for (TensorSpec spec : inputSpecs()) {
            text.append(text.length() == 0 ? "" : ", ")
                    .append("'")
                    .append(spec.name())
                    .append("' ")
                    .append(spec.datatype())
                    .append(spec.shape());
        }
        return text + ", or one [rows] tensor per feature: " + String.join(", ", rules.keySet());
    }

    /**
     * Whether a tensor named like this feature means the feature, whichever way it is read: no model tensor has the
     * name, or the one that has holds just this feature (a DataFrame export's one input per column). Read as a feature
     * it may then also be {@code [rows]}, of any numeric datatype, or category names.
     */
    private boolean namesOnlyItsFeature(String name) {
        Binding binding = binding(name);
        return binding == null || binding.spec.columns().equals(List.of(name));
    }

    private @Nullable Binding binding(String name) {
        for (Binding binding : bindings) {
            if (binding.spec.name().equals(name)) {
                return binding;
            }
        }
        return null;
    }

    private BoundBatch bindModelTensors(List<Tensor> inputs) {
        List<String> problems = new ArrayList<>();
        Map<String, Tensor> byName = new HashMap<>();
        for (Tensor input : inputs) {
            if (byName.put(input.name(), input) != null) {
                problems.add("input '" + input.name() + "': given twice (expected: once)");
            }
        }
        long rows = -1;
        for (Binding binding : bindings) {
            Tensor input = byName.get(binding.spec.name());
            if (input == null) {
                problems.add("input '" + binding.spec.name() + "': missing (expected: " + binding.spec.datatype()
                        + shapeText(binding) + ")");
                continue;
            }
            if (input.datatype() != binding.spec.datatype()) {
                problems.add("input '" + input.name() + "': datatype " + input.datatype() + " (expected: "
                        + binding.spec.datatype() + ")");
            }
            if (!binding.shapeFits(input)) {
                problems.add("input '" + input.name() + "': shape " + java.util.Arrays.toString(input.shape())
                        + " (expected: " + shapeText(binding) + ")");
                continue;
            }
            if (rows >= 0 && input.dim(0) != rows) {
                problems.add("input '" + input.name() + "': " + input.dim(0) + " rows (expected: " + rows
                        + ", as in the other inputs)");
            }
            rows = Math.max(rows, input.dim(0));
        }
        if (!problems.isEmpty()) {
            throw SlipwayException.invalidInput(problems);
        }
        int rowCount = rowCount(rows);
        Violations violations = new Violations(rowCount);
        List<Tensor> engineInputs = new ArrayList<>();
        for (Binding binding : bindings) {
            engineInputs.add(binding.check(requireNonNull(byName.get(binding.spec.name())), rowCount, violations));
        }
        violations.throwIfAny();
        return new BoundBatch(engineInputs, rowCount);
    }

    private static int rowCount(long rows) {
        if (rows < 1) {
            throw SlipwayException.invalidInput("rows: %d (expected: at least 1 row)", rows);
        }
        return Math.toIntExact(rows);
    }

    private static String shapeText(Binding binding) {
        return binding.engineRank == 1 ? "[rows] or [rows, 1]" : "[rows, " + binding.width() + "]";
    }

    private BoundBatch bindFeatureTensors(List<Tensor> inputs) {
        List<String> problems = new ArrayList<>();
        Map<String, Tensor> byName = new HashMap<>();
        long rows = -1;
        for (Tensor input : inputs) {
            if (byName.put(input.name(), input) != null) {
                problems.add("input '" + input.name() + "': given twice (expected: once)");
            }
            boolean column = input.rank() == 1 || (input.rank() == 2 && input.dim(1) == 1);
            if (!column) {
                problems.add("input '" + input.name() + "': shape " + java.util.Arrays.toString(input.shape())
                        + " (expected: [rows] or [rows, 1] for a feature)");
                continue;
            }
            if (input.datatype() == DataType.FP16 || input.datatype() == DataType.BF16) {
                problems.add("input '" + input.name() + "': datatype " + input.datatype()
                        + " (expected: a numeric, BOOL or BYTES tensor)");
            }
            if (rows >= 0 && input.dim(0) != rows) {
                problems.add("input '" + input.name() + "': " + input.dim(0) + " rows (expected: " + rows
                        + ", as in the other inputs)");
            }
            rows = Math.max(rows, input.dim(0));
        }
        if (!problems.isEmpty()) {
            throw SlipwayException.invalidInput(problems);
        }
        int rowCount = rowCount(rows);
        Violations violations = new Violations(rowCount);
        Map<String, double[]> columns = new HashMap<>();
        for (FeatureRule rule : rules.values()) {
            double[] column = new double[rowCount];
            Tensor input = byName.get(rule.name());
            for (int row = 0; row < rowCount; row++) {
                column[row] = input == null ? rule.missing(row, violations) : element(rule, input, row, violations);
            }
            columns.put(rule.name(), column);
        }
        violations.throwIfAny();
        return assemble(columns, rowCount);
    }

    private static double element(FeatureRule rule, Tensor input, int row, Violations violations) {
        return element(rule, input.data(), row, row, violations);
    }

    /** Checks element {@code index} (of row {@code row}) of any tensor: numbers, booleans or category names. */
    private static double element(FeatureRule rule, TensorData data, int index, int row, Violations violations) {
        if (data instanceof TensorData.Strings strings) {
            return rule.text(strings.text(index), row, violations);
        }
        if (data instanceof TensorData.Bools bools) {
            return rule.value(bools.values()[index], row, violations);
        }
        return rule.element(data, index, row, violations);
    }

    /**
     * Checks records (one map of feature name to value per row) and turns them into engine inputs.
     *
     * @throws SlipwayException {@code INVALID_INPUT} listing every violation
     */
    public BoundBatch bindRecords(List<Map<String, @Nullable Object>> records) {
        if (records.isEmpty()) {
            throw SlipwayException.invalidInput("instances: empty (expected: at least one record)");
        }
        int rowCount = records.size();
        Violations violations = new Violations(rowCount);
        Map<String, double[]> columns = new HashMap<>();
        for (FeatureRule rule : rules.values()) {
            columns.put(rule.name(), new double[rowCount]);
        }
        for (int row = 0; row < rowCount; row++) {
            Map<String, @Nullable Object> record = records.get(row);
            for (String key : record.keySet()) {
                if (!rules.containsKey(key)) {
                    violations.add(row, key, "unknown feature", "one of " + String.join(", ", rules.keySet()));
                }
            }
            for (FeatureRule rule : rules.values()) {
                double[] column = requireNonNull(columns.get(rule.name()));
                column[row] = record.containsKey(rule.name())
                        ? rule.value(record.get(rule.name()), row, violations)
                        : rule.missing(row, violations);
            }
        }
        violations.throwIfAny();
        return assemble(columns, rowCount);
    }

    private BoundBatch assemble(Map<String, double[]> columns, int rows) {
        List<Tensor> engineInputs = new ArrayList<>();
        for (Binding binding : bindings) {
            int width = binding.width();
            double[] values = new double[rows * width];
            for (int c = 0; c < width; c++) {
                double[] column =
                        requireNonNull(columns.get(binding.spec.columns().get(c)));
                for (int r = 0; r < rows; r++) {
                    values[r * width + c] = column[r];
                }
            }
            engineInputs.add(
                    binding.spec.datatype() == DataType.BYTES
                            ? binding.names(values, rows)
                            : Tensors.fromDoubles(
                                    binding.spec.name(), binding.spec.datatype(), binding.engineShape(rows), values));
        }
        return new BoundBatch(engineInputs, rows);
    }

    /**
     * Turns engine outputs into the served outputs, filtered and ordered as requested.
     *
     * @param outputs the engine's outputs in signature order
     * @param requested the outputs asked for; empty for all
     * @throws SlipwayException {@code INVALID_INPUT} naming a requested output the model does not have
     */
    public List<Tensor> serve(List<Tensor> outputs, List<RequestedOutput> requested) {
        Map<String, Tensor> byName = new HashMap<>();
        for (Tensor output : outputs) {
            byName.put(output.name(), output);
        }
        List<ServedOutput> wanted = selected(requested);
        List<Tensor> result = new ArrayList<>(wanted.size());
        Map<String, Tensor> values = new HashMap<>();
        for (int i = 0; i < wanted.size(); i++) {
            ServedOutput output = wanted.get(i);
            Tensor value = values.computeIfAbsent(output.spec.name(), name -> value(output.spec, byName));
            Tensor served = output.decision ? decide(output.spec, value) : value;
            int top = requested.isEmpty() ? 0 : requested.get(i).classification();
            result.add(
                    top == 0
                            ? served
                            : Classification.top(served, top, output.decision ? List.of() : output.spec.labels()));
        }
        return result;
    }

    private List<ServedOutput> selected(List<RequestedOutput> requested) {
        if (requested.isEmpty()) {
            return served;
        }
        List<ServedOutput> wanted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (RequestedOutput request : requested) {
            ServedOutput match = served.stream()
                    .filter(s -> s.name().equals(request.name()))
                    .findFirst()
                    .orElse(null);
            if (match == null) {
                problems.add("output '" + request.name() + "': unknown output (expected: one of "
                        + String.join(
                                ", ", served.stream().map(ServedOutput::name).toList()) + ")");
            } else {
                wanted.add(match);
            }
        }
        if (!problems.isEmpty()) {
            throw SlipwayException.invalidInput(problems);
        }
        return wanted;
    }

    private static Tensor value(OutputSpec spec, Map<String, Tensor> engineOutputs) {
        Tensor source = engineOutputs.get(spec.from());
        if (source == null) {
            throw new SlipwayException(
                    ErrorCode.ENGINE_FAILURE,
                    "engine returned no output '" + spec.from() + "' for '" + spec.name() + "'");
        }
        Tensor picked = spec.column() == null ? source : Tensors.column(source, spec.column());
        return Tensors.convert(picked, spec.datatype()).withName(spec.name());
    }

    private static Tensor decide(OutputSpec spec, Tensor value) {
        double threshold = spec.threshold() == null ? 0.5 : spec.threshold();
        boolean[] decisions = new boolean[value.size()];
        TensorData data = value.data();
        for (int i = 0; i < decisions.length; i++) {
            decisions[i] = data.asDouble(i) >= threshold;
        }
        String name = spec.decision() == null ? spec.name() + "_decision" : spec.decision();
        return Tensor.of(name, DataType.BOOL, value.shape(), new TensorData.Bools(decisions));
    }

    /** Served outputs as records: one map of output name to value (or list of values) per row. */
    public static List<Map<String, Object>> toRecords(List<Tensor> outputs, int rows) {
        List<Map<String, Object>> records = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            records.add(new LinkedHashMap<>());
        }
        for (Tensor output : outputs) {
            int width = rows == 0 ? 0 : output.size() / rows;
            for (int row = 0; row < rows; row++) {
                Object value;
                if (output.rank() <= 1) {
                    value = element(output.data(), row);
                } else {
                    List<Object> list = new ArrayList<>(width);
                    for (int c = 0; c < width; c++) {
                        list.add(element(output.data(), row * width + c));
                    }
                    value = list;
                }
                records.get(row).put(output.name(), value);
            }
        }
        return records;
    }

    private static Object element(TensorData data, int index) {
        if (data instanceof TensorData.Floats floats) {
            return floats.values()[index];
        }
        if (data instanceof TensorData.Doubles doubles) {
            return doubles.values()[index];
        }
        if (data instanceof TensorData.Bools bools) {
            return bools.values()[index];
        }
        if (data instanceof TensorData.Ints ints) {
            return ints.values()[index];
        }
        if (data instanceof TensorData.Longs longs) {
            return longs.values()[index];
        }
        if (data instanceof TensorData.Strings strings) {
            return strings.text(index);
        }
        return data.render(index);
    }

    /** One engine input tensor and the features that fill its columns. */
    private record Binding(TensorBinding spec, int engineRank, List<FeatureRule> columnRules) {
        int width() {
            return spec.columns().size();
        }

        long[] engineShape(int rows) {
            return engineRank == 1 ? new long[] {rows} : new long[] {rows, width()};
        }

        boolean shapeFits(Tensor input) {
            if (engineRank == 1) {
                return input.rank() == 1 || (input.rank() == 2 && input.dim(1) == 1);
            }
            return input.rank() == 2 && input.dim(1) == width();
        }

        /** The tensor of category names for encoded values (a BYTES model input). */
        Tensor names(double[] codes, int rows) {
            int width = width();
            byte[][] names = new byte[codes.length][];
            for (int i = 0; i < codes.length; i++) {
                names[i] = columnRules.get(i % width).categoryName(codes[i]).getBytes(StandardCharsets.UTF_8);
            }
            return Tensor.of(spec.name(), DataType.BYTES, engineShape(rows), new TensorData.Strings(names));
        }

        /** Checks every element in place; copies only when a default replaces a missing value. */
        Tensor check(Tensor input, int rows, Violations violations) {
            int width = width();
            TensorData data = input.data();
            if (data instanceof TensorData.Strings || data instanceof TensorData.Bools) {
                for (int c = 0; c < width; c++) {
                    for (int r = 0; r < rows; r++) {
                        element(columnRules.get(c), data, r * width + c, r, violations);
                    }
                }
                return input.reshape(engineShape(rows));
            }
            double[] replaced = null;
            for (int c = 0; c < width; c++) {
                FeatureRule rule = columnRules.get(c);
                for (int r = 0; r < rows; r++) {
                    int index = r * width + c;
                    double encoded = rule.element(data, index, r, violations);
                    if (!Double.isNaN(encoded) && Double.isNaN(data.asDouble(index))) {
                        if (replaced == null) {
                            replaced = Tensors.toDoubles(input).clone();
                        }
                        replaced[index] = encoded;
                    }
                }
            }
            long[] shape = engineShape(rows);
            return replaced == null
                    ? input.reshape(shape)
                    : Tensors.fromDoubles(input.name(), input.datatype(), shape, replaced);
        }
    }

    /** A served output: a manifest output, or the decision derived from it. */
    private record ServedOutput(OutputSpec spec, boolean decision) {
        String name() {
            return decision && spec.decision() != null ? spec.decision() : spec.name();
        }
    }
}
