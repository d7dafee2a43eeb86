package dev.slipway.observe;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic sampling by request id: a request is in the sample when {@link #unit} of its id is below the rate, so
 * every replica, the payload log and the prediction store agree on which requests are in, and a label arriving later
 * can tell "not sampled" from "unknown".
 *
 * <p>The hash, for tools that want to reproduce it: FNV-1a (64-bit) over the id's UTF-8 bytes, then MurmurHash3's
 * {@code fmix64} finaliser; the top 53 bits divided by 2<sup>53</sup> give a number in [0, 1).
 */
public final class Sampling {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Sampling() {}

    /** Whether the request with this id is in a sample of {@code rate} (0..1); rate 1 takes all, 0 none. */
    public static boolean sampled(String requestId, double rate) {
        if (rate >= 1) {
            return true;
        }
        if (rate <= 0) {
            return false;
        }
        return unit(requestId) < rate;
    }

    /** The id's position in [0, 1), uniform over ids. */
    public static double unit(String requestId) {
        long hash = FNV_OFFSET;
        for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return (hash >>> 11) * 0x1.0p-53;
    }
}
