package dev.slipway.server.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The section of the implementation spec ({@code shared/spec/oip-v2.md}) a conformance test proves, in OpenFeature's
 * style, so coverage of the protocol can be listed by reflection or by grep. Public because JUnit reads repeated
 * annotations through a proxy, which cannot reach package-private annotation types.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(Specification.List.class)
public @interface Specification {
    /** The section number, such as {@code 6.2}. */
    String number();

    /** The rule proved, in a few words. */
    String text();

    /** The container of repeated {@link Specification}s. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface List {
        Specification[] value();
    }
}
