package dev.slipway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny model fixtures shipped in this module (see {@code fixtures/README.md}), copied out to files because engines
 * load paths, plus a reader for their expected-value CSV files.
 */
public final class Fixtures {
    private static final String ROOT = "/dev/slipway/testing/fixtures/";

    private Fixtures() {}

    /** Copies fixture {@code name} into {@code directory} and returns its path. */
    public static Path copy(String name, Path directory) {
        try (InputStream in = Fixtures.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture named '" + name + "'");
            }
            Path target = directory.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a model version directory from fixtures: {@code manifest} as {@code model.yaml}, and a copy of each of
     * {@code files} (the artifact and golden file the manifest names) under its own name.
     *
     * @return {@code directory}, created if absent
     */
    public static Path modelVersion(Path directory, String manifest, String... files) {
        try {
            Files.createDirectories(directory);
            Files.move(copy(manifest, directory), directory.resolve("model.yaml"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String file : files) {
            copy(file, directory);
        }
        return directory;
    }

    /**
     * Reads a fixture CSV of numbers: header row, then one row of values per line; an empty cell is {@code NaN}.
     *
     * @return the rows, each an array of the values in header order
     */
    public static List<double[]> csv(String name) {
        String[] lines = lines(name);
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            double[] row = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                row[c] = number(cells[c]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** A cell as a number: blank and text cells (class labels, see {@link #csvColumn}) are {@code NaN}. */
    private static double number(String cell) {
        try {
            return cell.isBlank() ? Double.NaN : Double.parseDouble(cell.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** One column of a fixture CSV file as text, row by row. */
    public static List<String> csvColumn(String name, String column) {
        String[] lines = lines(name);
        int index = java.util.Arrays.asList(lines[0].split(",", -1)).indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("fixture '" + name + "' has no column '" + column + "'");
        }
        List<String> cells = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            cells.add(lines[i].split(",", -1)[index].strip());
        }
        return cells;
    }

    /** The lines of a fixture text file, header first. */
    private static String[] lines(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture named '" + name + "'");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Columns {@code from} (inclusive) to {@code to} (exclusive) of every row, flattened row-major as floats. */
    public static float[] floats(List<double[]> rows, int from, int to) {
        float[] out = new float[rows.size() * (to - from)];
        int i = 0;
        for (double[] row : rows) {
            for (int c = from; c < to; c++) {
                out[i++] = (float) row[c];
            }
        }
        return out;
    }

    /** Columns {@code from} (inclusive) to {@code to} (exclusive) of every row, flattened row-major. */
    public static double[] doubles(List<double[]> rows, int from, int to) {
        double[] out = new double[rows.size() * (to - from)];
        int i = 0;
        for (double[] row : rows) {
            for (int c = from; c < to; c++) {
                out[i++] = row[c];
            }
        }
        return out;
    }
}
