package dev.slipway.server.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.slipway.api.InferenceResponse;
import dev.slipway.api.RecordsResponse;
import dev.slipway.api.Tensor;
import dev.slipway.api.TensorData;
import dev.slipway.contract.JsonValues;
import dev.slipway.inference.LoadedModel;
import dev.slipway.inference.ModelConfiguration;
import dev.slipway.inference.ModelMetadata;
import dev.slipway.inference.ModelStats;
import dev.slipway.inference.ServerMetadata;
import dev.slipway.server.RawTensors;
import dev.slipway.spi.TensorSpec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Writes the JSON bodies of the REST endpoints with Jackson's streaming generator, straight into a Netty buffer. */
final class JsonBodies {
    private JsonBodies() {}

    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    static ByteBuf write(ByteBufAllocator allocator, Writer writer) {
        ByteBuf buffer = allocator.buffer(256);
        try (JsonGenerator json =
                InferRequestDecoder.JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buffer))) {
            writer.write(json);
        } catch (IOException e) {
            buffer.release();
            throw new UncheckedIOException(e);
        }
        return buffer;
    }

    static Writer error(String message) {
        return json -> {
            json.writeStartObject();
            json.writeStringField("error", message);
            json.writeEndObject();
        };
    }

    static Writer flag(String name, boolean value) {
        return json -> {
            json.writeStartObject();
            json.writeBooleanField(name, value);
            json.writeEndObject();
        };
    }

    static Writer modelReady(String model, boolean ready) {
        return json -> {
            json.writeStartObject();
            json.writeStringField("name", model);
            json.writeBooleanField("ready", ready);
            json.writeEndObject();
        };
    }

    static Writer server(ServerMetadata server) {
        return json -> {
            json.writeStartObject();
            json.writeStringField("name", server.name());
            json.writeStringField("version", server.version());
            json.writeArrayFieldStart("extensions");
            for (String extension : server.extensions()) {
                json.writeString(extension);
            }
            json.writeEndArray();
            json.writeEndObject();
        };
    }

    static Writer metadata(ModelMetadata metadata) {
        return json -> {
            json.writeStartObject();
            json.writeStringField("name", metadata.name());
            json.writeArrayFieldStart("versions");
            for (String version : metadata.versions()) {
                json.writeString(version);
            }
            json.writeEndArray();
            json.writeStringField("platform", metadata.platform());
            tensorSpecs(json, "inputs", metadata.inputs());
            tensorSpecs(json, "outputs", metadata.outputs());
            json.writeObjectFieldStart("properties");
            for (Map.Entry<String, String> property : metadata.properties().entrySet()) {
                json.writeStringField(property.getKey(), property.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        };
    }

    /** Triton's model configuration JSON, as {@code get_model_config} reads it (dims as numbers, as Triton writes). */
    static Writer configuration(ModelConfiguration configuration) {
        return json -> {
            json.writeStartObject();
            json.writeStringField("name", configuration.name());
            json.writeStringField("platform", configuration.platform());
            json.writeStringField("backend", configuration.backend());
            json.writeNumberField("max_batch_size", configuration.maxBatchSize());
            configTensors(json, "input", configuration.inputs());
            configTensors(json, "output", configuration.outputs());
            Duration delay = configuration.maxQueueDelay();
            if (delay != null) {
                json.writeObjectFieldStart("dynamic_batching");
                json.writeArrayFieldStart("preferred_batch_size");
                json.writeEndArray();
                json.writeNumberField("max_queue_delay_microseconds", delay.toNanos() / 1000);
                json.writeEndObject();
            }
            json.writeArrayFieldStart("instance_group");
            json.writeStartObject();
            json.writeStringField("name", configuration.name());
            json.writeStringField("kind", "KIND_CPU");
            json.writeNumberField("count", configuration.instances());
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        };
    }

    private static void configTensors(JsonGenerator json, String field, List<TensorSpec> specs) throws IOException {
        tensors(json, field, specs, "data_type", spec -> ModelConfiguration.typeName(spec.datatype()), "dims");
    }

    private static void tensorSpecs(JsonGenerator json, String field, List<TensorSpec> specs) throws IOException {
        tensors(json, field, specs, "datatype", spec -> spec.datatype().name(), "shape");
    }

    /** An array of tensor descriptions: name, datatype and shape, under the field names of the form written. */
    private static void tensors(
            JsonGenerator json,
            String field,
            List<TensorSpec> specs,
            String typeField,
            java.util.function.Function<TensorSpec, String> type,
            String shapeField)
            throws IOException {
        json.writeArrayFieldStart(field);
        for (TensorSpec spec : specs) {
            json.writeStartObject();
            json.writeStringField("name", spec.name());
            json.writeStringField(typeField, type.apply(spec));
            json.writeArrayFieldStart(shapeField);
            for (long dim : spec.shape()) {
                json.writeNumber(dim);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    static Writer index(List<LoadedModel> models, boolean readyOnly) {
        return json -> {
            json.writeStartArray();
            for (LoadedModel model : models) {
                if (readyOnly && !model.ready()) {
                    continue;
                }
                json.writeStartObject();
                json.writeStringField("name", model.name());
                json.writeStringField("version", model.versionString());
                json.writeStringField(
                        "state", model.ready() ? "READY" : model.state().name());
                json.writeStringField("reason", model.reason() == null ? "" : model.reason());
                json.writeEndObject();
            }
            json.writeEndArray();
        };
    }

    static Writer inference(InferenceResponse response) {
        return inference(response, Set.of());
    }

    /** The inference response; outputs named in {@code binary} carry {@code binary_data_size} instead of data. */
    static Writer inference(InferenceResponse response, Set<String> binary) {
        return json -> {
            json.writeStartObject();
            json.writeStringField("model_name", response.model());
            json.writeStringField("model_version", response.version());
            if (response.id() != null && !response.id().isEmpty()) {
                json.writeStringField("id", response.id());
            }
            json.writeArrayFieldStart("outputs");
            for (Tensor output : response.outputs()) {
                json.writeStartObject();
                json.writeStringField("name", output.name());
                json.writeStringField("datatype", output.datatype().name());
                json.writeArrayFieldStart("shape");
                for (int d = 0; d < output.rank(); d++) {
                    json.writeNumber(output.dim(d));
                }
                json.writeEndArray();
                if (binary.contains(output.name())) {
                    json.writeObjectFieldStart("parameters");
                    json.writeNumberField("binary_data_size", RawTensors.size(output.datatype(), output.data()));
                    json.writeEndObject();
                } else {
                    json.writeFieldName("data");
                    data(json, output.data());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            if (!response.parameters().isEmpty()) {
                json.writeObjectFieldStart("parameters");
                for (Map.Entry<String, Object> parameter : response.parameters().entrySet()) {
                    json.writeFieldName(parameter.getKey());
                    JsonValues.write(json, parameter.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        };
    }

    /** Appends the raw bytes of the binary outputs, in output order, after the JSON already in {@code buffer}. */
    static void appendBinary(ByteBuf buffer, InferenceResponse response, Set<String> binary) {
        for (Tensor output : response.outputs()) {
            if (binary.contains(output.name())) {
                int size = RawTensors.size(output.datatype(), output.data());
                buffer.ensureWritable(size);
                java.nio.ByteBuffer target = buffer.nioBuffer(buffer.writerIndex(), size);
                RawTensors.write(output.datatype(), output.data(), target);
                buffer.writerIndex(buffer.writerIndex() + size);
            }
        }
    }

    static Writer statistics(List<LoadedModel> models) {
        return json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("model_stats");
            for (LoadedModel model : models) {
                ModelStats stats = model.stats();
                json.writeStartObject();
                json.writeStringField("name", model.name());
                json.writeStringField("version", model.versionString());
                json.writeNumberField("last_inference", stats.lastInferenceMillis());
                json.writeNumberField("inference_count", stats.inferenceCount());
                json.writeNumberField("execution_count", stats.executionCount());
                json.writeObjectFieldStart("inference_stats");
                duration(json, "success", stats.success());
                duration(json, "fail", stats.fail());
                duration(json, "queue", stats.queue());
                duration(json, "compute_input", new ModelStats.Duration(0, 0));
                duration(json, "compute_infer", stats.computeInfer());
                duration(json, "compute_output", new ModelStats.Duration(0, 0));
                duration(json, "cache_hit", new ModelStats.Duration(0, 0));
                duration(json, "cache_miss", new ModelStats.Duration(0, 0));
                json.writeEndObject();
                json.writeObjectFieldStart("response_stats");
                json.writeEndObject();
                json.writeArrayFieldStart("batch_stats");
                for (ModelStats.BatchStat batch : stats.batches()) {
                    json.writeStartObject();
                    json.writeNumberField("batch_size", batch.batchSize());
                    duration(json, "compute_input", new ModelStats.Duration(0, 0));
                    duration(json, "compute_infer", batch.compute());
                    duration(json, "compute_output", new ModelStats.Duration(0, 0));
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeArrayFieldStart("memory_usage");
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        };
    }

    private static void duration(JsonGenerator json, String name, ModelStats.Duration duration) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeNumberField("count", duration.count());
        json.writeNumberField("ns", duration.nanos());
        json.writeEndObject();
    }

    private static void data(JsonGenerator json, TensorData data) throws IOException {
        json.writeStartArray();
        int n = data.size();
        if (data instanceof TensorData.Floats floats) {
            for (float value : floats.values()) {
                if (Float.isFinite(value)) {
                    json.writeNumber(value);
                } else {
                    json.writeNull();
                }
            }
        } else if (data instanceof TensorData.Doubles doubles) {
            for (double value : doubles.values()) {
                if (Double.isFinite(value)) {
                    json.writeNumber(value);
                } else {
                    json.writeNull();
                }
            }
        } else if (data instanceof TensorData.Ints ints) {
            for (int value : ints.values()) {
                json.writeNumber(value);
            }
        } else if (data instanceof TensorData.Longs longs) {
            for (long value : longs.values()) {
                json.writeNumber(value);
            }
        } else if (data instanceof TensorData.Bools bools) {
            for (boolean value : bools.values()) {
                json.writeBoolean(value);
            }
        } else if (data instanceof TensorData.Strings strings) {
            for (int i = 0; i < n; i++) {
                json.writeString(new String(strings.values()[i], StandardCharsets.UTF_8));
            }
        } else {
            for (int i = 0; i < n; i++) {
                json.writeNull();
            }
        }
        json.writeEndArray();
    }

    static Writer records(RecordsResponse response) {
        return json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("predictions");
            for (Map<String, Object> prediction : response.predictions()) {
                json.writeStartObject();
                for (Map.Entry<String, Object> entry : prediction.entrySet()) {
                    json.writeFieldName(entry.getKey());
                    JsonValues.write(json, entry.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("model_name", response.model());
            json.writeStringField("model_version", response.version());
            json.writeEndObject();
        };
    }
}
