package dev.slipway.payload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFilesTest {
    @TempDir
    Path directory;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-27T10:00:00Z"));

    private static byte[] line(int i) {
        return String.format("{\"n\":%04d}\n", i).getBytes(StandardCharsets.UTF_8); // 11 bytes
    }

    private List<String> names() throws IOException {
        try (var files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFileClosesBeforeALineWouldPassTheSizeAndOnlyTheNewestFilesAreKept() throws IOException {
        try (RotatingFiles files = new RotatingFiles(directory, 1024, null, 3, clock)) {
            for (int i = 0; i < 500; i++) { // 5500 bytes: 93 lines (1023 bytes) per file, 6 files
                files.write(line(i));
            }
            files.flush();
            assertThat(files.files()).isEqualTo(6);
            assertThat(files.deleted()).isEqualTo(3);
            assertThat(files.bytes()).isEqualTo(5500);
        }

        List<String> names = names();

        assertThat(names)
                .containsExactly(
                        "payloads-00000004-20261127T100000Z.jsonl",
                        "payloads-00000005-20261127T100000Z.jsonl",
                        "payloads-00000006-20261127T100000Z.jsonl");
        for (String name : names.subList(0, 2)) {
            assertThat(Files.size(directory.resolve(name))).isEqualTo(93 * 11);
        }
        List<String> last = Files.readAllLines(directory.resolve(names.get(2)));
        assertThat(last).last().isEqualTo("{\"n\":0499}");
        assertThat(last).first().isEqualTo("{\"n\":0465}"); // 5 * 93 lines in the earlier files
    }

    @Test
    void aFileClosesWhenItIsOlderThanTheMaximumAgeEvenWithoutTraffic() throws IOException {
        try (RotatingFiles files = new RotatingFiles(directory, 1 << 20, Duration.ofMinutes(10), 10, clock)) {
            files.write(line(1));
            clock.advance(Duration.ofMinutes(9));
            files.tick();
            files.write(line(2));
            clock.advance(Duration.ofMinutes(1));
            files.tick(); // ten minutes old: closed, though nothing else is written
            clock.advance(Duration.ofMinutes(30));
            files.tick(); // nothing open: no empty file appears
            files.write(line(3));
        }

        assertThat(names())
                .containsExactly(
                        "payloads-00000001-20261127T100000Z.jsonl", "payloads-00000002-20261127T104000Z.jsonl");
        assertThat(Files.readAllLines(directory.resolve(names().get(0)))).hasSize(2);
    }

    @Test
    void aRestartContinuesTheSequenceAndKeepsTheLimit() throws IOException {
        for (int run = 0; run < 4; run++) {
            try (RotatingFiles files = new RotatingFiles(directory, 1 << 20, null, 2, clock)) {
                files.write(line(run));
            }
            clock.advance(Duration.ofSeconds(1));
        }
        Files.writeString(directory.resolve("notes.txt"), "not ours");

        assertThat(names())
                .containsExactly(
                        "notes.txt",
                        "payloads-00000003-20261127T100002Z.jsonl",
                        "payloads-00000004-20261127T100003Z.jsonl");
    }

    @Test
    void aLineLongerThanTheLimitGetsAFileOfItsOwn() throws IOException {
        byte[] big = ("{\"x\":\"" + "a".repeat(2000) + "\"}\n").getBytes(StandardCharsets.UTF_8);
        try (RotatingFiles files = new RotatingFiles(directory, 1024, null, 10, clock)) {
            files.write(line(1));
            files.write(big);
            files.write(line(2));
        }

        assertThat(names()).hasSize(3);
    }
}
