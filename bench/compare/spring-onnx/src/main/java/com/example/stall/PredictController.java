package com.example.stall;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** KServe V1 predict for the stall detector: {"instances": [{...}]} -> {"predictions": [...], ...}. */
@RestController
public class PredictController {
    /** road_type's category codes, from the model's manifest. */
    private static final Map<String, Float> ROAD_TYPES = Map.of("highway", 0f, "urban", 1f, "rural", 2f, "yard", 3f);

    private final StallModel model;
    private final double threshold;
    private final String modelVersion;

    public PredictController(
            StallModel model,
            @Value("${model.threshold:0.35}") double threshold,
            @Value("${model.version:2}") String modelVersion) {
        this.model = model;
        this.threshold = threshold;
        this.modelVersion = modelVersion;
    }

    /** One row of telematics features; JSON names are snake_case (spring.jackson.property-naming-strategy). */
    public record Instance(
            Double speedKmh,
            Double minutesSinceLastMove,
            Double minutesSinceLastPing,
            Double distanceToDestinationKm, // nullable: a truck without a destination
            Double distanceToNearestDepotKm,
            Boolean inGeofence,
            Integer hourOfDay,
            Double driverHoursToday,
            Boolean ignitionOn,
            String roadType) {}

    public record PredictRequest(List<Instance> instances) {}

    public record Prediction(float stallProbability, boolean stalled) {}

    public record PredictResponse(List<Prediction> predictions, String modelName, String modelVersion) {}

    @PostMapping("/v1/models/stall-detector:predict")
    public PredictResponse predict(@RequestBody PredictRequest request) throws OrtException {
        List<Instance> instances = request.instances();
        if (instances == null || instances.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "instances: expected at least one row");
        }
        int rows = instances.size();
        float[] features = new float[rows * StallModel.COLUMNS];
        for (int r = 0; r < rows; r++) {
            Instance x = instances.get(r);
            int o = r * StallModel.COLUMNS; // the manifest's column order
            features[o] = required(x.speedKmh(), r, "speed_kmh");
            features[o + 1] = required(x.minutesSinceLastMove(), r, "minutes_since_last_move");
            features[o + 2] = required(x.minutesSinceLastPing(), r, "minutes_since_last_ping");
            features[o + 3] = x.distanceToDestinationKm() == null
                    ? Float.NaN // missing: the trees route it down their default branch
                    : x.distanceToDestinationKm().floatValue();
            features[o + 4] = required(x.distanceToNearestDepotKm(), r, "distance_to_nearest_depot_km");
            features[o + 5] = flag(x.inGeofence(), r, "in_geofence");
            features[o + 6] = required(x.hourOfDay() == null ? null : x.hourOfDay().doubleValue(), r, "hour_of_day");
            features[o + 7] = required(x.driverHoursToday(), r, "driver_hours_today");
            features[o + 8] = flag(x.ignitionOn(), r, "ignition_on");
            Float road = x.roadType() == null ? null : ROAD_TYPES.get(x.roadType());
            if (road == null) {
                throw badRow(r, "road_type", "expected one of " + ROAD_TYPES.keySet());
            }
            features[o + 9] = road;
        }
        float[] probabilities = model.predict(features, rows);
        List<Prediction> predictions = new ArrayList<>(rows);
        for (float p : probabilities) {
            predictions.add(new Prediction(p, p >= threshold));
        }
        return new PredictResponse(predictions, "stall-detector", modelVersion);
    }

    private static float required(Double value, int row, String name) {
        if (value == null) {
            throw badRow(row, name, "a number is required");
        }
        return value.floatValue();
    }

    private static float flag(Boolean value, int row, String name) {
        if (value == null) {
            throw badRow(row, name, "true or false is required");
        }
        return value ? 1f : 0f;
    }

    private static ResponseStatusException badRow(int row, String name, String what) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, "instances[" + row + "]." + name + ": " + what);
    }
}
