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
import java.util.List;
import java.util.Map;

/** Runs ONNX models with ONNX Runtime on the CPU. Format {@code onnx}. */
public final class OnnxEngine implements Engine {

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
            Signature signature =
                    new Signature(specs(session.getInputInfo(), "input"), specs(session.getOutputInfo(), "output"));
            return new OnnxModel(environment, session, signature);
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

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos, String role) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            if (!(node.getInfo() instanceof TensorInfo tensor)) {
                throw SlipwayException.unsupported(
                        "%s '%s' is a %s, not a tensor (expected: tensors only; export classifiers without ZipMap, "
                                + "e.g. skl2onnx options {'zipmap': False})",
                        role, node.getName(), node.getInfo().getClass().getSimpleName());
            }
            long[] shape = tensor.getShape().clone();
            if (shape.length > 0 && shape[0] <= 0) {
                shape[0] = -1;
            }
            for (int i = 1; i < shape.length; i++) {
                shape[i] = shape[i] <= 0 ? -1 : shape[i];
            }
            specs.add(new TensorSpec(
                    node.getName(),
                    datatype(tensor, node.getName(), role),
                    Arrays.stream(shape).boxed().toList(),
                    List.of()));
        }
        return specs;
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
