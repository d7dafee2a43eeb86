package dev.slipway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The rollout controller and feature flags.
 *
 * <pre>
 * rollouts:
 *   tick-interval: PT5S        # how often the controller judges active rollouts
 *   lease: PT30S               # how long a controller's claim on a rollout lasts without renewal
 *   instance-id: replica-a     # this server's name in leases and the audit log (default: host-pid)
 *   flags-file: flags.yaml     # OpenFeature flags (kill switch, freeze, shadow, segment routes); re-read on change
 * </pre>
 *
 * @param tickInterval how often the controller judges active rollouts
 * @param lease how long a controller's claim lasts without renewal; another replica takes over after it
 * @param instanceId this server's name in leases and the audit log
 * @param flagsFile the flags file, relative to the configuration file; none means every flag has its default
 */
public record RolloutsConfig(
        @Nullable Duration tickInterval,
        @Nullable Duration lease,
        @Nullable String instanceId,
        @Nullable String flagsFile) {
    public RolloutsConfig {
        tickInterval = tickInterval == null ? Duration.ofSeconds(5) : tickInterval;
        lease = lease == null ? Duration.ofSeconds(30) : lease;
    }

    /** The defaults. */
    public static RolloutsConfig defaults() {
        return new RolloutsConfig(null, null, null, null);
    }

    /** The tick interval (never null after construction). */
    public Duration tick() {
        return Objects.requireNonNull(tickInterval);
    }

    /** The lease (never null after construction). */
    public Duration leaseDuration() {
        return Objects.requireNonNull(lease);
    }

    /** The configured instance name, else {@code <host>-<pid>}. */
    public String instance() {
        if (instanceId != null) {
            return instanceId;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    void problems(String path, List<String> problems) {
        if (tick().isNegative() || tick().isZero() || tick().compareTo(Duration.ofMinutes(10)) > 0) {
            problems.add(path + ".tick-interval: " + tickInterval + " (expected: PT0.1S..PT10M)");
        }
        if (leaseDuration().compareTo(tick().multipliedBy(2)) < 0) {
            problems.add(path + ".lease: " + lease + " (expected: at least twice tick-interval, " + tick() + ")");
        }
        if (instanceId != null && !instanceId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            problems.add(path + ".instance-id: '" + instanceId + "' (expected: 1-64 letters, digits, '.', '_' or '-')");
        }
    }
}
