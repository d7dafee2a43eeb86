package dev.slipway.engine.rules;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.slipway.api.DataType;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled rules model. Outputs the score ({@code [rows]} FP64) and {@code rule_index} ({@code [rows]} INT32: the
 * index of the rule that matched, -1 for the default). Compiled CEL programs are immutable, so calls run concurrently.
 */
final class RulesModel implements ModelInstance {
    static final String RULE_INDEX = "rule_index";

    /** A rule whose condition is compiled. */
    record CompiledRule(String name, CelRuntime.Program condition, double score) {}

    private final RulesFile file;
    private final List<CompiledRule> rules;
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private final Signature signature;

    RulesModel(RulesFile file, List<CompiledRule> rules) {
        this.file = file;
        this.rules = List.copyOf(rules);
        for (int i = 0; i < file.columns().size(); i++) {
            columnIndex.put(file.columns().get(i), i);
        }
        this.signature = new Signature(
                List.of(new TensorSpec(
                        file.inputName(),
                        DataType.FP64,
                        List.of(-1L, (long) file.columns().size()),
                        file.columns())),
                List.of(
                        TensorSpec.of(file.outputName(), DataType.FP64, -1),
                        TensorSpec.of(RULE_INDEX, DataType.INT32, -1)));
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public List<Tensor> infer(List<Tensor> inputs) {
        if (inputs.size() != 1 || !inputs.get(0).name().equals(file.inputName())) {
            throw SlipwayException.invalidInput(
                    "inputs %s (expected: one input '%s')",
                    inputs.stream().map(Tensor::name).toList(), file.inputName());
        }
        Tensor input = inputs.get(0);
        int width = file.columns().size();
        if (input.datatype() != DataType.FP64 && input.datatype() != DataType.FP32) {
            throw SlipwayException.invalidInput(
                    "input '%s': datatype %s (expected: FP64)", input.name(), input.datatype());
        }
        if (input.rank() != 2 || input.dim(1) != width) {
            throw SlipwayException.invalidInput(
                    "input '%s': shape %s (expected: [rows, %d])", input.name(), Arrays.toString(input.shape()), width);
        }
        int rows = (int) input.dim(0);
        double[] scores = new double[rows];
        int[] matched = new int[rows];
        TensorData data = input.data();
        for (int r = 0; r < rows; r++) {
            int offset = r * width;
            matched[r] = firstMatch(
                    name -> Optional.ofNullable(columnIndex.get(name)).map(c -> data.asDouble(offset + c)));
            scores[r] =
                    matched[r] < 0 ? file.defaultScore() : rules.get(matched[r]).score();
        }
        return List.of(
                Tensor.ofDoubles(file.outputName(), new long[] {rows}, scores),
                Tensor.ofInts(RULE_INDEX, new long[] {rows}, matched));
    }

    private int firstMatch(dev.cel.runtime.CelVariableResolver row) {
        for (int i = 0; i < rules.size(); i++) {
            try {
                if (Boolean.TRUE.equals(rules.get(i).condition().eval(row))) {
                    return i;
                }
            } catch (CelEvaluationException e) {
                throw SlipwayException.engineFailure("rule '" + rules.get(i).name() + "' failed: " + e.getMessage(), e);
            }
        }
        return -1;
    }

    @Override
    public void close() {}
}
