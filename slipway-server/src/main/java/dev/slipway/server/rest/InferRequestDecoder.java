package dev.slipway.server.rest;

import static dev.slipway.server.rest.JsonInput.describe;
import static dev.slipway.server.rest.JsonInput.expect;
import static dev.slipway.server.rest.JsonInput.next;
import static dev.slipway.server.rest.JsonInput.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.slipway.api.DataType;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.InferenceRequest;
import dev.slipway.api.RequestedOutput;
import dev.slipway.api.SlipwayException;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.inference.Limits;
import dev.slipway.server.RawTensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes an Open Inference Protocol v2 inference request body with Jackson's streaming parser, straight into typed
 * arrays. Element counts are bounded by the limits before anything is allocated; every mistake is {@code
 * INVALID_INPUT} naming the JSON path, the bad value and the expectation.
 */
final class InferRequestDecoder {
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private final Limits limits;

    InferRequestDecoder(Limits limits) {
        this.limits = limits;
    }

    /** Decodes a JSON body. */
    InferenceRequest decode(InputStream body, String model, @Nullable String version) {
        return decode(body, Integer.MAX_VALUE, null, model, version);
    }

    /**
     * Decodes a body: the JSON object, and for the binary tensor extension the binary tail holding, in input order,
     * the bytes of every input whose parameters give {@code binary_data_size}.
     *
     * @param jsonBytes the JSON part's length, bounding how many elements its data can hold
     */
    InferenceRequest decode(
            InputStream body, int jsonBytes, @Nullable ByteBuffer tail, String model, @Nullable String version) {
        Reading reading = new Reading(jsonBytes, tail);
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw SlipwayException.invalidInput(
                        "body: %s (expected: a JSON object)", first == null ? "empty" : describe(parser, first));
            }
            String id = null;
            List<Tensor> inputs = null;
            List<RequestedOutput> outputs = List.of();
            Map<String, Object> parameters = Map.of();
            while (next(parser) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                switch (field) {
                    case "id" -> id = text(parser, "id");
                    case "inputs" -> inputs = reading.inputs(parser);
                    case "outputs" -> outputs = outputs(parser);
                    case "parameters" -> parameters = parameters(parser, "parameters");
                    default -> skip(parser);
                }
            }
            if (parser.nextToken() != null) {
                throw SlipwayException.invalidInput("body: content after the JSON object (expected: one object)");
            }
            if (inputs == null || inputs.isEmpty()) {
                throw SlipwayException.invalidInput(
                        "inputs: %s (expected: a non-empty array of input tensors)",
                        inputs == null ? "missing" : "empty");
            }
            reading.finish();
            return new InferenceRequest(model, version, id, inputs, outputs, parameters);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw SlipwayException.invalidInput("body: not valid JSON: %s", e.getOriginalMessage());
        } catch (IOException e) {
            throw SlipwayException.invalidInput("body: cannot be read: %s", e.getMessage());
        }
    }

    private static void skip(JsonParser parser) throws IOException {
        next(parser);
        parser.skipChildren();
    }

    /** One request's reading state: the element bound of its JSON part and its binary tail. */
    private final class Reading {
        private final int maxJsonElements;
        private final @Nullable ByteBuffer tail;

        Reading(int jsonBytes, @Nullable ByteBuffer tail) {
            this.maxJsonElements = jsonBytes / 2 + 1;
            this.tail = tail;
        }

        List<Tensor> inputs(JsonParser parser) throws IOException {
            expect(parser, JsonToken.START_ARRAY, "inputs", "an array of input tensors");
            List<Tensor> inputs = new ArrayList<>();
            while (next(parser) != JsonToken.END_ARRAY) {
                String path = "inputs[" + inputs.size() + "]";
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw SlipwayException.invalidInput(
                            "%s: %s (expected: an input tensor object)", path, describe(parser, parser.currentToken()));
                }
                inputs.add(input(parser, path));
            }
            return inputs;
        }

        private Tensor input(JsonParser parser, String path) throws IOException {
            String name = null;
            String datatypeText = null;
            long[] shape = null;
            TensorData data = null;
            Object deferred = null;
            Object binarySize = null;
            while (next(parser) == JsonToken.FIELD_NAME) {
                switch (parser.currentName()) {
                    case "name" -> name = text(parser, path + ".name");
                    case "datatype" -> datatypeText = text(parser, path + ".datatype");
                    case "shape" -> shape = shape(parser, path + ".shape");
                    case "parameters" -> binarySize =
                            parameters(parser, path + ".parameters").get("binary_data_size");
                    case "data" -> {
                        DataType type = datatypeText == null ? null : datatype(datatypeText, path);
                        if (type != null && shape != null) {
                            data = new DataReader(
                                            parser, type, path + ".data", elementCount(shape, path), maxJsonElements)
                                    .read();
                        } else {
                            deferred = new DataReader(
                                            parser, null, path + ".data", limits.maxTensorElements(), maxJsonElements)
                                    .readRaw();
                        }
                    }
                    default -> skip(parser);
                }
            }
            if (name == null) {
                throw SlipwayException.invalidInput("%s.name: missing (expected: the input's name)", path);
            }
            String named = path + " '" + name + "'";
            if (datatypeText == null) {
                throw SlipwayException.invalidInput("%s.datatype: missing (expected: a datatype such as FP32)", named);
            }
            DataType type = datatype(datatypeText, named);
            if (shape == null) {
                throw SlipwayException.invalidInput("%s.shape: missing (expected: an array of dimensions)", named);
            }
            long count = elementCount(shape, named);
            if (data == null && deferred != null) {
                data = DataReader.convert(deferred, type, named + ".data", count);
            }
            if (data == null && binarySize != null) {
                data = binary(named, type, (int) count, binarySize);
            } else if (binarySize != null) {
                throw SlipwayException.invalidInput(
                        "%s: both data and binary_data_size (expected: one of them)", named);
            }
            if (data == null) {
                throw SlipwayException.invalidInput(
                        "%s.data: missing (expected: the tensor's elements, or parameters.binary_data_size)", named);
            }
            if (data.size() != count) {
                throw SlipwayException.invalidInput(
                        "%s.data: %d elements (expected: %d, the product of shape %s)",
                        named, data.size(), count, Arrays.toString(shape));
            }
            return Tensor.of(name, type, shape, data);
        }

        private TensorData binary(String named, DataType type, int count, Object declared) {
            if (!(declared instanceof Long size) || size < 0) {
                throw SlipwayException.invalidInput(
                        "%s.parameters.binary_data_size: %s (expected: a non-negative integer)", named, declared);
            }
            if (tail == null) {
                throw SlipwayException.invalidInput(
                        "%s: binary_data_size without an Inference-Header-Content-Length header (expected: the "
                                + "JSON part's length in that header, the tensor bytes after it)",
                        named);
            }
            if (size > tail.remaining()) {
                throw SlipwayException.invalidInput(
                        "%s: unexpected size for input: binary_data_size %d, but only %d bytes remain in the body",
                        named, size, tail.remaining());
            }
            ByteBuffer bytes = tail.slice();
            bytes.limit(size.intValue());
            tail.position(tail.position() + size.intValue());
            return RawTensors.read(bytes, type, count, named);
        }

        void finish() {
            if (tail != null && tail.hasRemaining()) {
                throw SlipwayException.invalidInput(
                        "body: unexpected additional input data: %d bytes after the binary inputs (expected: none)",
                        tail.remaining());
            }
        }
    }

    private static DataType datatype(String text, String path) {
        DataType type = DataType.fromWire(text)
                .orElseThrow(() -> SlipwayException.invalidInput(
                        "%s.datatype: '%s' (expected: one of %s)",
                        path,
                        JsonInput.abbreviate(text),
                        String.join(
                                ", ",
                                Arrays.stream(DataType.values()).map(Enum::name).toList())));
        if (!type.jsonSupported()) {
            throw SlipwayException.invalidInput(
                    "%s.datatype: %s cannot travel as JSON (expected: binary tensor data for FP16 and BF16)",
                    path, type);
        }
        return type;
    }

    private long elementCount(long[] shape, String path) {
        long count = 1;
        for (long dim : shape) {
            if (dim > limits.maxTensorElements() || count * dim > limits.maxTensorElements()) {
                throw new SlipwayException(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        path + ".shape: " + Arrays.toString(shape) + " (expected: at most " + limits.maxTensorElements()
                                + " elements per tensor)");
            }
            count *= dim;
        }
        return count;
    }

    private static long[] shape(JsonParser parser, String path) throws IOException {
        expect(parser, JsonToken.START_ARRAY, path, "an array of non-negative integers");
        long[] dims = new long[4];
        int rank = 0;
        while (next(parser) != JsonToken.END_ARRAY) {
            String dimPath = path + "[" + rank + "]";
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getValueAsLong(-1) < 0) {
                throw SlipwayException.invalidInput(
                        "%s: %s (expected: a non-negative integer)", dimPath, describe(parser, parser.currentToken()));
            }
            if (rank == 16) {
                throw SlipwayException.invalidInput("%s: more than 16 dimensions (expected: at most 16)", path);
            }
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, dims.length * 2);
            }
            dims[rank++] = parser.getLongValue();
        }
        return Arrays.copyOf(dims, rank);
    }

    private static List<RequestedOutput> outputs(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_ARRAY, "outputs", "an array of requested outputs");
        List<RequestedOutput> outputs = new ArrayList<>();
        while (next(parser) != JsonToken.END_ARRAY) {
            String path = "outputs[" + outputs.size() + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw SlipwayException.invalidInput(
                        "%s: %s (expected: an object with a name)", path, describe(parser, parser.currentToken()));
            }
            String name = null;
            Boolean binary = null;
            int classification = 0;
            while (next(parser) == JsonToken.FIELD_NAME) {
                switch (parser.currentName()) {
                    case "name" -> name = text(parser, path + ".name");
                    case "parameters" -> {
                        Map<String, Object> parameters = parameters(parser, path + ".parameters");
                        binary = flag(parameters.get("binary_data"));
                        classification =
                                classification(parameters.get("classification"), path + ".parameters.classification");
                    }
                    default -> skip(parser);
                }
            }
            if (name == null) {
                throw SlipwayException.invalidInput("%s.name: missing (expected: the output's name)", path);
            }
            outputs.add(new RequestedOutput(name, binary, classification));
        }
        return outputs;
    }

    /** The classification extension's N: absent is 0 (the values themselves). */
    static int classification(@Nullable Object value, String path) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Long n && n >= 1 && n <= RequestedOutput.MAX_CLASSIFICATION) {
            return n.intValue();
        }
        throw SlipwayException.invalidInput(
                "%s: %s (expected: an integer in 1..%d, how many top entries to return)",
                path,
                value instanceof String text ? '"' + JsonInput.abbreviate(text) + '"' : value,
                RequestedOutput.MAX_CLASSIFICATION);
    }

    private static @Nullable Boolean flag(@Nullable Object value) {
        return value instanceof Boolean flag ? flag : null;
    }

    /** Reads a parameters object: scalar values are kept, nested ones skipped. */
    static Map<String, Object> parameters(JsonParser parser, String path) throws IOException {
        expect(parser, JsonToken.START_OBJECT, path, "an object of parameters");
        Map<String, Object> parameters = new HashMap<>();
        while (next(parser) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = next(parser);
            switch (value) {
                case VALUE_STRING -> parameters.put(name, parser.getText());
                case VALUE_NUMBER_INT -> parameters.put(name, parser.getLongValue());
                case VALUE_NUMBER_FLOAT -> parameters.put(name, parser.getDoubleValue());
                case VALUE_TRUE, VALUE_FALSE -> parameters.put(name, value == JsonToken.VALUE_TRUE);
                default -> parser.skipChildren();
            }
        }
        return parameters;
    }

    /** Reads a {@code data} array, flat or nested, into the datatype's array. */
    private static final class DataReader {
        private final JsonParser parser;
        private final @Nullable DataType type;
        private final String path;
        private final long capacity;
        private final int allocation;
        private int count;

        /**
         * @param capacity the most elements the data may have (the shape's product, or the element limit)
         * @param maxJsonElements the most elements the JSON body can physically hold, bounding what is allocated
         */
        DataReader(JsonParser parser, @Nullable DataType type, String path, long capacity, int maxJsonElements) {
            this.parser = parser;
            this.type = type;
            this.path = path;
            this.capacity = capacity;
            this.allocation = (int) Math.min(capacity, maxJsonElements);
        }

        TensorData read() throws IOException {
            DataType known = java.util.Objects.requireNonNull(type);
            Sink sink = Sink.of(known, allocation);
            JsonToken first = next(parser);
            if (first != JsonToken.START_ARRAY) {
                readElement(first, sink, known);
            } else {
                readArray(sink, known, 1);
            }
            return sink.finish(count);
        }

        /** Reads data whose datatype is not known yet, as boxed values, bounded by the element limit. */
        Object readRaw() throws IOException {
            List<Object> values = new ArrayList<>();
            JsonToken first = next(parser);
            if (first != JsonToken.START_ARRAY) {
                values.add(rawValue(first));
                return values;
            }
            readRawArray(values, 1);
            return values;
        }

        private void readRawArray(List<Object> values, int depth) throws IOException {
            JsonToken token;
            while ((token = next(parser)) != JsonToken.END_ARRAY) {
                if (token == JsonToken.START_ARRAY) {
                    readRawArray(values, depth + 1);
                    continue;
                }
                if (values.size() >= capacity) {
                    throw tooMany();
                }
                values.add(rawValue(token));
            }
        }

        private Object rawValue(JsonToken token) throws IOException {
            return switch (token) {
                case VALUE_NUMBER_INT -> parser.getNumberValue();
                case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_STRING -> parser.getText();
                case VALUE_NULL -> Raw.NULL;
                default -> throw SlipwayException.invalidInput(
                        "%s: %s (expected: numbers, booleans or strings)", path, describe(parser, token));
            };
        }

        static TensorData convert(Object raw, DataType type, String path, long expected) {
            List<?> values = (List<?>) raw;
            Sink sink = Sink.of(type, (int) Math.min(values.size(), expected));
            for (int i = 0; i < values.size(); i++) {
                if (i >= expected) {
                    throw SlipwayException.invalidInput(
                            "%s: more than %d elements (expected: %d, the product of shape)", path, expected, expected);
                }
                sink.put(i, values.get(i), path);
            }
            return sink.finish(values.size());
        }

        private void readArray(Sink sink, DataType known, int depth) throws IOException {
            JsonToken token;
            while ((token = next(parser)) != JsonToken.END_ARRAY) {
                if (token == JsonToken.START_ARRAY) {
                    readArray(sink, known, depth + 1);
                } else {
                    readElement(token, sink, known);
                }
            }
        }

        private void readElement(JsonToken token, Sink sink, DataType known) throws IOException {
            if (count >= allocation) {
                throw tooMany();
            }
            int index = count++;
            switch (token) {
                case VALUE_NUMBER_INT -> {
                    if (known.integral()) {
                        sink.putLong(index, integral(known, index), path);
                    } else if (known.numeric()) {
                        sink.putDouble(index, parser.getDoubleValue());
                    } else {
                        sink.put(index, parser.getNumberValue(), path);
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    if (known.integral() || !known.numeric()) {
                        throw wrongElement(index, known);
                    }
                    sink.putDouble(index, parser.getDoubleValue());
                }
                case VALUE_TRUE, VALUE_FALSE -> sink.put(index, token == JsonToken.VALUE_TRUE, path);
                case VALUE_STRING -> sink.put(index, parser.getText(), path);
                case VALUE_NULL -> sink.put(index, Raw.NULL, path);
                default -> throw wrongElement(index, known);
            }
        }

        private long integral(DataType known, int index) throws IOException {
            JsonParser.NumberType numberType = parser.getNumberType();
            if (numberType == JsonParser.NumberType.BIG_INTEGER) {
                throw outOfRange(index, known);
            }
            long value = parser.getLongValue();
            if (value < known.minIntegral() || value > known.maxIntegral()) {
                throw outOfRange(index, known);
            }
            return value;
        }

        private SlipwayException outOfRange(int index, DataType known) throws IOException {
            return SlipwayException.invalidInput(
                    "%s[%d]: %s (expected: %s in %d..%d)",
                    path, index, parser.getText(), known, known.minIntegral(), known.maxIntegral());
        }

        private SlipwayException wrongElement(int index, DataType known) throws IOException {
            return SlipwayException.invalidInput(
                    "%s[%d]: %s (expected: %s)",
                    path, index, describe(parser, parser.currentToken()), Sink.expectation(known));
        }

        private SlipwayException tooMany() {
            return SlipwayException.invalidInput(
                    "%s: more than %d elements (expected: the product of shape, at most %d)", path, capacity, capacity);
        }
    }

    /** JSON {@code null} inside tensor data. */
    enum Raw {
        NULL
    }

    /** A typed, fixed-size destination for tensor elements. */
    private static final class Sink {
        private final DataType type;
        private final Object array;

        private Sink(DataType type, Object array) {
            this.type = type;
            this.array = array;
        }

        static Sink of(DataType type, int size) {
            Object array =
                    switch (type.carrier()) {
                        case FLOAT -> new float[size];
                        case DOUBLE -> new double[size];
                        case INT -> new int[size];
                        case LONG -> new long[size];
                        case BOOL -> new boolean[size];
                        case BYTES -> new byte[size][];
                        case HALF -> new short[size];
                    };
            return new Sink(type, array);
        }

        static String expectation(DataType type) {
            return switch (type.carrier()) {
                case BOOL -> "true or false";
                case BYTES -> "a string";
                case FLOAT, DOUBLE -> "a number, or null for a missing value";
                default -> "an integer";
            };
        }

        void putLong(int index, long value, String path) {
            switch (type.carrier()) {
                case INT -> ((int[]) array)[index] = (int) value;
                case LONG -> ((long[]) array)[index] = value;
                default -> put(index, value, path);
            }
        }

        void putDouble(int index, double value) {
            if (type.carrier() == dev.slipway.api.DataType.Carrier.FLOAT) {
                ((float[]) array)[index] = (float) value;
            } else {
                ((double[]) array)[index] = value;
            }
        }

        void put(int index, Object value, String path) {
            switch (type.carrier()) {
                case FLOAT, DOUBLE -> {
                    if (value == Raw.NULL) {
                        putDouble(index, Double.NaN);
                    } else if (value instanceof Number number) {
                        putDouble(index, number.doubleValue());
                    } else {
                        throw bad(index, value, path);
                    }
                }
                case INT, LONG -> {
                    if (!(value instanceof Long || value instanceof Integer)) {
                        throw bad(index, value, path);
                    }
                    long number = ((Number) value).longValue();
                    if (number < type.minIntegral() || number > type.maxIntegral()) {
                        throw bad(index, value, path);
                    }
                    putLong(index, number, path);
                }
                case BOOL -> {
                    if (!(value instanceof Boolean flag)) {
                        throw bad(index, value, path);
                    }
                    ((boolean[]) array)[index] = flag;
                }
                case BYTES -> {
                    if (!(value instanceof String text)) {
                        throw bad(index, value, path);
                    }
                    ((byte[][]) array)[index] = text.getBytes(StandardCharsets.UTF_8);
                }
                case HALF -> throw bad(index, value, path);
            }
        }

        private SlipwayException bad(int index, Object value, String path) {
            String shown = value == Raw.NULL
                    ? "null"
                    : value instanceof String s ? '"' + JsonInput.abbreviate(s) + '"' : String.valueOf(value);
            return SlipwayException.invalidInput(
                    "%s[%d]: %s (expected: %s for %s)", path, index, shown, expectation(type), type);
        }

        TensorData finish(int count) {
            return switch (type.carrier()) {
                case FLOAT -> new TensorData.Floats(trim((float[]) array, count));
                case DOUBLE -> new TensorData.Doubles(trim((double[]) array, count));
                case INT -> new TensorData.Ints(trim((int[]) array, count));
                case LONG -> new TensorData.Longs(trim((long[]) array, count));
                case BOOL -> new TensorData.Bools(trim((boolean[]) array, count));
                case BYTES -> new TensorData.Strings(trim((byte[][]) array, count));
                case HALF -> new TensorData.Halfs(trim((short[]) array, count));
            };
        }

        private static float[] trim(float[] a, int n) {
            return a.length == n ? a : Arrays.copyOf(a, n);
        }

        private static double[] trim(double[] a, int n) {
            return a.length == n ? a : Arrays.copyOf(a, n);
        }

        private static int[] trim(int[] a, int n) {
            return a.length == n ? a : Arrays.copyOf(a, n);
        }

        private static long[] trim(long[] a, int n) {
            return a.length == n ? a : Arrays.copyOf(a, n);
        }

        private static boolean[] trim(boolean[] a, int n) {
            return a.length == n ? a : Arrays.copyOf(a, n);
        }

        private static byte[][] trim(byte[][] a, int n) {
            return a.length == n ? a : Arrays.copyOf(a, n);
        }

        private static short[] trim(short[] a, int n) {
            return a.length == n ? a : Arrays.copyOf(a, n);
        }
    }
}
