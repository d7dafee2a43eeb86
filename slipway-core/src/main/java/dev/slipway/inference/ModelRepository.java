package dev.slipway.inference;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model versions this process serves, as its {@link ModelSource} says. Readers see an immutable snapshot and never
 * lock. {@link #sync} loads (and warms) what is new before swapping it in, then drains and unloads what is gone, so a
 * version change never fails a request; a version that fails to load never replaces the one serving.
 */
public final class ModelRepository implements AutoCloseable {
    /** A version as clients write it: a positive decimal integer that fits a long. */
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("[1-9][0-9]{0,17}");

    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

    /** One model's versions, and the version requests without a version go to. */
    private record Entry(NavigableMap<Long, LoadedModel> versions, @Nullable Long defaultVersion) {}

    private final ModelSource source;
    private final ModelLoader loader;
    private final Set<String> unloaded = new HashSet<>();
    private volatile Map<String, Entry> snapshot = Map.of();

    /** A repository over a source; nothing is loaded until {@link #sync}. */
    public ModelRepository(ModelSource source, ModelLoader loader) {
        this.source = source;
        this.loader = loader;
    }

    /** A repository over a folder of {@code <name>/<version>/} directories. */
    public ModelRepository(Path root, ModelLoader loader) {
        this(new FolderSource(root), loader);
    }

    /** Where models come from, for humans. */
    public String describe() {
        return source.describe();
    }

    /** Loads every model the source names; the same as {@link #sync}. */
    public void loadAll() {
        sync();
    }

    /**
     * Brings the served versions in line with the source: loads new versions (checked and warmed up) before they
     * take traffic, swaps the snapshot, then unloads versions no longer wanted after their in-flight requests finish.
     * Models unloaded by hand stay unloaded until {@link #load}.
     */
    public synchronized void sync() {
        Map<String, ModelSource.Desired> desired = source.desired();
        Map<String, Entry> current = snapshot;
        Map<String, Entry> next = new TreeMap<>();
        for (Map.Entry<String, ModelSource.Desired> model : desired.entrySet()) {
            String name = model.getKey();
            Entry entry = current.get(name);
            next.put(
                    name,
                    unloaded.contains(name) && entry != null ? entry : plan(name, model.getValue(), entry, false));
        }
        swapAndRetire(current, next);
    }

    /**
     * (Re)loads every version of one model from its source, even those already loaded; the versions they replace are
     * unloaded once in-flight requests finish.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} when the source has no such model
     */
    public synchronized void load(String name) {
        ModelSource.Desired wanted = source.desired().get(name);
        if (wanted == null) {
            throw SlipwayException.modelNotFound(name, null);
        }
        unloaded.remove(name);
        Map<String, Entry> current = snapshot;
        Map<String, Entry> next = new TreeMap<>(current);
        next.put(name, plan(name, wanted, current.get(name), true));
        swapAndRetire(current, next);
    }

    /**
     * Stops serving every version of a model and releases its engines after in-flight requests finish; it stays
     * known (UNAVAILABLE) until {@link #load}.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} when the model is not known
     */
    public synchronized void unload(String name) {
        Entry entry = snapshot.get(name);
        if (entry == null) {
            throw SlipwayException.modelNotFound(name, null);
        }
        unloaded.add(name);
        for (LoadedModel model : entry.versions().values()) {
            model.unload(ModelState.UNAVAILABLE);
        }
    }

    /** The versions one model should have next: kept, loaded, and the default chosen among the ready ones. */
    private Entry plan(String name, ModelSource.Desired wanted, @Nullable Entry current, boolean reload) {
        NavigableMap<Long, LoadedModel> versions = new TreeMap<>();
        for (long version : wanted.versions()) {
            LoadedModel existing = current == null ? null : current.versions().get(version);
            boolean keep = existing != null
                    && !reload
                    && (existing.state() == ModelState.READY || existing.state() == ModelState.FAILED);
            versions.put(version, keep ? existing : loadVersion(name, version));
        }
        Long defaultVersion = wanted.defaultVersion();
        LoadedModel chosen = defaultVersion == null ? null : versions.get(defaultVersion);
        if (defaultVersion != null && (chosen == null || !chosen.ready())) {
            Long previous = current == null ? null : current.defaultVersion();
            LoadedModel serving = previous == null || current == null
                    ? null
                    : current.versions().get(previous);
            if (serving != null && serving.ready()) {
                LOG.warn("model {}: version {} is not ready; version {} keeps serving", name, defaultVersion, previous);
                versions.putIfAbsent(previous, serving);
                defaultVersion = previous;
            }
        }
        return new Entry(Collections.unmodifiableNavigableMap(versions), defaultVersion);
    }

    private LoadedModel loadVersion(String name, long version) {
        Path directory;
        try {
            directory = source.directory(name, version);
        } catch (SlipwayException e) {
            LOG.error("model {}:{} FAILED and will not serve: {}", name, version, e.getMessage());
            return loader.refused(name, version, e.getMessage());
        }
        return loader.load(directory, name, version, source.strictVersions());
    }

    private void swapAndRetire(Map<String, Entry> current, Map<String, Entry> next) {
        snapshot = Collections.unmodifiableMap(next);
        Set<LoadedModel> kept = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Entry entry : next.values()) {
            kept.addAll(entry.versions().values());
        }
        for (Entry entry : current.values()) {
            for (LoadedModel model : entry.versions().values()) {
                if (!kept.contains(model)) {
                    model.unload(ModelState.UNAVAILABLE);
                }
            }
        }
    }

    /**
     * The version that serves a request: the requested one, or the model's default (its {@code production} version
     * in a registry), or else the highest READY version.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} for an unknown model or version, {@code MODEL_NOT_READY} when
     *     the version (or every version) is not ready
     */
    public LoadedModel resolve(String name, @Nullable String version) {
        Entry entry = entry(name);
        if (version == null || version.isEmpty()) {
            if (entry.defaultVersion() != null) {
                LoadedModel chosen = entry.versions().get(entry.defaultVersion());
                if (chosen != null && chosen.ready()) {
                    return chosen;
                }
            }
            for (LoadedModel model : entry.versions().descendingMap().values()) {
                if (model.ready()) {
                    return model;
                }
            }
            throw new SlipwayException(
                    ErrorCode.MODEL_NOT_READY, "model '" + name + "' has no ready version" + reasons(entry.versions()));
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

    /** Whether the model is known (in any state). */
    public boolean contains(String name) {
        return snapshot.containsKey(name);
    }

    /** A version in any state, if known. Versions that are not positive decimal integers are never known. */
    public Optional<LoadedModel> find(String name, String version) {
        Entry entry = snapshot.get(name);
        if (entry == null || !VERSION.matcher(version).matches()) {
            return Optional.empty();
        }
        return Optional.ofNullable(entry.versions().get(Long.parseLong(version)));
    }

    /**
     * Every version of a model, by version number.
     *
     * @throws SlipwayException {@code MODEL_NOT_FOUND} when the model is not known
     */
    public NavigableMap<Long, LoadedModel> versions(String name) {
        return entry(name).versions();
    }

    /** The version requests without a version go to, when the source names one. */
    public Optional<Long> defaultVersion(String name) {
        return Optional.ofNullable(entry(name).defaultVersion());
    }

    private Entry entry(String name) {
        Entry entry = snapshot.get(name);
        if (entry == null) {
            throw SlipwayException.modelNotFound(name, null);
        }
        return entry;
    }

    /** Every known version of every model, ordered by name and version. */
    public List<LoadedModel> all() {
        List<LoadedModel> all = new ArrayList<>();
        for (Entry entry : snapshot.values()) {
            all.addAll(entry.versions().values());
        }
        return all;
    }

    /** Whether every known model has at least one READY version (and at least one model is known). */
    public boolean allModelsServing() {
        Map<String, Entry> current = snapshot;
        return !current.isEmpty()
                && current.values().stream()
                        .allMatch(e -> e.versions().values().stream().anyMatch(LoadedModel::ready));
    }

    @Override
    public synchronized void close() {
        for (Entry entry : snapshot.values()) {
            for (LoadedModel model : entry.versions().values()) {
                model.unload(ModelState.UNAVAILABLE);
            }
        }
        snapshot = Map.of();
    }
}
