package dev.slipway.rollout;

/** Accumulates shadow comparisons in one observation window. Thread-safe. */
final class ShadowWindow {
    private final Reservoir absDiffs;
    private final Reservoir shadowLatencies;
    private final Reservoir primaryLatencies;
    private final Reservoir shadowScores;
    private final Reservoir primaryScores;
    private long copied;
    private long shed;
    private long errors;
    private long rows;
    private long disagreements;

    ShadowWindow(long seed) {
        int capacity = VariantWindow.SAMPLE_CAPACITY;
        this.absDiffs = new Reservoir(capacity, seed);
        this.shadowLatencies = new Reservoir(capacity, seed + 1);
        this.primaryLatencies = new Reservoir(capacity, seed + 2);
        this.shadowScores = new Reservoir(capacity, seed + 3);
        this.primaryScores = new Reservoir(capacity, seed + 4);
    }

    synchronized void shed() {
        shed++;
    }

    synchronized void failed() {
        copied++;
        errors++;
    }

    /** Records one compared pair: the rows' scores and decisions of both, and both answer times. */
    synchronized void paired(Answer primary, Answer shadow, long primaryNanos, long shadowNanos) {
        copied++;
        shadowLatencies.add(shadowNanos / 1e6);
        primaryLatencies.add(primaryNanos / 1e6);
        int n = Math.min(primary.scores().length, shadow.scores().length);
        for (int row = 0; row < n; row++) {
            double p = primary.scores()[row];
            double s = shadow.scores()[row];
            if (Double.isNaN(p) || Double.isNaN(s)) {
                continue;
            }
            rows++;
            if (primary.decision(row) != shadow.decision(row)) {
                disagreements++;
            }
            absDiffs.add(Math.abs(s - p));
            shadowScores.add(s);
            primaryScores.add(p);
        }
    }

    synchronized ShadowSample snapshot() {
        return new ShadowSample(
                copied,
                shed,
                errors,
                rows,
                disagreements,
                absDiffs.sample(),
                shadowLatencies.sample(),
                primaryLatencies.sample(),
                shadowScores.sample(),
                primaryScores.sample());
    }
}
