package dev.slipway.rollout;

import java.util.List;

/**
 * The judge's view of one window: the verdict and every check behind it.
 *
 * @param verdict {@code FAIL} when any check fails; {@code INSUFFICIENT} when any lacks evidence or the step is still
 *     baking; {@code PASS} only when every check passed after the bake time
 * @param baked whether the step's bake time had passed
 * @param checks the checks, in a fixed order
 */
public record Judgement(Verdict verdict, boolean baked, List<Check> checks) {
    public Judgement {
        checks = List.copyOf(checks);
    }

    /** Combines checks into a judgement. */
    static Judgement of(boolean baked, List<Check> checks) {
        Verdict verdict = Verdict.PASS;
        for (Check check : checks) {
            if (check.verdict() == Verdict.FAIL) {
                return new Judgement(Verdict.FAIL, baked, checks);
            }
            if (check.verdict() == Verdict.INSUFFICIENT) {
                verdict = Verdict.INSUFFICIENT;
            }
        }
        return new Judgement(baked ? verdict : Verdict.INSUFFICIENT, baked, checks);
    }

    /** The failed checks' names, comma-separated. */
    public String failures() {
        return String.join(
                ", ",
                checks.stream()
                        .filter(check -> check.verdict() == Verdict.FAIL)
                        .map(Check::name)
                        .toList());
    }
}
