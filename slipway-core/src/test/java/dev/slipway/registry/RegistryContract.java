package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.inference.Engines;
import dev.slipway.inference.ModelLoader;
import dev.slipway.inference.ModelSource;
import dev.slipway.spi.EngineOptions;
import dev.slipway.testing.FakeEngine;
import dev.slipway.testing.FakeModels;
import dev.slipway.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every registry store must do; run against a SQLite file and a real PostgreSQL. */
abstract class RegistryContract {
    static final float[] WEIGHTS = {0.5f, -1.25f, 2f};

    @TempDir
    Path temp;

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T09:00:00Z"));
    RegistryLocation location;
    ModelRegistry registry;
    ModelLoader loader;

    /** A fresh, empty registry location for one test. */
    abstract RegistryLocation location(Path temp);

    @BeforeEach
    void open() {
        location = location(temp);
        registry = ModelRegistry.open(location, clock);
        loader = new ModelLoader(Engines.of(List.of(new FakeEngine())), EngineOptions.defaults(), clock);
    }

    Path model(String name, float bias) {
        return FakeModels.write(temp.resolve("src-" + bias), name, 1, WEIGHTS, bias);
    }

    RegisteredVersion push(Path directory, String alias) {
        return registry.push(
                directory, new PushOptions("alice", alias, "first try", "run-42"), loader, PushListener.NONE);
    }

    @Test
    void pushesNumberVersionsAndRecordWhoWhenWhereAndParity() {
        RegisteredVersion first = push(model("scorer", 0.25f), null);
        clock.advance(Duration.ofMinutes(5));
        RegisteredVersion second = push(model("scorer", 0.5f), "candidate");

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.pushedBy()).isEqualTo("alice");
        assertThat(second.pushedAt()).isEqualTo(Instant.parse("2026-11-26T09:05:00Z"));
        assertThat(second.source()).isEqualTo("run-42");
        assertThat(second.parity()).startsWith("parity gate passed: 4 golden rows");
        assertThat(second.format()).isEqualTo("fake");
        assertThat(second.manifest()).contains("name: scorer");
        assertThat(second.aliases()).containsExactly("candidate");
        assertThat(second.files())
                .extracting(VersionFile::path)
                .containsExactly("golden.csv", "model.fake", "model.yaml");
        assertThat(second.artifactSha256()).isEqualTo(FakeModels.sha256(temp.resolve("src-0.5/scorer/1/model.fake")));
        assertThat(registry.list()).singleElement().satisfies(summary -> {
            assertThat(summary.versions()).isEqualTo(2);
            assertThat(summary.latest()).isEqualTo(2);
            assertThat(summary.aliases()).containsEntry("candidate", 2L);
        });
    }

    @Test
    void aVersionThatFailsItsGateIsRefusedAndLeavesNoTrace() {
        Path bad = FakeModels.write(temp.resolve("bad"), "scorer", 1, WEIGHTS, 0.25f, 0.5);

        assertThatThrownBy(() -> push(bad, "candidate")).isInstanceOfSatisfying(SlipwayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PARITY_MISMATCH);
            assertThat(e.getMessage()).contains("parity gate failed");
        });
        assertThat(registry.list()).isEmpty();
        assertThat(registry.audit(null, 10)).isEmpty();
    }

    @Test
    void aliasesNameVersionsAndEveryMoveIsAudited() {
        push(model("scorer", 0.25f), "production");
        push(model("scorer", 0.5f), "candidate");

        registry.alias("scorer", 2, "production", "bob", "canary passed");

        assertThat(registry.version("scorer", "production").version()).isEqualTo(2);
        assertThat(registry.version("scorer", "1").aliases()).isEmpty();
        List<AuditEntry> audit = registry.audit("scorer", 10);
        assertThat(audit).extracting(AuditEntry::action).containsExactly("alias", "alias", "push", "alias", "push");
        AuditEntry move = audit.get(0);
        assertThat(move.actor()).isEqualTo("bob");
        assertThat(move.reason()).isEqualTo("canary passed");
        assertThat(move.before()).isEqualTo("{\"alias\":\"production\",\"version\":1}");
        assertThat(move.after()).isEqualTo("{\"alias\":\"production\",\"version\":2}");
        assertThatThrownBy(() -> registry.version("scorer", "staging"))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND));
    }

    @Test
    void archivingTakesAVersionOutOfServiceButNeverTheProductionOne() {
        push(model("scorer", 0.25f), "production");
        push(model("scorer", 0.5f), "candidate");

        assertThatThrownBy(() -> registry.archive("scorer", 1, "bob", "old"))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        registry.archive("scorer", 2, "bob", "bad canary");

        RegisteredVersion archived = registry.version("scorer", "2");
        assertThat(archived.archived()).isTrue();
        assertThat(archived.aliases()).isEmpty();
        assertThat(registry.desired()).containsOnlyKeys("scorer");
        assertThat(registry.desired().get("scorer")).isEqualTo(new ModelSource.Desired(List.of(1L), 1L));
        assertThatThrownBy(() -> registry.alias("scorer", 2, "candidate", "bob", null))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        registry.removeAlias("scorer", "production", "bob", "retiring");
        assertThat(registry.desired()).isEmpty();
    }

    @Test
    void theAuditLogIsAppendOnly() throws SQLException {
        push(model("scorer", 0.25f), null);

        try (Connection connection = Database.open(location).connect();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_log SET actor = 'mallory'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
            connection.rollback();
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_log"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
            connection.rollback();
        }
        assertThat(registry.audit(null, 10)).singleElement().satisfies(e -> assertThat(e.actor())
                .isEqualTo("alice"));
    }

    @Test
    void concurrentPushesGetDistinctVersions() throws Exception {
        List<Path> directories = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            directories.add(model("scorer", 0.1f * (i + 1)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RegisteredVersion>> pushes = new ArrayList<>();
            for (Path directory : directories) {
                pushes.add(pool.submit(() -> push(directory, null)));
            }
            List<Long> versions = new ArrayList<>();
            for (Future<RegisteredVersion> push : pushes) {
                versions.add(push.get(60, TimeUnit.SECONDS).version());
            }
            assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void namesAndAliasesAreValidated() {
        push(model("scorer", 0.25f), null);

        assertThatThrownBy(() -> registry.versions("../etc"))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        assertThatThrownBy(() -> registry.alias("scorer", 1, "Prod!", "bob", null))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
        assertThatThrownBy(() -> registry.alias("scorer", 9, "production", "bob", null))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND));
    }

    @Test
    void aTamperedArtifactIsRefusedWhenCheckedOut() throws Exception {
        RegisteredVersion version = push(model("scorer", 0.25f), "production");
        VersionFile artifact = version.files().stream()
                .filter(f -> f.path().equals("model.fake"))
                .findFirst()
                .orElseThrow();
        Path blob =
                location.artifacts().resolve(artifact.sha256().substring(0, 2)).resolve(artifact.sha256());
        Files.writeString(blob, "weights=9,9,9\nbias=0\n");

        assertThatThrownBy(() -> registry.materialize("scorer", 1, temp.resolve("checkout")))
                .isInstanceOfSatisfying(SlipwayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains("changed or truncated");
                });
    }

    @Test
    void everyChangeMovesTheGeneration() {
        long start = registry.generation();
        push(model("scorer", 0.25f), "production");
        long afterPush = registry.generation();
        registry.alias("scorer", 1, "candidate", "bob", null);

        assertThat(afterPush).isGreaterThan(start);
        assertThat(registry.generation()).isGreaterThan(afterPush);
    }
}
