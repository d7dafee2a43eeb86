package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteRegistryTest extends RegistryContract {
    @Override
    RegistryLocation location(Path temp) {
        return RegistryLocation.parse(temp.resolve("registry/registry.db").toString(), null);
    }

    @Test
    void theFileIsInWalModeOnceOpened(@TempDir Path dir) throws Exception {
        RegistryLocation location = location(dir);
        Database.open(location);

        try (Connection plain = DriverManager.getConnection(location.jdbcUrl());
                ResultSet mode = plain.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(mode.next()).isTrue();
            assertThat(mode.getString(1)).isEqualTo("wal");
        }
    }
}
