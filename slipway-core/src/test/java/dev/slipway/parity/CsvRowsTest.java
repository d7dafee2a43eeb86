package dev.slipway.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvRowsTest {
    @TempDir
    Path directory;

    @Test
    void cellsAreTyped() throws Exception {
        Path file =
                Files.writeString(directory.resolve("a.csv"), "x,flag,name,gap\n-1.5,true,yard,\n2,false,\"a,b\",3\n");

        CsvRows rows = CsvRows.read(file);

        assertThat(rows.header()).containsExactly("x", "flag", "name", "gap");
        assertThat(rows.rows().get(0))
                .containsEntry("x", -1.5)
                .containsEntry("flag", true)
                .containsEntry("name", "yard")
                .containsEntry("gap", null);
        assertThat(rows.rows().get(1))
                .containsEntry("x", 2.0)
                .containsEntry("name", "a,b")
                .containsEntry("gap", 3.0);
    }

    @Test
    void aRaggedRowNamesItsLine() throws Exception {
        Path file = Files.writeString(directory.resolve("a.csv"), "x,y\n1,2\n3\n");

        assertThatThrownBy(() -> CsvRows.read(file)).hasMessageContaining("line 3: 1 cells (expected: 2");
    }
}
