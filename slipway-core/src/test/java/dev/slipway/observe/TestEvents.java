package dev.slipway.observe;

import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RecordsRequest;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.Tensor;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.manifest.ManifestReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Served events of the sample's {@code stall-detector} version 2, as the protocol adapters report them. */
public final class TestEvents {
    public static final String MODEL = "stall-detector";

    private TestEvents() {}

    /** The sample's stall-detector v2 manifest (probability output, threshold 0.35, decision {@code stalled}). */
    public static ModelManifest stallManifest() {
        Path file = Path.of("../examples/whatsup-logistics/models/stall-detector/2/model.yaml");
        try {
            return ManifestReader.parse(Files.readString(file), file.toString(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Manifests knowing only the stall detector (as versions 1 and 2, and as the default version). */
    public static Manifests stallManifests() {
        ModelManifest manifest = stallManifest();
        return (model, version) -> model.equals(MODEL) ? Optional.of(manifest) : Optional.empty();
    }

    /** One ping's features as a V1 record. */
    public static Map<String, @Nullable Object> ping(double speed, double minutesSinceMove, String roadType) {
        Map<String, @Nullable Object> row = new LinkedHashMap<>();
        row.put("speed_kmh", speed);
        row.put("minutes_since_last_move", minutesSinceMove);
        row.put("minutes_since_last_ping", 2.0);
        row.put("distance_to_destination_km", null);
        row.put("distance_to_nearest_depot_km", 95.0);
        row.put("in_geofence", false);
        row.put("hour_of_day", 14);
        row.put("driver_hours_today", 6.0);
        row.put("ignition_on", true);
        row.put("road_type", roadType);
        return row;
    }

    /** An answered V1 request: one row per probability, each with a ping's features. */
    public static Served records(String requestId, Instant at, float... probabilities) {
        List<Map<String, @Nullable Object>> instances = new ArrayList<>();
        List<Map<String, Object>> predictions = new ArrayList<>();
        for (float p : probabilities) {
            instances.add(ping(p < 0.35 ? 60 : 0, p < 0.35 ? 0 : 240, "highway"));
            Map<String, Object> prediction = new LinkedHashMap<>();
            prediction.put("stall_probability", p);
            prediction.put("stalled", p >= 0.35);
            predictions.add(prediction);
        }
        return new Served(
                requestId,
                "rest-v1",
                MODEL,
                MODEL,
                "2",
                "primary",
                3,
                null,
                410_000,
                probabilities.length,
                at,
                new RecordsRequest(MODEL, null, instances),
                new RecordsResponse(MODEL, "2", predictions));
    }

    /**
     * An answered V2 request with the model's own {@code input} tensor (FP32 [rows, 10], columns in the manifest's
     * order: road type as its code, booleans as 0/1, NaN for a missing distance).
     */
    public static Served tensors(String requestId, Instant at, float[][] rows, float[] probabilities) {
        float[] flat = new float[rows.length * 10];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * 10, 10);
        }
        boolean[] stalled = new boolean[probabilities.length];
        for (int i = 0; i < stalled.length; i++) {
            stalled[i] = probabilities[i] >= 0.35f;
        }
        InferenceRequest request = new InferenceRequest(
                MODEL,
                null,
                requestId,
                List.of(Tensor.ofFloats("input", new long[] {rows.length, 10}, flat)),
                List.of(),
                Map.of());
        InferenceResponse response = new InferenceResponse(
                MODEL,
                "2",
                requestId,
                List.of(
                        Tensor.ofFloats("stall_probability", new long[] {probabilities.length}, probabilities),
                        Tensor.ofBools("stalled", new long[] {stalled.length}, stalled)),
                Map.of());
        return new Served(
                requestId,
                "rest-v2",
                MODEL,
                MODEL,
                "2",
                "canary",
                4,
                null,
                250_000,
                rows.length,
                at,
                request,
                response);
    }

    /** A refused V1 request: decoded, but nothing answered. */
    public static Served refused(String requestId, Instant at) {
        return new Served(
                requestId,
                "rest-v1",
                MODEL,
                null,
                null,
                "",
                0,
                dev.slipway.api.ErrorCode.INVALID_INPUT,
                90_000,
                1,
                at,
                new RecordsRequest(MODEL, null, List.of(ping(-5, 0, "highway"))),
                null);
    }
}
