package dev.slipway.bench;

import dev.slipway.api.Tensor;
import dev.slipway.api.manifest.ModelManifest;
import dev.slipway.contract.DataContract;
import dev.slipway.inference.Engines;
import dev.slipway.manifest.ManifestReader;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import java.nio.file.Path;
import java.util.List;

/** The sample's stall detector loaded for benchmarks, and inputs of any batch size. */
final class SampleModel {
    /** One sample row of the stall detector's ten features, in column order. */
    static final float[] ROW = {0f, 240f, 2f, 180f, 95f, 0f, 14f, 6f, 1f, 0f};

    final ModelManifest manifest;
    final ModelInstance instance;
    final DataContract contract;

    SampleModel(int version) {
        Path directory = Path.of(System.getProperty("slipway.models", "examples/whatsup-logistics/models"))
                .resolve("stall-detector")
                .resolve(Integer.toString(version));
        manifest = ManifestReader.read(directory);
        instance = Engines.discover().forFormat(manifest.format())
                .load(ModelArtifact.of(directory.resolve(manifest.artifact().file())));
        contract = DataContract.bind(manifest, instance.signature());
    }

    static List<Tensor> inputs(int rows) {
        float[] values = new float[rows * ROW.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ROW, 0, values, r * ROW.length, ROW.length);
            values[r * ROW.length] = r % 160;
        }
        return List.of(Tensor.ofFloats("input", new long[] {rows, ROW.length}, values));
    }
}
