package com.example.stall;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import jakarta.annotation.PreDestroy;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The stall-detector ONNX model (examples/whatsup-logistics/models/stall-detector/2): one OrtSession loaded at
 * start and shared by every request thread (OrtSession.run is thread-safe). Input "input" FP32 [rows, 10] in the
 * manifest's column order; output "probabilities" FP32 [rows, 2], column 1 = P(stalled).
 */
@Component
public class StallModel {
    static final int COLUMNS = 10;
    private static final String INPUT = "input";
    private static final String OUTPUT = "probabilities";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public StallModel(
            @Value("${model.path}") String path,
            @Value("${model.intra-op-threads:1}") int intraOpThreads)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Concurrency comes from Tomcat's request threads; one thread per call avoids oversubscribing the cores.
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            session = env.createSession(path, options);
        }
        if (!session.getInputNames().contains(INPUT) || !session.getOutputNames().contains(OUTPUT)) {
            throw new IllegalStateException("model " + path + " has inputs " + session.getInputNames()
                    + " and outputs " + session.getOutputNames() + ", expected " + INPUT + " and " + OUTPUT);
        }
    }

    /** Scores {@code rows} rows laid out row-major in {@code features}; returns P(stalled) per row. */
    public float[] predict(float[] features, int rows) throws OrtException {
        try (OnnxTensor input =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(features), new long[] {rows, COLUMNS});
                OrtSession.Result result = session.run(Map.of(INPUT, input), Set.of(OUTPUT))) {
            FloatBuffer probabilities = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] stalled = new float[rows];
            for (int i = 0; i < rows; i++) {
                stalled[i] = probabilities.get(i * 2 + 1);
            }
            return stalled;
        }
    }

    @PreDestroy
    void close() throws OrtException {
        session.close();
    }
}
