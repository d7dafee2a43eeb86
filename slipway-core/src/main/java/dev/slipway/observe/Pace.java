package dev.slipway.observe;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a background consumer of serving events waits for work without request threads waking it (no signal, no
 * unpark per event): after a look that found nothing it sleeps 10 ms, and after a second without work 100 ms. One per
 * consumer thread.
 */
public final class Pace {
    private static final long LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int QUIET_LOOKS = 100;

    private int emptyLooks;

    /** A look found work: the next empty one starts the count again. */
    public void found() {
        emptyLooks = 0;
    }

    /**
     * A look found nothing: sleeps until the next look.
     *
     * @return true about once a second while it stays quiet, for idle chores (flushing, rotating, retention)
     */
    public boolean rest() {
        emptyLooks++;
        boolean quiet = emptyLooks > QUIET_LOOKS;
        boolean chore = emptyLooks == QUIET_LOOKS || (quiet && emptyLooks % 10 == 0);
        LockSupport.parkNanos(quiet ? 10 * LOOK_NANOS : LOOK_NANOS);
        return chore;
    }
}
