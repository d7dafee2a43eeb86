package dev.slipway.inference;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.manifest.ManifestReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Models from a folder laid out as {@code <root>/<name>/<version>/model.yaml}; every version found is served. */
public final class FolderSource implements ModelSource {
    private static final String VERSION = "[1-9][0-9]{0,17}";

    private final Path root;

    /** A source over {@code root}. */
    public FolderSource(Path root) {
        this.root = root;
    }

    @Override
    public Map<String, Desired> desired() {
        if (!Files.isDirectory(root)) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "model repository '" + root + "' is not a directory");
        }
        Map<String, Desired> desired = new TreeMap<>();
        for (Path model : children(root)) {
            String name = model.getFileName().toString();
            if (!ManifestReader.MODEL_NAME.matcher(name).matches()) {
                continue;
            }
            List<Long> versions = new ArrayList<>();
            for (Path version : children(model)) {
                if (version.getFileName().toString().matches(VERSION)) {
                    versions.add(Long.parseLong(version.getFileName().toString()));
                }
            }
            desired.put(name, new Desired(versions, null));
        }
        return desired;
    }

    @Override
    public Path directory(String name, long version) {
        return root.resolve(name).resolve(Long.toString(version));
    }

    @Override
    public boolean strictVersions() {
        return true;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    private static List<Path> children(Path directory) {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "directory '" + directory + "' cannot be read", e);
        }
    }
}
