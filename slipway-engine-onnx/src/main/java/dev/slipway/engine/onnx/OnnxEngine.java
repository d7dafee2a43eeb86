package dev.slipway.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.spi.Engine;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.Signature;
import dev.slipway.spi.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs ONNX models with ONNX Runtime on the CPU. Format {@code onnx}. */
public final class OnnxEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxEngine.class);

    @Override
    public String format() {
        return "onnx";
    }

    @Override
    public ModelInstance load(ModelArtifact artifact) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(artifact.options().intraOpThreads());
            options.setInterOpNumThreads(artifact.options().interOpThreads());
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(artifact.file().toString(), options);
        } catch (OrtException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "onnx model '" + artifact.file().getFileName() + "' cannot be loaded: " + e.getMessage(),
                    e);
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            List<TensorSpec> inputSpecs = new ArrayList<>();
            for (NodeInfo input : inputs.values()) {
                inputSpecs.add(spec(input, "input"));
            }
            Map<String, ClassProbabilities> probabilities = classProbabilities(environment, session, inputs, outputs);
            List<TensorSpec> outputSpecs = new ArrayList<>();
            for (NodeInfo output : outputs.values()) {
                ClassProbabilities classes = probabilities.get(output.getName());
                outputSpecs.add(classes != null ? classes.spec() : spec(output, "output"));
            }
            boolean oneRow = oneRowPerCall(inputSpecs);
            if (oneRow) {
                LOG.info(
                        "onnx model {}: every input has a fixed batch dimension of 1 (an export without dynamic axes);"
                                + " batches run row by row",
                        artifact.file().getFileName());
                inputSpecs = anyRows(inputSpecs);
                outputSpecs = anyRows(outputSpecs);
            }
            return new OnnxModel(environment, session, new Signature(inputSpecs, outputSpecs), probabilities, oneRow);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof SlipwayException slipway) {
                throw slipway;
            }
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "onnx model '" + artifact.file().getFileName() + "' has an unreadable signature: " + e.getMessage(),
                    e);
        }
    }

    /**
     * The outputs that are sequences of class-probability maps (skl2onnx's ZipMap), with their classes learned from a
     * probe row. Called once every input is known to be a tensor.
     */
    private static Map<String, ClassProbabilities> classProbabilities(
            OrtEnvironment environment,
            OrtSession session,
            Map<String, NodeInfo> inputs,
            Map<String, NodeInfo> outputs) {
        List<NodeInfo> maps = outputs.values().stream()
                .filter(output -> ClassProbabilities.servable(output.getInfo()))
                .toList();
        if (maps.isEmpty()) {
            return Map.of();
        }
        Set<String> names = new LinkedHashSet<>();
        maps.forEach(output -> names.add(output.getName()));
        try {
            return ClassProbabilities.probe(environment, session, inputs, names);
        } catch (OrtException | RuntimeException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    String.format(
                            "output '%s' is %s: its classes are read from one probe row at load, which failed: %s "
                                    + "(expected: a model that runs on one row of zeros)",
                            maps.get(0).getName(),
                            ClassProbabilities.describe(maps.get(0).getInfo()),
                            e.getMessage()),
                    e);
        }
    }

    /** Whether the model takes exactly one row per call: every input's first dimension is fixed at 1. */
    private static boolean oneRowPerCall(List<TensorSpec> inputs) {
        return !inputs.isEmpty()
                && inputs.stream()
                        .allMatch(
                                spec -> !spec.shape().isEmpty() && spec.shape().get(0) == 1);
    }

    /** The specs with a first dimension of 1 turned into any number of rows. */
    private static List<TensorSpec> anyRows(List<TensorSpec> specs) {
        List<TensorSpec> out = new ArrayList<>(specs.size());
        for (TensorSpec spec : specs) {
            List<Long> shape = new ArrayList<>(spec.shape());
            if (!shape.isEmpty() && shape.get(0) == 1) {
                shape.set(0, -1L);
            }
            out.add(new TensorSpec(spec.name(), spec.datatype(), shape, spec.columnNames()));
        }
        return out;
    }

    private static TensorSpec spec(NodeInfo node, String role) {
        if (!(node.getInfo() instanceof TensorInfo tensor)) {
            throw SlipwayException.unsupported(
                    "%s '%s' has ONNX type %s (expected: a tensor%s)",
                    role,
                    node.getName(),
                    ClassProbabilities.describe(node.getInfo()),
                    role.equals("output") ? ", or seq(map(int64|string, float)) class probabilities" : "");
        }
        long[] shape = tensor.getShape().clone();
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shape[i] <= 0 ? -1 : shape[i];
        }
        return new TensorSpec(
                node.getName(),
                datatype(tensor, node.getName(), role),
                Arrays.stream(shape).boxed().toList(),
                List.of());
    }

    private static DataType datatype(TensorInfo tensor, String name, String role) {
        OnnxJavaType type = tensor.type;
        DataType mapped =
                switch (type) {
                    case FLOAT -> DataType.FP32;
                    case DOUBLE -> DataType.FP64;
                    case INT8 -> DataType.INT8;
                    case INT16 -> DataType.INT16;
                    case INT32 -> DataType.INT32;
                    case INT64 -> DataType.INT64;
                    case UINT8 -> DataType.UINT8;
                    case BOOL -> DataType.BOOL;
                    case STRING -> DataType.BYTES;
                    case FLOAT16 -> DataType.FP16;
                    case BFLOAT16 -> DataType.BF16;
                    default -> null;
                };
        if (mapped == null) {
            throw SlipwayException.unsupported(
                    "%s '%s' has ONNX type %s, which Slipway does not support", role, name, type);
        }
        return mapped;
    }

    static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing a session that failed to describe itself: nothing more can be done.
        }
    }
}
