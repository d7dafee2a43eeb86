package dev.slipway.api.manifest;

import static java.util.Objects.requireNonNull;

/**
 * A category of a categorical feature.
 *
 * @param name the category's name as clients send it
 * @param code the integer the model sees
 */
public record Category(String name, int code) {
    public Category {
        requireNonNull(name, "name");
    }
}
