package dev.slipway.monitoring;

import dev.slipway.api.InferenceRequest;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.api.manifest.FeatureSpec;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.api.manifest.TensorBinding;
import dev.slipway.drift.DriftMonitor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a tensor request and its response into drift rows, by the manifest: an input tensor named like one of the
 * manifest's {@code tensors} bindings ({@code [rows, columns]}) gives one feature per column; an input named like a
 * feature ({@code [rows]} or {@code [rows, 1]}) gives that feature; an output named like a monitored prediction gives
 * the prediction (first element per row). Values stay encoded (category codes, booleans 0/1), as the model saw them;
 * a feature no input carries is missing. Byte-string tensors (categories sent by name) go through {@link
 * DriftMonitor#observeRecord} instead. Stateless after construction and thread-safe.
 */
final class TensorRows {
    /** Why a tensor request gave no rows. */
    enum Skip {
        /** No input is a binding or a feature of the manifest, or an input's shape does not fit its binding. */
        UNMAPPED,
        /** The request had no rows. */
        EMPTY
    }

    private final List<String> columns;
    private final Map<String, int[]> bindings = new HashMap<>();
    private final Map<String, Integer> features = new HashMap<>();
    private final Map<String, Integer> predictions = new HashMap<>();

    TensorRows(ModelManifest manifest, List<String> columns) {
        this.columns = List.copyOf(columns);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        for (TensorBinding binding : manifest.tensors()) {
            int[] targets = new int[binding.columns().size()];
            for (int c = 0; c < targets.length; c++) {
                targets[c] = index.getOrDefault(binding.columns().get(c), -1);
            }
            bindings.put(binding.name(), targets);
        }
        for (FeatureSpec feature : manifest.features()) {
            Integer at = index.get(feature.name());
            if (at != null) {
                features.put(feature.name(), at);
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!features.containsKey(columns.get(i))) {
                predictions.put(columns.get(i), i);
            }
        }
    }

    /** Feeds the request's rows to the monitor; returns why it could not, or none when it did. */
    @Nullable
    Skip observe(InferenceRequest request, @Nullable InferenceResponse response, DriftMonitor monitor) {
        if (request.inputs().isEmpty()) {
            return Skip.EMPTY;
        }
        Tensor first = request.inputs().get(0);
        long rowCount = first.rank() == 0 ? 1 : first.dim(0);
        if (rowCount <= 0) {
            return Skip.EMPTY;
        }
        int rows = (int) rowCount;
        List<Source> sources = new ArrayList<>();
        boolean strings = false;
        for (Tensor input : request.inputs()) {
            int[] targets = bindings.get(input.name());
            if (targets != null) {
                if (input.rank() != 2
                        || input.dim(0) != rows
                        || input.dim(1) != targets.length
                        || input.data() instanceof TensorData.Strings) {
                    return Skip.UNMAPPED;
                }
                sources.add(new Source(input.data(), targets, targets.length));
                continue;
            }
            Integer target = features.get(input.name());
            if (target != null) {
                if (input.size() != rows) {
                    return Skip.UNMAPPED;
                }
                strings |= input.data() instanceof TensorData.Strings;
                sources.add(new Source(input.data(), new int[] {target}, 1));
            }
        }
        if (sources.isEmpty()) {
            return Skip.UNMAPPED;
        }
        if (response != null) {
            for (Tensor output : response.outputs()) {
                Integer target = predictions.get(output.name());
                if (target != null && output.size() >= rows && output.size() % rows == 0) {
                    strings |= output.data() instanceof TensorData.Strings;
                    sources.add(new Source(output.data(), new int[] {target}, output.size() / rows));
                }
            }
        }
        double[] row = new double[columns.size()];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(row, Double.NaN);
            for (Source source : sources) {
                source.fill(r, row);
            }
            if (!strings) {
                monitor.observe(row);
                continue;
            }
            Map<String, @Nullable Object> record = new HashMap<>();
            for (int c = 0; c < row.length; c++) {
                record.put(columns.get(c), Double.isNaN(row[c]) ? null : row[c]);
            }
            for (Source source : sources) {
                if (source.data() instanceof TensorData.Strings text) {
                    record.put(columns.get(source.targets()[0]), text.text(r * source.stride()));
                }
            }
            monitor.observeRecord(record);
        }
        return null;
    }

    /**
     * Where a tensor's values go: element {@code row * stride + c} to column {@code targets[c]} (-1: not monitored).
     */
    private record Source(TensorData data, int[] targets, int stride) {
        void fill(int row, double[] values) {
            int base = row * stride;
            for (int c = 0; c < targets.length; c++) {
                if (targets[c] >= 0) {
                    values[targets[c]] = data.asDouble(base + c);
                }
            }
        }
    }
}
