package dev.slipway.inference;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model versions this process knows, loaded from a folder laid out as {@code <root>/<name>/<version>/model.yaml}.
 * Readers see an immutable snapshot and never lock; loads and unloads build a new snapshot and swap it in.
 */
public final class ModelRepository implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

    private final Path root;
    private final ModelLoader loader;
    private volatile Map<String, NavigableMap<Long, LoadedModel>> snapshot = Map.of();

    /** A repository over {@code root}; nothing is loaded until {@link #loadAll} or {@link #load}. */
    public ModelRepository(Path root, ModelLoader loader) {
        this.root = root;
        this.loader = loader;
    }

    /** The folder models are loaded from. */
    public Path root() {
        return root;
    }

    /**
     * Loads every model found under the root.
     *
     * @throws SlipwayException {@code CONFIG_INVALID} when the root is not a readable directory
     */
    public synchronized void loadAll() {
        for (String name : modelNames()) {
            load(name);
        }
    }

    /**
     * (Re)loads every version of one model from disk; versions that were loaded before are unloaded after the new
     * ones are in place.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} when the root has no such model directory
     */
    public synchronized void load(String name) {
        Path directory = modelDirectory(name);
        NavigableMap<Long, LoadedModel> versions = new TreeMap<>();
        for (Path versionDirectory : versionDirectories(directory)) {
            long version = Long.parseLong(versionDirectory.getFileName().toString());
            versions.put(version, loader.load(versionDirectory, name, version));
        }
        if (versions.isEmpty()) {
            LOG.warn("model {} has no version directories under {}", name, directory);
        }
        NavigableMap<Long, LoadedModel> previous = swap(name, Collections.unmodifiableNavigableMap(versions));
        unloadAll(previous);
    }

    /**
     * Stops serving every version of a model and releases its engines after in-flight requests finish.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} when the model is not known
     */
    public synchronized void unload(String name) {
        NavigableMap<Long, LoadedModel> versions = snapshot.get(name);
        if (versions == null) {
            throw SlipwayException.modelNotFound(name, null);
        }
        for (LoadedModel model : versions.values()) {
            model.unload(ModelState.UNAVAILABLE);
        }
    }

    private @Nullable NavigableMap<Long, LoadedModel> swap(String name, NavigableMap<Long, LoadedModel> versions) {
        Map<String, NavigableMap<Long, LoadedModel>> current = snapshot;
        Map<String, NavigableMap<Long, LoadedModel>> next = new TreeMap<>(current);
        next.put(name, versions);
        snapshot = Collections.unmodifiableMap(next);
        return current.get(name);
    }

    private static void unloadAll(@Nullable NavigableMap<Long, LoadedModel> versions) {
        if (versions != null) {
            for (LoadedModel model : versions.values()) {
                model.unload(ModelState.UNAVAILABLE);
            }
        }
    }

    /**
     * The version that serves a request: the requested one, or the highest READY version when none is requested.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} for an unknown model or version, {@code MODEL_NOT_READY} when
     *     the version (or every version) is not ready
     */
    public LoadedModel resolve(String name, @Nullable String version) {
        NavigableMap<Long, LoadedModel> versions = versions(name);
        if (version == null || version.isEmpty()) {
            for (LoadedModel model : versions.descendingMap().values()) {
                if (model.ready()) {
                    return model;
                }
            }
            throw new SlipwayException(
                    ErrorCode.MODEL_NOT_READY, "model '" + name + "' has no ready version" + reasons(versions));
        }
        LoadedModel model = find(name, version).orElseThrow(() -> SlipwayException.modelNotFound(name, version));
        if (!model.ready()) {
            throw model.notReady();
        }
        return model;
    }

    private static String reasons(NavigableMap<Long, LoadedModel> versions) {
        List<String> reasons = new ArrayList<>();
        for (LoadedModel model : versions.values()) {
            reasons.add("version " + model.version() + " " + model.state()
                    + (model.reason() == null ? "" : ": " + model.reason()));
        }
        return reasons.isEmpty() ? " (no versions)" : " (" + String.join("; ", reasons) + ")";
    }

    /** A version in any state, if known. Versions that are not positive decimal integers are never known. */
    public Optional<LoadedModel> find(String name, String version) {
        NavigableMap<Long, LoadedModel> versions = snapshot.get(name);
        if (versions == null || !version.matches("[1-9][0-9]{0,17}")) {
            return Optional.empty();
        }
        return Optional.ofNullable(versions.get(Long.parseLong(version)));
    }

    /**
     * Every version of a model, by version number.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} when the model is not known
     */
    public NavigableMap<Long, LoadedModel> versions(String name) {
        NavigableMap<Long, LoadedModel> versions = snapshot.get(name);
        if (versions == null) {
            throw SlipwayException.modelNotFound(name, null);
        }
        return versions;
    }

    /** Every known version of every model, ordered by name and version. */
    public List<LoadedModel> all() {
        List<LoadedModel> all = new ArrayList<>();
        for (NavigableMap<Long, LoadedModel> versions : snapshot.values()) {
            all.addAll(versions.values());
        }
        return all;
    }

    /** Whether every known model has at least one READY version (and at least one model is known). */
    public boolean allModelsServing() {
        Map<String, NavigableMap<Long, LoadedModel>> current = snapshot;
        return !current.isEmpty()
                && current.values().stream().allMatch(v -> v.values().stream().anyMatch(LoadedModel::ready));
    }

    private Path modelDirectory(String name) {
        if (!ManifestReader.MODEL_NAME.matcher(name).matches()) {
            throw SlipwayException.modelNotFound(name, null);
        }
        Path directory = root.resolve(name);
        if (!Files.isDirectory(directory)) {
            throw new SlipwayException(
                    ErrorCode.MODEL_NOT_FOUND, "model '" + name + "' has no directory in repository " + root);
        }
        return directory;
    }

    private List<String> modelNames() {
        if (!Files.isDirectory(root)) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "model repository '" + root + "' is not a directory");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> ManifestReader.MODEL_NAME.matcher(n).matches())
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "model repository '" + root + "' cannot be read", e);
        }
        return names;
    }

    private static List<Path> versionDirectories(Path modelDirectory) {
        try (Stream<Path> children = Files.list(modelDirectory)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().matches("[1-9][0-9]{0,17}"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID, "model directory '" + modelDirectory + "' cannot be read", e);
        }
    }

    @Override
    public synchronized void close() {
        for (NavigableMap<Long, LoadedModel> versions : snapshot.values()) {
            unloadAll(versions);
        }
        snapshot = Map.of();
    }
}
