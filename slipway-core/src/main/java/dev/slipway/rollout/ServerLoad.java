package dev.slipway.rollout;

/** What the router reads of the server's load, to shed shadow copies before live requests feel any of it. */
public interface ServerLoad {
    /** No load known: nothing is shed for load. */
    ServerLoad NONE = new ServerLoad() {
        @Override
        public int inFlight(String endpoint) {
            return 0;
        }

        @Override
        public double cpu() {
            return 0;
        }
    };

    /** Live requests in flight (queued or running) on the endpoint's serving version. */
    int inFlight(String endpoint);

    /** The machine's recent CPU use, 0..1 (0 when unknown). */
    double cpu();
}
