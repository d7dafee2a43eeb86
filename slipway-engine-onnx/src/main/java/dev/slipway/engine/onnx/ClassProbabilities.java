package dev.slipway.engine.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.spi.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model output of ONNX type {@code seq(map(int64|string, float))}: one map from class to probability per row, what
 * skl2onnx's default {@code ZipMap} and onnxmltools' classifier exports return. Served as an FP32 {@code [rows, k]}
 * tensor whose columns are the classes in sorted key order (scikit-learn's {@code classes_} order); the column names
 * are the class keys. The classes are read at load from one probe row, because ORT's type information does not say
 * how many entries a map holds; every row at inference must have exactly these classes.
 *
 * @param name the output's name
 * @param keys the class keys in column order: {@code Long}s or {@code String}s, sorted
 */
record ClassProbabilities(String name, List<Object> keys) {
    ClassProbabilities {
        keys = List.copyOf(keys);
    }

    /** Whether ORT describes this output as a sequence of maps Slipway can serve as class probabilities. */
    static boolean servable(ValueInfo info) {
        if (!(info instanceof SequenceInfo sequence) || !sequence.sequenceOfMaps) {
            return false;
        }
        MapInfo map = sequence.mapInfo;
        return (map.keyType == OnnxJavaType.INT64 || map.keyType == OnnxJavaType.STRING)
                && map.valueType == OnnxJavaType.FLOAT;
    }

    /** The ONNX type in the notation of the ONNX spec, such as {@code seq(map(int64, float))}, for messages. */
    static String describe(ValueInfo info) {
        if (info instanceof TensorInfo tensor) {
            return "tensor(" + typeName(tensor.type) + ")";
        }
        if (info instanceof MapInfo map) {
            return "map(" + typeName(map.keyType) + ", " + typeName(map.valueType) + ")";
        }
        if (info instanceof SequenceInfo sequence) {
            return sequence.sequenceOfMaps
                    ? "seq(" + describe(sequence.mapInfo) + ")"
                    : "seq(tensor(" + typeName(sequence.sequenceType) + "))";
        }
        return info.getClass().getSimpleName();
    }

    private static String typeName(OnnxJavaType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Learns the classes of every servable sequence-of-maps output from one inference on a probe row (zeros, empty
     * strings; one row, and 1 for every other variable dimension).
     *
     * @throws OrtException when the probe row cannot be run
     */
    static Map<String, ClassProbabilities> probe(
            OrtEnvironment environment, OrtSession session, Map<String, NodeInfo> inputs, Set<String> outputs)
            throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (NodeInfo input : inputs.values()) {
                feeds.put(input.getName(), probeTensor(environment, (TensorInfo) input.getInfo()));
            }
            Map<String, ClassProbabilities> found = new HashMap<>();
            try (OrtSession.Result result = session.run(feeds, outputs)) {
                for (String output : outputs) {
                    OnnxValue value = result.get(output).orElseThrow();
                    List<Object> keys = new ArrayList<>();
                    for (Map<?, ?> row : rows((OnnxSequence) value)) {
                        keys.addAll(row.keySet());
                    }
                    keys.sort(null);
                    found.put(output, new ClassProbabilities(output, keys));
                }
            }
            return found;
        } finally {
            for (OnnxTensor tensor : feeds.values()) {
                tensor.close();
            }
        }
    }

    private static OnnxTensor probeTensor(OrtEnvironment environment, TensorInfo info) throws OrtException {
        long[] shape = info.getShape().clone();
        int elements = 1;
        for (int d = 0; d < shape.length; d++) {
            shape[d] = d == 0 || shape[d] <= 0 ? 1 : shape[d];
            elements = Math.multiplyExact(elements, Math.toIntExact(shape[d]));
        }
        if (info.type == OnnxJavaType.STRING) {
            String[] empty = new String[elements];
            Arrays.fill(empty, "");
            return OnnxTensor.createTensor(environment, empty, shape);
        }
        // A direct buffer: ORT reads it as the declared type, where a heap buffer would be cast to one per type.
        ByteBuffer zeros = ByteBuffer.allocateDirect(elements * info.type.size).order(ByteOrder.nativeOrder());
        return OnnxTensor.createTensor(environment, zeros, shape, info.type);
    }

    /** How the engine signature describes this output: FP32 {@code [-1, k]}, columns named by the class keys. */
    TensorSpec spec() {
        return new TensorSpec(
                name,
                DataType.FP32,
                List.of(-1L, (long) keys.size()),
                keys.stream().map(String::valueOf).toList());
    }

    /** The probabilities of every row, columns in key order. */
    Tensor toTensor(OnnxSequence sequence) throws OrtException {
        List<Map<?, ?>> rows = rows(sequence);
        int width = keys.size();
        float[] values = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            Map<?, ?> row = rows.get(r);
            for (int c = 0; c < width; c++) {
                Object probability = row.get(keys.get(c));
                if (row.size() != width || !(probability instanceof Float value)) {
                    throw new SlipwayException(
                            ErrorCode.ENGINE_FAILURE,
                            String.format(
                                    "output '%s': row %d has classes %s (expected: the classes seen at load, %s)",
                                    name, r, sortedKeys(row), keys));
                }
                values[r * width + c] = value;
            }
        }
        return Tensor.ofFloats(name, new long[] {rows.size(), width}, values);
    }

    /** Every map of the sequence as a Java map; the maps ORT hands out are closed here. */
    private static List<Map<?, ?>> rows(OnnxSequence sequence) throws OrtException {
        List<? extends OnnxValue> maps = sequence.getValue();
        List<Map<?, ?>> rows = new ArrayList<>(maps.size());
        try {
            for (OnnxValue map : maps) {
                rows.add(((OnnxMap) map).getValue());
            }
        } finally {
            OnnxValue.close(maps);
        }
        return rows;
    }

    private static List<Object> sortedKeys(Map<?, ?> row) {
        List<Object> sorted = new ArrayList<>(row.keySet());
        sorted.sort(null);
        return sorted;
    }
}
