package dev.slipway.bench;

import com.google.protobuf.ByteString;
import dev.slipway.server.grpc.proto.ModelInferRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes ModelInfer request bodies framed for gRPC over HTTP/2 (a zero compression byte, a 4-byte big-endian length,
 * the message), so a generic HTTP/2 load tool (h2load) can drive the gRPC service: the sample row repeated 1 and 1024
 * times as {@code raw_input_contents}, for versions 1 and 2.
 */
public final class GrpcBodies {
    private GrpcBodies() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        for (String version : new String[] {"1", "2"}) {
            for (int rows : new int[] {1, 1024}) {
                byte[] message = request(version, rows).toByteArray();
                ByteBuffer framed = ByteBuffer.allocate(5 + message.length);
                framed.put((byte) 0).putInt(message.length).put(message);
                Files.write(out.resolve("grpc-v" + version + "-" + rows + ".bin"), framed.array());
            }
        }
    }

    static ModelInferRequest request(String version, int rows) {
        ByteBuffer raw = ByteBuffer.allocate(rows * SampleModel.ROW.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (float value : SampleModel.ROW) {
                raw.putFloat(value);
            }
        }
        return ModelInferRequest.newBuilder()
                .setModelName("stall-detector")
                .setModelVersion(version)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input")
                        .setDatatype("FP32")
                        .addShape(rows)
                        .addShape(SampleModel.ROW.length))
                .addRawInputContents(ByteString.copyFrom(raw.array()))
                .build();
    }
}
