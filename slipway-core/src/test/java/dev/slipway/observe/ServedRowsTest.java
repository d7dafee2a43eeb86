package dev.slipway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServedRowsTest {
    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void aModelTensorIsNamedThroughItsBindingWithCategoriesBooleansAndMissingValuesDecoded() {
        float[] row = {0f, 240f, 2f, Float.NaN, 95f, 0f, 14f, 6f, 1f, 2f};
        Served event = TestEvents.tensors("t-1", AT, new float[][] {row}, new float[] {0.92f});

        List<Map<String, Object>> features = ServedRows.features(event.request(), TestEvents.stallManifest());

        assertThat(features).hasSize(1);
        assertThat(features.get(0))
                .containsExactly(
                        Map.entry("speed_kmh", 0f),
                        Map.entry("minutes_since_last_move", 240f),
                        Map.entry("minutes_since_last_ping", 2f),
                        entryWithNull("distance_to_destination_km"),
                        Map.entry("distance_to_nearest_depot_km", 95f),
                        Map.entry("in_geofence", false),
                        Map.entry("hour_of_day", 14L),
                        Map.entry("driver_hours_today", 6f),
                        Map.entry("ignition_on", true),
                        Map.entry("road_type", "rural"));
        assertThat(ServedRows.predictions(event.response()))
                .containsExactly(Map.of("stall_probability", 0.92f, "stalled", true));
    }

    @SuppressWarnings("unchecked")
    private static Map.Entry<String, Object> entryWithNull(String key) {
        return (Map.Entry<String, Object>) (Map.Entry<String, ?>) new java.util.AbstractMap.SimpleEntry<>(key, null);
    }

    @Test
    void recordsAreTakenAsSentAndTensorsWithoutAManifestAreNotNamed() {
        Served event = TestEvents.records("r-1", AT, 0.1f, 0.8f);

        assertThat(ServedRows.features(event.request(), null)).hasSize(2);
        assertThat(ServedRows.features(event.request(), null).get(1)).containsEntry("road_type", "highway");
        Served tensors = TestEvents.tensors("t-2", AT, new float[][] {new float[10]}, new float[] {0.1f});
        assertThat(ServedRows.features(tensors.request(), null)).isNull();
    }
}
