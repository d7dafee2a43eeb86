package dev.slipway.observe;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every listener of a server, told in order; one that throws is counted and logged, and the rest still run. */
public final class ServingListeners implements ServingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ServingListeners.class);

    private final List<ServingListener> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder failures = new LongAdder();
    private final Clock clock;

    /** Listeners stamping events with this clock. */
    public ServingListeners(Clock clock) {
        this.clock = clock;
    }

    /** The time to stamp an event with. */
    public Instant now() {
        return clock.instant();
    }

    /** Adds a listener. */
    public void add(ServingListener listener) {
        listeners.add(listener);
    }

    /** Whether anyone listens (adapters skip building events when nobody does). */
    public boolean active() {
        return !listeners.isEmpty();
    }

    @Override
    public void served(Served event) {
        for (ServingListener listener : listeners) {
            try {
                listener.served(event);
            } catch (RuntimeException e) {
                failures.increment();
                if (failures.sum() <= 10) {
                    LOG.warn("serving listener {} failed: {}", listener, e.toString());
                }
            }
        }
    }

    /** Listener calls that threw. */
    public long failures() {
        return failures.sum();
    }
}
