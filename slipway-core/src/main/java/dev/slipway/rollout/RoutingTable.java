package dev.slipway.rollout;

import dev.slipway.api.SlipwayException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where an endpoint's requests go: an immutable snapshot with an epoch that grows with every change. Arms split the
 * {@link Buckets#COUNT} buckets in order ({@code canary} first, so raising its weight only moves buckets from the
 * primary to the canary and lowering it moves exactly those back); a shadow receives copies of a sample.
 *
 * @param endpoint the model name clients call
 * @param epoch grows by one with every routing change
 * @param salt mixed into the bucket hash; fixed for the life of the endpoint so assignment stays sticky
 * @param arms the variants serving live traffic, with weights in basis points summing to {@link Buckets#COUNT}
 * @param shadow a version receiving copies whose answers are compared but never returned, or none
 */
public record RoutingTable(String endpoint, long epoch, String salt, List<Arm> arms, @Nullable Shadow shadow) {
    /** The variant that serves when nothing else is going on. */
    public static final String PRIMARY = "primary";

    /** The version under evaluation in a canary step. */
    public static final String CANARY = "canary";

    private static final Pattern VARIANT = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /**
     * One variant serving live traffic.
     *
     * @param variant its name: {@code primary}, {@code canary} or an experiment arm
     * @param version the model version it runs
     * @param weight its share of buckets, in basis points
     */
    public record Arm(String variant, long version, int weight) {}

    /**
     * A version receiving copies of live traffic.
     *
     * @param version the model version
     * @param sample the share of requests copied, in basis points
     */
    public record Shadow(long version, int sample) {}

    public RoutingTable {
        arms = List.copyOf(arms);
        if (arms.isEmpty()) {
            throw SlipwayException.invalidInput("routing table of '%s': no arms (expected: at least one)", endpoint);
        }
        Set<String> names = new HashSet<>();
        int total = 0;
        for (Arm arm : arms) {
            if (!VARIANT.matcher(arm.variant()).matches() || !names.add(arm.variant())) {
                throw SlipwayException.invalidInput(
                        "routing table of '%s': variant '%s' (expected: unique names matching %s)",
                        endpoint, arm.variant(), VARIANT);
            }
            if (arm.weight() < 0 || arm.version() < 1) {
                throw SlipwayException.invalidInput(
                        "routing table of '%s': arm %s (expected: version >= 1 and weight >= 0)", endpoint, arm);
            }
            total += arm.weight();
        }
        if (total != Buckets.COUNT) {
            throw SlipwayException.invalidInput(
                    "routing table of '%s': weights sum to %d (expected: %d basis points)",
                    endpoint, total, Buckets.COUNT);
        }
        if (shadow != null && (shadow.sample() < 0 || shadow.sample() > Buckets.COUNT)) {
            throw SlipwayException.invalidInput(
                    "routing table of '%s': shadow sample %d (expected: 0..%d basis points)",
                    endpoint, shadow.sample(), Buckets.COUNT);
        }
    }

    /** All traffic to one version. */
    public static RoutingTable single(String endpoint, long epoch, String salt, long version) {
        return new RoutingTable(endpoint, epoch, salt, List.of(new Arm(PRIMARY, version, Buckets.COUNT)), null);
    }

    /** A canary split: {@code canaryWeight} basis points to the candidate, the rest to the primary. */
    public static RoutingTable canary(
            String endpoint, long epoch, String salt, long primary, long candidate, int canaryWeight) {
        return new RoutingTable(
                endpoint,
                epoch,
                salt,
                List.of(
                        new Arm(CANARY, candidate, canaryWeight),
                        new Arm(PRIMARY, primary, Buckets.COUNT - canaryWeight)),
                null);
    }

    /** The arm owning a bucket. */
    public Arm arm(int bucket) {
        int upper = 0;
        for (Arm arm : arms) {
            upper += arm.weight();
            if (bucket < upper) {
                return arm;
            }
        }
        return arms.get(arms.size() - 1);
    }

    /** The arm with this variant name. */
    public Optional<Arm> variant(String name) {
        return arms.stream().filter(arm -> arm.variant().equals(name)).findFirst();
    }

    /** The primary's version: the {@code primary} arm, else the first arm. */
    public long primaryVersion() {
        return variant(PRIMARY).orElse(arms.get(0)).version();
    }

    /** The same table with a shadow. */
    public RoutingTable withShadow(@Nullable Shadow newShadow) {
        return new RoutingTable(endpoint, epoch, salt, arms, newShadow);
    }

    /** The same routes under the next epoch. */
    public RoutingTable next() {
        return new RoutingTable(endpoint, epoch + 1, salt, arms, shadow);
    }

    /** Whether more than one version takes live traffic or a shadow is set. */
    public boolean split() {
        return shadow != null || arms.stream().filter(arm -> arm.weight() > 0).count() > 1;
    }

    /** The versions this table needs loaded. */
    public List<Long> versions() {
        List<Long> versions = new ArrayList<>();
        for (Arm arm : arms) {
            if (!versions.contains(arm.version())) {
                versions.add(arm.version());
            }
        }
        if (shadow != null && !versions.contains(shadow.version())) {
            versions.add(shadow.version());
        }
        return versions;
    }
}
