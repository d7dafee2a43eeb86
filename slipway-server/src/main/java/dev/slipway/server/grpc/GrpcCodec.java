package dev.slipway.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RequestedOutput;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.inference.Limits;
import dev.slipway.server.RawTensors;
import dev.slipway.server.grpc.proto.InferParameter;
import dev.slipway.server.grpc.proto.InferTensorContents;
import dev.slipway.server.grpc.proto.ModelInferRequest;
import dev.slipway.server.grpc.proto.ModelInferResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Converts between the gRPC messages and Slipway's requests: inputs from typed {@code contents} or {@code
 * raw_input_contents} (never both), outputs always as {@code raw_output_contents}, as tritonclient expects.
 */
final class GrpcCodec {

    private final Limits limits;

    GrpcCodec(Limits limits) {
        this.limits = limits;
    }

    InferenceRequest request(ModelInferRequest message) {
        if (message.getModelName().isEmpty()) {
            throw SlipwayException.invalidInput("model_name: empty (expected: the model's name)");
        }
        boolean raw = message.getRawInputContentsCount() > 0;
        if (raw && message.getRawInputContentsCount() != message.getInputsCount()) {
            throw SlipwayException.invalidInput(
                    "raw_input_contents: %d entries (expected: one per input, %d)",
                    message.getRawInputContentsCount(), message.getInputsCount());
        }
        List<Tensor> inputs = new ArrayList<>(message.getInputsCount());
        for (int i = 0; i < message.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor input = message.getInputs(i);
            String subject = "inputs[" + i + "] '" + input.getName() + "'";
            if (input.getName().isEmpty()) {
                throw SlipwayException.invalidInput("inputs[%d].name: empty (expected: the input's name)", i);
            }
            DataType type = DataType.fromWire(input.getDatatype())
                    .orElseThrow(() -> SlipwayException.invalidInput(
                            "%s.datatype: '%s' (expected: one of %s)",
                            subject,
                            input.getDatatype(),
                            String.join(
                                    ", ",
                                    Arrays.stream(DataType.values())
                                            .map(Enum::name)
                                            .toList())));
            long[] shape =
                    input.getShapeList().stream().mapToLong(Long::longValue).toArray();
            int count = elementCount(shape, subject);
            if (raw && input.hasContents()) {
                throw SlipwayException.invalidInput(
                        "%s: contents field must not be specified when using raw_input_contents", subject);
            }
            TensorData data = raw
                    ? RawTensors.read(message.getRawInputContents(i).asReadOnlyByteBuffer(), type, count, subject)
                    : typed(input.getContents(), type, count, subject);
            inputs.add(Tensor.of(input.getName(), type, shape, data));
        }
        List<RequestedOutput> outputs = new ArrayList<>(message.getOutputsCount());
        for (int i = 0; i < message.getOutputsCount(); i++) {
            ModelInferRequest.InferRequestedOutputTensor output = message.getOutputs(i);
            outputs.add(new RequestedOutput(
                    output.getName(),
                    null,
                    classification(output.getParametersMap().get("classification"), "outputs[" + i + "]")));
        }
        return new InferenceRequest(
                message.getModelName(),
                message.getModelVersion().isEmpty() ? null : message.getModelVersion(),
                message.getId().isEmpty() ? null : message.getId(),
                inputs,
                outputs,
                parameters(message.getParametersMap()));
    }

    private int elementCount(long[] shape, String subject) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw SlipwayException.invalidInput(
                        "%s.shape: %s (expected: non-negative dimensions)", subject, Arrays.toString(shape));
            }
            if (dim > limits.maxTensorElements() || count * dim > limits.maxTensorElements()) {
                throw new SlipwayException(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        subject + ".shape: " + Arrays.toString(shape) + " (expected: at most "
                                + limits.maxTensorElements() + " elements per tensor)");
            }
            count *= dim;
        }
        return (int) count;
    }

    private static TensorData typed(InferTensorContents contents, DataType type, int count, String subject) {
        TensorData data =
                switch (type) {
                    case FP32 -> {
                        float[] out = new float[contents.getFp32ContentsCount()];
                        for (int i = 0; i < out.length; i++) {
                            out[i] = contents.getFp32Contents(i);
                        }
                        yield new TensorData.Floats(out);
                    }
                    case FP64 -> new TensorData.Doubles(contents.getFp64ContentsList().stream()
                            .mapToDouble(Double::doubleValue)
                            .toArray());
                    case INT8, INT16, INT32 -> new TensorData.Ints(
                            checkedInts(contents.getIntContentsList(), type, subject));
                    case UINT8, UINT16 -> new TensorData.Ints(
                            checkedInts(contents.getUintContentsList(), type, subject));
                    case UINT32 -> new TensorData.Longs(contents.getUintContentsList().stream()
                            .mapToLong(v -> v & 0xFFFF_FFFFL)
                            .toArray());
                    case INT64 -> new TensorData.Longs(contents.getInt64ContentsList().stream()
                            .mapToLong(Long::longValue)
                            .toArray());
                    case UINT64 -> new TensorData.Longs(contents.getUint64ContentsList().stream()
                            .mapToLong(Long::longValue)
                            .toArray());
                    case BOOL -> {
                        boolean[] out = new boolean[contents.getBoolContentsCount()];
                        for (int i = 0; i < out.length; i++) {
                            out[i] = contents.getBoolContents(i);
                        }
                        yield new TensorData.Bools(out);
                    }
                    case BYTES -> new TensorData.Strings(contents.getBytesContentsList().stream()
                            .map(ByteString::toByteArray)
                            .toArray(byte[][]::new));
                    case FP16, BF16 -> throw SlipwayException.invalidInput(
                            "%s: %s has no typed contents field (expected: raw_input_contents)", subject, type);
                };
        if (data.size() != count) {
            throw SlipwayException.invalidInput(
                    "%s: %d elements in contents (expected: %d, the product of shape)", subject, data.size(), count);
        }
        return data;
    }

    private static int[] checkedInts(List<Integer> values, DataType type, String subject) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            long value = type.name().startsWith("U") ? values.get(i) & 0xFFFF_FFFFL : values.get(i);
            if (value < type.minIntegral() || value > type.maxIntegral()) {
                throw SlipwayException.invalidInput(
                        "%s: element %d is %d (expected: %s in %d..%d)",
                        subject, i, value, type, type.minIntegral(), type.maxIntegral());
            }
            out[i] = (int) value;
        }
        return out;
    }

    private static Map<String, Object> parameters(Map<String, InferParameter> parameters) {
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<String, InferParameter> entry : parameters.entrySet()) {
            Object value = value(entry.getValue());
            if (value != null) {
                out.put(entry.getKey(), value);
            }
        }
        return out;
    }

    private static @Nullable Object value(InferParameter parameter) {
        return switch (parameter.getParameterChoiceCase()) {
            case BOOL_PARAM -> parameter.getBoolParam();
            case INT64_PARAM -> parameter.getInt64Param();
            case STRING_PARAM -> parameter.getStringParam();
            case DOUBLE_PARAM -> parameter.getDoubleParam();
            case UINT64_PARAM -> parameter.getUint64Param();
            case PARAMETERCHOICE_NOT_SET -> null;
        };
    }

    static ModelInferResponse response(InferenceResponse response) {
        ModelInferResponse.Builder builder =
                ModelInferResponse.newBuilder().setModelName(response.model()).setModelVersion(response.version());
        if (response.id() != null) {
            builder.setId(response.id());
        }
        for (Tensor output : response.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder tensor = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(output.name())
                    .setDatatype(output.datatype().name());
            for (int d = 0; d < output.rank(); d++) {
                tensor.addShape(output.dim(d));
            }
            builder.addOutputs(tensor);
            ByteBuffer bytes = ByteBuffer.allocate(RawTensors.size(output.datatype(), output.data()));
            RawTensors.write(output.datatype(), output.data(), bytes);
            builder.addRawOutputContents(UnsafeByteOperations.unsafeWrap(bytes.array()));
        }
        for (Map.Entry<String, Object> parameter : response.parameters().entrySet()) {
            Object value = parameter.getValue();
            InferParameter.Builder proto = InferParameter.newBuilder();
            if (value instanceof Boolean b) {
                proto.setBoolParam(b);
            } else if (value instanceof Long || value instanceof Integer) {
                proto.setInt64Param(((Number) value).longValue());
            } else if (value instanceof Number n) {
                proto.setDoubleParam(n.doubleValue());
            } else {
                proto.setStringParam(String.valueOf(value));
            }
            builder.putParameters(parameter.getKey(), proto.build());
        }
        return builder.build();
    }

    /** The classification extension's N from an output's {@code classification} parameter; 0 when absent. */
    private static int classification(@Nullable InferParameter parameter, String path) {
        if (parameter == null) {
            return 0;
        }
        long n =
                switch (parameter.getParameterChoiceCase()) {
                    case INT64_PARAM -> parameter.getInt64Param();
                    case UINT64_PARAM -> parameter.getUint64Param();
                    default -> -1;
                };
        if (n < 1 || n > RequestedOutput.MAX_CLASSIFICATION) {
            throw SlipwayException.invalidInput(
                    "%s.parameters.classification: %s (expected: an int64_param in 1..%d, how many top entries)",
                    path, parameter.toString().strip(), RequestedOutput.MAX_CLASSIFICATION);
        }
        return (int) n;
    }
}
