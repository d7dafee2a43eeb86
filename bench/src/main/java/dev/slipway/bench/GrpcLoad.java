package dev.slipway.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.slipway.server.grpc.proto.GRPCInferenceServiceGrpc;
import dev.slipway.server.grpc.proto.ModelInferRequest;
import dev.slipway.server.grpc.proto.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop gRPC load client: keeps {@code concurrency} ModelInfer calls outstanding for the duration (after a
 * warm-up) and prints one JSON line: requests, seconds, req/s, latency percentiles in microseconds, errors.
 *
 * <p>Usage: {@code GrpcLoad <host> <port> <model> <rows> <concurrency> <seconds> [version]}
 */
public final class GrpcLoad {
    /** One sample row of the stall detector's ten features, in column order. */
    static final float[] ROW = {0f, 240f, 2f, 180f, 95f, 0f, 14f, 6f, 1f, 0f};

    private GrpcLoad() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String model = args[2];
        int rows = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .maxInboundMessageSize(64 << 20)
                .build();
        GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub = GRPCInferenceServiceGrpc.newFutureStub(channel);
        String version = args.length > 6 ? args[6] : "";
        ModelInferRequest request = request(model, rows).toBuilder().setModelVersion(version).build();
        run(stub, request, concurrency, 2, new Recorder(3));
        Recorder recorder = new Recorder(3);
        long[] counts = run(stub, request, concurrency, seconds, recorder);
        var histogram = recorder.getIntervalHistogram();
        System.out.printf(
                Locale.ROOT,
                "{\"requests\": %d, \"errors\": %d, \"seconds\": %d, \"rps\": %.1f, \"p50_us\": %d, \"p99_us\": %d, "
                        + "\"p999_us\": %d}%n",
                counts[0], counts[1], seconds, counts[0] / (double) seconds,
                histogram.getValueAtPercentile(50) / 1000, histogram.getValueAtPercentile(99) / 1000,
                histogram.getValueAtPercentile(99.9) / 1000);
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static ModelInferRequest request(String model, int rows) {
        ByteBuffer raw = ByteBuffer.allocate(rows * ROW.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (float value : ROW) {
                raw.putFloat(value);
            }
        }
        return ModelInferRequest.newBuilder()
                .setModelName(model)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input").setDatatype("FP32").addShape(rows).addShape(ROW.length))
                .addRawInputContents(ByteString.copyFrom(raw.array()))
                .build();
    }

    private static long[] run(
            GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub,
            ModelInferRequest request,
            int concurrency,
            int seconds,
            Recorder recorder)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            next(stub, request, end, recorder, done, errors, finished);
        }
        finished.await();
        return new long[] {done.get(), errors.get()};
    }

    private static void next(
            GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub,
            ModelInferRequest request,
            long end,
            Recorder recorder,
            AtomicLong done,
            AtomicLong errors,
            CountDownLatch finished) {
        long start = System.nanoTime();
        if (start >= end) {
            finished.countDown();
            return;
        }
        Futures.addCallback(
                stub.modelInfer(request),
                new FutureCallback<ModelInferResponse>() {
                    @Override
                    public void onSuccess(ModelInferResponse result) {
                        recorder.recordValue(System.nanoTime() - start);
                        done.incrementAndGet();
                        next(stub, request, end, recorder, done, errors, finished);
                    }

                    @Override
                    public void onFailure(Throwable failure) {
                        errors.incrementAndGet();
                        next(stub, request, end, recorder, done, errors, finished);
                    }
                },
                MoreExecutors.directExecutor());
    }
}
