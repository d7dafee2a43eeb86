package dev.slipway.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelLoader;
import dev.slipway.inference.ModelSource;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.rollout.RolloutPlans;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The model registry: models, numbered versions with their files in a content-addressed store, the metadata recorded
 * at push (who, when, source, manifest, parity result), aliases such as {@code candidate} and {@code production}, and
 * an append-only audit log of every change. Metadata lives in a SQLite file or PostgreSQL; every change is one
 * transaction, so a push killed halfway leaves nothing registered.
 */
public final class ModelRegistry {
    /** The alias requests without a version are served from. */
    public static final String PRODUCTION = "production";

    /** The alias a pushed version usually gets first. */
    public static final String CANDIDATE = "candidate";

    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final int MAX_FILES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryLocation location;
    private final Database database;
    private final ArtifactStore store;
    private final Clock clock;

    private ModelRegistry(RegistryLocation location, Database database, ArtifactStore store, Clock clock) {
        this.location = location;
        this.database = database;
        this.store = store;
        this.clock = clock;
    }

    /** Opens a registry, creating and migrating it when needed. */
    public static ModelRegistry open(RegistryLocation location, Clock clock) {
        return new ModelRegistry(
                location, Database.open(location), new LocalArtifactStore(location.artifacts()), clock);
    }

    /** Where this registry lives, without secrets. */
    public String describe() {
        return location.describe();
    }

    /**
     * Registers the version in {@code directory} as the model's next version, after it passes its manifest checks,
     * artifact digest, signature check and parity gate.
     *
     * @param validator loads the version the way a server would; it must come out READY
     * @throws SlipwayException {@code CONFIG_INVALID} for a bad manifest, {@code PARITY_MISMATCH} when the version
     *     fails its checks (nothing is registered)
     */
    public RegisteredVersion push(Path directory, PushOptions options, ModelLoader validator, PushListener listener) {
        ModelManifest manifest = ManifestReader.read(directory);
        try {
            RolloutPlans.fromManifest(
                    Files.readString(directory.resolve(ManifestReader.FILE_NAME)), "manifest of " + manifest.name());
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "cannot read the manifest in " + directory, e);
        }
        checkAlias(options.alias());
        String parity;
        try (LoadedModel loaded = validator.load(directory, manifest.name(), manifest.version(), false)) {
            if (!loaded.ready()) {
                throw new SlipwayException(
                        ErrorCode.PARITY_MISMATCH,
                        "model " + manifest.name() + " from " + directory + " is refused: " + loaded.reason());
            }
            parity = loaded.parity() == null
                    ? "no golden examples"
                    : loaded.parity().summary();
        }
        listener.validated(parity);
        List<VersionFile> files = storeFiles(directory);
        listener.stored(files);
        String artifactSha = files.stream()
                .filter(f -> f.path().equals(manifest.artifact().file()))
                .findFirst()
                .orElseThrow()
                .sha256();
        long version = transaction(connection -> {
            long now = clock.millis();
            update(
                    connection,
                    "INSERT INTO models (name, created_at, created_by) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                    manifest.name(),
                    now,
                    options.actor());
            query(
                    connection,
                    "SELECT name FROM models WHERE name = ?"
                            + database.dialect().lockSuffix(),
                    manifest.name());
            long next = queryLong(
                    connection,
                    "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE model = ?",
                    manifest.name());
            update(
                    connection,
                    "INSERT INTO model_versions (model, version, format, artifact_sha256, manifest, pushed_by, "
                            + "pushed_at, source, parity, archived) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    manifest.name(),
                    next,
                    manifest.format(),
                    artifactSha,
                    Files.readString(directory.resolve(ManifestReader.FILE_NAME)),
                    options.actor(),
                    now,
                    options.source(),
                    parity);
            for (VersionFile file : files) {
                update(
                        connection,
                        "INSERT INTO version_files (model, version, path, sha256, size) VALUES (?, ?, ?, ?, ?)",
                        manifest.name(),
                        next,
                        file.path(),
                        file.sha256(),
                        file.size());
            }
            audit(
                    connection,
                    options.actor(),
                    "push",
                    manifest.name(),
                    next,
                    options.reason(),
                    null,
                    json(Map.of("version", next, "artifact_sha256", artifactSha, "parity", parity)));
            if (options.alias() != null) {
                moveAlias(connection, manifest.name(), next, options.alias(), options.actor(), options.reason());
            }
            bumpGeneration(connection);
            return next;
        });
        return version(manifest.name(), Long.toString(version));
    }

    private List<VersionFile> storeFiles(Path directory) {
        List<Path> paths;
        try (Stream<Path> children = Files.list(directory)) {
            paths = children.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID, "model directory '" + directory + "' cannot be read", e);
        }
        if (paths.size() > MAX_FILES) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "model directory '" + directory + "' has " + paths.size() + " files (expected: at most " + MAX_FILES
                            + ")");
        }
        List<VersionFile> files = new ArrayList<>();
        for (Path path : paths) {
            ArtifactStore.Stored stored = store.put(path);
            files.add(new VersionFile(path.getFileName().toString(), stored.sha256(), stored.size()));
        }
        return files;
    }

    /** Every model, by name. */
    public List<ModelSummary> list() {
        return read(connection -> {
            Map<String, Map<String, Long>> aliases = aliases(connection, null);
            List<ModelSummary> models = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                            "SELECT m.name, COUNT(v.version), MAX(v.version) FROM models m LEFT JOIN model_versions v "
                                    + "ON v.model = m.name GROUP BY m.name ORDER BY m.name");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    long latest = rows.getLong(3);
                    models.add(new ModelSummary(
                            name,
                            rows.getInt(2),
                            rows.wasNull() ? null : latest,
                            aliases.getOrDefault(name, Map.of())));
                }
            }
            return models;
        });
    }

    /** Every version of a model, oldest first. */
    public List<RegisteredVersion> versions(String model) {
        checkModelName(model);
        List<RegisteredVersion> versions = read(connection -> versions(connection, model, null));
        if (versions.isEmpty()) {
            throw SlipwayException.modelNotFound(model, null);
        }
        return versions;
    }

    /**
     * One version, named by number or by alias ({@code production}).
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} when there is no such version or alias
     */
    public RegisteredVersion version(String model, String versionOrAlias) {
        checkModelName(model);
        return read(connection -> {
            long version = resolveVersion(connection, model, versionOrAlias);
            return versions(connection, model, version).get(0);
        });
    }

    /**
     * Points an alias at a version (moving it if it pointed elsewhere): {@code models alias stall-detector:3
     * production}. Serving replicas follow within their poll interval.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} for an unknown version, {@code CONFLICT} for an archived one
     */
    public void alias(String model, long version, String alias, String actor, @Nullable String reason) {
        checkModelName(model);
        checkAlias(alias);
        transaction(connection -> {
            RegisteredVersion target = existing(connection, model, version);
            if (target.archived()) {
                throw new SlipwayException(
                        ErrorCode.CONFLICT,
                        "model '" + model + "' version " + version + " is archived (expected: a live version)");
            }
            if (PRODUCTION.equals(alias) && RegistryRollouts.active(connection, model)) {
                throw new SlipwayException(
                        ErrorCode.CONFLICT,
                        "model '" + model + "' has a rollout in progress; its production alias moves when the rollout"
                                + " promotes (expected: 'slipway rollout abort " + model + "' first)");
            }
            moveAlias(connection, model, version, alias, actor, reason);
            bumpGeneration(connection);
            return Boolean.TRUE;
        });
    }

    /** Removes an alias. */
    public void removeAlias(String model, String alias, String actor, @Nullable String reason) {
        checkModelName(model);
        checkAlias(alias);
        transaction(connection -> {
            Long current =
                    aliases(connection, model).getOrDefault(model, Map.of()).get(alias);
            if (current == null) {
                throw new SlipwayException(
                        ErrorCode.MODEL_NOT_FOUND, "model '" + model + "' has no alias '" + alias + "'");
            }
            update(connection, "DELETE FROM aliases WHERE model = ? AND alias = ?", model, alias);
            audit(
                    connection,
                    actor,
                    "unalias",
                    model,
                    current,
                    reason,
                    json(Map.of("alias", alias, "version", current)),
                    null);
            bumpGeneration(connection);
            return Boolean.TRUE;
        });
    }

    /**
     * Archives a version: it keeps its record and files but is no longer served; aliases other than {@code
     * production} that point at it are removed.
     *
     * @throws SlipwayException {@code CONFLICT} when it is the production version (move the alias first)
     */
    public void archive(String model, long version, String actor, @Nullable String reason) {
        checkModelName(model);
        transaction(connection -> {
            RegisteredVersion target = existing(connection, model, version);
            if (target.archived()) {
                return Boolean.FALSE;
            }
            if (target.aliases().contains(PRODUCTION)) {
                throw new SlipwayException(
                        ErrorCode.CONFLICT,
                        "model '" + model + "' version " + version
                                + " is in production (move the production alias first)");
            }
            update(connection, "DELETE FROM aliases WHERE model = ? AND version = ?", model, version);
            update(
                    connection,
                    "UPDATE model_versions SET archived = 1 WHERE model = ? AND version = ?",
                    model,
                    version);
            audit(
                    connection,
                    actor,
                    "archive",
                    model,
                    version,
                    reason,
                    json(Map.of("archived", false, "aliases", target.aliases())),
                    json(Map.of("archived", true)));
            bumpGeneration(connection);
            return Boolean.TRUE;
        });
    }

    /** The newest audit entries first, for one model or all; at most {@code limit}. */
    public List<AuditEntry> audit(@Nullable String model, int limit) {
        if (model != null) {
            checkModelName(model);
        }
        return read(connection -> {
            List<AuditEntry> entries = new ArrayList<>();
            String sql =
                    "SELECT id, at, actor, action, model, version, reason, before_state, after_state FROM audit_log"
                            + (model == null ? "" : " WHERE model = ?") + " ORDER BY id DESC LIMIT ?";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                if (model != null) {
                    statement.setString(index++, model);
                }
                statement.setInt(index, limit);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long version = rows.getLong(6);
                        Long versionOrNull = rows.wasNull() ? null : version;
                        entries.add(new AuditEntry(
                                rows.getLong(1),
                                Instant.ofEpochMilli(rows.getLong(2)),
                                rows.getString(3),
                                rows.getString(4),
                                rows.getString(5),
                                versionOrNull,
                                rows.getString(7),
                                rows.getString(8),
                                rows.getString(9)));
                    }
                }
            }
            return entries;
        });
    }

    /** A counter that changes whenever something serving replicas must see changes. */
    public long generation() {
        return read(connection -> queryLong(connection, "SELECT generation FROM registry_generation WHERE id = 1"));
    }

    /** What a server should serve: every live version with an alias, and production as each model's default. */
    Map<String, ModelSource.Desired> desired() {
        return read(connection -> {
            Map<String, List<Long>> versions = new TreeMap<>();
            Map<String, Long> production = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                            "SELECT a.model, a.alias, a.version FROM aliases a JOIN model_versions v "
                                    + "ON v.model = a.model AND v.version = a.version WHERE v.archived = 0 ORDER BY a.model, a.version");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String model = rows.getString(1);
                    long version = rows.getLong(3);
                    List<Long> list = versions.computeIfAbsent(model, m -> new ArrayList<>());
                    if (!list.contains(version)) {
                        list.add(version);
                    }
                    if (PRODUCTION.equals(rows.getString(2))) {
                        production.put(model, version);
                    }
                }
            }
            Map<String, ModelSource.Desired> desired = new TreeMap<>();
            versions.forEach((model, list) -> desired.put(model, new ModelSource.Desired(list, production.get(model))));
            return desired;
        });
    }

    /**
     * Writes a version's files into {@code target}, each checked against the digest recorded at push.
     *
     * @throws SlipwayException {@code CONFIG_INVALID} when a stored file was changed or truncated
     */
    void materialize(String model, long version, Path target) {
        RegisteredVersion registered = version(model, Long.toString(version));
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "cannot create '" + target + "': " + e, e);
        }
        for (VersionFile file : registered.files()) {
            store.copyTo(file.sha256(), target.resolve(file.path()));
        }
    }

    void moveAlias(
            Connection connection, String model, long version, String alias, String actor, @Nullable String reason)
            throws SQLException {
        Long before = aliases(connection, model).getOrDefault(model, Map.of()).get(alias);
        long now = clock.millis();
        if (before == null) {
            update(
                    connection,
                    "INSERT INTO aliases (model, alias, version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)",
                    model,
                    alias,
                    version,
                    now,
                    actor);
        } else {
            update(
                    connection,
                    "UPDATE aliases SET version = ?, updated_at = ?, updated_by = ? WHERE model = ? AND alias = ?",
                    version,
                    now,
                    actor,
                    model,
                    alias);
        }
        audit(
                connection,
                actor,
                "alias",
                model,
                version,
                reason,
                before == null ? null : json(Map.of("alias", alias, "version", before)),
                json(Map.of("alias", alias, "version", version)));
    }

    /** Fails with {@code MODEL_NOT_FOUND} unless the model is registered. */
    void existingModel(Connection connection, String model) throws SQLException {
        checkModelName(model);
        try (PreparedStatement statement = connection.prepareStatement("SELECT name FROM models WHERE name = ?")) {
            statement.setString(1, model);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw SlipwayException.modelNotFound(model, null);
                }
            }
        }
    }

    RegisteredVersion existing(Connection connection, String model, long version) throws SQLException {
        List<RegisteredVersion> found = versions(connection, model, version);
        if (found.isEmpty()) {
            throw SlipwayException.modelNotFound(model, Long.toString(version));
        }
        return found.get(0);
    }

    private long resolveVersion(Connection connection, String model, String versionOrAlias) throws SQLException {
        if (versionOrAlias.matches("[1-9][0-9]{0,17}")) {
            return Long.parseLong(versionOrAlias);
        }
        Long version = aliases(connection, model).getOrDefault(model, Map.of()).get(versionOrAlias);
        if (version == null) {
            throw new SlipwayException(
                    ErrorCode.MODEL_NOT_FOUND,
                    "model '" + model + "' has no version or alias '" + versionOrAlias + "'");
        }
        return version;
    }

    static Map<String, Map<String, Long>> aliases(Connection connection, @Nullable String model) throws SQLException {
        Map<String, Map<String, Long>> aliases = new TreeMap<>();
        String sql = "SELECT model, alias, version FROM aliases" + (model == null ? "" : " WHERE model = ?")
                + " ORDER BY model, alias";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (model != null) {
                statement.setString(1, model);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    aliases.computeIfAbsent(rows.getString(1), m -> new TreeMap<>())
                            .put(rows.getString(2), rows.getLong(3));
                }
            }
        }
        return aliases;
    }

    private static List<RegisteredVersion> versions(Connection connection, String model, @Nullable Long only)
            throws SQLException {
        Map<Long, List<String>> aliasesByVersion = new TreeMap<>();
        aliases(connection, model).getOrDefault(model, Map.of()).forEach((alias, version) -> aliasesByVersion
                .computeIfAbsent(version, v -> new ArrayList<>())
                .add(alias));
        Map<Long, List<VersionFile>> files = new TreeMap<>();
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT version, path, sha256, size FROM version_files WHERE model = ?"
                        + (only == null ? "" : " AND version = ?") + " ORDER BY version, path")) {
            statement.setString(1, model);
            if (only != null) {
                statement.setLong(2, only);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    files.computeIfAbsent(rows.getLong(1), v -> new ArrayList<>())
                            .add(new VersionFile(rows.getString(2), rows.getString(3), rows.getLong(4)));
                }
            }
        }
        List<RegisteredVersion> versions = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT version, format, artifact_sha256, manifest, pushed_by, pushed_at, source, parity, archived "
                        + "FROM model_versions WHERE model = ?" + (only == null ? "" : " AND version = ?")
                        + " ORDER BY version")) {
            statement.setString(1, model);
            if (only != null) {
                statement.setLong(2, only);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    long version = rows.getLong(1);
                    versions.add(new RegisteredVersion(
                            model,
                            version,
                            rows.getString(2),
                            rows.getString(3),
                            rows.getString(4),
                            rows.getString(5),
                            Instant.ofEpochMilli(rows.getLong(6)),
                            rows.getString(7),
                            rows.getString(8),
                            rows.getInt(9) != 0,
                            aliasesByVersion.getOrDefault(version, List.of()),
                            files.getOrDefault(version, List.of())));
                }
            }
        }
        if (only != null && versions.isEmpty()) {
            throw SlipwayException.modelNotFound(model, Long.toString(only));
        }
        return versions;
    }

    void audit(
            Connection connection,
            String actor,
            String action,
            String model,
            @Nullable Long version,
            @Nullable String reason,
            @Nullable String before,
            @Nullable String after)
            throws SQLException {
        update(
                connection,
                "INSERT INTO audit_log (at, actor, action, model, version, reason, before_state, after_state) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                clock.millis(),
                actor,
                action,
                model,
                version,
                reason,
                before,
                after);
    }

    static void bumpGeneration(Connection connection) throws SQLException {
        update(connection, "UPDATE registry_generation SET generation = generation + 1 WHERE id = 1");
    }

    static String json(Map<String, ?> value) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkModelName(String model) {
        if (!ManifestReader.MODEL_NAME.matcher(model).matches()) {
            throw new SlipwayException(
                    ErrorCode.INVALID_INPUT,
                    "model name '" + abbreviate(model) + "' (expected: 1-64 letters, digits, '.', '_' or '-', "
                            + "starting with a letter or digit)");
        }
    }

    private static void checkAlias(@Nullable String alias) {
        if (alias != null && !ALIAS.matcher(alias).matches()) {
            throw new SlipwayException(
                    ErrorCode.INVALID_INPUT,
                    "alias '" + abbreviate(alias)
                            + "' (expected: 1-32 lower-case letters, digits or '-', starting with a letter)");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }

    /** Work inside one database transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException, IOException;
    }

    <T> T transaction(Work<T> work) {
        try (Connection connection = database.connect()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SlipwayException(ErrorCode.INTERNAL, "registry database error: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "registry file error: " + e.getMessage(), e);
        }
    }

    <T> T read(Work<T> work) {
        return transaction(work);
    }

    static void update(Connection connection, String sql, @Nullable Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            statement.executeUpdate();
        }
    }

    private static void query(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    // reading takes the lock
                }
            }
        }
    }

    static long queryLong(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement statement, @Nullable Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }
}
