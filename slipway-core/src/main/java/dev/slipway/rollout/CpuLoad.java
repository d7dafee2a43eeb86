package dev.slipway.rollout;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The machine's recent CPU use, read from the JVM's operating-system bean by {@link #refresh} on a scheduler (a few
 * times a second), so the request path only reads a volatile field.
 */
final class CpuLoad {
    private final OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    private volatile double load;

    /** Reads the load now (scheduler thread). */
    void refresh() {
        double read = bean instanceof com.sun.management.OperatingSystemMXBean os ? os.getCpuLoad() : -1;
        load = read >= 0 && read <= 1 ? read : 0;
    }

    /** The last load read, 0..1 (0 when the platform does not tell). */
    double get() {
        return load;
    }
}
