package dev.slipway.server.rest;

import dev.slipway.api.SlipwayException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The REST endpoints, and matching a request path to one of them. */
enum Route {
    SERVER_LIVE(HttpMethod.GET),
    SERVER_READY(HttpMethod.GET),
    SERVER_METADATA(HttpMethod.GET),
    MODEL_METADATA(HttpMethod.GET),
    MODEL_READY(HttpMethod.GET),
    MODEL_INFER(HttpMethod.POST),
    REPOSITORY_INDEX(HttpMethod.POST),
    REPOSITORY_LOAD(HttpMethod.POST),
    REPOSITORY_UNLOAD(HttpMethod.POST),
    MODEL_STATISTICS(HttpMethod.GET),
    MODEL_CONFIG(HttpMethod.GET),
    V1_MODEL_STATUS(HttpMethod.GET),
    V1_PREDICT(HttpMethod.POST),
    V1_FEEDBACK(HttpMethod.POST),
    V1_QUALITY(HttpMethod.GET);

    private final HttpMethod method;

    Route(HttpMethod method) {
        this.method = method;
    }

    HttpMethod method() {
        return method;
    }

    /**
     * A matched path.
     *
     * @param route the endpoint
     * @param model the decoded model name, for model endpoints
     * @param version the decoded version, when the path has one
     */
    record Match(Route route, @Nullable String model, @Nullable String version) {}

    /**
     * Matches a request URI (query string ignored, segments percent-decoded); {@code null} when nothing matches.
     *
     * @throws SlipwayException {@code INVALID_INPUT} when a segment has a malformed percent-escape
     */
    static @Nullable Match match(String uri) {
        String path = new QueryStringDecoder(uri).rawPath();
        List<String> s = segments(path);
        if (s.isEmpty()) {
            return null;
        }
        if (s.get(0).equals("v2")) {
            return matchV2(s);
        }
        if (s.get(0).equals("v1") && s.size() >= 3 && s.get(1).equals("models")) {
            return matchV1(s);
        }
        return null;
    }

    private static @Nullable Match matchV2(List<String> s) {
        int n = s.size();
        if (n == 1) {
            return new Match(SERVER_METADATA, null, null);
        }
        if (n == 3 && s.get(1).equals("health")) {
            return s.get(2).equals("live")
                    ? new Match(SERVER_LIVE, null, null)
                    : s.get(2).equals("ready") ? new Match(SERVER_READY, null, null) : null;
        }
        if (s.get(1).equals("repository")) {
            if (n == 3 && s.get(2).equals("index")) {
                return new Match(REPOSITORY_INDEX, null, null);
            }
            if (n == 5 && s.get(2).equals("models")) {
                return s.get(4).equals("load")
                        ? new Match(REPOSITORY_LOAD, s.get(3), null)
                        : s.get(4).equals("unload") ? new Match(REPOSITORY_UNLOAD, s.get(3), null) : null;
            }
            return null;
        }
        if (!s.get(1).equals("models") || n < 3) {
            return null;
        }
        if (n == 3 && s.get(2).equals("stats")) {
            return new Match(MODEL_STATISTICS, null, null);
        }
        String model = s.get(2);
        String version = null;
        int rest = 3;
        if (n >= 5 && s.get(3).equals("versions")) {
            version = s.get(4);
            rest = 5;
        }
        if (n == rest) {
            return new Match(MODEL_METADATA, model, version);
        }
        if (n == rest + 1) {
            return switch (s.get(rest)) {
                case "ready" -> new Match(MODEL_READY, model, version);
                case "stats" -> new Match(MODEL_STATISTICS, model, version);
                case "config" -> new Match(MODEL_CONFIG, model, version);
                case "infer" -> new Match(MODEL_INFER, model, version);
                default -> null;
            };
        }
        return null;
    }

    private static @Nullable Match matchV1(List<String> s) {
        if (s.size() == 4 && !s.get(2).isEmpty()) {
            return switch (s.get(3)) {
                case "feedback" -> new Match(V1_FEEDBACK, s.get(2), null);
                case "quality" -> new Match(V1_QUALITY, s.get(2), null);
                default -> null;
            };
        }
        String last = s.get(s.size() - 1);
        String version = null;
        String model;
        boolean predict = last.endsWith(":predict");
        String base = predict ? last.substring(0, last.length() - ":predict".length()) : last;
        if (s.size() == 3) {
            model = base;
        } else if (s.size() == 5 && s.get(3).equals("versions")) {
            model = s.get(2);
            version = base;
        } else {
            return null;
        }
        if (model.isEmpty() || (version != null && version.isEmpty())) {
            return null;
        }
        return new Match(predict ? V1_PREDICT : V1_MODEL_STATUS, model, version);
    }

    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            if (raw.isEmpty()) {
                continue;
            }
            try {
                segments.add(QueryStringDecoder.decodeComponent(raw));
            } catch (IllegalArgumentException e) {
                throw SlipwayException.invalidInput(
                        "path: '%s' has a malformed percent-escape (expected: %%XX with two hex digits)",
                        JsonInput.abbreviate(raw));
            }
        }
        return segments;
    }
}
