package dev.slipway.rollout;

import java.util.List;

/**
 * An A/B(/n) test: two or more arms with weights and sticky assignment, the first arm the control every other arm is
 * compared with.
 *
 * @param arms the arms, control first; weights in basis points summing to {@link Buckets#COUNT}
 * @param minRows rows each arm must score before its comparison counts
 */
public record Experiment(List<RoutingTable.Arm> arms, long minRows) {
    public Experiment {
        arms = List.copyOf(arms);
    }

    /** The control arm. */
    public RoutingTable.Arm control() {
        return arms.get(0);
    }
}
