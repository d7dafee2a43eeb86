package dev.slipway.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the request bodies the benchmark sends: the sample row repeated 1, 64 and 1024 times as Open Inference
 * Protocol JSON, and 64 and 1024 rows with the binary tensor extension (with the JSON length in a {@code .header}
 * file, and the probability asked for in binary).
 */
public final class Bodies {
    private Bodies() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        for (int rows : new int[] {1, 64, 1024}) {
            Files.writeString(out.resolve("json-" + rows + ".json"), json(rows));
        }
        for (int rows : new int[] {64, 1024}) {
            String head = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[" + rows + ",10],"
                    + "\"parameters\":{\"binary_data_size\":" + rows * 40 + "}}],"
                    + "\"outputs\":[{\"name\":\"stall_probability\",\"parameters\":{\"binary_data\":true}}]}";
            byte[] json = head.getBytes(StandardCharsets.UTF_8);
            ByteBuffer body = ByteBuffer.allocate(json.length + rows * 40).order(ByteOrder.LITTLE_ENDIAN);
            body.put(json);
            for (int r = 0; r < rows; r++) {
                for (float value : SampleModel.ROW) {
                    body.putFloat(value);
                }
            }
            Files.write(out.resolve("binary-" + rows + ".bin"), body.array());
            Files.writeString(out.resolve("binary-" + rows + ".header"), Integer.toString(json.length));
        }
    }

    static String json(int rows) {
        StringBuilder data = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            data.append(r == 0 ? "" : ",").append("[0.0,240.0,2.0,180.0,95.0,0,14,6.0,1,0]");
        }
        return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[" + rows + ",10],\"data\":[" + data
                + "]}]}";
    }
}
