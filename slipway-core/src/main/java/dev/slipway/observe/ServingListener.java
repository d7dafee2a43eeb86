package dev.slipway.observe;

/**
 * Told of every answered request, on the thread that answered it: an implementation must return in microseconds and
 * never block (hand work off to a bounded queue and drop, counted, when it is full). A listener that throws is logged
 * and does not affect the answer.
 */
@FunctionalInterface
public interface ServingListener {
    /** A request was answered (or refused). */
    void served(Served event);
}
