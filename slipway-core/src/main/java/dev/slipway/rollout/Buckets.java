package dev.slipway.rollout;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic assignment of routing keys to {@value #COUNT} buckets: FNV-1a (32 bit) of the endpoint's salt and
 * the key, hashed once more to spread similar keys, modulo {@value #COUNT}. The same key and salt give the same
 * bucket in every process and after every restart, so assignment needs no shared state.
 */
public final class Buckets {
    /** Buckets per endpoint: weights are set in basis points of traffic. */
    public static final int COUNT = 10_000;

    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    private Buckets() {}

    /** The bucket of a key under a salt, in {@code [0, COUNT)}. */
    public static int of(String salt, String key) {
        int first = fnv1a(FNV_OFFSET, salt.getBytes(StandardCharsets.UTF_8));
        first = fnv1a(first, new byte[] {0});
        first = fnv1a(first, key.getBytes(StandardCharsets.UTF_8));
        int second = fnv1a(
                FNV_OFFSET,
                new byte[] {(byte) (first >>> 24), (byte) (first >>> 16), (byte) (first >>> 8), (byte) first});
        return (int) (Integer.toUnsignedLong(second) % COUNT);
    }

    private static int fnv1a(int seed, byte[] bytes) {
        int hash = seed;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
