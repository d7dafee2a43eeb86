package dev.slipway.rollout;

import org.jspecify.annotations.Nullable;

/** Whether a model version is loaded and ready in this process. */
@FunctionalInterface
public interface VersionStatus {
    /**
     * A version's state.
     *
     * @param ready it can serve
     * @param failure why it failed to load, or none (still loading, or ready)
     */
    record State(boolean ready, @Nullable String failure) {
        /** Ready to serve. */
        public static final State READY = new State(true, null);

        /** Not loaded yet. */
        public static final State LOADING = new State(false, null);
    }

    /** The state of a version of a model. */
    State of(String model, long version);
}
