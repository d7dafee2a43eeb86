package dev.slipway.rollout;

import dev.slipway.api.Ticker;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current observation window of each endpoint. A window belongs to one routing epoch: the first request routed
 * under a new epoch, or the controller starting a step, opens a fresh one, so every judgement compares the arms over
 * the same stretch of traffic under the same split.
 */
public final class Observations {
    private final Ticker ticker;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Observations timed on a ticker. */
    public Observations(Ticker ticker) {
        this.ticker = ticker;
    }

    /** The window for requests routed under {@code epoch}, opening a fresh one when the epoch moved on. */
    Window window(String endpoint, long epoch) {
        Window current = windows.get(endpoint);
        if (current != null && current.epoch() == epoch) {
            return current;
        }
        return windows.compute(
                endpoint,
                (key, existing) -> existing != null && existing.epoch() == epoch
                        ? existing
                        : new Window(epoch, ticker.nanos(), seed(endpoint, epoch)));
    }

    /** Starts a fresh window for the epoch, dropping what was observed (a step restarting after a pause). */
    public Window restart(String endpoint, long epoch) {
        Window fresh = new Window(epoch, ticker.nanos(), seed(endpoint, epoch));
        windows.put(endpoint, fresh);
        return fresh;
    }

    /** The endpoint's current window, if any request was observed or a window started. */
    public Optional<Window> current(String endpoint) {
        return Optional.ofNullable(windows.get(endpoint));
    }

    private static long seed(String endpoint, long epoch) {
        return endpoint.hashCode() * 31L + epoch;
    }
}
