package dev.slipway.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;

/** The JSON form of rollouts, routing tables and plans, as stored in the registry and shown by the admin API. */
public final class RolloutJson {
    /** Kebab-case keys, ISO-8601 instants and durations. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RolloutJson() {}

    /** The JSON text of a value. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SlipwayException(
                    ErrorCode.INTERNAL, "cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /** A value from its JSON text. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new SlipwayException(
                    ErrorCode.INTERNAL,
                    "stored " + type.getSimpleName() + " is unreadable: " + e.getOriginalMessage(),
                    e);
        }
    }
}
