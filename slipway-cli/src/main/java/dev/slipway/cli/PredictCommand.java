package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.config.EnginesConfig;
import dev.slipway.inference.Engines;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelLoader;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.parity.CsvRows;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code slipway predict}: scores a file of rows in-process, through the same contract and engine as the server. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Scores rows from a CSV file (header = feature names) or a JSON file ({\"instances\": [...]}, an array of",
            "records, or one record per line) with a model version directory, and prints one line per row."
        })
final class PredictCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    @SuppressWarnings("NullAway.Init")
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_DIR", description = "model version directory holding model.yaml")
    @SuppressWarnings("NullAway.Init")
    Path directory;

    @Option(
            names = {"-i", "--input"},
            required = true,
            paramLabel = "FILE",
            description = "rows to score: .csv or .json/.jsonl")
    @SuppressWarnings("NullAway.Init")
    Path input;

    @Option(names = "--json", description = "print {\"predictions\": [...]} instead of a table")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ModelManifest manifest = ManifestReader.read(directory);
        ModelLoader loader =
                new ModelLoader(Engines.discover(), EnginesConfig.defaults().options(), Clock.systemUTC());
        LoadedModel model = loader.load(directory, manifest.name(), manifest.version());
        try {
            if (!model.ready()) {
                throw model.notReady();
            }
            List<Map<String, @Nullable Object>> rows = readRows(input, manifest);
            RecordsResponse response = model.call((contract, engine) -> new RecordsResponse(
                    model.name(),
                    model.versionString(),
                    dev.slipway.contract.DataContract.toRecords(
                            contract.serve(
                                    engine.infer(contract.bindRecords(rows).inputs()), List.of()),
                            rows.size())));
            print(spec.commandLine().getOut(), response);
            return ExitCodes.OK;
        } finally {
            model.close();
        }
    }

    static List<Map<String, @Nullable Object>> readRows(Path file, ModelManifest manifest) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new SlipwayException(ErrorCode.MODEL_NOT_FOUND, "input '" + file + "' does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".csv")) {
            List<String> features =
                    manifest.features().stream().map(f -> f.name()).toList();
            CsvRows csv = CsvRows.read(file);
            List<String> unknown =
                    csv.header().stream().filter(h -> !features.contains(h)).toList();
            if (!unknown.isEmpty()) {
                System.err.println("note: ignoring columns that are not features: " + unknown);
            }
            return csv.select(features);
        }
        return jsonRows(file);
    }

    private static List<Map<String, @Nullable Object>> jsonRows(Path file) throws IOException {
        String text = Files.readString(file).strip();
        List<JsonNode> records = new ArrayList<>();
        try {
            JsonNode whole = wholeDocument(text);
            if (whole == null) {
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        records.add(JSON.readTree(line));
                    }
                }
            } else if (whole.isObject() && whole.has("instances")) {
                whole.get("instances").forEach(records::add);
            } else if (whole.isArray()) {
                whole.forEach(records::add);
            } else {
                records.add(whole);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw SlipwayException.invalidInput("input '%s' is not valid JSON: %s", file, e.getOriginalMessage());
        }
        List<Map<String, @Nullable Object>> rows = new ArrayList<>();
        for (JsonNode record : records) {
            if (!record.isObject()) {
                throw SlipwayException.invalidInput("input '%s': %s (expected: records as JSON objects)", file, record);
            }
            Map<String, @Nullable Object> row = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                row.put(
                        field.getKey(),
                        value.isNull()
                                ? null
                                : value.isBoolean()
                                        ? value.asBoolean()
                                        : value.isNumber()
                                                ? value.numberValue()
                                                : value.isTextual() ? value.asText() : List.of());
            }
            rows.add(row);
        }
        return rows;
    }

    private void print(PrintWriter out, RecordsResponse response) throws IOException {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("predictions", response.predictions());
            body.put("model_name", response.model());
            body.put("model_version", response.version());
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
            return;
        }
        List<Map<String, Object>> predictions = response.predictions();
        if (predictions.isEmpty()) {
            return;
        }
        List<String> columns = new ArrayList<>(predictions.get(0).keySet());
        StringBuilder header = new StringBuilder(String.format("%5s", "row"));
        for (String column : columns) {
            header.append(String.format("  %20s", column));
        }
        out.println(header);
        for (int i = 0; i < predictions.size(); i++) {
            StringBuilder line = new StringBuilder(String.format("%5d", i));
            for (String column : columns) {
                line.append(String.format("  %20s", predictions.get(i).get(column)));
            }
            out.println(line);
        }
        out.printf("%d rows scored by %s version %s%n", predictions.size(), response.model(), response.version());
    }

    /** The text as one JSON document, or {@code null} when it is several (JSON lines). */
    private static @Nullable JsonNode wholeDocument(String text) throws IOException {
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.createParser(text)) {
            JsonNode node = JSON.readTree(parser);
            return parser.nextToken() == null ? node : null;
        }
    }
}
