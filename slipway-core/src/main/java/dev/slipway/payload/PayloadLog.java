package dev.slipway.payload;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.config.PayloadLogConfig;
import dev.slipway.contract.JsonValues;
import dev.slipway.observe.Manifests;
import dev.slipway.observe.Pace;
import dev.slipway.observe.Sampling;
import dev.slipway.observe.Served;
import dev.slipway.observe.ServedRows;
import dev.slipway.observe.ServingListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payload log. On the request path {@link #served} only decides, from the request id, whether the request is in
 * the sample and offers the event to a fixed-size queue (dropped and counted when full); one writer thread names the
 * rows' features and predictions, drops or hashes the configured fields, encodes the line and appends it to the
 * current file. Lines look like:
 *
 * <pre>
 * {"timestamp":"2026-11-27T10:15:00.123Z","request_id":"ping-42","protocol":"rest-v1","endpoint":"stall-detector",
 *  "model":"stall-detector","version":"2","variant":"primary","epoch":0,"latency_ms":0.412,"rows":1,
 *  "features":[{"speed_kmh":0.0,...}],"predictions":[{"stall_probability":0.92,"stalled":true}]}
 * </pre>
 *
 * <p>A refused request has {@code "error"} (its code) and no predictions. Thread-safe; {@link #close} writes what is
 * queued, then stops.
 */
public final class PayloadLog implements ServingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PayloadLog.class);
    private static final Object STOP = new Object();
    private static final JsonFactory JSON = new JsonFactory();
    private static final int BATCH = 256;

    private final double rate;
    private final ArrayBlockingQueue<Object> queue;
    private final Manifests manifests;
    private final LineSink sink;
    private final @Nullable RotatingFiles files;
    private final FieldPolicy policy;
    private final Thread writer;
    private final LongAdder offered = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder sampledOut = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    private volatile boolean closed;

    PayloadLog(
            PayloadLogConfig config,
            Manifests manifests,
            LineSink sink,
            @Nullable RotatingFiles files,
            ThreadFactory threads) {
        this.rate = config.rate();
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.manifests = manifests;
        this.sink = sink;
        this.files = files;
        this.policy = new FieldPolicy(config.redacted(), config.hashed(), config.salt());
        this.writer = threads.newThread(this::run);
        writer.start();
    }

    /**
     * Starts the log: creates the directory and the writer thread.
     *
     * @param manifests names tensor columns through the answering version's manifest
     * @param clock stamps file names and drives time-based rotation
     * @throws SlipwayException {@code CONFIG_INVALID} when the directory cannot be created or read
     */
    public static PayloadLog start(PayloadLogConfig config, Manifests manifests, Clock clock) {
        RotatingFiles files;
        Path directory = Path.of(config.directoryPath());
        try {
            files = new RotatingFiles(directory, config.fileBytes(), config.maxFileAge(), config.files(), clock);
        } catch (IOException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID, "payload-log.directory: '" + directory + "' cannot be used: " + e, e);
        }
        return new PayloadLog(config, manifests, files, files, runnable -> {
            Thread thread = new Thread(runnable, "slipway-payload-log");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void served(Served event) {
        offered.increment();
        if (event.request() == null) {
            skipped.increment();
        } else if (!Sampling.sampled(event.requestId(), rate)) {
            sampledOut.increment();
        } else if (closed || !queue.offer(event)) {
            dropped.increment();
        }
    }

    /** The counters so far. */
    public PayloadLogStats stats() {
        return new PayloadLogStats(
                offered.sum(),
                skipped.sum(),
                sampledOut.sum(),
                dropped.sum(),
                written.get(),
                failed.get(),
                queue.size(),
                files == null ? 0 : files.bytes(),
                files == null ? 0 : files.files(),
                files == null ? 0 : files.deleted());
    }

    private void run() {
        List<Object> batch = new java.util.ArrayList<>(BATCH);
        boolean stopping = false;
        Pace pace = new Pace(); // what gathered between looks is written with one flush
        while (!stopping) {
            Object first = queue.poll();
            if (first == null && Thread.currentThread().isInterrupted()) {
                first = STOP;
            }
            if (first == null) {
                if (pace.rest()) {
                    idle();
                }
                continue;
            }
            pace.found();
            batch.add(first);
            queue.drainTo(batch, BATCH - 1);
            for (Object item : batch) {
                if (item == STOP) {
                    stopping = true;
                } else {
                    write((Served) item);
                }
            }
            batch.clear();
            if (stopping) {
                queue.drainTo(batch);
                for (Object item : batch) {
                    if (item != STOP) {
                        write((Served) item);
                    }
                }
            }
            if (queue.isEmpty()) {
                flush();
            }
        }
        try {
            sink.close();
        } catch (IOException e) {
            LOG.warn("payload log: closing the file failed: {}", e.toString());
        }
    }

    private void idle() {
        try {
            sink.flush();
            sink.tick();
        } catch (IOException e) {
            problem("rotating", e);
        }
    }

    private void flush() {
        try {
            sink.flush();
        } catch (IOException e) {
            problem("flushing", e);
        }
    }

    private void write(Served event) {
        try {
            sink.write(encode(event));
            written.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            problem("writing request " + event.requestId(), e);
        }
    }

    private void problem(String what, Exception e) {
        if (failed.get() <= 10) {
            LOG.warn("payload log: {} failed: {}", what, e.toString());
        }
    }

    /** The event's line, newline included. */
    byte[] encode(Served event) throws IOException {
        ModelManifest manifest = manifest(event);
        List<Map<String, @Nullable Object>> features = ServedRows.features(event.request(), manifest);
        List<Map<String, Object>> predictions = ServedRows.predictions(event.response());
        buffer.reset();
        try (JsonGenerator json = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("timestamp", event.at().toString());
            json.writeStringField("request_id", event.requestId());
            json.writeStringField("protocol", event.protocol());
            json.writeStringField("endpoint", event.endpoint());
            json.writeStringField("model", event.model());
            json.writeStringField("version", event.version());
            json.writeStringField("variant", event.variant());
            json.writeNumberField("epoch", event.epoch());
            json.writeNumberField("latency_ms", event.latencyNanos() / 1e6);
            json.writeNumberField("rows", event.rows());
            if (event.error() != null) {
                json.writeStringField("error", event.error().name());
            }
            json.writeFieldName("features");
            rows(json, features);
            json.writeFieldName("predictions");
            rows(json, predictions);
            json.writeEndObject();
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    private @Nullable ModelManifest manifest(Served event) {
        String model = event.model() != null ? event.model() : event.endpoint();
        return manifests
                .manifest(model, event.model() != null ? event.version() : null)
                .orElse(null);
    }

    private <V> void rows(JsonGenerator json, @Nullable List<Map<String, V>> rows) throws IOException {
        if (rows == null) {
            json.writeNull();
            return;
        }
        json.writeStartArray();
        for (Map<String, V> row : rows) {
            json.writeStartObject();
            for (Map.Entry<String, @Nullable Object> field : policy.apply(row).entrySet()) {
                json.writeFieldName(field.getKey());
                JsonValues.write(json, field.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** Stops taking events, writes what is queued, closes the file and waits (up to 10 s) for the writer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!queue.offer(STOP)) {
            // the writer is busy with a full queue: it will find the queue empty after draining, then stop here
            try {
                queue.put(STOP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        if (left > 0) {
            dropped.add(left);
        }
    }
}
