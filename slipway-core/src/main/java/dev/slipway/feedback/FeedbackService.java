package dev.slipway.feedback;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.config.FeedbackConfig;
import dev.slipway.observe.Manifests;
import dev.slipway.observe.Pace;
import dev.slipway.observe.Sampling;
import dev.slipway.observe.Served;
import dev.slipway.observe.ServedRows;
import dev.slipway.observe.ServingListener;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delayed labels joined with what was predicted, and the live quality that follows.
 *
 * <p>As a {@link ServingListener} it keeps, for a deterministic sample of answered requests (by request id), each
 * row's prediction in the {@link PredictionStore}: on the request path it only samples and offers the event to a
 * fixed-size queue (dropped and counted when full); one writer thread reads the rows and writes them in batches. The
 * same thread applies {@link #submit submitted} labels, after storing every prediction offered before the submission,
 * so a label sent right after its answer finds it.
 *
 * <p>Labels are joined by endpoint, request id and row; a row keeps its first label: the same label again is a
 * duplicate and changes nothing, another one is a conflict. A batch of labels is applied whole or not at all: one
 * conflict refuses it with {@code CONFLICT}, one item naming a row the request did not have (or a label that does not
 * fit the stored row) with {@code INVALID_INPUT}, and nothing of it is stored. Ids the store does not have are not
 * errors: they are reported back by id. Quality is computed per series ({@link
 * QualityKey}) and tumbling window of the <em>prediction's</em> time, however late the label came, and over every
 * retained window. Retention deletes whole windows: older than {@code retention}, and the oldest ones first while
 * the store would exceed {@code max-rows} (the current window is never deleted: when it alone fills the store, new
 * requests are counted as {@code full} instead).
 */
public final class FeedbackService implements ServingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackService.class);
    private static final Object WAKE = new Object();
    private static final int BATCH = 1024;
    private static final Duration MAINTENANCE = Duration.ofMinutes(1);

    private final double rate;
    private final long windowMillis;
    private final long retentionMillis;
    private final long maxRows;
    private final Duration window;
    private final Manifests manifests;
    private final Clock clock;
    private final PredictionStore store;
    private final QualityTracker tracker;
    private final ArrayBlockingQueue<Object> queue;
    private final ConcurrentLinkedQueue<Command<?>> commands = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private final Map<String, Optional<Target>> targets = new HashMap<>();
    private final LongAdder offered = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder sampledOut = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong repeated = new AtomicLong();
    private final AtomicLong full = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong deletedRows = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong notSampled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private long nextMaintenance;
    private volatile boolean closed;

    FeedbackService(
            FeedbackConfig config, Manifests manifests, Clock clock, PredictionStore store, ThreadFactory threads) {
        this.rate = config.rate();
        this.window = config.windowLength();
        this.windowMillis = window.toMillis();
        this.retentionMillis = config.retentionPeriod().toMillis();
        this.maxRows = config.rowLimit();
        this.manifests = manifests;
        this.clock = clock;
        this.store = store;
        this.tracker = new QualityTracker(window);
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        try {
            maintain();
            rebuild();
        } catch (SQLException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "feedback.database: '" + store.file() + "' cannot be read: " + e.getMessage(),
                    e);
        }
        this.writer = threads.newThread(this::run);
        writer.start();
    }

    /**
     * Opens the store (creating it when needed), rebuilds the live metrics from it and starts the writer thread.
     *
     * @param manifests finds each answering version's outputs (which one is judged, its kind and threshold)
     * @param clock gives windows, retention and label times
     * @throws SlipwayException {@code CONFIG_INVALID} when the database cannot be opened or read
     */
    public static FeedbackService open(FeedbackConfig config, Manifests manifests, Clock clock) {
        PredictionStore store = PredictionStore.open(Path.of(config.databasePath()));
        try {
            return new FeedbackService(config, manifests, clock, store, runnable -> {
                Thread thread = new Thread(runnable, "slipway-feedback");
                thread.setDaemon(true);
                return thread;
            });
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void rebuild() throws SQLException {
        tracker.clear();
        store.counts(
                windowMillis,
                count -> tracker.predicted(
                        count.key(), count.output(), count.kind(), count.windowStart(), count.rows()));
        store.forEach(true, tracker::labelled);
        rows.set(store.count());
    }

    // ---- the request path

    @Override
    public void served(Served event) {
        offered.increment();
        if (!event.ok() || event.model() == null || event.response() == null) {
            skipped.increment();
        } else if (!Sampling.sampled(event.requestId(), rate)) {
            sampledOut.increment();
        } else if (closed || !queue.offer(event)) {
            dropped.increment();
        }
    }

    // ---- labels and quality

    /**
     * Joins labels with the stored predictions of {@code endpoint}. Labels are first checked against the output the
     * endpoint's current version is judged on (booleans or 0/1 for a probability, ...); the join then runs on the
     * writer thread, after every prediction offered before this call is stored.
     *
     * <p>The future fails (and nothing of the batch is stored) with {@code CONFLICT} naming every item whose row
     * already has another label, or with {@code INVALID_INPUT} naming every item that names a row the request did not
     * have or whose label does not fit the stored row's output.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} for an endpoint neither served nor stored; {@code
     *     INVALID_INPUT} naming every label that does not fit; {@code MODEL_NOT_READY} once closed
     */
    public CompletableFuture<FeedbackResult> submit(String endpoint, List<Feedback> feedback) {
        Optional<Target> current = known(endpoint).flatMap(Target::of);
        if (current.isPresent()) {
            Target target = current.get();
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < feedback.size(); i++) {
                Object label = feedback.get(i).label();
                if (Labels.normalize(target.kind(), label) == null) {
                    problems.add("feedback[" + i + "].label: " + shown(label) + " (expected: "
                            + Labels.expectation(target.kind(), target.output()) + ")");
                }
            }
            if (!problems.isEmpty()) {
                throw SlipwayException.invalidInput(problems);
            }
        }
        List<Feedback> items = List.copyOf(feedback);
        return onWriter(() -> join(endpoint, items));
    }

    private static String shown(Object label) {
        return label instanceof String s ? "\"" + s + "\"" : String.valueOf(label);
    }

    /**
     * The endpoint's current manifest; empty when it is known only from the store.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} when neither the server nor the store knows it
     */
    private Optional<ModelManifest> known(String endpoint) {
        Optional<ModelManifest> manifest = manifests.manifest(endpoint, null);
        if (manifest.isEmpty() && !tracker.knows(endpoint)) {
            throw new SlipwayException(
                    ErrorCode.MODEL_NOT_FOUND,
                    "model '" + endpoint + "' is not served and has no stored predictions (expected: a served model)");
        }
        return manifest;
    }

    /**
     * The endpoint's live quality: every series that answered it, over all retained windows and in the most recent
     * {@code windows} windows.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} when neither the server nor the store knows the endpoint
     */
    public QualityReport quality(String endpoint, int windows) {
        known(endpoint);
        return new QualityReport(endpoint, window, clock.instant(), tracker.report(endpoint, windows));
    }

    /** Every series with stored predictions, ordered by endpoint, model, version and variant. */
    public List<QualityKey> keys() {
        return tracker.keys();
    }

    /**
     * One metric of a series over every retained window, for a gauge; {@code NaN} when it is undefined or the series
     * is gone. Cheap when nothing changed since the last call (metrics are cached until a label arrives).
     */
    public double gauge(QualityKey key, QualityMetric metric) {
        Optional<WindowQuality> total = tracker.total(key);
        if (total.isEmpty()) {
            return Double.NaN;
        }
        if (metric == QualityMetric.LABELLED) {
            return total.get().metrics().labelled();
        }
        return total.get().metrics().value(metric);
    }

    /** The counters so far. */
    public FeedbackStats stats() {
        return new FeedbackStats(
                offered.sum(),
                skipped.sum(),
                sampledOut.sum(),
                dropped.sum(),
                stored.get(),
                repeated.get(),
                full.get(),
                failed.get(),
                queue.size(),
                rows.get(),
                deletedRows.get(),
                accepted.get(),
                duplicates.get(),
                conflicts.get(),
                unknown.get(),
                notSampled.get(),
                rejected.get());
    }

    /** Completes once every event offered before this call has been stored (or dropped). */
    public CompletableFuture<Void> flushed() {
        return onWriter(() -> null);
    }

    private <T> CompletableFuture<T> onWriter(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(
                    new SlipwayException(ErrorCode.MODEL_NOT_READY, "the feedback service is shutting down"));
            return result;
        }
        commands.add(new Command<>(work, result));
        queue.offer(WAKE); // when the queue is full the writer is busy and runs the command after this batch
        LockSupport.unpark(writer); // a command is rare: wake the writer rather than wait for its next look
        return result;
    }

    /** Work for the writer thread and the future it completes. */
    private record Command<T>(Supplier<T> work, CompletableFuture<T> result) {
        void run() {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        void refuse() {
            result.completeExceptionally(
                    new SlipwayException(ErrorCode.MODEL_NOT_READY, "the feedback service is shutting down"));
        }
    }

    // ---- the writer thread

    private void run() {
        List<Object> batch = new ArrayList<>(BATCH);
        Pace pace = new Pace(); // what gathered between looks is stored in one transaction; commands unpark it
        while (true) {
            Object first = queue.poll();
            if (Thread.interrupted()) {
                closed = true;
            }
            if (first == null && commands.isEmpty() && !closed) {
                if (pace.rest()) {
                    maintainIfDue();
                }
                continue;
            }
            pace.found();
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                store(batch);
                batch.clear();
            }
            maintainIfDue();
            Command<?> command;
            while ((command = commands.poll()) != null) {
                while (queue.drainTo(batch, BATCH) > 0) {
                    store(batch);
                    batch.clear();
                }
                // a label must not join a row that retention would already have deleted at this time
                maintainIfDue();
                command.run();
            }
            if (closed && queue.isEmpty() && commands.isEmpty()) {
                break;
            }
        }
        store.close();
    }

    /**
     * Stores a batch of events (skipping wake-ups). When the batch does not fit under {@code max-rows}, requests are
     * stored one by one in arrival order, each making room for itself first, so the outcome does not depend on how
     * the events were batched.
     */
    private void store(List<Object> batch) {
        List<List<Prediction>> requests = new ArrayList<>();
        int total = 0;
        for (Object item : batch) {
            if (item instanceof Served event) {
                List<Prediction> predictions = new ArrayList<>();
                read(event, predictions);
                if (predictions.isEmpty()) {
                    skipped.increment();
                } else {
                    requests.add(predictions);
                    total += predictions.size();
                }
            }
        }
        if (requests.isEmpty()) {
            return;
        }
        int done = 0;
        try {
            if (rows.get() + total <= maxRows) {
                insert(requests);
                done = requests.size();
            } else {
                for (List<Prediction> request : requests) {
                    if (room(request.size()) >= request.size()) {
                        insert(List.of(request));
                    } else {
                        full.incrementAndGet();
                    }
                    done++;
                }
            }
        } catch (SQLException | RuntimeException e) {
            failed.addAndGet(requests.size() - done);
            if (failed.get() <= 10) {
                LOG.warn("feedback: storing {} predictions failed: {}", total, e.toString());
            }
        }
    }

    /** Inserts the rows of some requests in one transaction; a request whose id is stored keeps its first rows. */
    private void insert(List<List<Prediction>> requests) throws SQLException {
        List<Prediction> all = new ArrayList<>();
        requests.forEach(all::addAll);
        boolean[] inserted = store.insert(all);
        int i = 0;
        for (List<Prediction> request : requests) {
            boolean first = inserted[i];
            for (Prediction prediction : request) {
                if (inserted[i]) {
                    tracker.predicted(prediction);
                    rows.incrementAndGet();
                }
                i++;
            }
            (first ? stored : repeated).incrementAndGet();
        }
    }

    /** Reads an event's rows into {@code out}; nothing when they cannot be judged. */
    private void read(Served event, List<Prediction> out) {
        String model = event.model();
        String version = event.version();
        if (model == null || version == null || event.requestId().length() > FeedbackBody.MAX_ID_LENGTH) {
            return;
        }
        Optional<Target> target = targets.computeIfAbsent(
                model + ":" + version, k -> manifests.manifest(model, version).flatMap(Target::of));
        if (targets.size() > 10_000) {
            targets.clear();
        }
        List<Map<String, Object>> predictions;
        try {
            predictions = ServedRows.predictions(event.response());
        } catch (RuntimeException e) {
            return;
        }
        if (target.isEmpty() || predictions == null || predictions.isEmpty()) {
            return;
        }
        Target t = target.get();
        long at = event.at().toEpochMilli();
        for (int row = 0; row < predictions.size(); row++) {
            Map<String, Object> values = predictions.get(row);
            double score = t.score(values);
            out.add(new Prediction(
                    event.endpoint(),
                    event.requestId(),
                    row,
                    predictions.size(),
                    model,
                    version,
                    event.variant(),
                    t.output(),
                    t.kind(),
                    at,
                    score,
                    t.predicted(values, score),
                    null,
                    0));
        }
    }

    /** How many more rows the store may take now, after deleting the oldest windows if needed (not the current). */
    private long room(int wanted) throws SQLException {
        long current = tracker.windowStart(clock.millis());
        while (rows.get() + wanted > maxRows) {
            OptionalLong oldest = store.oldest();
            if (oldest.isEmpty() || tracker.windowStart(oldest.getAsLong()) >= current) {
                break;
            }
            delete(tracker.windowStart(oldest.getAsLong()) + windowMillis);
        }
        return Math.max(0, maxRows - rows.get());
    }

    private void maintainIfDue() {
        if (clock.millis() >= nextMaintenance) {
            try {
                maintain();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("feedback: retention failed: {}", e.toString());
            }
        }
    }

    /** Deletes the windows older than the retention. */
    private void maintain() throws SQLException {
        long now = clock.millis();
        nextMaintenance = now + MAINTENANCE.toMillis();
        long cutoff = tracker.windowStart(now - retentionMillis);
        OptionalLong oldest = store.oldest();
        if (oldest.isPresent() && oldest.getAsLong() < cutoff) {
            delete(cutoff);
        }
    }

    private void delete(long before) throws SQLException {
        int deleted = store.deleteBefore(before);
        tracker.dropBefore(before);
        deletedRows.addAndGet(deleted);
        rows.addAndGet(-deleted);
    }

    private FeedbackResult join(String endpoint, List<Feedback> items) {
        int acceptedNow = 0;
        int duplicatesNow = 0;
        LinkedHashSet<String> unknownIds = new LinkedHashSet<>();
        LinkedHashSet<String> unsampledIds = new LinkedHashSet<>();
        List<String> refused = new ArrayList<>();
        List<String> conflicting = new ArrayList<>();
        List<Prediction> labelled = new ArrayList<>();
        long now = clock.millis();
        try {
            for (int i = 0; i < items.size(); i++) {
                Feedback item = items.get(i);
                String path = "feedback[" + i + "]";
                String id = item.requestId();
                OptionalInt requestRows = store.rows(endpoint, id);
                if (requestRows.isEmpty()) {
                    (Sampling.sampled(id, rate) ? unknownIds : unsampledIds).add(id);
                    continue;
                }
                int count = requestRows.getAsInt();
                Integer row = item.row();
                String rowsOfRequest = "request '" + id + "' had " + count + (count == 1 ? " row" : " rows");
                if (row == null && count > 1) {
                    refused.add(path + ".row: missing (expected: 0.." + (count - 1) + ": " + rowsOfRequest + ")");
                    continue;
                }
                int index = row == null ? 0 : row;
                Optional<Prediction> found = store.find(endpoint, id, index);
                if (found.isEmpty()) {
                    refused.add(path + ".row: " + index + " (expected: 0.." + (count - 1) + ": " + rowsOfRequest + ")");
                    continue;
                }
                Prediction prediction = found.get();
                String label = Labels.normalize(prediction.kind(), item.label());
                if (label == null) {
                    refused.add(path + ".label: " + shown(item.label()) + " (expected: "
                            + Labels.expectation(prediction.kind(), prediction.output()) + ")");
                    continue;
                }
                String existing = prediction.label();
                if (existing == null) {
                    store.label(prediction, label, now);
                    labelled.add(prediction.labelled(label, now));
                    acceptedNow++;
                } else if (existing.equals(label)) {
                    duplicatesNow++;
                } else {
                    conflicting.add(path + ".label: " + shown(item.label()) + " for request '" + id + "' row " + index
                            + " (expected: " + shown(Labels.display(prediction.kind(), existing))
                            + ", the label it already has; a row keeps its first label)");
                }
            }
            if (!refused.isEmpty() || !conflicting.isEmpty()) {
                store.rollback();
            } else {
                store.commit();
            }
        } catch (SQLException e) {
            try {
                store.rollback();
            } catch (SQLException ignored) {
                // the failure below is the one to report
            }
            throw new SlipwayException(ErrorCode.INTERNAL, "feedback could not be stored: " + e.getMessage(), e);
        }
        if (!refused.isEmpty() || !conflicting.isEmpty()) {
            rejected.addAndGet(refused.size());
            conflicts.addAndGet(conflicting.size());
            List<String> problems = new ArrayList<>(refused);
            problems.addAll(conflicting);
            String message = String.join("; ", problems) + "; nothing in this batch was applied";
            throw new SlipwayException(
                    refused.isEmpty() ? ErrorCode.CONFLICT : ErrorCode.INVALID_INPUT, message, problems, null);
        }
        labelled.forEach(tracker::labelled);
        accepted.addAndGet(acceptedNow);
        duplicates.addAndGet(duplicatesNow);
        unknown.addAndGet(unknownIds.size());
        notSampled.addAndGet(unsampledIds.size());
        return new FeedbackResult(acceptedNow, duplicatesNow, List.copyOf(unknownIds), List.copyOf(unsampledIds));
    }

    /** Stores what is queued, then stops the writer and closes the store (waits up to 10 s). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.offer(WAKE);
        LockSupport.unpark(writer);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = 0;
        for (Object item : queue) {
            left += item instanceof Served ? 1 : 0;
        }
        dropped.add(left);
        Command<?> command;
        while ((command = commands.poll()) != null) {
            command.refuse();
        }
    }
}
