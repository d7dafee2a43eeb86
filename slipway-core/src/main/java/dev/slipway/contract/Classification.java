package dev.slipway.contract;

import dev.slipway.api.DataType;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The classification extension: an output answered as its N highest entries per row, highest first, each {@code
 * "value:index"} or {@code "value:index:label"} (values printed as Triton prints them: six decimals for floating
 * point). Served outputs are batch-first, so a {@code [rows]} output has one entry per row and a {@code [rows, k]}
 * output k; the answer is BYTES {@code [rows, min(N, k)]}.
 */
final class Classification {
    private Classification() {}

    static Tensor top(Tensor output, int n, List<String> labels) {
        if (output.datatype() == DataType.BYTES) {
            throw SlipwayException.invalidInput(
                    "output '%s': classification %d (expected: on a numeric output; it is BYTES)", output.name(), n);
        }
        int rows = output.rank() == 0 ? 1 : Math.toIntExact(output.dim(0));
        int width = rows == 0 ? 0 : output.size() / rows;
        int kept = Math.min(n, width);
        TensorData data = output.data();
        byte[][] entries = new byte[rows * kept][];
        for (int row = 0; row < rows; row++) {
            int offset = row * width;
            int[] order = IntStream.range(0, width)
                    .boxed()
                    .sorted(Comparator.comparingDouble((Integer c) -> -data.asDouble(offset + c))
                            .thenComparingInt(c -> c))
                    .mapToInt(Integer::intValue)
                    .limit(kept)
                    .toArray();
            for (int i = 0; i < kept; i++) {
                entries[row * kept + i] = entry(output.datatype(), data, offset + order[i], order[i], labels);
            }
        }
        return Tensor.of(output.name(), DataType.BYTES, new long[] {rows, kept}, new TensorData.Strings(entries));
    }

    private static byte[] entry(DataType datatype, TensorData data, int index, int column, List<String> labels) {
        double value = data.asDouble(index);
        boolean floating = datatype == DataType.FP32
                || datatype == DataType.FP64
                || datatype == DataType.FP16
                || datatype == DataType.BF16;
        String text = (floating ? String.format(Locale.ROOT, "%f", value) : Long.toString((long) value)) + ":" + column
                + (column < labels.size() ? ":" + labels.get(column) : "");
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
