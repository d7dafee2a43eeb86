package dev.slipway.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.config.FeedbackConfig;
import dev.slipway.observe.Sampling;
import dev.slipway.observe.Served;
import dev.slipway.observe.TestEvents;
import dev.slipway.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prediction store, the label join and live quality, on a real SQLite file and a manual clock. */
class FeedbackServiceTest {
    private static final Instant START = Instant.parse("2026-11-27T10:15:00Z");
    private static final String MODEL = TestEvents.MODEL;

    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(START);
    private final List<FeedbackService> opened = new ArrayList<>();

    private FeedbackService open(FeedbackConfig config) {
        FeedbackService service = FeedbackService.open(config, TestEvents.stallManifests(), clock);
        opened.add(service);
        return service;
    }

    private FeedbackService open() {
        return open(FeedbackConfig.at(directory.resolve("feedback.db").toString()));
    }

    private FeedbackConfig config(double rate, Duration retention, long maxRows) {
        return new FeedbackConfig(
                true, directory.resolve("feedback.db").toString(), rate, Duration.ofHours(1), retention, maxRows, 100);
    }

    @AfterEach
    void closeAll() {
        opened.forEach(FeedbackService::close);
    }

    private static Feedback label(String id, @Nullable Integer row, Object label) {
        return new Feedback(id, row, label);
    }

    private static FeedbackResult submit(FeedbackService service, Feedback... items) throws Exception {
        return service.submit(MODEL, List.of(items)).get(20, TimeUnit.SECONDS);
    }

    private static WindowQuality total(FeedbackService service) {
        return service.quality(MODEL, 0).versions().get(0).total();
    }

    @Test
    void labelsJoinByRequestIdAndRowAndSendingThemAgainChangesNothing() throws Exception {
        FeedbackService service = open();
        service.served(TestEvents.records("ping-1", START, 0.92f));
        service.served(TestEvents.records("batch-1", START, 0.1f, 0.8f));
        Feedback[] batch = {label("ping-1", null, true), label("batch-1", 0, false), label("batch-1", 1, 1)};

        FeedbackResult first = submit(service, batch);
        QualityReport before = service.quality(MODEL, 10);
        FeedbackResult again = submit(service, batch);

        assertThat(first).isEqualTo(new FeedbackResult(3, 0, List.of(), List.of()));
        assertThat(again).isEqualTo(new FeedbackResult(0, 3, List.of(), List.of()));
        assertThat(service.quality(MODEL, 10)).isEqualTo(before);
        QualityMetrics metrics = total(service).metrics();
        assertThat(metrics.labelled()).isEqualTo(3);
        assertThat(metrics.accuracy()).isEqualTo(1.0);
        assertThat(metrics.rocAuc()).isEqualTo(1.0);
        FeedbackStats stats = service.stats();
        assertThat(stats.accepted()).isEqualTo(3);
        assertThat(stats.duplicates()).isEqualTo(3);
        assertThat(stats.stored()).isEqualTo(2);
        assertThat(stats.rows()).isEqualTo(3);
    }

    /** Fails the submission's future with the exception it carries. */
    private static SlipwayException refused(FeedbackService service, Feedback... items) {
        CompletableFuture<FeedbackResult> result = service.submit(MODEL, List.of(items));
        ExecutionException failure =
                catchThrowableOfType(ExecutionException.class, () -> result.get(20, TimeUnit.SECONDS));
        assertThat(failure).as("the submission should have been refused").isNotNull();
        assertThat(failure.getCause()).isInstanceOf(SlipwayException.class);
        return (SlipwayException) failure.getCause();
    }

    @Test
    void aDifferentSecondLabelRefusesTheWholeBatchNamingTheIdAndTheFirstIsKept() throws Exception {
        FeedbackService service = open();
        service.served(TestEvents.records("ping-1", START, 0.92f));
        service.served(TestEvents.records("ping-2", START, 0.2f));
        submit(service, label("ping-1", 0, true));

        SlipwayException conflict =
                refused(service, label("ping-2", null, false), label("ping-1", 0, false), label("ping-1", 0, 1));

        assertThat(conflict.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(conflict.details())
                .containsExactly("feedback[1].label: false for request 'ping-1' row 0 (expected: true, the label it"
                        + " already has; a row keeps its first label)");
        assertThat(conflict.getMessage()).endsWith("; nothing in this batch was applied");
        assertThat(total(service).metrics().labelled()).isEqualTo(1); // ping-2 was not applied either
        assertThat(total(service).metrics().positiveRate()).isEqualTo(1.0);
        assertThat(service.stats().conflicts()).isEqualTo(1);
        // 1 is the same outcome as true: a duplicate, not a conflict
        assertThat(submit(service, label("ping-2", null, false), label("ping-1", 0, 1)))
                .isEqualTo(new FeedbackResult(1, 1, List.of(), List.of()));
    }

    @Test
    void twoDifferentLabelsForOneRowInOneBatchConflict() throws Exception {
        FeedbackService service = open();
        service.served(TestEvents.records("ping-1", START, 0.92f));

        SlipwayException conflict = refused(service, label("ping-1", null, true), label("ping-1", null, 0));

        assertThat(conflict.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(conflict.details())
                .singleElement()
                .asString()
                .startsWith("feedback[1].label: 0 for request 'ping-1'");
        assertThat(submit(service, label("ping-1", null, false)).accepted()).isEqualTo(1);
    }

    @Test
    void unknownIdsAreReportedOnceInOrderAndIdsOutsideTheSampleAreToldApart() throws Exception {
        FeedbackService service = open(config(0.5, Duration.ofDays(7), 1000));
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (int i = 0; in.size() < 3 || out.size() < 1; i++) {
            (Sampling.sampled("ping-" + i, 0.5) ? in : out).add("ping-" + i);
        }
        service.served(TestEvents.records(in.get(0), START, 0.92f));
        service.served(TestEvents.records(out.get(0), START, 0.92f));

        FeedbackResult result = submit(
                service,
                label(in.get(1), null, true),
                label(in.get(0), null, true),
                label(out.get(0), null, true),
                label(in.get(1), null, false),
                label(in.get(2), null, 0));

        assertThat(result.accepted()).isEqualTo(1);
        assertThat(result.unknown()).containsExactly(in.get(1), in.get(2));
        assertThat(result.notSampled()).containsExactly(out.get(0));
        assertThat(service.stats().sampledOut()).isEqualTo(1);
    }

    @Test
    void aRowMustBeNamedForARequestOfSeveralRowsAndMustExist() throws Exception {
        FeedbackService service = open();
        service.served(TestEvents.records("batch-1", START, 0.1f, 0.8f));
        service.served(TestEvents.records("ping-1", START, 0.9f));

        SlipwayException e = refused(
                service,
                label("batch-1", 0, true),
                label("batch-1", null, true),
                label("batch-1", 2, true),
                label("ping-1", 1, true));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(e.details())
                .containsExactly(
                        "feedback[1].row: missing (expected: 0..1: request 'batch-1' had 2 rows)",
                        "feedback[2].row: 2 (expected: 0..1: request 'batch-1' had 2 rows)",
                        "feedback[3].row: 1 (expected: 0..0: request 'ping-1' had 1 row)");
        assertThat(service.stats().rejected()).isEqualTo(3);
        assertThat(submit(service, label("batch-1", 0, true)).accepted()).isEqualTo(1); // not applied before
    }

    @Test
    void labelsThatDoNotFitTheOutputAreRefusedNamingFieldValueAndExpectation() {
        FeedbackService service = open();

        assertThatThrownBy(() -> service.submit(
                        MODEL, List.of(label("a", null, true), label("b", null, "cat"), label("c", null, 0.5))))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                    assertThat(e.details())
                            .containsExactly(
                                    "feedback[1].label: \"cat\" (expected: true, false, 1 or 0 for the probability"
                                            + " output 'stall_probability')",
                                    "feedback[2].label: 0.5 (expected: true, false, 1 or 0 for the probability"
                                            + " output 'stall_probability')");
                });
    }

    @Test
    void anUnknownModelIsNotFound() {
        FeedbackService service = open();

        assertThatThrownBy(() -> service.submit("no-such-model", List.of(label("a", null, true))))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND));
        assertThatThrownBy(() -> service.quality("no-such-model", 1))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND));
    }

    @Test
    void liveMetricsEqualScikitLearnsOnTheSameRows() throws Exception {
        QualityCases.Case fixture = QualityCases.all().stream()
                .filter(c -> c.name().equals("probability-400"))
                .findFirst()
                .orElseThrow();
        assertThat(fixture.threshold()).isEqualTo(0.35); // the stall detector's threshold, which the events apply
        FeedbackService service = open();
        List<Feedback> labels = new ArrayList<>();
        for (int i = 0; i < fixture.rows().size(); i++) {
            QualityCases.Row row = fixture.rows().get(i);
            service.served(TestEvents.records("ping-" + i, START, (float) row.score()));
            labels.add(label("ping-" + i, 0, Integer.parseInt(row.label())));
        }

        FeedbackResult result = service.submit(MODEL, labels).get(20, TimeUnit.SECONDS);

        assertThat(result.accepted()).isEqualTo(fixture.rows().size());
        QualityMathTest.assertMetrics(fixture, total(service).metrics());
        QualityKey key = new QualityKey(MODEL, MODEL, "2", "primary");
        assertThat(service.keys()).containsExactly(key);
        assertThat(service.gauge(key, QualityMetric.ROC_AUC))
                .isEqualTo(total(service).metrics().rocAuc());
        assertThat(service.gauge(key, QualityMetric.LABELLED)).isEqualTo(400);
        assertThat(service.gauge(new QualityKey(MODEL, MODEL, "9", "primary"), QualityMetric.ROC_AUC))
                .isNaN();
    }

    /** The same answer, as another version and routing variant gave it. */
    private static Served as(Served event, String version, String variant) {
        return new Served(
                event.requestId(),
                event.protocol(),
                event.endpoint(),
                event.model(),
                version,
                variant,
                event.epoch(),
                event.error(),
                event.latencyNanos(),
                event.rows(),
                event.at(),
                event.request(),
                event.response());
    }

    @Test
    void qualityIsKeptPerVersionAndVariantThatAnswered() throws Exception {
        FeedbackService service = open();
        // threshold 0.35: 0.9 predicts a stall, 0.1 does not
        service.served(TestEvents.records("p-1", START, 0.9f)); // version 2, primary: right
        service.served(TestEvents.records("p-2", START, 0.1f)); // version 2, primary: right
        service.served(as(TestEvents.records("c-1", START, 0.9f), "3", "canary")); // wrong
        service.served(as(TestEvents.records("c-2", START, 0.1f), "3", "canary")); // right
        service.served(as(TestEvents.records("t-1", START, 0.9f), "4", "treatment")); // wrong
        service.served(as(TestEvents.records("t-2", START, 0.2f), "4", "treatment")); // unlabelled

        submit(
                service,
                label("p-1", null, true),
                label("p-2", null, false),
                label("c-1", null, false),
                label("c-2", null, false),
                label("t-1", null, false));

        List<VersionQuality> versions = service.quality(MODEL, 1).versions();
        assertThat(versions)
                .extracting(VersionQuality::version, VersionQuality::variant)
                .containsExactly(tuple("2", "primary"), tuple("3", "canary"), tuple("4", "treatment"));
        assertThat(versions).extracting(v -> v.total().metrics().accuracy()).containsExactly(1.0, 0.5, 0.0);
        assertThat(versions).extracting(v -> v.total().coverage()).containsExactly(1.0, 1.0, 0.5);
        assertThat(versions.get(1).total().metrics().precision()).isEqualTo(0.0); // one positive prediction, wrong
        assertThat(versions.get(1).total().metrics().recall()).isNull(); // no positive label
        assertThat(versions.get(0).total().metrics().rocAuc()).isEqualTo(1.0);
        assertThat(service.keys())
                .containsExactly(
                        new QualityKey(MODEL, MODEL, "2", "primary"),
                        new QualityKey(MODEL, MODEL, "3", "canary"),
                        new QualityKey(MODEL, MODEL, "4", "treatment"));
        assertThat(service.gauge(new QualityKey(MODEL, MODEL, "3", "canary"), QualityMetric.ACCURACY))
                .isEqualTo(0.5);
    }

    @Test
    void windowsFollowThePredictionTimeHoweverLateTheLabelComes() throws Exception {
        FeedbackService service = open();
        service.served(TestEvents.records("a", START, 0.9f)); // 10:15
        clock.advance(Duration.ofMinutes(65));
        service.served(TestEvents.records("b", clock.instant(), 0.2f)); // 11:20
        service.served(TestEvents.records("c", clock.instant(), 0.7f)); // 11:20, never labelled
        clock.advance(Duration.ofMinutes(160)); // 14:00

        submit(service, label("a", null, true), label("b", null, true));

        VersionQuality version = service.quality(MODEL, 5).versions().get(0);
        assertThat(version.windows()).hasSize(2);
        WindowQuality eleven = version.windows().get(0);
        assertThat(eleven.start()).isEqualTo(Instant.parse("2026-11-27T11:00:00Z"));
        assertThat(eleven.end()).isEqualTo(Instant.parse("2026-11-27T12:00:00Z"));
        assertThat(eleven.predictions()).isEqualTo(2);
        assertThat(eleven.coverage()).isEqualTo(0.5);
        assertThat(eleven.labelDelayMeanSeconds()).isEqualTo(160 * 60.0);
        assertThat(eleven.metrics().accuracy()).isEqualTo(0.0);
        WindowQuality ten = version.windows().get(1);
        assertThat(ten.start()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
        assertThat(ten.labelDelayMaxSeconds()).isEqualTo(225 * 60.0);
        assertThat(ten.metrics().accuracy()).isEqualTo(1.0);
        assertThat(version.total().predictions()).isEqualTo(3);
        assertThat(version.total().metrics().labelled()).isEqualTo(2);
        assertThat(version.total().metrics().accuracy()).isEqualTo(0.5);
        assertThat(service.quality(MODEL, 1).versions().get(0).windows()).containsExactly(eleven);
    }

    @Test
    void aLabelSentRightAfterItsAnswerFindsIt() throws Exception {
        FeedbackService service = open();
        for (int i = 0; i < 50; i++) {
            service.served(TestEvents.records("ping-" + i, START, 0.6f));
            assertThat(submit(service, label("ping-" + i, null, true)).accepted())
                    .isEqualTo(1);
        }
    }

    @Test
    void predictionsAndLabelsSurviveARestart() throws Exception {
        FeedbackService first = open();
        first.served(TestEvents.records("a", START, 0.9f));
        first.served(TestEvents.records("b", START, 0.3f));
        first.served(TestEvents.records("c", START, 0.6f));
        submit(first, label("a", null, true), label("b", null, false));
        QualityReport before = first.quality(MODEL, 10);
        first.close();

        FeedbackService second = open();

        assertThat(second.quality(MODEL, 10)).isEqualTo(before);
        FeedbackResult result = submit(second, label("a", null, true), label("b", null, false), label("c", null, 0));
        assertThat(result).isEqualTo(new FeedbackResult(1, 2, List.of(), List.of()));
        assertThat(refused(second, label("b", null, true)).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(second.stats().rows()).isEqualTo(3);
    }

    @Test
    void retentionDeletesWholeWindowsOnceTheyAreOlderThanIt() throws Exception {
        FeedbackService service = open(config(1, Duration.ofHours(2), 1000));
        service.served(TestEvents.records("ten", START, 0.9f)); // window 10:00
        clock.advance(Duration.ofHours(1));
        service.served(TestEvents.records("eleven", clock.instant(), 0.9f)); // window 11:00
        clock.advance(Duration.ofMinutes(15)); // 11:30: nothing is two hours old yet
        service.flushed().get(20, TimeUnit.SECONDS);
        assertThat(service.quality(MODEL, 10).versions().get(0).windows()).hasSize(2);

        clock.advance(Duration.ofMinutes(95)); // 13:05: the 10:00 window ended more than two hours ago
        FeedbackResult result = submit(service, label("ten", null, true), label("eleven", null, true));

        assertThat(result.unknown()).containsExactly("ten");
        assertThat(result.accepted()).isEqualTo(1);
        assertThat(service.quality(MODEL, 10).versions().get(0).windows())
                .extracting(WindowQuality::start)
                .containsExactly(Instant.parse("2026-11-27T11:00:00Z"));
        assertThat(service.stats().deletedRows()).isEqualTo(1);
        assertThat(service.stats().rows()).isEqualTo(1);
    }

    @Test
    void theRowLimitDeletesTheOldestWindowsThenRefusesWhatTheCurrentOneCannotHold() throws Exception {
        FeedbackService service = open(config(1, Duration.ofDays(7), 3));
        service.served(TestEvents.records("old", START, 0.1f, 0.2f)); // 2 rows at 10:15
        clock.advance(Duration.ofHours(1));
        service.served(TestEvents.records("new-1", clock.instant(), 0.3f)); // 3 rows in all
        service.served(TestEvents.records("new-2", clock.instant(), 0.4f, 0.5f)); // the 10:00 window makes room
        service.served(TestEvents.records("new-3", clock.instant(), 0.6f)); // the store holds 3 rows of 11:00

        service.flushed().get(20, TimeUnit.SECONDS);

        FeedbackStats stats = service.stats();
        assertThat(stats.rows()).isEqualTo(3);
        assertThat(stats.deletedRows()).isEqualTo(2);
        assertThat(stats.full()).isEqualTo(1);
        assertThat(stats.stored()).isEqualTo(3);
        assertThat(submit(service, label("old", 0, true), label("new-3", null, true))
                        .unknown())
                .containsExactly("old", "new-3");
    }

    @Test
    void aFullQueueDropsAndCountsWhileTheWriterIsBlocked() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        PredictionStore store = PredictionStore.open(directory.resolve("feedback.db"));
        FeedbackService service = new FeedbackService(
                config(1, Duration.ofDays(7), 1000),
                TestEvents.stallManifests(),
                clock,
                store,
                work -> new Thread(() -> {
                    try {
                        gate.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    work.run();
                }));
        opened.add(service);
        for (int i = 0; i < 105; i++) { // the queue holds 100
            service.served(TestEvents.records("ping-" + i, START, 0.5f));
        }
        service.served(TestEvents.refused("bad", START));

        FeedbackStats blocked = service.stats();
        gate.countDown();
        service.flushed().get(20, TimeUnit.SECONDS);

        assertThat(blocked.queued()).isEqualTo(100);
        assertThat(blocked.dropped()).isEqualTo(5);
        assertThat(blocked.skipped()).isEqualTo(1);
        FeedbackStats done = service.stats();
        assertThat(done.stored()).isEqualTo(100);
        assertThat(done.dropped()).isEqualTo(5);
        assertThat(done.offered()).isEqualTo(106);
    }

    @Test
    void aReusedRequestIdKeepsItsFirstPrediction() throws Exception {
        FeedbackService service = open();
        service.served(TestEvents.records("ping-1", START, 0.9f));
        service.served(TestEvents.records("ping-1", START, 0.1f));

        submit(service, label("ping-1", null, true));

        assertThat(service.stats().repeated()).isEqualTo(1);
        assertThat(total(service).metrics().meanScore()).isEqualTo((double) 0.9f);
    }
}
