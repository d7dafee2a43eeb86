package dev.slipway.registry;

import java.util.List;

/** Progress of a push, for a CLI to report (and a test to interrupt). Methods run on the pushing thread. */
public interface PushListener {
    /** Nothing to report. */
    PushListener NONE = new PushListener() {};

    /** The version passed its manifest checks and parity gate. */
    default void validated(String summary) {}

    /** Every file is in the artifact store; nothing is registered yet. */
    default void stored(List<VersionFile> files) {}
}
