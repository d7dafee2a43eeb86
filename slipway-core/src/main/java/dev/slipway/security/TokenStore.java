package dev.slipway.security;

import dev.slipway.api.ErrorCode;
import dev.slipway.api.SlipwayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Bearer tokens, kept only as SHA-256 digests. One token per line, {@code name:role:sha256} ({@code #} starts a
 * comment), read from a file or from the {@code SLIPWAY_TOKENS} environment variable (lines or commas). A presented
 * token is hashed and compared with every entry in constant time, so neither the match nor its position leaks
 * through timing.
 */
public final class TokenStore {
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9._@-]{1,64}):([a-z]+):([0-9a-f]{64})");

    private record Entry(String name, Role role, byte[] digest) {}

    private final List<Entry> entries;

    private TokenStore(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No tokens: every protected request is refused. */
    public static TokenStore empty() {
        return new TokenStore(List.of());
    }

    /**
     * Reads tokens from a file.
     *
     * @throws SlipwayException {@code CONFIG_INVALID} naming every bad line
     */
    public static TokenStore load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new SlipwayException(ErrorCode.CONFIG_INVALID, "tokens file '" + file + "' cannot be read: " + e, e);
        }
    }

    /** Parses {@code name:role:sha256} entries separated by new lines or commas. */
    public static TokenStore parse(String text, String source) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String[] lines = text.split("[\\n,]");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            var match = LINE.matcher(line);
            Role role = match.matches() ? role(match.group(2)) : null;
            if (!match.matches() || role == null) {
                problems.add("entry " + (i + 1) + ": '" + redact(line) + "' (expected: name:role:sha256 with role "
                        + "reader, operator or admin and the token's lower-case hex SHA-256)");
                continue;
            }
            if (!names.add(match.group(1))) {
                problems.add("entry " + (i + 1) + ": name '" + match.group(1) + "' is used twice");
            }
            entries.add(new Entry(match.group(1), role, HexFormat.of().parseHex(match.group(3))));
        }
        if (!problems.isEmpty()) {
            throw new SlipwayException(
                    ErrorCode.CONFIG_INVALID,
                    "tokens in " + source + ": " + String.join("; ", problems),
                    problems,
                    null);
        }
        return new TokenStore(entries);
    }

    private static @Nullable Role role(String text) {
        for (Role role : Role.values()) {
            if (role.name().toLowerCase(Locale.ROOT).equals(text)) {
                return role;
            }
        }
        return null;
    }

    private static String redact(String line) {
        return line.length() <= 24 ? line : line.substring(0, 21) + "...";
    }

    /** Whether any token is configured. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The principal holding this token, if it is one of ours. */
    public Optional<Principal> authenticate(String token) {
        byte[] presented = sha256(token);
        Entry found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented) && found == null) {
                found = entry;
            }
        }
        return found == null ? Optional.empty() : Optional.of(new Principal(found.name(), found.role()));
    }

    /** A new random token (256 bits, URL-safe base64) for {@code slipway token new}. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "slw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The line that grants {@code role} to {@code name} holding {@code token}. */
    public static String entry(String name, Role role, String token) {
        return name + ":" + role.name().toLowerCase(Locale.ROOT) + ":"
                + HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
