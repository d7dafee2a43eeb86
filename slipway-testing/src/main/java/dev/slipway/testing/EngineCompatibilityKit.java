package dev.slipway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.spi.Engine;
import dev.slipway.spi.ModelArtifact;
import dev.slipway.spi.ModelInstance;
import dev.slipway.spi.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every engine meets, as tests. An engine's test extends this class and supplies the engine, a fixture
 * model and answers known from the library that made it; the kit then checks loading and unloading, signature,
 * known answers, batch equivalence, the error codes of bad input and concurrent calls.
 */
public abstract class EngineCompatibilityKit {
    @TempDir
    protected Path directory;

    private ModelInstance instance;

    /** The engine under test, created directly (the kit separately checks it is found by ServiceLoader). */
    protected abstract Engine engine();

    /** Copies the engine's main fixture model into {@code directory} and returns its path. */
    protected abstract Path fixture(Path directory);

    /** Inputs with known outputs for the main fixture model. */
    protected abstract KnownAnswers knownAnswers();

    /**
     * Further models covering every input datatype the engine supports, each with known answers; empty when the main
     * fixture covers them all.
     */
    protected List<DatatypeCase> datatypeCases() {
        return List.of();
    }

    /**
     * The largest difference accepted between a row's outputs in a batch and the same row alone: 0 (bit for bit)
     * unless the engine's kernels legitimately round differently by batch size, which a subclass states here with the
     * reason.
     */
    protected double batchTolerance() {
        return 0;
    }

    /**
     * A fixture model and known answers for one datatype.
     *
     * @param fixture copies the model into a directory and returns its path
     * @param datatype the datatype this case proves
     * @param answers inputs and expected outputs
     */
    public record DatatypeCase(
            java.util.function.Function<Path, Path> fixture, DataType datatype, KnownAnswers answers) {}

    @BeforeEach
    void loadFixture() {
        instance = engine().load(ModelArtifact.of(fixture(directory)));
    }

    @AfterEach
    void closeInstance() {
        instance.close();
    }

    /** The model loaded from {@link #fixture} for this test. */
    protected ModelInstance instance() {
        return instance;
    }

    @Test
    @DisplayName("the engine is found through ServiceLoader under its format name")
    void discoverableByServiceLoader() {
        List<String> formats = new ArrayList<>();
        for (Engine engine : ServiceLoader.load(Engine.class)) {
            formats.add(engine.format());
        }
        assertThat(formats).contains(engine().format());
        assertThat(engine().format()).matches("[a-z0-9-]+");
    }

    @Test
    @DisplayName("the signature names typed inputs and outputs with a variable batch dimension")
    void signatureDescribesTensors() {
        assertThat(instance.signature().inputs()).isNotEmpty();
        assertThat(instance.signature().outputs()).isNotEmpty();
        for (TensorSpec spec : instance.signature().inputs()) {
            assertThat(spec.name()).isNotBlank();
            assertThat(spec.shape()).isNotEmpty();
            assertThat(spec.shape().get(0))
                    .as("batch dimension of %s", spec.name())
                    .isEqualTo(-1L);
        }
    }

    @Test
    @DisplayName("outputs match the answers of the library that made the model")
    void knownAnswersMatch() {
        KnownAnswers answers = knownAnswers();
        double[] actual = values(run(instance, answers.inputs()), answers.output());
        assertThat(actual).hasSize(answers.expected().length);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(answers.expected()[i], within(answers.tolerance()));
        }
    }

    @Test
    @DisplayName("every supported datatype goes in and comes out with its values intact")
    void supportedDatatypesRoundTrip() {
        for (DatatypeCase datatypeCase : datatypeCases()) {
            try (ModelInstance model =
                    engine().load(ModelArtifact.of(datatypeCase.fixture().apply(directory)))) {
                KnownAnswers answers = datatypeCase.answers();
                List<Tensor> outputs = run(model, answers.inputs());
                Tensor output = outputs.stream()
                        .filter(t -> t.name().equals(answers.output()))
                        .findFirst()
                        .orElseThrow();
                assertThat(output.datatype())
                        .as("datatype of %s", answers.output())
                        .isEqualTo(datatypeCase.datatype());
                assertThat(values(outputs, answers.output()))
                        .as("values of %s", answers.output())
                        .containsExactly(answers.expected(), within(answers.tolerance()));
            }
        }
    }

    @Test
    @DisplayName("a batch gives the same outputs as its rows one by one")
    void batchEqualsRowByRow() {
        KnownAnswers answers = knownAnswers();
        double[] batch = values(run(instance, answers.inputs()), answers.output());
        int rows = (int) answers.inputs().get(0).dim(0);
        int width = batch.length / rows;
        for (int row = 0; row < rows; row++) {
            double[] single = values(run(instance, slice(answers.inputs(), row)), answers.output());
            for (int c = 0; c < width; c++) {
                assertThat(single[c])
                        .as("row %d column %d", row, c)
                        .isCloseTo(batch[row * width + c], within(batchTolerance()));
            }
        }
    }

    @Test
    @DisplayName("every output has the batch as its first dimension and the declared datatype")
    void outputsFollowSignature() {
        List<Tensor> inputs = knownAnswers().inputs();
        List<Tensor> outputs = run(instance, inputs);
        assertThat(outputs).hasSameSizeAs(instance.signature().outputs());
        for (int i = 0; i < outputs.size(); i++) {
            TensorSpec spec = instance.signature().outputs().get(i);
            assertThat(outputs.get(i).name()).isEqualTo(spec.name());
            assertThat(outputs.get(i).datatype()).isEqualTo(spec.datatype());
            assertThat(outputs.get(i).dim(0)).isEqualTo(inputs.get(0).dim(0));
        }
    }

    @Test
    @DisplayName("a wrong input datatype is INVALID_INPUT")
    void wrongDatatypeIsInvalidInput() {
        List<Tensor> inputs = new ArrayList<>(knownAnswers().inputs());
        Tensor first = inputs.get(0);
        DataType other = first.datatype() == DataType.BYTES ? DataType.FP32 : DataType.BYTES;
        byte[][] strings = new byte[first.size()][];
        float[] floats = new float[first.size()];
        java.util.Arrays.fill(strings, "x".getBytes(StandardCharsets.UTF_8));
        TensorData data = other == DataType.BYTES ? new TensorData.Strings(strings) : new TensorData.Floats(floats);
        inputs.set(0, Tensor.of(first.name(), other, first.shape(), data));
        assertThatThrownBy(() -> instance.infer(inputs))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
    }

    @Test
    @DisplayName("a wrong number of columns is INVALID_INPUT")
    void wrongShapeIsInvalidInput() {
        List<Tensor> inputs = new ArrayList<>(knownAnswers().inputs());
        Tensor first = inputs.get(0);
        long rows = first.dim(0);
        long columns = first.rank() > 1 ? first.dim(1) + 1 : 2;
        inputs.set(0, widened(first, rows, columns));
        assertThatThrownBy(() -> instance.infer(inputs))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
    }

    @Test
    @DisplayName("a missing input is INVALID_INPUT")
    void missingInputIsInvalidInput() {
        assertThatThrownBy(() -> instance.infer(List.of()))
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT));
    }

    @Test
    @DisplayName("a file that is not a model is refused with CONFIG_INVALID, never a crash")
    void garbageArtifactIsRefused() throws Exception {
        Path garbage = directory.resolve("garbage.bin");
        Files.write(garbage, "this is not a model\u0000\u0001\u0002".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> engine().load(ModelArtifact.of(garbage)).close())
                .isInstanceOfSatisfying(
                        SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    @Test
    @DisplayName("a model can be unloaded and loaded again, and two loads are independent")
    void loadUnloadLoad() {
        KnownAnswers answers = knownAnswers();
        double[] before = values(run(instance, answers.inputs()), answers.output());
        ModelInstance second = engine().load(ModelArtifact.of(fixture(directory)));
        instance.close();
        instance = engine().load(ModelArtifact.of(fixture(directory)));
        assertThat(values(run(second, answers.inputs()), answers.output())).containsExactly(before);
        second.close();
        assertThat(values(run(instance, answers.inputs()), answers.output())).containsExactly(before);
    }

    @Test
    @DisplayName("concurrent calls give the same answers as sequential ones")
    void concurrentCallsAgree() throws Exception {
        KnownAnswers answers = knownAnswers();
        double[] expected = values(run(instance, answers.inputs()), answers.output());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                futures.add(pool.submit(() -> values(run(instance, answers.inputs()), answers.output())));
            }
            for (Future<double[]> future : futures) {
                assertThat(future.get(30, TimeUnit.SECONDS)).containsExactly(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs the model and checks the result is one tensor per signature output. */
    protected static List<Tensor> run(ModelInstance model, List<Tensor> inputs) {
        List<Tensor> outputs = model.infer(inputs);
        assertThat(outputs).hasSameSizeAs(model.signature().outputs());
        return outputs;
    }

    /** The values of the named output as doubles. */
    protected static double[] values(List<Tensor> outputs, String name) {
        Tensor output = outputs.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no output named " + name + " in " + outputs));
        double[] out = new double[output.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = output.data().asDouble(i);
        }
        return out;
    }

    /** Row {@code row} of every input, keeping the rank. */
    protected static List<Tensor> slice(List<Tensor> inputs, int row) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor input : inputs) {
            int width = (int) (input.size() / input.dim(0));
            long[] shape = input.shape();
            shape[0] = 1;
            out.add(Tensor.of(input.name(), input.datatype(), shape, sliceData(input.data(), row * width, width)));
        }
        return out;
    }

    private static TensorData sliceData(TensorData data, int from, int length) {
        if (data instanceof TensorData.Floats f) {
            return new TensorData.Floats(java.util.Arrays.copyOfRange(f.values(), from, from + length));
        }
        if (data instanceof TensorData.Doubles d) {
            return new TensorData.Doubles(java.util.Arrays.copyOfRange(d.values(), from, from + length));
        }
        if (data instanceof TensorData.Ints i) {
            return new TensorData.Ints(java.util.Arrays.copyOfRange(i.values(), from, from + length));
        }
        if (data instanceof TensorData.Longs l) {
            return new TensorData.Longs(java.util.Arrays.copyOfRange(l.values(), from, from + length));
        }
        if (data instanceof TensorData.Bools b) {
            return new TensorData.Bools(java.util.Arrays.copyOfRange(b.values(), from, from + length));
        }
        if (data instanceof TensorData.Strings s) {
            return new TensorData.Strings(java.util.Arrays.copyOfRange(s.values(), from, from + length));
        }
        throw new IllegalArgumentException("cannot slice " + data.carrier());
    }

    private static Tensor widened(Tensor tensor, long rows, long columns) {
        int size = (int) (rows * columns);
        TensorData data =
                switch (tensor.datatype().carrier()) {
                    case FLOAT -> new TensorData.Floats(new float[size]);
                    case DOUBLE -> new TensorData.Doubles(new double[size]);
                    case INT -> new TensorData.Ints(new int[size]);
                    case LONG -> new TensorData.Longs(new long[size]);
                    case BOOL -> new TensorData.Bools(new boolean[size]);
                    default -> throw new IllegalArgumentException("cannot widen " + tensor.datatype());
                };
        return Tensor.of(tensor.name(), tensor.datatype(), new long[] {rows, columns}, data);
    }
}
