package dev.slipway.payload;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a named field before a line is written: kept, dropped ({@code redact}) or replaced by a keyed hash
 * ({@code hash}): the lower-case hex of HMAC-SHA256 keyed by the salt's UTF-8 bytes over the value's text ({@link
 * #text}), so equal values give equal hashes and can still be joined and counted, but not read back without the salt.
 * A missing value stays {@code null}. One instance per thread: the MAC is not thread-safe.
 */
final class FieldPolicy {
    private final Set<String> redact;
    private final Set<String> hash;
    private final @Nullable Mac mac;

    FieldPolicy(List<String> redact, List<String> hash, @Nullable String salt) {
        this.redact = Set.copyOf(redact);
        this.hash = Set.copyOf(hash);
        if (hash.isEmpty()) {
            this.mac = null;
            return;
        }
        if (salt == null) {
            throw new IllegalArgumentException("hashed fields need a salt");
        }
        try {
            Mac created = Mac.getInstance("HmacSHA256");
            created.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            this.mac = created;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether every field is kept as is. */
    boolean keepsAll() {
        return redact.isEmpty() && hash.isEmpty();
    }

    /** The row with the policy applied, as a new map in the same order. */
    <V> Map<String, @Nullable Object> apply(Map<String, V> row) {
        Map<String, @Nullable Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, V> field : row.entrySet()) {
            String name = field.getKey();
            if (redact.contains(name)) {
                continue;
            }
            Object value = field.getValue();
            result.put(name, value != null && hash.contains(name) ? hash(value) : value);
        }
        return result;
    }

    /** The keyed hash of a value's text, lower-case hex. */
    String hash(Object value) {
        Mac keyed = java.util.Objects.requireNonNull(mac, "mac");
        return HexFormat.of().formatHex(keyed.doFinal(text(value).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A value's text for hashing: strings as they are, booleans {@code true}/{@code false}, whole numbers without a
     * decimal point ({@code 14}, also for {@code 14.0}), other numbers in their shortest round-trip form (a float
     * as a float: {@code 0.1}), lists as their elements' texts joined by commas in brackets.
     */
    static String text(Object value) {
        if (value instanceof Float f && Float.isFinite(f) && f != Math.rint(f)) {
            return Float.toString(f);
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return Long.toString(number.longValue());
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return Double.toString(d);
        }
        if (value instanceof List<?> list) {
            StringBuilder text = new StringBuilder("[");
            for (Object element : list) {
                text.append(text.length() == 1 ? "" : ",").append(element == null ? "null" : text(element));
            }
            return text.append(']').toString();
        }
        return value.toString();
    }
}
