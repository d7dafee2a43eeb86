package dev.slipway.server.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import dev.slipway.feedback.FeedbackService;
import dev.slipway.registry.ModelRegistry;
import dev.slipway.registry.PushListener;
import dev.slipway.registry.PushOptions;
import dev.slipway.registry.RegisteredVersion;
import dev.slipway.rollout.RolloutController;
import dev.slipway.rollout.RolloutPlan;
import dev.slipway.rollout.RolloutPlans;
import dev.slipway.rollout.RolloutStore;
import dev.slipway.rollout.RoutingTable;
import dev.slipway.security.Principal;
import dev.slipway.server.Access;
import dev.slipway.server.Management;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The admin API, {@code /admin/v1}: the registry over HTTP for operators and admins. Bodies are JSON; errors add the
 * stable {@code code} to the protocol's {@code error}. Runs on the inference executor (it touches the database and
 * the disk).
 *
 * <pre>
 * GET    /admin/v1/models                                   operator
 * GET    /admin/v1/models/{m}                               operator   versions
 * GET    /admin/v1/models/{m}/versions/{v|alias}            operator
 * POST   /admin/v1/models/{m}/versions?alias=&amp;reason=&amp;source=  operator   body: a zip of the version directory
 * PUT    /admin/v1/models/{m}/aliases/{alias}               operator   {"version": 3, "reason": "..."}
 * DELETE /admin/v1/models/{m}/aliases/{alias}?reason=       operator
 * POST   /admin/v1/models/{m}/versions/{v}/archive          admin      {"reason": "..."}
 * GET    /admin/v1/audit?model=&amp;limit=                      operator
 * GET    /admin/v1/rollouts                                 operator   every endpoint's latest rollout
 * GET    /admin/v1/rollouts/{m}                             operator   phase, weights, verdicts, evidence, routing
 * POST   /admin/v1/rollouts/{m}                             operator   {"candidate": 3, "plan": {...}, "reason": "..."}
 * POST   /admin/v1/rollouts/{m}/promote|pause|resume|abort  operator   {"reason": "..."}
 * POST   /admin/v1/rollouts/{m}/rollback                    operator   {"to": 2, "reason": "..."}
 * GET    /admin/v1/experiments/{m}                          operator   the A/B report (proxy metrics per arm) and, with
 *                                                                      feedback on, each arm's quality from delayed labels
 * POST   /admin/v1/experiments/{m}                          operator   {"arms": [{"variant": "control", "version": 1,
 *                                                                      "weight": 50}, ...], "min-rows": 1000}
 * POST   /admin/v1/experiments/{m}/stop                     operator   {"winner": "treatment", "reason": "..."}
 * GET    /admin/v1/payload-log                              operator   the payload log's counters
 * GET    /admin/v1/feedback                                 operator   the prediction store's and label join's counters
 * </pre>
 */
final class AdminApi {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdminApi.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_AUDIT = 10_000;

    private final Management management;
    private final Access access;

    AdminApi(Management management, Access access) {
        this.management = management;
        this.access = access;
    }

    /** Answers one admin request; failures become errors with a code. */
    FullHttpResponse handle(FullHttpRequest request, String id) {
        try {
            return route(request, id);
        } catch (SlipwayException e) {
            return error(e, id);
        } catch (IOException e) {
            return error(new SlipwayException(ErrorCode.INVALID_INPUT, "body: " + e.getMessage(), e), id);
        } catch (RuntimeException e) {
            LOG.error("admin request {} failed unexpectedly", id, e);
            return error(new SlipwayException(ErrorCode.INTERNAL, "internal error (request id " + id + ")"), id);
        }
    }

    private FullHttpResponse route(FullHttpRequest request, String id) throws IOException {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        List<String> s = Route.segments(uri.rawPath());
        HttpMethod method = request.method();
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        int n = s.size();
        if (n == 3 && s.get(2).equals("models")) {
            allow(method, HttpMethod.GET);
            access.check(Access.Need.OPERATOR, authorization);
            return ok(registry().list(), id);
        }
        if (n == 3 && s.get(2).equals("audit")) {
            allow(method, HttpMethod.GET);
            access.check(Access.Need.OPERATOR, authorization);
            String model = first(uri, "model");
            int limit = limit(first(uri, "limit"));
            return ok(registry().audit(model, limit), id);
        }
        if (n == 3 && s.get(2).equals("payload-log")) {
            allow(method, HttpMethod.GET);
            access.check(Access.Need.OPERATOR, authorization);
            if (management.payloadLog() == null) {
                throw new SlipwayException(
                        ErrorCode.UNSUPPORTED,
                        "the payload log is off on this server (expected: payload-log.enabled: true in slipway.yaml)");
            }
            return ok(management.payloadLog().stats(), id);
        }
        if (n == 3 && s.get(2).equals("feedback")) {
            allow(method, HttpMethod.GET);
            access.check(Access.Need.OPERATOR, authorization);
            if (management.feedback() == null) {
                throw new SlipwayException(
                        ErrorCode.UNSUPPORTED,
                        "feedback is off on this server (expected: feedback.enabled: true in slipway.yaml)");
            }
            return ok(management.feedback().stats(), id);
        }
        if (n >= 4 && s.get(2).equals("experiments")) {
            return experiments(s, request, authorization, id);
        }
        if (n >= 3 && s.get(2).equals("rollouts")) {
            return rollouts(s, request, authorization, id);
        }
        if (n >= 4 && s.get(2).equals("models")) {
            String model = s.get(3);
            if (n == 4) {
                allow(method, HttpMethod.GET);
                access.check(Access.Need.OPERATOR, authorization);
                return ok(registry().versions(model), id);
            }
            if (n == 5 && s.get(4).equals("versions")) {
                allow(method, HttpMethod.POST);
                Principal principal = access.check(Access.Need.OPERATOR, authorization);
                return push(model, request, uri, principal, id);
            }
            if (n == 6 && s.get(4).equals("versions")) {
                allow(method, HttpMethod.GET);
                access.check(Access.Need.OPERATOR, authorization);
                return ok(registry().version(model, s.get(5)), id);
            }
            if (n == 7 && s.get(4).equals("versions") && s.get(6).equals("archive")) {
                allow(method, HttpMethod.POST);
                Principal principal = access.check(Access.Need.ADMIN, authorization);
                registry().archive(model, number(s.get(5)), principal.name(), text(body(request), "reason"));
                synced();
                return ok(registry().version(model, s.get(5)), id);
            }
            if (n == 6 && s.get(4).equals("aliases")) {
                return alias(model, s.get(5), request, uri, authorization, id);
            }
        }
        throw new SlipwayException(ErrorCode.ROUTE_NOT_FOUND, "Not Found: no admin endpoint at '" + uri.path() + "'");
    }

    private FullHttpResponse rollouts(
            List<String> s, FullHttpRequest request, @Nullable String authorization, String id) throws IOException {
        Principal principal = access.check(Access.Need.OPERATOR, authorization);
        RolloutController controller = controller();
        int n = s.size();
        if (n == 3) {
            allow(request.method(), HttpMethod.GET);
            return ok(controller.all(), id);
        }
        String endpoint = s.get(3);
        if (n == 4 && request.method().equals(HttpMethod.GET)) {
            return ok(
                    controller
                            .status(endpoint)
                            .orElseThrow(() -> new SlipwayException(
                                    ErrorCode.MODEL_NOT_FOUND, "endpoint '" + endpoint + "' has no rollout")),
                    id);
        }
        if (n == 4) {
            allow(request.method(), HttpMethod.POST);
            JsonNode body = body(request);
            JsonNode candidate = body.get("candidate");
            if (candidate == null || !candidate.isIntegralNumber() || candidate.asLong() < 1) {
                throw SlipwayException.invalidInput(
                        "candidate: %s (expected: a version number)",
                        candidate == null ? "missing" : candidate.toString());
            }
            JsonNode planNode = body.get("plan");
            RolloutPlan plan = RolloutPlans.choose(
                    planNode == null || planNode.isNull() ? null : RolloutPlans.fromRequest(planNode),
                    registry().version(endpoint, candidate.asText()).manifest(),
                    endpoint + ":" + candidate.asLong(),
                    management.delivery().router().policy(endpoint).rollout());
            RolloutStore.Stored started = controller.start(
                    endpoint,
                    candidate.asLong(),
                    plan,
                    management.delivery().router().policy(endpoint).salt(),
                    principal.name(),
                    text(body, "reason"));
            synced();
            FullHttpResponse response = ok(started, id);
            response.setStatus(HttpResponseStatus.CREATED);
            return response;
        }
        if (n == 5) {
            allow(request.method(), HttpMethod.POST);
            JsonNode body = body(request);
            String reason = text(body, "reason");
            RolloutStore.Stored changed =
                    switch (s.get(4)) {
                        case "promote" -> controller.promote(endpoint, principal.name(), reason);
                        case "pause" -> controller.pause(endpoint, principal.name(), reason);
                        case "resume" -> controller.resume(endpoint, principal.name(), reason);
                        case "abort" -> controller.abort(endpoint, principal.name(), reason);
                        case "rollback" -> controller.rollback(endpoint, to(body), principal.name(), reason);
                        default -> throw new SlipwayException(
                                ErrorCode.ROUTE_NOT_FOUND,
                                "Not Found: no rollout action '" + JsonInput.abbreviate(s.get(4))
                                        + "' (expected: promote, pause, resume, abort or rollback)");
                    };
            synced();
            return ok(changed, id);
        }
        throw new SlipwayException(ErrorCode.ROUTE_NOT_FOUND, "Not Found: no admin endpoint at this path");
    }

    private FullHttpResponse experiments(
            List<String> s, FullHttpRequest request, @Nullable String authorization, String id) throws IOException {
        Principal principal = access.check(Access.Need.OPERATOR, authorization);
        RolloutController controller = controller();
        String endpoint = s.get(3);
        if (s.size() == 4 && request.method().equals(HttpMethod.GET)) {
            return ok(experimentReport(controller, endpoint), id);
        }
        allow(request.method(), HttpMethod.POST);
        JsonNode body = body(request);
        if (s.size() == 5 && s.get(4).equals("stop")) {
            RolloutStore.Stored stopped =
                    controller.stopExperiment(endpoint, text(body, "winner"), principal.name(), text(body, "reason"));
            synced();
            return ok(stopped, id);
        }
        if (s.size() != 4) {
            throw new SlipwayException(ErrorCode.ROUTE_NOT_FOUND, "Not Found: no admin endpoint at this path");
        }
        List<RoutingTable.Arm> arms = new java.util.ArrayList<>();
        JsonNode list = body.get("arms");
        if (list == null || !list.isArray()) {
            throw SlipwayException.invalidInput(
                    "arms: %s (expected: a list of {variant, version, weight})",
                    list == null ? "missing" : list.toString());
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode arm = list.get(i);
            JsonNode version = arm.get("version");
            JsonNode weight = arm.get("weight");
            String variant = text(arm, "variant");
            if (variant == null
                    || version == null
                    || !version.isIntegralNumber()
                    || weight == null
                    || !weight.isNumber()
                    || weight.asDouble() < 0
                    || weight.asDouble() > 100) {
                throw SlipwayException.invalidInput(
                        "arms[%d]: %s (expected: {\"variant\": name, \"version\": number, \"weight\": percent})",
                        i, arm.toString());
            }
            arms.add(new RoutingTable.Arm(variant, version.asLong(), (int) Math.round(weight.asDouble() * 100)));
        }
        JsonNode minRows = body.get("min-rows");
        if (minRows != null && (!minRows.isIntegralNumber() || minRows.asLong() < 1)) {
            throw SlipwayException.invalidInput("min-rows: %s (expected: an integer >= 1)", minRows.toString());
        }
        RolloutStore.Stored started = controller.startExperiment(
                endpoint,
                arms,
                minRows == null ? 1000 : minRows.asLong(),
                null,
                principal.name(),
                text(body, "reason"));
        synced();
        FullHttpResponse response = ok(started, id);
        response.setStatus(HttpResponseStatus.CREATED);
        return response;
    }

    /**
     * The endpoint's A/B test as stored (its report from proxy metrics) and, when feedback is on, the quality each
     * arm's variant earned from delayed labels (accuracy, precision, recall, log-loss, ROC AUC over retained windows).
     */
    private Map<String, Object> experimentReport(RolloutController controller, String endpoint) {
        RolloutStore.Stored stored = controller
                .status(endpoint)
                .filter(found -> found.rollout().experiment() != null)
                .orElseThrow(() -> new SlipwayException(
                        ErrorCode.MODEL_NOT_FOUND,
                        "endpoint '" + endpoint + "' has had no A/B test (expected: POST /admin/v1/experiments/"
                                + endpoint + " first)"));
        Map<String, Object> report = new java.util.LinkedHashMap<>();
        report.put("experiment", stored);
        FeedbackService feedback = management.feedback();
        if (feedback == null) {
            report.put("labels", "feedback is off on this server (feedback.enabled: true adds per-arm label quality)");
            return report;
        }
        java.util.Set<String> variants = new java.util.HashSet<>();
        for (RoutingTable.Arm arm :
                java.util.Objects.requireNonNull(stored.rollout().experiment()).arms()) {
            variants.add(arm.variant());
        }
        report.put(
                "labels",
                feedback.quality(endpoint, 1).versions().stream()
                        .filter(quality -> variants.contains(quality.variant()))
                        .toList());
        return report;
    }

    private static @Nullable Long to(JsonNode body) {
        JsonNode to = body.get("to");
        if (to == null || to.isNull()) {
            return null;
        }
        if (!to.isIntegralNumber() || to.asLong() < 1) {
            throw SlipwayException.invalidInput("to: %s (expected: a version number)", to.toString());
        }
        return to.asLong();
    }

    private RolloutController controller() {
        registry();
        return management
                .delivery()
                .controller()
                .orElseThrow(() -> new SlipwayException(
                        ErrorCode.UNSUPPORTED, "rollouts need a registry (expected: slipway serve --registry ...)"));
    }

    private FullHttpResponse alias(
            String model,
            String alias,
            FullHttpRequest request,
            QueryStringDecoder uri,
            @Nullable String authorization,
            String id)
            throws IOException {
        if (request.method().equals(HttpMethod.PUT)) {
            Principal principal = access.check(Access.Need.OPERATOR, authorization);
            JsonNode body = body(request);
            JsonNode version = body.get("version");
            if (version == null || !version.canConvertToLong() || !version.isIntegralNumber()) {
                throw SlipwayException.invalidInput(
                        "version: %s (expected: a version number)", version == null ? "missing" : version.toString());
            }
            registry().alias(model, version.asLong(), alias, principal.name(), text(body, "reason"));
            synced();
            return ok(registry().version(model, alias), id);
        }
        if (request.method().equals(HttpMethod.DELETE)) {
            Principal principal = access.check(Access.Need.OPERATOR, authorization);
            registry().removeAlias(model, alias, principal.name(), first(uri, "reason"));
            synced();
            return ok(Map.of("model", model, "alias", alias, "removed", true), id);
        }
        FullHttpResponse response = error(
                new SlipwayException(
                        ErrorCode.METHOD_NOT_ALLOWED,
                        "Method Not Allowed: " + request.method() + " (expected: PUT or DELETE)"),
                id);
        response.headers().set(HttpHeaderNames.ALLOW, "PUT, DELETE");
        return response;
    }

    private FullHttpResponse push(
            String model, FullHttpRequest request, QueryStringDecoder uri, Principal principal, String id)
            throws IOException {
        Path directory = Files.createTempDirectory("slipway-push-");
        try {
            unzip(request.content(), directory);
            RegisteredVersion version = registry()
                    .push(
                            directory,
                            new PushOptions(
                                    principal.name(), first(uri, "alias"), first(uri, "reason"), first(uri, "source")),
                            management.loader(),
                            PushListener.NONE);
            if (!version.model().equals(model)) {
                throw new SlipwayException(
                        ErrorCode.INVALID_INPUT,
                        "the pushed manifest names model '" + version.model() + "' (expected: '" + model
                                + "', from the path); it was registered as " + version.model() + ":"
                                + version.version());
            }
            synced();
            FullHttpResponse response = ok(version, id);
            response.setStatus(HttpResponseStatus.CREATED);
            return response;
        } finally {
            delete(directory);
        }
    }

    /** Unpacks a zip of a version directory: plain files only, safe names, within the body limit already applied. */
    private static void unzip(ByteBuf content, Path directory) throws IOException {
        int files = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteBufInputStream(content.duplicate()))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = Path.of(entry.getName()).getFileName().toString();
                if (!FILE_NAME.matcher(name).matches() || entry.getName().contains("..")) {
                    throw SlipwayException.invalidInput(
                            "zip entry '%s' (expected: plain file names, no directories or '..')", entry.getName());
                }
                if (++files > 64) {
                    throw SlipwayException.invalidInput("zip: more than 64 files (expected: one version directory)");
                }
                Files.copy(new NonClosing(zip), directory.resolve(name));
            }
        } catch (java.util.zip.ZipException e) {
            throw SlipwayException.invalidInput("body: not a zip archive: %s", e.getMessage());
        }
        if (files == 0) {
            throw SlipwayException.invalidInput(
                    "body: an empty zip (expected: a zip of the version directory with model.yaml)");
        }
    }

    /** Keeps {@code Files.copy} from closing the zip stream between entries. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }

    private void synced() {
        management.repository().sync();
    }

    private ModelRegistry registry() {
        ModelRegistry registry = management.registry();
        if (registry == null) {
            throw new SlipwayException(
                    ErrorCode.UNSUPPORTED,
                    "this server serves a folder, not a registry (expected: slipway serve --registry ...)");
        }
        return registry;
    }

    private static void allow(HttpMethod method, HttpMethod expected) {
        if (!method.equals(expected)) {
            throw new SlipwayException(
                    ErrorCode.METHOD_NOT_ALLOWED, "Method Not Allowed: " + method + " (expected: " + expected + ")");
        }
    }

    private static JsonNode body(FullHttpRequest request) throws IOException {
        if (!request.content().isReadable()) {
            return JSON.createObjectNode();
        }
        JsonNode body = JSON.readTree(
                (InputStream) new ByteBufInputStream(request.content().duplicate()));
        if (body == null || !body.isObject()) {
            throw SlipwayException.invalidInput("body: expected a JSON object");
        }
        return body;
    }

    private static @Nullable String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw SlipwayException.invalidInput("%s: %s (expected: a string)", field, value);
        }
        return value.asText();
    }

    private static @Nullable String first(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int limit(@Nullable String text) {
        if (text == null) {
            return 100;
        }
        if (!text.matches("[1-9][0-9]{0,5}") || Integer.parseInt(text) > MAX_AUDIT) {
            throw SlipwayException.invalidInput("limit: '%s' (expected: 1..%d)", JsonInput.abbreviate(text), MAX_AUDIT);
        }
        return Integer.parseInt(text);
    }

    private static long number(String version) {
        if (!version.matches("[1-9][0-9]{0,17}")) {
            throw SlipwayException.invalidInput(
                    "version: '%s' (expected: a version number)", JsonInput.abbreviate(version));
        }
        return Long.parseLong(version);
    }

    private static FullHttpResponse ok(Object value, String id) throws IOException {
        ByteBuf body = Unpooled.wrappedBuffer(JSON.writeValueAsBytes(value));
        return HttpResponses.json(HttpResponseStatus.OK, body, id);
    }

    static FullHttpResponse error(SlipwayException error, String id) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(
                    Map.of("error", error.getMessage(), "code", error.code().name()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse response = HttpResponses.json(
                HttpResponseStatus.valueOf(error.code().httpStatus()), Unpooled.wrappedBuffer(bytes), id);
        response.headers().set(HttpResponses.ERROR_CODE, error.code().name());
        if (error.code() == ErrorCode.UNAUTHENTICATED) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"slipway\"");
        }
        return response;
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
