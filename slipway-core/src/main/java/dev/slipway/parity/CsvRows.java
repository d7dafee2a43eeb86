package dev.slipway.parity;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Rows of a CSV file with a header, as records of typed cells: an empty cell is {@code null}, {@code true}/{@code
 * false} a boolean, a number a {@code Double}, anything else a string. Golden examples, reference samples and
 * prediction input files use this form.
 *
 * @param header the column names
 * @param rows one map of column name to value per row, in file order
 */
public record CsvRows(List<String> header, List<Map<String, @Nullable Object>> rows) {
    /** The most rows read from one file, so a wrong path cannot exhaust memory. */
    public static final int MAX_ROWS = 1_000_000;

    /** Reads a CSV file. */
    public static CsvRows read(Path file) {
        CSVFormat format = CSVFormat.DEFAULT
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true)
                .setTrim(true)
                .get();
        try (Reader reader = Files.newBufferedReader(file);
                CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = parser.getHeaderNames();
            List<Map<String, @Nullable Object>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (rows.size() == MAX_ROWS) {
                    throw new SlipwayException(
                            ErrorCode.INVALID_INPUT, "file '" + file + "' has more than " + MAX_ROWS + " rows");
                }
                if (record.size() != header.size()) {
                    throw new SlipwayException(
                            ErrorCode.INVALID_INPUT,
                            "file '" + file + "' line " + parser.getCurrentLineNumber() + ": " + record.size()
                                    + " cells (expected: " + header.size() + ", as in the header)");
                }
                Map<String, @Nullable Object> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), cell(record.get(i)));
                }
                rows.add(row);
            }
            return new CsvRows(header, rows);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new SlipwayException(
                    ErrorCode.INVALID_INPUT, "file '" + file + "' is not a readable CSV file: " + e.getMessage(), e);
        }
    }

    static @Nullable Object cell(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        char first = text.charAt(0);
        if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.') {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return text;
    }

    /** The rows keeping only the given columns. */
    public List<Map<String, @Nullable Object>> select(List<String> columns) {
        List<Map<String, @Nullable Object>> out = new ArrayList<>(rows.size());
        for (Map<String, @Nullable Object> row : rows) {
            Map<String, @Nullable Object> selected = new LinkedHashMap<>();
            for (String column : columns) {
                if (row.containsKey(column)) {
                    selected.put(column, row.get(column));
                }
            }
            out.add(selected);
        }
        return out;
    }
}
