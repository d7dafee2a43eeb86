package dev.slipway.engine.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.slipway.api.Batches;
import dev.slipway.api.DataType;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One ONNX Runtime session. ORT sessions accept concurrent {@code run} calls. */
final class OnnxModel implements ModelInstance {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Signature signature;
    private final Map<String, ClassProbabilities> classProbabilities;
    private final boolean oneRowPerCall;

    /**
     * @param oneRowPerCall whether the model takes exactly one row per call (inputs of batch dimension 1), so batches
     *     run row by row
     */
    OnnxModel(
            OrtEnvironment environment,
            OrtSession session,
            Signature signature,
            Map<String, ClassProbabilities> classProbabilities,
            boolean oneRowPerCall) {
        this.environment = environment;
        this.session = session;
        this.signature = signature;
        this.classProbabilities = Map.copyOf(classProbabilities);
        this.oneRowPerCall = oneRowPerCall;
    }

    @Override
    public Signature signature() {
        return signature;
    }

    @Override
    public List<Tensor> infer(List<Tensor> inputs) {
        check(inputs);
        long rows = inputs.get(0).rank() == 0 ? 1 : inputs.get(0).dim(0);
        return oneRowPerCall && rows != 1 ? rowByRow(inputs, Math.toIntExact(rows)) : run(inputs);
    }

    /** Runs a model that takes one row per call on each row of a batch, and joins the answers. */
    private List<Tensor> rowByRow(List<Tensor> inputs, int rows) {
        List<List<Tensor>> answers = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            List<Tensor> one = new ArrayList<>(inputs.size());
            for (Tensor input : inputs) {
                one.add(Batches.rows(input, row, row + 1));
            }
            answers.add(run(one));
        }
        List<Tensor> joined = new ArrayList<>(signature.outputs().size());
        for (int output = 0; output < signature.outputs().size(); output++) {
            List<Tensor> parts = new ArrayList<>(rows);
            for (List<Tensor> answer : answers) {
                parts.add(answer.get(output));
            }
            joined.add(Batches.concat(parts));
        }
        return joined;
    }

    private List<Tensor> run(List<Tensor> inputs) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (Tensor input : inputs) {
                feeds.put(input.name(), toOrt(input));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                List<Tensor> outputs = new ArrayList<>(signature.outputs().size());
                for (TensorSpec spec : signature.outputs()) {
                    OnnxValue value = result.get(spec.name()).orElseThrow();
                    ClassProbabilities classes = classProbabilities.get(spec.name());
                    outputs.add(
                            classes != null
                                    ? classes.toTensor((OnnxSequence) value)
                                    : fromOrt(spec, (OnnxTensor) value));
                }
                return outputs;
            }
        } catch (OrtException e) {
            throw SlipwayException.engineFailure("onnx runtime failed: " + e.getMessage(), e);
        } finally {
            for (OnnxTensor tensor : feeds.values()) {
                tensor.close();
            }
        }
    }

    private void check(List<Tensor> inputs) {
        List<TensorSpec> specs = signature.inputs();
        if (inputs.size() != specs.size()) {
            throw SlipwayException.invalidInput(
                    "%d inputs (expected: %d: %s)",
                    inputs.size(),
                    specs.size(),
                    String.join(", ", specs.stream().map(TensorSpec::name).toList()));
        }
        for (int i = 0; i < specs.size(); i++) {
            TensorSpec spec = specs.get(i);
            Tensor input = inputs.get(i);
            if (!input.name().equals(spec.name())) {
                throw SlipwayException.invalidInput("input %d is '%s' (expected: '%s')", i, input.name(), spec.name());
            }
            if (input.datatype() != spec.datatype()) {
                throw SlipwayException.invalidInput(
                        "input '%s': datatype %s (expected: %s)", spec.name(), input.datatype(), spec.datatype());
            }
            List<Long> shape = spec.shape();
            boolean fits = input.rank() == shape.size();
            for (int d = 0; fits && d < shape.size(); d++) {
                fits = shape.get(d) < 0 || shape.get(d) == input.dim(d);
            }
            if (!fits) {
                throw SlipwayException.invalidInput(
                        "input '%s': shape %s (expected: %s)", spec.name(), Arrays.toString(input.shape()), shape);
            }
        }
    }

    private OnnxTensor toOrt(Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        TensorData data = tensor.data();
        return switch (tensor.datatype()) {
            case FP32 -> OnnxTensor.createTensor(
                    environment, FloatBuffer.wrap(((TensorData.Floats) data).values()), shape);
            case FP64 -> OnnxTensor.createTensor(
                    environment, DoubleBuffer.wrap(((TensorData.Doubles) data).values()), shape);
            case INT64 -> OnnxTensor.createTensor(
                    environment, LongBuffer.wrap(((TensorData.Longs) data).values()), shape);
            case INT32 -> OnnxTensor.createTensor(
                    environment, IntBuffer.wrap(((TensorData.Ints) data).values()), shape);
            case INT16 -> OnnxTensor.createTensor(environment, ShortBuffer.wrap(shorts(data)), shape);
            case INT8, UINT8 -> OnnxTensor.createTensor(
                    environment,
                    ByteBuffer.wrap(bytes(data)),
                    shape,
                    tensor.datatype() == DataType.UINT8 ? OnnxJavaType.UINT8 : OnnxJavaType.INT8);
            case BOOL -> OnnxTensor.createTensor(environment, ByteBuffer.wrap(bools(data)), shape, OnnxJavaType.BOOL);
            case BYTES -> OnnxTensor.createTensor(environment, strings(data), shape);
            case FP16, BF16 -> OnnxTensor.createTensor(
                    environment,
                    ByteBuffer.wrap(halfs(data)),
                    shape,
                    tensor.datatype() == DataType.FP16 ? OnnxJavaType.FLOAT16 : OnnxJavaType.BFLOAT16);
            default -> throw SlipwayException.unsupported(
                    "datatype %s is not supported by ONNX Runtime", tensor.datatype());
        };
    }

    private static short[] shorts(TensorData data) {
        int[] values = ((TensorData.Ints) data).values();
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (short) values[i];
        }
        return out;
    }

    private static byte[] bytes(TensorData data) {
        int[] values = ((TensorData.Ints) data).values();
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] bools(TensorData data) {
        boolean[] values = ((TensorData.Bools) data).values();
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) (values[i] ? 1 : 0);
        }
        return out;
    }

    private static byte[] halfs(TensorData data) {
        short[] values = ((TensorData.Halfs) data).values();
        ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(java.nio.ByteOrder.nativeOrder());
        out.asShortBuffer().put(values);
        return out.array();
    }

    private static String[] strings(TensorData data) {
        TensorData.Strings strings = (TensorData.Strings) data;
        String[] out = new String[strings.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = strings.text(i);
        }
        return out;
    }

    private static Tensor fromOrt(TensorSpec spec, OnnxTensor tensor) throws OrtException {
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        int size = Math.toIntExact(info.getNumElements());
        TensorData data =
                switch (spec.datatype()) {
                    case FP32 -> {
                        float[] out = new float[size];
                        tensor.getFloatBuffer().get(out);
                        yield new TensorData.Floats(out);
                    }
                    case FP64 -> {
                        double[] out = new double[size];
                        tensor.getDoubleBuffer().get(out);
                        yield new TensorData.Doubles(out);
                    }
                    case INT64 -> {
                        long[] out = new long[size];
                        tensor.getLongBuffer().get(out);
                        yield new TensorData.Longs(out);
                    }
                    case INT32 -> {
                        int[] out = new int[size];
                        tensor.getIntBuffer().get(out);
                        yield new TensorData.Ints(out);
                    }
                    case INT16 -> {
                        ShortBuffer buffer = tensor.getShortBuffer();
                        int[] out = new int[size];
                        for (int i = 0; i < size; i++) {
                            out[i] = buffer.get(i);
                        }
                        yield new TensorData.Ints(out);
                    }
                    case INT8, UINT8 -> {
                        ByteBuffer buffer = tensor.getByteBuffer();
                        int[] out = new int[size];
                        for (int i = 0; i < size; i++) {
                            out[i] = spec.datatype() == DataType.UINT8 ? buffer.get(i) & 0xFF : buffer.get(i);
                        }
                        yield new TensorData.Ints(out);
                    }
                    case BOOL -> {
                        ByteBuffer buffer = tensor.getByteBuffer();
                        boolean[] out = new boolean[size];
                        for (int i = 0; i < size; i++) {
                            out[i] = buffer.get(i) != 0;
                        }
                        yield new TensorData.Bools(out);
                    }
                    case BYTES -> {
                        byte[][] out = new byte[size][];
                        String[] flat = flatten(tensor.getValue(), size);
                        for (int i = 0; i < size; i++) {
                            out[i] = flat[i].getBytes(StandardCharsets.UTF_8);
                        }
                        yield new TensorData.Strings(out);
                    }
                    case FP16, BF16 -> {
                        short[] out = new short[size];
                        tensor.getShortBuffer().get(out);
                        yield new TensorData.Halfs(out);
                    }
                    default -> throw SlipwayException.unsupported(
                            "output '%s' has unsupported type %s", spec.name(), spec.datatype());
                };
        return Tensor.of(spec.name(), spec.datatype(), shape, data);
    }

    private static String[] flatten(Object value, int size) {
        List<String> out = new ArrayList<>(size);
        collect(value, out);
        return out.toArray(new String[0]);
    }

    private static void collect(Object value, List<String> out) {
        if (value instanceof String text) {
            out.add(text);
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                collect(element, out);
            }
        }
    }

    @Override
    public void close() {
        OnnxEngine.closeQuietly(session);
    }
}
