package dev.slipway.payload;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * JSONL files in one directory, {@code payloads-<sequence>-<start time>.jsonl}: a file is closed when the next line
 * would take it past {@code maxBytes} (a single longer line gets a file of its own) or, when {@code maxAge} is set,
 * once it is that old; the oldest files are deleted so that at most {@code maxFiles} remain, the open one included.
 * Names sort in the order the files were written, across restarts. Files are opened on the first line, so there are
 * never empty ones. Written by one thread; the counters may be read from any.
 */
final class RotatingFiles implements LineSink {
    static final Pattern NAME = Pattern.compile("payloads-(\\d{8,})-[0-9TZ]+\\.jsonl");
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final long maxBytes;
    private final @Nullable Duration maxAge;
    private final int maxFiles;
    private final Clock clock;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private long sequence;
    private @Nullable OutputStream out;
    private long currentBytes;
    private Instant openedAt = Instant.EPOCH;

    RotatingFiles(Path directory, long maxBytes, @Nullable Duration maxAge, int maxFiles, Clock clock)
            throws IOException {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.maxFiles = maxFiles;
        this.clock = clock;
        Files.createDirectories(directory);
        for (Existing file : existing()) {
            sequence = Math.max(sequence, file.sequence());
        }
    }

    @Override
    public void write(byte[] line) throws IOException {
        if (out != null && (currentBytes + line.length > maxBytes || expired())) {
            closeCurrent();
        }
        OutputStream stream = out;
        if (stream == null) {
            stream = open();
        }
        stream.write(line);
        currentBytes += line.length;
        bytes.addAndGet(line.length);
    }

    private boolean expired() {
        return maxAge != null
                && currentBytes > 0
                && Duration.between(openedAt, clock.instant()).compareTo(maxAge) >= 0;
    }

    private OutputStream open() throws IOException {
        prune(maxFiles - 1);
        sequence++;
        openedAt = clock.instant();
        Path file = directory.resolve(String.format("payloads-%08d-%s.jsonl", sequence, STAMP.format(openedAt)));
        // FileOutputStream, not a channel: an interrupt must not close the file under the writer
        OutputStream stream = new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024);
        out = stream;
        currentBytes = 0;
        files.incrementAndGet();
        return stream;
    }

    /** Deletes the oldest files until at most {@code keep} remain. */
    private void prune(int keep) throws IOException {
        List<Existing> all = existing();
        for (int i = 0; i < all.size() - keep; i++) {
            if (Files.deleteIfExists(all.get(i).path())) {
                deleted.incrementAndGet();
            }
        }
    }

    /** The payload files in the directory, oldest first. */
    List<Existing> existing() throws IOException {
        List<Existing> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "payloads-*.jsonl")) {
            for (Path entry : entries) {
                Matcher matcher = NAME.matcher(entry.getFileName().toString());
                if (matcher.matches()) {
                    found.add(new Existing(entry, Long.parseLong(matcher.group(1))));
                }
            }
        }
        found.sort(Comparator.comparingLong(Existing::sequence));
        return found;
    }

    /** A payload file on disk and its sequence number. */
    record Existing(Path path, long sequence) {}

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    public void tick() throws IOException {
        if (out != null && expired()) {
            closeCurrent();
        }
    }

    private void closeCurrent() throws IOException {
        OutputStream stream = out;
        out = null;
        if (stream != null) {
            stream.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
    }

    long bytes() {
        return bytes.get();
    }

    long files() {
        return files.get();
    }

    long deleted() {
        return deleted.get();
    }
}
