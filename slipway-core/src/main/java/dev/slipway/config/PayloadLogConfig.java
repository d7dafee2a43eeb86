package dev.slipway.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The payload log: a sample of served requests (features, predictions, who answered, latency) written as rotating
 * JSONL files, with chosen fields dropped or hashed before anything is written.
 *
 * <pre>
 * payload-log:
 *   enabled: true
 *   directory: slipway-data/payloads  # relative to this file
 *   sample-rate: 0.1                  # share of requests logged, chosen by a hash of the request id
 *   redact: [driver_name]             # features or outputs dropped from every line
 *   hash: [vehicle_id]                # features or outputs replaced by HMAC-SHA256(hash-salt, value), hex
 *   hash-salt: ...                    # or SLIPWAY_PAYLOAD_HASH_SALT; at least 16 characters
 *   max-file-bytes: 67108864          # a file is closed when the next line would pass this size
 *   max-file-age: PT1H                # ... or when it is this old (optional)
 *   max-files: 20                     # oldest files are deleted beyond this count
 *   queue: 4096                       # requests waiting for the writer; beyond it they are dropped and counted
 * </pre>
 *
 * @param enabled whether requests are logged (default false)
 * @param directory where the files go (default {@code slipway-data/payloads})
 * @param sampleRate the share of requests logged, 0..1 (default 0.1)
 * @param redact feature or output names left out of every line
 * @param hash feature or output names whose values are replaced by a keyed hash
 * @param hashSalt the hash key; else the {@code SLIPWAY_PAYLOAD_HASH_SALT} environment variable
 * @param maxFileBytes the size at which a file is closed and the next one started (default 64 MiB)
 * @param maxFileAge the age at which a non-empty file is closed, if any (default: none, size only)
 * @param maxFiles how many files are kept, the one being written included (default 20)
 * @param queue how many requests may wait for the writer thread (default 4096)
 */
public record PayloadLogConfig(
        @Nullable Boolean enabled,
        @Nullable String directory,
        @Nullable Double sampleRate,
        @Nullable List<String> redact,
        @Nullable List<String> hash,
        @Nullable String hashSalt,
        @Nullable Long maxFileBytes,
        @Nullable Duration maxFileAge,
        @Nullable Integer maxFiles,
        @Nullable Integer queue) {
    public static final String DEFAULT_DIRECTORY = "slipway-data/payloads";
    public static final double DEFAULT_SAMPLE_RATE = 0.1;
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_FILES = 20;
    public static final int DEFAULT_QUEUE = 4096;
    /** The environment variable read when {@code hash-salt} is not in the file. */
    public static final String SALT_VARIABLE = "SLIPWAY_PAYLOAD_HASH_SALT";

    private static final String FIELD = "[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}";

    public PayloadLogConfig {
        enabled = enabled != null && enabled;
        directory = directory == null ? DEFAULT_DIRECTORY : directory;
        sampleRate = sampleRate == null ? DEFAULT_SAMPLE_RATE : sampleRate;
        redact = redact == null ? List.of() : named(redact);
        hash = hash == null ? List.of() : named(hash);
        maxFileBytes = maxFileBytes == null ? DEFAULT_MAX_FILE_BYTES : maxFileBytes;
        maxFiles = maxFiles == null ? DEFAULT_MAX_FILES : maxFiles;
        queue = queue == null ? DEFAULT_QUEUE : queue;
    }

    /** A copy in which a YAML null entry becomes an empty name, reported by {@link #problems}. */
    private static List<String> named(List<@Nullable String> fields) {
        return fields.stream().map(f -> f == null ? "" : f).toList();
    }

    /** Off. */
    public static PayloadLogConfig disabled() {
        return new PayloadLogConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /** Whether requests are logged. */
    public boolean on() {
        return Boolean.TRUE.equals(enabled);
    }

    /** The directory (never null after construction). */
    public String directoryPath() {
        return Objects.requireNonNull(directory);
    }

    /** The sample rate (never null after construction). */
    public double rate() {
        return Objects.requireNonNull(sampleRate);
    }

    /** The fields dropped (never null after construction). */
    public List<String> redacted() {
        return Objects.requireNonNull(redact);
    }

    /** The fields hashed (never null after construction). */
    public List<String> hashed() {
        return Objects.requireNonNull(hash);
    }

    /** The file size limit (never null after construction). */
    public long fileBytes() {
        return Objects.requireNonNull(maxFileBytes);
    }

    /** The number of files kept (never null after construction). */
    public int files() {
        return Objects.requireNonNull(maxFiles);
    }

    /** The queue capacity (never null after construction). */
    public int queueCapacity() {
        return Objects.requireNonNull(queue);
    }

    /** The hash key: {@code hash-salt}, else {@code SLIPWAY_PAYLOAD_HASH_SALT}; null when neither is set. */
    public @Nullable String salt() {
        if (hashSalt != null) {
            return hashSalt;
        }
        String fromEnvironment = System.getenv(SALT_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isEmpty() ? null : fromEnvironment;
    }

    /** The same settings writing to another directory. */
    public PayloadLogConfig withDirectory(String newDirectory) {
        return new PayloadLogConfig(
                enabled, newDirectory, sampleRate, redact, hash, hashSalt, maxFileBytes, maxFileAge, maxFiles, queue);
    }

    void problems(String path, List<String> problems) {
        double rate = rate();
        if (!(rate >= 0 && rate <= 1)) {
            problems.add(path + ".sample-rate: " + sampleRate + " (expected: 0..1, the share of requests logged)");
        }
        fields(path + ".redact", redacted(), problems);
        fields(path + ".hash", hashed(), problems);
        Set<String> both = new HashSet<>(redacted());
        both.retainAll(hashed());
        for (String field : both.stream().sorted().toList()) {
            problems.add(path + ".hash: '" + field + "' is also in redact (expected: a field is dropped or hashed)");
        }
        String salt = salt();
        if (!hashed().isEmpty() && salt == null) {
            problems.add(path + ".hash-salt: missing (expected: at least 16 characters, here or in " + SALT_VARIABLE
                    + ", when hash lists fields)");
        } else if (salt != null && salt.length() < 16) {
            problems.add(path + ".hash-salt: " + salt.length() + " characters (expected: at least 16)");
        }
        if (fileBytes() < 1024 || fileBytes() > (1L << 40)) {
            problems.add(path + ".max-file-bytes: " + maxFileBytes + " (expected: 1024..1099511627776)");
        }
        if (maxFileAge != null && (maxFileAge.compareTo(Duration.ofSeconds(1)) < 0 || maxFileAge.toDays() > 366)) {
            problems.add(path + ".max-file-age: " + maxFileAge + " (expected: PT1S..P366D)");
        }
        if (files() < 1 || files() > 100_000) {
            problems.add(path + ".max-files: " + maxFiles + " (expected: 1..100000)");
        }
        if (queueCapacity() < 1 || queueCapacity() > 1_000_000) {
            problems.add(path + ".queue: " + queue + " (expected: 1..1000000)");
        }
        if (directoryPath().isBlank()) {
            problems.add(path + ".directory: empty (expected: a directory path)");
        }
    }

    private static void fields(String path, List<String> fields, List<String> problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            if (!field.matches(FIELD)) {
                problems.add(path + "[" + i + "]: '" + field + "' (expected: a feature or output name)");
            } else if (!seen.add(field)) {
                problems.add(path + "[" + i + "]: '" + field + "' is listed twice (expected: once)");
            }
        }
    }
}
