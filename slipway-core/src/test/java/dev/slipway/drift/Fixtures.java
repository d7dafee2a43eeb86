package dev.slipway.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.manifest.FeatureType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The committed scipy/numpy fixtures (made by make_fixtures.py beside them) and helpers to replay them. */
final class Fixtures {
    static final JsonNode CASES = read("drift-cases.json");
    static final JsonNode SAMPLE_REPORT = read("sample-report.json");

    private Fixtures() {}

    static JsonNode read(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode namedCase(String name) {
        for (JsonNode c : CASES.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    static List<@Nullable Object> values(JsonNode array) {
        List<@Nullable Object> out = new ArrayList<>();
        for (JsonNode value : array) {
            out.add(value.isNull() ? null : value.isNumber() ? (Object) value.asDouble() : value.asText());
        }
        return out;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    /** The column a fixture case describes. */
    static Column column(JsonNode fixture) {
        String name = fixture.get("name").asText();
        if (fixture.get("kind").asText().equals("numeric")) {
            return Column.of(name, FeatureType.FLOAT, List.of());
        }
        List<String> categories = new ArrayList<>();
        fixture.get("categories").forEach(c -> categories.add(c.asText()));
        return Column.of(name, FeatureType.CATEGORICAL, categories);
    }

    /** A one-column profile of the fixture's reference values. */
    static ReferenceProfile profile(JsonNode fixture) {
        return ReferenceProfile.of("fixture", List.of(column(fixture)), List.of(values(fixture.get("reference"))));
    }

    /** A window of the fixture's current values, keeping at most {@code exactLimit} values exactly. */
    static WindowState window(ReferenceProfile profile, List<@Nullable Object> current, int exactLimit) {
        WindowState window = profile.newWindow(Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), exactLimit);
        String name = profile.columns().get(0);
        for (Object value : current) {
            window.observeRecord(Collections.singletonMap(name, value));
        }
        return window;
    }
}
