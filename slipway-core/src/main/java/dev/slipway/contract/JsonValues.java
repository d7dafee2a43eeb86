package dev.slipway.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes the values records and parameters hold ({@link DataContract#toRecords}, request parameters) as JSON: numbers
 * as numbers (a non-finite float or double as {@code null}, which JSON cannot hold), booleans, lists as arrays, and
 * anything else as its text.
 */
public final class JsonValues {
    private JsonValues() {}

    /** Writes one value. */
    public static void write(JsonGenerator json, @Nullable Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Float f) {
            if (Float.isFinite(f)) {
                json.writeNumber(f);
            } else {
                json.writeNull();
            }
        } else if (value instanceof Double d) {
            if (Double.isFinite(d)) {
                json.writeNumber(d);
            } else {
                json.writeNull();
            }
        } else if (value instanceof Integer i) {
            json.writeNumber(i);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Number n) {
            json.writeNumber(n.doubleValue());
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(json, element);
            }
            json.writeEndArray();
        } else {
            json.writeString(value.toString());
        }
    }
}
