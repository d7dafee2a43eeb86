package dev.slipway.feedback;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.OutputKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The prediction store: one SQLite file holding, per served request row, what is needed to join a label later and to
 * judge it (who answered, when, the score and the predicted label), keyed by endpoint, request id and row. WAL journal
 * with {@code synchronous=NORMAL}: a committed batch survives a crash of the process (a power cut may lose the last
 * ones). Used by one thread: the feedback writer.
 */
final class PredictionStore implements AutoCloseable {
    /** The schema this code writes; a file with a newer one is refused. */
    static final int SCHEMA = 1;

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement find;
    private final PreparedStatement rowsOf;
    private final PreparedStatement label;

    private PredictionStore(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.insert = connection.prepareStatement("INSERT OR IGNORE INTO predictions (endpoint, request_id, row_index,"
                + " rows, model, version, variant, output, kind, served_at, score, predicted)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.find = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM predictions WHERE endpoint = ? AND request_id = ? AND row_index = ?");
        this.rowsOf = connection.prepareStatement(
                "SELECT rows FROM predictions WHERE endpoint = ? AND request_id = ? LIMIT 1");
        this.label = connection.prepareStatement("UPDATE predictions SET label = ?, labelled_at = ?"
                + " WHERE endpoint = ? AND request_id = ? AND row_index = ? AND label IS NULL");
    }

    private static final String COLUMNS = "endpoint, request_id, row_index, rows, model, version, variant, output,"
            + " kind, served_at, score, predicted, label, labelled_at";

    /**
     * Opens (creating the file, its directory and the schema when needed).
     *
     * @throws SlipwayException {@code CONFIG_INVALID} when the file cannot be opened, is not a prediction store or
     *     has a newer schema
     */
    static PredictionStore open(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            Path parent = absolute.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Properties properties = new Properties();
            properties.setProperty("journal_mode", "WAL");
            properties.setProperty("synchronous", "NORMAL");
            properties.setProperty("busy_timeout", "10000");
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + absolute, properties);
            try {
                migrate(connection, absolute);
                connection.setAutoCommit(false);
                return new PredictionStore(absolute, connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        } catch (IOException | SQLException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID, "feedback.database: '" + absolute + "' cannot be opened: " + e, e);
        }
    }

    private static void migrate(Connection connection, Path file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int version;
            try (ResultSet result = statement.executeQuery("PRAGMA user_version")) {
                version = result.next() ? result.getInt(1) : 0;
            }
            if (version > SCHEMA) {
                throw new SlipwayException(
                        ErrorCode.CONFIG_INVALID,
                        "feedback.database: '" + file + "' has schema " + version + " (expected: " + SCHEMA
                                + " or older; it was written by a newer Slipway)");
            }
            if (version == 0) {
                statement.executeUpdate("CREATE TABLE IF NOT EXISTS predictions ("
                        + " endpoint TEXT NOT NULL, request_id TEXT NOT NULL, row_index INTEGER NOT NULL,"
                        + " rows INTEGER NOT NULL, model TEXT NOT NULL, version TEXT NOT NULL,"
                        + " variant TEXT NOT NULL, output TEXT NOT NULL, kind TEXT NOT NULL,"
                        + " served_at INTEGER NOT NULL, score REAL, predicted TEXT, label TEXT, labelled_at INTEGER,"
                        + " PRIMARY KEY (endpoint, request_id, row_index)) WITHOUT ROWID");
                statement.executeUpdate("CREATE INDEX IF NOT EXISTS predictions_served_at ON predictions (served_at)");
                statement.executeUpdate("PRAGMA user_version = " + SCHEMA);
            }
        }
    }

    /** The file. */
    Path file() {
        return file;
    }

    /**
     * Inserts rows in one transaction; a row whose key is already stored is left as it was.
     *
     * @return per row, whether it was inserted
     */
    boolean[] insert(List<Prediction> rows) throws SQLException {
        boolean[] inserted = new boolean[rows.size()];
        try {
            for (int i = 0; i < rows.size(); i++) {
                Prediction p = rows.get(i);
                insert.setString(1, p.endpoint());
                insert.setString(2, p.requestId());
                insert.setInt(3, p.row());
                insert.setInt(4, p.rows());
                insert.setString(5, p.model());
                insert.setString(6, p.version());
                insert.setString(7, p.variant());
                insert.setString(8, p.output());
                insert.setString(9, p.kind().name());
                insert.setLong(10, p.servedAt());
                if (Double.isNaN(p.score())) {
                    insert.setNull(11, Types.REAL);
                } else {
                    insert.setDouble(11, p.score());
                }
                insert.setString(12, p.predicted());
                inserted[i] = insert.executeUpdate() == 1;
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        return inserted;
    }

    /** The stored row, if any. */
    Optional<Prediction> find(String endpoint, String requestId, int row) throws SQLException {
        find.setString(1, endpoint);
        find.setString(2, requestId);
        find.setInt(3, row);
        try (ResultSet result = find.executeQuery()) {
            return result.next() ? Optional.of(read(result)) : Optional.empty();
        }
    }

    /** The row count of a stored request; empty when no row of it is stored. */
    OptionalInt rows(String endpoint, String requestId) throws SQLException {
        rowsOf.setString(1, endpoint);
        rowsOf.setString(2, requestId);
        try (ResultSet result = rowsOf.executeQuery()) {
            return result.next() ? OptionalInt.of(result.getInt(1)) : OptionalInt.empty();
        }
    }

    /** Sets a row's label unless it has one; part of the current transaction. */
    boolean label(Prediction row, String value, long at) throws SQLException {
        label.setString(1, value);
        label.setLong(2, at);
        label.setString(3, row.endpoint());
        label.setString(4, row.requestId());
        label.setInt(5, row.row());
        return label.executeUpdate() == 1;
    }

    void commit() throws SQLException {
        connection.commit();
    }

    void rollback() throws SQLException {
        connection.rollback();
    }

    /** The number of stored rows. */
    long count() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM predictions")) {
            result.next();
            long count = result.getLong(1);
            connection.commit();
            return count;
        }
    }

    /** The earliest prediction time stored, epoch milliseconds. */
    OptionalLong oldest() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT MIN(served_at) FROM predictions")) {
            long oldest = result.next() ? result.getLong(1) : 0;
            boolean none = result.wasNull();
            connection.commit();
            return none ? OptionalLong.empty() : OptionalLong.of(oldest);
        }
    }

    /** Deletes the rows predicted before {@code servedAt} (epoch milliseconds); returns how many. */
    int deleteBefore(long servedAt) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM predictions WHERE served_at < ?")) {
            delete.setLong(1, servedAt);
            int deleted = delete.executeUpdate();
            connection.commit();
            return deleted;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * Reads every stored row, in prediction-time order, to rebuild the live metrics after a restart.
     *
     * @param labelledOnly only the rows that have a label (the others are counted by {@link #counts})
     */
    void forEach(boolean labelledOnly, Consumer<Prediction> action) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM predictions" + (labelledOnly ? " WHERE label IS NOT NULL" : "")
                + " ORDER BY served_at";
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                action.accept(read(result));
            }
        }
        connection.commit();
    }

    /** One count of stored rows: a series' rows in one window. */
    record Count(QualityKey key, String output, OutputKind kind, long windowStart, long rows) {}

    /** The stored rows per series and window of {@code windowMillis}. */
    void counts(long windowMillis, Consumer<Count> action) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT endpoint, model, version, variant,"
                + " output, kind, (served_at - (((served_at % ?) + ?) % ?)) AS window_start, COUNT(*)"
                + " FROM predictions GROUP BY endpoint, model, version, variant, output, kind, window_start")) {
            statement.setLong(1, windowMillis);
            statement.setLong(2, windowMillis);
            statement.setLong(3, windowMillis);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    action.accept(new Count(
                            new QualityKey(
                                    result.getString(1), result.getString(2), result.getString(3), result.getString(4)),
                            result.getString(5),
                            OutputKind.valueOf(result.getString(6)),
                            result.getLong(7),
                            result.getLong(8)));
                }
            }
        }
        connection.commit();
    }

    private static Prediction read(ResultSet result) throws SQLException {
        double score = result.getDouble(11);
        if (result.wasNull()) {
            score = Double.NaN;
        }
        @Nullable String predicted = result.getString(12);
        @Nullable String label = result.getString(13);
        long labelledAt = result.getLong(14);
        return new Prediction(
                result.getString(1),
                result.getString(2),
                result.getInt(3),
                result.getInt(4),
                result.getString(5),
                result.getString(6),
                result.getString(7),
                result.getString(8),
                OutputKind.valueOf(result.getString(9)),
                result.getLong(10),
                score,
                predicted,
                label,
                labelledAt);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a connection that failed is best effort
        }
    }
}
