package dev.slipway.server.rest;

import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.Tensor;
import dev.slipway.inference.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Decoding an inference request body and encoding its response, as the REST adapter does. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonBenchmark {
    @Param({"1", "64", "1024"})
    int rows;

    InferRequestDecoder decoder = new InferRequestDecoder(Limits.defaults());
    ByteBuf body;
    InferenceResponse response;

    @Setup
    public void prepare() {
        StringBuilder data = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            data.append(r == 0 ? "" : ",").append("[0.0,240.0,2.0,180.0,95.0,0,14,6.0,1,0]");
        }
        String json = "{\"id\":\"b\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[" + rows
                + ",10],\"data\":[" + data + "]}]}";
        body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
        float[] probabilities = new float[rows];
        boolean[] decisions = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            probabilities[r] = 0.92051244f - r * 1e-4f;
            decisions[r] = r % 2 == 0;
        }
        response = new InferenceResponse("stall-detector", "1", "b", List.of(
                Tensor.ofFloats("stall_probability", new long[] {rows}, probabilities),
                Tensor.ofBools("stalled", new long[] {rows}, decisions)), Map.of());
    }

    @Benchmark
    public InferenceRequest decode() {
        return decoder.decode(new ByteBufInputStream(body.duplicate()), "stall-detector", null);
    }

    @Benchmark
    public int encode() {
        ByteBuf out = JsonBodies.write(ByteBufAllocator.DEFAULT, JsonBodies.inference(response));
        int size = out.readableBytes();
        out.release();
        return size;
    }
}
